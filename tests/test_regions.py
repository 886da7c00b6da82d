"""Body regions, procedures and phases (issue 13): each item is judged by the guideline of its own region.

Every case runs through the real engine. Post-operative therapy goes to the Postsurgical Treatment
Guidelines entry of the operated region and procedure; therapy inside a postsurgical period is not held
to the Chronic Pain guideline's 10 visits; a region or procedure no rule covers is Undetermined, never
judged by another region's numbers. Item names are invented, in the letters' register.
"""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules import evaluate
from imr_rules.reading.requests import classify, procedure_kind

from .conftest import bundled_library, bundled_patterns, make_case


def _decide(items: list[dict[str, Any]], facts: dict[str, Any] | None = None, date: str = "2017-01-10"):  # type: ignore[no-untyped-def]
    # the chronic phase unless a test states another: these tests are about regions (tests/test_phases.py
    # holds the phase's own tests)
    loaded = make_case(bundled_library(), items, {"acute_phase": False, **(facts or {})}, dates={"request": date})
    return evaluate(loaded, bundled_library()).determinations


def _postop(visits: int, region: str | None, procedure: str, **facts: Any) -> dict[str, Any]:
    item_facts: dict[str, Any] = {
        "primary_status": "certified",
        "primary_procedure": procedure,
        "requested_visits": visits,
    }
    if region is not None:
        item_facts["body_region"] = region
    item_facts.update(facts)
    return {"item": "Post-operative therapy", "service": "postop_pt", "primary": "the surgery", "facts": item_facts}


@pytest.mark.parametrize(
    ("region", "procedure", "within", "beyond", "rule"),
    [
        ("shoulder", "shoulder_arthroscopy", 12, 13, "mtus-postsurgical-pt-shoulder"),
        ("knee", "knee_arthroscopy", 6, 7, "mtus-postsurgical-pt-knee"),
        ("wrist_hand", "carpal_tunnel_release", 4, 5, "mtus-postsurgical-pt-carpal-tunnel"),
        ("cervical", "fusion", 12, 13, "mtus-postsurgical-pt-neck"),
        ("cervical", "discectomy", 8, 9, "mtus-postsurgical-pt-neck"),
        ("lumbar", "fusion", 17, 18, "mtus-postsurgical-pt-low-back"),
        ("lumbar", "laminectomy", 8, 9, "mtus-postsurgical-pt-low-back"),
    ],
)
def test_postop_therapy_follows_the_operated_region(
    region: str, procedure: str, within: int, beyond: int, rule: str
) -> None:
    (ok,) = _decide([_postop(within, region, procedure, prior_course_completed=False)])
    assert ok.outcome == "Overturned", ok.rationale
    assert rule in {r.id for r in ok.rules}
    assert {r.id for r in ok.rules} & {"mtus-postsurgical-pt-low-back", "mtus-postsurgical-pt-neck"} <= {rule}
    (too_many,) = _decide([_postop(beyond, region, procedure, prior_course_completed=False)])
    assert too_many.outcome == "Upheld"
    assert too_many.rule == rule


def test_a_subsequent_course_needs_functional_improvement_within_the_general_course() -> None:
    base = {"prior_course_completed": True, "treatment_visits_total": 24}
    (improved,) = _decide(
        [_postop(12, "shoulder", "shoulder_arthroscopy", functional_improvement_from_prior=True, **base)]
    )
    assert improved.outcome == "Overturned"
    (flat,) = _decide(
        [_postop(13, "shoulder", "shoulder_arthroscopy", functional_improvement_from_prior=False, **base)]
    )
    assert flat.outcome == "Upheld"
    (over,) = _decide(
        [
            _postop(
                13,
                "shoulder",
                "shoulder_arthroscopy",
                functional_improvement_from_prior=True,
                prior_course_completed=True,
                treatment_visits_total=25,
            )
        ]
    )
    assert over.outcome == "Upheld"


