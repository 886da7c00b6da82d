"""Normalising a letter's text before it is read, keeping every offset into the text as it was given.

Letters arrive as text from PDF extractors, web pages, mail and case-management systems. The same
words then differ in code points: non-breaking and other Unicode spaces, ligatures (one character for
"fi"), curly quotes and apostrophes, en and em dashes, soft hyphens, zero-width characters, form feeds,
carriage returns, and page furniture (page numbers, running case numbers and dates) repeated on every
page. `normalise` folds all of these into the plain text the reader's patterns expect:

* every character goes through Unicode NFKC (ligatures, full-width forms, Unicode spaces), then
  quotes, apostrophes and dashes become their ASCII forms;
* soft hyphens and zero-width characters are dropped; a soft hyphen at the end of a line joins the
  word it splits, and so does a hyphen a hard wrap broke a compound at ("bucket-" / "handle" reads
  "bucket-handle"); CR LF, CR and form feeds become line breaks;
* a negative contraction is written out ("doesn't" reads "does not", "can't" "cannot", "won't" "will
  not"), so every negation trigger and pattern written with "not" reads it, with a straight or a curly
  apostrophe; so is the clinic's slash shorthand ("w/o" reads "without", "w/" "with", "s/p" "status
  post", "h/o" "history of", "c/o" "complains of"), so "w/o stenosis" is a negation as "without" is;
* a line made only of page furniture is dropped with its line break: a page number ("Page 2 of 6",
  "- 2 -") alone or with a case number and date, and any short line of case numbers, dates and page
  numbers that repeats; a short line in Title Case without punctuation that repeats three times or
  more (a running title), or stands next to a page number, too.

Reading happens on `Normalised.text`; `Normalised.span` maps offsets back into `Normalised.original`,
so the evidence a user is shown points into the text they gave. Characters map in groups: a group of
the original (one ligature, one CR LF) becomes a group of the normalised text, and a span that starts
or ends inside a group covers all of it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from imr_rules.models.extracted import ExtractedLetter, ReadFact

__all__ = ["Normalised", "normalise", "remap_evidence"]

# After NFKC: typographic quotes and dashes, and characters NFKC leaves alone that read as spaces.
_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u02bc": "'",  # modifier letter apostrophe ("Tinelʼs"), turned comma, prime, reversed prime
    "\u02bb": "'",
    "\u02b9": "'",
    "\u2035": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\ufffe": "-",  # PDFium's mark for a hyphen that ended a line
    "\u2043": "-",
    "\u2044": "/",
    "\u00a0": " ",
    "\u2028": "\n",
    "\u2029": "\n",
    "\x0b": "\n",
    "\x0c": "\n",
    "\x85": "\n",
}
_DROP = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e")
# Anything outside printable ASCII (plus tab and newline) needs a look; ASCII text is copied as it is.
_SPECIAL = re.compile(r"[^\t\n\x20-\x7e]+")

# Page furniture: page numbers, case numbers, dates, and the few words that label them.
_PAGE_NUMBER = re.compile(
    r"(?:\bpage\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b|^-\s?\d{1,4}\s?-$|\b\d{1,4}\s+of\s+\d{1,4}\b)", re.I
)
_FURNITURE_TOKEN = re.compile(
    r"\bpage\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b|\b\d{1,4}\s+of\s+\d{1,4}\b"
    r"|\b[A-Z]{2,4}\d{2}-\d{4,8}\b|\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b|\b\d{1,4}\b"
    r"|\b(?:IMR|Case|Number|No|Date|Decision|Final|Determination|Letter|for|Page)\b",
    re.I,
)
_STRONG_TOKEN = re.compile(r"\bpage\s*\d|\b\d{1,4}\s+of\s+\d|\d{2}-\d{4}|\d[/-]\d{1,2}[/-]\d|^-\s?\d{1,4}\s?-$", re.I)
_SEPARATORS = re.compile(r"[\s|:#.,()\-\u2013\u2014\u2022*/]*")
_TITLE_LINE = re.compile(r"[A-Za-z][A-Za-z &'-]{2,59}")
_DECISION_END = re.compile(r"\b(?:upheld|overturned)\W*$", re.I)
_MAX_FURNITURE = 100
# A word broken at its hyphen by a hard wrap ("bucket-" / "handle"): the line break is dropped.
_WORD_HYPHEN_END = re.compile(r"[A-Za-z]{2}-$")
_HYPHEN_WRAP = re.compile(r"[A-Za-z]{2}-[ \t]*\n[ \t]*[A-Za-z]")


@dataclass(frozen=True)
class Normalised:
    """A text as given (`original`) and as read (`text`), with the map between their offsets.

    `_norm_starts[k]`, `_orig_starts[k]`, `_orig_lens[k]`, `_copy[k]` describe group k of `text`: a
    run copied as it is (offsets shift together) or one replaced group (the whole of it maps to the
    whole original group). Characters of `original` in no group were dropped.
    """

    original: str
    text: str
    _norm_starts: list[int] = field(default_factory=list, repr=False)
    _orig_starts: list[int] = field(default_factory=list, repr=False)
    _orig_lens: list[int] = field(default_factory=list, repr=False)
    _copy: list[bool] = field(default_factory=list, repr=False)

    def _group(self, pos: int) -> int:
        return bisect.bisect_right(self._norm_starts, pos) - 1

    def start(self, pos: int) -> int:
        """Offset in `original` of the character at `text[pos]` (len(original) past the end)."""
        if pos >= len(self.text):
            return len(self.original)
        k = self._group(pos)
        if self._copy[k]:
            return self._orig_starts[k] + pos - self._norm_starts[k]
        return self._orig_starts[k]

    def end(self, pos: int) -> int:
        """Offset in `original` just after the character at `text[pos - 1]` (0 for pos 0)."""
        if pos <= 0:
            return 0
        k = self._group(pos - 1)
        if self._copy[k]:
            return self._orig_starts[k] + pos - self._norm_starts[k]
        return self._orig_starts[k] + self._orig_lens[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in `original` of `text[start:end]`: the same words, as the user gave them."""
        if end <= start:
            at = self.start(start)
            return at, at
        return self.start(start), self.end(end)

    @property
    def changed(self) -> bool:
        return self.text != self.original


