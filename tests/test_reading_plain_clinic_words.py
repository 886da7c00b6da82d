"""Kinds a new user's own letters showed (issue 12), each in sentences invented for the suite and read
through the real extraction with its text normalisation (`reading.extract.extract_text`): the clinic's
shorthand ("s/p ... w/o relief"), work resumed in other words, a patient wanting a surgeon's opinion, and a
guideline named by its acronym or full title restating a criterion (not a finding)."""

from __future__ import annotations

import pytest

from imr_rules.checking.consistency import Checker
from imr_rules.library.loading import load_rules
from imr_rules.reading.extract import extract_text

from .test_reading_quantities import letter_text

LIBRARY = load_rules("rules")
PATTERNS = Checker.load(LIBRARY).patterns


def read(summary: str, item: str, fact: str) -> object:
    data = extract_text(letter_text(summary, item), "suite.txt", LIBRARY, PATTERNS)
    found = data.items[0].facts.get(fact) or data.facts.get(fact)
    return None if found is None else found.value


MRI, OPIOID, DISC = "MRI of the lumbar spine", "Tramadol 50mg #60", "Lumbar discectomy at L5-S1"


@pytest.mark.parametrize(
    ("item", "fact", "sentence", "value"),
    [
        # shorthand: "s/p" is status post, "w/o" is without
        (MRI, "conservative_care_failed", "S/p 12 PT visits and naproxen w/o relief.", True),
        (MRI, "conservative_care_failed", "She is s/p PT x12 w/o relief.", True),
        (MRI, "conservative_care_failed", "Status post a course of chiropractic care without relief.", True),
        (MRI, "imaging_neural_compression", "The MRI showed a disc bulge w/o foraminal stenosis.", False),
        # work resumed in other words
        (OPIOID, "returned_to_work", "She returned to modified work four hours a day.", True),
        (OPIOID, "returned_to_work", "He went back to light work in March.", True),
        (OPIOID, "returned_to_work", "He has returned to restricted duties.", True),
        (OPIOID, "returned_to_work", "She has not returned to modified work.", False),
        # the patient wanting a surgeon's opinion is surgery being considered
        (DISC, "surgery_considered", "Pt is interested in a surgical consultation.", True),
        (DISC, "surgery_considered", "He would like to see a spine surgeon.", True),
        (DISC, "surgery_considered", "She would like to discuss surgery with her doctor.", True),
        (DISC, "surgery_considered", "He is not interested in a surgical consultation.", False),
    ],
)
def test_read(item: str, fact: str, sentence: str, value: object) -> None:
    assert read(sentence, item, fact) == value


@pytest.mark.parametrize(
    "sentence",
    [
        "The CPMTG supports continuing opioids when the patient has returned to work.",
        "The Chronic Pain Medical Treatment Guidelines support continued opioids when the patient returned to work.",
        "The Opioid Treatment Guidelines recommend continuing opioids if the patient has returned to work.",
        "The guideline allows continued use when the worker has returned to work.",
    ],
)
def test_a_guideline_by_any_of_its_names_restates_a_criterion(sentence: str) -> None:
    assert read(sentence, OPIOID, "returned_to_work") is None


CUFF = "Right shoulder arthroscopic rotator cuff repair"


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        # a tear the study shows, in either order
        ("The MRI of the right shoulder dated 3/2/2016 showed a full-thickness supraspinatus tear.", True),
        ("An ultrasound last month found a partial-thickness tear of the infraspinatus tendon.", True),
        ("She has a torn supraspinatus on the MR arthrogram of May 2016.", True),
        ("A full thickness rotator cuff tear was confirmed by imaging in April.", True),
        # a tear suspected on examination, or named with no study, is not a tear on imaging
        ("Positive drop arm test with weakness suggesting a full-thickness rotator cuff tear.", None),
        ("Diagnoses: right shoulder pain, rule out rotator cuff tear.", None),
        ("The surgeon suspects a torn supraspinatus from the examination.", None),
    ],
)
def test_a_rotator_cuff_tear_on_imaging_needs_the_study_that_shows_it(sentence: str, value: object) -> None:
    """`rotator_cuff_tear_on_imaging` (ACOEM Ch. 9 rotator cuff repair) means imaging shows the tear; a fresh
    user's examination sentence ("... suggesting a full-thickness tear") was read as it, with no MRI done."""
    assert read(sentence, CUFF, "rotator_cuff_tear_on_imaging") == value


def test_a_tear_a_radiology_verb_shows_is_on_imaging() -> None:
    """A radiology verb without the study named ("no full-thickness tear ... is shown") is the tear on imaging."""
    sentence = "No full-thickness tear or other surgical lesion is shown."
    assert read(sentence, CUFF, "rotator_cuff_tear_on_imaging") is False
    assert read("A supraspinatus tear was demonstrated in April.", CUFF, "rotator_cuff_tear_on_imaging") is True


