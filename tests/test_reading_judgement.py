"""Reading the reviewer's judgement facts as any reviewer writes them: functional improvement as 8 CCR
9792.20(e) defines it, failed conservative care, pain relief from a medication, treatment goals, ongoing
active rehabilitation. Both ways: the phrasings that must be read, and the negated, hedged, restated
(a guideline's words, a definition, a quoted list of criteria, the literature), reported (utilization
review's reasons) and "no evidence of it" variants that must not be read as found. Every sentence is
invented for the suite; every read goes through the real patterns in rules/extraction/."""

from __future__ import annotations

import pytest

from imr_rules.reading.facts import read_fact
from imr_rules.reading.patterns import load_patterns
from imr_rules.reading.sentences import sentences

from .conftest import RULES

PATTERNS = load_patterns(RULES)


def _read(fact: str, text: str, section: str = "item_rationale") -> object:
    """The value one fact pattern reads from `text` alone (None: not documented)."""
    pattern = next(p for p in PATTERNS.facts.facts if p.fact == fact)
    got = read_fact(pattern, PATTERNS, sentences(text, 0, len(text), section), [], "test", None)
    return None if got is None else got[0]


# --- functional improvement (8 CCR 9792.20(e)) -------------------------------------------------------------

IMPROVED = [
    "After the six visits her lifting limit was raised from 10 to 25 pounds.",
    "His work restrictions were lifted once the therapy ended.",
    "Since the sessions she can now sit through a full shift.",
    "He stopped the muscle relaxant after the course of therapy.",
    "She has gone back to her usual job since completing the treatment.",
    "She walks two blocks further than before.",
    "The temporary total disability was changed to modified duty after the visits.",
    "She no longer needs the cane.",
    "Her Oswestry score improved from 48 to 30 with the treatment.",
]


@pytest.mark.parametrize("text", IMPROVED)
def test_functional_improvement_in_other_words_is_read(text: str) -> None:
    assert _read("functional_improvement_from_prior", text) is True


@pytest.mark.parametrize(
    "text",
    [
        # pain alone, a feeling, a vague benefit: not improvement in function
        "Pain decreased from 8/10 to 4/10 with the therapy.",
        "She feels better after the therapy.",
        "The patient reported some benefit from the prior sessions.",
        "The acupuncture was helpful.",
        # a guideline's definition or condition, however it is introduced
        "Functional improvement means a clinically significant improvement in daily activities or a reduction "
        "in work restrictions.",
        "Functional improvement is defined by fewer work restrictions and less dependence on treatment.",
        "Guidelines recommend further visits when there is functional improvement.",
        "They also state that treatment may continue if there is objective functional improvement.",
        "Evidence of functional improvement, such as fewer work restrictions, is needed before more visits.",
        "Repeat blocks are based on continued objective documented functional improvement.",
        "Documentation of pain and functional improvement are essential components of the follow-up.",
        # utilization review's reasons, not the reviewer's finding
        "The UR reviewer noted that the patient had returned to work.",
        "The prior reviewer found that her work restrictions were reduced.",
        # the reviewer finds no evidence of it: not documented, not documented absent
        "There is no evidence of objective functional improvement with the prior acupuncture.",
        "The records do not show functional improvement from the prior therapy.",
        "The patient does not have objective documentation of functional improvement with the drug.",
        "The prior sessions are listed without mention of functional improvement.",
        "The patient's objective functional improvement with the earlier visits was not indicated.",
        "There is a lack of documentation that the sessions reduced her restrictions, improved her daily "
        "activities or let her stop a medication.",
    ],
)
def test_what_is_not_functional_improvement_found(text: str) -> None:
    assert _read("functional_improvement_from_prior", text) is None


