"""Examination, test and imaging findings and surgical intent as any reviewer writes them (issue 12): tests
described without their names, mechanical symptoms in the patient's words, a limp, negation after the noun,
one imaging level positive beside another that is not, surgery offered and not yet decided.

Every sentence is invented for the suite from the guidelines' vocabulary (ACOEM 2004 Ch. 11 Table 11-1 for
carpal tunnel syndrome, Ch. 12 Table 12-1 red flags, Ch. 13 mechanical symptoms; MTUS CPMTG trigger point
and epidural steroid injections; ODG walking aids) and the clinic's; each goes through the real reader in a
letter made around it (`test_reading_suites.read_fact`)."""

from __future__ import annotations

import pytest

from imr_rules.reading.requests import requested_quantities

from .conftest import bundled_patterns
from .test_reading_suites import Suite, read_fact, suite_tests

LUMBAR_MRI = "MRI of the lumbar spine"
CERVICAL_MRI = "MRI of the cervical spine"
CTR = "Right carpal tunnel release"
TPI = "Trigger point injections x3 to the right upper trapezius"
ESI = "Left L5-S1 transforaminal epidural steroid injection"
MENISCECTOMY = "Right knee arthroscopy with partial medial meniscectomy"
CANE = "Single point cane"

SUITES: list[Suite] = [
    # ACOEM Ch. 11 Table 11-1: Tinel's, Phalen's, median sensory loss, thenar weakness, named or described
    Suite(
        "cts_exam_positive",
        CTR,
        read=(
            "Percussion over the right median nerve at the wrist produced tingling in the thumb and index finger.",
            "Holding both wrists in full flexion for one minute reproduced her numbness on the right.",
            "Two-point discrimination was 8 mm in the right index finger.",
            "There is mild wasting of the right thenar eminence.",
            "Tinel's sign at the right wrist is positive.",
            "Sustained pressure over the right carpal tunnel brought on paresthesias within 20 seconds.",
            "Opponens pollicis strength was 4/5 on the right.",
        ),
        negated=(
            "Tinel's and Phalen's tests were negative at both wrists.",
            "Negative Durkan's compression test on the right.",
        ),
        hedged=("Possible positive Tinel's sign at the right wrist.",),
        restated=(
            "ACOEM states that a positive Tinel's or Phalen's test supports the diagnosis of carpal tunnel syndrome.",
            "Utilization review noted a positive Tinel's sign at the wrist.",
        ),
        other_region=(
            "She states that tapping on her wrist sends tingling into her index finger.",
            "A positive Tinel's sign was found at the right elbow over the cubital tunnel.",
        ),
    ),
    # MTUS CPMTG trigger point injections: circumscribed trigger points with a twitch response and referred pain
    Suite(
        "trigger_points_documented",
        TPI,
        read=(
            "Snapping palpation of the taut band in the right trapezius produced a local twitch and referred pain.",
            "A twitch response was elicited at each of three trigger points in the trapezius.",
            "Palpation of the nodules elicited a visible twitch with pain referred to the temple.",
            "Three trigger points with a local twitch and referred pain were found in the right trapezius.",
            "Twitches were observed on snapping palpation of the right upper trapezius.",
        ),
        negated=(
            "No trigger points were palpated in the cervical paraspinals or trapezius.",
            "Palpation of the trapezius found diffuse tenderness without a twitch response.",
            "Trigger points were not found on examination of the upper back.",
        ),
        hedged=("Possible trigger points with a twitch response in the right trapezius.",),
        restated=(
            "The guideline requires circumscribed trigger points with a twitch response and referred pain.",
            "She reports muscle twitching in the shoulder at night.",
        ),
    ),
    # ACOEM Ch. 13: mechanical symptoms (locking, catching, popping, giving way) before a meniscectomy
    Suite(
        "knee_mechanical_symptoms",
        MENISCECTOMY,
        read=(
            "The right knee jams when he squats and he has to work it loose.",
            "Her right knee gives out on stairs.",
            "The knee has buckled twice since the injury.",
            "He describes the right knee getting stuck in flexion several times a week.",
            "She has had locking of the right knee since the fall.",
            "The knee gave way while he was walking on uneven ground.",
        ),
        negated=(
            "She denies locking, catching or giving way of the knee.",
            "The right knee has never given out.",
            "There are no mechanical symptoms in the right knee.",
        ),
        hedged=("He may develop locking of the right knee if the tear extends.",),
        restated=("ACOEM supports meniscectomy for mechanical symptoms such as locking or giving way.",),
        other_region=("His left shoulder catches when he reaches overhead.",),
    ),
    # ODG walking aids: disability, pain or an impairment of the lower limb that impairs walking
    Suite(
        "ambulation_impaired",
        CANE,
        read=(
            "He walks with an antalgic gait favoring the right leg.",
            "She limps on the left after the ankle fracture.",
            "He has been using crutches to get around since the knee injury.",
            "Her gait is slow and guarded.",
            "She cannot walk more than a block because of the knee pain.",
            "He ambulates with a cane.",
        ),
        negated=(
            "Her gait is normal.",
            "He walks without a limp.",
            "She ambulates independently without an assistive device.",
            "There is no antalgic gait.",
        ),
        hedged=("A cane may help if the knee becomes unstable.",),
        restated=(
            "ODG states that disability, pain and age-related impairments determine the need for a walking aid.",
        ),
    ),
    # ACOEM Ch. 12 Table 12-1: red flags, the negation written after the noun
    Suite(
        "red_flags_present",
        LUMBAR_MRI,
        read=(
            "She has new urinary retention and saddle numbness.",
            "He reports fevers and night sweats with the back pain.",
            "There are red flags: a progressive foot drop on the left.",
            "An L1 compression fracture was seen on the plain films.",
            "He has a history of prostate cancer.",
        ),
        negated=(
            "Red flags were specifically denied at the visit.",
            "Red flags: none found.",
            "No red flags were identified on examination.",
            "There is no diagnosis of tissue insult, nerve impairment, or other red flags.",
            "There are no red flags.",
            "The physician did not identify any red flag findings.",
            "No evidence of serious spinal pathology was found.",
            "There is a lack of red flags on the latest examination.",
        ),
        # the records' silence is a gap (docs/ARCHITECTURE.md, documented absence)
        undocumented=("There is no documentation of tissue insult, nerve impairment, or other red flags.",),
        hedged=("A tumor cannot be excluded.", "An MRI was ordered to rule out serious spinal pathology."),
        restated=(
            "Per ACOEM, imaging is for red flags, physiologic evidence of tissue insult or neurologic dysfunction.",
            "Utilization review noted red flags.",
        ),
        other_region=("A displaced fracture of the left wrist was found.",),
    ),
    # ACOEM Ch. 8 special studies: neurologic findings, charted short or as a test described
    Suite(
        "objective_neurologic_findings",
        CERVICAL_MRI,
        read=(
            "Biceps strength was mildly reduced on the right.",
            "Tapping over the left carpal tunnel sent tingling into the index finger.",
            "Two-point discrimination was 9 mm in the left thumb.",
            "The right triceps jerk was absent.",
            "There is decreased sensation in the right C6 dermatome.",
        ),
        negated=(
            "Biceps, brachioradialis and triceps jerks 2/4 and equal.",
            "UE strength, sensation, DTRs WNL.",
            "There was a lack of significant neurological deficits in the arms.",
            "Sensation: intact.",
            "Motor strength 5/5 throughout the upper extremities.",
            "Neurologically, the patient is intact.",
            "Neurologic deficits: none found.",
        ),
        undocumented=("There is no documentation of neurological dysfunction.",),
        restated=(
            "She states her arm feels weak.",
            "ACOEM requires physiologic evidence of neurologic dysfunction before an MRI.",
        ),
        other_region=(
            "There is decreased sensation in the left L5 dermatome.",
            "The left Achilles reflex is absent.",
        ),
    ),
    # ACOEM Ch. 12: objective root signs, the rest of the examination normal
    Suite(
        "objective_nerve_compromise_on_exam",
        LUMBAR_MRI,
        read=(
            "Left L5 sensation was diminished to pinprick.",
            "EHL strength is 4/5 on the right.",
            "A crossed straight leg raise sign was present.",
            "The left Achilles reflex is trace compared with 2+ on the right.",
            "Ankle dorsiflexion weakness, 4 of 5, on the left.",
        ),
        negated=(
            "L-spine: paravertebral tenderness; SLR neg bilat; LE strength, sensation, DTRs WNL.",
            "The lumbar exam showed tenderness at L4-5 with all other findings within normal limits.",
            "The examinations did not detail findings consistent with an issue involving a specific spinal nerve.",
            "SLR negative bilaterally.",
            "Reflexes 2+ and symmetric at the knees and ankles.",
            "There were no signs of radiculopathy on examination.",
            "There were no radicular findings on exam.",
        ),
        undocumented=("There is no documentation of objective findings of radiculopathy.",),
    ),
    # ACOEM Ch. 13: signs of internal derangement, a ligament test described and a stable knee
    Suite(
        "internal_derangement_suspected",
        "MRI of the left knee",
        read=(
            "Joint line tenderness with a positive Thessaly test on the left.",
            "The anterior drawer test shows increased translation on the left.",
            "The left knee gives out when she turns.",
            "A medial meniscus tear of the left knee is suspected.",
            "Left knee: Lachman 2+ with a soft endpoint.",
        ),
        negated=(
            "The left knee ligaments are stable.",
            "No mechanical symptoms of the left knee.",
            "McMurray's and Lachman's tests are negative on the left.",
            "She denies locking or giving way of the left knee.",
            "There is no laxity of the left knee.",
        ),
        other_region=("The right shoulder has a positive O'Brien test.",),
    ),
    # ACOEM Ch. 9 and 13: a lesion surgery repairs, shown by the study; a partial or near tear is not one
    Suite(
        "surgical_lesion_evidence",
        "Right shoulder arthroscopy with rotator cuff repair",
        read=(
            "The MRI shows a full-thickness retracted tear of the supraspinatus.",
            "A full-thickness tear of the supraspinatus with 2 cm of retraction is seen on the MRI.",
            "MR arthrogram of the right shoulder demonstrated a complete tear of the supraspinatus tendon.",
            "Imaging revealed a massive rotator cuff tear on the right.",
            "The MRI of the right shoulder documented a full-thickness rotator cuff tear.",
        ),
        hedged=(
            "The MRI showed a near full-thickness tear of the supraspinatus.",
            "The MRI showed a partial-thickness tear of the supraspinatus.",
            "A full-thickness tear may be present on the MRI.",
        ),
        restated=("ACOEM supports rotator cuff repair for a full-thickness tear confirmed by imaging.",),
    ),
    # ACOEM Ch. 12 p. 304: imaging when surgery is considered; surgery offered and not yet decided is considered
    Suite(
        "surgery_considered",
        LUMBAR_MRI,
        read=(
            "The spine surgeon offered a decompression; she wants to think it over.",
            "He would proceed with surgery if the next injection does not help.",
            "A fusion is still under consideration by the worker.",
            "She is thinking over a microdiscectomy.",
            "The surgeon has offered an operation and he is still deciding.",
            "His physical therapy was finished, and a fusion has been offered and remains under consideration.",
        ),
        negated=(
            "Surgery is not under consideration.",
            "The surgeon advised her against an operation.",
            "He declines surgery.",
            "Both spine surgeons recommended against an operation.",
            "He is not a surgical candidate.",
        ),
        hedged=("If the injection fails, surgery may be considered.",),
        restated=("Imaging is indicated when surgery is considered.",),
    ),
    # ODG knee corticosteroid injection: knee pain interferes with functional activities (walking, standing)
    Suite(
        "knee_pain_interferes_with_function",
        "Right knee corticosteroid injection",
        read=(
            "His right knee pain keeps him from standing through a full shift.",
            "The knee limits her walking to about two blocks.",
            "She can no longer kneel or take the stairs because of the right knee.",
            "He struggles with stairs and squatting due to his knee.",
            "Knee pain interferes with her work as a cashier.",
        ),
        negated=(
            "The knee pain does not limit his walking.",
            "Her right knee does not interfere with her daily activities.",
        ),
        restated=(
            "ODG supports an injection when knee pain interferes with functional activities.",
            "Utilization review noted that the knee pain limits walking.",
        ),
        other_region=("He cannot stand for long because of his low back.",),
    ),
    # ACOEM 2004 Ch. 13 p. 340: a brace only if the patient is going to stress the knee under load
    Suite(
        "knee_stressed_under_load",
        "Functional knee brace, right",
        read=(
            "He is a lineman and climbs utility poles every day.",
            "She will go back to work carrying 50-pound sacks of feed.",
            "His job as a tile setter has him kneeling and squatting all day.",
            "He works in construction doing heavy lifting.",
            "She goes up and down ladders to stock shelves.",
        ),
        negated=("He has a sedentary desk job.", "She returned to her clerical position."),
        restated=(
            "A brace is usually necessary only if the patient is going to stress the knee under load.",
            "ACOEM notes braces for those climbing ladders or carrying boxes.",
        ),
        undocumented=("The records do not say whether he climbs ladders.",),
    ),
    # ACOEM 2004 Ch. 9 p. 211: surgery for impingement is arthroscopic decompression (acromioplasty); read from a
    # shoulder operation's name only, in the clinic's short forms too
    Suite(
        "impingement_decompression",
        "Left shoulder arthroscopic subacromial decompression",
        read=(
            "Left shoulder arthroscopy, rotator cuff repair and decompression",
            "Right shoulder arthroscopy with ASAD and distal clavicle excision",
            "Right shoulder arthroscopy with acromioplasty",
            "Left shoulder arthroscopy, decompression of the subacromial space",
            "Arthroscopic coracoacromial ligament release, right shoulder",
        ),
        undocumented=(
            "Right shoulder arthroscopy with superior labral anterior posterior repair",
            "Left shoulder arthroscopic rotator cuff repair",
        ),
        hedged=("Right shoulder arthroscopy, labral repair, possible decompression",),
        other_region=(
            "Right shoulder arthroscopy with suprascapular nerve decompression",
            "L4-5 decompression and discectomy",
        ),
        section="item",
    ),
]


