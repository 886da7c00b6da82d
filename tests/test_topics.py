"""Topics of the catalog encoded for issue 13: letters' item names route to their services, and the rules
decide both ways through the real engine. Item names and facts are invented."""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules import RuleLibrary, evaluate
from imr_rules.reading.facts import read_fact
from imr_rules.reading.patterns import load_patterns
from imr_rules.reading.requests import classify, procedure_kind
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
        ("Butalbital/acetaminophen/caffeine", "butalbital_compound"),
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
        ("Left total knee replacement", "knee_arthroplasty"),
        ("Right TKA under general anesthesia", "knee_arthroplasty"),
        ("Unicompartmental knee arthroplasty, medial", "knee_arthroplasty"),
        ("Knee brace replacement straps", "knee_brace"),
        ("Arthroscopic ACL reconstruction, right knee", "acl_reconstruction"),
        ("Reconstruction of the anterior cruciate ligament", "acl_reconstruction"),
        ("Right knee arthroscopy with partial medial meniscectomy", "knee_arthroscopy"),
        ("Arthroscopic rotator cuff repair, left shoulder", "rotator_cuff_repair"),
        ("Repair of the supraspinatus rotator cuff", "rotator_cuff_repair"),
        ("Left shoulder arthroscopy with subacromial decompression", "shoulder_arthroscopy"),
        ("Acute inpatient rehabilitation x 10 days", "inpatient_rehabilitation"),
        ("Skilled nursing facility stay, 14 days", "inpatient_rehabilitation"),
        ("Home health skilled nursing visits x 6", "home_health"),
        ("Inpatient stay x 2 days", "inpatient_stay"),
        ("Urine toxicology screen", "urine_drug_test"),
        ("Cortisone injection, left knee", "knee_steroid_injection"),
        ("Right knee intra-articular Kenalog injection", "knee_steroid_injection"),
        ("Synvisc injection, right knee", "hyaluronic_injection"),
        ("Transportation to and from physical therapy", "transportation"),
        ("Ketamine 50mg lozenge", "ketamine"),
        ("Ketamine 10% / gabapentin 6% cream", "topical_analgesic"),
        ("PENS trial x 4 sessions", "pens"),
        ("Microcurrent stimulation unit rental", "microcurrent_stimulation"),
        ("NMES unit for the quadriceps", "nmes"),
        ("Round-trip transport to medical appointments x 12", "transportation"),
        ("Removal of the L4-5 pedicle screw hardware", "hardware_removal"),
    ],
)
def test_item_names_route_to_their_services(name: str, service: str | None) -> None:
    assert classify(name, PATTERNS) == service