KNEE_SCOPE = "Right knee arthroscopy with partial medial meniscectomy"


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        # failed a quantity of care, with or without "has"
        ("Here, he failed eight visits of physical therapy, medication and an injection.", True),
        ("She failed six weeks of chiropractic care.", True),
        ("He has failed 12 sessions of supervised physical therapy.", True),
        # a label listing the care had, an outcome beside it
        ("Tx to date: PT x 8 visits w/o improvement, naproxen, a cortisone injection w/ 2 wks relief only.", True),
        ("Care so far: twelve sessions of physical therapy, without lasting relief.", True),
        # not failed care: failed to attend, a plan, a guideline's or UR's words, negated, no care
        ("The patient failed to attend eight visits of physical therapy.", None),
        ("Treatment plan: physical therapy, then reassess if without improvement.", None),
        ("Guidelines require that the patient failed six weeks of physical therapy.", None),
        ("UR noted that he failed eight visits of physical therapy.", None),
        ("Treatment to date: none.", None),
        ("He has not failed eight visits of physical therapy; he improved.", False),
    ],
)
def test_failed_care_as_a_quantity_failed_or_a_labelled_list(sentence: str, value: object) -> None:
    """A fresh user's knee letter: "he failed eight visits of physical therapy, medication and an injection"
    and "Tx to date: PT x 8 visits w/o improvement, ..." left `conservative_care_failed` undocumented, so the
    meniscectomy (ODG: conservative care first) was Upheld against the letter."""
    assert read(sentence, KNEE_SCOPE, "conservative_care_failed") == value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        # one score stated for both, in words or figures: no relief
        ("His pain is rated eight out of ten with and without the medication.", False),
        ("Pain 7/10 with or without tramadol.", False),
        ("She reports 6 out of 10 pain both with and without it.", False),
        # two scores that differ are relief; a score with no comparison says nothing
        ("Pain is 8/10 without the medication and 4/10 with it.", True),
        ("His pain is rated eight out of ten.", None),
    ],
)
def test_one_pain_score_for_with_and_without_the_drug_is_no_relief(sentence: str, value: object) -> None:
    """A fresh user's "eight out of ten with and without the medication" left the relief undocumented; the
    README says the same score with and without the drug is no relief (CPMTG opioids: the 4 A's, analgesia)."""
    assert read(sentence, "Tramadol ER 150 mg #30", "pain_relief_from_medication") == value


SECOND_ITEM = """
{other}: Upheld

Claims Administrator guideline: The Claims Administrator did not cite any medical evidence for its
decision.

MAXIMUS guideline: Decision based on MTUS.

Decision rationale: The request is not medically necessary.
"""


def item_fact(summary: str, item: str, fact: str, other: str | None = None) -> object:
    """The item fact read for `item` (the first item) from a letter whose summary is `summary`, with a second
    disputed item `other` when given (none read: None)."""
    text = letter_text(summary, item) + (SECOND_ITEM.format(other=other) if other else "")
    found = extract_text(text, "suite.txt", LIBRARY, PATTERNS).items[0].facts.get(fact)
    return None if found is None else found.value


TWO_DRUGS = (
    "With naproxen she can walk thirty minutes, compared with ten minutes before, and she has resumed light "
    "household chores. No improvement in function is attributed to Norco, and her pain is 7/10 with or without it."
)


@pytest.mark.parametrize(
    ("item", "other", "fact", "value"),
    [
        # each requested drug's own sentences: naproxen improved function; Norco did not, nor relieved pain
        ("Naproxen 550 mg #60", "Norco 10/325 mg #120", "functional_improvement_from_prior", True),
        ("Norco 10/325 mg #120", "Naproxen 550 mg #60", "functional_improvement_from_prior", False),
        ("Norco 10/325 mg #120", "Naproxen 550 mg #60", "pain_relief_from_medication", False),
        # a brand name of the item's drug is the item's own
        ("Anaprox DS 550 mg #60", "Hydrocodone 10/325 mg #120", "functional_improvement_from_prior", True),
        # one item only: the sentences disagree and the fact is left out, as before
        ("Naproxen 550 mg #60", None, "functional_improvement_from_prior", None),
    ],
)
def test_a_drugs_outcome_is_read_for_its_own_item(item: str, other: str | None, fact: str, value: object) -> None:
    """A fresh user's letter requesting naproxen and Norco: naproxen's improvement and Norco's lack of it
    disagreed, so the naproxen item's `functional_improvement_from_prior` was left out ("mentions disagree")
    and the item Upheld against the letter. A sentence naming only another requested drug is that item's
    (requests.yaml `medication.own_drug_facts`)."""
    assert item_fact(TWO_DRUGS, item, fact, other) == value


@pytest.mark.parametrize(
    ("item", "other"),
    [("Norco 10/325 mg #120", "Naproxen 550 mg #60"), ("Naproxen 550 mg #60", "Norco 10/325 mg #120")],
)
def test_a_sentence_naming_no_drug_or_both_still_counts(item: str, other: str) -> None:
    """Only a sentence naming another requested drug and not this one is set aside: one naming no drug, or
    both, is read for either item; and a drug no item requests is not set aside (cutting down another drug is a
    reduced dependency on treatment: 8 CCR 9792.20)."""
    none = "With her medication she can walk thirty minutes, compared with ten minutes before."
    assert item_fact(none, item, "functional_improvement_from_prior", other) is True
    both = "Neither Norco nor naproxen has brought any improvement in function."
    assert item_fact(both, item, "functional_improvement_from_prior", other) is False
    cut = "She cut her tramadol from four tablets a day to one."
    assert item_fact(cut, item, "functional_improvement_from_prior", other) is True