# the three runs of this module's SUITES: read, negated, and not read (undocumented, hedged, restated,
# another region)
(
    test_phrasings_that_must_be_read,
    test_negated_phrasings,
    test_undocumented_hedged_restated_and_other_phrasings_are_not_read,
) = suite_tests(SUITES)


# --- one sentence, one level positive and another not; tests described; counts -------------------------


@pytest.mark.parametrize(
    ("fact", "item", "text", "expected"),
    [
        # one level's compression decides: "no stenosis" at another level does not cancel it
        (
            "imaging_neural_compression",
            ESI,
            "MRI: L4-5 paracentral protrusion abutting the descending left L5 root; L5-S1 facet arthropathy, "
            "no stenosis.",
            True,
        ),
        (
            "imaging_neural_compression",
            ESI,
            "The MRI showed no stenosis at L3-4 and a foraminal extrusion compressing the exiting right L4 root.",
            True,
        ),
        ("imaging_neural_compression", ESI, "The MRI showed no stenosis and no nerve root compression.", False),
        # the needle study's result in other words
        ("electrodiagnostic_radiculopathy", ESI, "An electromyogram last year confirmed an L5 radiculopathy.", True),
        ("electrodiagnostic_radiculopathy", ESI, "A chronic S1 radiculopathy was confirmed by EMG in 2015.", True),
        ("electrodiagnostic_radiculopathy", ESI, "An electromyogram is planned to evaluate for radiculopathy.", None),
        # a prior injection named with its side, root and approach; its relief told in a later clause
        ("prior_esi_same_region", ESI, "She received a left L5 transforaminal epidural injection in June.", True),
        (
            "esi_prior_relief",
            ESI,
            "He had a left L5 transforaminal epidural injection in May; he said it took maybe a third off his "
            "leg pain.",
            False,
        ),
        (
            "esi_prior_relief",
            ESI,
            "She had an epidural injection in March; it helped for about two weeks.",
            False,
        ),
        # a procedure planned, named in general
        ("invasive_procedure_planned", CERVICAL_MRI, "No procedure is planned.", False),
        ("invasive_procedure_planned", CERVICAL_MRI, "An interventional procedure is being considered.", True),
        ("internal_derangement_suspected", "MRI of the right knee", "The right knee jams on stairs.", True),
        (
            "surgical_lesion_evidence",
            MENISCECTOMY,
            "MRI of the right knee demonstrated a displaced bucket-handle tear of the medial meniscus.",
            True,
        ),
        # a tear suspected is the finding this fact names; a study to rule one out is not
        (
            "internal_derangement_suspected",
            "MRI of the right knee",
            "The findings are concerning for a medial meniscus tear of the right knee.",
            True,
        ),
        ("internal_derangement_suspected", "MRI of the right knee", "A meniscal tear is suspected clinically.", True),
        (
            "internal_derangement_suspected",
            "MRI of the right knee",
            "The MRI was requested to rule out a meniscal tear of the right knee.",
            None,
        ),
        # weakness of a limb as the patient tells it is a limb symptom
        ("limb_neurologic_symptoms", CERVICAL_MRI, "She complains of weakness in the right hand.", True),
        ("limb_neurologic_symptoms", CERVICAL_MRI, "He keeps dropping objects with his right hand.", True),
        ("limb_neurologic_symptoms", CERVICAL_MRI, "He denies arm weakness or numbness.", False),
        # a prior injection's relief in words: half the pain relieved for two months; relief named first
        (
            "esi_prior_relief",
            ESI,
            "The previous epidural injection relieved about half of her leg pain for two months.",
            True,
        ),
        ("esi_prior_relief", ESI, "Relief from the last epidural lasted only ten days.", False),
        ("esi_prior_relief", ESI, "The last epidural gave 60% relief for a month.", False),
        ("prior_esi_same_region", ESI, "The lumbar epidural she had in 2016 gave little relief.", True),
        # a procedure named and planned, recommended or awaited; recommended against is no plan
        ("invasive_procedure_planned", CERVICAL_MRI, "The surgeon recommended a C5-6 fusion.", True),
        ("invasive_procedure_planned", CERVICAL_MRI, "She is awaiting a cervical epidural injection.", True),
        ("invasive_procedure_planned", CERVICAL_MRI, "The surgeon recommended against a cervical fusion.", None),
        # the prior MRI stated in the summary, for the item's region
        ("prior_same_region_mri", CERVICAL_MRI, "There is no prior MRI of the cervical spine.", False),
        ("prior_same_region_mri", CERVICAL_MRI, "She had a cervical MRI in 2015.", True),
        ("prior_same_region_mri", CERVICAL_MRI, "She had an MRI of the left knee in 2015.", None),
        ("prior_same_region_mri", LUMBAR_MRI, "He had a cervical spine MRI in 2014.", None),
        # the examination unchanged, for a repeat MRI
        (
            "significant_change_since_prior_mri",
            "Repeat MRI of the lumbar spine",
            "Her neurological examination is normal and unchanged.",
            False,
        ),
    ],
)
def test_findings_in_other_words(fact: str, item: str, text: str, expected: object) -> None:
    assert read_fact(Suite(fact, item, read=()), text) is expected


