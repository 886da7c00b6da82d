"""Reading clinical findings as any clinician writes them: paraphrase suites for the examination signs of
radiculopathy, imaging compression of a neural element and functional improvement (8 CCR 9792.20), written
from the guidelines' and the clinic's vocabulary, each with the variants that must not be read: negated,
hedged, a restated guideline, the patient's complaint, a finding about another body region. Every sentence
here is invented for the suite; every read goes through the real patterns in rules/extraction/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from imr_rules import evaluate
from imr_rules.cli import main
from imr_rules.errors import CaseError, RuleLibraryError
from imr_rules.reading.casefile import case_from_data
from imr_rules.reading.extract import extract, extract_text
from imr_rules.reading.facts import read_fact
from imr_rules.reading.patterns import load_patterns
from imr_rules.reading.requests import item_regions
from imr_rules.reading.sentences import sentences

from .conftest import RULES, bundled_library, bundled_patterns
from .test_reading_quantities import letter_text
from .test_reading_quantities import read as read_letter

LETTERS = Path(__file__).parent / "letters" / "findings"


def _read(fact: str, text: str, section: str = "summary", region: set[str] | None = None) -> object:
    """The value one fact pattern reads from `text` alone (None: not documented)."""
    pattern = next(p for p in bundled_patterns().facts.facts if p.fact == fact)
    scope = frozenset(region) if region else None
    got = read_fact(pattern, bundled_patterns(), sentences(text, 0, len(text), section), [], "test", scope)
    return None if got is None else got[0]


# --- examination signs of radiculopathy ---------------------------------------------------------------

ROOT_SIGNS = [
    # reflexes, by name, graded or compared
    "The left Achilles reflex is trace compared with 2+ on the right.",
    "On exam the right ankle jerk was absent.",
    "Examination showed a diminished left patellar reflex.",
    "Deep tendon reflexes were asymmetric at the knees.",
    "The biceps reflex was hypoactive on the right.",
    "Reflexes are depressed at the left ankle.",
    # myotomal weakness with a grade, by muscle or movement
    "There is ankle dorsiflexion weakness, 4 of 5.",
    "EHL strength measured 4-/5 on the left.",
    "Strength testing showed 4/5 in the right extensor hallucis longus.",
    "Plantar flexion was graded 4+/5 on the left.",
    "Wrist extension strength is 4 out of 5 on the right.",
    "Weakness of the left tibialis anterior was found.",
    "He is unable to heel walk on the left.",
    # dermatomal sensory loss along a dermatome or a named area
    "There is hypoesthesia along the lateral calf.",
    "Decreased sensation to pinprick in the left L5 dermatome.",
    "Light touch was diminished over the dorsum of the right foot.",
    "Sensation is reduced in the C6 distribution.",
    "Examination revealed decreased sensation to light touch in the first web space of the left foot.",
    # tension signs, atrophy
    "Straight leg raising was positive on the left at 40 degrees.",
    "A crossed straight leg raise sign was present.",
    "Seated straight leg raise reproduced radicular pain on the right.",
    "Spurling's maneuver is positive on the left.",
    "There is 2 cm of calf atrophy on the left.",
    "A left foot drop was noted.",
    # a complaint and then the clinician's finding in one sentence
    "The patient reports low back pain and on examination has a positive straight leg raise on the left.",
    "He complains of leg pain and examination revealed EHL strength of 4/5.",
]


@pytest.mark.parametrize("text", ROOT_SIGNS)
def test_root_signs_are_read_as_objective_nerve_compromise(text: str) -> None:
    assert _read("objective_nerve_compromise_on_exam", text) is True
    assert _read("objective_neurologic_findings", text) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # negated
        ("There was no weakness of the EHL.", False),
        ("The neurological examination was normal.", False),
        ("He is neurologically intact.", False),
        ("Reflexes were 2+ and symmetric.", False),  # a normal result is documented (test_reading_exam.py)
        # hedged
        ("Possible decreased sensation in the L5 dermatome.", None),
        ("Equivocal weakness of ankle dorsiflexion was seen.", None),
        ("Give-way weakness of the quadriceps was noted.", None),
        ("Strength could not be assessed due to pain.", None),
        ("Resisted wrist extension was 4+ out of 5, minimally painful.", None),
        ("Ankle dorsiflexion was 4/5 secondary to pain.", None),
        # a limb checked distal to an injury says nothing about a nerve root
        ("The knee was neurologically intact distally.", None),
        # a guideline restated, however introduced
        ("Guidelines recommend surgery when there is a positive straight leg raise.", None),
        ("They also state that weakness of the EHL is a sign of an L5 radiculopathy.", None),
        ("ODG notes that an absent Achilles reflex suggests an S1 radiculopathy.", None),
        ("Imaging requires one of the following: dermatomal sensory loss, reflex asymmetry or weakness.", None),
        ("Unequivocal objective findings such as a diminished ankle reflex identify nerve compromise.", None),
        # the patient's complaint
        ("She states her leg is weak.", None),
        ("He reports numbness along the lateral calf.", None),
        ("The patient complains of weakness in ankle dorsiflexion.", None),
        ("The worker is being treated for weakness of the legs.", None),
        # negation across a list, and utilization review's reasons
        ("There is no documentation of decreased sensation in the L5 dermatome, reflex asymmetry or a weak EHL.", None),
        ("The records fail to document reflex changes, weakness of the EHL or dermatomal sensory loss.", None),
        ("Utilization review noted a positive straight leg raise but denied the request.", None),
        # a diagnosis is not an examination finding
        ("Diagnoses include lumbar radiculopathy with sensory loss in the L5 dermatome.", None),
        # a contrast inside a sentence: the negative test does not make another sign positive (it is documented)
        ("Straight leg raise is negative and FABER is positive.", False),
        # generalised weakness of a limb names no root
        ("Motor strength was 4/5 in the bilateral lower extremities.", None),
    ],
)
def test_what_is_not_an_objective_root_sign(text: str, expected: object) -> None:
    assert _read("objective_nerve_compromise_on_exam", text) is expected


def test_one_present_sign_decides_against_another_sign_absent() -> None:
    text = "Sensation was intact. EHL strength was 4/5 on the left. There was no reflex asymmetry."
    assert _read("objective_nerve_compromise_on_exam", text) is True
    assert _read("objective_neurologic_findings", text) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Motor strength was 4 of 5 in the left upper extremity.", True),
        ("Grip strength was decreased on the right.", True),
        ("The worker had motor weakness of both legs.", True),
        ("Sensation was intact in both upper extremities.", False),
        ("Sensation to light touch and pinprick was intact in every dermatome of the legs.", False),
        ("Deep tendon reflexes were 2+ and symmetrical.", False),
        ("He had 5/5 strength of the wrist extensors.", False),
        ("A straight leg raise was negative on both sides.", False),
        ("Review of systems was negative for motor weakness.", None),
    ],
)
def test_objective_neurologic_findings_of_a_limb(text: str, expected: object) -> None:
    assert _read("objective_neurologic_findings", text) is expected


# --- imaging: compression of a neural element ------------------------------------------------------------

COMPRESSION = [
    "The MRI showed a disc extrusion displacing the right S1 root in the lateral recess.",
    "There is neuroforaminal stenosis with impingement of the C6 root.",
    "Imaging demonstrated severe central canal narrowing at L4-5.",
    "A 5 mm protrusion abuts the traversing left L5 nerve root.",
    "The herniation contacts the exiting L4 nerve root.",
    "MRI demonstrated moderate to severe left neural foraminal narrowing at C5-6.",
    "The left S1 nerve root is impinged by a disc protrusion.",
    "CT myelography showed cord compression at C4-5.",
    "There is compression of the exiting right C7 nerve root.",
    "A paracentral extrusion has severe mass effect on the lateral recess, L4 nerve root.",
    "Facet arthropathy results in moderate left and mild right neural foraminal narrowing.",
]


@pytest.mark.parametrize("text", COMPRESSION)
def test_imaging_compression_is_read(text: str) -> None:
    assert _read("imaging_neural_compression", text) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mild foraminal narrowing without nerve root impingement.", False),
        ("The MRI showed no nerve root compression.", False),
        ("Possible impingement of the L5 root.", None),
        ("ODG requires imaging showing nerve root compression.", None),
        ("The disc bulge effaces the thecal sac.", None),
        ("There is mild left and mild right neural foraminal narrowing.", None),
        ("MRI revealed a broad-based disc bulge with mild bilateral neural foraminal narrowing.", None),
        ("There is no documentation of an MRI showing compression of the L5 root.", None),
    ],
)
def test_what_is_not_imaging_compression(text: str, expected: object) -> None:
    assert _read("imaging_neural_compression", text) is expected


# --- functional improvement (8 CCR 9792.20) ------------------------------------------------------------

IMPROVED = [
    "Her lifting limit was raised from 10 to 25 pounds after the therapy.",
    "His work restrictions were lifted after six visits.",
    "She can now sit through a full shift.",
    "He stopped the muscle relaxant after the course of therapy.",
    "The patient returned to full duty in January.",
    "Walking tolerance increased from 10 to 30 minutes.",
    "The Oswestry score improved from 48 to 30.",
    "He has reduced his opioid use by half.",
    "Restrictions have been reduced to modified duty.",
    "She is now able to walk for 30 minutes without stopping.",
]


@pytest.mark.parametrize("text", IMPROVED)
def test_functional_improvement_is_read(text: str) -> None:
    assert _read("functional_improvement_from_prior", text, "item_rationale") is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There was no functional improvement with the prior sessions.", False),
        ("Function was unchanged after 12 visits.", False),
        ("Six visits were completed with no documented improvement in pain or function.", False),
        ("The patient reports less pain but function remained the same.", False),
        ("Her work restrictions are unchanged.", False),
        ("There is no documentation of functional improvement.", None),
        ("The patient has not returned to work.", None),
        ("She stopped the medication due to stomach upset.", None),
        ("Guidelines require functional improvement before more visits.", None),
        ("Pain decreased from 8/10 to 5/10.", None),
        ("The goal is to return her to full duty.", None),
    ],
)
def test_what_is_not_functional_improvement(text: str, expected: object) -> None:
    assert _read("functional_improvement_from_prior", text, "item_rationale") is expected


# --- negation across a list ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "text"),
    [
        ("nsaid_dyspepsia", "There is a lack of documentation that the patient had dyspepsia, ulcer or bleeding."),
        (
            "gi_event_history",
            "There is no documentation that the patient has risk factors such as age over 65, a history of peptic "
            "ulcer, or anticoagulant use.",
        ),
        (
            "objective_nerve_compromise_on_exam",
            "There is lack of documentation that the patient had hypoesthesia along the lateral calf, a diminished "
            "Achilles reflex, atrophy of the calf or a weak EHL.",
        ),
        (
            "functional_improvement_from_prior",
            "There was no documentation of the number of sessions completed, the pain scores or any objective "
            "functional improvement.",
        ),
    ],
)
def test_a_not_documented_trigger_governs_every_item_of_its_list(fact: str, text: str) -> None:
    section = "item_rationale" if fact == "functional_improvement_from_prior" else "summary"
    assert _read(fact, text, section) is None


# --- documented absence (docs/ARCHITECTURE.md): "a lack (absence) of X" is the reviewer's finding that X is
# absent, as "no X"; a lack of documentation, evidence, a rationale or information about it, and "no
# documentation of X", are the records' silence: not documented. The same frames for every finding fact ------

LACK_OF_HISTORY = [
    "There is a lack of history of peptic ulcer, GI bleeding, or perforation.",
    "The internist notes a lack of any prior history of a GI bleed.",
    "Her chart shows a lack of known history of gastric ulcers.",
    "A lack of past medical history of stomach ulcers was confirmed.",
    "There was a lack of previous history of gastrointestinal bleeding.",
]
# (fact, a concept the fact's targets name): each is read false in every ABSENT_FRAMES sentence, and left out
# in every SILENT_FRAMES one
ABSENCE_CONCEPTS = [
    ("red_flags_present", "red flags"),
    ("objective_neurologic_findings", "focal neurologic deficits"),
    ("objective_nerve_compromise_on_exam", "nerve root compromise"),
    ("deficits_need_supervision", "residual deficits"),
    ("muscle_spasm", "muscle spasm"),
]
ABSENT_FRAMES = [
    "There is a lack of {X} on the latest examination.",
    "Given the absence of {X}, the imaging request was reviewed.",
    "The examiner found a lack of any {X}.",
    "There are no {X} on examination.",
    "The physical exam does not document any {X}.",
]
SILENT_FRAMES = [
    "There is a lack of documentation of {X}.",
    "There is no documentation of {X}.",
    "There was a lack of clear evidence regarding {X}.",
    "The absence of information about {X} was noted.",
    "There was a lack of a clear rationale for more visits and of records describing {X}.",
    "It is unclear whether there are {X}.",
    "Guidelines state imaging is for {X}.",
    "Utilization review cited a lack of {X}.",
]
LACK_OF_SUPPORT = [
    ("gi_event_history", "There is a lack of documentation of a history of peptic ulcer."),
    ("gi_event_history", "Guidelines require a lack of history of peptic ulcer before an NSAID alone."),
    ("gi_event_history", "Utilization review cited a lack of history of GI bleeding."),
    # the reviewer's "no documentation of ... or other red flags" is the records' silence, not "no red flags"
    ("red_flags_present", "There is no documentation of a fracture, a tumour or other red flags in the notes."),
    ("objective_neurologic_findings", "There is no documentation of neurological dysfunction in the arms."),
    # a lack whose object goes on to the records' silence on something else: neither is documented
    (
        "neuropathic_pain",
        "There was a lack of subjective complaints of burning nerve pain and adequate documentation regarding "
        "failed trials.",
    ),
    (
        "neuropathic_pain",
        "The notes show an absence of complaints of neuropathic pain or any documentation of the drugs tried.",
    ),
    # a lack of a reason for the request says nothing of the care had
    ("prior_course_completed", "There was a lack of a clear rationale for additional supervised physical therapy."),
    # a judgement (functional improvement): a lack of it is the records' support, not the reviewer's finding
    ("functional_improvement_from_prior", "There is a lack of functional improvement with the prior therapy."),
]
LACK_OF_A_FINDING = [
    ("red_flags_present", "Given lack of red flags and the normal films, the study was not needed."),
    ("objective_neurologic_findings", "On 3/2/2016 there was a lack of significant neurological deficits in the arms."),
    ("exceptional_factors", "There is a lack of extenuating circumstances in this case."),
    ("muscle_spasm", "There was a lack of acute muscle spasm on the last two examinations."),
    ("objective_nerve_compromise_on_exam", "The examination showed an absence of nerve root compromise."),
]


@pytest.mark.parametrize("text", LACK_OF_HISTORY)
def test_a_lack_of_history_denies_the_history(text: str) -> None:
    assert _read("gi_event_history", text) is False


@pytest.mark.parametrize(("fact", "concept"), ABSENCE_CONCEPTS)
@pytest.mark.parametrize("frame", ABSENT_FRAMES)
def test_the_reviewers_finding_of_absence_reads_every_finding_fact_false(fact: str, concept: str, frame: str) -> None:
    text = frame.replace("{X}", concept)
    assert _read(fact, text) is False, text
    assert _read(fact, text, "rationale") is False, text


@pytest.mark.parametrize(("fact", "concept"), ABSENCE_CONCEPTS)
@pytest.mark.parametrize("frame", SILENT_FRAMES)
def test_the_records_silence_leaves_every_finding_fact_out(fact: str, concept: str, frame: str) -> None:
    text = frame.replace("{X}", concept)
    assert _read(fact, text) is None, text
    assert _read(fact, text, "rationale") is None, text


@pytest.mark.parametrize(("fact", "text"), LACK_OF_A_FINDING)
def test_a_lack_of_a_finding_is_the_reviewers_finding_that_it_is_absent(fact: str, text: str) -> None:
    section = "item_rationale" if fact == "exceptional_factors" else "summary"
    assert _read(fact, text, section) is False


@pytest.mark.parametrize(("fact", "text"), LACK_OF_SUPPORT)
def test_a_lack_of_documentation_or_support_is_not_documented(fact: str, text: str) -> None:
    section = "item_rationale" if fact == "functional_improvement_from_prior" else "summary"
    assert _read(fact, text, section) is None


@pytest.mark.parametrize(
    ("fact", "text"),
    [
        ("red_flags_present", "There was a lack of red flags in the low back examination."),
        ("muscle_spasm", "There was a lack of acute spasm in the neck."),
    ],
)
def test_a_lack_of_a_finding_of_another_region_is_not_read(fact: str, text: str) -> None:
    assert _read(fact, text, region={"shoulder"}) is None


@pytest.mark.parametrize(
    ("fact", "text"),
    [
        ("gi_event_history", "She has a history of a bleeding duodenal ulcer."),
        (
            "limb_neurologic_symptoms",
            "There was a lack of neck stiffness, but she describes numbness of the index finger.",
        ),
        (
            "conservative_care_failed",
            "Surgery was proposed because of a lack of progress with physical therapy and injections.",
        ),
    ],
)
def test_a_lack_of_one_thing_ends_at_but_and_a_lack_of_progress_is_a_failure(fact: str, text: str) -> None:
    assert _read(fact, text) is True


# --- the reason a test is asked for, or a finding judged unlikely, is not a finding --------------------------

TEST_REASON = [
    ("imaging_neural_compression", "The MRI was ordered to evaluate for a disc herniation."),
    ("imaging_neural_compression", "An MRI is requested to assess for nerve root compression."),
    ("imaging_neural_compression", "The study is needed to exclude spinal stenosis."),
    ("imaging_neural_compression", "A CT myelogram was ordered for further evaluation of possible foraminal stenosis."),
    ("red_flags_present", "X-rays were taken to look for a compression fracture."),
    ("red_flags_present", "The physician wants to exclude a vertebral fracture."),
    (
        "limb_neurologic_symptoms",
        "She was referred for an MRI of the lumbar spine to evaluate for right lumbar radiculitis.",
    ),
    ("nerve_entrapment_suspected", "Electrodiagnostic testing was requested to screen for a peripheral neuropathy."),
    ("imaging_neural_compression", "Nerve root compression is unlikely."),
    ("red_flags_present", "A vertebral fracture was thought to be unlikely after the fall."),
]
FOUND_BESIDE_A_TEST = [
    (
        "imaging_neural_compression",
        "The MRI done to evaluate her leg pain showed a disc herniation compressing the S1 root.",
    ),
    (
        "imaging_neural_compression",
        "The prior MRI showed foraminal stenosis at L4-5, and a repeat study is requested to assess for progression.",
    ),
    (
        "red_flags_present",
        "A compression fracture of L1 was found; a bone scan is requested to evaluate for other fractures.",
    ),
    ("limb_neurologic_symptoms", "An EMG is requested to evaluate her numbness in both hands."),
    ("limb_neurologic_symptoms", "She was seen to evaluate her neck; she has numbness in the fingers."),
]


@pytest.mark.parametrize(("fact", "text"), TEST_REASON)
def test_the_reason_for_a_test_is_not_a_finding(fact: str, text: str) -> None:
    assert _read(fact, text) is None


@pytest.mark.parametrize(("fact", "text"), FOUND_BESIDE_A_TEST)
def test_a_finding_beside_a_test_is_read(fact: str, text: str) -> None:
    assert _read(fact, text) is True


# --- a finding answered "none" under its heading, or gone by now, is documented absent ---------------------------

ANSWERED_ABSENT = [
    ("red_flags_present", "Red flags: none."),
    ("limb_neurologic_symptoms", "Numbness: denied."),
    ("limb_neurologic_symptoms", "Her leg numbness has resolved."),
    ("limb_neurologic_symptoms", "The tingling in both hands had since resolved after the injection."),
    ("objective_neurologic_findings", "The weakness of the left grip has completely resolved."),
]
STILL_PRESENT = [
    ("red_flags_present", "Red flags: saddle anesthesia and new urinary retention."),
    ("limb_neurologic_symptoms", "Her back pain has resolved, but numbness in the left foot persists."),
    ("limb_neurologic_symptoms", "The numbness in her leg persists although the back spasm has resolved."),
    ("limb_neurologic_symptoms", "Numbness in the fingers, which had resolved, has returned."),
]


@pytest.mark.parametrize(("fact", "text"), ANSWERED_ABSENT)
def test_a_finding_answered_none_or_resolved_is_absent(fact: str, text: str) -> None:
    assert _read(fact, text) is False


@pytest.mark.parametrize(("fact", "text"), STILL_PRESENT)
def test_another_finding_resolved_leaves_this_one_present(fact: str, text: str) -> None:
    assert _read(fact, text) is True


def test_whether_a_finding_resolved_is_an_open_question() -> None:
    assert _read("limb_neurologic_symptoms", "It is unclear whether her numbness has resolved.") is None


# --- a guideline's list quoted item by item after a colon is one restatement -----------------------------------


def _read_joined(fact: str, text: str) -> object:
    """The value read from `text` as a letter's rationale is read: quoted lists joined to their lead."""
    pool = bundled_patterns().context.join_quoted_lists(sentences(text, 0, len(text), "rationale"))
    pattern = next(p for p in bundled_patterns().facts.facts if p.fact == fact)
    got = read_fact(pattern, bundled_patterns(), pool, [], "test", None)
    return None if got is None else got[0]