def test_the_region_comes_from_the_primary_item_or_the_procedure() -> None:
    surgery = {"item": "Right shoulder arthroscopy", "service": "shoulder_arthroscopy"}
    therapy = {
        "item": "Post-op PT x12",
        "service": "postop_pt",
        "primary": "Right shoulder arthroscopy",
        "facts": {"requested_visits": 12, "primary_procedure": "shoulder_arthroscopy"},
    }
    dets = _decide([surgery, therapy])
    assert "mtus-postsurgical-pt-shoulder" in {r.id for r in dets[1].rules}
    # a primary named only in the summary: a shoulder arthroscopy names its region
    (alone,) = _decide([_postop(12, None, "shoulder_arthroscopy", prior_course_completed=False)])
    assert alone.outcome == "Overturned"
    assert "mtus-postsurgical-pt-shoulder" in {r.id for r in alone.rules}


@pytest.mark.parametrize(
    ("region", "procedure"),
    [(None, "fusion"), (None, "discectomy"), ("elbow", "other"), ("ankle_foot", "other"), ("hip", "other")],
)
def test_a_region_or_procedure_no_rule_covers_is_undetermined(region: str | None, procedure: str) -> None:
    (det,) = _decide([_postop(8, region, procedure)])
    assert det.outcome == "Undetermined"
    assert "covers this item" in (det.reason or "")


def test_post_operative_therapy_without_its_procedure_says_the_procedure_is_missing() -> None:
    """A shoulder therapy after surgery whose operation the case does not name: the reason says the
    procedure is what is missing (the rules are per procedure), not that no rule exists."""
    therapy = _postop(12, "shoulder", "shoulder_arthroscopy")
    del therapy["facts"]["primary_procedure"]
    (det,) = _decide([therapy])
    assert det.outcome == "Undetermined"
    assert "the operated procedure is not documented" in (det.reason or "")
    (named,) = _decide([_postop(8, "elbow", "other")])
    assert "procedure other" in (named.reason or "")


def test_therapy_inside_a_postsurgical_period_is_not_capped_at_the_chronic_pain_number() -> None:
    pt: dict[str, Any] = {
        "item": "Physical therapy 2x6, right shoulder",
        "service": "physical_therapy",
        "facts": {"body_region": "shoulder", "requested_visits": 12, "prior_course_completed": False},
    }
    (chronic,) = _decide([pt])
    assert chronic.outcome == "Upheld" and chronic.rule == "mtus-cpmtg-physical-medicine"
    after_surgery = {
        **pt,
        "facts": {**pt["facts"], "postsurgical_period": True, "primary_procedure": "shoulder_arthroscopy"},
    }
    (post,) = _decide([after_surgery])
    assert post.outcome == "Overturned"
    assert {r.id for r in post.rules} >= {"mtus-postsurgical-pt-shoulder"}
    assert "mtus-cpmtg-physical-medicine" not in {r.id for r in post.rules}


@pytest.mark.parametrize(
    ("service", "facts", "region"),
    [
        ("inpatient_stay", {"primary_procedure": "fusion", "requested_inpatient_days": 3}, "knee"),
        ("postop_cold_therapy", {"requested_days": 7}, "lumbar"),
        ("traction", {}, "cervical"),
    ],
)
def test_low_back_and_joint_numbers_stay_in_their_region(service: str, facts: dict[str, Any], region: str) -> None:
    item_facts = {"primary_status": "certified", **facts, "body_region": region}
    item: dict[str, Any] = {"item": f"requested {service}", "service": service, "facts": item_facts}
    if bundled_library().services[service].depends_on_primary:
        item["primary"] = "the surgery"
    (det,) = _decide([item])
    assert det.outcome == "Undetermined", det.rationale


