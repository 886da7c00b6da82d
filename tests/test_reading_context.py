"""The context stage: whether a sentence of a letter states a fact about this patient, this region, now
(issue 12, the kinds of invented fact). Both ways for each kind: the sentences that must not be read (a
guideline restated with no cue word, negation after the noun or across a list, a hedge, a past condition
an operation treated, the requesting physician's wishes, another region's finding) and the sentences
close to them that must still be read. Every sentence is invented for the suite; every read goes through
the real extraction (letter parsing, sentences, context, facts) of a letter made around it."""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules.reading.sentences import sentences

from .test_reading_quantities import case_fact, item_fact, read

INTRO = "This fictional injured worker is a 44 year old male."


def _case(summary: str, item: str = "MRI of the lumbar spine", **kw: str) -> dict[str, Any]:
    return read(f"{INTRO} {summary}", item, **kw)


# --- a guideline restated with no cue word ---------------------------------------------------------------

# (fact, sentence, item): general sentences, a generic subject in the present tense, naming no one
GENERAL = [
    (
        "red_flags_present",
        "Imaging is for red flags, progressive deficits or failed conservative care.",
        "MRI of the lumbar spine",
    ),
    (
        "conservative_care_failed",
        "Imaging is for red flags, progressive deficits or failed conservative care.",
        "MRI of the lumbar spine",
    ),
    (
        "red_flags_present",
        "Per ACOEM ch. 8, imaging is for red flags or a failed strengthening program.",
        "MRI of the cervical spine",
    ),
    (
        "failed_exercise_program",
        "Per ACOEM ch. 8, imaging is for red flags or a failed strengthening program.",
        "MRI of the cervical spine",
    ),
    (
        "red_flags_present",
        "Advanced imaging is supported for red flags or a progressive neurologic deficit.",
        "MRI of the cervical spine",
    ),
    (
        "high_dose_or_multiple_nsaids",
        "A gastric protectant is added to an anti-inflammatory when the patient takes high-dose or multiple NSAIDs.",
        "Omeprazole 20mg #30",
    ),
    (
        "knee_brace_indication",
        "A brace can be used for patellar instability or a torn anterior cruciate ligament.",
        "Knee brace, left",
    ),
    (
        "internal_derangement_suspected",
        "A hinged brace can be used for ligament instability of the knee.",
        "Knee brace, left",
    ),
    (
        "red_flags_present",
        "Surgery is considered in patients with cauda equina syndrome or a progressive motor deficit.",
        "MRI of the lumbar spine",
    ),
    ("red_flags_present", "Progressive weakness would be a red flag.", "MRI of the lumbar spine"),
    (
        "red_flags_present",
        "Saddle anesthesia and a progressive motor deficit are red flags.",
        "MRI of the lumbar spine",
    ),
    (
        "red_flags_present",
        "Red flags are cauda equina syndrome, fracture, tumor and progressive neurologic deficit.",
        "MRI of the lumbar spine",
    ),
    ("red_flags_present", "An MRI helps when there is progressive weakness.", "MRI of the lumbar spine"),
    ("conservative_care_failed", "Failed conservative care justifies imaging.", "MRI of the lumbar spine"),
    (
        "conservative_care_failed",
        "Imaging becomes appropriate once conservative care has failed.",
        "MRI of the lumbar spine",
    ),
    (
        "opioid_monitoring_documented",
        "The four A's are analgesia, activities of daily living, adverse effects and aberrant behavior.",
        "Norco 10/325mg #90",
    ),
]


@pytest.mark.parametrize(("fact", "sentence", "item"), GENERAL)
def test_a_general_statement_is_not_a_finding(fact: str, sentence: str, item: str) -> None:
    data = _case(sentence, item)
    assert case_fact(data, fact) is None and item_fact(data, fact) is None


