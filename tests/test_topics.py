"""Topics of the catalog encoded for issue 13: letters' item names route to their services, and the rules
decide both ways through the real engine. Item names and facts are invented."""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules import RuleLibrary, evaluate
from imr_rules.extract import classify, load_patterns

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