@pytest.mark.parametrize(
    "text",
    [
        "There was no functional improvement after the prior visits.",
        "The prior visits were not beneficial.",
        "Her lifting restriction is unchanged at 15 pounds.",
        "The sessions did not help her function.",
        "Function remained static after the course of treatment.",
    ],
)
def test_the_reviewers_own_finding_of_no_improvement_is_false(text: str) -> None:
    assert _read("functional_improvement_from_prior", text) is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a restated guideline, then a clause about this case: the case clause is read
        (
            "Guidelines allow more visits only with functional improvement, but in this case her lifting limit "
            "was raised to 25 pounds.",
            True,
        ),
        (
            "Although utilization review denied the visits for lack of functional improvement, the records show "
            "she has returned to full duty.",
            True,
        ),
        ("She has returned to full duty, which the guidelines count as functional improvement.", True),
        # ... but a clause that states a condition stays the guideline's
        ("Guidelines recommend more visits, but the patient must return to work first.", None),
        ("Utilization review noted she returned to work and non-certified the request.", None),
    ],
)
def test_a_restatement_or_a_reported_decision_covers_its_own_clause(text: str, expected: object) -> None:
    assert _read("functional_improvement_from_prior", text) is expected


# --- failed conservative care ------------------------------------------------------------------------------

FAILED = [
    "His neck pain has persisted despite six weeks of physiotherapy and anti-inflammatories.",
    "The therapy gave her no lasting relief.",
    "Non-operative measures have been exhausted.",
    "The patient had an unsuccessful trial of physical therapy.",
    "Her radicular symptoms remain despite chiropractic care.",
    "The home exercise program proved unsuccessful.",
    "She failed to improve with physical therapy.",
    'She reported "minimal improvement" despite physical therapy.',
    "He had little relief from the chiropractic visits.",
]


@pytest.mark.parametrize("text", FAILED)
def test_failed_conservative_care_in_other_words_is_read(text: str) -> None:
    assert _read("conservative_care_failed", text, "summary") is True


@pytest.mark.parametrize(
    "text",
    [
        "There is no evidence that the worker failed conservative care.",
        "The records do not show that conservative treatment failed.",
        "The documentation does not establish that she has failed physical therapy.",
        "There is no indication the patient had trialed and failed conservative care.",
        "Guidelines recommend imaging when symptoms persist despite conservative care.",
        "They also state that imaging is indicated after failure of conservative treatment.",
        "The UR reviewer noted that the patient had failed conservative care.",
        "The previous denial cited persistent pain despite therapy.",
    ],
)
def test_what_is_not_failed_conservative_care(text: str) -> None:
    assert _read("conservative_care_failed", text, "summary") is None


@pytest.mark.parametrize(
    "text",
    [
        "After six weeks of physical therapy, the numbness in her hand persists.",
        "Physiotherapy lasting more than four weeks, with persistence of a sensory deficit in the thumb.",
        "After two months of therapy he still has arm pain.",
        "Four weeks of chiropractic care later, the weakness remains unchanged.",
        "Conservative treatment over more than a month brought no improvement in the neck pain.",
        "After 6 weeks of medications, ice and physical therapy, the patient still reports numbness.",
    ],
)
def test_a_period_of_care_with_the_symptoms_still_there_is_failed_care(text: str) -> None:
    """ACOEM 2004: special studies when "a three- or four-week period of conservative care and observation
    fails to improve symptoms"; a period of care stated with the symptom or deficit still present after it."""
    assert _read("conservative_care_failed", text, "summary") is True


@pytest.mark.parametrize(
    "text",
    [
        # improving, resolved, or the symptom denied
        "She has had eight weeks of physical therapy and continues to improve.",
        "After six weeks of physical therapy there is no persistent numbness.",
        "After six weeks of physical therapy the numbness has resolved.",
        # a condition or a guideline's period, not this patient's
        "Imaging is supported after one month of conservative therapy when symptoms persist.",
        "Guidelines call for four weeks of conservative care if pain persists.",
        # a period of care requested or planned, not had
        "She will start six weeks of physical therapy, and the pain persists.",
        "Six weeks of physical therapy are requested because the pain persists.",
        "A trial of six weeks of therapy is planned since the numbness persists.",
        # hedged
        "It is unclear whether six weeks of therapy left any residual deficit.",
    ],
)
def test_no_failed_care_from_improvement_conditions_plans_or_hedges(text: str) -> None:
    assert _read("conservative_care_failed", text, "summary") is None