# the same words about this patient, or in the past tense, are findings
STATED = [
    ("red_flags_present", "He has a progressive neurologic deficit in the left leg.", "MRI of the lumbar spine", True),
    (
        "red_flags_present",
        "The MRI was ordered for a progressive motor deficit of the left leg.",
        "MRI of the lumbar spine",
        True,
    ),
    (
        "conservative_care_failed",
        "He has failed conservative care with physical therapy and naproxen.",
        "MRI of the lumbar spine",
        True,
    ),
    ("knee_brace_indication", "He has patellar instability on the left.", "Knee brace, left", True),
    ("red_flags_present", "His progressive weakness is a red flag.", "MRI of the lumbar spine", True),
    ("red_flags_present", "Red flags are absent.", "MRI of the lumbar spine", False),
    (
        "conservative_care_failed",
        "Conservative care has failed and justifies imaging.",
        "MRI of the lumbar spine",
        True,
    ),
    ("opioid_monitoring_documented", "The four A's are recorded at each visit.", "Norco 10/325mg #90", True),
]


@pytest.mark.parametrize(("fact", "sentence", "item", "value"), STATED)
def test_the_same_words_about_this_patient_are_read(fact: str, sentence: str, item: str, value: object) -> None:
    data = _case(sentence, item)
    assert value in (case_fact(data, fact), item_fact(data, fact))


def test_a_citation_abbreviation_ends_no_sentence() -> None:
    text = "Per ACOEM ch. 8, imaging is for red flags. See p. 178 of the chapter. She had an MRI."
    assert [s.text for s in sentences(text, 0, len(text), "rationale")] == [
        "Per ACOEM ch. 8, imaging is for red flags.",
        "See p. 178 of the chapter.",
        "She had an MRI.",
    ]


# --- negation after the noun, and across a list ------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Red flags were specifically denied.",
        "Red flags were again negative at this visit.",
        "Red flags - none.",
        "Red flags \u2014 none.",
        "Red flags: none.",
        "No red flags were identified on examination.",
    ],
)
def test_red_flags_denied_after_the_noun_read_false(sentence: str) -> None:
    assert case_fact(_case(sentence), "red_flags_present") is False


@pytest.mark.parametrize(
    ("fact", "sentence"),
    [
        ("objective_neurologic_findings", "Focal neurologic deficits - not present."),
        ("objective_neurologic_findings", "A focal neurologic deficit was not found."),
        ("internal_derangement_suspected", "Instability - not present."),
    ],
)
def test_a_finding_denied_after_its_noun_is_false(fact: str, sentence: str) -> None:
    item = "MRI of the left knee" if fact == "internal_derangement_suspected" else "MRI of the lumbar spine"
    data = _case(sentence, item)
    assert False in (case_fact(data, fact), item_fact(data, fact))


@pytest.mark.parametrize(
    "sentence",
    [
        # one long list denied, closed by "or": none of it is present
        "There was no fever, chills, night sweats, weight loss, unexplained bowel or bladder change, saddle "
        "anesthesia or progressive weakness.",
        "She reported no fever, chills, night sweats, weight loss, stomach pain, bowel incontinence, or "
        "progressive leg weakness.",
    ],
)
def test_a_long_denied_list_closed_by_or_invents_no_red_flag(sentence: str) -> None:
    assert case_fact(_case(sentence), "red_flags_present") is not True


@pytest.mark.parametrize(
    "sentence",
    [
        "Red flags were present: progressive weakness of the left leg.",
        "He has progressive weakness of the left leg.",
        # the list is closed by "and" after the denial ends: the last finding is stated, not denied
        "There is no history of cancer, fever, chills, night sweats or unexplained weight loss, and there is "
        "progressive weakness in the left leg.",
    ],
)
def test_red_flags_stated_are_still_read(sentence: str) -> None:
    assert case_fact(_case(sentence), "red_flags_present") is True


NORCO = "Norco 10/325mg #120"


@pytest.mark.parametrize(
    "sentence",
    [
        "Neither side effects nor aberrant behaviours are addressed.",
        "Neither pain scores nor aberrant drug behavior were documented at the visits.",
    ],
)
def test_records_silent_on_a_list_document_neither_absent(sentence: str) -> None:
    assert case_fact(_case(sentence, NORCO), "udt_higher_frequency_warranted") is None


