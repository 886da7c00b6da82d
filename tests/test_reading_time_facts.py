"""The time facts from a letter's dates, through the real reader: the request's date (the visit or request
for authorization that made the request, facts.yaml `request_dates`; else utilization review's decision
date), and what counts to it: weeks_since_injury, chronic_pain_3_months (false under 90 days too) and
acute_phase; words that date the pain before the injury; severe_acute_injury from the injury's kind.
Every sentence is invented; the letter is the fictional template of test_reading_quantities."""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules.reading.extract import extract_text

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text

INTRO = "This fictional claimant is a 38 year old female cook with neck pain."
INJURY, UR = "10/03/2016", "11/28/2016"  # 56 days apart: 8.0 weeks
TRAMADOL = "Tramadol 50mg #60"


def _read(summary: str, item: str = TRAMADOL, injury: str = INJURY, ur: str = UR) -> Any:
    text = letter_text(f"{INTRO} {summary}", item, injury=injury, ur=ur)
    return extract_text(text, "dates.txt", bundled_library(), bundled_patterns())


def _value(summary: str, fact: str, **kw: str) -> object:
    found = _read(summary, **kw).facts.get(fact)
    return None if found is None else found.value


# --- the request's date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The request for authorization was signed on 11-14-2016.",
        "Her physician's RFA form dated November 14, 2016 asked for tramadol.",
        "A request for authorization (received on 11/14/2016) lists the medication.",
        "On 11/14/2016, the requesting physician prescribed tramadol for her neck.",
        "Utilization review referenced a November 14, 2016 date of service in its denial.",
        "The claimant was seen in the clinic on 11/14/16 for neck pain.",
        "On 11-14-2016 the injured worker reported pain rated 6/10.",
        "The progress note dated 11/14/2016 describes neck pain.",
    ],
)
def test_the_request_is_dated_by_the_visit_or_authorization_that_made_it(sentence: str) -> None:
    data = _read(sentence)
    assert data.dates["request"] == "2016-11-14"
    weeks = data.facts["weeks_since_injury"]
    assert weeks.value == 6.0 and weeks.inferred is True  # 42 days, not the 56 to UR's decision
    assert weeks.evidence[0].quote == f"Date of Injury: {INJURY}"  # the label's own date, not Date Assigned's
    assert "14" in weeks.evidence[1].quote and weeks.evidence[1].section == "summary"


@pytest.mark.parametrize(
    "sentence",
    [
        "An MRI of the cervical spine dated 11/14/2016 showed a disc bulge.",  # a study's date, not a visit
        "She underwent a carpal tunnel release on 11/14/2016.",  # an operation's date
        "On 12/06/16 the claimant reported pain rated 6/10.",  # after utilization review's decision
        "On 09/14/2016 the claimant reported pain rated 6/10.",  # before the injury
        "Guidelines ask for a request for authorization to be dated.",  # no date at all
    ],
)
def test_without_a_request_date_utilization_reviews_decision_stands_for_it(sentence: str) -> None:
    data = _read(sentence)
    assert "request" not in data.dates
    weeks = data.facts["weeks_since_injury"]
    assert weeks.value == 8.0  # 56 days to UR's decision; IMR's Date Assigned (12/01/2016) is never used
    assert weeks.evidence[1].quote == f"UR Denial Date: {UR}"


def test_a_request_for_authorization_outranks_a_later_visit_and_the_latest_of_a_kind_wins() -> None:
    rfa = "The RFA was dated 11/07/2016. On 11/21/2016 the claimant returned with neck pain."
    assert _read(rfa).dates["request"] == "2016-11-07"
    visits = "On 10/17/2016 the claimant reported neck pain. On 11/21/2016 the claimant reported less pain."
    assert _read(visits).dates["request"] == "2016-11-21"


# --- what counts to it: pain of three months and the phase -------------------------------------------------