def test_chiropractic_numbers_only_for_the_regions_the_guideline_names() -> None:
    base = {"requested_visits": 6, "prior_course_completed": False}
    chiro = {"item": "Chiropractic x6", "service": "chiropractic"}
    (low_back,) = _decide([{**chiro, "facts": {**base, "treated_regions": ["low_back"]}}])
    assert low_back.outcome == "Overturned"
    (neck,) = _decide([{**chiro, "facts": {**base, "treated_regions": ["neck"]}}])
    assert neck.outcome == "Overturned" and neck.rule == "odg-neck-manipulation"  # ODG Neck, not the CPMTG
    (shoulder,) = _decide([{**chiro, "facts": {**base, "treated_regions": ["shoulder"]}}])
    assert shoulder.outcome == "Overturned" and shoulder.rule == "odg-shoulder-manipulation"  # ODG Shoulder
    (hip,) = _decide([{**chiro, "facts": {**base, "treated_regions": ["hip"]}}])
    assert hip.outcome == "Undetermined"
    (knee,) = _decide([{**chiro, "facts": {**base, "treated_regions": ["knee"]}}])
    assert knee.outcome == "Upheld"


def test_a_request_for_several_regions_is_judged_region_by_region() -> None:
    """Chiropractic care for the neck, upper and low back in the acute phase: the low back by ACOEM
    Chapter 12's manipulation text, the neck and upper back by ODG Neck and Upper Back; all must be met,
    and a region no encoded guideline covers (the hip, acute) leaves the whole item Undetermined."""
    chiro = {"item": "Chiropractic care x6, neck and back", "service": "chiropractic"}
    spine = {
        "requested_visits": 6,
        "prior_course_completed": False,
        "treated_regions": ["neck", "thoracic", "low_back"],
    }
    (ok,) = _decide([{**chiro, "facts": {**spine, "objective_neurologic_findings": False}}], {"acute_phase": True})
    assert ok.outcome == "Overturned", ok.rationale
    assert {r.id for r in ok.rules} >= {"acoem-2004-ch12-manipulation", "odg-neck-manipulation"}
    (radicular,) = _decide(
        [{**chiro, "facts": {**spine, "objective_neurologic_findings": True}}], {"acute_phase": True}
    )
    assert radicular.outcome == "Upheld" and radicular.rule == "acoem-2004-ch12-manipulation"
    (too_many,) = _decide(
        [{**chiro, "facts": {**spine, "requested_visits": 12, "objective_neurologic_findings": False}}],
        {"acute_phase": True},
    )
    assert too_many.outcome == "Upheld" and too_many.rule == "odg-neck-manipulation"
    with_hip = {**spine, "treated_regions": ["neck", "hip"]}
    (hip,) = _decide([{**chiro, "facts": with_hip}], {"acute_phase": True})
    assert hip.outcome == "Undetermined" and "covers this item" in (hip.reason or "")


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("Left ulnar nerve decompression at the elbow", "nerve_decompression"),
        ("Right cubital tunnel release", "nerve_decompression"),
        ("Anterior cervical discectomy and fusion at C5-6", "cervical_spine_surgery"),
        ("ACDF C5-C7", "cervical_spine_surgery"),
        ("Posterior decompression C4-5", "cervical_spine_surgery"),
        ("Right carpal tunnel release, open", "carpal_tunnel_release"),
        ("Left ankle arthrodesis", "limb_joint_fusion"),
        ("Subtalar fusion, right", "limb_joint_fusion"),
        ("L4-5 decompression", "discectomy"),
        ("L5-S1 fusion", "lumbar_fusion"),
    ],
)
def test_decompression_and_fusion_are_classified_by_region(name: str, service: str) -> None:
    assert classify(name, bundled_patterns()) == service


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("underwent a left ulnar nerve decompression", "other"),
        ("a right carpal tunnel release was authorized", "carpal_tunnel_release"),
        ("status post ankle fusion", "other"),
        ("L4-5 laminectomy and decompression", "laminectomy"),
    ],
)
def test_primary_procedure_kind_outside_the_spine(text: str, kind: str) -> None:
    found = procedure_kind(text, bundled_patterns())
    assert found is not None and found[0] == kind


