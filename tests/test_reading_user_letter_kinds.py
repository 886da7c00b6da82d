"""Kinds a fresh user's own letters showed (the second round), each in sentences invented for the suite and
read through the real extraction (`reading.extract.extract_text`), both ways:

- care requested, planned or recommended is the request, not care had (`care_had`, context.yaml
  `requested_before`/`requested_after`), unless more of care had is asked for ("a refill of");
- a nerve conduction study done and normal documents carpal tunnel syndrome not confirmed, and is the
  study's finding, not a denial of neuropathic pain (`clinical`, context.yaml `study_before`);
- a prior MRI of any body region the rules name is read, and its denial;
- a guideline's list restated whole (led by "lists ... as", "the indications are", or an open quotation)
  is not a finding, clause by clause.
"""

from __future__ import annotations

import pytest

from imr_rules.checking.consistency import Checker
from imr_rules.library.loading import load_rules
from imr_rules.reading.extract import extract_text

from .test_reading_quantities import letter_text

LIBRARY = load_rules("rules")
PATTERNS = Checker.load(LIBRARY).patterns

DISC, PT, CTR, MRI_SHOULDER = (
    "Lumbar discectomy at L4-5",
    "Physical therapy for the lumbar spine",
    "Right carpal tunnel release",
    "MRI of the right shoulder",
)


def read(summary: str, item: str, fact: str) -> object:
    data = extract_text(letter_text(summary, item), "suite.txt", LIBRARY, PATTERNS)
    found = data.items[0].facts.get(fact) or data.facts.get(fact)
    return None if found is None else found.value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        # requested, planned, recommended: not tried
        ("The surgeon has asked for an interlaminar epidural injection at L4-5.", None),
        ("A caudal epidural was requested by the pain specialist.", None),
        ("Her physician recommends a transforaminal ESI at L5-S1.", None),
        ("He is a candidate for a lumbar epidural steroid injection.", None),
        ("The next step planned is an L4-5 epidural steroid injection.", None),
        ("A right L5 transforaminal ESI is pending authorization.", None),
        ("He takes meloxicam daily; a lumbar ESI is now being requested.", ["nsaid"]),
        # had, or more of it asked for
        ("He underwent two caudal epidural injections in 2015.", ["epidural_steroid_injection"]),
        ("She has tried ibuprofen and a lumbar ESI.", ["epidural_steroid_injection", "nsaid"]),
        ("The provider requested a refill of meloxicam.", ["nsaid"]),
        ("The request is for a repeat lumbar epidural steroid injection.", ["epidural_steroid_injection"]),
        # a reason after the request is care had: "requested ... because naproxen failed"
        ("An MRI was requested because naproxen and cyclobenzaprine did not help.", ["muscle_relaxant", "nsaid"]),
    ],
)
def test_requested_care_is_not_care_tried(sentence: str, value: object) -> None:
    assert read(sentence, DISC, "drug_therapy_tried") == value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The treating doctor asked for eight visits of chiropractic care and a lumbar MRI.", None),
        ("The provider requested physical therapy twice a week for four weeks.", None),
        ("A course of massage therapy was recommended.", None),
        ("She completed six chiropractic visits last spring.", ["manual_therapy"]),
        ("The provider requested additional physical therapy.", ["physical_therapy"]),
    ],
)
def test_requested_referral_is_not_a_referral_completed(sentence: str, value: object) -> None:
    assert read(sentence, PT, "support_provider_referral") == value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        # a study done that did not confirm it
        ("Upper extremity EMG/NCS from March: a normal study, with no evidence of median neuropathy.", False),
        ("Nerve conduction studies of the right arm were within normal limits.", False),
        ("The electrodiagnostic testing came back negative.", False),
        ("A nerve conduction study in May did not show carpal tunnel syndrome.", False),
        ("She had a normal NCS in 2016.", False),
        ("No electrodiagnostic studies have been done.", False),
        # a study confirming it
        ("Nerve conduction testing confirmed moderate carpal tunnel syndrome on the right.", True),
        ("Median neuropathy at the wrist was confirmed by nerve conduction studies in June.", True),
        ("The NCV showed findings consistent with right carpal tunnel syndrome.", True),
        # an EMG alone, or a study with no result stated, says nothing
        ("The EMG was normal.", None),
        ("She had nerve conduction studies in January.", None),
    ],
)
def test_a_normal_nerve_conduction_study_does_not_confirm_carpal_tunnel(sentence: str, value: object) -> None:
    assert read(sentence, CTR, "cts_nerve_conduction_confirmed") == value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        # a study's normal result is the study's finding, not the patient's pain
        ("Upper extremity EMG/NCS from March: a normal study, with no evidence of median neuropathy.", None),
        ("The nerve conduction study showed no neuropathy.", None),
        ("An MRI of the neck showed no radicular cause, and she has burning pain in the hand.", True),
        # the history and the examination still read both ways
        ("She has no neuropathic symptoms.", False),
        ("She reports burning pain in the fingers at night.", True),
        ("His pain is mechanical and not neuropathic.", False),
    ],
)
def test_a_study_result_is_not_the_patients_neuropathic_pain(sentence: str, value: object) -> None:
    assert read(sentence, CTR, "neuropathic_pain") == value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("He has never had an MRI of the shoulder.", []),
        ("No MRI of the left knee has been done.", []),
        ("She has not undergone any MRI of the hip.", []),
        ("She had an MRI of the left knee in 2015.", ["knee"]),
        ("A right shoulder MR arthrogram dated 3/4/2016 showed a labral tear.", ["shoulder"]),
        ("The prior MRI of the right wrist was read as normal.", ["wrist_hand"]),
        ("An MRI of the ankle dated 6/1/2016 demonstrated a tendon tear.", ["ankle_foot"]),
        ("The lumbar MRI of 2/2/2016 showed a disc bulge.", ["low_back"]),
        # a request, not a prior study; a CT is not an MRI
        ("The request for an MRI of the right shoulder dated 4/1/2017 was denied.", None),
        ("A CT of the knee in May showed no fracture.", None),
    ],
)
def test_a_prior_mri_of_any_region_is_read(sentence: str, value: object) -> None:
    assert read(sentence, MRI_SHOULDER, "prior_mri_regions") == value


@pytest.mark.parametrize(
    "sentence",
    [
        'The MTUS lists the criteria for imaging as "a red flag; tissue insult; failure to progress in a '
        'strengthening program intended to avoid surgery; clarification of anatomy before surgery."',
        "Per ACOEM, the indications for imaging are a red flag; neurovascular dysfunction; failure to progress "
        "in a strengthening program; or a planned invasive procedure.",
        'ACOEM sets out these reasons to image the shoulder - "emergence of a red flag; failure to progress in a '
        'strengthening program; clarification of the anatomy"',
    ],
)
def test_a_guideline_list_restated_whole_is_not_a_finding(sentence: str) -> None:
    assert read(sentence, MRI_SHOULDER, "failed_exercise_program") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The guidelines were reviewed; he failed a strengthening program of eight visits.",
        "This patient failed a strengthening program of six visits.",
        "She failed eight sessions of physical therapy focused on strengthening.",
        "He did not progress in a strengthening program of six weeks.",
    ],
)
def test_a_failed_strengthening_program_is_still_read(sentence: str) -> None:
    assert read(sentence, MRI_SHOULDER, "failed_exercise_program") is True
