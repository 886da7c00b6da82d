"""Reading the structure of IMR final determination letters (no clinical fact extraction).

Three layouts are read:

* ``imr``: the 2014-2015 letters without a header block, often double-spaced (a blank line after
  every text line) with paragraphs separated by a whitespace-only line and pages by runs of blanks;
* ``dwc``: the letters the DWC publishes, single-spaced, with a header block (case number, dates);
* ``maximus-2013``: the early letters that state each decision as "MAXIMUS Federal Services, Inc.
  has determined the request for <item> is (not) medically necessary and appropriate".

The reader works on lines and paragraphs rather than on one big regular expression, so that it
stays linear in the size of the text and can report the line where a letter stops making sense.
Every regular expression here is anchored on a literal or bounded, to rule out catastrophic
backtracking on hostile input.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from imr_rules.errors import LetterError, location
from imr_rules.models.case import Decision
from imr_rules.models.letter import Citation, ItemDecision, Layout, Letter, LetterHeader, Reviewer, Span
from imr_rules.reading.text import Normalised, normalise, parse_date
from imr_rules.sources import read_letter_source

__all__ = ["parse_letter", "parse_normalised", "read_letter", "to_original"]


# --------------------------------------------------------------------------------------------------
# Lines and paragraphs


@dataclass(frozen=True)
class _Line:
    """A non-blank line: its stripped text, its offsets in the original text and its number."""

    text: str
    start: int
    end: int
    number: int
    gap: int  # blank lines (or page furniture) right before it


Paragraph = list[_Line]

# Page furniture a PDF-to-text conversion may leave between pages; treated like blank lines.
_FURNITURE = re.compile(r"(?:Page \d{1,4} of \d{1,4}|-\s?\d{1,4}\s?-)", re.IGNORECASE)


# Where a letter's structure starts a new line, found inside a line where a paragraph was joined into one
# (text copied from a web page): the section headings and the labels of an item's blocks.
_ANCHOR = re.compile(
    r"(?<=\S)[ \t]+(?=(?:HOW[ \t]+THE[ \t]+IMR[ \t]+FINAL[ \t]+DETERMINATION|CLINICAL[ \t]+CASE[ \t]+SUMMARY"
    r"|IMR[ \t]+ISSUES?,?[ \t]+DECISIONS?|IMR ISSUES?,?$"
    r"|Claims[ \t]+Administrator[ \t]+guideline\s*:|MAXIMUS[ \t]+guideline\s*:|Decision[ \t]+rationale\s*:))"
)


# A section heading or block label a hard wrap broke over two lines ("... Care CLINICAL CASE" / "SUMMARY The
# expert ..."): the line break inside it is read as a space (one character for one: offsets stay exact).
_BROKEN_HEADING = re.compile(
    r"(?:HOW[ \t\n]+THE[ \t\n]+IMR[ \t\n]+FINAL[ \t\n]+DETERMINATION|CLINICAL[ \t\n]+CASE[ \t\n]+SUMMARY"
    r"|IMR[ \t\n]+ISSUES?,?[ \t\n]+DECISIONS?|Claims[ \t\n]+Administrator[ \t\n]+guideline[ \t]*:"
    r"|MAXIMUS[ \t\n]+guideline[ \t]*:|Decision[ \t\n]+rationale[ \t]*:)"
)


def _join_broken_headings(text: str) -> str:
    if "\n" not in text:
        return text
    chars: list[str] | None = None
    for m in _BROKEN_HEADING.finditer(text):
        if "\n" in m.group(0) and m.group(0).count("\n") == 1:
            chars = chars if chars is not None else list(text)
            chars[m.start() + m.group(0).index("\n")] = " "
    return text if chars is None else "".join(chars)


def _lines(text: str) -> list[_Line]:
    """Non-blank lines with their offsets; blank lines only count, as the gap before the next line.

    A line is split where a section heading or a block label starts inside it (see `_ANCHOR`), and a
    heading a wrap broke over two lines is read as one (`_BROKEN_HEADING`)."""
    text = _join_broken_headings(text)
    out: list[_Line] = []
    pos = 0
    gap = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped or _FURNITURE.fullmatch(stripped):
            gap += 1
        else:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            cuts = [m.end() for m in _ANCHOR.finditer(stripped)]
            for a, b in zip([0, *cuts], [*cuts, len(stripped)], strict=True):
                part = stripped[a:b].rstrip()
                out.append(_Line(part, start + a, start + a + len(part), number, gap))
                gap = 0
        pos += len(raw) + 1
    return out


_WRAPPED = 110  # a hard-wrapped line is at most this long; longer lines are whole paragraphs


def _split_line(lines: Sequence[_Line], i: int, cut: int) -> list[_Line]:
    """The lines with line i split in two at `cut` (an offset into its text), both parts stripped."""
    line = lines[i]
    head, tail = line.text[:cut].rstrip(), line.text[cut:]
    lead = len(tail) - len(tail.lstrip())
    first = _Line(head, line.start, line.start + len(head), line.number, line.gap)
    second = _Line(tail.strip(), line.start + cut + lead, line.end, line.number, 0)
    return [*lines[:i], first, second, *lines[i + 1 :]]


def _wrapped_head(lines: Sequence[_Line]) -> tuple[list[_Line], int | None]:
    """The lines and the index of the decisions heading's last part, when a hard wrap broke the heading
    ("IMR ISSUES," / "DECISIONS AND RATIONALES ..."); text after the heading becomes a line of its own."""
    for i in range(len(lines) - 1):
        first = lines[i].text
        if not first.upper().startswith("IMR ISSUE"):
            continue
        m = _DECISIONS_HEAD.match(f"{first} {lines[i + 1].text}")
        if m is None:
            continue
        cut = m.end() - len(first) - 1
        if lines[i + 1].text[cut:].strip():
            return _split_line(lines, i + 1, cut), i + 1
        return list(lines), i + 1
    return list(lines), None


def _break_threshold(lines: Sequence[_Line]) -> int:
    """Blank lines that end a paragraph: 2 in double-spaced text (one blank after every line), else 1.

    Text with one paragraph per line and a blank line between (copied from a web page) has the same
    gaps as double-spaced text; its lines are not wrapped, though, so it keeps the threshold 1.
    """
    gaps = [line.gap for line in lines[1:]]
    single_gaps = sum(1 for g in gaps if g == 1)
    if not gaps or single_gaps * 2 <= len(gaps):
        return 1
    lengths = sorted(len(line.text) for line in lines)
    return 2 if lengths[(len(lengths) * 3) // 4] <= _WRAPPED else 1


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _joined(lines: Sequence[_Line]) -> str:
    return _normalise(" ".join(line.text for line in lines))


# --------------------------------------------------------------------------------------------------
# Header block


_HEADER_LABEL = re.compile(
    r"\b(IMR Case Number|Case Number|Date Assigned|Date of Injury|Decision Date|UR Denial Date|Priority"
    r"|Date of UR (?:Decision|Denial)|UR Decision Date|Date of (?:the )?UR|UR Date"
    r"|Application Received|Dated)\s*:",
    re.IGNORECASE,
)
_HEADER_FIELD = {
    "imr case number": "case_number",
    "case number": "case_number",
    "date assigned": "date_assigned",
    "date of injury": "date_of_injury",
    "decision date": "decision_date",
    "ur denial date": "ur_denial_date",
    # other ways a header names utilization review's decision date (the date IMR's request is judged on)
    "date of ur decision": "ur_denial_date",
    "date of ur denial": "ur_denial_date",
    "ur decision date": "ur_denial_date",
    "date of ur": "ur_denial_date",
    "date of the ur": "ur_denial_date",
    "ur date": "ur_denial_date",
    "priority": "priority",
    "application received": "application_received",
    "dated": "dated",
}
_OTHER_LABEL = re.compile(r"\s[A-Z][\w()/' .-]{0,40}:")
_BODY_START = re.compile(
    r"^(?:HOW[ \t]+THE[ \t]+IMR[ \t]+FINAL[ \t]+DETERMINATION|Dear\b|CLINICAL[ \t]+CASE[ \t]+SUMMARY)", re.IGNORECASE
)


def _header(lines: Sequence[_Line]) -> LetterHeader | None:
    """Read the label/value block above the body; values may sit on the line after their label."""
    top: list[str] = []
    for line in lines[:60]:
        if _BODY_START.match(line.text):
            break
        top.append(line.text)
    flat = _normalise(" ".join(top))
    marks = list(_HEADER_LABEL.finditer(flat))
    if not any(_HEADER_FIELD[m.group(1).lower()] == "case_number" for m in marks):
        return None
    values: dict[str, str] = {}
    run: list[str] = []  # fields whose labels stood together with no value (a table read column by column)
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        value = flat[m.end() : nxt.start() if nxt else len(flat)]
        other = _OTHER_LABEL.search(value)
        field = _HEADER_FIELD[m.group(1).lower()]
        value = value[: other.start() if other else None].strip()
        if not value:
            run.append(field)
            continue
        if run:  # "Case Number: Date Assigned: ... CM16-... 11/23/2016 ...": the values in the labels' order
            tokens = value.split()
            if len(tokens) >= len(run) + 1:
                for earlier, token in zip(run, tokens, strict=False):
                    values.setdefault(earlier, token)
                value = " ".join(tokens[len(run) :])
            run = []
        values.setdefault(field, value)
    case = values.get("case_number", "").split()
    priority = values.get("priority") or None
    return LetterHeader(
        case_number=case[0] if case else None,
        date_assigned=parse_date(values.get("date_assigned", "")),
        decision_date=parse_date(values.get("decision_date") or values.get("dated", "")),
        date_of_injury=parse_date(values.get("date_of_injury", "")),
        ur_denial_date=parse_date(values.get("ur_denial_date", "")),
        priority=priority,
        application_received=parse_date(values.get("application_received", "")),
    )


# --------------------------------------------------------------------------------------------------
# Reviewer credentials and the case summary


_LICENSURE = re.compile(r"State\(s\) of Licensure\s*:\s*", re.IGNORECASE)
_SPECIALTY = re.compile(r"Certification\(s\)\s*/\s*Specialt(?:y|ies)\s*:\s*", re.IGNORECASE)
_BOARD = re.compile(
    r"Board[ -]Certified in (.{1,300}?)(?:,? and is licensed|,? is licensed|,? and licensed|\.(?:\s|$)|$)",
    re.IGNORECASE,
)
_LICENSED = re.compile(r"licensed to practice in (.{1,200}?)(?:\.(?:\s|$)|$)", re.IGNORECASE)
_COMMA = re.compile(r"\s*[,;]\s*")
_STATES = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_SUBSPECIALTY = re.compile(r",?\s+has (?:a )?sub-?specialty in\s+|\s*[,;]\s*", re.IGNORECASE)


def _label_value(lines: Sequence[_Line], i: int, label_end: int, threshold: int) -> str:
    """A label's value: the rest of its line plus the lines that continue it in the same paragraph."""
    parts = [lines[i].text[label_end:]]
    for line in lines[i + 1 : i + 4]:
        t = line.text
        if line.gap >= threshold or ":" in t or t.isupper() or t.startswith("The "):
            break
        parts.append(t)
    return _normalise(" ".join(parts))