# --- wrong rules (issue 13, audit section 2 #7, #8, #12 and R12, R14) ---------------------------------


def test_carisoprodol_is_not_recommended_even_with_spasm() -> None:
    assert classify("Soma 350mg #60", bundled_patterns()) == "carisoprodol"
    assert classify("Carisoprodol 350 mg", bundled_patterns()) == "carisoprodol"
    assert classify("Cyclobenzaprine 7.5mg #60", bundled_patterns()) == "muscle_relaxant"
    (soma,) = _decide([{"item": "Soma 350mg #60", "service": "carisoprodol"}], {"muscle_spasm": True})
    assert soma.outcome == "Upheld" and soma.rule == "mtus-cpmtg-carisoprodol"
    rebutted = {"item": "Soma", "service": "carisoprodol", "facts": {"recommendation_against_rebutted": True}}
    (evidence,) = _decide([rebutted])
    assert evidence.outcome == "Overturned"


def test_knee_trauma_criteria_decide_radiographs_not_mri() -> None:
    trauma = {"knee_trauma_criteria": True, "red_flags_present": False}
    (mri,) = _decide([{"item": "MRI of the right knee", "service": "mri_knee"}], trauma)
    assert mri.outcome == "Upheld"
    (films,) = _decide([{"item": "X-rays of the right knee", "service": "xray_knee"}], trauma)
    assert films.outcome == "Overturned" and "acoem-2004-ch13-knee-radiography" in {r.id for r in films.rules}
    derangement = {"internal_derangement_suspected": True, "conservative_care_failed": True, "red_flags_present": False}
    (torn,) = _decide([{"item": "MRI of the right knee", "service": "mri_knee"}], derangement)
    assert torn.outcome == "Overturned"


def test_upper_limb_nerve_conduction_for_neck_and_arm_symptoms() -> None:
    facts = {"limb_neurologic_symptoms": True, "conservative_care_failed": True, "nerve_entrapment_suspected": False}
    arms = {"item": "NCV of the bilateral upper extremities", "service": "ncs", "facts": {"upper_limb_study": True}}
    (upper,) = _decide([arms], facts)
    assert upper.outcome == "Overturned", upper.rationale
    legs = {"item": "NCV of the bilateral lower extremities", "service": "ncs", "facts": {"upper_limb_study": False}}
    (lower,) = _decide([legs], facts)
    assert lower.outcome == "Upheld"


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("H-wave unit, 30 day home trial", "h_wave"),
        ("Home H wave device purchase", "h_wave"),
        ("Interferential unit rental", "interferential_stimulation"),
        ("NMES unit", "nmes"),
        ("Neuromuscular electrical stimulator", "nmes"),
        ("TENS unit, one month rental", "tens"),
        ("LSO back brace", "lumbar_support"),
        ("Lumbar support", "lumbar_support"),
        ("Right wrist brace", "wrist_brace"),
        ("Thumb spica splint", "wrist_brace"),
        ("Hospital bed", "hospital_bed"),
        ("Shower chair", "dme"),
    ],
)
def test_devices_with_their_own_entries_are_their_own_services(name: str, service: str) -> None:
    assert classify(name, bundled_patterns()) == service


def test_h_wave_needs_a_failed_tens_trial() -> None:
    facts = {"h_wave_condition": True, "active_rehabilitation_ongoing": True, "conservative_care_failed": True}
    unit = {"item": "H-wave unit, one month trial", "service": "h_wave", "facts": {"rental_trial": True}}
    (no_tens,) = _decide([unit], facts)
    assert no_tens.outcome == "Upheld"
    (after_tens,) = _decide([unit], {**facts, "tens_trial_failed": True})
    assert after_tens.outcome == "Overturned"