ACOEM_LIST = (
    "Decision rationale: ACOEM states: Criteria for ordering imaging are: Emergence of a red flag. Physiologic "
    "evidence of tissue insult or neurologic dysfunction. Failure to progress in a strengthening program "
    "intended to avoid surgery. Clarification of the anatomy prior to a planned surgery."
)
QUOTED_LISTS = [
    ("failed_exercise_program", ACOEM_LIST, None),
    ("invasive_procedure_planned", ACOEM_LIST, None),
    (
        "red_flags_present",
        "The guidelines list the following red flags: Fever. Unexplained weight loss. History of cancer. "
        "The patient denies fever.",
        None,
    ),
    # the list ends at a sentence about this case, which is read
    ("failed_exercise_program", ACOEM_LIST + " In this case, she failed to progress in a strengthening program.", True),
    (
        "red_flags_present",
        "Guidelines support imaging when: red flags are present. The worker has a history of cancer of the colon.",
        True,
    ),
    # a heading with a colon is not a restatement: its findings are read
    (
        "objective_nerve_compromise_on_exam",
        "On examination: Positive straight leg raise on the left. Decreased sensation in the L5 dermatome.",
        True,
    ),
]


@pytest.mark.parametrize(("fact", "text", "expected"), QUOTED_LISTS)
def test_a_guideline_list_quoted_item_by_item_is_not_read(fact: str, text: str, expected: object) -> None:
    assert _read_joined(fact, text) is expected


