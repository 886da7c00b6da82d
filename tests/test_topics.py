"""Topics of the catalog encoded for issue 13: letters' item names route to their services, and the rules
decide both ways through the real engine. Item names and facts are invented."""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules import RuleLibrary, evaluate
from imr_rules.reading.facts import read_fact
from imr_rules.reading.patterns import load_patterns
from imr_rules.reading.requests import classify
from imr_rules.reading.sentences import sentences

from .conftest import RULES, make_case

PATTERNS = load_patterns(RULES)


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("Colace 100mg #60", "laxative"),
        ("Senokot-S, one tablet at bedtime", "laxative"),
        ("Stool softener as needed", "laxative"),
        ("Theramine #120", "medical_food"),
        ("Tylenol Extra Strength 500mg", "acetaminophen"),
        ("Norco 10/325mg (hydrocodone/acetaminophen)", "opioid"),
        ("Butalbital/acetaminophen/caffeine", None),
        ("Front-wheeled walker", "walking_aid"),
        ("Quad cane", "walking_aid"),
        ("Manual wheelchair rental", "wheelchair"),
        ("Semi-electric hospital bed", "hospital_bed"),
        ("Cervical support pillow", "cervical_pillow"),
        ("Hinged knee brace, left", "knee_brace"),
        ("Associated surgical service: walker", "postop_equipment"),
        ("Functional restoration program, 10 days", "functional_restoration"),
        ("Work hardening 2x4 weeks", "work_hardening"),
        ("Gym membership x 6 months", "gym_membership"),
        ("Aquatic therapy 2x6", "aquatic_therapy"),
        ("Massage therapy x 6 sessions", "massage_therapy"),
        ("Chiropractic treatment with massage x 6", "chiropractic"),
        ("Right subacromial corticosteroid injection", "shoulder_injection"),
        ("Synvisc-One injection to the right knee", "hyaluronic_injection"),
        ("MRI of the left ankle", "mri_foot_ankle"),
        ("Right foot MRI", "mri_foot_ankle"),
        ("Polysomnography (sleep study)", "sleep_study"),
        ("Botox injection, 200 units", "botulinum_toxin"),
        ("Glucosamine sulfate 1500mg", "glucosamine"),
        ("Spinal cord stimulator trial", "spinal_cord_stimulator"),
        ("Post-op physical therapy 2x6 for the shoulder", "postop_pt"),
    ],
)
def test_item_names_route_to_their_services(name: str, service: str | None) -> None:
    assert classify(name, PATTERNS) == service


def _outcome(library: RuleLibrary, service: str, item_facts: dict[str, Any], facts: dict[str, Any]) -> str:
    item: dict[str, Any] = {"item": "the request", "service": service, "facts": item_facts}
    case = make_case(library, [item], facts, dates={"request": "2017-01-15"})
    (determination,) = evaluate(case, library).determinations
    return determination.outcome


@pytest.mark.parametrize(
    ("service", "item_facts", "facts", "outcome"),
    [
        ("laxative", {}, {"opioid_therapy": True}, "Overturned"),
        ("laxative", {}, {"opioid_therapy": False}, "Upheld"),
        ("acetaminophen", {"acetaminophen_daily_mg": 3000}, {"chronic_pain_3_months": True}, "Overturned"),
        ("acetaminophen", {"acetaminophen_daily_mg": 6000}, {"chronic_pain_3_months": True}, "Upheld"),
        ("acetaminophen", {}, {"chronic_pain_3_months": True}, "Overturned"),
        ("massage_therapy", {"requested_visits": 6}, {"active_rehabilitation_ongoing": True}, "Overturned"),
        ("massage_therapy", {"requested_visits": 12}, {"active_rehabilitation_ongoing": True}, "Upheld"),
        ("aquatic_therapy", {"requested_visits": 8}, {"reduced_weight_bearing_desirable": True}, "Overturned"),
        ("aquatic_therapy", {"requested_visits": 8}, {"reduced_weight_bearing_desirable": False}, "Upheld"),
        ("cervical_pillow", {}, {"daily_exercise_program": True}, "Overturned"),
        ("cervical_pillow", {}, {}, "Upheld"),
        (
            "lumbar_fusion",
            {},
            {"spinal_instability": True, "conservative_care_failed": True, "psychosocial_screen_satisfactory": True},
            "Overturned",
        ),
        ("lumbar_fusion", {}, {"spinal_instability": False, "conservative_care_failed": True}, "Upheld"),
        (
            "carpal_tunnel_release",
            {},
            {"cts_exam_positive": True, "cts_nerve_conduction_confirmed": True, "conservative_care_failed": True},
            "Overturned",
        ),
        ("carpal_tunnel_release", {}, {"cts_exam_positive": True, "conservative_care_failed": True}, "Upheld"),
        ("sleep_study", {}, {"sleep_disorder_signs": True}, "Overturned"),
        ("sleep_study", {}, {"insomnia_6_months_unresponsive": True}, "Upheld"),
    ],
)
def test_new_topics_decide_both_ways(
    library: RuleLibrary, service: str, item_facts: dict[str, Any], facts: dict[str, Any], outcome: str
) -> None:
    assert _outcome(library, service, item_facts, facts) == outcome