def test_lumbar_support_only_in_the_acute_phase_and_not_by_the_knee_dme_definition() -> None:
    support = {"item": "Lumbar support", "service": "lumbar_support"}
    (chronic,) = _decide([support], {"acute_phase": False})
    assert chronic.outcome == "Upheld" and chronic.rule == "acoem-2004-ch12-lumbar-support"
    (acute,) = _decide([support], {"acute_phase": True})
    assert acute.outcome == "Overturned"
    assert "odg-durable-medical-equipment" not in {r.id for r in acute.rules}
    (brace,) = _decide([{"item": "Right wrist brace", "service": "wrist_brace"}])
    assert brace.outcome == "Upheld" and brace.rule == "acoem-2004-ch11-wrist-splint"
    (splint,) = _decide([{"item": "Right wrist brace", "service": "wrist_brace"}], {"wrist_splint_indication": True})
    assert splint.outcome == "Overturned"
    assert "odg-durable-medical-equipment" not in {r.id for r in splint.rules}


# --- editions (issue 13, audit X-B) -------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2013-09-01", "2015-06-01", "2016-07-27"])
def test_the_2009_chronic_pain_guideline_governs_requests_before_the_2016_update(date: str) -> None:
    pt = {
        "item": "Physical therapy x6",
        "service": "physical_therapy",
        "facts": {"requested_visits": 6, "prior_course_completed": False},
    }
    (det,) = _decide([pt], date=date)
    assert det.outcome == "Overturned"
    assert det.rule is None or det.rule == "mtus-cpmtg-physical-medicine"
    assert "mtus-cpmtg-physical-medicine" in {r.id for r in det.rules}
    (before,) = _decide([pt], date="2009-07-17")
    assert before.outcome == "Undetermined"


def test_opioids_before_the_2016_opioid_guideline_are_judged_by_the_2009_chronic_pain_guideline() -> None:
    (det,) = _decide([{"item": "Norco 10/325 #90", "service": "opioid"}], date="2015-06-01")
    assert det.outcome == "Upheld"  # nothing documented
    applied = {r.id for r in det.rules}
    assert "mtus-cpmtg-2009-opioids" in applied
    assert "mtus-opioids-2016" not in applied


# --- epidural steroid injections (issue 13, audit 4e rank 1) ------------------------------------------

ESI_MET = {
    "objective_nerve_compromise_on_exam": True,
    "imaging_neural_compression": True,
    "conservative_care_failed": True,
}


def _esi(**facts: Any) -> dict[str, Any]:
    return {"item": "Lumbar epidural steroid injection", "service": "epidural_steroid_injection", "facts": facts}


def test_first_esi_needs_radiculopathy_on_exam_corroborated_and_failed_conservative_care() -> None:
    (ok,) = _decide([_esi(prior_esi_same_region=False)], ESI_MET)
    assert ok.outcome == "Overturned"
    (no_imaging,) = _decide([_esi(prior_esi_same_region=False)], {**ESI_MET, "imaging_neural_compression": False})
    assert no_imaging.outcome == "Upheld"
    (by_edx,) = _decide(
        [_esi(prior_esi_same_region=False)],
        {**ESI_MET, "imaging_neural_compression": False, "electrodiagnostic_radiculopathy": True},
    )
    assert by_edx.outcome == "Overturned"