def test_a_bare_no_does_not_reach_down_an_examination_list() -> None:
    text = "Left leg: no deformity, tenderness of the calf and hamstring muscles, swelling of the ankle, weak EHL."
    assert _read("objective_nerve_compromise_on_exam", text) is True


# --- body regions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fact", "region", "expected"),
    [
        # a sign at a site of the item's region (or one a root there supplies) is read for it
        ("EHL strength measured 4/5 on the left.", "objective_nerve_compromise_on_exam", {"lumbar"}, True),
        ("Decreased sensation in the L5 dermatome.", "objective_nerve_compromise_on_exam", {"lumbar"}, True),
        ("Spurling's test is positive on the right.", "objective_neurologic_findings", {"cervical"}, True),
        ("The biceps reflex was diminished on the right.", "objective_neurologic_findings", {"cervical"}, True),
        # a sign of another region is not
        ("Shoulder abduction strength was 4/5 on the right.", "objective_nerve_compromise_on_exam", {"lumbar"}, None),
        ("Spurling's test is positive on the right.", "objective_nerve_compromise_on_exam", {"lumbar"}, None),
        ("EHL strength measured 4/5 on the left.", "objective_neurologic_findings", {"cervical"}, None),
        ("The knee gives way and McMurray's test is positive.", "internal_derangement_suspected", {"shoulder"}, None),
        ("The knee gives way and McMurray's test is positive.", "internal_derangement_suspected", {"knee"}, True),
        ("MRI of the neck showed cord compression at C5-6.", "imaging_neural_compression", {"lumbar"}, None),
        ("The right knee shows a red flag, a tibial plateau fracture.", "red_flags_present", {"cervical"}, None),
        ("The right knee shows a red flag, a tibial plateau fracture.", "red_flags_present", {"knee"}, True),
        ("MRI of the neck showed cord compression at C5-6.", "imaging_neural_compression", {"cervical"}, True),
        # the mention's own site decides over other regions its sentence names
        (
            "He has neck pain, and straight leg raise is positive on the left.",
            "objective_neurologic_findings",
            {"cervical", "shoulder", "elbow", "wrist_hand"},
            None,
        ),
        # a sentence naming no region is read for every region
        ("Reflexes are asymmetric.", "objective_neurologic_findings", {"knee"}, True),
    ],
)
def test_findings_are_read_for_their_body_region(text: str, fact: str, region: set[str], expected: object) -> None:
    assert _read(fact, text, region=region) is expected


