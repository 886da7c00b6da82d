"""Each reading stage alone, on its typed input (invented sentences, no letter): a fact read from a pool of
sentences (`facts`), a dependent item's primary (`requests`), the treatment history (`history`), facts from
the dates (`extract`), and the letter as read (`models.extracted`) as the case file writes it."""

from __future__ import annotations

import pytest
import yaml

from imr_rules.models import Letter
from imr_rules.models.extracted import DateKey, ExtractedItem, ExtractedLetter, ExtractionInfo, ReadEvidence, ReadFact
from imr_rules.models.extraction import SinceInjury
from imr_rules.reading.casefile import case_from_data, dump_case
from imr_rules.reading.extract import _date_line, _from_dates, extract_case
from imr_rules.reading.facts import evidence_of, read_entry
from imr_rules.reading.history import course_from_history, derive, visits_from_history
from imr_rules.reading.letter import parse_letter
from imr_rules.reading.requests import link_primary
from imr_rules.reading.sentences import Sentence

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text as _letter_text


def _summary(*texts: str) -> list[Sentence]:
    out, at = [], 0
    for text in texts:
        out.append(Sentence(text, at, at + len(text), "summary"))
        at += len(text) + 1
    return out


def _fact_pattern(name: str):  # type: ignore[no-untyped-def]
    return next(p for p in bundled_patterns().facts.facts if p.fact == name)


# --- facts ------------------------------------------------------------------------------------------------


def test_a_fact_is_read_with_the_sentence_it_came_from() -> None:
    pool = _summary("She lifted a crate at work.", "Examination finds no red flags at all.")
    warnings: list[str] = []
    read = read_entry(_fact_pattern("red_flags_present"), bundled_patterns(), bundled_library(), pool, warnings, "")
    assert read == ReadFact(value=False, evidence=[evidence_of(pool[1])])
    assert read.evidence[0] == ReadEvidence(quote=pool[1].text, start=28, end=66, section="summary")
    assert not warnings


def test_a_fact_not_mentioned_is_not_read() -> None:
    pool = _summary("She lifted a crate at work.")
    assert read_entry(_fact_pattern("red_flags_present"), bundled_patterns(), bundled_library(), pool, [], "") is None


# --- requests ---------------------------------------------------------------------------------------------


def test_a_dependent_items_primary_and_its_status_from_the_summary() -> None:
    summary = _summary("The proposed spinal fusion is pending authorization from the carrier.")
    facts: dict[str, ReadFact] = {}
    # no procedure item in the letter: `letter` is not read, only the sentences
    primary = link_primary("", facts, 0, Letter.model_construct(), bundled_patterns(), [], summary, [])
    assert primary == "proposed spinal fusion"
    assert facts["primary_procedure"].value == "fusion"
    assert facts["primary_status"] == ReadFact(value="not_established", evidence=[evidence_of(summary[0])])


def test_no_primary_when_the_text_names_none() -> None:
    facts: dict[str, ReadFact] = {}
    summary = _summary("Her shoulder aches when she reaches overhead.")
    assert link_primary("", facts, 0, Letter.model_construct(), bundled_patterns(), [], summary, []) is None
    assert facts == {}


# --- history ----------------------------------------------------------------------------------------------


def test_visits_had_document_a_prior_course() -> None:
    summary = _summary("To date he has attended ten sessions of physiotherapy for the knee.")
    facts: dict[str, ReadFact] = {}
    warnings: list[str] = []
    visits_from_history("Physiotherapy x 8", facts, "physical_therapy", bundled_patterns(), summary, [], warnings)
    assert facts["prior_visits_completed"] == ReadFact(value=10, evidence=[evidence_of(summary[0])])
    assert facts["prior_course_completed"].value is True and not warnings


def test_a_stated_course_is_not_read_again() -> None:
    stated = ReadFact(value=True, evidence=[ReadEvidence(quote="x", start=0, end=1, section="item_name")])
    facts = {"prior_course_completed": stated}
    summary = _summary("He never had any physical therapy for the wrist.")
    course_from_history(facts, "physical_therapy", bundled_patterns(), summary, [])
    assert facts == {"prior_course_completed": stated}
    facts = {}
    course_from_history(facts, "physical_therapy", bundled_patterns(), summary, [])
    assert facts["prior_course_completed"].value is False


def test_the_total_of_visits_sums_its_parts_and_is_inferred_when_a_part_is() -> None:
    first, second = (ReadEvidence(quote=q, start=0, end=5, section="summary") for q in ("one", "two"))
    facts = {
        "prior_course_completed": ReadFact(value=False, evidence=[first], inferred=True),
        "requested_visits": ReadFact(value=6, evidence=[second, second]),
    }
    derive(facts, {}, bundled_patterns())
    # no course had: no visits completed (0), from the inferred course, so the total is inferred too
    assert facts["treatment_visits_total"] == ReadFact(value=6, evidence=[first, second], inferred=True)
    stated = {
        "prior_visits_completed": ReadFact(value=4, evidence=[first]),
        "requested_visits": facts["requested_visits"],
    }
    derive(stated, {}, bundled_patterns())
    assert stated["treatment_visits_total"] == ReadFact(value=10, evidence=[first, second])


