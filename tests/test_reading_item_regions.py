"""An item's region and what it asks for, read from the letter's structure (items10).

- A post-operative item naming no body part (therapy, a cold unit, a sling) is for the region of the
  surgery it belongs to: its primary item's service region, or the region its name names; never when its
  own name names a body part ("compression wraps for both legs").
- A course of visits naming no region takes the one region the diagnoses name, except when another item of
  the letter is for another region (then the course may be for either); a manipulation course takes that
  region as the regions treated too (the manipulation rule reads `treated_regions`).
- A pre-operative lab item's name gives the tests it asks for, by ODG's groups.

Every sentence and item name is invented, never copied from a letter; each goes through the real reader.
"""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules.models.extracted import ExtractedLetter
from imr_rules.reading.extract import extract_text

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text
from .test_reading_suites import INTRO

BLOCK = """
{item}: Upheld

Claims Administrator guideline: The Claims Administrator did not cite any medical evidence for its
decision.

MAXIMUS guideline: Decision based on MTUS.

Decision rationale: {rationale}
"""


def _letter(summary: str, *items: str | tuple[str, str]) -> ExtractedLetter:
    """A letter with these items in order (a name, or a name and its rationale), read by the real reader."""
    named = [(it, "The request is not medically necessary.") if isinstance(it, str) else it for it in items]
    text = letter_text(f"{INTRO} {summary}", named[0][0], rationale=named[0][1])
    text += "".join(BLOCK.format(item=name, rationale=why) for name, why in named[1:])
    data = extract_text(text, "regions.txt", bundled_library(), bundled_patterns())
    assert [it.item for it in data.items] == [name for name, _ in named]
    return data


def _fact(data: ExtractedLetter, index: int, fact: str) -> Any:
    found = data.items[index].facts.get(fact)
    return None if found is None else found.value


# --- a post-operative item's region is its surgery's -------------------------------------------------------

SURGERY_SUMMARY = "She has had knee pain for a year and the surgeon recommends an operation."


@pytest.mark.parametrize(
    ("procedure", "dependent", "body"),
    [
        (
            "Left knee arthroscopy with partial medial meniscectomy",
            "Post-operative physical therapy, 12 visits",
            "knee",
        ),
        (
            "Left knee arthroscopy with partial medial meniscectomy",
            "Associated surgical service: cold therapy unit, 7 days",
            "knee",
        ),
        ("Arthroscopic rotator cuff repair, left", "Postop PT x12", "shoulder"),
        ("Arthroscopic rotator cuff repair, left", "Associated surgical service: abduction sling", "shoulder"),
        ("Right carpal tunnel release", "Post-op occupational therapy x8", "wrist_hand"),
    ],
)
def test_a_post_operative_item_is_for_the_region_of_its_surgery(procedure: str, dependent: str, body: str) -> None:
    data = _letter(SURGERY_SUMMARY, procedure, dependent)
    assert data.items[1].primary == procedure
    assert _fact(data, 1, "body_region") == body
    assert data.items[1].facts["body_region"].evidence[0].quote == procedure  # the surgery's heading


@pytest.mark.parametrize(
    ("procedure", "dependent"),
    [
        # its own name names a body part: the wraps are for the legs, not the knee operated on
        (
            "Left knee arthroscopy with partial medial meniscectomy",
            "Associated surgical service: compression wraps for both legs",
        ),
        # a pre-operative item is for the patient, not a region
        ("Left knee arthroscopy with partial medial meniscectomy", "Pre-operative medical clearance"),
        ("Left knee arthroscopy with partial medial meniscectomy", "Pre-op labs: CBC"),
    ],
)
def test_an_item_naming_a_body_part_or_before_surgery_takes_no_region_from_it(procedure: str, dependent: str) -> None:
    data = _letter(SURGERY_SUMMARY, procedure, dependent)
    assert _fact(data, 1, "body_region") is None


def test_a_course_of_therapy_that_is_not_post_operative_takes_no_region_from_a_surgery() -> None:
    """Only a dependent item's primary gives its region: ordinary therapy beside a surgery item does not."""
    data = _letter(SURGERY_SUMMARY, "Left knee arthroscopy with partial medial meniscectomy", "Physical therapy x6")
    assert _fact(data, 1, "body_region") is None


# --- a course naming no region: the diagnoses, unless another item is for another region ------------------

LUMBAR_DX = "Her diagnoses are lumbar strain and lumbar radiculitis."