def test_a_repeat_injection_named_as_the_item_is_a_prior_injection_of_its_region() -> None:
    item = Suite("prior_esi_same_region", ESI, read=(), section="item")
    assert read_fact(item, "Repeat left L5-S1 transforaminal epidural steroid injection") is True
    assert read_fact(item, "Left L5-S1 transforaminal epidural steroid injection") is None


@pytest.mark.parametrize(
    ("name", "levels"),
    [
        ("Left L4-5 transforaminal epidural steroid injection", 1),
        ("Repeat right S1 transforaminal epidural steroid injection", 1),
        ("Cervical interlaminar epidural steroid injection C6-7", 1),
        ("L4-5 and L5-S1 transforaminal epidural steroid injections", 2),
        # both sides, a range of levels, or no level: not read as one
        ("Bilateral L4-5 transforaminal epidural steroid injection", None),
        ("Lumbar epidural steroid injection L4-S1", None),
        ("Lumbar epidural steroid injection", None),
    ],
)
def test_one_named_level_is_one_level(name: str, levels: int | None) -> None:
    found = requested_quantities(name, "epidural_steroid_injection", bundled_patterns())
    assert found.get("esi_levels") == levels


SHOULDER_MRI = "MRI of the right shoulder"
CUFF_REPAIR = "Right shoulder arthroscopic rotator cuff repair"
DISCECTOMY = "Lumbar discectomy at L5-S1"
RELAXANT = "Cyclobenzaprine 7.5 mg #60"