@pytest.mark.parametrize(
    ("fact", "sentence"),
    [
        ("muscle_spasm", "Muscle spasm was not addressed in the records."),
        ("muscle_spasm", "Spasm has not been discussed at any of the visits."),
        ("red_flags_present", "Red flags were not mentioned."),
        ("red_flags_present", "Progressive weakness has not been described by the treating physician."),
        ("muscle_spasm", "Paraspinal spasm is not recorded in the progress notes."),
    ],
)
def test_a_finding_the_records_do_not_address_is_undocumented(fact: str, sentence: str) -> None:
    """The records silent on it ("not addressed", "not mentioned"): a gap, neither present nor absent."""
    assert case_fact(_case(sentence), fact) is None


@pytest.mark.parametrize(
    ("fact", "sentence", "value"),
    [
        ("muscle_spasm", "Paraspinal muscle spasm was noted on examination.", True),
        ("red_flags_present", "There were no red flags on examination.", False),
        ("red_flags_present", "Progressive weakness was described by the treating physician.", True),
    ],
)
def test_a_finding_the_records_address_is_still_read(fact: str, sentence: str, value: bool) -> None:
    assert case_fact(_case(sentence), fact) is value


def test_a_list_denied_with_neither_is_still_absent() -> None:
    data = _case("He has had neither side effects nor aberrant behaviours.", NORCO)
    assert case_fact(data, "udt_higher_frequency_warranted") is False


@pytest.mark.parametrize(
    "sentence",
    [
        "The notes contain no commentary regarding whether she is a candidate for surgery.",
        "There was no discussion about the claimant being a surgical candidate.",
    ],
)
def test_records_silent_on_surgery_leave_it_undocumented(sentence: str) -> None:
    assert case_fact(_case(sentence), "surgery_considered") is None


def test_surgery_ruled_out_in_the_reviewers_words_is_false() -> None:
    assert case_fact(_case("He is not a surgical candidate."), "surgery_considered") is False


NAPROXEN = "Naproxen 550mg #60"


def test_a_negation_of_a_pronoun_negates_nothing_after_it() -> None:
    text = "She now walks a mile without one, and her sitting tolerance rose from 10 to 45 minutes with the naproxen."
    assert item_fact(_case(text, NAPROXEN), "functional_improvement_from_prior") is True


def test_not_yet_back_at_work_is_not_a_finding_of_no_improvement() -> None:
    assert item_fact(_case("She has not yet returned to work.", NAPROXEN), "functional_improvement_from_prior") is None


# --- hedges and conditions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "sentence"),
    [
        ("red_flags_present", "In case of progressive weakness, an MRI would be warranted."),
        ("imaging_neural_compression", "The physician wants an MRI in case there is a herniated disc."),
        ("surgery_considered", "In the event that conservative care fails, surgery is an option."),
        ("surgery_considered", "Should weakness progress, surgery is an option."),
        ("imaging_neural_compression", "The MRI is requested to rule out a disc herniation."),
        ("objective_nerve_compromise_on_exam", "There is possible radiculopathy."),
        ("red_flags_present", "If symptoms persist or progressive weakness develops, an MRI would be considered."),
    ],
)
def test_a_hedge_or_a_condition_is_not_read(fact: str, sentence: str) -> None:
    data = _case(sentence)
    assert case_fact(data, fact) is None and item_fact(data, fact) is None


@pytest.mark.parametrize(
    ("fact", "sentence"),
    [
        ("surgery_considered", "Surgery is an option he is considering."),
        ("imaging_neural_compression", "The MRI showed a herniated disc compressing the left S1 nerve root."),
    ],
)
def test_the_same_without_a_hedge_is_read(fact: str, sentence: str) -> None:
    data = _case(sentence)
    assert True in (case_fact(data, fact), item_fact(data, fact))


# --- time: a past condition an operation treated is not a current finding -----------------------------------

GABAPENTIN = "Gabapentin 300mg #90"