@pytest.mark.parametrize(
    "text",
    [
        "Hand numbness for about a year, with earlier occupational therapy.",
        "Neck pain for the past six months, with previous chiropractic care.",
        "He reports tingling for several months and has undergone prior therapy.",
        "Symptoms for over a year despite previous acupuncture.",
        "Wrist symptoms for 3 years and has received previous hand therapy.",
    ],
)
def test_symptoms_that_outlasted_prior_care_are_failed_care(text: str) -> None:
    assert _read("conservative_care_failed", text, "summary") is True


@pytest.mark.parametrize(
    "text",
    [
        "Neck pain for six months; prior physical therapy resolved it.",
        "She has had arm numbness for two weeks and will start therapy.",
        "Guidelines recommend imaging for symptoms for over six weeks with prior care.",
        "It is unclear whether symptoms for two years and prior therapy are related.",
        "No symptoms for two years and no prior therapy.",
    ],
)
def test_no_failed_care_from_relief_plans_guidelines_hedges_or_negations(text: str) -> None:
    assert _read("conservative_care_failed", text, "summary") is None


def test_prior_care_that_helped_is_care_that_did_not_fail() -> None:
    """Relief with the care had (care11's 'the programme helped' kind): not failed, read false."""
    assert _read("conservative_care_failed", "Pain for two years and prior therapy that helped.", "summary") is False


@pytest.mark.parametrize(
    "text",
    [
        # care had, with nothing said of its result: tried is not failed
        "Conservative treatment was already given to the worker.",
        "She has already undergone conservative care for the wrist.",
        "He has already completed conservative therapy.",
        "The worker has already tried conservative treatment, including a brace.",
        "Conservative care has already been provided.",
    ],
)
def test_care_already_had_is_not_care_that_failed(text: str) -> None:
    assert _read("conservative_care_failed", text, "summary") is None


@pytest.mark.parametrize(
    "text",
    [
        "Physical therapy is helping her shoulder.",
        "She has improved with physical therapy.",
        "The chiropractic visits have helped.",
        "Conservative care has not failed, as she continues to improve with therapy.",
        "The worker is responding to physical therapy.",
        "As the patient has not failed to improve with conservative treatment, imaging is not supported.",
        # (issue 12) care with good relief stated has not failed either
        "Knee pain for two years and has had prior physical therapy with good relief.",
    ],
)
def test_care_that_helps_has_not_failed(text: str) -> None:
    assert _read("conservative_care_failed", text, "summary") is False


# --- pain relief from the medication -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The tramadol lowers her pain from 8/10 to 4/10.",
        "With the medication his pain drops by half.",
        "She reports 50% pain relief with the current regimen.",
        "His pain level improved from 9/10 to 5/10 on the medication.",
        "The medication brings her pain down to 3/10.",
    ],
)
def test_pain_relief_from_the_medication_is_read(text: str) -> None:
    assert _read("pain_relief_from_medication", text) is True


@pytest.mark.parametrize(
    "text",
    [
        "There is no evidence of at least 30% pain relief with the medication.",
        "Guidelines recommend continuing opioids when there is a 30% reduction in pain.",
        "According to a recent review, topical anti-inflammatories give good pain relief for sprains.",
        "The number needed to treat, defined as 50% pain relief versus placebo, was 4.5.",
        "Analgesia: meaningful pain relief. b.",
        "The UR reviewer noted that the medication reduced her pain.",
    ],
)
def test_what_is_not_pain_relief_found(text: str) -> None:
    assert _read("pain_relief_from_medication", text) is None


def test_the_reviewers_own_finding_of_no_relief_is_false() -> None:
    assert _read("pain_relief_from_medication", "The medication provided no pain relief.") is False


# --- treatment goals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The provider documented specific functional goals for the TENS trial.",
        "Short and long-term goals were outlined in the treatment plan.",
        "Her goals are to walk one mile and return to regular duty.",
        "The treatment plan lists goals of decreased pain and improved sleep.",
        "Measurable treatment goals accompany the request.",
    ],
)
def test_treatment_goals_are_read(text: str) -> None:
    assert _read("treatment_goals_documented", text) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There were no treatment goals documented.", False),
        ("Clear treatment goals were neither stated nor set.", False),
        ("Guidelines require a treatment plan with short and long-term goals.", None),
        ("More detailed long-term goals would be helpful.", None),
        ("The trial requires documentation of short-term and long-term treatment goals.", None),
    ],
)
def test_what_is_not_treatment_goals_documented(text: str, expected: object) -> None:
    assert _read("treatment_goals_documented", text) is expected