# --- extract: facts from the dates ------------------------------------------------------------------------

_DATES: dict[DateKey, str] = {"injury": "2020-03-02", "ur_decision": "2020-04-01"}
_DATES_TEXT = "Date of Injury: 03/02/2020\nUR Date: 04/01/2020\nShe slipped on a wet floor.\n"


def test_a_span_since_the_injury_is_inferred_with_both_date_lines() -> None:
    facts: dict[str, ReadFact] = {}
    warnings: list[str] = []
    _from_dates("recent", SinceInjury(below_days=90), _DATES_TEXT, _DATES, facts, warnings)
    assert facts["recent"].value is True and facts["recent"].inferred
    assert [e.quote for e in facts["recent"].evidence] == ["Date of Injury: 03/02/2020", "UR Date: 04/01/2020"]
    assert not warnings


def test_words_that_contradict_the_dates_leave_the_fact_out() -> None:
    words = ReadFact(value=False, evidence=[ReadEvidence(quote="w", start=0, end=1, section="summary")])
    facts = {"recent": words}
    warnings: list[str] = []
    _from_dates("recent", SinceInjury(below_days=90), _DATES_TEXT, _DATES, facts, warnings)
    assert facts == {} and len(warnings) == 1 and "30 days apart" in warnings[0]


def test_a_date_line_is_found_in_any_of_the_forms_letters_write() -> None:
    import datetime as dt

    found = _date_line("Seen on\n  March 2, 2020  \n", dt.date(2020, 3, 2))
    assert found == ReadEvidence(quote="March 2, 2020", start=10, end=23, section="header")
    assert _date_line("no date", dt.date(2020, 3, 2)) is None


# --- the letter as read, as the case file writes it -------------------------------------------------------


def _read_letter() -> ExtractedLetter:
    ev = ReadEvidence(quote="She is 40.", start=3, end=13, section="summary")
    return ExtractedLetter(
        case="CM00-0000001",
        letter="letter.txt",
        extraction=ExtractionInfo(tool="t", letter_digest="d", layout="plain", pdf_digest="p"),
        dates={"injury": "2020-03-02"},
        facts={"age": ReadFact(value=40, evidence=[ev])},
        items=[
            ExtractedItem(item="Odd thing", decision="Upheld"),
            ExtractedItem(
                item="Naproxen",
                service="nsaid",
                decision="Overturned",
                primary="surgery",
                facts={"medication_previously_used": ReadFact(value=False, evidence=[ev], inferred=True)},
            ),
        ],
    )


def test_the_letter_as_read_is_written_in_the_case_files_order() -> None:
    data = _read_letter().to_data()
    assert list(data) == ["case", "letter", "extracted", "extraction", "dates", "facts", "items"]
    assert list(data["extraction"]) == ["tool", "letter_digest", "layout", "warnings", "pdf_digest"]
    assert data["items"][0] == {"item": "Odd thing", "decision": "Upheld"}  # no service, primary or facts
    assert list(data["items"][1]) == ["item", "service", "decision", "primary", "facts"]
    assert data["items"][1]["facts"]["medication_previously_used"]["inferred"] is True
    assert "inferred" not in data["facts"]["age"]
    assert dump_case(_read_letter()) == dump_case(data)
    assert "&id" not in dump_case(data)  # no YAML anchors: every evidence is its own mapping
    assert yaml.safe_load(dump_case(data)) == data


def test_the_letter_as_read_is_a_valid_case() -> None:
    case = case_from_data(_read_letter(), bundled_library()).case
    assert case.extracted and case.facts["age"].value == 40
    assert case.items[1].facts["medication_previously_used"].inferred


def test_a_read_fact_needs_offsets_for_its_evidence() -> None:
    with pytest.raises(ValueError):
        ReadEvidence.model_validate({"quote": "x", "section": "summary"})


def test_mentions_that_disagree_are_left_out_with_the_words_that_read_each_value() -> None:
    summary = (
        "The patient is a 51-year-old warehouse worker. She has failed conservative care. "
        "Conservative care has not failed; she is improving with therapy."
    )
    text = _letter_text(summary, item="MRI of the lumbar spine")
    data = extract_case(parse_letter(text, "mentions.txt"), text, bundled_library(), bundled_patterns())
    warning = next((w for w in data.extraction.warnings if "mentions disagree" in w), None)
    assert warning is not None, data.extraction.warnings
    fact = warning.split(":", 1)[0]
    assert fact not in data.facts
    # each sentence once, and the words behind each value
    assert warning.count("Conservative care has not failed;") == 1
    assert "-> True" in warning and "-> False" in warning