@pytest.mark.parametrize(
    "sentence",
    [
        "He underwent a right carpal tunnel release on 02-15-2012 for median neuropathy.",
        "He had a discectomy in 2010 for sciatica, which resolved.",
        "Status post lumbar fusion in 2011 for radicular pain.",
        "Past history is notable for a left ulnar neuropathy treated with transposition in 2009.",
    ],
)
def test_a_past_condition_an_operation_treated_is_not_current_neuropathic_pain(sentence: str) -> None:
    data = _case(sentence, GABAPENTIN)
    assert case_fact(data, "neuropathic_pain") is None and item_fact(data, "neuropathic_pain") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "She has burning neuropathic pain in both feet.",
        "He has a history of radicular pain down the left leg for two years.",
        "Since the fusion in 2011 he has had sciatica down the left leg.",
    ],
)
def test_current_neuropathic_pain_is_still_read(sentence: str) -> None:
    data = _case(sentence, GABAPENTIN)
    assert True in (case_fact(data, "neuropathic_pain"), item_fact(data, "neuropathic_pain"))


def test_a_history_fact_keeps_a_condition_an_operation_treated() -> None:
    data = _case("She has a history of a bleeding peptic ulcer, repaired surgically in 2010.", "Naproxen 550mg #60")
    assert case_fact(data, "gi_event_history") is True


# --- utilization review's reasons are not the reviewer's findings ----------------------------------------------


@pytest.mark.parametrize(
    ("fact", "sentence"),
    [
        ("conservative_care_failed", "The adverse determination stated that the patient had failed physical therapy."),
        ("red_flags_present", "The carrier's physician reviewer found progressive weakness."),
        ("red_flags_present", "The previous review found progressive weakness of the left leg."),
        ("red_flags_present", "The denial letter cited progressive weakness as unconfirmed."),
        # the reviewer named as the person, not the process
        ("red_flags_present", "The utilization reviewer found progressive weakness of the left leg."),
        ("red_flags_present", "The utilization reviewer's rationale cited progressive weakness."),
        ("conservative_care_failed", "Utilization reviewers noted that he had failed physical therapy."),
    ],
)
def test_utilization_reviews_reasons_are_not_findings(fact: str, sentence: str) -> None:
    assert case_fact(_case(sentence), fact) is None


def test_a_review_of_the_records_is_not_utilization_review() -> None:
    data = _case("He has had a previous review of his records showing progressive weakness.")
    assert case_fact(data, "red_flags_present") is True


# --- the requesting physician's wishes are the request, not care had ------------------------------------------

PT_NECK = "Physical therapy x6 visits, cervical spine"


@pytest.mark.parametrize(
    "sentence",
    [
        "The physician asked for six visits of physical therapy for the neck.",
        "Her doctor wants six sessions of physical therapy for the neck.",
        "The treating physician would like six visits of physical therapy for her neck.",
    ],
)
def test_the_physicians_wish_is_not_a_course_had(sentence: str) -> None:
    data = _case(sentence, PT_NECK)
    assert item_fact(data, "prior_course_completed") is None
    assert item_fact(data, "prior_visits_completed") is None


def test_a_course_had_is_still_read() -> None:
    data = _case("She has had six visits of physical therapy for the neck.", PT_NECK)
    assert item_fact(data, "prior_course_completed") is True
    assert item_fact(data, "prior_visits_completed") == 6


# --- region: a course of one region says nothing of another region's item ------------------------------------


def test_a_low_back_course_does_not_decide_a_knee_item() -> None:
    data = _case(
        "He underwent a trial of six chiropractic manipulations for the low back in 2016.",
        "Chiropractic treatment 2 x 3 right knee",
    )
    assert item_fact(data, "prior_course_completed") is None
    assert item_fact(data, "prior_visits_completed") is None


def test_a_course_of_the_items_own_region_is_read() -> None:
    data = _case(
        "He underwent a trial of six chiropractic manipulations for the right knee in 2016.",
        "Chiropractic treatment 2 x 3 right knee",
    )
    assert item_fact(data, "prior_course_completed") is True