def _split_list(value: str, pattern: re.Pattern[str]) -> list[str]:
    return [p.strip(" .") for p in pattern.split(value) if p.strip(" .")]


def _reviewer(lines: Sequence[_Line], threshold: int) -> Reviewer:
    specialties: list[str] = []
    licensure: list[str] = []
    for i, line in enumerate(lines):
        if m := _LICENSURE.match(line.text):
            licensure += _split_list(_label_value(lines, i, m.end(), threshold), _COMMA)
        elif m := _SPECIALTY.match(line.text):
            specialties += _split_list(_label_value(lines, i, m.end(), threshold), _COMMA)
    if not specialties and not licensure:
        flat = _joined(lines)
        if m := _BOARD.search(flat):
            specialties = _split_list(m.group(1), _SUBSPECIALTY)
        if m := _LICENSED.search(flat):
            licensure = _split_list(m.group(1), _STATES)
    return Reviewer(specialties=specialties, licensure=licensure)


_SUMMARY_HEAD = re.compile(
    r"^(?:CLINICAL[ \t]+CASE[ \t]+SUMMARY|(?:Expert[ \t]+Reviewer[ \t]+)?Case[ \t]+Summary\s*:)", re.IGNORECASE
)
_SUMMARY_INTRO = re.compile(r"^The expert reviewer developed the following", re.IGNORECASE)
_SUMMARY_END = re.compile(
    r"^(?:IMR ISSUE|Medical[ \t]+Qualifications|Documents[ \t]+Reviewed|Regarding[ \t]+the[ \t]+request"
    r"|\d{1,2}[.)]\s+MAXIMUS"
    r"|HOW[ \t]+THE[ \t]+IMR|Final[ \t]+Determination|(?-i:[A-Z][A-Z ,()/&'-]{5,})$)",
    re.IGNORECASE,
)