@pytest.mark.parametrize(
    ("fact", "item", "text", "expected"),
    [
        # a review of systems denying three or more red flags at once (ACOEM 2004 Table 12-1), abbreviated or not;
        # one or two denied, the guideline's list, a reason for the test or UR's words are not read
        (
            "red_flags_present",
            LUMBAR_MRI,
            "ROS: no fevers, no night sweats, no unintended wt loss, no hx of CA.",
            False,
        ),
        ("red_flags_present", LUMBAR_MRI, "She denies fever, saddle anesthesia, or bladder sx.", False),
        ("red_flags_present", LUMBAR_MRI, "He is negative for fever, hx of malignancy and IV drug use.", False),
        ("red_flags_present", LUMBAR_MRI, "No recent trauma, fever or new focal neurologic deficits.", False),
        ("red_flags_present", LUMBAR_MRI, "He denies fever or weight loss.", None),
        ("red_flags_present", LUMBAR_MRI, "Red flags include fever, weight loss and a history of cancer.", None),
        ("red_flags_present", LUMBAR_MRI, "The MRI is to rule out infection given fevers, chills and wt loss.", None),
        ("red_flags_present", LUMBAR_MRI, "Utilization review noted no fever, weight loss or cancer history.", None),
        # one red flag present beside the denied ones still decides
        ("red_flags_present", LUMBAR_MRI, "No fever or wt loss, but he reports new bladder incontinence.", True),
        # a spinal MRI never obtained; the region's only imaging plain films
        ("prior_mri_regions", LUMBAR_MRI, "A lumbar MRI has not been performed so far.", []),
        ("prior_mri_regions", CERVICAL_MRI, "She has had no neck imaging apart from x-rays.", []),
        # a joint is a member now: its MRI denied is read as a spinal one is ([]: a list cannot say "not the knee")
        ("prior_mri_regions", LUMBAR_MRI, "No knee MRI has ever been obtained.", []),
        # a dated MRI's result in the present tense is an MRI had
        ("prior_mri_regions", LUMBAR_MRI, "The lumbar MRI of 2/14/2017 shows an L5-S1 extrusion.", ["low_back"]),
        ("prior_mri_regions", CERVICAL_MRI, "Her cervical MRI dated 3/2/2016 reveals a C5-6 protrusion.", ["neck"]),
        ("prior_mri_regions", LUMBAR_MRI, "The requested lumbar MRI shows whether a root is compressed.", None),
        ("prior_same_region_mri", LUMBAR_MRI, "No MRI of the lumbar spine has been obtained yet.", False),
        ("prior_same_region_mri", LUMBAR_MRI, "An MRI has never been done.", False),
        ("prior_same_region_mri", CERVICAL_MRI, "There is no cervical spine imaging besides plain radiographs.", False),
        ("prior_same_region_mri", CERVICAL_MRI, "No lumbar MRI has been obtained.", None),
        ("prior_same_region_mri", LUMBAR_MRI, "A lumbar MRI has been performed and shows an L4-5 protrusion.", True),
        # a plan waiting on the study's result
        (
            "surgery_considered",
            LUMBAR_MRI,
            "The neurosurgeon would go ahead with a laminectomy if the MRI showed a compressive lesion.",
            True,
        ),
        (
            "surgery_considered",
            SHOULDER_MRI,
            "A steroid injection or an arthroscopic repair is to be chosen based on the MRI findings.",
            True,
        ),
        (
            "surgery_considered",
            LUMBAR_MRI,
            "He told her that if the scan confirms the herniation he will proceed to a microdiscectomy.",
            True,
        ),
        ("surgery_considered", LUMBAR_MRI, "If the injection fails, surgery may be considered.", None),
        (
            "surgery_considered",
            LUMBAR_MRI,
            "Utilization review noted he would proceed to a decompression if the MRI showed a lesion.",
            None,
        ),
        (
            "invasive_procedure_planned",
            SHOULDER_MRI,
            "The orthopedist will decide on a cortisone injection or a labral repair according to the MRI.",
            None,
        ),
        (
            "invasive_procedure_planned",
            SHOULDER_MRI,
            "A subacromial injection or a cuff repair would be selected after the MRI.",
            True,
        ),
        (
            "invasive_procedure_planned",
            SHOULDER_MRI,
            "The surgeon would move on to an arthroscopic repair if the study shows a full-thickness tear.",
            True,
        ),
        # a drug's purpose is not a finding; no spasm on any examination is
        ("muscle_spasm", RELAXANT, "Flexeril was started for muscle spasms; none was found on examination.", None),
        ("muscle_spasm", RELAXANT, 'Tizanidine was given for "spasm"; no spasm is noted on any exam.', False),
        ("muscle_spasm", RELAXANT, "Baclofen was added for back spasm and the exam shows paraspinal spasm.", True),
        # no electrodiagnostic study done: none confirms carpal tunnel syndrome
        ("cts_nerve_conduction_confirmed", CTR, "No nerve conduction studies have been done to date.", False),
        ("cts_nerve_conduction_confirmed", CTR, "She has never undergone an EMG/NCV.", False),
        ("cts_nerve_conduction_confirmed", CTR, "Electrodiagnostic testing has not yet been performed.", False),
        ("cts_nerve_conduction_confirmed", CTR, "An EMG/NCS has been performed.", None),
        ("cts_nerve_conduction_confirmed", CTR, "NCS in May confirmed moderate right carpal tunnel syndrome.", True),
        # a lesion's relation to a root denied
        ("imaging_neural_compression", ESI, "The MRI shows a small protrusion that does not abut the L5 root.", False),
        (
            "imaging_neural_compression",
            ESI,
            "MRI: L5-S1 bulge with no displacement of, or contact with, the traversing S1 root.",
            False,
        ),
        ("imaging_neural_compression", ESI, "MRI: an L5-S1 extrusion touching the left S1 root.", True),
        # no leg symptoms in a root's distribution
        ("severe_disabling_leg_symptoms", DISCECTOMY, "His pain does not travel beyond the right thigh.", False),
        ("severe_disabling_leg_symptoms", DISCECTOMY, "She denies any numbness below the knee.", False),
        ("severe_disabling_leg_symptoms", DISCECTOMY, "The pain is confined to the low back.", False),
        ("severe_disabling_leg_symptoms", DISCECTOMY, "Pain radiates below the knee.", None),
        # the study found no tear
        ("surgical_lesion_evidence", CUFF_REPAIR, "The MRI revealed no rotator cuff tear.", False),
        ("surgical_lesion_evidence", CUFF_REPAIR, "There was no repairable lesion on the MR arthrogram.", False),
        ("surgical_lesion_evidence", CUFF_REPAIR, "The shoulder MRI was negative for a rotator cuff tear.", False),
        ("surgical_lesion_evidence", CUFF_REPAIR, "The MRI showed a massive retracted supraspinatus tear.", True),
        # a limb symptom brought on by a tension sign; a test not reproducing it says nothing
        (
            "limb_neurologic_symptoms",
            LUMBAR_MRI,
            "The right patellar reflex was absent, and the slump test reproduced his shin pain.",
            True,
        ),
        ("limb_neurologic_symptoms", LUMBAR_MRI, "SLR on the left brought on tingling into the foot.", True),
        ("limb_neurologic_symptoms", LUMBAR_MRI, "Straight-leg raising did not reproduce any leg pain.", None),
        # the shoulder's tear tests, not the impingement signs
        ("internal_derangement_suspected", SHOULDER_MRI, "The drop-arm test was positive on the right.", True),
        ("internal_derangement_suspected", SHOULDER_MRI, "Positive empty can and lift-off tests.", True),
        ("internal_derangement_suspected", SHOULDER_MRI, "Speed's and Yergason's tests were negative.", False),
        ("internal_derangement_suspected", SHOULDER_MRI, "Neer's and Hawkins' signs were positive.", None),
        # a new neurologic deficit, for a repeat MRI
        (
            "significant_change_since_prior_mri",
            "Repeat MRI of the lumbar spine",
            "He now has a new left foot drop.",
            True,
        ),
        (
            "significant_change_since_prior_mri",
            "Repeat MRI of the lumbar spine",
            "Great toe extension is 3/5, which had been 5/5 at the prior examination.",
            True,
        ),
        (
            "significant_change_since_prior_mri",
            "Repeat MRI of the lumbar spine",
            "She has no new weakness or sensory loss.",
            False,
        ),
        ("significant_change_since_prior_mri", "Repeat MRI of the lumbar spine", "He reports new hip pain.", None),
        # the records raise no suspicion of a hip condition ODG lists for MRI
        (
            "hip_mri_condition_suspected",
            "MRI of the left hip",
            "The notes do not raise any concern for osteonecrosis or an occult fracture.",
            False,
        ),
        (
            "hip_mri_condition_suspected",
            "MRI of the left hip",
            "There are no clinical findings to suspect a labral tear.",
            False,
        ),
        (
            "hip_mri_condition_suspected",
            "MRI of the left hip",
            "A stress fracture of the femoral neck is suspected.",
            True,
        ),
        # carpal tunnel tests named with their timing before the verb; another nerve's site is not read
        ("cts_exam_positive", CTR, "Phalen's maneuver at 45 seconds and Durkan's test were both positive.", True),
        ("cts_exam_positive", CTR, "Tinel's sign over the right cubital tunnel was positive.", None),
        ("cts_exam_positive", CTR, "Phalen's test held for a full minute was negative.", False),
        # nerve compromise on examination, present or denied
        (
            "objective_nerve_compromise_on_exam",
            LUMBAR_MRI,
            "The examination showed no evidence of nerve root compromise.",
            False,
        ),
        (
            "objective_nerve_compromise_on_exam",
            LUMBAR_MRI,
            "The MRI was ordered to rule out nerve root compromise.",
            None,
        ),
    ],
)
def test_absence_statements_and_plans(fact: str, item: str, text: str, expected: object) -> None:
    assert read_fact(Suite(fact, item, read=()), text) == expected


