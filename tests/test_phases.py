"""The acute/chronic phase gate and the MTUS's order (issue 13, rule-audit.md X-D and 4b), through the real engine.

The Chronic Pain Medical Treatment Guidelines cover chronic pain (2009: pain persisting beyond the time of
healing; 2016 and 8 CCR 9792.20: three months or more), so their rules say `phase: chronic`; an item under
three months goes to the rules of its phase (8 CCR 9792.21.1); where no rule of its phase is encoded and the
service's rules all cover one other phase, they are applied as the nearest MTUS text and the basis says so.
An item whose phase is not documented is never guessed into one where rules of both phases exist.
"""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules import evaluate
from imr_rules.models import Determination
from imr_rules.models.extracted import ReadFact
from imr_rules.output.report import render_text
from imr_rules.reading.extract import _weeks_from_dates
from imr_rules.reading.facts import facts_used

from .conftest import bundled_library, make_case

PT = {
    "item": "Physical therapy 2x4 for the low back",
    "service": "physical_therapy",
    "facts": {"body_region": "lumbar", "requested_visits": 8, "prior_course_completed": False},
}


def _decide(item: dict[str, Any], facts: dict[str, Any], **dates: str) -> Determination:
    loaded = make_case(bundled_library(), [item], facts, dates=dates or {"request": "2017-01-10"})
    (det,) = evaluate(loaded, bundled_library()).determinations
    return det


def _supports(det: Determination) -> list[str]:
    return [r.id for r in det.rules if r.effect == "supports"]


def _inferred(value: object) -> dict[str, Any]:
    return {"value": value, "inferred": True}


NSAID = {"item": "Naproxen 550mg #60", "service": "nsaid", "facts": {"medication_previously_used": False}}


@pytest.mark.parametrize("request_date", ["2015-06-01", "2017-01-10"])  # the 2009 and the 2016 CPMTG editions
def test_the_chronic_pain_guideline_governs_chronic_pain_only(request_date: str) -> None:
    chronic = _decide(NSAID, {"acute_phase": False}, request=request_date)
    assert chronic.outcome != "Undetermined" and "mtus-cpmtg-nsaids" in _supports(chronic)
    assert chronic.basis is not None and chronic.basis.startswith("chronic phase")
    assert "Chronic Pain Medical Treatment Guidelines (8 CCR 9792.24.2) used" in chronic.basis

    # no acute-phase NSAID rule is encoded: the CPMTG is applied as the nearest MTUS text, and said to be
    acute = _decide(NSAID, {"acute_phase": True}, request=request_date)
    assert acute.outcome == chronic.outcome and "mtus-cpmtg-nsaids" in _supports(acute)
    assert acute.basis is not None and acute.basis.startswith("acute phase")
    assert "no guideline encoded here covers this phase" in acute.basis
    assert "cover(s) chronic pain (three months or more" in acute.basis and "nearest MTUS text" in acute.basis
    assert "8 CCR 9792.21.1" in acute.basis
    # the phase not documented, and only chronic-phase rules for the service: the same, said so
    unknown = _decide(NSAID, {}, request=request_date)
    assert "mtus-cpmtg-nsaids" in _supports(unknown)
    assert unknown.basis is not None and unknown.basis.startswith("phase not documented")
    assert "an undocumented phase" in unknown.basis

    for facts in ({"acute_phase": False}, {"acute_phase": True}):  # physical therapy: CPMTG, else ODG
        therapy = _decide(PT, facts, request=request_date)
        expected = "mtus-cpmtg-physical-medicine" if not facts["acute_phase"] else "odg-physical-therapy-acute"
        assert _supports(therapy) == [expected]


def test_a_phase_not_documented_is_not_guessed() -> None:
    det = _decide(PT, {})
    assert det.outcome == "Undetermined"
    assert det.reason is not None and "phase not documented" in det.reason
    assert det.basis is not None and det.basis.startswith("phase not documented")


def test_the_phase_read_from_the_dates_is_shown_with_them() -> None:
    det = _decide(PT, {"acute_phase": _inferred(True)}, injury="2016-11-01", request="2017-01-03")
    assert det.basis is not None
    assert det.basis.startswith("acute phase (injury 2016-11-01, 63 days before the request of 2017-01-03)")
    stated = _decide(PT, {"acute_phase": False}, injury="2016-11-01", request="2017-01-03")
    assert stated.basis is not None and stated.basis.startswith("chronic phase (as the records state it)")


