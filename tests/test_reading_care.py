"""Reading the course of care as any reviewer writes it: failed conservative care, functional improvement
stated in the clinical summary, a request too vague to certify, a planned invasive procedure, the drug form
of a medication item, and the sentences that must not be read as facts (a restated guideline, a reviewer's
"no documentation noting ..."). Every sentence here is invented for the suite; every read goes through the
real patterns in rules/extraction/."""

from __future__ import annotations

import pytest

from imr_rules.reading.facts import read_fact
from imr_rules.reading.requests import body_from_diagnoses, regionless
from imr_rules.reading.sentences import sentences

from .conftest import bundled_library, bundled_patterns


def _read(fact: str, text: str, section: str = "summary") -> object:
    """The value one fact pattern reads from `text` alone (None: not documented)."""
    pattern = next(p for p in bundled_patterns().facts.facts if p.fact == fact)
    got = read_fact(pattern, bundled_patterns(), sentences(text, 0, len(text), section), [], "test", None)
    return None if got is None else got[0]


# --- failed conservative care -------------------------------------------------------------------------

FAILED_CARE = [
    "She has failed physical therapy and a home exercise program.",
    "The worker had failed a prolonged course of conservative treatment.",
    "His symptoms have not responded to six weeks of physiotherapy.",
    "The back pain has been refractory to conservative care.",
    "Chiropractic care was not helping according to the progress note.",
    "The therapy did not help his neck pain.",
    "Acupuncture gave only temporary relief.",
    "Heat and therapy eased the pain, but only briefly.",
    "There is persisting radicular pain despite four months of therapy.",
    "An MRI was ordered because of a lack of improvement with physical therapy.",
]


@pytest.mark.parametrize("text", FAILED_CARE)
def test_failed_conservative_care_is_read(text: str) -> None:
    assert _read("conservative_care_failed", text) is True


@pytest.mark.parametrize(
    "text",
    [
        # a restated guideline
        "Guidelines support imaging when the patient has failed physical therapy.",
        "Surgery is reserved for patients who did not respond to conservative treatment.",
        # not documented, hedged
        "It is not documented that she has failed physical therapy.",
        "It is unclear whether the pain has been refractory to conservative care.",
        "The visit was to determine whether she has failed physical therapy.",
        "Surgery is deferred until he has failed a home exercise program.",
        # not a failure of care: a drug, or another subject (care that helps reads false: test_reading_judgement.py)
        "She has failed first line therapy with gabapentin.",
        "The patient has failed to attend the last two visits.",
        # utilization review's reasons
        "Utilization review noted the patient has failed physical therapy but denied the request.",
    ],
)
def test_what_is_not_failed_conservative_care(text: str) -> None:
    assert _read("conservative_care_failed", text) is None


# --- functional improvement from the prior treatment --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Physical therapy helped with her flexibility and walking.",
        "The acupuncture improved his range of motion.",
        "Notes describe significant improvement in pain and functioning with therapy.",
        "Chiropractic care has increased her mobility.",
        "PT improved his endurance at work.",
    ],
)
def test_functional_improvement_in_the_summary_is_read(text: str) -> None:
    assert _read("functional_improvement_from_prior", text, "summary") is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She completed ten sessions of therapy that were not beneficial.", False),
        ("The prior acupuncture treatments proved ineffective.", False),
        ("Physical therapy was of no benefit.", False),
        # the medication, not a function word; a restated guideline; a reviewer's "no documentation"
        ("The pain medications helped the patient's functional mobility.", None),
        ("Further visits depend on documented functional improvement with the therapy.", None),
        ("The guidelines require that therapy improved function before more visits.", None),
        ("There is no documentation noting that therapy improved her function.", None),
        ("Treatment included therapy, without documentation of objective functional improvement.", None),
    ],
)
def test_what_is_not_functional_improvement(text: str, expected: object) -> None:
    assert _read("functional_improvement_from_prior", text, "summary") is expected