# --- examination and imaging findings charted short or in other words (issue 12) -------------------------
# Each both ways: a finding stated "positive for" or charted with its answer; a normal examination of a named
# limb; a study of the region found normal or without a lesion; never a drug's purpose, another region, a
# guideline's words or utilization review's.


@pytest.mark.parametrize(
    ("fact", "item", "text", "expected"),
    [
        # spasm after "for" is the examination's finding; a drug's purpose is not
        ("muscle_spasm", RELAXANT, "Palpation over the lumbar paraspinals is positive for spasm.", True),
        ("muscle_spasm", RELAXANT, "The neck examination was significant for trapezius spasm.", True),
        ("muscle_spasm", RELAXANT, "His back examination is remarkable for paravertebral muscle spasm.", True),
        ("muscle_spasm", RELAXANT, "Palpation of the low back was negative for spasm.", False),
        ("muscle_spasm", RELAXANT, "Tizanidine was prescribed for muscle spasm in March.", None),
        ("muscle_spasm", RELAXANT, "A relaxant is indicated for patients positive for spasm.", None),
        # charted with its answer
        ("muscle_spasm", RELAXANT, "Lumbar exam. Tenderness: present. Spasm: absent.", False),
        ("muscle_spasm", RELAXANT, "Paraspinal spasm - not appreciated.", False),
        ("muscle_spasm", RELAXANT, "Paraspinal spasm: present bilaterally.", True),
        # the neurologic examination of a named limb normal, the limb its region
        (
            "objective_neurologic_findings",
            CERVICAL_MRI,
            "The neurological examination of both upper extremities was within normal limits.",
            False,
        ),
        (
            "objective_neurologic_findings",
            CERVICAL_MRI,
            "Motor, sensory and reflex testing of the arms was normal.",
            False,
        ),
        (
            "objective_nerve_compromise_on_exam",
            LUMBAR_MRI,
            "Neuro examination of the lower extremities is unremarkable.",
            False,
        ),
        (
            "objective_nerve_compromise_on_exam",
            LUMBAR_MRI,
            "The neurologic examination of the right upper extremity was normal.",
            None,
        ),
        ("objective_nerve_compromise_on_exam", LUMBAR_MRI, "Neurologic: grossly intact.", False),
        ("objective_neurologic_findings", CERVICAL_MRI, "DTRs are 2/4 bilaterally in the arms.", False),
        ("objective_neurologic_findings", CERVICAL_MRI, "Upper extremity strength is full.", False),
        ("objective_neurologic_findings", CERVICAL_MRI, "Grip strength was equal bilaterally.", False),
        (
            "objective_neurologic_findings",
            CERVICAL_MRI,
            "Neuro evaluation of both arms revealed no focal deficits.",
            False,
        ),
        ("objective_neurologic_findings", CERVICAL_MRI, "She says her strength is full.", None),
        ("objective_neurologic_findings", CERVICAL_MRI, "Shoulder range of motion is full.", None),
        (
            "objective_neurologic_findings",
            CERVICAL_MRI,
            "The neurologic examination of the legs revealed no deficits.",
            None,
        ),
        # a hand muscle graded, one side's reflex graded low (charted short); full grades and 2+ are normal
        ("objective_neurologic_findings", CERVICAL_MRI, "Right first dorsal interosseous 4/5.", True),
        ("objective_neurologic_findings", CERVICAL_MRI, "APB strength 4-/5 on the left.", True),
        ("objective_neurologic_findings", CERVICAL_MRI, "Left biceps reflex 0/4.", True),
        ("objective_nerve_compromise_on_exam", CERVICAL_MRI, "Right triceps reflex 1+.", True),
        ("objective_neurologic_findings", CERVICAL_MRI, "First dorsal interosseous strength 5/5.", False),
        ("objective_neurologic_findings", CERVICAL_MRI, "Right triceps reflex 2+.", None),
        ("objective_neurologic_findings", CERVICAL_MRI, "She says her right hand intrinsics feel weak.", None),
        (
            "objective_nerve_compromise_on_exam",
            LUMBAR_MRI,
            "He walks with a normal gait and has normal neurologic findings in the legs.",
            False,
        ),
        ("objective_nerve_compromise_on_exam", LUMBAR_MRI, "She had normal neurologic findings in both arms.", None),
        (
            "objective_neurologic_findings",
            CERVICAL_MRI,
            "The guideline asks that the neurologic examination of the arms be abnormal.",
            None,
        ),
        # the study found no lesion, a normal study of the region, an intact structure; a grade denied leaves a
        # lesser tear open, another joint's study says nothing
        ("surgical_lesion_evidence", CUFF_REPAIR, "The MR arthrogram revealed no evidence of a SLAP lesion.", False),
        ("surgical_lesion_evidence", CUFF_REPAIR, "Her right shoulder MRI was essentially normal.", False),
        ("surgical_lesion_evidence", CUFF_REPAIR, "The MRI demonstrated an intact rotator cuff.", False),
        (
            "surgical_lesion_evidence",
            CUFF_REPAIR,
            "An MRI found no evidence for a Bankart lesion or posterior labral tear.",
            False,
        ),
        ("surgical_lesion_evidence", CUFF_REPAIR, "The MRI showed no full-thickness rotator cuff tear.", None),
        ("surgical_lesion_evidence", CUFF_REPAIR, "The left knee MRI was unremarkable.", None),
        ("surgical_lesion_evidence", CUFF_REPAIR, "Utilization review stated the shoulder MRI was normal.", None),
        # the examinations not showing it are a finding
        ("red_flags_present", LUMBAR_MRI, "The examinations do not document any red flags.", False),
    ],
)
def test_findings_charted_short_and_normal_studies(fact: str, item: str, text: str, expected: object) -> None:
    assert read_fact(Suite(fact, item, read=()), text) is expected