def test_without_a_region_the_same_sign_would_be_read() -> None:
    """The region filter is what keeps the shoulder sign off a lumbar item (the test above can fail)."""
    text = "Shoulder abduction strength was 4/5 on the right."
    assert _read("objective_nerve_compromise_on_exam", text) is True
    assert _read("objective_nerve_compromise_on_exam", text, region={"lumbar"}) is None


@pytest.mark.parametrize(
    ("name", "service", "body"),
    [
        ("PT for the right shoulder x8", "physical_therapy", "shoulder"),
        ("Physical therapy, 2 times a week for 4 weeks, right knee", "physical_therapy", "knee"),
        ("Chiropractic treatment for the lumbar spine, 12 visits", "chiropractic", "lumbar"),
        ("continuation for left hand therapy for 6 sessions", "physical_therapy", "wrist_hand"),
        ("Acupuncture for the neck and low back x6", "acupuncture_therapy", None),  # two regions: none
        ("EMG of the bilateral upper extremities", "emg", None),  # an arm spans several regions
        ("MRI of the lumbar spine", "mri_lumbar", None),  # the service states its region
        ("Associated surgical service: hip pad", "postop_equipment", None),  # its primary's region
    ],
)
def test_body_region_of_an_item_is_read_from_its_name(name: str, service: str, body: str | None) -> None:
    assert item_regions(name, service, bundled_library(), bundled_patterns())[1] == body