def _summary(lines: Sequence[_Line], stop: int) -> tuple[str, Span]:
    """The clinical case summary, without the sentence that introduces it."""
    for i in range(stop):
        m = _SUMMARY_HEAD.match(lines[i].text)
        if m is None:
            continue
        body = [lines[i]] if lines[i].text[m.end() :].strip() else []
        head_cut = m.end() if body else 0
        j = i + 1
        # the sentence introducing the summary ("... including all medical records:") may follow the heading
        # on its line or start the next, and the summary may go on after its colon on the same line
        intro = None
        if body and _SUMMARY_INTRO.match(lines[i].text[m.end() :].lstrip()):
            intro = i
        elif j < stop and _SUMMARY_INTRO.match(lines[j].text):
            intro = j
        if intro is not None:
            k = intro
            while k < min(stop, i + 6) and ":" not in lines[k].text[(head_cut if k == i else 0) :]:
                k += 1
            body, head_cut, j = [], 0, k + 1
            if k < stop:
                colon = lines[k].text.index(":", head_cut if k == i else 0) + 1 if ":" in lines[k].text else 0
                if colon and lines[k].text[colon:].strip():
                    body, head_cut = [lines[k]], colon
        for line in lines[j:stop]:
            if _SUMMARY_END.match(line.text):
                break
            body.append(line)
        if not body:
            break
        first = body[0].text[head_cut:].lstrip()
        start = body[0].end - len(first)
        summary = _normalise(" ".join([first, *(line.text for line in body[1:])]))
        return summary, Span(start=start, end=body[-1].end)
    at = lines[stop].start if stop < len(lines) else 0
    return "", Span(start=at, end=at)


# --------------------------------------------------------------------------------------------------
# Citations


_CITE_SPLIT = re.compile(
    r"\s+(?=Decision based on\b)|(?<=\.)\s+(?=The (?:Claims Administrator|Expert Reviewer)\b)",
)
_NO_EVIDENCE = re.compile(r"did not cite any (?:medical evidence|guidelines?)", re.IGNORECASE)
_NOT_MTUS = re.compile(
    r"did not base (?:their|its|his|her) decision on the MTUS|outside (?:of )?the MTUS|not part of the MTUS"
    r"|Non-MTUS",
    re.IGNORECASE,
)
_BASED_ON = re.compile(r"Decision based on\s+", re.IGNORECASE)
_NON_MTUS = re.compile(r"Non-MTUS(?:\s+Citation)?\s*[:,]?\s*", re.IGNORECASE)
_MTUS = re.compile(r"MTUS\b\s*", re.IGNORECASE)
_YEAR_AFTER_NAME = re.compile(r"(?<=[A-Za-z)]) ((?:19|20)\d\d)\b")
_SECTIONS = re.compile(r"Section\(s\)\s*:\s*", re.IGNORECASE)
_PAGES_LABEL = re.compile(r"Page\(s\)\s*:\s*", re.IGNORECASE)
_TWO_PAGES = re.compile(r"(\d+) and (\d+)")
_GUIDELINES_WORD = re.compile(r"\s+Guidelines?\b.*$", re.IGNORECASE)
_LEADING_YEAR = re.compile(r"((?:19|20)\d\d),\s*")
_PAGES = re.compile(
    r"(?:Page\(s\)\s*:?|\bpages?\b|\bpgs?\.)\s*(\d[\d\-–]*(?:(?:, ?| and )\d[\d\-–]*)*)",
    re.IGNORECASE,
)
_PREAMBLE = re.compile(
    r"did not base \w+ decision on the MTUS"
    r"|based \w+ decision on recommendation\(s\) outside (?:of )?the MTUS",
    re.IGNORECASE,
)
_ODG = re.compile(
    r"(?:the\s+)?(?:Official Disability Guidelines|ODG)\b(?:\s*\(ODG\))?(?:\s+Guidelines\b)?[\s,.:;/-]*",
    re.IGNORECASE,
)
_ACOEM_SOURCE = re.compile(
    r"(?:the\s+)?(?:American College of Occupational and Environmental Medicine\s*\(ACOEM\)|ACOEM\b)"
    r"(?:\s+(?:Occupational Medicine\s+)?(?:Practice\s+)?Guidelines\b)?[\s,.:;-]*",
    re.IGNORECASE,
)
_FOREARM = re.compile(r"Forearm,\s*Wrist,?\s*(?:and|&)\s*Hand\b", re.IGNORECASE)
_UPDATED = re.compile(r"\s*\(updated [^)]{1,30}\)\s*", re.IGNORECASE)
_CHAPTER = re.compile(
    r"Chapter \d{1,2},?\s+[A-Z][A-Za-z&,' -]{2,80}?(?=,|\.|;| page| Page|$)"
    r"|\b[A-Z][A-Za-z&' -]{2,40}? Chapter\b"
)
_EDITION = re.compile(r"\(((?:19|20)\d\d)\)")
_YEAR = re.compile(r"(?<![/\d-])((?:19|20)\d\d)\b")