# --- active rehabilitation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "She is currently attending physical therapy twice a week.",
        "She remains in physical therapy for the shoulder.",
        "He attends therapy twice a week.",
        "The treatment plan included an MRI of the knee, physical therapy, medication and a follow up visit.",
        "The patient is participating in a functional restoration program.",
    ],
)
def test_ongoing_active_rehabilitation_is_read(text: str) -> None:
    assert _read("active_rehabilitation_ongoing", text, "summary") is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She has not started physical therapy yet.", False),
        ("Guidelines recommend acupuncture as an adjunct to physical rehabilitation.", None),
        ("There is no evidence that the patient is participating in physical therapy.", None),
        ("The UR reviewer noted that he is attending physical therapy.", None),
        ("He does his home exercises daily.", None),
    ],
)
def test_what_is_not_ongoing_active_rehabilitation(text: str, expected: object) -> None:
    assert _read("active_rehabilitation_ongoing", text, "summary") is expected


# --- the judgement flag: "no evidence of" is not documented only for a judgement fact -----------------------


def test_no_evidence_of_an_examination_finding_is_still_absent() -> None:
    pattern = next(p for p in PATTERNS.facts.facts if p.fact == "objective_neurologic_findings")
    assert not pattern.judgement
    text = "There is no evidence of a positive straight leg raise on examination."
    got = read_fact(pattern, PATTERNS, sentences(text, 0, len(text), "summary"), [], "test", None)
    assert got is not None and got[0] is False


def test_a_multi_word_trigger_starting_just_outside_the_window_still_governs() -> None:
    text = "The records do not document that she returned to work, stopped a medication or had fewer restrictions."
    assert _read("functional_improvement_from_prior", text) is None


def test_the_records_silence_governs_the_whole_clause_of_a_judgement() -> None:
    text = (
        "The submitted records did not provide any therapy notes documenting how many sessions she has had or "
        "whether she made progress in terms of objective or functional improvement with the prior treatment."
    )
    assert _read("functional_improvement_from_prior", text) is None


# --- durable medical equipment and its medical need --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A standard wheelchair meets the definition of durable medical equipment.", True),
        ("The commode is considered durable medical equipment.", True),
        ("A hospital bed qualifies as DME.", True),
        ("The shower chair would be considered an item of durable medical equipment.", True),
        ("The bed falls within the Medicare definition of DME.", True),
        ("Large gloves are disposable supplies.", False),
        ("A recliner is useful to a person without an illness or injury.", False),
        ("The item is not primarily medical in nature.", False),
        ("Guidelines recommend durable medical equipment if it meets Medicare's definition of DME.", None),
        ("They also state that equipment is DME when it withstands repeated use.", None),
        ("There is no documentation that the walker meets the definition of durable medical equipment.", None),
    ],
)
def test_meeting_the_dme_definition_is_read_from_the_reviewers_words(text: str, expected: object) -> None:
    assert _read("meets_dme_definition", text) is expected


@pytest.mark.parametrize(
    "name", ["Standard wheelchair for a 2 month rental", "Hospital bed, purchase", "Front wheeled walker"]
)
def test_the_items_name_alone_does_not_document_the_dme_definition(name: str) -> None:
    assert _read("meets_dme_definition", name, "item_name") is None


def test_a_disposable_supply_by_name_is_not_dme() -> None:
    assert _read("meets_dme_definition", "Hygiene wipes, one box", "item_name") is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She needs a wheelchair because she cannot bear weight on the left leg.", True),
        ("He requires a walker for ambulation after the fusion.", True),
        ("The patient is non-weight bearing on the right foot.", True),
        ("There is no evidence that the patient requires a wheelchair.", None),
        ("Guidelines recommend a wheelchair if the patient requires one to move about the home.", None),
    ],
)
def test_equipment_medical_need(text: str, expected: object) -> None:
    assert _read("equipment_medical_need", text) is expected