def test_emg_of_the_arms_concerns_the_neck_and_the_upper_limb() -> None:
    regions, body = item_regions("EMG of the bilateral upper extremities", "emg", bundled_library(), bundled_patterns())
    assert regions == {"cervical", "shoulder", "elbow", "wrist_hand"} and body is None


# --- case files: a regional fact stated for one item -------------------------------------------------------


def _case(item_facts: dict[str, object]) -> dict[str, object]:
    return {
        "case": "regional",
        "facts": {"conservative_care_failed": {"value": True}, "surgery_considered": {"value": True}},
        "items": [
            {"item": "MRI of the lumbar spine", "service": "mri_lumbar", "decision": "Upheld", "facts": item_facts},
        ],
    }


def test_items_of_regions_that_read_differently_state_their_own_value() -> None:
    """A cervical and a lumbar MRI: the neck's red flag is the cervical item's, not the lumbar one's."""
    path = LETTERS / "cervical_and_lumbar_regions.txt"
    data = extract(path, bundled_library(), bundled_patterns()).to_data()
    cervical, lumbar = data["items"]
    assert "red_flags_present" not in data["facts"]
    assert cervical["facts"]["red_flags_present"]["value"] is True
    assert lumbar["facts"]["red_flags_present"]["value"] is False
    # a case file for review states each region's finding on its item, whichever rules test it
    assert "objective_neurologic_findings" not in data["facts"]
    assert cervical["facts"]["objective_neurologic_findings"]["value"] is True  # the diminished biceps reflex
    assert lumbar["facts"]["objective_neurologic_findings"]["value"] is False  # the patellar reflex equal
    assert cervical["facts"]["objective_nerve_compromise_on_exam"]["value"] is True
    assert lumbar["facts"]["objective_nerve_compromise_on_exam"]["value"] is False
    case_from_data(data, bundled_library())  # a valid case file
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "MRI of the cervical spine: letter Overturned, engine Overturned" in result.output
    assert "MRI of the lumbar spine: letter Upheld, engine Upheld" in result.output


