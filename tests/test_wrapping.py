"""Letters re-wrapped at any width read the same: a section heading a wrap broke over two lines (and glued
to the text around it), the summary's introducing sentence sharing its line with the first finding, and a
hyphenated name broken at its hyphen before a capital. Invented letters, plus the train letters."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from imr_rules.reading.letter import parse_letter

from .conftest import SHARED, bundled_library, bundled_patterns, needs_shared
from .transforms import reading, rewrap

OWN = sorted(p for p in (Path(__file__).parent / "letters").rglob("*.txt") if p.name != "no_decisions.txt")

GLUED = (
    "Case Number: CM99-0000777\nDate Assigned: 02/02/2017 Date of Injury:  06/01/2016\n"
    "Decision Date: 03/01/2017 UR Denial Date:  01/20/2017\nPriority:  Standard\n\n"
    "The Expert Reviewer has the following credentials: Certification(s)/Specialty: Family Practice CLINICAL CASE\n"
    "SUMMARY The expert reviewer developed the following clinical case summary based on a review of the case\n"
    "file, including all medical records: This fictional worker is a 51 year old female nurse with neck pain.\n"
    "IMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed "
    "items/services set forth below:\n\nPre-operative coagulation panel: Prothrombin time-\nPartial "
    "thromboplastin time: Upheld\n\nClaims Administrator guideline: Decision based on MTUS.\n\nMAXIMUS\n"
    "guideline: Decision based on ODG.\n\nDecision rationale: The request is not medically necessary.\n"
)


def test_a_heading_broken_and_glued_by_a_wrap_is_still_a_heading() -> None:
    letter = parse_letter(GLUED, "glued.txt")
    summary = GLUED[letter.summary_span.start : letter.summary_span.end]
    assert summary.startswith("This fictional worker is a 51 year old female")
    (item,) = letter.items
    assert item.decision == "Upheld"
    assert item.rationale.startswith("The request is not medically necessary")


def test_a_name_broken_at_its_hyphen_before_a_capital_keeps_its_hyphen() -> None:
    data = reading(GLUED, "glued.txt", bundled_library(), bundled_patterns())
    assert data["items"][0][0] == "Pre-operative coagulation panel: Prothrombin time-Partial thromboplastin time"
    assert data["facts"]["age"] == 51


@pytest.mark.parametrize("width", [40, 45, 50, 55, 65, 75, 90])
def test_own_letters_read_the_same_at_any_width(width: int) -> None:
    for path in OWN:
        text = path.read_text(encoding="utf-8")
        wrapped = rewrap(width)(text, path.stem)
        assert reading(wrapped, str(path), bundled_library(), bundled_patterns()) == reading(
            text, str(path), bundled_library(), bundled_patterns()
        ), path


@needs_shared
@pytest.mark.parametrize("width", [45, 55])
def test_train_letters_read_the_same_at_narrow_widths(width: int) -> None:
    with open(SHARED / "dwc-split.csv", encoding="utf-8") as handle:
        train = {r["case_number"] for r in csv.DictReader(handle) if r["split"] == "train"}
    letters = [p for p in sorted((SHARED / "dwc-letters").glob("*.txt")) if p.stem in train]
    letters += sorted((SHARED / "letters").glob("*.txt"))
    for path in letters:
        text = path.read_text(encoding="utf-8")
        wrapped = rewrap(width)(text, path.stem)
        assert reading(wrapped, str(path), bundled_library(), bundled_patterns()) == reading(
            text, str(path), bundled_library(), bundled_patterns()
        ), path


def test_a_header_table_read_column_by_column_pairs_labels_and_values() -> None:
    """pdftotext (default) gives the header's labels as one column, then their values as another."""
    columns = (
        "Case Number:\nDate Assigned:\nDecision Date:\nPriority:\n\nCM99-0000123\n01/02/2017\n02/03/2017\n"
        "Expedited\n\nDate of Injury:\nUR Denial Date:\nApplication\nReceived:\n\n05/06/2015\n12/20/2016\n"
        "01/05/2017\n\n"
    )
    header = parse_letter(columns + GLUED.split("\n\n", 1)[1], "columns.txt").header
    assert header is not None
    assert header.case_number == "CM99-0000123" and header.priority == "Expedited"
    assert str(header.date_assigned) == "2017-01-02" and str(header.decision_date) == "2017-02-03"
    assert str(header.date_of_injury) == "2015-05-06" and str(header.ur_denial_date) == "2016-12-20"
    assert str(header.application_received) == "2017-01-05"