TKA = {
    "conservative_care_failed": True,
    "knee_motion_limited": True,
    "nighttime_joint_pain": True,
    "joint_functional_limitations": True,
    "knee_arthritis_on_imaging": True,
}
KNEE_SCOPE = {
    "joint_activity_limitation_months": 4,
    "conservative_care_failed": True,
    "surgical_lesion_evidence": True,
}
KNEE_STEROID = {
    "knee_osteoarthritis_severe": True,
    "conservative_care_failed": True,
    "knee_pain_interferes_with_function": True,
}
SNF = {
    "recent_major_surgery_or_hospitalization": True,
    "new_functional_limitations": True,
    "daily_skilled_care_needed": True,
    "lower_level_of_care_precluded": True,
}


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
        # knee and shoulder surgery by procedure (rule-audit.md 4e rank 7)
        ("acl_reconstruction", {}, {"knee_instability_symptoms": True, "acl_incompetence": True}, "Overturned"),
        ("acl_reconstruction", {}, {"knee_instability_symptoms": False, "acl_incompetence": True}, "Upheld"),
        ("knee_arthroplasty", {}, {**TKA, "age": 63, "bmi": 31}, "Overturned"),
        ("knee_arthroplasty", {}, {**TKA, "age": 63, "bmi": 44}, "Upheld"),
        ("knee_arthroplasty", {}, {**TKA, "age": 46, "bmi": 31}, "Upheld"),
        (
            "knee_arthroscopy",
            {"meniscectomy_requested": True},
            {**KNEE_SCOPE, "knee_mechanical_symptoms": False},
            "Upheld",
        ),
        (
            "knee_arthroscopy",
            {"meniscectomy_requested": True},
            {**KNEE_SCOPE, "knee_mechanical_symptoms": True},
            "Overturned",
        ),
        ("knee_arthroscopy", {}, {**KNEE_SCOPE, "knee_mechanical_symptoms": False}, "Overturned"),
        # knee corticosteroid injection (rank 11)
        ("knee_steroid_injection", {}, KNEE_STEROID, "Overturned"),
        ("knee_steroid_injection", {}, {**KNEE_STEROID, "knee_osteoarthritis_severe": False}, "Upheld"),
        # inpatient rehabilitation (rank 20)
        ("inpatient_rehabilitation", {}, SNF, "Overturned"),
        ("inpatient_rehabilitation", {}, {**SNF, "lower_level_of_care_precluded": False}, "Upheld"),
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
    ("cts_exam_positive", "Tinel's and Phalen's tests were negative bilaterally.", False),  # negative tests documented
    ("knee_brace_indication", "There is no evidence of an ACL tear.", False),
    ("sleep_disorder_signs", "Guidelines support a sleep study for suspected sleep apnea.", None),
    ("bmi", "Her BMI is 36.4 and she walks with a cane.", 36),
    ("bmi", "Body mass index of 41 was recorded at intake.", 41),
    ("knee_arthritis_on_imaging", "Standing x-rays show bone-on-bone contact in the medial compartment.", True),
    ("knee_motion_limited", "Knee flexion to 85 degrees with pain at end range.", True),
    ("nighttime_joint_pain", "He reports knee pain that wakes him at night.", True),
    ("nighttime_joint_pain", "She denies night pain.", False),
    ("knee_instability_symptoms", "The patient states the knee gives way on stairs.", True),
    ("acl_incompetence", "Lachman test was positive on the left with a soft end point.", True),
    ("acl_incompetence", "The anterior drawer and Lachman tests were negative.", None),
    ("rotator_cuff_tear_on_imaging", "MRI revealed a full-thickness supraspinatus tear with retraction.", True),
    ("shoulder_elevation_rotation_weakness", "There is weakness of external rotation, 4-/5.", True),
    ("returned_to_work", "He has returned to modified duty since the last visit.", True),
    ("returned_to_work", "She has not returned to work.", False),
    ("udt_tests_past_12_months", "He has had three urine drug screens in the past year, all consistent.", 3),
    ("udt_higher_frequency_warranted", "There was no aberrant drug-related behavior on review.", False),
    ("udt_higher_frequency_warranted", "The last screen was inconsistent with the prescribed medications.", None),
    ("knee_mechanical_symptoms", "She describes catching and locking of the right knee on stairs.", True),
    ("knee_mechanical_symptoms", "He denies locking or giving way of the knee.", False),
    ("knee_pain_interferes_with_function", "The knee pain interferes with walking and standing at work.", True),
    ("hardware_broken", "CT shows a broken pedicle screw at L5 on the left.", True),
    ("unable_to_self_transport", "She is unable to drive since the injury and lives alone.", True),
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


# --- procedures, editions and frequency (issue 13) --------------------------------------------------------


def test_rotator_cuff_repair_needs_the_procedure_criteria_and_the_referral_criteria(library: RuleLibrary) -> None:
    referral = {"red_flags_present": True}
    tear = {"rotator_cuff_tear_on_imaging": True, "shoulder_elevation_rotation_weakness": True}
    assert _outcome(library, "rotator_cuff_repair", {}, {**referral, **tear}) == "Overturned"
    assert _outcome(library, "rotator_cuff_repair", {}, tear) == "Upheld"
    assert _outcome(library, "rotator_cuff_repair", {}, {**referral, "rotator_cuff_tear_on_imaging": True}) == "Upheld"


def _stay(library: RuleLibrary, procedure: str, region: str | None, days: int) -> str:
    facts: dict[str, Any] = {"requested_inpatient_days": days, "primary_procedure": procedure}
    facts["primary_status"] = "certified"
    if region is not None:
        facts["body_region"] = region
    return _outcome(library, "inpatient_stay", facts, {})