def test_check_reads_a_regional_finding_only_for_the_items_whose_rules_test_it() -> None:
    """`check` (only_used) reads what the rules test: the cervical MRI's rule tests no root sign, so the
    lumbar reading is the case's; a case file for review states both regions' findings (test above)."""
    path = LETTERS / "cervical_and_lumbar_regions.txt"
    data = extract_text(path.read_text(), str(path), bundled_library(), bundled_patterns(), only_used=True).to_data()
    assert data["facts"]["objective_nerve_compromise_on_exam"]["value"] is False
    assert data["facts"]["objective_neurologic_findings"]["value"] is True
    assert all("objective_nerve_compromise_on_exam" not in item.get("facts", {}) for item in data["items"])


def test_an_item_may_override_a_regional_case_fact() -> None:
    data = _case({"objective_nerve_compromise_on_exam": {"value": True}})
    data["facts"]["objective_nerve_compromise_on_exam"] = {"value": False}  # type: ignore[index]
    (det,) = evaluate(case_from_data(data, bundled_library()), bundled_library()).determinations
    assert det.outcome == "Overturned"


def test_a_case_fact_that_is_not_regional_stays_on_the_case() -> None:
    with pytest.raises(CaseError, match="about the case"):
        case_from_data(_case({"depression": {"value": True}}), bundled_library())