# --- a request too vague to certify -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The request for a two month supply is vague and open to interpretation.",
        "The order as written remains unclear.",
        "This is an ambiguous prescription.",
        "The provider did not specify the body region to be treated with the shockwave therapy.",
        "The dosage strength was not specified.",
        "The requested level was not indicated.",
    ],
)
def test_an_unspecified_request_is_read(text: str) -> None:
    assert _read("request_unspecified", text, "item_rationale") is True


@pytest.mark.parametrize(
    "text",
    [
        "The request specifies the left knee and six visits.",
        "The dosage strength is 10 mg twice daily.",
        # a guideline's own words are not the reviewer's finding about this request
        "Guidelines state a request should specify the body region.",
    ],
)
def test_what_is_not_an_unspecified_request(text: str) -> None:
    assert _read("request_unspecified", text, "item_rationale") is None


# --- a planned invasive procedure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The surgeon said she may consider a subacromial injection next month.", None),  # hedged: may
        ("The plan is to consider a cortisone injection of the shoulder.", True),
        ("He is scheduled for an arthroscopy of the knee.", True),
        ("There is no planned invasive procedure.", False),
    ],
)
def test_planned_invasive_procedure(text: str, expected: object) -> None:
    assert _read("invasive_procedure_planned", text) is expected


# --- the drug form of a medication item ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tabradol 1mg/ml oral suspension 250ml", True),
        ("Ranitidine (15mg/1ml) 300ml", True),
        ("Gabapentin 5 mg/5 ml solution 470ml", True),
        ("Baclofen 10mg #90", False),
        ("Tizanidine 4 mg, one by mouth at night #30", False),
        ("Omeprazole 20mg capsules", False),
    ],
)
def test_oral_suspension_from_the_item_line(name: str, expected: object) -> None:
    assert _read("oral_suspension", name, "item_name") is expected


# --- a restated list of criteria and a reviewer's "no documentation" ----------------------------------


def test_a_restated_list_covers_every_clause_of_it() -> None:
    text = (
        "Monitoring of the four A's includes meaningful relief of pain; improvement in function; side effects; "
        "and aberrant drug taking."
    )
    assert _read("pain_relief_from_medication", text, "item_rationale") is None


def test_a_finding_before_a_restated_clause_is_still_read() -> None:
    text = "The opioid reduces her knee pain from 7 out of 10 to 3; guidelines support continued use in that case."
    assert _read("pain_relief_from_medication", text, "item_rationale") is True


@pytest.mark.parametrize(
    "text",
    [
        "There is no documentation noting a reduction of pain with the medication.",
        "The notes did not note any pain reduction with the medication.",
        "There is insufficient documentation of pain relief with the medication.",
    ],
)
def test_a_reviewer_not_noting_a_finding_leaves_it_undocumented(text: str) -> None:
    assert _read("pain_relief_from_medication", text, "item_rationale") is None


# --- pain relief from the medication, with a measure --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The Norco reduces her knee pain from 7 out of 10 to 3.",
        "With the patch his pain decreased from 8/10 to 5/10.",
        "The medication lowers the pain score by half.",
        "Tramadol brings his back pain to 4/10 from 9/10.",
        "She reports the naproxen reduced the pain by about 40 percent.",
    ],
)
def test_measured_pain_relief_is_read(text: str) -> None:
    assert _read("pain_relief_from_medication", text, "item_rationale") is True


@pytest.mark.parametrize(
    "text",
    [
        "Guidelines recommend continuing opioids if they reduce pain by 30 percent.",
        "It is not documented that the medication reduced the pain from a baseline.",
        "There is no documentation noting the pain was reduced by the medication.",
    ],
)
def test_what_is_not_measured_pain_relief(text: str) -> None:
    assert _read("pain_relief_from_medication", text, "item_rationale") is None