class _Builder:
    def __init__(self, original: str) -> None:
        self.original = original
        self.parts: list[str] = []
        self.size = 0
        self.norm_starts: list[int] = []
        self.orig_starts: list[int] = []
        self.orig_lens: list[int] = []
        self.copy: list[bool] = []

    def add(self, out: str, orig_start: int, orig_end: int, copy: bool) -> None:
        if not out:
            return
        if copy and self.copy and self.copy[-1]:
            last = len(self.norm_starts) - 1
            if self.orig_starts[last] + self.orig_lens[last] == orig_start:
                self.orig_lens[last] += len(out)
                self.parts.append(out)
                self.size += len(out)
                return
        self.norm_starts.append(self.size)
        self.orig_starts.append(orig_start)
        self.orig_lens.append(orig_end - orig_start)
        self.copy.append(copy)
        self.parts.append(out)
        self.size += len(out)

    def build(self) -> Normalised:
        return Normalised(
            self.original, "".join(self.parts), self.norm_starts, self.orig_starts, self.orig_lens, self.copy
        )


def _fold_char(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch in _FOLD:
        return _FOLD[ch]
    folded = unicodedata.normalize("NFKC", ch)
    return "".join(_FOLD.get(c, c) for c in folded if c not in _DROP)


def _fold_run(run: str, start: int, builder: _Builder) -> None:
    """Fold one run of non-ASCII characters; a base character and its combining marks fold together."""
    i = 0
    while i < len(run):
        j = i + 1
        while j < len(run) and unicodedata.combining(run[j]):
            j += 1
        cluster = run[i:j]
        if cluster == "\r":
            j_cr = i + 1
            out = "\n"
            if start + j_cr < len(builder.original) and builder.original[start + j_cr] == "\n":
                out = ""  # CR LF: the LF that follows is the line break
            builder.add(out, start + i, start + j, copy=False)
        elif len(cluster) == 1:
            builder.add(_fold_char(cluster), start + i, start + j, copy=False)
        else:
            folded = unicodedata.normalize("NFKC", cluster)
            builder.add("".join(_fold_char(c) for c in folded), start + i, start + j, copy=False)
        i = j


def _fold(original: str) -> Normalised:
    builder = _Builder(original)
    pos = 0
    for m in _SPECIAL.finditer(original):
        builder.add(original[pos : m.start()], pos, m.start(), copy=True)
        _fold_run(m.group(0), m.start(), builder)
        pos = m.end()
    builder.add(original[pos:], pos, len(original), copy=True)
    return builder.build()


def _is_furniture_like(line: str) -> bool:
    """Nothing but page numbers, case numbers, dates and their labels (and at least one of them)."""
    if _STRONG_TOKEN.search(line) is None:
        return False
    return _SEPARATORS.fullmatch(_FURNITURE_TOKEN.sub(" ", line)) is not None


def _furniture(lines: list[str]) -> set[int]:
    """Indexes of the lines that are page furniture (see the module's docstring)."""
    stripped = [line.strip() for line in lines]
    counts = Counter(s for s in stripped if s and len(s) <= _MAX_FURNITURE)
    out: set[int] = set()
    seen: set[str] = set()
    for i, s in enumerate(stripped):
        if not s or len(s) > _MAX_FURNITURE:
            continue
        first = s not in seen
        seen.add(s)
        if counts[s] < 2 and not _may_number_pages(s):
            continue  # furniture that appears once is a page number, or stands next to one
        if _DECISION_END.search(s):
            continue
        if _is_furniture_like(s):
            if _PAGE_NUMBER.search(s) or (counts[s] >= 2 and not (first and ":" in s)):
                out.add(i)
        elif counts[s] >= 3 and _running_title(s) and not s.isupper():
            out.add(i)
    # A page's furniture comes in a group: a case number, a date or a running title (in Title Case)
    # next to a page number is furniture too, even where it appears once (a two-page letter).
    grown = True
    while grown:
        grown = False
        for i in sorted(out):
            for j in (i - 1, i + 1):
                if j in out or not 0 <= j < len(lines) or not stripped[j] or len(stripped[j]) > _MAX_FURNITURE:
                    continue
                s = stripped[j]
                if (_is_furniture_like(s) and ":" not in s) or _running_title(s):
                    out.add(j)
                    grown = True
    return out


def _may_number_pages(line: str) -> bool:
    """A cheap test that a line may hold a page number (before the regular expressions)."""
    of = line.find(" of ")
    return "age" in line or "AGE" in line or line.startswith("-") or (of > 0 and line[of - 1].isdigit())


def _running_title(line: str) -> bool:
    words = line.split()
    return (
        _TITLE_LINE.fullmatch(line) is not None
        and len(words) >= 3
        and all(w[:1].isupper() or w.lower() in _MINOR_WORDS for w in words)
    )


_MINOR_WORDS = frozenset({"of", "for", "and", "the", "to", "in", "on", "a", "an"})


def _drop_lines(folded: Normalised) -> Normalised:
    """Drop page-furniture lines (with their line breaks) and join words a soft hyphen or a wrapped
    hyphen split (the line break and the next line's indentation go)."""
    text = folded.text
    lines = text.split("\n")
    drop = _furniture(lines)
    soft_join = "\u00ad" in folded.original
    if not drop and not soft_join and _HYPHEN_WRAP.search(text) is None:
        return folded
    cuts: list[tuple[int, int]] = []  # ranges of folded.text to leave out, in order
    pos = 0
    for i, line in enumerate(lines):
        end = pos + len(line)
        nl = end + 1 if end < len(text) else end
        if i in drop:
            cuts.append((pos, nl))
        elif nl > end and i + 1 < len(lines) and i + 1 not in drop:
            following = lines[i + 1]
            indent = len(following) - len(following.lstrip(" \t"))
            soft = soft_join and bool(line.strip()) and _soft_hyphen_before(folded.original, folded.start(end))
            hyphen = (
                line.endswith("-") and _WORD_HYPHEN_END.search(line) is not None and _continues_word(following[indent:])
            )
            if soft or hyphen:  # the word goes on at the start of the next line
                cuts.append((end, nl + indent))
        pos = nl
    builder = _Builder(folded.original)
    pos = 0
    for a, b in cuts:
        _copy_mapped(folded, pos, a, builder)
        pos = max(pos, b)
    _copy_mapped(folded, pos, len(text), builder)
    return builder.build()


_NOT_A_CONTINUATION = re.compile(r"(?:Upheld|Overturned)\b|[A-Z]{2,}\b")


def _continues_word(following: str) -> bool:
    """Does a line go on with the word the previous line broke at its hyphen? "bucket-" / "handle", and
    "time-" / "Partial thromboplastin"; not a decision ("Norco-" / "Upheld") or a heading in capitals."""
    first = following[:1]
    if first.islower():
        return True
    return first.isupper() and _NOT_A_CONTINUATION.match(following) is None


def _soft_hyphen_before(original: str, at: int) -> bool:
    k = at - 1
    while k >= 0 and original[k] in " \t\r":
        k -= 1
    return k >= 0 and original[k] == "\u00ad"


def _copy_mapped(folded: Normalised, start: int, end: int, builder: _Builder) -> None:
    """Copy folded.text[start:end] into the builder, keeping its map to the original."""
    pos = start
    while pos < end:
        k = folded._group(pos)
        group_end = folded._norm_starts[k + 1] if k + 1 < len(folded._norm_starts) else len(folded.text)
        stop = min(end, group_end)
        if folded._copy[k]:
            o = folded._orig_starts[k] + pos - folded._norm_starts[k]
            builder.add(folded.text[pos:stop], o, o + stop - pos, copy=True)
        else:
            o = folded._orig_starts[k]
            builder.add(folded.text[pos:stop], o, o + folded._orig_lens[k], copy=False)
        pos = stop


def normalise(original: str) -> Normalised:
    """The text to read, and the map back to `original` (see the module docstring for what changes).

    A plain ASCII letter without page furniture, contractions or slash shorthand comes back unchanged
    (`text == original`).
    """
    return _expand_contractions(_drop_lines(_fold(original)))


# A negative contraction and how it is written out: the part replaced (after the word's first letters) and
# its replacement. Only auxiliaries and modals: "doesn't" -> "does not", "can't" -> "cannot".
_CONTRACTION = re.compile(
    r"\b(?:(?P<aux>do|does|did|is|are|was|were|has|have|had|could|would|should|must|need|might|dare)n't"
    r"|(?P<can>ca)n't|(?P<will>w)on't|(?P<shall>sha)n't)\b"
    # the clinic's slash shorthand, written out whole (`_SHORTHAND`); "w/" only before a word or a space
    r"|(?P<short>\b(?:w/o|s/p|h/o|c/o)\b|\bw/(?= |[A-Za-z]{2}))",
    re.IGNORECASE,
)
_SHORTHAND = {
    "w/o": "without",
    "s/p": "status post",
    "h/o": "history of",
    "c/o": "complains of",
    "w/": "with",
}  # "w/c" (wheelchair) stays


def _written_out(m: re.Match[str]) -> tuple[int, str]:
    """Where in the match the replaced part starts, and its replacement (the word's case kept)."""
    word = m.group(0)
    if m.group("short"):
        out = _SHORTHAND[word.lower()]
        if word.isupper():
            out = out.upper()
        return 0, out + (" " if word.endswith("/") and m.end() < len(m.string) and m.string[m.end()] != " " else "")
    if m.group("aux"):
        return len(m.group("aux")), " NOT" if word.isupper() else " not"
    if m.group("can"):
        return 2, "NNOT" if word.isupper() else "nnot"
    if m.group("will"):
        return 1, "ILL NOT" if word.isupper() else "ill not"
    return 3, "LL NOT" if word.isupper() else "ll not"


def _expand_contractions(norm: Normalised) -> Normalised:
    """Write out negative contractions and slash shorthand (`_CONTRACTION`), each replaced part mapping to
    its original group."""
    text = norm.text
    found = list(_CONTRACTION.finditer(text))
    if not found:
        return norm
    builder = _Builder(norm.original)
    pos = 0
    for m in found:
        at, out = _written_out(m)
        _copy_mapped(norm, pos, m.start() + at, builder)
        first, last = norm.span(m.start() + at, m.end())
        builder.add(out, first, last, copy=False)
        pos = m.end()
    _copy_mapped(norm, pos, len(text), builder)
    return builder.build()


def remap_evidence(read: ExtractedLetter, norm: Normalised) -> ExtractedLetter:
    """`read` (read from `norm.text`) with every evidence offset of its case and item facts mapped into
    `norm.original`; `read` itself when normalising changed nothing."""
    if not norm.changed:
        return read

    def mapped(facts: dict[str, ReadFact]) -> dict[str, ReadFact]:
        out: dict[str, ReadFact] = {}
        for name, fact in facts.items():
            evidence = []
            for ev in fact.evidence:
                start, end = norm.span(ev.start, ev.end)
                evidence.append(ev.model_copy(update={"start": start, "end": end}))
            out[name] = fact.model_copy(update={"evidence": evidence})
        return out

    items = [item.model_copy(update={"facts": mapped(item.facts)}) for item in read.items]
    return read.model_copy(update={"facts": mapped(read.facts), "items": items})


# --- dates ---------------------------------------------------------------------------------------------

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})\b")
_MONTH = "(" + "|".join(m[:3] + (f"(?:{m[3:]})?" if len(m) > 3 else "") for m in _MONTHS) + r")\.?"
_WORDED_DATE = re.compile(rf"\b{_MONTH} (\d{{1,2}}), (\d{{4}})\b", re.IGNORECASE)
_DAY_FIRST_DATE = re.compile(rf"\b(\d{{1,2}}) {_MONTH} (\d{{4}})\b", re.IGNORECASE)  # 2 March 2014
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def parse_date(text: str) -> dt.date | None:
    """The first date in `text` as letters write it: 3/4/2014, 03-04-14 (a two-digit year below 50 is
    20xx, else 19xx), March 4, 2014, Mar. 4, 2014, 4 March 2014 or 2014-03-04 (ISO); None when there is
    none or it is no real day."""
    found = [
        m
        for m in (rx.search(text) for rx in (_ISO_DATE, _NUMERIC_DATE, _WORDED_DATE, _DAY_FIRST_DATE))
        if m is not None
    ]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())  # ISO first on a tie: 2014-03-04 is no 14-03-04
    try:
        if first.re is _ISO_DATE:
            return dt.date(int(first.group(1)), int(first.group(2)), int(first.group(3)))
        if first.re is _NUMERIC_DATE:
            month, day, year = int(first.group(1)), int(first.group(2)), int(first.group(3))
            if year < 100:
                year += 2000 if year < 50 else 1900
            return dt.date(year, month, day)
        worded, day_text, year_text = (
            (first.group(1), first.group(2), first.group(3))
            if first.re is _WORDED_DATE
            else (first.group(2), first.group(1), first.group(3))
        )
        month = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(worded.lower().rstrip(".")))
        return dt.date(int(year_text), month, int(day_text))
    except ValueError:
        return None
