"""Letters as users have them: PDFs, pdftotext output, text from web pages and other transformations
(tests/transforms.py) read into the same items, decisions, services and facts as the plain letter; bad
PDFs, standard input and folders through the CLI."""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from imr_rules.cli import main
from imr_rules.reading.extract import extract
from imr_rules.reading.pdf import pdf_text
from imr_rules.reading.text import normalise
from imr_rules.sources import read_letter_source

from .conftest import SHARED, bundled_library, bundled_patterns, needs_shared
from .transforms import TRANSFORMS, no_blank_lines, pdftotext, reading, rewrap, write_pdf

HERE = Path(__file__).resolve().parent
OWN = sorted(p for p in (HERE / "letters").rglob("*.txt") if p.name != "no_decisions.txt")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")


def _train() -> list[Path]:
    """The seed letters and the train letters of ../shared (never the validation letters)."""
    if not SHARED.is_dir():
        return []
    with open(SHARED / "dwc-split.csv", encoding="utf-8") as handle:
        train = {r["case_number"] for r in csv.DictReader(handle) if r["split"] == "train"}
    seed = sorted((SHARED / "letters").glob("*.txt"))
    return seed + [p for p in sorted((SHARED / "dwc-letters").glob("*.txt")) if p.stem in train]


@functools.cache
def baseline(path: Path) -> dict[str, Any]:
    return reading(path.read_text(encoding="utf-8"), str(path), bundled_library(), bundled_patterns())


def _case(path: Path) -> str:
    return path.stem if path.stem.startswith("CM") else "CM99-0000001"


def _differences(paths: list[Path], transform: Any) -> list[str]:
    bad = []
    for path in paths:
        given = transform(path.read_text(encoding="utf-8"), _case(path))
        try:
            got = reading(given, str(path), bundled_library(), bundled_patterns())
        except Exception as exc:  # an ImrError is a failure to read, reported with the others
            bad.append(f"{path.name}: {exc}")
            continue
        if got != baseline(path):
            bad.append(path.name)
    return bad


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_own_letters_read_the_same_however_given(name: str) -> None:
    assert OWN
    assert _differences(OWN, TRANSFORMS[name]) == []


@pytest.mark.parametrize("width", [45, 75, 95, 130, 200])
def test_own_letters_read_the_same_wrapped_at_any_width(width: int) -> None:
    """Wherever a wrap falls in a heading (a UR-modified one runs over several sentences), in a label or
    in the section heading, the items stay the same, with and without blank lines between paragraphs."""
    assert _differences(OWN, rewrap(width)) == []
    assert _differences(OWN, lambda text, case: no_blank_lines(rewrap(width)(text, case), case)) == []


@needs_shared
@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_seed_and_train_letters_read_the_same_however_given(name: str) -> None:
    paths = _train()
    assert len(paths) == 122
    assert _differences(paths, TRANSFORMS[name]) == []


def test_evidence_offsets_point_into_the_text_as_given(tmp_path: Path) -> None:
    """Reading happens on normalised text; every offset a case reports frames the quoted words in the
    letter exactly as the user gave it (here with ligatures, curly quotes, NBSP, headers, CR LF)."""
    path = HERE / "letters" / "extract" / "mri_red_flags.txt"
    given = TRANSFORMS["all of web page, header, ligatures, quotes, dashes, NBSP, CR LF"](
        path.read_text(encoding="utf-8"), "CM99-0000001"
    )
    target = tmp_path / "letter.txt"
    target.write_bytes(given.encode("utf-8"))
    data = extract(target, bundled_library(), bundled_patterns()).to_data()
    text = target.read_bytes().decode("utf-8-sig")
    assert text != normalise(text).text  # the letter really is transformed
    evidence = [ev for f in data["facts"].values() for ev in f["evidence"]]
    evidence += [ev for it in data["items"] for f in it.get("facts", {}).values() for ev in f["evidence"]]
    assert evidence
    for ev in evidence:
        assert normalise(text[ev["start"] : ev["end"]]).text.split() == ev["quote"].split()


# --------------------------------------------------------------------------------------------------
# PDFs


def test_own_letters_as_pdfs_read_the_same(tmp_path: Path) -> None:
    for path in OWN:
        pdf = tmp_path / f"{path.stem}.pdf"
        write_pdf(path.read_text(encoding="utf-8"), pdf)
        source = read_letter_source(pdf)
        assert source.pdf_digest == hashlib.sha256(pdf.read_bytes()).hexdigest()
        assert reading(source.text, str(path), bundled_library(), bundled_patterns()) == baseline(path), path.name


@needs_pdftotext
@pytest.mark.parametrize("layout", [False, True])
def test_own_letters_through_pdftotext_read_the_same(tmp_path: Path, layout: bool) -> None:
    for path in OWN:
        pdf = tmp_path / f"{path.stem}.pdf"
        write_pdf(path.read_text(encoding="utf-8"), pdf)
        text = pdftotext(pdf, layout)
        assert text is not None
        assert reading(text, str(path), bundled_library(), bundled_patterns()) == baseline(path), path.name


