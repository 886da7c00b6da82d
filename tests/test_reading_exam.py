"""Examination and imaging findings, by body region: paraphrase suites for the facts the imaging,
electrodiagnostic and surgical rules read (root signs, limb neurology, red flags, joint derangement, spasm,
surgical lesions, entrapment, neural compression, the prior MRI and the change since it).

Every sentence is invented for the suite from the guidelines' vocabulary (ACOEM 2004 Ch. 8, 11, 12, 13
neurologic screening and red-flag tables; ODG imaging criteria) and the clinic's. Each fact has phrasings
that must be read and variants that must not: negated (a normal result is documented false), hedged, the
patient's complaint, a restated guideline, utilization review's reasons, another body region."""

from __future__ import annotations

import pytest

from imr_rules.reading.facts import read_fact
from imr_rules.reading.sentences import sentences
from imr_rules.reading.text import normalise

from .conftest import bundled_patterns


def _read(fact: str, text: str, section: str = "summary", region: set[str] | None = None) -> object:
    """The value one fact pattern reads from `text` alone, normalised as a letter is (None: not documented)."""
    text = normalise(text).text
    pattern = next(p for p in bundled_patterns().facts.facts if p.fact == fact)
    scope = frozenset(region) if region else None
    got = read_fact(pattern, bundled_patterns(), sentences(text, 0, len(text), section), [], "test", scope)
    return None if got is None else got[0]


def _cases(fact: str, expected: object, texts: list[str]) -> list[tuple[str, str, object]]:
    return [(fact, text, expected) for text in texts]


# --- objective nerve-root compromise on examination (ACOEM Ch. 12 pp. 303-304) --------------------------