def test_a_regional_finding_of_the_knee_does_not_certify_a_shoulder_injection(library: RuleLibrary) -> None:
    items: list[dict[str, Any]] = [
        {"item": "Subacromial injection", "service": "shoulder_injection", "facts": {}},
        {"item": "Knee brace", "service": "knee_brace", "facts": {"knee_brace_indication": True}},
    ]
    case = make_case(
        library,
        items,
        {"active_rehabilitation_ongoing": True, "knee_stressed_under_load": True},
        dates={"request": "2017-01-15"},
    )
    outcomes = {d.item: d.outcome for d in evaluate(case, library).determinations}
    assert outcomes == {"Subacromial injection": "Upheld", "Knee brace": "Overturned"}


def test_neck_manipulation_follows_the_odg_strain_numbers(library: RuleLibrary) -> None:
    first = {"body_region": "cervical", "prior_course_completed": False}
    assert _outcome(library, "chiropractic", {**first, "requested_visits": 10}, {}) == "Upheld"
    severe = {"cervical_strain_severe": True}
    assert _outcome(library, "chiropractic", {**first, "requested_visits": 10}, severe) == "Overturned"
    assert _outcome(library, "chiropractic", {**first, "requested_visits": 6}, {}) == "Overturned"


# --- reading the new facts from invented sentences ------------------------------------------------------

READS = [
    ("cervical_strain_severe", "The diagnosis is a grade III cervical strain after the collision.", True),
    ("spinal_instability", "Flexion-extension films show spondylolisthesis with 5 mm of translation at L4-5.", True),
    ("cts_exam_positive", "On examination there is a positive Tinel's sign at the right wrist.", True),
    (
        "cts_nerve_conduction_confirmed",
        "The nerve conduction study was consistent with moderate carpal tunnel syndrome.",
        True,
    ),
    ("sleep_disorder_signs", "He reports excessive daytime sleepiness and his wife notes loud snoring.", True),
    ("knee_brace_indication", "The MRI showed a complete ACL tear of the left knee.", True),
    ("shoulder_injection_indication", "The assessment is right shoulder impingement syndrome.", True),
    ("knee_osteoarthritis_severe", "X-rays show severe tricompartmental osteoarthritis of the right knee.", True),
    ("reduced_weight_bearing_desirable", "The patient is morbidly obese and walks with difficulty.", True),
    (
        "wheelchair_needed_in_residence",
        "She cannot bear weight and uses a wheelchair to get around her apartment.",
        True,
    ),
    ("wheelchair_needed_in_residence", "He is wheelchair-dependent at home after the crush injury.", True),
    ("wheelchair_needed_in_residence", "The wheelchair would be used for long trips to the store.", None),
    ("cts_exam_positive", "Tinel's and Phalen's tests were negative bilaterally.", None),
    ("knee_brace_indication", "There is no evidence of an ACL tear.", False),
    ("sleep_disorder_signs", "Guidelines support a sleep study for suspected sleep apnea.", None),
]


@pytest.mark.parametrize(("fact", "text", "value"), READS)
def test_new_facts_are_read_from_sentences(fact: str, text: str, value: object) -> None:
    pattern = next(p for p in PATTERNS.facts.facts if p.fact == fact)
    got = read_fact(pattern, PATTERNS, sentences(text, 0, len(text), "summary"), [], "test", None)
    assert (None if got is None else got[0]) == value


@pytest.mark.parametrize(("months", "status"), [(2, "met"), (4, "not_met")])
def test_acromioplasty_waits_for_three_months_of_conservative_care(
    library: RuleLibrary, months: int, status: str
) -> None:
    item: dict[str, Any] = {
        "item": "Right shoulder arthroscopy with subacromial decompression",
        "service": "shoulder_arthroscopy",
        "facts": {"impingement_decompression": True},
    }
    case = make_case(library, [item], {"shoulder_conservative_care_months": months}, dates={"request": "2017-01-15"})
    (determination,) = evaluate(case, library).determinations
    rule = next(r for r in determination.rules if r.id == "acoem-2004-ch9-impingement-surgery")
    assert rule.status == status
    if status == "met":
        assert determination.outcome == "Upheld"