def test_a_course_takes_the_one_region_of_the_diagnoses() -> None:
    data = _letter(LUMBAR_DX, "X-rays of the lumbar spine, two views", "Physical therapy x6")
    assert _fact(data, 1, "body_region") == "lumbar"


@pytest.mark.parametrize(
    "other", ["X-rays of the right shoulder", "MRI of the left knee", "Cortisone injection to the right wrist"]
)
def test_a_course_beside_an_item_for_another_region_takes_none_from_the_diagnoses(other: str) -> None:
    data = _letter(LUMBAR_DX, other, "Physical therapy x6")
    assert _fact(data, 1, "body_region") is None


@pytest.mark.parametrize(
    ("summary", "treated"),
    [
        (LUMBAR_DX, ["low_back"]),
        ("He is being treated for a cervical sprain with muscle spasm.", ["neck"]),
        ("Impression: thoracic strain.", ["thoracic"]),
    ],
)
def test_a_manipulation_course_naming_no_region_treats_the_diagnosed_one(summary: str, treated: list[str]) -> None:
    data = _letter(summary, "Spinal manipulation once a week for 8 weeks")
    assert _fact(data, 0, "treated_regions") == treated


def test_a_therapy_course_whose_rules_do_not_read_the_regions_treated_gets_only_its_body_region() -> None:
    data = _letter(LUMBAR_DX, "Physical therapy x6")
    assert _fact(data, 0, "body_region") == "lumbar"
    assert _fact(data, 0, "treated_regions") is None


def test_a_manipulation_course_beside_another_regions_item_treats_no_region_from_the_diagnoses() -> None:
    data = _letter(LUMBAR_DX, "MRI of the left knee", "Spinal manipulation once a week for 8 weeks")
    assert _fact(data, 1, "treated_regions") is None


# --- the tests a pre-operative lab item asks for ------------------------------------------------------------


# a suite the audit of tests/test_reading_suites.py counts (PREOP_READ: the item's name and the tests read;
# PREOP_NONE: the item's name and its service, no test read)
PREOP = "preop_tests_requested"
PREOP_READ = [
    ("Associated surgical service: labs - complete blood count", ["cbc"]),
    ("Pre-op labs: PT/INR and PTT", ["coagulation"]),
    ("Preoperative labs: urinalysis", ["urinalysis"]),
    ("Pre-operative labs - BMP", ["electrolytes_creatinine"]),
    ("Preoperative labs: comprehensive metabolic panel, CBC", ["cbc", "electrolytes_creatinine"]),
    ("Pre-op labs: hemoglobin A1c", ["hba1c"]),
    ("Pre-op labs: fasting glucose", ["glucose"]),
]
PREOP_NONE = [
    ("Pre-op labs", "preop_labs"),  # no test named
    ("Preoperative laboratory testing", "preop_labs"),
    ("Pre-operative blood work", "preop_labs"),
    ("Pre-op labs as ordered", "preop_labs"),
    ("Post-op PT/OT x12", "postop_pt"),  # therapy, not prothrombin time
]


@pytest.mark.parametrize(("name", "tests"), PREOP_READ)
def test_a_preop_lab_items_name_gives_its_tests(name: str, tests: list[str]) -> None:
    data = _letter(SURGERY_SUMMARY, "Left knee arthroscopy with partial medial meniscectomy", name)
    assert data.items[1].service == "preop_labs"
    assert sorted(_fact(data, 1, PREOP)) == tests


@pytest.mark.parametrize(("name", "service"), PREOP_NONE)
def test_no_tests_are_read_where_none_is_named(name: str, service: str) -> None:
    data = _letter(SURGERY_SUMMARY, "Left knee arthroscopy with partial medial meniscectomy", name)
    assert data.items[1].service == service
    assert _fact(data, 1, "preop_tests_requested") is None


def test_a_lab_test_named_in_the_prose_is_not_the_items_request() -> None:
    summary = f"{SURGERY_SUMMARY} A CBC and a urinalysis last month were normal."
    data = _letter(summary, "Left knee arthroscopy with partial medial meniscectomy", "Pre-op labs")
    assert _fact(data, 1, "preop_tests_requested") is None


def test_the_regions_treated_from_the_diagnoses_are_marked_inferred() -> None:
    """The request names no region: the regions treated are worked out, and say so."""
    data = _letter(LUMBAR_DX, "Spinal manipulation once a week for 8 weeks")
    assert data.items[0].facts["treated_regions"].inferred is True
