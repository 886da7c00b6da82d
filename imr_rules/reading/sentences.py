"""A letter's text as sentences, each with its offsets into the letter and the section it is in."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from imr_rules.reading import prefilter

MAX_SENTENCE = 2000  # characters: bounds regular-expression work on pathological text


MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
ABBREVIATIONS = ("dr", "mr", "mrs", "ms", "e.g", "i.e", "vs", "no", "approx", "etc", "st", "jr", "inc", "fig")
# a citation's part before its number ("Per ACOEM ch. 8, imaging is for ...", "p. 178", "sec. 4") ends no sentence
NUMBERED_ABBREVIATIONS = ("ch", "chap", "chapt", "p", "pp", "pg", "pgs", "sec", "sect", "vol", "tab", "ref")


@dataclass(frozen=True)
class Sentence:
    """A sentence with whitespace normalised, and where it sits in the letter."""

    text: str
    start: int
    end: int
    section: str

    @functools.cached_property
    def folded(self) -> str:
        """The text folded as imr_rules.reading.prefilter compares literals with it."""
        return prefilter.fold(self.text)


_LONG_SPACE = re.compile(r"\s{2,}")
_BOUNDARY = re.compile(r"[.!?][\"')\]]?(?= +[\"'(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z.]+)[.!?]$")
# a list's number ("the following indications: 1. Tumor, 2. Stress fractures ...") ends no sentence
_LIST_NUMBER = re.compile(r"(?:^|[,;:(] ?|\b(?:and|or) )\d{1,2}\.$")


# a bulleted line ("• No red flags", "- Lumbar strain", "* Naproxen"): a line without a full stop is a
# sentence of its own, not the start of the next line's
_BULLET = re.compile(r"^[ \t]*(?:[\u2022\u25cf\u25aa\u25e6\u2023\u2219\u00b7*]|-(?=[ \t]))[ \t]*", re.MULTILINE)


def sentences(text: str, start: int, end: int, section: str) -> list[Sentence]:
    """Split text[start:end] into sentences; offsets point into the original letter. A bulleted line
    starts a sentence (its bullet is not part of it): bullet lines written without full stops are not run
    together; a guideline's bulleted list is joined back to its lead by `Context.join_quoted_lists`."""
    cuts = [m for m in _BULLET.finditer(text, start, end) if m.end() > m.start()]
    if not cuts:
        return _sentences(text, start, end, section)
    out: list[Sentence] = []
    begin = start
    for m in cuts:
        out += _sentences(text, begin, m.start(), section)
        begin = m.end()
    return out + _sentences(text, begin, end, section)


def _sentences(text: str, start: int, end: int, section: str) -> list[Sentence]:
    """Split text[start:end] into sentences; offsets point into the original letter.

    Whitespace runs are read as one space (letters wrap lines anywhere); `where` maps a position in
    that flattened text back to the letter: a word's characters to themselves, the space for a run to
    the run's first whitespace character. Only runs of two or more characters shift positions, and a
    letter has few (paragraph breaks), so the map is a short list.
    """
    segment = text[start:end]
    flat = " ".join(segment.split())
    if not flat:
        return []
    lead = len(segment) - len(segment.lstrip())
    spaces: list[int] = []  # flat position of each long run's space
    shifts: list[int] = [0]  # characters dropped before the positions after each of those spaces
    for run in _LONG_SPACE.finditer(segment, lead, len(segment.rstrip())):
        spaces.append(run.start() - lead - shifts[-1])
        shifts.append(shifts[-1] + len(run.group()) - 1)

    def where(k: int) -> int:
        return start + lead + k + shifts[bisect.bisect_left(spaces, k)]

    out: list[Sentence] = []
    begin = 0
    for m in _BOUNDARY.finditer(flat):
        last = _LAST_WORD.search(flat, flat.rfind(" ", 0, m.start()) + 1, m.start() + 1)
        if last and last.group(1).lower().rstrip(".") in ABBREVIATIONS:
            continue
        if (
            last
            and last.group(1).lower().rstrip(".") in MONTH_ABBREVIATIONS
            and flat[m.end() + 1 : m.end() + 2].isdigit()
        ):
            continue  # "Mar. 2, 2014": a date, not a sentence's end
        if (
            last
            and last.group(1).lower().rstrip(".") in NUMBERED_ABBREVIATIONS
            and flat[m.end() + 1 : m.end() + 2].isdigit()
        ):
            continue  # "ACOEM ch. 8, ...": a citation, not a sentence's end
        if flat[m.start()] == "." and _LIST_NUMBER.search(flat[max(0, m.start() - 7) : m.start() + 1]):
            continue
        piece = flat[begin : m.end()].strip()
        if piece:
            s0 = begin + (len(flat[begin : m.end()]) - len(flat[begin : m.end()].lstrip()))
            out.append(Sentence(piece[:MAX_SENTENCE], where(s0), where(m.end() - 1) + 1, section))
        begin = m.end()
    tail = flat[begin:].strip()
    if tail:
        s0 = begin + (len(flat[begin:]) - len(flat[begin:].lstrip()))
        out.append(Sentence(tail[:MAX_SENTENCE], where(s0), where(len(flat) - 1) + 1, section))
    return out