@pytest.mark.parametrize(
    "text",
    [
        # the earlier reviewer's decision and its reasons, and a condition for later care
        "The request for therapy was modified to allow four visits, as objective functional improvement is needed.",
        "Evidence of functional improvement is required for further authorizations of therapy.",
        # hedged by the writer
        "She apparently returned to work after the therapy.",
    ],
)
def test_a_decision_a_condition_or_a_hearsay_is_not_functional_improvement(text: str) -> None:
    assert _read("functional_improvement_from_prior", text, "summary") is None


# --- negation scope -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "There was no improvement in function with the opioid.",
        "There was no relief of pain with the tramadol she is taking.",
        "She noted no benefit from the Norco she is taking.",
    ],
)
def test_no_improvement_with_a_drug_does_not_negate_the_drug(text: str) -> None:
    assert _read("opioid_therapy", text) is not False


@pytest.mark.parametrize(
    ("fact", "text", "section", "expected"),
    [
        ("opioid_therapy", "She is not taking any opioid.", "summary", False),
        ("opioid_therapy", "There was no pain relief, and she is not taking any opioid.", "summary", False),
        ("opioid_therapy", "She has been on hydrocodone for a year.", "summary", True),
        (
            "functional_improvement_from_prior",
            "There was no improvement in function with the opioid.",
            "summary",
            False,
        ),
        ("pain_relief_from_medication", "There was no pain relief from the medication.", "item_rationale", False),
        ("conservative_care_failed", "There was no improvement with physical therapy.", "summary", True),
    ],
)
def test_the_negated_finding_itself_is_still_negated(fact: str, text: str, section: str, expected: object) -> None:
    assert _read(fact, text, section) is expected


@pytest.mark.parametrize(
    "text",
    [
        "There is an absent ankle reflex on the left.",
        "On examination there is an absent left ankle reflex.",
        "The right patellar reflex is absent.",
    ],
)
def test_an_absent_reflex_is_the_finding_not_its_negation(text: str) -> None:
    assert _read("objective_nerve_compromise_on_exam", text) is True


# --- a surgical lesion of the knee or shoulder --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Exam revealed a complex meniscus tear with locking and a positive McMurray.",
        "He has a positive McMurray's test and the MRI shows a torn medial meniscus.",
        "A bucket-handle tear was confirmed on the MRI of the knee.",
        "The lateral meniscal tear causes catching and giving way.",
        "There is a labral tear with a positive O'Brien sign.",
        "The knee buckles and locks; Lachman is positive with an ACL tear on imaging.",
    ],
)
def test_a_surgical_lesion_is_read(text: str) -> None:
    assert _read("surgical_lesion_evidence", text) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There is no locking or catching despite the meniscal tear.", False),
        ("A degenerative meniscus tear was seen; McMurray was negative and there was no locking.", None),
        ("Surgery is indicated for a meniscus tear with locking and a positive McMurray.", None),
        ("She reports locking of the knee and a meniscus tear.", None),  # her complaint, not a finding
        ("There is locking and a possible meniscus tear.", None),
        ("A positive McMurray test suggests a meniscal tear versus a sprain.", None),
        ("The MRI of the shoulder showed a partial rotator cuff tear.", None),
    ],
)
def test_what_is_not_a_surgical_lesion(text: str, expected: object) -> None:
    assert _read("surgical_lesion_evidence", text) is expected


# --- the body region a course of visits treats, from the diagnoses when its name names none ------------


# --- a drug tried for pain that failed or was not tolerated (MTUS CPMTG topical analgesics: after oral
# first-line agents; a judgement over the records, so "no evidence that ... failed" is not documented) ------