@pytest.mark.parametrize(
    ("procedure", "region", "days", "outcome"),
    [
        ("knee_arthroplasty", None, 3, "Overturned"),
        ("knee_arthroplasty", None, 4, "Upheld"),
        ("fusion", "cervical", 1, "Overturned"),
        ("fusion", "cervical", 2, "Upheld"),
        ("fusion", "lumbar", 3, "Overturned"),
        ("knee_arthroscopy", None, 1, "Undetermined"),
    ],
)
def test_a_stay_after_knee_or_neck_surgery_takes_that_chapters_target(
    library: RuleLibrary, procedure: str, region: str | None, days: int, outcome: str
) -> None:
    assert _stay(library, procedure, region, days) == outcome


@pytest.mark.parametrize(
    ("request_date", "rule"), [("2015-06-01", "mtus-cpmtg-2009-opioids"), ("2017-01-15", "mtus-opioids-2016")]
)
def test_an_opioid_request_before_the_2016_guideline_has_the_2009_rule(
    library: RuleLibrary, request_date: str, rule: str
) -> None:
    item_facts = {"medication_previously_used": True, "oral_suspension": False, "pain_relief_from_medication": True}
    item_facts["functional_improvement_from_prior"] = True
    item = {"item": "Norco 10/325 #60", "service": "opioid", "facts": item_facts}
    facts = {
        "chronic_pain_3_months": True,
        "acute_phase": False,
        "opioid_monitoring_documented": True,
        "returned_to_work": True,
    }
    case = make_case(library, [item], facts, dates={"request": request_date})
    (determination,) = evaluate(case, library).determinations
    assert determination.outcome == "Overturned"
    assert rule in {r.id for r in determination.rules}


@pytest.mark.parametrize(
    ("tests_done", "warranted", "outcome"),
    [(1, False, "Overturned"), (2, False, "Upheld"), (2, True, "Overturned"), (4, True, "Upheld")],
)
def test_urine_drug_tests_beyond_the_guideline_frequency_are_not_necessary(
    library: RuleLibrary, tests_done: int, warranted: bool, outcome: str
) -> None:
    facts = {
        "opioid_therapy": True,
        "acute_phase": False,
        "udt_tests_past_12_months": tests_done,
        "udt_higher_frequency_warranted": warranted,
    }
    assert _outcome(library, "urine_drug_test", {}, facts) == outcome


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Left total knee arthroplasty", "knee_arthroplasty"),
        ("Arthroscopic ACL reconstruction with hamstring autograft", "acl_reconstruction"),
        ("Right total hip replacement", "hip_arthroplasty"),
        ("Lateral epicondylitis release, right elbow", "epicondylitis_release"),
        ("Right knee arthroscopy, partial medial meniscectomy", "knee_arthroscopy"),
    ],
)
def test_procedures_by_kind_for_their_postsurgical_numbers(text: str, kind: str) -> None:
    found = procedure_kind(text, PATTERNS)
    assert found is not None and found[0] == kind


# --- nerve releases and fusions in the limbs, frozen-shoulder surgery, sympathetic blocks, implanted pumps
# (issue 13: the catalog's remaining topics); facts invented, decided through the real engine

CUBITAL = {
    "entrapment_exam_positive": True,
    "entrapment_electrodiagnostic_confirmed": True,
    "entrapment_function_loss": True,
    "conservative_care_failed": True,
}
ANKLE_FUSION = {
    "conservative_care_failed": True,
    "ankle_pain_relieved_by_injection": True,
    "ankle_malalignment": True,
    "ankle_motion_decreased": True,
    "ankle_arthritis_on_imaging": True,
    "joint_activity_limitation_months": 6,
    "surgical_lesion_evidence": True,
}
FROZEN = {"adhesive_capsulitis": True, "conservative_care_failed": True, "shoulder_conservative_care_months": 4}
IDDS = {
    "failed_conservative_care_months": 12,
    "objective_pathology_documented": True,
    "further_surgery_not_indicated": True,
    "psychosocial_screen_satisfactory": True,
    "implant_contraindication": False,
}