# --- the lexicon itself ----------------------------------------------------------------------------------


def test_an_unknown_lexicon_entry_is_an_error_naming_the_file(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(RULES, tmp_path / "rules")
    facts = tmp_path / "rules" / "extraction" / "facts.yaml"
    facts.write_text(facts.read_text().replace("@{root_weakness}", "@{no_such_entry}", 1))
    with pytest.raises(RuleLibraryError, match="no_such_entry") as info:
        load_patterns(tmp_path / "rules")
    assert "lexicon.yaml" in str(info.value)


def test_a_library_without_a_lexicon_still_loads(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(RULES / "extraction", tmp_path / "extraction")
    (tmp_path / "extraction" / "lexicon.yaml").unlink()
    facts = tmp_path / "extraction" / "facts.yaml"
    data = yaml.safe_load(facts.read_text())

    def without_lexicon(node: Any) -> Any:
        """`node` with every pattern naming a lexicon entry ("@{...}") taken out, and lists left empty dropped."""
        if isinstance(node, list):
            return [without_lexicon(x) for x in node if not (isinstance(x, str) and "@{" in x)]
        if isinstance(node, dict):
            kept = {k: without_lexicon(v) for k, v in node.items()}
            return {k: v for k, v in kept.items() if v != [] and v != {}}
        return node

    data["facts"] = [
        f for f in map(without_lexicon, data["facts"]) if f.get("targets") or f.get("members") or f.get("sign_targets")
    ]
    facts.write_text(yaml.safe_dump(data, sort_keys=False))
    patterns = load_patterns(tmp_path)
    assert patterns.regions.named("the lumbar spine") == []


# --- letters written for the suite, end to end -----------------------------------------------------------


def test_letter_exam_signs_in_other_words_overturn_the_lumbar_mri() -> None:
    data = extract(LETTERS / "lumbar_radiculopathy_other_words.txt", bundled_library(), bundled_patterns()).to_data()
    compromise = data["facts"]["objective_nerve_compromise_on_exam"]
    assert compromise["value"] is True
    quotes = " ".join(e["quote"] for e in compromise["evidence"])
    assert "ankle jerk" in quotes and "gives out" not in quotes  # the exam, not her complaint
    result = CliRunner().invoke(main, ["check", str(LETTERS / "lumbar_radiculopathy_other_words.txt")])
    assert result.exit_code == 0, result.output
    assert "letter Overturned, engine Overturned" in result.output


def test_letter_shoulder_signs_do_not_certify_the_lumbar_mri() -> None:
    data = extract(LETTERS / "shoulder_and_lumbar_regions.txt", bundled_library(), bundled_patterns()).to_data()
    shoulder, lumbar = data["items"]
    # the shoulder's findings are the shoulder item's; the lumbar item documents none (his legs "feel weak")
    assert shoulder["facts"]["objective_neurologic_findings"]["value"] is True
    assert "objective_neurologic_findings" not in data["facts"]
    assert "objective_neurologic_findings" not in lumbar.get("facts", {})
    assert "objective_nerve_compromise_on_exam" not in lumbar.get("facts", {})
    assert "objective_nerve_compromise_on_exam" not in data["facts"]
    result = CliRunner().invoke(main, ["check", str(LETTERS / "shoulder_and_lumbar_regions.txt")])
    assert result.exit_code == 0, result.output
    assert "MRI of the right shoulder: letter Overturned, engine Overturned" in result.output
    assert "MRI of the lumbar spine: letter Upheld, engine Upheld" in result.output


# --- a study of the whole upper limb names the limb's regions, so the neck-and-arm guideline routes it --------


@pytest.mark.parametrize(
    "name",
    [
        "EMG of the bilateral upper extremities",
        "NCV right upper limb",
        "EMG/NCS BUE",
        "Electromyography of both upper extremities",
        "Nerve conduction study of the left UE",
    ],
)
def test_an_upper_limb_study_treats_the_limbs_regions(name: str) -> None:
    data = read_letter("This fictional worker reports numbness in the right hand.", name)
    assert set(data["items"][0]["facts"]["treated_regions"]["value"]) == {"shoulder", "elbow", "wrist_hand"}


@pytest.mark.parametrize(
    "name",
    ["EMG of the bilateral lower extremities", "NCV of the lower limbs", "EMG/NCV of the right leg", "Upper back MRI"],
)
def test_a_lower_limb_or_upper_back_study_is_not_the_upper_limb(name: str) -> None:
    regions = read_letter("This fictional worker reports numbness in the right leg.", name)["items"][0]
    treated = regions.get("facts", {}).get("treated_regions", {}).get("value", [])
    assert not {"shoulder", "elbow", "wrist_hand"} & set(treated)


@pytest.mark.parametrize(("injury", "outcome"), [("10/01/2016", "Overturned"), ("10/25/2016", "Upheld")])
def test_an_acute_upper_limb_study_is_judged_by_the_neck_and_arm_chapter(injury: str, outcome: str) -> None:
    """ACOEM 2004 Ch. 8 (p. 178): EMG and NCV for neck or arm symptoms lasting more than three or four
    weeks; the hand's part of the limb by Ch. 11 (p. 261; four to six weeks of conservative care). Injury
    2016-10-01, request reviewed 2016-11-08: over five weeks; injury 2016-10-25: two weeks."""
    summary = (
        "This fictional worker has numbness and tingling radiating into the right hand since a fall at work. "
        "After four weeks of physical therapy the numbness persists."
    )
    data = read_letter(summary, "EMG of the right upper extremity", injury=injury, ur="11/08/2016")
    (det,) = evaluate(case_from_data(data, bundled_library()), bundled_library()).determinations
    assert sorted(r.id for r in det.rules if r.id != "imr-unspecified-request") == [
        "acoem-2004-ch11-electrodiagnostic-acute",
        "acoem-2004-ch8-electrodiagnostic-acute",
    ]
    assert det.outcome == outcome, det.rationale


def test_a_letter_disputing_only_an_upper_limb_study_routes_it_by_region(tmp_path: Path) -> None:
    """`check` reads only the facts the rules in play use; routing by region needs the item's regions too."""
    summary = (
        "This fictional worker has numbness and tingling radiating into the right hand since a fall at work. "
        "After four weeks of physical therapy the numbness persists."
    )
    path = tmp_path / "emg.txt"
    path.write_text(
        letter_text(
            summary, "EMG of the right upper extremity", injury="10/01/2016", ur="11/08/2016", decision="Overturned"
        )
    )
    result = CliRunner().invoke(main, ["check", "--explain", str(path)])
    assert "acoem-2004-ch8-electrodiagnostic-acute" in result.output, result.output
    assert "EMG of the right upper extremity: letter Overturned, engine Overturned" in result.output