def test_the_phase_is_the_one_at_the_request_not_at_utilization_reviews_decision() -> None:
    # injured 08/20/2016: 86 days to the 11/14 visit that asked for the care, 100 to UR's decision
    at_visit = "On November 14, 2016 the treating physician requested tramadol."
    assert _value(at_visit, "chronic_pain_3_months", injury="08/20/2016") is False
    assert _value(at_visit, "acute_phase", injury="08/20/2016") is True
    assert _value("She reports neck pain.", "chronic_pain_3_months", injury="08/20/2016") is True
    assert _value("She reports neck pain.", "acute_phase", injury="08/20/2016") is False


def test_pain_under_three_months_from_the_dates_is_not_chronic_and_is_inferred_with_the_dates() -> None:
    data = _read("The request for authorization is dated 11/14/2016.", item="TENS unit purchase")
    fact = data.facts["chronic_pain_3_months"]
    assert fact.value is False and fact.inferred is True
    assert fact.evidence[0].quote == f"Date of Injury: {INJURY}"


@pytest.mark.parametrize(
    "sentence",
    [
        "She has had neck pain for two years, long before this claim.",
        "The claimant describes longstanding neck pain.",
        "Her neck symptoms began three years ago.",
    ],
)
def test_words_dating_the_pain_before_the_injury_stand_and_leave_the_weeks_out(sentence: str) -> None:
    data = _read(sentence)
    phase = data.facts["acute_phase"]
    assert phase.value is False and not phase.inferred  # the words say it: their sentence is the evidence
    assert [e.section for e in phase.evidence] == ["summary"]
    assert "weeks_since_injury" not in data.facts  # the injury does not date the pain's onset
    assert any("began before the injury" in w for w in data.extraction.warnings)


def test_pain_for_weeks_after_a_recent_injury_keeps_the_weeks() -> None:
    data = _read("She has had neck pain for three weeks.")
    assert data.facts["weeks_since_injury"].value == 8.0 and data.facts["acute_phase"].value is True


# --- a severe acute injury (Opioids Treatment Guidelines 2016, 1.1 and 1.3) ---------------------------------


# adopted by test_reading_suites' audit (SEVERE_READ, SEVERE_FALSE, SEVERE_NONE)
SEVERE = "severe_acute_injury"
SEVERE_READ = [
    "Radiographs showed a nondisplaced fracture of the left fifth metatarsal.",
    "She fell from a ladder and fractured her right wrist.",
    "The diagnosis is a crush injury of the left hand.",
    "He sustained multiple trauma in a forklift rollover.",
    "The emergency room reduced a dislocated left shoulder.",
    "Second-degree burns of the forearm were dressed.",
    "The diagnosis is a lumbar sprain; x-rays also show a displaced fracture of the left radius.",
]
SEVERE_FALSE = [
    "The diagnoses are a cervical sprain and a contusion of the left hip.",
    "She is treated for a strain of the trapezius muscle.",
    "The injury is described as cumulative trauma from repetitive lifting.",
    "X-rays were negative for fracture; the diagnosis is a wrist sprain.",
]
SEVERE_NONE = [
    "X-rays of the wrist were negative for fracture.",  # ruled out: says nothing of other severe injuries
    "The plan is to rule out a scaphoid fracture with an MRI.",
    "She has a history of a healed fracture of the left ankle.",
    "He had an old fracture of the right clavicle.",
    "She was given a fracture boot for comfort.",
    "Opioids may be used after a severe acute injury such as a fracture.",  # the guideline restated
    "She complains of a burning sensation in the forearm.",
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [(s, True) for s in SEVERE_READ] + [(s, False) for s in SEVERE_FALSE] + [(s, None) for s in SEVERE_NONE],
)
def test_the_injurys_kind_decides_a_severe_acute_injury(sentence: str, expected: bool | None) -> None:
    assert _value(sentence, SEVERE) is expected


def test_the_phases_own_words_against_recent_dates_leave_it_out_but_keep_the_weeks() -> None:
    data = _read("The reviewer finds the claimant beyond the acute phase of the injury.")
    assert "acute_phase" not in data.facts
    assert data.facts["weeks_since_injury"].value == 8.0  # no words date the pain before the injury
