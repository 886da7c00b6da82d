"""The ways a letter's text reaches a user, as transformations of a plain letter (tests and scripts/reading.py).

Each transform takes the letter's text and its case number and returns the text a user could have:
copied from a web page, with blank lines lost, with page headers, typographic characters, other line
ends. `reading` reads a text as `imr-rules extract` does and returns what must not change: the items
with their decisions and services, and every fact's value.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from imr_rules.library.loading import RuleLibrary
from imr_rules.reading.extract import extract_text
from imr_rules.reading.patterns import Patterns

Transform = Callable[[str, str], str]

_DATE = "01/04/2017"


def _blocks(text: str) -> list[list[str]]:
    """Paragraphs as lists of lines: split at blank lines (at two or more in double-spaced text)."""
    lines = text.replace("\r\n", "\n").split("\n")
    gaps: list[int] = []
    gap = 0
    for line in lines:
        if line.strip():
            gaps.append(gap)
            gap = 0
        else:
            gap += 1
    double = sum(1 for g in gaps[1:] if g == 1) * 2 > len(gaps[1:])
    threshold = 2 if double else 1
    out: list[list[str]] = [[]]
    gap = 0
    for line in lines:
        if not line.strip():
            gap += 1
            continue
        if gap >= threshold and out[-1]:
            out.append([])
        out[-1].append(line.strip())
        gap = 0
    return [b for b in out if b]


def one_line_per_paragraph(text: str, case: str) -> str:
    """Text copied from a web page: each paragraph on one line, one blank line between."""
    return "\n\n".join(" ".join(b) for b in _blocks(text)) + "\n"


def one_line_per_paragraph_no_blanks(text: str, case: str) -> str:
    """A web page copied without its paragraph spacing: each paragraph one line, nothing between."""
    return "\n".join(" ".join(b) for b in _blocks(text)) + "\n"


def no_blank_lines(text: str, case: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip()) + "\n"


def _paged(text: str, header: Callable[[int, int], list[str]], every: int = 40) -> str:
    lines = text.split("\n")
    pages = [lines[i : i + every] for i in range(0, len(lines), every)]
    out: list[str] = []
    for k, page in enumerate(pages, start=1):
        if k > 1:
            out.append("\f" + header(k, len(pages))[0])
            out.extend(header(k, len(pages))[1:])
        out.extend(page)
    return "\n".join(out)


def page_headers(text: str, case: str) -> str:
    """A running header at the top of every page after the first: page number, case number, date."""
    return _paged(text, lambda k, n: [f"Page {k} of {n}", case, _DATE])


def page_header_line(text: str, case: str) -> str:
    """The same header on one line, as a PDF-to-text conversion gives it."""
    return _paged(text, lambda k, n: [f"IMR Case Number {case}    Page {k} of {n}    {_DATE}"])


def page_footers(text: str, case: str) -> str:
    """A footer at the bottom of every page: a running title and "- k -"."""
    lines = text.split("\n")
    out: list[str] = []
    for i in range(0, len(lines), 40):
        out.extend(lines[i : i + 40])
        out.extend(["Independent Medical Review Final Determination", f"- {i // 40 + 1} -", "\f"])
    return "\n".join(out)


def non_breaking_spaces(text: str, case: str) -> str:
    return text.replace(" ", "\u00a0")


def unicode_spaces(text: str, case: str) -> str:
    """Thin, narrow no-break and ideographic spaces, and a zero-width space after every full stop."""
    spaces = ["\u2009", "\u202f", "\u3000", "\u2002"]
    out = []
    for k, part in enumerate(text.split(" ")):
        out.append(part)
        out.append(spaces[k % len(spaces)])
    return "".join(out[:-1]).replace(". ", ".\u200b ")


def ligatures(text: str, case: str) -> str:
    return text.replace("ffi", "\ufb03").replace("ffl", "\ufb04").replace("fi", "\ufb01").replace("fl", "\ufb02")


def curly_quotes(text: str, case: str) -> str:
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    text = re.sub(r"'", "\u2018", text)
    return re.sub(r'"([^"\n]{0,200})"', "\u201c\\1\u201d", text)


def dashes(text: str, case: str) -> str:
    """En dashes in ranges ("5–10", "L4–5"), em dashes for spaced hyphens, a minus sign before numbers."""
    text = re.sub(r"(?<=\w)-(?=\d)", "\u2013", text)
    return text.replace(" - ", " \u2014 ")


def soft_hyphens(text: str, case: str) -> str:
    """Soft hyphens inside long words (as word processors keep them)."""
    return re.sub(r"\b([A-Za-z]{5})([a-z]{5,})", "\\1\u00ad\\2", text)


def crlf_bom(text: str, case: str) -> str:
    return "\ufeff" + text.replace("\n", "\r\n")


def form_feeds(text: str, case: str) -> str:
    """A form feed opening a line every 30 lines (pdftotext's page breaks)."""
    lines = text.split("\n")
    return "\n".join(("\f" + line) if i and i % 30 == 0 else line for i, line in enumerate(lines))


def rewrap(width: int) -> Transform:
    def wrap(text: str, case: str) -> str:
        return "\n\n".join(textwrap.fill(" ".join(b), width) for b in _blocks(text)) + "\n"

    wrap.__doc__ = f"Paragraphs re-wrapped at {width} columns."
    return wrap


def double_spaced(text: str, case: str) -> str:
    return "\n".join(line + "\n" for line in text.split("\n"))


def indented(text: str, case: str) -> str:
    """Every line indented, with runs of spaces inside (pdftotext -layout's columns)."""
    return "\n".join(("    " + line.replace(": ", ":    ")) if line.strip() else line for line in text.split("\n"))


def everything(text: str, case: str) -> str:
    """Several at once: web paragraphs, page headers, typography, non-breaking spaces, CR LF."""
    for t in (one_line_per_paragraph, page_header_line, ligatures, curly_quotes, dashes):
        text = t(text, case)
    return crlf_bom(text.replace(" ", "\u00a0", 50), case)


TRANSFORMS: dict[str, Transform] = {
    "every paragraph on one line, one blank line between (web page)": one_line_per_paragraph,
    "every paragraph on one line, no blank lines": one_line_per_paragraph_no_blanks,
    "all blank lines removed": no_blank_lines,
    "page header every page (Page 2 of 6, case number, date)": page_headers,
    "page header on one line every page": page_header_line,
    "page footer every page (running title, - 2 -)": page_footers,
    "every space a non-breaking space": non_breaking_spaces,
    "other Unicode spaces, zero-width spaces": unicode_spaces,
    "ligatures (one character for fi, fl, ffi, ffl)": ligatures,
    "curly quotes and apostrophes": curly_quotes,
    "en and em dashes": dashes,
    "soft hyphens inside words": soft_hyphens,
    "CR LF line ends and a BOM": crlf_bom,
    "form feeds opening lines": form_feeds,
    "re-wrapped at 60 columns": rewrap(60),
    "re-wrapped at 110 columns": rewrap(110),
    "double spacing": double_spaced,
    "indented lines, spaced columns": indented,
    "all of web page, header, ligatures, quotes, dashes, NBSP, CR LF": everything,
}


def reading(text: str, name: str, library: RuleLibrary, patterns: Patterns) -> dict[str, Any]:
    """What a reading of the letter must keep: items (name, decision, service) and fact values."""
    data = extract_text(text, name, library, patterns)
    return {
        "items": [(it.item, it.decision, it.service) for it in data.items],
        "facts": {k: v.value for k, v in data.facts.items()},
        "item_facts": [{k: v.value for k, v in it.facts.items()} for it in data.items],
    }


def pdftotext(pdf: Path, layout: bool) -> str | None:
    """Text from poppler's pdftotext (a measuring tool, not a dependency); None when it is not installed."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    args = [exe, "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, timeout=60).stdout.decode("utf-8")


def write_pdf(text: str, path: Path, lines_per_page: int = 54) -> None:
    """A plain PDF of the text (Helvetica 10, one text line per line; a line longer than the page is
    wrapped, as a word processor would, so no text falls off the page), for letters the project writes."""
    import textwrap

    lines = [
        wrapped
        for line in text.replace("\r\n", "\n").split("\n")
        for wrapped in (textwrap.wrap(line, 95, break_long_words=False, break_on_hyphens=False) or [""])
    ]
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    objects: list[bytes] = []

    def escape(line: str) -> bytes:
        raw = line.replace("\f", "").encode("latin-1", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    n = len(pages)
    # 1 catalog, 2 pages, 3 font, then page k: 4 + 2k (page), 5 + 2k (content)
    kids = " ".join(f"{4 + 2 * k} 0 R" for k in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for k, page in enumerate(pages):
        body = b"BT /F1 10 Tf 12 TL 50 760 Td " + b" ".join(b"(" + escape(line) + b") Tj T*" for line in page) + b" ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * k} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
