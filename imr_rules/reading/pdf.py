"""The text of a PDF letter, read with PDFium (pypdfium2).

Pages are joined with a form feed, the page break `imr_rules.reading.text` reads as a line break. A PDF that
cannot be opened (corrupt, truncated, password-protected) or that has no text layer (a scan: OCR is
out of scope) raises a one-line InputFileError naming the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from imr_rules.errors import InputFileError, location

__all__ = ["PdfText", "is_pdf", "pdf_text"]

# Fewer letters than this on every page together: no text layer worth reading (a scan, or images).
MIN_LETTERS = 20


@dataclass(frozen=True)
class PdfText:
    """The extracted text (what evidence offsets point into) and the sha256 of the PDF's bytes."""

    text: str
    digest: str
    pages: int


def is_pdf(data: bytes) -> bool:
    """True for bytes that start like a PDF file (after any whitespace)."""
    return data.lstrip()[:5] == b"%PDF-"


def pdf_text(data: bytes, path: str | Path) -> PdfText:
    """Extract the text of a PDF given as bytes; `path` names it in errors."""
    import pypdfium2 as pdfium  # imported here: reading text letters never loads PDFium

    where = location(path)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise InputFileError(
                "the PDF is encrypted (password-protected); remove the password first", where
            ) from None
        if "security" in message:
            raise InputFileError("the PDF uses an unsupported security handler", where) from None
        raise InputFileError("cannot read the PDF: it is damaged or not a PDF", where) from None
    try:
        pages: list[str] = []
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
    except pdfium.PdfiumError as exc:
        raise InputFileError(f"cannot read the PDF's text: {exc}", where) from None
    finally:
        doc.close()
    text = "\f".join(pages)
    if not pages:
        raise InputFileError("the PDF has no pages", where)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise InputFileError(
            "the PDF has no text layer (a scanned image?); run OCR on it first, imr-rules reads text only", where
        )
    return PdfText(text=text, digest=hashlib.sha256(data).hexdigest(), pages=len(pages))