def test_rules_of_any_phase_are_not_gated() -> None:
    mri = {"item": "MRI lumbar spine", "service": "mri_lumbar"}
    for facts in ({"acute_phase": True}, {"acute_phase": False}, {}):
        det = _decide(mri, facts)
        assert det.outcome != "Undetermined" and det.basis is None


def test_the_report_says_which_guideline_and_why() -> None:
    loaded = make_case(bundled_library(), [PT], {"acute_phase": True}, dates={"request": "2017-01-10"})
    text = render_text(evaluate(loaded, bundled_library()), width=200)
    assert "   Guideline: acute phase (as the records state it): the MTUS Chronic Pain Medical" in text


# --- opioids by phase (Opioids Treatment Guidelines 2016, sections 1.1-1.3, 1.4, 2 and 3) ---------------

TRAMADOL = {"item": "Tramadol 50mg #60", "service": "opioid", "facts": {"oral_suspension": False}}


def test_opioids_follow_the_phase() -> None:
    acute = _decide(TRAMADOL, {"acute_phase": True, "weeks_since_injury": 2, "non_opioid_treatment_failed": True})
    assert acute.outcome == "Overturned" and _supports(acute) == ["mtus-opioids-2016-acute-subacute"]
    # the same facts in the chronic phase meet the chronic checklist's initiation without its safety checks
    chronic = _decide(
        {**TRAMADOL, "facts": {**TRAMADOL["facts"], "medication_previously_used": False}},
        {"acute_phase": False, "non_opioid_treatment_failed": True, "opioid_safety_checks": False},
    )
    assert chronic.outcome == "Upheld" and _supports(chronic) == ["mtus-opioids-2016"]
    unknown = _decide(TRAMADOL, {"non_opioid_treatment_failed": True})
    assert unknown.outcome == "Undetermined" and "phase not documented" in (unknown.reason or "")


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({"weeks_since_injury": 6, "non_opioid_treatment_failed": True}, "Upheld"),  # subacute, no active approach
        (
            {"weeks_since_injury": 6, "non_opioid_treatment_failed": True, "multidisciplinary_active_care": True},
            "Overturned",
        ),
        ({"weeks_since_injury": 1, "non_opioid_treatment_failed": False, "severe_acute_injury": False}, "Upheld"),
        ({"weeks_since_injury": 1, "severe_acute_injury": True}, "Overturned"),
    ],
)
def test_acute_and_subacute_opioids(facts: dict[str, Any], outcome: str) -> None:
    assert _decide(TRAMADOL, {"acute_phase": True, **facts}).outcome == outcome


@pytest.mark.parametrize(
    ("weeks", "facts", "outcome"),
    [
        (2, {"pain_function_status_documented": True}, "Overturned"),
        (2, {}, "Upheld"),  # no written documentation of pain and function
        (6, {"pain_function_status_documented": True, "extensive_surgery": False}, "Upheld"),
        (6, {"pain_function_status_documented": True, "extensive_surgery": True}, "Upheld"),  # not screened
        (
            6,
            {"pain_function_status_documented": True, "extensive_surgery": True, "opioid_misuse_screening": True},
            "Overturned",
        ),
        (
            14,
            {"pain_function_status_documented": True, "extensive_surgery": True, "opioid_misuse_screening": True},
            "Upheld",
        ),
    ],
)
def test_post_operative_opioids(weeks: float, facts: dict[str, Any], outcome: str) -> None:
    item = {**TRAMADOL, "facts": {"postsurgical_period": True, "postoperative_opioid_weeks": weeks}}
    for phase in (True, False):  # section 1.4 governs post-operative use in either phase
        det = _decide(item, {"acute_phase": phase, **facts})
        assert det.outcome == outcome and _supports(det) == ["mtus-opioids-2016-postoperative"]


def test_the_2016_opioid_sections_are_not_in_force_before_2016() -> None:
    det = _decide(TRAMADOL, {"acute_phase": True, "weeks_since_injury": 2}, request="2015-06-01")
    applied = {r.id for r in det.rules}
    assert "mtus-opioids-2016-acute-subacute" not in applied
    # no acute-phase opioid text of 2015 is encoded: the 2009 chronic pain guideline is the nearest MTUS text, said so
    assert "mtus-cpmtg-2009-opioids" in applied
    assert "nearest MTUS text" in (det.basis or "")


# --- reading ----------------------------------------------------------------------------------------------


def test_the_reader_reads_the_phase_where_routing_needs_it() -> None:
    assert "acute_phase" in facts_used(bundled_library(), {"nsaid"})
    assert "weeks_since_injury" in facts_used(bundled_library(), {"opioid"})