@pytest.mark.parametrize(
    ("service", "item_facts", "facts", "outcome"),
    [
        ("nerve_decompression", {"body_region": "elbow"}, CUBITAL, "Overturned"),
        ("nerve_decompression", {"body_region": "elbow"}, {**CUBITAL, "entrapment_function_loss": False}, "Upheld"),
        ("nerve_decompression", {"body_region": "elbow"}, {**CUBITAL, "conservative_care_failed": False}, "Upheld"),
        ("nerve_decompression", {"body_region": "ankle_foot"}, CUBITAL, "Overturned"),
        (
            "nerve_decompression",
            {"body_region": "ankle_foot"},
            {**CUBITAL, "entrapment_electrodiagnostic_confirmed": False},
            "Upheld",
        ),
        ("nerve_decompression", {}, CUBITAL, "Undetermined"),  # the nerve's region is not documented
        ("limb_joint_fusion", {"body_region": "ankle_foot"}, ANKLE_FUSION, "Overturned"),
        ("limb_joint_fusion", {"body_region": "ankle_foot"}, {**ANKLE_FUSION, "ankle_malalignment": False}, "Upheld"),
        (
            "limb_joint_fusion",
            {"body_region": "ankle_foot"},
            {**ANKLE_FUSION, "joint_activity_limitation_months": 0.5, "failed_exercise_program": False},
            "Upheld",
        ),
        ("limb_joint_fusion", {"body_region": "wrist_hand"}, ANKLE_FUSION, "Undetermined"),
        ("frozen_shoulder_surgery", {}, FROZEN, "Overturned"),
        ("frozen_shoulder_surgery", {}, {**FROZEN, "shoulder_conservative_care_months": 2}, "Upheld"),
        (
            "frozen_shoulder_surgery",
            {"shoulder_manipulation_requested": True},
            {**FROZEN, "shoulder_abduction_degrees": 70},
            "Overturned",
        ),
        (
            "frozen_shoulder_surgery",
            {"shoulder_manipulation_requested": True},
            {**FROZEN, "shoulder_abduction_degrees": 120},
            "Upheld",
        ),
        ("frozen_shoulder_surgery", {}, {**FROZEN, "shoulder_abduction_degrees": 120}, "Overturned"),  # a release alone
        (
            "sympathetic_block",
            {},
            {"crps_diagnosis": True, "active_rehabilitation_ongoing": True, "prior_sympathetic_blocks": False},
            "Overturned",
        ),
        (
            "sympathetic_block",
            {},
            {"crps_diagnosis": False, "active_rehabilitation_ongoing": True, "prior_sympathetic_blocks": False},
            "Upheld",
        ),
        (
            "sympathetic_block",
            {},
            {
                "crps_diagnosis": True,
                "active_rehabilitation_ongoing": True,
                "sympathetic_block_continued_improvement": False,
            },
            "Upheld",
        ),
        ("implantable_drug_delivery", {"implant_trial_requested": True}, IDDS, "Overturned"),
        ("implantable_drug_delivery", {}, IDDS, "Upheld"),  # the permanent pump needs a successful trial
        ("implantable_drug_delivery", {}, {**IDDS, "intrathecal_trial_successful": True}, "Overturned"),
        (
            "implantable_drug_delivery",
            {"implant_trial_requested": True},
            {**IDDS, "failed_conservative_care_months": 4},
            "Upheld",
        ),
        (
            "implantable_drug_delivery",
            {"implant_trial_requested": True},
            {**IDDS, "implant_contraindication": True},
            "Upheld",
        ),
    ],
)
def test_limb_surgery_blocks_and_pumps_decide_both_ways(
    library: RuleLibrary, service: str, item_facts: dict[str, Any], facts: dict[str, Any], outcome: str
) -> None:
    assert _outcome(library, service, item_facts, facts) == outcome