ORAL = "other_treatments_failed_or_not_tolerated"
FIRST_LINE = "first_line_neuropathic_failed"
DRUG_FAILED = [
    (ORAL, "Naproxen did not help her wrist pain."),
    (ORAL, "He obtained no significant relief from the anti-inflammatory medication."),
    (ORAL, "She could not tolerate oral NSAIDs because of stomach upset."),
    (ORAL, "Norco caused nausea and was replaced."),
    (ORAL, "Ibuprofen was stopped because of gastritis."),
    (ORAL, "He has had an inadequate response to meloxicam."),
    (ORAL, "The worker had not obtained meaningful pain relief with this medication."),
    (ORAL, "Oral analgesics have proved ineffective."),
    (FIRST_LINE, "Gabapentin did not help the burning pain."),
    (FIRST_LINE, "She had no relief with nortriptyline."),
    (FIRST_LINE, "He could not tolerate duloxetine."),
    (FIRST_LINE, "Lyrica caused dizziness and was stopped."),
    (FIRST_LINE, "Amitriptyline was discontinued because of sedation."),
    (FIRST_LINE, "There was an inadequate response to a trial of Cymbalta."),
]
DRUG_NOT_FAILED = [
    (ORAL, "The oral medications are helping with her daily activities.", False),
    (ORAL, "Celebrex has been effective for the knee pain.", False),
    # not documented, a restated guideline, utilization review's reasons, a drug started, hedged
    (ORAL, "There is no evidence that oral medications failed.", None),
    (ORAL, "The records do not show that naproxen was ineffective.", None),
    (ORAL, "Topical analgesics are recommended when oral medications are not tolerated.", None),
    (ORAL, "Utilization review noted that ibuprofen did not help.", None),
    (ORAL, "Naproxen was started at the last visit.", None),
    (ORAL, "Ibuprofen caused no side effects.", None),
    (ORAL, "It is unclear whether the tramadol helped.", None),
    (FIRST_LINE, "There is no evidence of a failed first-line agent.", None),
    (FIRST_LINE, "The records do not document a failed trial of an anticonvulsant.", None),
    (FIRST_LINE, "Gabapentin was started two weeks ago.", None),
    (
        FIRST_LINE,
        "Topical analgesics are recommended when trials of antidepressants and anticonvulsants have failed.",
        None,
    ),
    (FIRST_LINE, "Pregabalin has helped her sleep.", None),
    (FIRST_LINE, "Gabapentin caused no side effects.", None),
    (FIRST_LINE, "He continues duloxetine 60 mg daily.", None),
]


@pytest.mark.parametrize(("fact", "text"), DRUG_FAILED)
def test_a_drug_that_failed_or_was_not_tolerated_is_read(fact: str, text: str) -> None:
    assert _read(fact, text) is True


@pytest.mark.parametrize(("fact", "text", "expected"), DRUG_NOT_FAILED)
def test_a_drug_that_works_or_is_only_mentioned_is_not_a_failure(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("The diagnoses include a lower back strain.", "lumbar"),
        ("She was diagnosed with tenosynovitis of the right wrist and carpal tunnel syndrome.", "wrist_hand"),
        ("Current diagnosis: cervical disc displacement at C5-6.", "cervical"),
        ("He has knee pain. The diagnosis is a medial meniscus tear of the left knee.", "knee"),
        ("The diagnosis is documented as a sprain of the right shoulder.", "shoulder"),
        # several regions decide nothing; a sentence without a diagnosis, or a restated guideline, is not read
        ("Diagnoses include a lumbar strain and right shoulder impingement.", None),
        ("The patient has low back pain.", None),
        ("Guidelines list therapy visits by diagnosis for the knee.", None),
    ],
)
def test_body_region_from_the_diagnoses(text: str, body: str | None) -> None:
    found = body_from_diagnoses(sentences(text, 0, len(text), "summary"), bundled_patterns())
    assert (found[0] if found else None) == body


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        ("physical_therapy", True),
        ("chiropractic", True),
        ("acupuncture_therapy", True),
        ("opioid", False),
        ("urine_drug_test", False),
        ("mri_lumbar", False),
        ("postop_pt", False),
    ],
)
def test_only_a_course_of_visits_takes_its_region_from_the_diagnoses(service: str, expected: bool) -> None:
    assert regionless(service, bundled_library(), "requested_visits") is expected