def _train_pdfs() -> list[tuple[Path, Path]]:
    return [(p, SHARED / "dwc-pdfs" / f"{p.stem}.pdf") for p in _train() if p.stem.startswith("CM")]


@needs_shared
def test_published_pdfs_read_the_same_as_their_text() -> None:
    pairs = _train_pdfs()
    assert len(pairs) == 117
    bad = []
    for path, pdf in pairs:
        text = pdf_text(pdf.read_bytes(), pdf).text
        if reading(text, str(pdf), bundled_library(), bundled_patterns()) != baseline(path):
            bad.append(pdf.name)
    assert bad == []


@needs_shared
@needs_pdftotext
@pytest.mark.parametrize("layout", [False, True])
def test_published_pdfs_through_pdftotext_read_the_same_items(layout: bool) -> None:
    """Items, decisions and services must match; a fact may differ where pdftotext changed the words
    (it removes the hyphen of a compound broken at a line end: "anti-" / "anxiety" -> "antianxiety")."""
    bad = []
    for path, pdf in _train_pdfs():
        text = pdftotext(pdf, layout)
        assert text is not None
        if reading(text, str(pdf), bundled_library(), bundled_patterns())["items"] != baseline(path)["items"]:
            bad.append(pdf.name)
    assert bad == []


# --------------------------------------------------------------------------------------------------
# The CLI: PDFs, bad PDFs, standard input, folders


def _letter_pdf(tmp_path: Path, name: str = "letter.pdf") -> Path:
    pdf = tmp_path / name
    write_pdf((HERE / "letters" / "dwc_style.txt").read_text(encoding="utf-8"), pdf)
    return pdf


def test_extract_a_pdf_records_its_digest_and_offsets_into_its_text(tmp_path: Path) -> None:
    pdf = _letter_pdf(tmp_path)
    result = CliRunner().invoke(main, ["extract", str(pdf), "--format", "json"])
    assert result.exit_code == 0, result.output
    case = json.loads(result.output)
    assert case["extraction"]["pdf_digest"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    text = pdf_text(pdf.read_bytes(), pdf).text
    assert case["extraction"]["letter_digest"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    evidence = [ev for f in case["facts"].values() for ev in f["evidence"]]
    assert evidence
    for ev in evidence:
        assert normalise(text[ev["start"] : ev["end"]]).text.split() == ev["quote"].split()


def test_check_a_folder_mixing_pdf_and_text(tmp_path: Path) -> None:
    _letter_pdf(tmp_path, "a.pdf")
    shutil.copy(HERE / "letters" / "seed_style.txt", tmp_path / "b.txt")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    assert sorted(Path(letter["source"]).name for letter in report["letters"]) == ["a.pdf", "b.txt"]


def test_letter_from_standard_input() -> None:
    text = (HERE / "letters" / "dwc_style.txt").read_bytes()
    result = CliRunner().invoke(main, ["extract", "-", "--format", "json"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["letter"] == "<stdin>"
    checked = CliRunner().invoke(main, ["check", "-"], input=text)
    assert checked.exit_code in (0, 1), checked.output
    assert "items read" not in checked.output  # one letter: no folder summary


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda pdf: pdf.write_bytes(pdf.read_bytes()[:600]), "cannot read the PDF: it is damaged"),
        (lambda pdf: write_pdf("", pdf), "the PDF has no text layer"),
        (
            lambda pdf: pdf.write_bytes(
                pdf.read_bytes().replace(
                    b"trailer\n<< /Size",
                    b"trailer\n<< /Encrypt << /Filter /Standard /V 1 /R 2 /O <"
                    + b"00" * 32
                    + b"> /U <"
                    + b"11" * 32
                    + b"> /P -4 >> /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] /Size",
                )
            ),
            "the PDF is encrypted",
        ),
        (lambda pdf: pdf.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256))), "not a PDF (no %PDF- signature"),
        (lambda pdf: pdf.write_text("plain words saved under the wrong name"), "not a PDF (no %PDF- signature"),
    ],
    ids=["truncated", "scan", "encrypted", "image-named-pdf", "text-named-pdf"],
)
def test_a_pdf_that_cannot_be_read_is_one_line_and_exit_2(tmp_path: Path, make: Any, message: str) -> None:
    pdf = _letter_pdf(tmp_path)
    make(pdf)
    for command in (["check", str(pdf)], ["extract", str(pdf)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2
        lines = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert len(lines) == 1 and f"{pdf}: {message}" in lines[0], result.output
        assert "Traceback" not in result.output


def test_a_folder_with_nothing_to_read_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("not a letter")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path}: no letters (.txt, .pdf) or case files (.yaml) in this folder" in result.output