def test_weeks_since_injury_from_the_dates() -> None:
    text = "Date of Injury: 12/01/2016\nUR Denial Date: 01/12/2017\nThe patient hurt her back lifting a box.\n"
    facts: dict[str, ReadFact] = {}
    _weeks_from_dates(text, {"injury": "2016-12-01", "ur_decision": "2017-01-12"}, facts)
    assert facts["weeks_since_injury"].value == 6.0 and facts["weeks_since_injury"].inferred is True
    assert [ev.start for ev in facts["weeks_since_injury"].evidence] == [0, text.index("UR")]
    none: dict[str, ReadFact] = {}
    _weeks_from_dates("no dates here", {"injury": "2016-12-01", "ur_decision": "2017-01-12"}, none)
    assert none == {}  # the dates cannot be shown in the letter's own words: not read


# --- acute-phase alternatives in the MTUS's order (ACOEM 2004 before ODG) -------------------------------


@pytest.mark.parametrize(
    ("service", "region", "phase", "expected"),
    [
        ("emg", "lumbar", True, "acoem-2004-ch12-electrodiagnostic-acute"),
        ("emg", "cervical", True, "acoem-2004-ch8-electrodiagnostic-acute"),
        ("emg_ncs", "cervical", True, "acoem-2004-ch8-electrodiagnostic-acute"),
        # the forearm, wrist and hand: Chapter 11 (p. 261, Table 11-6), not Chapter 8
        ("emg_ncs", "wrist_hand", True, "acoem-2004-ch11-electrodiagnostic-acute"),
        ("ncs", "wrist_hand", True, "acoem-2004-ch11-electrodiagnostic-acute"),
        # Chapter 12 names EMG only, and neither chapter covers the knee: no acute-phase rule, so the CPMTG's
        # (chronic pain) is applied as the nearest MTUS text, and the basis says so
        ("ncs", "lumbar", True, "mtus-cpmtg-electrodiagnostic-ncs"),
        ("emg", "lumbar", False, "mtus-cpmtg-electrodiagnostic-emg"),
        ("emg", "knee", True, "mtus-cpmtg-electrodiagnostic-emg"),
    ],
)
def test_electrodiagnostics_follow_the_phase_and_region(service: str, region: str, phase: bool, expected: str) -> None:
    item = {"item": "Electrodiagnostic study", "service": service, "facts": {"body_region": region}}
    facts = {"acute_phase": phase, "weeks_since_injury": 6, "limb_neurologic_symptoms": True}
    det = _decide(item, {**facts, "conservative_care_failed": True})
    assert expected in _supports(det)
    if phase and expected.startswith("mtus-cpmtg"):
        assert det.basis is not None and "nearest MTUS text" in det.basis
    elif phase:
        assert det.outcome == "Overturned"
        assert det.basis is not None and "ACOEM Practice Guidelines (Chapter" in det.basis
        assert "per 8 CCR 9792.21.1" in det.basis
        # Special Studies: not needed unless three or four weeks of care and observation fail to improve symptoms
        helping = _decide(item, {**facts, "conservative_care_failed": False})
        assert helping.outcome == "Upheld" and "improving with conservative care" in helping.rationale


def test_electrodiagnostics_within_three_weeks_are_not_supported() -> None:
    item = {"item": "EMG right upper extremity", "service": "emg", "facts": {"body_region": "cervical"}}
    det = _decide(item, {"acute_phase": True, "weeks_since_injury": 2, "limb_neurologic_symptoms": True})
    assert det.outcome == "Upheld" and "the injury was only 2 weeks before the request" in det.rationale
    # the guideline's duration is the symptoms': symptoms older than the injury (three months or more) meet it
    older = {
        "acute_phase": True,
        "weeks_since_injury": 2,
        "limb_neurologic_symptoms": True,
        "chronic_pain_3_months": True,
        "conservative_care_failed": True,
    }
    assert _decide(item, older).outcome == "Overturned"