# MTUS parts other than the ACOEM chapters, by their lower-cased name in the letters.
_MTUS_GUIDELINES = {
    "chronic pain medical treatment": "Chronic Pain Medical Treatment",
    "chronic pain": "Chronic Pain Medical Treatment",
    "opioid treatment": "Opioid Treatment",
    "opioids treatment": "Opioid Treatment",
    "acupuncture treatment": "Acupuncture Medical Treatment",
    "acupuncture medical treatment": "Acupuncture Medical Treatment",
    "postsurgical treatment": "Postsurgical Treatment",
    "post-surgical treatment": "Postsurgical Treatment",
}
_KEYWORD_GUIDELINES = (
    (re.compile(r"Official Disability Guidelines|\bODG\b", re.IGNORECASE), "ODG"),
    (re.compile(r"Chronic Pain Medical Treatment", re.IGNORECASE), "Chronic Pain Medical Treatment"),
    (re.compile(r"Opioid Treatment", re.IGNORECASE), "Opioid Treatment"),
    (re.compile(r"Acupuncture (?:Medical )?Treatment", re.IGNORECASE), "Acupuncture Medical Treatment"),
    (re.compile(r"Post-?surgical Treatment", re.IGNORECASE), "Postsurgical Treatment"),
    (re.compile(r"ACOEM", re.IGNORECASE), "ACOEM"),
)


def _pages(raw: str) -> str:
    """Pages as written, with "305 and 306" read as the range "305-306"."""
    raw = _normalise(raw).strip(" .,;")
    m = _TWO_PAGES.fullmatch(raw)
    if m and int(m.group(2)) == int(m.group(1)) + 1:
        return f"{m.group(1)}-{m.group(2)}"
    return raw.replace(" and ", ", ")


def _clean(value: str) -> str | None:
    value = _normalise(value).strip(" .,;:")
    return value or None


def _mtus_part(text: str, part: str) -> Citation:
    """One MTUS guideline: "<name> <year>[ Guidelines][, Section(s): ...]" or the ACOEM chapter form."""
    pages = None
    if (pm := _PAGES_LABEL.search(part)) is not None:
        pages = _pages(part[pm.end() :])
        part = part[: pm.start()]
    section = None
    if (sm := _SECTIONS.search(part)) is not None:
        section = _clean(part[sm.end() :])
        part = part[: sm.start()]
    edition = None
    if (ym := _YEAR_AFTER_NAME.search(part)) is not None:
        edition = ym.group(1)
        part = part[: ym.start()]
    name = _clean(_GUIDELINES_WORD.sub("", part)) or ""
    guideline: str | None
    chapter: str | None = None
    if name.upper().startswith("ACOEM"):
        guideline, chapter = "ACOEM", _clean(name[5:])
    elif name.lower() in _MTUS_GUIDELINES:
        guideline = _MTUS_GUIDELINES[name.lower()]
    elif name.endswith(("Complaints", "Conditions")) or name.lower() == "general approaches":
        guideline, chapter = "ACOEM", name
    else:
        guideline = name or None
    return Citation(
        text=text,
        mtus=True,
        guideline=guideline,
        edition=edition,
        chapter=chapter,
        section=section,
        pages=pages,
    )


def _mtus(text: str, rest: str) -> list[Citation]:
    """Split "A 2004, Section(s): x, and B 2016, Section(s): y" into one citation per guideline."""
    years = list(_YEAR_AFTER_NAME.finditer(rest))
    starts = [0]
    for prev, nxt in itertools.pairwise(years):
        j = rest.find(", and ", prev.end(), nxt.start())
        if j >= 0:
            starts.append(j + len(", and "))
    ends = [s - len(", and ") for s in starts[1:]] + [len(rest)]
    return [_mtus_part(text, rest[s:e]) for s, e in zip(starts, ends, strict=True)]