ROOT = "objective_nerve_compromise_on_exam"
ROOT_READ = [
    "On examination the left ankle reflex was 1+ versus 2+ on the right.",
    "The right patellar jerk is absent.",
    "There is 4 of 5 weakness of ankle dorsiflexion on the left.",
    "Great toe extension strength was graded 4/5 on the right.",
    "Pinprick was decreased in the L5 distribution on the left.",
    "She has hypoesthesia over the lateral aspect of the right foot.",
    "A crossed straight leg raise was elicited.",
    "There was decreased sensation in the L4-S1 distribution.",
    "Sensation was decreased at C6 and C7 bilaterally.",
    "The left knee jerk was hypoactive compared with the right.",
    "Achilles reflexes: 1+ on the left and 2+ on the right.",
    "Hypesthesia was found in the left S1 dermatome.",
    "Radiating pain to the left calf was reproduced on straight leg raise.",
    "Decreased sensation L5 and S1 dermatomes on the left.",
    # tension signs by their other names, heel and toe walking, reflex grades side by side, dysesthesia
    "Positive Lasegue sign on the right.",
    "The slump test was positive on the left.",
    "The femoral stretch test was positive on the right.",
    "He could not heel walk on the left.",
    "She was unable to walk on her left heel.",
    "Left Achilles 0, right 2+.",
    "Achilles reflexes are absent on the left, 2+ on the right.",
    "There was dysesthesia in the L5 dermatome.",
    "The left EHL is weaker than the right.",
    # examination fields written with a colon, a sensory site after a limb, the leg raise named short
    "Reflexes: absent at the left ankle.",
    "DTRs: 2+ knees, absent left ankle.",
    "Sensation: decreased in the left L5 distribution.",
    "SLR: positive on the left at 30 degrees.",
    "The exam demonstrated diminished sensation in the left lower extremity in an L5 distribution.",
    "Left leg raise was positive at 45 degrees.",
]
ROOT_FALSE = [
    "There were no motor, sensory or reflex deficits.",
    "Reflexes were 2+ and symmetric.",
    "Sensation was intact to light touch throughout the lower extremities.",
    "Motor strength was 5/5 in all muscle groups of the legs.",
    "Straight leg raise testing was negative bilaterally.",
    "Sensory examination found no deficit in any dermatome of the legs to pinprick or light touch.",
    "The neurologic examination of the lower extremities was non-focal.",
    "Straight leg testing was negative on both sides.",
    "No motor or sensory defecits were found.",
    "Great toe extension was 5 of 5 bilaterally, and motor strength was otherwise 5 out of 5.",
    "Motor, sensory and reflexes were normal in the legs.",
    "Negative Lasegue sign.",
    "Slump test was negative bilaterally.",
]
ROOT_NONE = [
    "She reports her leg feels weak.",
    "He describes numbness along the outer calf.",
    "Guidelines support MRI when there are unequivocal findings such as an absent ankle reflex.",
    "They also state that a crossed straight leg raise is specific for a herniated disc.",
    "Utilization review cited decreased sensation in the L5 dermatome.",
    "There may be mild weakness of the EHL.",
    "The documentation submitted did not indicate a definite reflex asymmetry on examination.",
    "She reports she cannot walk on her heels.",
    "Guidelines recommend MRI when the slump test is positive.",
    "Active leg raise was painful.",
    "Sensation: intact in the L5 distribution.",
    "There is no documentation of dermatomal numbness, reflex loss or a weak EHL.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(ROOT, True, ROOT_READ) + _cases(ROOT, False, ROOT_FALSE) + _cases(ROOT, None, ROOT_NONE),
)
def test_objective_nerve_root_compromise(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


# --- objective neurologic findings of a limb (EMG/NCV, neck and joint imaging) ----------------------------

NEURO = "objective_neurologic_findings"
NEURO_READ = [
    "Tinel's sign was positive at the right wrist.",
    "Phalen's test at the left wrist is positive.",
    "Tinel’s sign is positive over the left cubital tunnel.",
    "The patient had a positive Phalen test and Tinel test at the left wrist.",
    "Spurling's maneuver reproduced pain into the left arm.",
    "Grip strength was diminished on the left.",
    "Sensation was decreased in the ulnar fingers on the right.",
    "There was atrophy of the thenar eminence.",
    "A Hoffmann sign was present on the right.",
    "Motor strength of the hip was 4-/5 on the left.",
    "There was a positive Finkelstein's, Tinel's and Cozen's test.",
    "Sensation decreased over the lateral thigh on the left.",
    "There was loss of light touch sensation in the right hand.",
    "Elbow flexion strength was graded 4 out of 5 on the left.",
    "Deep tendon reflexes were diminished in both upper extremities.",
    "On examination there was weakness of the right hand.",
    "The cervical compression test was positive on the right.",
    # a focal deficit on examination
    "There was a focal motor deficit in the left leg on examination.",
    "The examiner documented focal neurologic deficits in the right arm.",
    "Focal sensory findings were present over the thumb and index finger.",
    # cervical root provocation by its other names, reflexes side by side, wasting, an arm myotome
    "Neck compression test is positive on the right.",
    "Shoulder abduction relief sign was positive on the left.",
    "Biceps reflexes: 1+ on the left, 2+ on the right.",
    "Dysesthesia in the C7 distribution on the right.",
    "There is intrinsic muscle wasting of the right hand.",
    "Left grip is weaker than right.",
    "Manual muscle testing revealed 4/5 strength of the right elbow flexors.",
    "Spurling's: positive on the right.",
    "Tinel's sign: positive at the right wrist.",
]
NEURO_FALSE = [
    "Tinel's and Phalen's signs were negative bilaterally.",
    "Tinel's negative at both wrists.",
    "Spurling's negative, Tinel's negative.",
    "The physical examination showed no evidence of neurologic dysfunction.",
    "There were no sensory, motor or reflex deficits in the upper extremities.",
    "Sensation and strength were normal in both arms.",
    "There is no evidence of neuromotor deficits in the arms.",
    "Deep tendon reflexes were 2+ throughout and symmetric.",
    "Tinel's sign, Finkelstein's test and Allen's test were negative bilaterally.",
    "Grip strength was 5 of 5 on both sides.",
    "The worker had intact grip strength and sensation.",
    "In this case, the worker has no focal neurologic deficits.",
    "Neurological examination was without focal deficits.",
    "The neurologic examination was nonfocal.",
    "She had a non-focal neurological exam.",
]
NEURO_NONE = [
    "He complains of numbness in both hands.",
    "Guidelines recommend electrodiagnostic testing when focal neurologic deficits are present.",
    "The request was non-certified by utilization review, which noted a positive Tinel's sign.",
    "Possible decreased sensation in the median nerve distribution.",
    "She states that her grip is weak.",
    "He complains of weakness of the left hand.",
    "Strength could not be graded because of pain.",
    "He reports focal weakness in the hand.",
    "The records do not establish a focal neurologic deficit in a dermatomal pattern.",
    "Possible focal deficit of the left hand.",
    "Utilization review found no focal neurological dysfunction.",
    "She reports that her left grip is weaker.",
    "Shoulder abduction was 120 degrees.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(NEURO, True, NEURO_READ) + _cases(NEURO, False, NEURO_FALSE) + _cases(NEURO, None, NEURO_NONE),
)
def test_objective_neurologic_findings(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


# --- neurologic symptoms of a limb (a complaint is enough here) ------------------------------------------

LIMB = "limb_neurologic_symptoms"
LIMB_READ = [
    "Her neck pain radiates into both arms.",
    "He has numbness and tingling in the left hand.",
    "She complains of low back pain radiating to the left lower extremity (LLE).",
    "The pain shoots down the right leg to the foot.",
    "He reports paresthesias of the fingers at night.",
    "She has right-sided sciatica.",
    "Neck and low back pain that radiated into the bilateral legs.",
    "She has back pain with radiation down the right lateral leg.",
    "The elbow pain radiates into the forearm and hand.",
    "There is a burning sensation in the left foot.",
    "She reports radiculopathy symptoms down her arm.",
    "Her fingers go numb when she grips a tool.",
]
LIMB_FALSE = [
    "He denies numbness or tingling.",
    "The low back pain does not radiate.",
    "She has no radicular symptoms.",
    "There is no radiation of the pain.",
]
LIMB_NONE = [
    "Guidelines state that EMG may be useful when radicular symptoms persist.",
    "It is unclear whether the pain radiates into the leg.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(LIMB, True, LIMB_READ) + _cases(LIMB, False, LIMB_FALSE) + _cases(LIMB, None, LIMB_NONE),
)
def test_limb_neurologic_symptoms(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


# --- red flags (ACOEM Table 12-1: fracture, tumour or infection, cauda equina, progressive deficit) ----------

FLAGS = "red_flags_present"
FLAGS_READ = [
    "She has a progressive neurologic deficit in the left leg.",
    "Plain films showed an L1 compression fracture.",
    "Saddle anesthesia and new urinary retention were reported.",
    "He has a history of cancer and unexplained weight loss.",
    "The picture is consistent with cauda equina syndrome.",
    "Suspected cauda equina syndrome with new urinary retention.",
    "There is worsening weakness of the right leg with new bowel incontinence.",
    "The MRI showed vertebral osteomyelitis at L3-4.",
    "The knee films show an acute displaced fracture of the patella.",
    "Aspiration of the knee found a hemarthrosis.",
    # Table 12-1 in other words
    "There is evidence of severe and progressive neurological abnormalities.",
    "She has new onset of saddle numbness.",
    "There is a rapidly progressing foot drop.",
    "She has lost control of her bowels.",
    "There is a suspected vertebral fracture after a fall from a ladder.",
    "He has fever, chills and night sweats with back pain.",
]
FLAGS_FALSE = [
    "No red flags were identified.",
    "There are no red flag conditions noted.",
    "No red flag findings were documented on the examination.",
    "There were no red flags or neurologic deterioration.",
]
FLAGS_NONE = [
    # one red flag denied is not all of them denied
    "There were no compression fractures.",
    "He denies bowel or bladder incontinence.",
    "He denies fever, chills or night sweats.",
    "She denies loss of bowel or bladder control.",
    "There is no evidence of a progressive neurologic deficit.",
    "Films showed a nondisplaced fracture of the fifth metatarsal, now healed.",
    # restated guideline, utilization review, a hedge
    "Guidelines recommend imaging when red flags such as cauda equina syndrome are present.",
    "Imaging is indicated for suspected fracture, tumour or infection.",
    "Utilization review found no red flags.",
    "They also state that red flags warrant imaging before four weeks.",
    "And further outlines the following indications for imaging: occult acute fracture, tumors, infection.",
    "MRI is the test of choice for an occult fracture of the spine.",
    "The ODG lists these uses of bone scans: 1. Tumor, 2. Stress fractures, 3. Osteomyelitis, and 4. CRPS.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(FLAGS, True, FLAGS_READ) + _cases(FLAGS, False, FLAGS_FALSE) + _cases(FLAGS, None, FLAGS_NONE),
)
def test_red_flags(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


def test_one_limb_symptom_outvotes_another_denied() -> None:
    text = "He denies tingling. The back pain radiates down the left leg to the foot."
    assert _read(LIMB, text) is True


def test_one_sign_of_derangement_outvotes_another_denied() -> None:
    text = "There was no effusion and no instability. McMurray's test was positive on the medial side."
    assert _read(DERANGE, text) is True


def test_one_red_flag_present_outvotes_another_denied() -> None:
    text = "There is no history of cancer. An L2 burst fracture was seen on the films."
    assert _read(FLAGS, text) is True


# --- internal derangement of a joint (ACOEM Ch. 13 knee, Ch. 9 shoulder) ------------------------------------

DERANGE = "internal_derangement_suspected"
DERANGE_READ = [
    "McMurray's test was positive medially.",
    "The knee has a positive Lachman with a soft endpoint.",
    "She reports episodes of the knee locking.",
    "The anterior drawer sign was positive on the left.",
    "The knee buckles when he descends stairs.",
    "Positive O’Brien’s test on the right.",
    "Apley's compression test is positive.",
    "McMurray's positive medially, Lachman negative.",
    "There is a moderate knee effusion.",
    "Valgus laxity of the knee was found.",
]
DERANGE_FALSE = [
    "McMurray and Lachman tests were negative.",
    "Lachman negative on the right.",
    "The knee was stable to Lachman's and drawer testing.",
    "There was no locking or giving way.",
    "Cruciate function was intact, with negative anterior and posterior drawer signs.",
]
DERANGE_NONE = [
    "Guidelines recommend MRI of the knee when a meniscal tear is suspected with locking.",
    "It is unclear whether the knee gives way.",
    "There was no effusion of the knee.",
    # a guideline's list of indications introduced with a colon, each clause a criterion
    "Regarding knee MRI, the ODG notes: instability after trauma; locking or catching; suspected ligament tear.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(DERANGE, True, DERANGE_READ) + _cases(DERANGE, False, DERANGE_FALSE) + _cases(DERANGE, None, DERANGE_NONE),
)
def test_internal_derangement(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


# --- muscle spasm ---------------------------------------------------------------------------------------

SPASM = "muscle_spasm"
SPASM_READ = [
    "Palpable paraspinal spasm was present.",
    "There was spasm of the trapezius bilaterally.",
    "The lumbar paravertebral muscles were in spasm.",
    "Muscle spasms were noted in the cervical region.",
    "Tenderness with guarding and spasm was found over the lumbosacral junction.",
    "Hypertonicity of the lumbar paraspinals was palpated.",
    "There is myospasm of the right trapezius.",
]
SPASM_FALSE = [
    "There were no spasms in the paracervical muscles.",
    "The lumbar spine was tender without spasm.",
    "Palpation revealed no paraspinal spasm.",
]
SPASM_NONE = [
    "Muscle relaxants are recommended for short-term treatment of acute spasm.",
    "Utilization review noted no spasm on the last examination.",
    "It is unclear whether spasm was present.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(SPASM, True, SPASM_READ) + _cases(SPASM, False, SPASM_FALSE) + _cases(SPASM, None, SPASM_NONE),
)
def test_muscle_spasm(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


# --- peripheral nerve entrapment ------------------------------------------------------------------------

ENTRAP = "nerve_entrapment_suspected"
ENTRAP_READ = [
    "Tinel's and Phalen's were positive at the right wrist.",
    "She has numbness in the median nerve distribution.",
    "Nerve conduction studies showed moderate carpal tunnel syndrome.",
    "A positive Tinel's sign was found over the cubital tunnel.",
    "There is decreased sensation in the thumb and index finger.",
    "Durkan's compression test was positive on the left.",
    "Tinel's sign over the right carpal tunnel was positive.",
]
ENTRAP_FALSE = [
    "Tinel's sign was negative over the cubital tunnel.",
    "Phalen's and Tinel's tests were negative bilaterally.",
    "There was no evidence of carpal tunnel syndrome on nerve conduction studies.",
]
ENTRAP_NONE = [
    "Guidelines recommend nerve conduction studies when carpal tunnel syndrome is suspected.",
    "Rule out carpal tunnel syndrome.",
    "It is unclear whether she has cubital tunnel syndrome.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(ENTRAP, True, ENTRAP_READ) + _cases(ENTRAP, False, ENTRAP_FALSE) + _cases(ENTRAP, None, ENTRAP_NONE),
)
def test_nerve_entrapment(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


def test_one_nerve_spared_does_not_deny_another_entrapped() -> None:
    text = "Studies showed carpal tunnel syndrome on the left. There was no sign of ulnar neuropathy."
    assert _read(ENTRAP, text) is True


# --- imaging: compression of a neural element ------------------------------------------------------------

IMAGING = "imaging_neural_compression"
IMAGING_READ = [
    "The MRI showed an extrusion displacing the S1 root.",
    "There is foraminal stenosis impinging the C6 root.",
    "There is severe canal narrowing at L4-5.",
    "A herniated disc at L5-S1 compresses the left S1 nerve root.",
    "Moderate bilateral foraminal stenosis at C5-6 encroaches upon the exiting C6 roots.",
    "A sequestered fragment sits in the left lateral recess, displacing the descending S1 root.",
    # the space the root passes through closed or severely narrowed, a free fragment, a root deviated
    "MRI demonstrated obliteration of the left L5-S1 neural foramen.",
    "There is severe narrowing of the left neural foramen at L5-S1.",
    "The right L4-5 foramen is severely narrowed.",
    "There is marked stenosis of the lateral recesses at L4-5.",
    "Imaging shows a sequestered disc fragment at L4-5.",
    "A left paracentral extrusion at L5-S1 deviates the left S1 nerve root posteriorly.",
]
IMAGING_FALSE = [
    "There was no stenosis or disc herniation.",
    "The MRI showed disc desiccation without neural compromise.",
    "The MRI does not show stenosis at any level.",
]
IMAGING_NONE = [
    "Guidelines require imaging evidence of nerve root compression.",
    "There is mild foraminal narrowing at L3-4.",
    "The MRI was requested to rule out a disc herniation.",
    "He is undergoing treatment for lumbar strain and suspect left sided neural impingement.",
    "The records submitted did not show a disc herniation on any study.",
    "There is mild narrowing of the left neural foramen at L5-S1.",
    "Guidelines recommend discectomy for a sequestered fragment.",
    "Rule out a sequestered disc fragment.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(IMAGING, True, IMAGING_READ) + _cases(IMAGING, False, IMAGING_FALSE) + _cases(IMAGING, None, IMAGING_NONE),
)
def test_imaging_neural_compression(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


# --- surgical lesion (clinical and imaging evidence of a repairable lesion) -------------------------------

LESION = "surgical_lesion_evidence"
LESION_READ = [
    "MRI confirmed a full-thickness supraspinatus tear.",
    "The MRI revealed a complete tear of the rotator cuff.",
    "A bucket-handle tear of the medial meniscus was seen on MRI.",
    "A complex medial meniscus tear with locking and a positive McMurray test.",
    "Arthrography demonstrated a full thickness tear of the infraspinatus tendon.",
    "The shoulder MRI documented a retracted supraspinatus tear.",
    "An MR arthrogram was consistent with a complete rupture of the distal biceps tendon.",
    # a repairable grade with the study that shows it, in either order; a tear with its mechanical signs
    "She has a full-thickness rotator cuff tear documented on MRI.",
    "The right shoulder MRI shows a massive rotator cuff tear.",
    "A full-thickness tear of the rotator cuff was confirmed by ultrasound.",
    "She has a flipped meniscal fragment on MRI.",
    "The knee locks and the MRI shows a medial meniscus tear.",
    "The MRI showed a tear of the medial meniscus; on examination McMurray's test was positive.",
    "The MRI shows a type II SLAP tear, and O'Brien's test is positive.",
]
LESION_NONE = [
    "Possible full-thickness rotator cuff tear.",
    "Guidelines recommend repair of full-thickness rotator cuff tears.",
    "The MRI showed a partial-thickness tear of the supraspinatus.",
    "The MRI documented an almost full-thickness tear of the supraspinatus.",
    "MRI revealed a nearly full-thickness tear of the supraspinatus tendon.",
    "The MRI showed a medial meniscus tear; there is no locking or catching.",
    "The MRI showed no full-thickness tear.",
    "Guidelines recommend MRI to confirm a full-thickness tear before repair.",
    "The MRI to rule out a full-thickness tear was requested.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"), _cases(LESION, True, LESION_READ) + _cases(LESION, None, LESION_NONE)
)
def test_surgical_lesion(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


# --- a hip condition ODG lists for hip MRI: a structural soft-tissue injury (a torn or avulsed tendon) ----------

HIP = "hip_mri_condition_suspected"
HIP_READ = [
    "The ultrasound showed a partial tear of the gluteus medius tendon.",
    "An MRI of the pelvis documents a gluteus minimus tendon tear on the right.",
    "He has a proximal hamstring avulsion from the fall.",
    "The working diagnosis is a hip abductor tear.",
    "An iliopsoas tendon rupture was found at surgery.",
    # suspected: the suspicion is what ODG's indication names (osteonecrosis, occult or stress fracture, labrum)
    "An occult fracture of the femoral neck is suspected.",
    "There is concern for a labral tear of the left hip.",
    "The physician suspects osteonecrosis of the femoral head.",
    "Groin pain after a fall raises the question of an occult hip fracture.",
    "Hip pain with a positive FADIR test is suggestive of an acetabular labral tear.",
    "A tear of the gluteus medius tendon is suspected.",
]
HIP_NONE = [
    # a strain or sprain is a clinical diagnosis, not the structural lesion the rule reads
    "She is treated for a left hip strain.",
    "The diagnoses are a sprain of the right hip and a lumbar strain.",
    # another region, hedged, a restated guideline, utilization review's reasons, not documented
    "He has a rotator cuff tear of the right shoulder.",
    "She has an abductor pollicis longus tear of the thumb.",
    "Rule out a gluteus medius tear.",
    "ODG lists acute and chronic soft-tissue injuries such as a gluteus medius tear among the indications.",
    "Utilization review noted a gluteus medius tear.",
    "There is no documentation of a gluteal tendon tear.",
    "An occult fracture of the scaphoid is suspected.",
    "A stress fracture of the tibia is suspected.",
    "Guidelines recommend MRI for suspected avascular necrosis of the hip.",
    "There is no documentation of a suspected stress fracture.",
    "Rule out avascular necrosis of the hip.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(HIP, True, HIP_READ)
    + _cases(HIP, None, HIP_NONE)
    + [(HIP, "The MRI showed no gluteus medius tear.", False), (HIP, "There is no concern for osteonecrosis.", False)],
)
def test_hip_soft_tissue_injury(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text) is expected


# --- the prior MRI of the same region, and the change since it (ODG repeat MRI) ----------------------------

PRIOR = "prior_same_region_mri"
PRIOR_READ = [
    "The records include an MRI of the lumbar spine from 2015.",
    "He underwent an MRI of the lumbar spine in 2015.",
    "An MRI was obtained in June 2016.",
    "The documentation submitted for review included an MRI report of the lumbar spine.",
    "This would be a repeat MRI of the lumbar spine.",
    # an MRI's result is an MRI had
    "An MRI of the lumbar spine on 3/2/2015 revealed a disc protrusion at L4-5.",
    "The lumbar MRI from 2014 showed mild degenerative changes.",
    "Prior imaging included an MRI of the lumbar spine.",
]
PRIOR_FALSE = [
    "No prior MRI was found.",
    "She has not had a previous MRI.",
]
PRIOR_NONE = [
    "The records include an MRI of the left knee from 2015.",
    "The request is for an MRI of the lumbar spine.",
    "An MRI would show whether there is a herniation.",
    "A knee MRI showed a meniscal tear.",
    "Guidelines note that MRI revealed disc bulges in many asymptomatic people.",
    "Proceeding with lumbar magnetic resonance imaging is not indicated.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(PRIOR, True, PRIOR_READ) + _cases(PRIOR, False, PRIOR_FALSE) + _cases(PRIOR, None, PRIOR_NONE),
)
def test_prior_same_region_mri(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text, "item_rationale") is expected


# the imaging history: a prior MRI denied with no region named documents that no region was imaged
PRIOR_REGIONS = "prior_mri_regions"
NO_PRIOR_MRI = [
    "No prior MRI are found.",
    "She has never had an MRI.",
    "No MRI has been performed to date.",
    "The worker has not undergone any imaging studies.",
    "There are no previous imaging studies.",
]
PRIOR_REGIONS_OTHER = [
    ("There is no prior MRI of the knee, but a prior MRI of the lumbar spine showed a disc bulge.", ["low_back"]),
    ("She has never had an MRI of the neck; a previous lumbar MRI was done in 2015.", ["low_back"]),
    # a joint's MRI denied is read as the spine's is (every region the rules name is a member; a list cannot
    # say "not the knee, the spine unknown", so one region denied and none present is [])
    ("There is no prior MRI of the knee.", []),
    ("No knee MRI has been done.", []),
    # the request, not documented, hedged, utilization review, a prior MRI that was done
    ("There is no indication for an MRI at this time.", None),
    ("There are no findings to support an MRI.", None),
    ("A prior MRI was reviewed.", None),
    ("There is no documentation of a prior MRI.", None),
    ("It is unclear whether she had an MRI.", None),
    ("Utilization review noted no prior MRI.", None),
    ("A lumbar MRI is not indicated because no prior MRI has shown a lesion.", None),
]


@pytest.mark.parametrize("text", NO_PRIOR_MRI)
def test_no_prior_mri_of_any_region_is_an_empty_history(text: str) -> None:
    assert _read(PRIOR_REGIONS, text) == []


@pytest.mark.parametrize(("text", "expected"), PRIOR_REGIONS_OTHER)
def test_a_prior_mri_denied_for_one_region_or_not_at_all(text: str, expected: object) -> None:
    assert _read(PRIOR_REGIONS, text) == expected


CHANGE = "significant_change_since_prior_mri"
CHANGE_READ = [
    "Her symptoms have worsened since the last MRI.",
    "A new foot drop has appeared since the previous MRI.",
    "Progressive weakness has developed since the prior imaging study.",
    "There was interval worsening of the radicular symptoms.",
    "The leg numbness has progressed since the MRI of 2015.",
]
CHANGE_FALSE = [
    "There has been no significant change since the last MRI.",
    "There was no change in symptoms or findings since the prior MRI.",
]
CHANGE_NONE = [
    "Guidelines reserve repeat MRI for a significant change in symptoms or findings.",
    "There is no documentation of a significant change since the prior MRI.",
    "It is unclear whether there has been a change since the last MRI.",
    "A repeat MRI is indicated if there is a significant change in symptoms.",
]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    _cases(CHANGE, True, CHANGE_READ) + _cases(CHANGE, False, CHANGE_FALSE) + _cases(CHANGE, None, CHANGE_NONE),
)
def test_change_since_prior_mri(fact: str, text: str, expected: object) -> None:
    assert _read(fact, text, "item_rationale") is expected


# --- body region: a finding of one region never documents another's ------------------------------------------


@pytest.mark.parametrize(
    ("fact", "text", "region", "expected"),
    [
        (ROOT, "Supraspinatus strength was 4/5 on the right.", {"lumbar"}, None),
        (ROOT, "Great toe extension strength was graded 4/5 on the right.", {"lumbar"}, True),
        (NEURO, "Tinel's sign was positive at the right wrist.", {"lumbar"}, None),
        (NEURO, "Tinel's sign was positive at the right wrist.", {"wrist_hand"}, True),
        (FLAGS, "The right shoulder was dislocated, a red flag.", {"lumbar"}, None),
        (FLAGS, "Plain films showed an L1 compression fracture.", {"cervical"}, None),
        (FLAGS, "Plain films showed an L1 compression fracture.", {"lumbar"}, True),
        (DERANGE, "McMurray's test was positive at the right knee.", {"shoulder"}, None),
        (DERANGE, "McMurray's test was positive at the right knee.", {"knee"}, True),
        (LIMB, "He has numbness and tingling in the left hand.", {"lumbar"}, None),
        (IMAGING, "There is foraminal stenosis impinging the C6 root.", {"lumbar"}, None),
        (IMAGING, "There is foraminal stenosis impinging the C6 root.", {"cervical"}, True),
        # a tension sign of the leg is not a cervical finding; an arm myotome is one as much as the elbow's
        (NEURO, "The slump test was positive on the left.", {"cervical"}, None),
        (NEURO, "Positive Lasegue sign on the right.", {"lumbar"}, True),
        (NEURO, "Manual muscle testing revealed 4/5 strength of the right elbow flexors.", {"cervical"}, True),
        (NEURO, "Manual muscle testing revealed 4/5 strength of the right elbow flexors.", {"lumbar"}, None),
        (FLAGS, "A displaced fracture of the right humerus was seen, a red flag.", {"lumbar"}, None),
        (FLAGS, "He has a progressive motor deficit in the right arm.", {"lumbar"}, None),
        (FLAGS, "He has a progressive motor deficit in the left leg.", {"lumbar"}, True),
    ],
)
def test_findings_stay_in_their_region(fact: str, text: str, region: set[str], expected: object) -> None:
    assert _read(fact, text, region=region) is expected