@pytest.mark.parametrize(("weeks", "outcome"), [(3, "Upheld"), (3.5, "Upheld"), (4, "Overturned"), (6, "Overturned")])
def test_hand_electrodiagnostics_wait_four_to_six_weeks(weeks: float, outcome: str) -> None:
    """ACOEM 2004 Ch. 11 (forearm, wrist, hand): special studies not before four to six weeks of conservative
    care and observation (lower bound 4, inclusive); Ch. 8 (neck, arm) already allows more than three weeks."""
    facts = {"acute_phase": True, "weeks_since_injury": weeks, "conservative_care_failed": True}
    hand = {"item": "NCS of the right hand", "service": "ncs", "facts": {"body_region": "wrist_hand"}}
    det = _decide(hand, {**facts, "nerve_entrapment_suspected": True})
    assert _supports(det) == ["acoem-2004-ch11-electrodiagnostic-acute"]
    assert det.outcome == outcome, det.rationale
    if outcome == "Upheld":
        assert f"the injury was only {weeks:g} weeks before the request" in det.rationale
    neck = {"item": "NCS of the right arm", "service": "ncs", "facts": {"body_region": "cervical"}}
    neck_outcome = _decide(neck, {**facts, "limb_neurologic_symptoms": True}).outcome
    assert neck_outcome == ("Overturned" if weeks > 3 else "Upheld")  # more than three weeks
    # weeks of conservative care of the hand count as well; care that is helping does not meet the text
    care = {
        "acute_phase": True,
        "weeks_since_injury": 2,
        "conservative_care_weeks": 5,
        "limb_neurologic_symptoms": True,
    }
    assert _decide(hand, {**care, "conservative_care_failed": True}).outcome == "Overturned"
    helping = _decide(hand, {**care, "conservative_care_failed": False})
    assert helping.outcome == "Upheld" and "improving with conservative care" in helping.rationale
    # neither an entrapment nor hand symptoms: nothing for the studies to tell apart
    none = _decide(hand, {**facts, "nerve_entrapment_suspected": False, "limb_neurologic_symptoms": False})
    assert none.outcome == "Upheld" and "no clinical signs of a nerve entrapment" in none.rationale


def test_acute_physical_therapy_goes_to_odg_after_the_mtus() -> None:
    trial = {**PT, "facts": {**PT["facts"], "requested_visits": 6}}
    det = _decide(trial, {"acute_phase": True})
    assert det.outcome == "Overturned" and _supports(det) == ["odg-physical-therapy-acute"]
    assert det.basis is not None and "Official Disability Guidelines (ODG) (Preface" in det.basis
    assert "per 8 CCR 9792.21.1" in det.basis
    beyond_trial = _decide(PT, {"acute_phase": True})  # eight visits: more than the six-visit clinical trial
    assert beyond_trial.outcome == "Upheld" and "six-visit clinical trial" in beyond_trial.rationale
    # after surgery the Postsurgical Treatment Guidelines govern, whatever the phase
    post = {**trial, "facts": {**trial["facts"], "postsurgical_period": True, "primary_procedure": "laminectomy"}}
    assert "odg-physical-therapy-acute" not in _supports(_decide(post, {"acute_phase": True}))


def test_topical_analgesics_follow_the_phase() -> None:
    item = {"item": "Lidocaine 5% cream", "service": "topical_analgesic"}
    assert _supports(_decide(item, {"acute_phase": True})) == ["odg-topical-analgesics-acute"]
    assert _supports(_decide(item, {"acute_phase": False})) == ["mtus-cpmtg-topical-analgesics"]
    assert _decide(item, {}).outcome == "Undetermined"


def test_one_guideline_with_sections_for_each_phase_is_named_by_section_in_the_basis() -> None:
    """The Opioid guideline covers chronic use in one section and acute use in another: the basis names
    the sections, not the same guideline as both set aside and used (a fresh user read that as a
    contradiction)."""
    tramadol = {"item": "Tramadol 50 mg #60", "service": "opioid"}
    det = _decide(tramadol, {"acute_phase": True}, request="2017-03-01")
    assert det.basis is not None
    set_aside, used = det.basis.split(" only; ", 1)
    assert "Acute Pain" not in set_aside and "Acute Pain" in used


def test_a_whole_arm_study_names_each_reason_once() -> None:
    """A study of the whole arm meets the Ch. 8 and the Ch. 11 acute rules; both are decisive when care's failure
    is not documented, and the rationale says so once (it said it once per rule)."""
    arm = {
        "item": "EMG/NCS of the right upper extremity",
        "service": "emg_ncs",
        "facts": {"treated_regions": ["shoulder", "elbow", "wrist_hand"]},
    }
    det = _decide(arm, {"acute_phase": True, "weeks_since_injury": 5, "limb_neurologic_symptoms": True})
    assert sorted(_supports(det)) == [
        "acoem-2004-ch11-electrodiagnostic-acute",
        "acoem-2004-ch8-electrodiagnostic-acute",
    ]
    assert det.outcome == "Upheld"
    reasons = det.rationale.split("In this case, ", 1)[1].split(". Therefore", 1)[0]
    parts = [p.removeprefix("and ").strip() for p in reasons.split("; ")]
    assert len(parts) == len(set(parts)) >= 1, parts