def _non_mtus(text: str, source: str) -> Citation:
    source = source.strip().rstrip(".").strip()
    pages = None
    chapter: str | None
    section: str | None = None
    edition: str | None = None
    guideline: str | None
    if (m := _ODG.match(source)) is not None:
        guideline = "ODG"
        rest = source[m.end() :]
        if (em := _LEADING_YEAR.match(rest)) is not None:
            edition, rest = em.group(1), rest[em.end() :]
        if (um := _UPDATED.search(rest)) is not None:
            chapter, section = _clean(rest[: um.start()]), _clean(rest[um.end() :])
        else:
            # "Forearm, Wrist, and Hand" is one chapter name, not a chapter and a section.
            fwh = _FOREARM.match(rest)
            after = fwh.end() if fwh else 0
            cut = min((i for i in (rest.find(", ", after), rest.find(": ", after)) if i >= 0), default=-1)
            if cut >= 0:
                chapter, section = _clean(rest[:cut]), _clean(rest[cut + 2 :])
            else:
                chapter = _clean(rest)
    elif (m := _ACOEM_SOURCE.match(source)) is not None:
        guideline = "ACOEM"
        rest = source[m.end() :]
        if (pm := _PAGES.search(rest)) is not None:
            pages, rest = _pages(pm.group(1)), rest[: pm.start()]
        chapter = _clean(rest)
    else:
        guideline, chapter = source or None, None
    return Citation(
        text=text,
        mtus=False,
        guideline=guideline,
        edition=edition,
        chapter=chapter,
        section=section,
        pages=pages,
    )


def _generic(text: str) -> Citation:
    """Free-worded citations (the 2013 letters): read the guideline, chapter and pages by keyword."""
    mtus: bool | None = None
    if _NOT_MTUS.search(text):
        mtus = False
    elif "MTUS" in text:
        mtus = True
    guideline = next((name for pattern, name in _KEYWORD_GUIDELINES if pattern.search(text)), None)
    chapter = _clean(m.group(0).replace(",", "", 1)) if (m := _CHAPTER.search(text)) else None
    pages = _pages(m.group(1)) if (m := _PAGES.search(text)) else None
    em = _EDITION.search(text) or _YEAR.search(text)
    edition = em.group(1) if em else None
    return Citation(text=text, mtus=mtus, guideline=guideline, edition=edition, chapter=chapter, pages=pages)


def _citations(block: str) -> list[Citation]:
    """Citations in one "... guideline:" paragraph; a "did not base ... on the MTUS" preamble joins the
    non-MTUS citation after it."""
    out: list[Citation] = []
    pending: str | None = None
    for sentence in _CITE_SPLIT.split(block):
        sentence = sentence.strip()
        if not sentence:
            continue
        based = _BASED_ON.match(sentence)
        if based is None and _NO_EVIDENCE.search(sentence):
            out.append(Citation(text=sentence, no_evidence=True))
            continue
        if based is None and _PREAMBLE.search(sentence):
            if pending is not None:
                out.append(Citation(text=pending, mtus=False))
            pending = sentence
            continue
        text = f"{pending} {sentence}" if pending is not None else sentence
        pending = None
        if based is None:
            out.append(_generic(text))
            continue
        rest = sentence[based.end() :]
        if (m := _NON_MTUS.match(rest)) is not None:
            out.append(_non_mtus(text, rest[m.end() :]))
        elif (m := _MTUS.match(rest)) is not None:
            out.extend(_mtus(text, rest[m.end() :].strip().rstrip(".")))
        else:
            out.append(_generic(text))
    if pending is not None:
        out.append(Citation(text=pending, mtus=False))
    return out


# --------------------------------------------------------------------------------------------------
# Items: the imr and dwc layouts


_DECISIONS_HEAD = re.compile(
    r"^IMR ISSUE(?:S|\(S\))?\s*,?\s+DECISION(?:S|\(S\))?\s+AND\s+RATIONALE(?:S|\(S\))?\b", re.IGNORECASE
)
_DECISIONS_INTRO = re.compile(r"^The[ \t]+Final[ \t]+Determination[ \t]+was[ \t]+based[ \t]+on", re.IGNORECASE)
_CA = re.compile(r"^Claims[ \t]+Administrator[ \t]+guideline\s*:\s*", re.IGNORECASE)
_MAXIMUS = re.compile(r"^MAXIMUS[ \t]+guideline\s*:\s*", re.IGNORECASE)
_RATIONALE = re.compile(r"^Decision[ \t]+rationale\s*:\s*", re.IGNORECASE)
_LABELS = (("ca", _CA), ("maximus", _MAXIMUS), ("rationale", _RATIONALE))
# An item heading's decision: the word ("... is Upheld"), or the sentence the letters' decisions are stated in
# ("... is medically necessary and appropriate" Overturned, "... is not medically necessary" Upheld); group
# `word` is the word, group `nec` the sentence and `neg` its "not".
_NECESSARY = r"(?P<nec>(?:is|are)\s+(?P<neg>not\s+)?medically\s+necessary(?:\s+and\s+appropriate)?)"
_DECISION_WORD = re.compile(rf"(?:\b(?P<word>Upheld|Overturned)|\b{_NECESSARY})\s*\.?$", re.IGNORECASE)
_DECISION_ONLY = re.compile(rf"^(?:(?:is\s*)?:?\s*(?:Upheld|Overturned)|{_NECESSARY})\s*\.?$", re.IGNORECASE)
_TERMINAL = (".", ":", ";", "?", "!", '"', "'", ")")
_ORIGINAL = " was the original request"
_AUTHORIZED_AFTER = re.compile(
    r"(.{1,600}?)\s+was authorized by the Claims Administrator\b\.?\s*",
    re.IGNORECASE,
)
_AUTHORIZED_BEFORE = re.compile(
    r"The Claims Administrator authorized\s+(.{1,600}?),?\s+leaving the original request IMR eligible\.?\s*",
    re.IGNORECASE,
)
_REMAINING = re.compile(r"original request\s*(?:,|:|\bis\b)\s*", re.IGNORECASE)