def test_repeat_esi_needs_half_relief_for_six_to_eight_weeks() -> None:
    (relief,) = _decide([_esi(prior_esi_same_region=True, esi_prior_relief=True)])
    assert relief.outcome == "Overturned"
    (brief,) = _decide([_esi(prior_esi_same_region=True, esi_prior_relief=False)], ESI_MET)
    assert brief.outcome == "Upheld"


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({"esi_approach": "transforaminal", "esi_levels": 3}, "Upheld"),
        ({"esi_approach": "transforaminal", "esi_levels": 2}, "Overturned"),
        ({"esi_approach": "interlaminar", "esi_levels": 2}, "Upheld"),
        ({"esi_approach": "interlaminar", "esi_levels": 1}, "Overturned"),
        ({"requested_injections": 3}, "Upheld"),
        ({}, "Overturned"),
    ],
)
def test_esi_limits_decide_only_when_documented(facts: dict[str, Any], outcome: str) -> None:
    (det,) = _decide([_esi(prior_esi_same_region=False, **facts)], ESI_MET)
    assert det.outcome == outcome
    if outcome == "Upheld":
        assert det.rule == "mtus-cpmtg-epidural-steroid-injections-limits"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Lumbar epidural steroid injection at L4-5 and L5-S1", {"esi_levels": 2}),
        ("Two-level transforaminal epidural steroid injection", {"esi_levels": 2}),
        ("Epidural steroid injection, series of three", {"requested_injections": 3}),
    ],
)
def test_esi_levels_and_series_are_read_from_the_item_name(name: str, expected: dict[str, int]) -> None:
    from imr_rules.reading.requests import requested_quantities

    assert requested_quantities(name, "epidural_steroid_injection", bundled_patterns()) == expected


# --- facet blocks and radiofrequency neurotomy (issue 13, audit 4e rank 2) ----------------------------


def test_facet_blocks_for_non_radicular_pain_each_spine_region_by_its_own_chapter() -> None:
    facts = {"limb_neurologic_symptoms": False, "conservative_care_failed": True}
    block = {
        "item": "L4-5 and L5-S1 medial branch blocks",
        "service": "facet_block",
        "facts": {"body_region": "lumbar", "facet_levels": 2},
    }
    (ok,) = _decide([block], facts)
    assert ok.outcome == "Overturned"
    (radicular,) = _decide([block], {**facts, "limb_neurologic_symptoms": True})
    assert radicular.outcome == "Upheld"
    (three,) = _decide([{**block, "facts": {"body_region": "lumbar", "facet_levels": 3}}], facts)
    assert three.outcome == "Upheld"
    # the neck by ODG Neck's criteria (issue 13), not the low back's; its radiofrequency is not encoded
    neck_block = {"item": "C5-6 medial branch block", "service": "facet_block"}
    (neck,) = _decide([{**neck_block, "facts": {"body_region": "cervical", "facet_levels": 1}}], facts)
    assert neck.outcome == "Overturned" and neck.rule == "odg-neck-facet-diagnostic-blocks"
    (neck_three,) = _decide([{**neck_block, "facts": {"body_region": "cervical", "facet_levels": 3}}], facts)
    assert neck_three.outcome == "Upheld"
    rfa = {"item": "C5-6 radiofrequency ablation", "service": "facet_radiofrequency"}
    (neck_rfa,) = _decide([{**rfa, "facts": {"body_region": "cervical", "facet_levels": 1}}], facts)
    assert neck_rfa.outcome == "Undetermined"


@pytest.mark.parametrize(
    ("name", "levels"),
    [
        ("Right C5-6 and C6-7 medial branch blocks", 2),
        ("Cervical facet injections C4-5, C5-6 and C6-7", 3),
        ("Bilateral C3-4 & C4-5 facet joint injections", 2),
        ("C6-7, C7-T1 medial branch blocks", 2),
        ("L4-5 and L5-S1 facet injections", 2),
    ],
)
def test_facet_levels_are_read_from_cervical_and_lumbar_names(name: str, levels: int) -> None:
    from imr_rules.reading.requests import requested_quantities

    assert requested_quantities(name, "facet_block", bundled_patterns()) == {"facet_levels": levels}