# --- deficits that need supervision, exceptional factors ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She has residual deficits in grip strength that the home program has not addressed.", True),
        ("Objective functional deficits remain in shoulder flexion.", True),
        ("Significant deficits in range of motion persist.", True),
        ("The patient has minimal deficits and is independent with a home exercise program.", False),
        ("There are no remaining deficits that would require supervised therapy.", False),
        ("Guidelines allow more visits for patients with persistent functional deficits.", None),
    ],
)
def test_deficits_that_need_supervision(text: str, expected: object) -> None:
    assert _read("deficits_need_supervision", text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She had a flare-up of her back pain last month.", True),
        ("He sustained a new injury to the same knee in December.", True),
        ("She reinjured the shoulder while lifting a box.", True),
        ("The course was interrupted by a post-operative infection.", True),
        ("Exceptional circumstances, including a wound complication, are documented.", True),
        ("There was no new injury.", False),
        ("There is no documentation of a flare-up or new injury.", None),
        ("Guidelines allow more visits for exceptional factors.", None),
    ],
)
def test_exceptional_factors(text: str, expected: object) -> None:
    assert _read("exceptional_factors", text) is expected


# --- issue 12: deficits and the home programme in the reviewer's own words, both ways ----------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the reviewer's finding on this claimant, not a restated guideline ("is indicated")
        ("Two further sessions to work on the residual deficits and move the claimant to a HEP is indicated.", True),
        ("In this case, one more week of therapy for the persistent deficits is indicated.", True),
        # a negated judgement with the patient's hedge inside it ("could stand to gain")
        ("It did not seem likely that she could stand to benefit from more skilled supervision.", False),
        ("It does not appear that he would gain from further formal therapist oversight.", False),
        # the reviewer's expectation of this patient's home programme ("should" of her, not of patients)
        ("By now she should be able to carry on with an independent home exercise program.", False),
        ("The claimant should be well versed in a HEP at this point.", False),
        ("He should now be independent with his home exercise program.", False),
        ("The applicant should be able to perform her exercises independently.", False),
        ("The remaining stretching can be done at home without supervision.", False),
        # never read: a guideline, patients in general, a treatment indicated in general, UR's reasons, a hedge
        ("Patients should transition to a home exercise program after the supervised visits.", None),
        ("Therapy for remaining deficits is indicated when a home program cannot address them.", None),
        ("The patient should be formally assessed after a six-visit clinical trial.", None),
        ("Utilization review found that she should be able to continue with a home exercise program.", None),
        ("It appears that she could benefit from further supervised therapy.", None),
        # the records' silence, the comparison with the home programme included (the annotators' reading)
        ("There is no objective explanation why she would need more therapy rather than a home program.", None),
        ("There is no indication that additional exercises cannot be done independently.", None),
        ("There is no documentation of remaining deficits.", None),
    ],
)
def test_deficits_and_the_home_programme_in_the_reviewers_words(text: str, expected: object) -> None:
    assert _read("deficits_need_supervision", text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her last therapy note describes persistent functional deficits in grip and pinch strength.", True),
        ("He was noted to be independent with his home exercise program.", False),
        ("Utilization review denied further therapy, citing no remaining deficits.", None),
    ],
)
def test_deficits_are_read_from_the_summary_too(text: str, expected: object) -> None:
    assert _read("deficits_need_supervision", text, "summary") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the finding, then what it would have justified against the guideline (issue 12)
        ("No exceptional factors were documented that would justify exceeding the guideline's visits.", False),
        ("There were no extenuating circumstances noted that would warrant exceeding the MTUS recommendation.", False),
        ("He had a flare-up in March which would justify more visits than the guideline allows.", True),
        ("Guidelines permit extra visits only for exceptional factors that would warrant exceeding them.", None),
    ],
)
def test_exceptional_factors_before_what_they_would_justify(text: str, expected: object) -> None:
    assert _read("exceptional_factors", text) is expected
