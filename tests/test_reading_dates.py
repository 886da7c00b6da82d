"""The date of injury read from the summary's prose when the letter's header has none (a letter a user
wrote or pasted without the IMR header block): the ways clinicians state it, and what is not it. Every
sentence goes through the real extraction; the sentences are invented."""

from __future__ import annotations

import pytest

from imr_rules.reading.extract import extract_case
from imr_rules.reading.letter import parse_letter

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text


def injury_date(sentence: str) -> str | None:
    text = letter_text(f"The patient is a 51-year-old warehouse worker. {sentence}", injury="")
    data = extract_case(parse_letter(text, "dates.txt"), text, bundled_library(), bundled_patterns())
    return data.dates.get("injury")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("She sustained an industrial injury on 3/2/2014 while lifting boxes.", "2014-03-02"),
        ("He was injured at work on March 2, 2014.", "2014-03-02"),
        ("Date of injury: 03-02-2014.", "2014-03-02"),
        ("The date of injury is 2014-03-02.", "2014-03-02"),
        ("DOI 3/2/14; she reports low back pain since then.", "2014-03-02"),
        ("He hurt his right shoulder on or about 2 March 2014 when he slipped on a wet floor.", "2014-03-02"),
        ("The claimant reports a work-related injury dated 03/02/2014.", "2014-03-02"),
        ("She fell from a ladder at work on Mar. 2, 2014, injuring her knee.", "2014-03-02"),
        ("He strained his lower back lifting a pallet on 03/02/2014.", "2014-03-02"),
        ("She twisted her right knee stepping off a forklift on March 2, 2014.", "2014-03-02"),
    ],
)
def test_the_injury_date_stated_in_prose_is_read(sentence: str, expected: str) -> None:
    assert injury_date(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "She was seen on 3/2/2014 for a follow-up of her low back pain.",  # a visit, not the injury
        "An MRI on 03/02/2014 showed a disc protrusion at L4-5.",  # a test's date
        "Utilization review dated 3/2/2014 non-certified the request.",  # UR's date
        "He denies any prior injury to the knee.",  # no date at all
    ],
)
def test_other_dates_are_not_the_injury_date(sentence: str) -> None:
    assert injury_date(sentence) is None


def test_the_header_date_wins_over_the_prose() -> None:
    text = letter_text("She sustained an industrial injury on 3/2/2014.", injury="01/05/2015")
    data = extract_case(parse_letter(text, "dates.txt"), text, bundled_library(), bundled_patterns())
    assert data.dates["injury"] == "2015-01-05"


def test_a_letter_without_its_header_says_where_its_dates_come_from() -> None:
    def warning(summary: str) -> str:
        full = letter_text(f"The patient is a 51-year-old warehouse worker. {summary}", injury="")
        text = full[full.index("HOW THE IMR FINAL DETERMINATION") :]  # pasted without the header block
        data = extract_case(parse_letter(text, "pasted.txt"), text, bundled_library(), bundled_patterns())
        return next(w for w in data.extraction.warnings if w.startswith("no header block"))

    found = warning("He strained his lower back lifting a pallet on 03/02/2014.")
    assert "(found: injury)" in found and "add `dates:` (request)" in found
    assert "add `dates:` (injury, request)" in warning("He reports low back pain.")
