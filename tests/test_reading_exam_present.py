"""Findings stated present that the reader used to leave undocumented: the skilled nursing facility criteria
(ODG, from Medicare's 42 CFR 409.31: a recent major operation or hospital stay, significant new functional
limitations, daily skilled services, no lower level of care), red flags named otherwise (ACOEM 2004 Table
12-1), a joint's instability and labral tests (ACOEM 2004 Ch. 9 and 13), the lay names of epicondylitis (ODG
elbow MRI), an abnormal neurologic examination, and a hedge inside a finding ("straight leg raise may be
positive").

Every sentence is invented for the suite from the guidelines' vocabulary and the clinic's; each goes through
the real reader in a letter made around it (`test_reading_suites.read_fact`)."""

from __future__ import annotations

from .test_reading_suites import Suite, suite_tests

SNF = "Inpatient rehabilitation facility stay x 14 days"
LUMBAR_MRI = "Lumbar spine MRI without contrast"
KNEE_MRI = "MRI of the right knee"
SHOULDER_MRI = "MRI of the right shoulder"
ELBOW_MRI = "MRI of the left elbow"
ARM_EMG = "EMG/NCV of the bilateral upper extremities"
LEG_EMG = "EMG/NCV of the bilateral lower extremities"

SUITES: list[Suite] = [
    # ODG SNF criteria: significant new functional limitations (walking a short distance only, help with the
    # activities of daily living or transfers)
    Suite(
        "new_functional_limitations",
        SNF,
        read=(
            "After the fusion he was unable to ambulate more than 20 feet with a walker.",
            "She requires moderate assistance with transfers and dressing.",
            "Since the hip surgery she is dependent for bathing and toileting.",
            "Therapy notes indicate that he ambulates only 15 feet with a front-wheeled walker.",
            "He is unable to perform activities of daily living without help since discharge.",
            "She is now wheelchair bound after the surgery.",
            "He needed max assist for bed mobility and transfers.",
            "Therapy noted contact guard assist with transfers.",
        ),
        negated=(
            "She is independent with transfers and activities of daily living.",
            "He ambulates independently with a cane.",
        ),
        hedged=(
            "Rule out inability to walk.",
            "He will stay in rehabilitation until he can walk 100 feet.",
        ),
        restated=(
            "ODG requires significant new functional limitations such as inability to ambulate more than 50 feet.",
        ),
        undocumented=("He walks 300 feet with a cane.",),
    ),
    # ODG SNF criteria (42 CFR 409.31(b)(1)): skilled nursing or rehabilitation needed on a daily basis
    Suite(
        "daily_skilled_care_needed",
        SNF,
        read=(
            "She requires daily skilled nursing for wound care and IV antibiotics.",
            "He needs physical and occupational therapy every day, which is skilled rehabilitation.",
            "He requires skilled nursing services on a daily basis.",
            "The patient is receiving intravenous antibiotics through a PICC line.",
            "He requires intensive inpatient rehabilitation.",
            "She needs three hours of therapy a day.",
        ),
        negated=("He does not require daily skilled nursing care.",),
        hedged=("Possible need for daily skilled nursing.",),
        restated=("Guidelines require skilled nursing or skilled rehabilitation services on a daily basis.",),
        undocumented=(
            "She is able to tolerate three hours of therapy per day.",
            "A home health aide helps her bathe twice a week.",
        ),
    ),
    # ODG SNF criteria (42 CFR 409.31(b)(3)): the care can only be given as an inpatient
    Suite(
        "lower_level_of_care_precluded",
        SNF,
        read=(
            "He lives alone and has no family support.",
            "There is no caregiver at home to assist her.",
            "She cannot be safely discharged home.",
            "Home health services would not be sufficient for his needs.",
            "It is not safe for her to return home alone.",
            "She is unable to care for herself at home.",
            "Discharge home would be unsafe.",
        ),
        hedged=("It is unclear whether she has a caregiver at home.",),
        restated=("Guidelines require that treatment at a lower level of care be precluded.",),
        undocumented=(
            "He lives alone, but his daughter stays with him on weekends.",
            "She can care for herself at home.",
            "His wife is at home with him.",
        ),
    ),
    # ODG SNF criteria and the CPMTG's home health services: a recent major operation or a hospital stay, as
    # charted ("s/p", "post-operative day 3", "remains an inpatient"); a remote operation is not it
    Suite(
        "recent_major_surgery_or_hospitalization",
        SNF,
        read=(
            "She is status post right total knee arthroplasty on 10/28/2016.",
            "He is s/p left total hip replacement.",
            "He is currently hospitalized after the fusion.",
            "She is post-operative day 3 after a lumbar laminectomy.",
            "He is status post L5-S1 discectomy and laminectomy.",
            "She remains an inpatient following the knee replacement.",
        ),
        negated=("He has not been hospitalized.",),
        hedged=("If surgery is performed, a skilled nursing stay may be considered.",),
        restated=("Guidelines recommend SNF care after hospitalization for major surgery.",),
        undocumented=("He had a carpal tunnel release in 2009.", "He was hospitalized for pneumonia in 2008."),
    ),
    # ACOEM 2004 Table 12-1 in other words: cauda equina on examination, a tumour or an infection named
    # otherwise, a deficit said to progress after its name
    Suite(
        "red_flags_present",
        LUMBAR_MRI,
        read=(
            "There was decreased perianal sensation on examination.",
            "There is concern for an epidural abscess given his fever.",
            "He has known metastatic disease to the spine.",
            "The neurologic deficit in his left leg has been increasing over the past month.",
            "He has had a fever and elevated inflammatory markers with back pain.",
            "The weakness of her right foot is progressing.",
        ),
        negated=("No red flag signs or symptoms were documented.",),
        hedged=("There is a possible compression fracture at L1.", "Rule out an epidural abscess."),
        restated=("Red flags include cauda equina syndrome, fracture, tumor and infection.",),
        undocumented=("He had a remote fracture of the left ankle in 2010.",),
    ),
    # ACOEM 2004 Ch. 13: the knee's derangement in the examiner's words
    Suite(
        "internal_derangement_suspected",
        KNEE_MRI,
        read=(
            "Examination showed a 1+ effusion of the right knee.",
            "Varus stress testing revealed laxity.",
            "There was a palpable click with McMurray's maneuver.",
            "The patella subluxes laterally with flexion.",
            "The right knee feels unstable on stairs.",
        ),
        negated=("She denies locking, catching or giving way.",),
        hedged=("Rule out a meniscal tear.",),
        restated=("ODG recommends MRI if internal derangement is suspected.",),
        other_region=(
            "The left shoulder had a positive O'Brien's test.",
            "A positive labral load test of the shoulder.",
        ),
    ),
    # ACOEM 2004 Ch. 9: the shoulder's labral and instability tests
    Suite(
        "internal_derangement_suspected",
        SHOULDER_MRI,
        read=(
            "The right shoulder has a positive labral load test.",
            "The shoulder dislocated twice and feels unstable.",
            "She has had recurrent dislocations of the right shoulder.",
            "Positive anterior slide test on the right.",
            "There was a positive Kim test.",
        ),
        negated=("O'Brien's test was negative.",),
        hedged=("Possible positive labral load test.",),
        restated=("ODG supports MRI of the shoulder for suspected instability or a labral tear.",),
        other_region=("The right knee feels unstable on stairs.",),
    ),
    # ODG elbow MRI: chronic epicondylitis by its lay names
    Suite(
        "elbow_mri_condition_suspected",
        ELBOW_MRI,
        read=(
            "Tenderness over the lateral epicondyle consistent with tennis elbow.",
            "She has chronic golfer's elbow on the left.",
            "He was diagnosed with lateral epicondylosis of the left elbow.",
            "Chronic left medial epicondylalgia.",
            "A distal biceps tendon rupture is suspected.",
        ),
        hedged=("Rule out tennis elbow.",),
        restated=("ODG recommends MRI for chronic epicondylitis when plain films are nondiagnostic.",),
        other_region=("He has chronic tendinitis of the right wrist.",),
        undocumented=("He plays tennis on weekends.",),
    ),
    # an abnormal examination is a finding ("abnormal" is not "normal")
    Suite(
        "objective_neurologic_findings",
        ARM_EMG,
        read=(
            "The physical exam demonstrated an abnormal neurological examination of the right arm.",
            "Abnormal sensory findings were noted in the right hand.",
            "Examination revealed decreased sensation in the C6 dermatome on the left.",
            "The triceps reflex was 1+ on the left compared to 2+ on the right.",
            "Motor testing showed 4+/5 strength in the left deltoid.",
        ),
        negated=(
            "There were no abnormal neurological findings in the arms.",
            "The neurological examination of the upper extremities was normal.",
        ),
        hedged=("Possible weakness of the left triceps.",),
        restated=("Guidelines support EMG when there is a focal neurologic deficit such as reflex asymmetry.",),
        undocumented=("She complains of numbness in the left hand.",),
    ),
    # a hedge inside a finding is no part of it
    Suite(
        "objective_neurologic_findings",
        LEG_EMG,
        read=(
            "Straight leg raise was positive on the left at 45 degrees.",
            "The left Achilles reflex was diminished.",
            "EHL strength was 4/5 on the left.",
            "Examination revealed decreased sensation in the lateral calf and dorsum of the left foot.",
            "He had a diminished ankle jerk on the left.",
        ),
        hedged=(
            "Straight leg raise may be positive.",
            "Straight leg raise on the left could possibly be positive.",
            "Spurling's test might be positive on the right.",
        ),
        undocumented=("He reports that his left leg feels weak.",),
        restated=("Electrodiagnostic studies are indicated when there is a positive straight leg raise.",),
    ),
]

(
    test_read_phrasings,
    test_negated_phrasings,
    test_undocumented_hedged_restated_and_other_phrasings_are_not_read,
) = suite_tests(SUITES)
