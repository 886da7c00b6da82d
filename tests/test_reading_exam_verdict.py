"""Examination findings and red flags as the reviewer words them (session 10, exam10): the reviewer's own
finding against a sign the summary reports, a root named beside a peripheral nerve, the records holding no
findings of a thing, and a spinal nerve compressed with no root named.

Every sentence is invented for the suite (ACOEM 2004 Ch. 12 pp. 303-304: "unequivocal objective findings that
identify specific nerve compromise on the neurologic examination"; Table 12-1 red flags); each goes through the
real reader in a letter made around it (`test_reading_quantities.read`)."""

from __future__ import annotations

import pytest

from .test_reading_quantities import item_fact, read
from .test_reading_suites import INTRO

ROOT = "objective_nerve_compromise_on_exam"
LUMBAR_MRI = "MRI of the lumbar spine"
CERVICAL_MRI = "MRI of the cervical spine"
ESI = "Left L5-S1 transforaminal epidural steroid injection"


def _value(fact: str, item: str, summary: str, rationale: str = "The request is not medically necessary.") -> object:
    data = read(f"{INTRO} {summary}", item, rationale=rationale)
    found = item_fact(data, fact)
    return data["facts"].get(fact, {}).get("value") if found is None else found


# --- the reviewer's finding that the examination shows no nerve compromise, against a sign in the summary ------

SIGN = "On the last visit pinprick was reduced over the L5 distribution on the left."
DENIALS = [
    "On review, the physical examination disclosed no evidence of nerve compromise that would justify imaging.",
    "The examination of the low back did not reveal any specific nerve root compromise.",
    "There were no objective findings of radiculopathy on the physician's examination.",
]


@pytest.mark.parametrize("rationale", DENIALS)
def test_the_reviewers_denial_and_a_summary_sign_disagree(rationale: str) -> None:
    """Left out: one sign outvotes another test's normal result, not the reviewer's finding over the exam."""
    assert _value(ROOT, LUMBAR_MRI, SIGN, rationale) is None


@pytest.mark.parametrize("rationale", DENIALS)
def test_the_reviewers_denial_alone_documents_none(rationale: str) -> None:
    assert _value(ROOT, LUMBAR_MRI, "Lumbar tenderness was noted.", rationale) is False


@pytest.mark.parametrize(
    "rationale",
    [
        # a normal result of another test in the rationale is outvoted by the sign, as in the summary
        "Reflexes were 2+ and symmetric at the knees and ankles.",
        # the guideline restated, or utilization review's reasons, are not the reviewer's finding
        "ACOEM states that imaging requires unequivocal findings of specific nerve compromise on examination.",
        "Utilization review found no evidence of nerve compromise on examination.",
        # a sign denied in the rationale says nothing of the one the summary reports
        "There was no positive straight leg raise on either side.",
    ],
)
def test_a_summary_sign_still_decides_against_other_words(rationale: str) -> None:
    assert _value(ROOT, LUMBAR_MRI, SIGN, rationale) is True


# --- a root named beside a peripheral nerve: one distribution for both ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pinprick was reduced over the left C7 and median nerve distribution.", True),
        ("There was decreased sensation over the right C6 or median nerve distribution.", True),
        ("Light touch was diminished in the right C8 and ulnar nerve distribution.", True),
        ("There was no decreased sensation over the C6 and median nerve distribution.", False),
        ("She complains of numbness in the C6 and median nerve distribution.", None),
        ("Sensation was decreased in the median nerve distribution.", None),
    ],
)
def test_a_root_and_a_nerve_distribution(text: str, expected: object) -> None:
    assert _value(ROOT, CERVICAL_MRI, text) is expected


# --- the records holding no findings of red flags: the reviewer's finding, not a gap ------------------------


@pytest.mark.parametrize(
    ("rationale", "expected"),
    [
        ("The submitted notes do not contain any objective findings suggestive of red flags.", False),
        ("The documentation did not provide significant clinical findings indicative of red flags.", False),
        ("The records do not show significant objective findings of red flags.", False),
        # the records silent on something else about it, or no findings at all, stay a gap
        ("The records did not provide the date of the red flags.", None),
        ("The documentation did not provide an explanation of the red flags.", None),
        ("The records did not provide any findings, and red flags were noted.", None),
    ],
)
def test_records_holding_no_findings_of_red_flags(rationale: str, expected: object) -> None:
    assert _value("red_flags_present", LUMBAR_MRI, "He has low back pain.", rationale) is expected


# --- a spinal nerve compressed on imaging, the root not named -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The lumbar MRI shows nerve compression at L5-S1 on the left.", True),
        ("The MRI revealed spinal nerve impingement at L4-5.", True),
        ("The lumbar MRI does not indicate nerve compression.", False),
        ("There is no evidence of nerve compression on the lumbar MRI.", False),
        # a peripheral nerve's entrapment, or the patient's words, are not imaging of a spinal nerve
        ("Nerve conduction studies showed median nerve compression at the wrist.", None),
        ("He reports nerve compression symptoms in the leg.", None),
        ("An MRI to evaluate for nerve compression at L5-S1 was requested.", None),
    ],
)
def test_spinal_nerve_compression_on_imaging(text: str, expected: object) -> None:
    assert _value("imaging_neural_compression", ESI, text) is expected


# --- no physiologic evidence of neurologic dysfunction (ACOEM Ch. 8), after another thing denied with it -------


@pytest.mark.parametrize(
    ("rationale", "expected"),
    [
        ("There were no red flags or physiological evidence of neurologic dysfunction on her visits.", False),
        ("The exam found no instability or physiologic evidence of neurological deficits.", False),
        ("There was no physiologic evidence of neurologic dysfunction.", False),
        ("There is a lack of physiologic evidence of neurologic dysfunction.", None),
        ("ACOEM advises an MRI when there is no progress or physiologic evidence of neurologic dysfunction.", None),
        ("Utilization review found no red flags or physiologic evidence of neurologic dysfunction.", None),
    ],
)
def test_no_physiologic_evidence_of_neurologic_dysfunction(rationale: str, expected: object) -> None:
    assert _value("objective_neurologic_findings", CERVICAL_MRI, "She has neck pain.", rationale) is expected