def _label(line: _Line) -> tuple[str, int] | None:
    for kind, pattern in _LABELS:
        if (m := pattern.match(line.text)) is not None:
            return kind, m.end()
    return None


def _paragraphs(lines: Sequence[_Line], threshold: int) -> list[Paragraph]:
    """Group lines into paragraphs; a labelled line ("Decision rationale:") always starts one, and so
    does an item heading the text glued to the paragraph before it (see `_glued_heading`)."""
    paras: list[Paragraph] = []
    for line in lines:
        if not paras or line.gap >= threshold or _label(line) is not None:
            if paras and _CA.match(line.text) and (k := _glued_heading(paras[-1])) is not None:
                paras[-1:] = [paras[-1][:k], paras[-1][k:]]
            paras.append([line])
        else:
            paras[-1].append(line)
    return paras


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_MAX_HEADING_LINES = 6


def _glued_heading(para: Paragraph) -> int | None:
    """Where the item heading ending `para` starts, when no blank line separates it from the text before
    (blank lines removed, or a previous block glued to it): the lines after the last sentence end, or
    after the labelled line. None when the paragraph is the heading alone (or ends in no decision)."""
    last = len(para) - 1
    if _DECISION_WORD.search(para[last].text) is None:
        return None
    k = last
    while k > 0 and last - k < _MAX_HEADING_LINES:
        head = _joined(para[k:])
        low = head.lower()
        continues = _DECISION_ONLY.match(head) or (  # a UR-modified heading: back to "X was the original request"
            _ORIGINAL not in low and ("authorized" in low or "imr eligible" in low or "original request" in low)
        )
        if _label(para[k - 1]) is not None or (_SENTENCE_END.search(para[k - 1].text) and not continues):
            break
        k -= 1
    return k if k > 0 else None


_FRAGMENT = 160  # characters: an unpunctuated paragraph this short before a heading is its first part


def _heading_start(paras: Sequence[Paragraph], ca: int, floor: int, threshold: int) -> int:
    """First paragraph of the heading that ends right before paragraph `ca`.

    A heading is normally one paragraph. It is joined to the paragraph before it where a page break
    split it: when it is just the decision word; when it is the tail of a UR-modified heading (it
    tells what was authorized but not what the original request was); or when the paragraph before
    lacks closing punctuation and the heading starts in lower case or after a visible page break.
    """
    h = ca - 1
    while h > floor and ca - h < 5 and _label(paras[h - 1][0]) is None:
        head = _joined([line for p in paras[h:ca] for line in p])
        low = head.lower()
        open_end = not paras[h - 1][-1].text.endswith(_TERMINAL)
        page_break = paras[h][0].gap >= 2 * threshold
        fragment = len(paras[h - 1]) <= 2 and len(_joined(paras[h - 1])) <= _FRAGMENT  # a heading's first part
        if (
            _DECISION_ONLY.match(head)
            or (_ORIGINAL not in low and ("authorized" in low or "imr eligible" in low))
            or (open_end and (head[:1].islower() or page_break or fragment))
        ):
            h -= 1
        else:
            break
    return h


def _split_heading(heading: str) -> tuple[str, str | None, str | None]:
    """Item, original request and authorized part of a heading (decision already removed)."""
    low = heading.lower()
    i = low.find(_ORIGINAL)
    if i < 0:
        return heading, None, None
    original = heading[:i].strip(" .,")
    rest = heading[i + len(_ORIGINAL) :].lstrip(" .")
    authorized = None
    if (m := _AUTHORIZED_AFTER.match(rest) or _AUTHORIZED_BEFORE.match(rest)) is not None:
        authorized = m.group(1).strip(" .,")
        rest = rest[m.end() :]
    item = original
    remaining = list(_REMAINING.finditer(rest))
    if remaining:
        item = rest[remaining[-1].end() :].strip(" .,") or original
    return item, original or None, authorized


def _block(lines: Sequence[_Line], label_end: int) -> tuple[str, Span]:
    """A labelled block's text (label removed, whitespace normalised) and its span."""
    first = lines[0].text[label_end:].lstrip()
    rest = lines[1:]
    if not first and rest:
        return _joined(rest), Span(start=rest[0].start, end=rest[-1].end)
    start = lines[0].end - len(first)
    end = lines[-1].end if rest or first else start
    return _normalise(" ".join([first, *(line.text for line in rest)])), Span(start=start, end=end)


# a list number or bullet a writer put before an item's heading ("1. Norco ...", "(2) TENS unit", "- MRI"):
# not part of the item's name (the reports number items themselves)
_ENUMERATOR = re.compile(r"^(?:\(?\d{1,2}[.)]|[-\u2022*])\s+")


def _decision(m: re.Match[str]) -> Decision:
    """The decision a `_DECISION_WORD` match states: the word itself, or Upheld for "is not medically
    necessary" and Overturned for "is medically necessary"."""
    if m.group("word") is not None:
        return "Upheld" if m.group("word").lower() == "upheld" else "Overturned"
    return "Upheld" if m.group("neg") else "Overturned"