def test_radiofrequency_neurotomy_after_a_positive_block_and_not_repeated_without_relief() -> None:
    rfa = {"item": "L4-5 radiofrequency ablation", "service": "facet_radiofrequency"}
    base = {"body_region": "lumbar", "facet_levels": 2}
    (ok,) = _decide([{**rfa, "facts": base}], {"mbb_response_70pct": True})
    assert ok.outcome == "Overturned"
    (no_block,) = _decide([{**rfa, "facts": base}], {"mbb_response_70pct": False})
    assert no_block.outcome == "Upheld"
    repeat = {**base, "prior_neurotomy": True, "neurotomy_prior_relief": False}
    (again,) = _decide([{**rfa, "facts": repeat}], {"mbb_response_70pct": True})
    assert again.outcome == "Upheld" and again.rule == "odg-facet-radiofrequency-repeat"


# --- trigger point injections and antiemetics (issue 13, audit 4e ranks 3 and 5) ----------------------


def test_trigger_point_injections_for_myofascial_pain_without_radiculopathy() -> None:
    facts = {"trigger_points_documented": True, "chronic_pain_3_months": True, "conservative_care_failed": True}
    tpi = {
        "item": "Trigger point injections x3",
        "service": "trigger_point_injection",
        "facts": {"requested_injections": 3},
    }
    (ok,) = _decide([tpi], facts)
    assert ok.outcome == "Overturned"
    (no_twitch,) = _decide([tpi], {**facts, "trigger_points_documented": False})
    assert no_twitch.outcome == "Upheld"
    (radicular,) = _decide([tpi], {**facts, "objective_nerve_compromise_on_exam": True})
    assert radicular.outcome == "Upheld" and radicular.rule == "mtus-cpmtg-trigger-point-injections-limits"
    (six,) = _decide([{**tpi, "facts": {"requested_injections": 6}}], facts)
    assert six.outcome == "Upheld"


def test_antiemetics_not_for_nausea_from_chronic_opioid_use() -> None:
    zofran = {"item": "Ondansetron 8mg #30", "service": "antiemetic"}
    (opioid_nausea,) = _decide([zofran], {"antiemetic_indication": False})
    assert opioid_nausea.outcome == "Upheld"
    (post_op,) = _decide([zofran], {"antiemetic_indication": True})
    assert post_op.outcome == "Overturned"
    assert classify("Zofran ODT 4mg #10", bundled_patterns()) == "antiemetic"
    assert classify("Trigger point injections x4 to the trapezius", bundled_patterns()) == "trigger_point_injection"


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("Non-contrast CT of the brain", "ct_head"),
        ("Head CT scan, repeat", "ct_head"),
        ("CT of the cervical spine", "ct_cervical"),
        ("Routine electroencephalogram", "eeg"),
        ("Quantitative EEG (QEEG) brain mapping", None),
        ("Triple phase bone scan, right hand", "bone_scan"),
        ("Butalbital/acetaminophen/caffeine #30", "butalbital_compound"),
        ("Esgic 50/325 #20", "butalbital_compound"),
        ("Acetaminophen 500 mg #60", "acetaminophen"),
    ],
)
def test_head_studies_bone_scans_and_barbiturate_compounds_have_their_own_services(
    name: str, service: str | None
) -> None:
    assert classify(name, bundled_patterns()) == service


def test_a_head_ct_after_the_emergency_phase_needs_deterioration_or_red_flags() -> None:
    """ODG Head, CT: a focal deficit after a recent TBI certifies a head CT in the first 72 hours; weeks
    later it needs deterioration or red flags."""
    item: dict[str, Any] = {"item": "CT of the brain", "service": "ct_head", "facts": {}}
    signs = {"head_ct_neurologic_sign": True, "head_ct_risk_criterion": True}
    (early,) = _decide([item], {**signs, "head_injury_emergency_phase": True})
    assert early.outcome == "Overturned" and early.rule == "odg-head-ct"
    (late,) = _decide([item], {**signs, "head_injury_emergency_phase": False, "head_condition_deteriorated": False})
    assert late.outcome == "Upheld"
    (worse,) = _decide([item], {**signs, "head_injury_emergency_phase": False, "head_condition_deteriorated": True})
    assert worse.outcome == "Overturned"