def test_an_entrapment_found_at_the_elbow_does_not_certify_a_tarsal_tunnel_release(library: RuleLibrary) -> None:
    """The entrapment findings are regional: the elbow's do not document the ankle's (rule-audit.md X-A)."""
    items: list[dict[str, Any]] = [
        {
            "item": "Left cubital tunnel release",
            "service": "nerve_decompression",
            "facts": {
                "body_region": "elbow",
                "entrapment_exam_positive": True,
                "entrapment_electrodiagnostic_confirmed": True,
                "entrapment_function_loss": True,
            },
        },
        {
            "item": "Right tarsal tunnel release",
            "service": "nerve_decompression",
            "facts": {"body_region": "ankle_foot"},
        },
    ]
    case = make_case(library, items, {"conservative_care_failed": True}, dates={"request": "2017-01-15"})
    outcomes = {d.item: d.outcome for d in evaluate(case, library).determinations}
    assert outcomes == {"Left cubital tunnel release": "Overturned", "Right tarsal tunnel release": "Upheld"}


INSTABILITY = {
    "recurrent_shoulder_dislocations": True,
    "shoulder_apprehension_positive": True,
    "shoulder_instability_lesion_on_imaging": True,
    "red_flags_present": True,  # ACOEM Chapter 9's referral rule governs it too: a dislocation is a red flag
}


@pytest.mark.parametrize(
    ("service", "facts", "outcome"),
    [
        ("shoulder_stabilization", INSTABILITY, "Overturned"),
        ("shoulder_stabilization", {**INSTABILITY, "shoulder_apprehension_positive": False}, "Upheld"),
        ("shoulder_stabilization", {**INSTABILITY, "red_flags_present": False}, "Upheld"),
        ("trigger_finger_release", {"trigger_finger_persistent_after_injection": True}, "Overturned"),
        ("trigger_finger_release", {"trigger_finger_persistent_after_injection": False}, "Upheld"),
        ("trigger_finger_release", {}, "Upheld"),
        ("xray_foot_ankle", {"ottawa_ankle_criteria": True}, "Overturned"),
        (
            "xray_foot_ankle",
            {"ankle_limitation_over_4_weeks": True, "unexplained_physical_findings": True},
            "Overturned",
        ),
        ("xray_foot_ankle", {"ottawa_ankle_criteria": False, "red_flags_present": False}, "Upheld"),
        ("xray_foot_ankle", {"ankle_limitation_over_4_weeks": True}, "Upheld"),
        (
            "carpal_tunnel_injection",
            {"cts_exam_positive": True, "conservative_care_failed": True, "conservative_care_weeks": 10},
            "Overturned",
        ),
        (
            "carpal_tunnel_injection",
            {"cts_exam_positive": True, "conservative_care_failed": True, "conservative_care_weeks": 3},
            "Upheld",
        ),
        (
            "foot_injection",
            {"foot_injection_indication": True, "conservative_care_failed": True, "conservative_care_weeks": 6},
            "Overturned",
        ),
        (
            "foot_injection",
            {"foot_injection_indication": True, "conservative_care_failed": True, "conservative_care_weeks": 2},
            "Upheld",
        ),
        ("foot_orthotics", {"orthotic_indication": True}, "Overturned"),
        ("foot_orthotics", {"orthotic_indication": False}, "Upheld"),
    ],
)
def test_instability_repair_trigger_finger_and_ankle_films_decide_both_ways(
    library: RuleLibrary, service: str, facts: dict[str, Any], outcome: str
) -> None:
    assert _outcome(library, service, {}, facts) == outcome


@pytest.mark.parametrize(
    ("lesion", "biceps_over_half", "outcome"),
    [
        ("type_2", None, "Overturned"),
        ("type_1", None, "Upheld"),
        ("type_4", True, "Overturned"),
        ("type_4", False, "Upheld"),
    ],
)
def test_a_slap_repair_is_for_type_ii_and_major_type_iv_lesions(
    library: RuleLibrary, lesion: str, biceps_over_half: bool | None, outcome: str
) -> None:
    referral = {"red_flags_present": True}  # ACOEM Chapter 9's referral criteria met, so the lesion type decides
    facts: dict[str, Any] = {**referral, "slap_lesion_type": lesion}
    if biceps_over_half is not None:
        facts["slap_biceps_over_half"] = biceps_over_half
    assert _outcome(library, "shoulder_arthroscopy", {"slap_repair_requested": True}, facts) == outcome