def _items_imr(lines: Sequence[_Line], body_from: int, threshold: int, source: str) -> list[ItemDecision]:
    """One item per "Claims Administrator guideline:" paragraph: the heading before it, the labelled
    blocks after it up to the next item's heading."""
    paras = _paragraphs(lines[body_from:], threshold)
    cas = [i for i, p in enumerate(paras) if _CA.match(p[0].text)]
    starts: list[int] = []
    floor = 0
    for ca in cas:
        if ca == 0 or _label(paras[ca - 1][0]) is not None:
            raise LetterError(
                "no item heading before 'Claims Administrator guideline:'",
                location(source, paras[ca][0].number),
            )
        starts.append(_heading_start(paras, ca, floor, threshold))
        floor = ca + 1
    items: list[ItemDecision] = []
    for k, (start, ca) in enumerate(zip(starts, cas, strict=True)):
        end = starts[k + 1] if k + 1 < len(starts) else len(paras)
        head_lines = [line for p in paras[start:ca] for line in p]
        heading = _joined(head_lines)
        m = _DECISION_WORD.search(heading)
        if m is None:
            raise LetterError(
                "item heading does not end in its decision (Upheld, Overturned, or 'is (not) medically necessary"
                f" and appropriate'): {heading[:80]!r}",
                location(source, head_lines[0].number),
            )
        body = heading[: m.start()].rstrip(" :,")
        if body.lower().endswith(" is"):
            body = body[:-3].rstrip(" ,:")
        item, original, authorized = _split_heading(_ENUMERATOR.sub("", body, count=1))
        if not item:
            raise LetterError("item heading names no item", location(source, head_lines[0].number))
        blocks: dict[str, tuple[str, Span]] = {}
        labelled = [(i, lab) for i in range(ca, end) if (lab := _label(paras[i][0])) is not None]
        for (i, (kind, label_end)), nxt in zip(labelled, [*labelled[1:], None], strict=True):
            stop = nxt[0] if nxt else end
            blocks.setdefault(kind, _block([line for p in paras[i:stop] for line in p], label_end))
        empty = Span(start=head_lines[-1].end, end=head_lines[-1].end)
        rationale, rationale_span = blocks.get("rationale", ("", empty))
        items.append(
            ItemDecision(
                item=item,
                decision=_decision(m),
                original_request=original,
                authorized=authorized,
                claims_administrator_citations=_citations(blocks["ca"][0]) if "ca" in blocks else [],
                reviewer_citations=_citations(blocks["maximus"][0]) if "maximus" in blocks else [],
                rationale=rationale,
                heading_span=Span(start=head_lines[0].start, end=head_lines[-1].end),
                rationale_span=rationale_span,
            )
        )
    return items


# --------------------------------------------------------------------------------------------------
# Items: the 2013 layout


_DETERMINED = re.compile(
    r"MAXIMUS\s+Federal\s+Services,?\s+Inc\.?\s+has\s+determined\s+the\s+request(?:ed\s+|\s+for\s+)"
    r"([\s\S]{1,600}?)\s+(?:is|are|was)\s+(not\s+)?medically\s+necessary\s+and\s+appropriate",
    re.IGNORECASE,
)
_REGARDING = re.compile(
    r"^[ \t]*(?:\d{1,2}[.)][ \t]*)?Regarding the request for\b",
    re.IGNORECASE | re.MULTILINE,
)
_LABEL_2013 = re.compile(
    r"^[ \t]*(?:(?P<ca>(?:Medical Treatment |Clinical )?Guidelines?(?:\(s\))? Relied (?:Up)?on by (?:the )?"
    r"Claims Administrator)|(?P<maximus>(?:Medical Treatment |Clinical )?Guidelines?(?:\(s\))? Relied "
    r"(?:Up)?on by (?:the )?Expert Reviewer)|(?P<rationale>Rationale (?:Used by (?:the )?Expert Reviewer"
    r"|for the Decision)|Decision rationale))[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)
_ARTICLE = re.compile(r"^(?:a|an)\s+", re.IGNORECASE)
_END_2013 = re.compile(r"^[ \t]*(?:EFFECT OF THE DECISION|Sincerely\b|cc:)", re.IGNORECASE | re.MULTILINE)


def _text_block(text: str, start: int, end: int) -> tuple[str, Span]:
    """text[start:end] whitespace normalised, with the span of its non-blank part."""
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk.rstrip())
    if trail <= lead:
        return "", Span(start=start, end=start)
    return _normalise(chunk), Span(start=start + lead, end=start + trail)


def _determinations(text: str) -> list[re.Match[str]]:
    """The determination sentences, each decision once: a letter may repeat them further down."""
    seen: set[tuple[str, bool]] = set()
    unique: list[re.Match[str]] = []
    for m in _DETERMINED.finditer(text):
        key = (_normalise(m.group(1)).lower(), m.group(2) is None)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique


def _items_2013(text: str, determined: list[re.Match[str]]) -> tuple[list[ItemDecision], int]:
    """Items and the offset where their detail sections begin.

    Decisions come from the determination sentences; the guideline and rationale sections are paired
    with them in order ("Regarding the request for ..." blocks, else the labelled sections), and only
    where their number matches: a letter that cannot be paired keeps its decisions without details.
    """
    zones = [m.start() for m in _REGARDING.finditer(text)]
    labels = list(_LABEL_2013.finditer(text))
    details = min([*zones[:1], *(m.start() for m in labels[:1])], default=len(text))
    end_match = _END_2013.search(text, labels[-1].end() if labels else details)
    text_end = end_match.start() if end_match else len(text)
    if len(zones) != len(determined):
        zones = [m.start() for m in labels if m.lastgroup == "ca"]
    if len(zones) != len(determined):
        zones = [m.start() for m in labels if m.lastgroup == "rationale"]
    items: list[ItemDecision] = []
    for k, m in enumerate(determined):
        blocks: dict[str, tuple[str, Span]] = {}
        if len(zones) == len(determined):
            zone_end = zones[k + 1] if k + 1 < len(zones) else text_end
            inside = [lab for lab in labels if zones[k] <= lab.start() < zone_end]
            for lab, nxt in zip(inside, [*inside[1:], None], strict=True):
                stop = nxt.start() if nxt else zone_end
                blocks.setdefault(lab.lastgroup or "rationale", _text_block(text, lab.end(), stop))
        rationale, rationale_span = blocks.get("rationale", ("", Span(start=m.end(), end=m.end())))
        items.append(
            ItemDecision(
                item=_ARTICLE.sub("", _normalise(m.group(1)), count=1),
                decision="Upheld" if m.group(2) else "Overturned",
                claims_administrator_citations=_citations(blocks["ca"][0]) if "ca" in blocks else [],
                reviewer_citations=_citations(blocks["maximus"][0]) if "maximus" in blocks else [],
                rationale=rationale,
                heading_span=Span(start=m.start(), end=m.end()),
                rationale_span=rationale_span,
            )
        )
    return items, details


# --------------------------------------------------------------------------------------------------
# Public API


def parse_letter(text: str, source: str = "<text>") -> Letter:
    """Read the structure of one determination letter from its text; raise LetterError if it is not one.

    The text is normalised first (`imr_rules.reading.text`); the spans of the Letter point into `text` as given.
    """
    norm = normalise(text)
    return to_original(parse_normalised(norm, source), norm)


def to_original(letter: Letter, norm: Normalised) -> Letter:
    """The same letter with its spans mapped from `norm.text` into `norm.original`."""
    if not norm.changed:
        return letter

    def span(s: Span) -> Span:
        start, end = norm.span(s.start, s.end)
        return Span(start=start, end=end)

    items = [
        it.model_copy(update={"heading_span": span(it.heading_span), "rationale_span": span(it.rationale_span)})
        for it in letter.items
    ]
    return letter.model_copy(update={"summary_span": span(letter.summary_span), "items": items})


def parse_normalised(norm: Normalised, source: str = "<text>") -> Letter:
    """Read a letter from normalised text: the spans point into `norm.text` (what extraction reads);
    `text_digest` is the digest of `norm.original`, the text as given."""
    text = norm.text
    if not text.strip():
        raise LetterError("empty text, expected an IMR determination letter", location(source))
    if text.lstrip().startswith("%PDF-"):
        raise LetterError(
            "this is the raw content of a PDF file, not its text: give imr-rules the PDF file itself",
            location(source, 1),
        )
    lines = _lines(text)
    threshold = _break_threshold(lines)
    head = next((i for i, line in enumerate(lines) if _DECISIONS_HEAD.match(line.text)), None)
    if head is None:  # the section heading broken over two lines by a hard wrap
        lines, head = _wrapped_head(lines)
    body_from = 0 if head is None else head + 1
    if head is not None and (m := _DECISIONS_HEAD.match(lines[head].text)) and lines[head].text[m.end() :].strip():
        lines = _split_line(lines, head, m.end())  # the intro goes on after the section heading
    if body_from < len(lines) and _DECISIONS_INTRO.match(_joined(lines[body_from : body_from + 3])):
        stop = min(body_from + 3, len(lines) - 1)
        while body_from < stop and ":" not in lines[body_from].text:
            body_from += 1
        intro = lines[body_from]
        colon = intro.text.index(":") if ":" in intro.text else len(intro.text)
        rest = intro.text[colon + 1 :]
        if rest.strip():  # the first item's heading goes on after the intro, on the same line
            lines = _split_line(lines, body_from, colon + 1)
        body_from += 1
    has_ca = any(_CA.match(line.text) for line in lines[body_from:])
    determined = [] if has_ca else _determinations(text)
    header = _header(lines)
    if has_ca:
        layout: Layout = "dwc" if header is not None else "imr"
        items = _items_imr(lines, body_from, threshold, source)
        front = head if head is not None else next(i for i, line in enumerate(lines) if _CA.match(line.text))
    elif determined:
        layout = "maximus-2013"
        items, cut = _items_2013(text, determined)
        front = next((i for i, line in enumerate(lines) if line.start >= cut), len(lines))
    elif head is not None:
        raise LetterError(
            "the decisions section has no readable item (no 'Claims Administrator guideline:' paragraph)",
            location(source, lines[head].number),
        )
    else:
        raise LetterError(
            "no decisions section: expected 'IMR ISSUES, DECISIONS AND RATIONALES' with item headings, "
            "or 'MAXIMUS Federal Services, Inc. has determined the request for ...'",
            location(source),
        )
    summary, summary_span = _summary(lines, front)
    return Letter(
        source=source,
        layout=layout,
        header=header,
        reviewer=_reviewer(lines[:front], threshold),
        summary=summary,
        summary_span=summary_span,
        items=items,
        text_digest=hashlib.sha256(norm.original.encode("utf-8")).hexdigest(),
    )


def read_letter(path: str | Path) -> Letter:
    """Read a letter file: UTF-8 text, or a PDF (spans then point into the PDF's extracted text)."""
    source = read_letter_source(path)
    return parse_letter(source.text, str(path))
