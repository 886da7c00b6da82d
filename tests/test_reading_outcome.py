"""The outcome of prior care as any reviewer writes it (issue 12): failure stated as "no change", "none of
which helped", "helped only briefly"; improvement as measures before and after; the functional restoration
programme's criteria; and the failed-care facts read for the item's own body region (issue 13). Every
sentence is invented for this suite and goes through the real reader (`extract_text`) and, for the regional
tests, the real engine."""

from __future__ import annotations

import pytest

from imr_rules import evaluate
from imr_rules.reading.casefile import case_from_data
from imr_rules.reading.extract import extract_text

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text
from .test_reading_suites import INTRO, Suite, read_fact, suite_tests

LUMBAR = "Lumbar discectomy at L5-S1"
SHOULDER = "Right shoulder arthroscopy with subacromial decompression"
FRP = "Functional restoration program, 160 hours"
PT = "Physical therapy 2 times a week for 4 weeks for the lumbar spine"
DRUG = "Tramadol ER 100mg #30"

SUITES: list[Suite] = [
    # ACOEM: "failure of conservative treatment", written as care + an outcome with its own negation
    Suite(
        "conservative_care_failed",
        "MRI of the lumbar spine without contrast",
        read=(
            "Eight sessions of therapy, a home program and a steroid injection did not change her back pain.",
            "She has had physiotherapy, stretching at home and naproxen, none of which relieved the back pain.",
            "An epidural injection in March helped for only about a week.",
            "He has been through two courses of PT and a month off work, and the back pain is no better.",
            "Care so far: PT x8, HEP, meloxicam; back pain unchanged at the 4 and 8 week visits.",
            "Notes from the completed course of therapy show the same pain scores at discharge as at intake.",
            "He was slow to progress with chiropractic care, and the therapy did not help either.",
        ),
        negated=(
            "Physical therapy has helped his low back pain.",
            "Her back pain resolved with physical therapy.",
            # care that helped by half or more, or is not yet had or completed, has not failed
            "She reports 60% improvement in her back pain with physical therapy.",
            "He has had 18 sessions of PT to date with steady improvement.",
            "The patient has yet to complete any conservative management.",
            "She is improving per the therapist's notes, with better lumbar flexion.",
            "There is ongoing physical therapy for the back that is yet to be completed.",
        ),
        undocumented=("There is no documentation that therapy did not help.",),
        hedged=(
            "If physical therapy does not help, an MRI may be considered.",
            "She will begin therapy; her back pain is unchanged.",
        ),
        restated=("Guidelines support imaging when a course of therapy did not help the symptoms.",),
        other_region=(
            "Eight sessions of therapy for the knee did not change her knee pain.",
            "Shoulder physiotherapy and a shoulder injection, none of which helped the shoulder.",
        ),
    ),
    # failure written as persistence after a list of care (issue 12): a symptom that "persists", a score that
    # "remains" high, an activity still not possible, no lasting change, a programme kept up for a year
    Suite(
        "conservative_care_failed",
        "MRI of the lumbar spine",
        read=(
            "Treatment so far: 8 PT visits, naproxen, a lumbar brace - back pain persists at 7/10.",
            "Care to date has included chiropractic care, ibuprofen and home stretching; the low back pain persists.",
            "He has had therapy, meloxicam and activity modification, and his back pain remains 6/10.",
            "He finished twelve visits of therapy and a home program, but he still cannot sit for twenty minutes.",
            "She has had eight chiropractic visits and an epidural injection without lasting change in her leg pain.",
            "Home exercises, naproxen and stretching have continued for more than a year.",
            "Ibuprofen, stretching and a home program have continued for more than a year.",
            "Despite eight PT sessions and naproxen, her back pain is still rated 6/10.",
            "She went through a course of chiropractic care; the back pain has not let up.",
            "Back symptoms are ongoing after 10 therapy visits.",
            "Eight visits of therapy later, he still reports 7/10 back pain.",
            "Physical therapy (eight visits) and a home program likewise failed.",
            "He has failed physical therapy.",
            "The therapist's notes show no gain in lumbar motion across the course.",
        ),
        negated=(
            "He finished twelve visits of therapy, and his back pain has resolved with physical therapy.",
            "Physical therapy has helped his back, and his pain is now 2/10.",
        ),
        undocumented=(
            "The provider failed to document the outcome of physical therapy.",
            "The records failed to show objective improvement with physical therapy.",
        ),
        hedged=(
            "Physical therapy is requested because the back pain persists.",
            "If physical therapy fails, an MRI may be considered.",
            "She will start physical therapy; her back pain persists at 7/10.",
            "She is starting PT because the back pain is still there.",
        ),
        restated=(
            "Guidelines support imaging when conservative care has failed.",
            "The request for physical therapy failed to meet the guideline criteria.",
            "Utilization review noted that physical therapy had failed.",
        ),
        other_region=(
            "Eight knee therapy visits and a knee brace, and the knee pain persists at 7/10.",
            "He has failed physical therapy for the neck.",
        ),
    ),
    # the outcome of care in the records' own words (issue 12, from the register of the train letters): the symptom
    # kept after care had ("continues to have", "still complains of"), relief that did not last, the therapist's
    # report with the plan after it; improvement so qualified is care that has not failed; the records' silence,
    # care approved or about to start, another region are not read
    Suite(
        "conservative_care_failed",
        "MRI lumbar spine without contrast",
        read=(
            "She has undergone physical therapy and still complains of back pain.",
            "He has had eight sessions of acupuncture and continues to report low back pain.",
            "She completed six visits of therapy and continues to have low back pain rated 7/10.",
            "Medications and therapy have not provided lasting relief.",
            "The chiropractic visits did not give him any real benefit.",
            "The therapist reported little to no change in her symptoms, and advanced imaging may be warranted.",
            "She reports no improvement in her back pain after the chiropractic visits.",
        ),
        negated=(
            "He reported marked improvement in his back pain after the chiropractic visits.",
            "An updated therapy note documented overall improvement with physical therapy.",
            "On the last visit she reported great relief from the acupuncture sessions.",
        ),
        undocumented=(
            "The records lack evidence that conservative treatment failed.",
            "No failure of physical therapy has been documented.",
            "There is no documented failure of physical therapy.",
        ),
        hedged=(
            "She will undergo physical therapy and continues to have back pain.",
            "She has received approval for therapy and continues to have pain.",
            "The goal of physical therapy is significant improvement in pain.",
        ),
        restated=("Imaging may be warranted when the patient continues to have back pain despite physical therapy.",),
        other_region=("She has had physical therapy for the knee and continues to have knee pain.",),
    ),
    # ACOEM Ch. 9 and 13: "failure to progress in a strengthening program"
    Suite(
        "failed_exercise_program",
        SHOULDER,
        read=(
            "She completed fourteen therapy visits and an injection since June without improvement in strength.",
            "Ten weeks of supervised strengthening did not restore her shoulder elevation.",
            "He attended every session, but his shoulder strength did not progress despite the exercise program.",
            "The home exercise program made no difference to the shoulder.",
            "She did not progress with a supervised rotator cuff strengthening program.",
        ),
        negated=("She has made good gains with physical therapy for the shoulder.",),
        hedged=(
            "She will start a strengthening program; if it does not help, surgery may be considered.",
            "A strengthening program is planned, and it may not restore full elevation.",
        ),
        restated=(
            "Imaging is for red flags, failure to progress in a strengthening program, or clarification of anatomy.",
        ),
        other_region=("Eight weeks of therapy for the low back did not help the back.",),
    ),
    # the clinic's words for a failed strengthening course (issue 12): "has failed physical therapy", "still cannot"
    Suite(
        "failed_exercise_program",
        "Right shoulder arthroscopic rotator cuff repair",
        read=(
            "She completed six weeks of supervised therapy and a home program, but she still cannot raise her arm.",
            "He has failed physical therapy.",
            "She has failed a course of physical therapy for the shoulder.",
            "The therapist's notes show no gain in strength or motion across the course.",
            "The shoulder therapy also failed.",
        ),
        negated=("The shoulder has improved with physical therapy.",),
        undocumented=("The records failed to document the outcome of the shoulder therapy.",),
        hedged=(
            "If she fails physical therapy, surgery will be considered.",
            "Physical therapy is requested because she still cannot raise her arm.",
        ),
        restated=("Surgery is for patients who have failed a strengthening program.",),
        other_region=("He has failed physical therapy for the low back.",),
    ),
    Suite(
        "joint_activity_limitation_months",
        "Left knee arthroscopy with partial medial meniscectomy",
        read=(
            "She cannot kneel or squat, and these limitations have lasted about six months.",
            "He has been on light duty since May (about six months).",
            "He has been on modified duty for the past six months because of the knee.",
            "These restrictions have persisted for six months.",
            "Her work restrictions have been in place for six months.",
        ),
        undocumented=("The restrictions will be reviewed in two months.",),
        hedged=("He may need modified duty for six months after surgery.",),
        restated=("Surgery is considered when activity limitation lasts more than four months.",),
        other_region=(
            "Her activities have been limited by low back pain for nine months.",
            "He has been on modified duty for the past six months because of the lumbar spine.",
        ),
        value=6.0,
    ),
    # MTUS CPMTG (8 CCR 9792.24.2) functional restoration programmes, criteria 1, 2, 3 and 5
    Suite(
        "frp_baseline_evaluation",
        FRP,
        read=(
            "Baseline functional testing was completed at the initial evaluation.",
            "A functional capacity evaluation was performed before the program began.",
            "The interdisciplinary team measured her lifting capacity and walking tolerance for later comparison.",
            "Physical performance testing at intake recorded a 10-pound floor-to-waist lift.",
            "A multidisciplinary evaluation by a physician, a psychologist and a therapist was done in May.",
        ),
        negated=(
            "The program's letter describes his pain but includes no physical performance testing.",
            "There were no baseline measures of lifting, sitting or walking.",
        ),
        undocumented=("There is no documentation of baseline functional testing.",),
        hedged=("A functional capacity evaluation may be obtained at intake.",),
        restated=("Guidelines require an adequate and thorough evaluation including baseline functional testing.",),
    ),
    Suite(
        "previous_chronic_pain_treatment_failed",
        FRP,
        read=(
            "She has had physical therapy, acupuncture, injections, NSAIDs and gabapentin, none of which helped.",
            "Previous methods of treating his chronic pain have been unsuccessful.",
            "He has exhausted all other treatment options.",
            "There are no other treatment options likely to help him.",
            "All available conservative measures have been tried.",
        ),
        negated=("Other treatment options remain available, including a spinal cord stimulator trial.",),
        undocumented=("There is no evidence that previous methods of treating the pain were unsuccessful.",),
        hedged=("It is unclear whether other treatment options have been exhausted.",),
        restated=(
            "Guidelines require that previous methods of treating chronic pain have been unsuccessful.",
            "Utilization review noted that previous methods of treating the chronic pain had failed.",
        ),
    ),
    # a list of care with no lasting gain; no procedure left (CPMTG criterion 2, issue 12)
    Suite(
        "previous_chronic_pain_treatment_failed",
        "Functional restoration program, 80 hours",
        read=(
            "He has had therapy, chiropractic care, two epidurals and several medications, with no lasting gain.",
            "She has had therapy, injections and medications without lasting benefit.",
            "No further procedure is planned.",
            "PT, acupuncture and NSAIDs, none of which brought lasting relief.",
            "He has exhausted all other treatment options.",
        ),
        negated=("She has had therapy and injections, and other treatment options remain available.",),
        hedged=("Therapy and medications are planned; if there is no lasting gain, the program would be considered.",),
        undocumented=("There is no evidence that previous methods of treating the pain were unsuccessful.",),
        restated=(
            "Guidelines require that previous methods of treating chronic pain have been unsuccessful.",
            "The program is for patients in whom previous treatment has failed.",
        ),
    ),
    Suite(
        "significant_loss_of_function",
        FRP,
        read=(
            "She needs her daughter's help to bathe and dress.",
            "He is unable to do household chores or shop for groceries.",
            "He has a significant loss of function due to the chronic pain.",
            "She is dependent on her husband for bathing and dressing.",
            "He cannot sit through a meal and rarely leaves the house.",
        ),
        negated=(
            "He is independent in all activities of daily living.",
            "She functions independently at home.",
        ),
        hedged=("He may have a significant loss of function.",),
        restated=(
            "Guidelines require a significant loss of the ability to function independently.",
            "The patient must have a significant loss of function resulting from chronic pain.",
        ),
    ),
    Suite(
        "motivated_to_change",
        FRP,
        read=(
            "He is highly motivated to return to work.",
            "She wants to get back to her warehouse work.",
            "He has agreed to taper the opioids during the program.",
            "She is willing to forgo disability payments to return to work.",
            "The psychologist noted strong motivation and good engagement.",
        ),
        negated=(
            "The psychologist noted poor motivation.",
            "He refused to participate in the group sessions.",
        ),
        hedged=("It is unclear whether he is motivated.",),
        restated=(
            "Guidelines require that the patient exhibits motivation to change.",
            "The patient must be willing to forgo secondary gains.",
        ),
    ),
    # failure in the treating physician's or the reviewer's other words (care11): the failed programme with no
    # auxiliary, tried in the passive without benefit, the patient still symptomatic, relief not had, the
    # symptom not relieved by the care, the pain kept with or after it (the item named another way: one suite
    # per fact, item and section)
    Suite(
        "conservative_care_failed",
        "Lumbar MRI without contrast",
        read=(
            "The treating physician reported the patient failed physical therapy and medications.",
            "Chiropractic care was tried without benefit for the low back.",
            "Despite conservative care, the patient remains symptomatic.",
            "He continues to be symptomatic despite eight sessions of therapy.",
            "She has completed 12 sessions of physical therapy with persistent back pain.",
            "Non-operative treatment, including PT and NSAIDs, has failed to provide relief.",
            "The patient has not had relief with physical therapy and naproxen.",
            "The patient has had no improvement with conservative treatment.",
            "The back pain is not relieved by physical therapy.",
            "He has continued low back pain after physical therapy.",
        ),
        negated=(
            # relief had from the care, or care in general not tried
            "She reports improvement with physical therapy.",
            "He has had relief with chiropractic care.",
            "Physical therapy helped reduce his back pain.",
            "The patient noted some benefit from acupuncture.",
            "Conservative treatment has not been tried.",
            "No conservative treatment has been attempted.",
        ),
        undocumented=("There is no documentation that physical therapy was tried without benefit.",),
        hedged=(
            "If he remains symptomatic despite therapy, an MRI may be considered.",
            "Physical therapy would likely help reduce his back pain.",
            "He had some improvement with physical therapy but continues to have pain.",
            "He failed to attend physical therapy.",
        ),
        restated=(
            "Patients who failed physical therapy may be candidates for imaging.",
            "The clinical results were encouraging, even in difficult cases after previous treatments have failed.",
            "Utilization review noted the patient remains symptomatic despite therapy.",
        ),
        other_region=(
            "He continues to be symptomatic in the knee despite knee physical therapy.",
            "Physical therapy for the knee helped reduce his knee pain.",
        ),
    ),
]


# the three runs of this module's SUITES: read, negated, and not read (undocumented, hedged, restated,
# another region)
(
    test_phrasings_that_must_be_read,
    test_negated_phrasings,
    test_undocumented_hedged_restated_and_other_region_phrasings_are_not_read,
) = suite_tests(SUITES)


@pytest.mark.parametrize(
    "text",
    [
        # an operation, an opioid, time itself: not a course of conservative care
        "The injured worker's back pain has not improved after the fusion.",
        "She has persistent back pain despite surgical treatment.",
        "Given the lack of functional improvement with Norco, the request is not supported.",
        "There has been no sustained improvement with opioids.",
        "He has taken hydrocodone for years without sustained functional improvement.",
        "The back pain has not improved with time.",
        # a drug's or a device's own short relief
        "Medications provide temporary relief.",
        "She reported temporary relief from the TENS unit.",
        # a drug kept up for a year is no failed programme; nor is a programme kept up with relief
        "Norco has continued for more than a year.",
        "Ibuprofen and a home program have continued for more than a year with good relief.",
        # a score under 4/10, a symptom still there but better
        "Despite eight PT sessions, her back pain is still rated 2/10 and she works full duty.",
        "She has been treated with PT and her back pain is still there but much better.",
    ],
)
def test_what_is_not_a_failed_course_of_conservative_care(text: str) -> None:
    assert (
        read_fact(Suite("conservative_care_failed", "MRI of the lumbar spine without contrast", read=()), text) is None
    )


# --- improvement as measures before and after (8 CCR 9792.20; CPMTG opioids' Activity and Analgesia) ------

IMPROVED = [
    (PT, "She walked one block with a cane at the first visit and now walks a mile without one."),
    (PT, "He could tolerate sitting for 15 minutes before and now sits through a one-hour drive."),
    (PT, "After the visits his physician returned him to regular duty."),
    (PT, "Her surgeon lowered her restriction from no lifting to a 20-pound limit."),
    (PT, "The doctor took her off the 20-pound lifting limit after the therapy."),
    (DRUG, "With it she can finish her shift and walk her dog, which she could not do before it was started."),
    (DRUG, "On the medication she works her full schedule; a week without it she called in sick twice."),
    (DRUG, "When she ran out for a week she could not finish a therapy session."),
]


@pytest.mark.parametrize(("item", "text"), IMPROVED)
def test_improvement_as_measures_before_and_after_is_read(item: str, text: str) -> None:
    suite = Suite("functional_improvement_from_prior", item, read=(), section="rationale")
    assert read_fact(suite, text) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There is no change in her activities, medication use or work restrictions.", False),
        ("She could not walk a block before the therapy and still cannot.", None),
        ("His doctor may return him to regular duty if the therapy helps.", None),
        # one measure not yet reached says nothing of the others
        ("She has not yet returned to work.", None),
        # what more care is for or is expected to bring, not what the care had brought
        ("The current request is for additional therapy for functional improvement.", None),
        ("The patient is expected to make functional gains with more therapy.", None),
        ("The provider asks for more visits in order to achieve functional improvement.", None),
        ("She has shown continued functional improvement with the prior therapy.", True),
        ("He was able to achieve functional gains with the prior sessions.", True),
    ],
)
def test_no_change_in_the_measures_is_no_improvement(text: str, expected: object) -> None:
    suite = Suite("functional_improvement_from_prior", PT, read=(), section="rationale")
    assert read_fact(suite, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the reviewer's reason after the records' silence is the reviewer's finding (issue 12)
        ("The patient was not shown to have failed conservative care, as physical therapy was helping.", False),
        ("She was also not shown to have failed conservative care given it was also noted therapy was helping.", False),
        ("There is no documentation that therapy failed, as the therapy notes were not provided.", None),
        # the treating physician's claim against the therapy's own notes: the reads disagree, nothing is guessed
        ("The treating physician states that therapy failed, but the therapy notes document steady improvement.", None),
        ("The physical therapy notes document no improvement.", True),
        # some improvement, then pain kept, is no failure said
        ("The patient has had some improvement with physical therapy but continues to have pain.", None),
        ("She has only attended two sessions of therapy and continues to have pain.", None),
        ("She is making steady progress in physical therapy.", False),
        ("He has not made progress in physical therapy.", True),
    ],
)
def test_failed_care_the_reviewers_reason_and_the_therapy_notes(text: str, expected: object) -> None:
    suite = Suite("conservative_care_failed", "MRI of the lumbar spine", read=(), section="rationale")
    assert read_fact(suite, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the records' silence is a gap (issue 12): "no documented", "lack evidence", "no ... has been documented"
        ("There is no documented functional improvement with the prior twelve visits.", None),
        ("No objective functional improvement has been documented with the prior sessions.", None),
        ("The submitted notes lack evidence of objective functional improvement.", None),
        ("There has been no demonstration of functional improvement.", None),
        # the reviewer's own finding, either way
        ("There was no functional improvement with the prior therapy.", False),
        ("The patient showed no benefit with the prior therapy.", False),
        ("Functional improvement has been documented with the prior therapy.", True),
        ("In this case, the patient showed benefit with the first eight visits of physical therapy.", True),
        ("The therapy note reports increased ability to bend and lift since the visits began.", True),
        ("The patient reported that the prior therapy helped her functional mobility.", True),
        # a goal, an expectation, a plan: not what the care brought
        ("The goal is increased ability to lift.", None),
        ("The patient is expected to make progress with additional visits.", None),
    ],
)
def test_the_records_silence_on_improvement_is_a_gap_the_reviewers_finding_is_not(text: str, expected: object) -> None:
    suite = Suite("functional_improvement_from_prior", PT, read=(), section="rationale")
    assert read_fact(suite, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Analgesia: 7-8/10 before the dose, 3-4/10 about two hours after it.", True),
        ("His pain is 8/10 without the tramadol and 4/10 with it.", True),
        ("She rates the pain 5/10 on the medication and 8/10 off it.", True),
        ("The tramadol takes her back pain from 6/10 to 2/10.", True),
        # the same score with and without the drug is no relief
        ("His pain is 8/10 with and 8/10 without the medication.", False),
        ("She reports the same pain with and without the tramadol.", False),
        ("Guidelines ask for pain scores before and after the dose.", None),
        # a claim the reviewer judges too vague is no finding either way
        ('"Meds help" is not a measured reduction in pain.', None),
    ],
)
def test_pain_relief_as_scores_with_and_without_the_drug(text: str, expected: object) -> None:
    suite = Suite("pain_relief_from_medication", DRUG, read=(), section="rationale")
    assert read_fact(suite, text) is expected


@pytest.mark.parametrize(
    ("fact", "text"),
    [
        ("other_treatments_failed_or_not_tolerated", "Ibuprofen upset her stomach; acetaminophen gave little relief."),
        ("non_opioid_treatment_failed", "She took ibuprofen and later naproxen, none of which controlled the pain."),
        ("non_opioid_treatment_failed", "Acetaminophen and a topical cream gave little relief."),
    ],
)
def test_a_first_line_drug_that_did_not_work_is_read(fact: str, text: str) -> None:
    assert read_fact(Suite(fact, "Norco 10/325mg #120", read=()), text) is True


def test_pain_relief_measured_in_the_summary_is_read_for_the_medication() -> None:
    suite = Suite("pain_relief_from_medication", DRUG, read=())
    assert read_fact(suite, "Her pain is 8/10 without the tramadol and 3/10 about an hour after a dose.") is True


def test_a_strengthening_program_that_did_not_progress_beside_an_injection_that_did_not_help() -> None:
    text = "He did not progress in a supervised strengthening program, and the injection did not help."
    assert read_fact(Suite("failed_exercise_program", SHOULDER, read=()), text) is True


def test_an_outcome_with_its_own_not_after_a_negated_list_item_is_still_read() -> None:
    # "did not progress in ..., the injection did not help": the first "not" negates its own item only
    text = "He did not progress in a home program, the injection did not help, and the back pain persists."
    assert read_fact(Suite("conservative_care_failed", "MRI of the lumbar spine", read=()), text) is True


# --- regional: a failed course of one body region never decides an item of another (issue 13) ------------

EXAM = (
    "The left Achilles reflex is absent and EHL strength is 4/5 on the left. "
    "He would consider surgery for the lumbar spine if needed."
)


def _lumbar_mri(failure: str) -> tuple[object, str]:
    """conservative_care_failed as read for a lumbar MRI letter holding `failure`, and the engine's outcome."""
    text = letter_text(f"{INTRO} {EXAM} {failure}", "MRI of the lumbar spine without contrast")
    data = extract_text(text, "regional.txt", bundled_library(), bundled_patterns())
    entry = data.items[0].facts.get("conservative_care_failed") or data.facts.get("conservative_care_failed")
    case = case_from_data(data.to_data(), bundled_library())
    (det,) = evaluate(case, bundled_library()).determinations
    return (None if entry is None else entry.value), det.outcome


def test_a_failed_low_back_course_decides_the_lumbar_mri() -> None:
    failure = "Eight weeks of therapy for the low back and an epidural injection did not change his leg pain."
    assert _lumbar_mri(failure) == (True, "Overturned")


def test_a_failed_knee_course_does_not_decide_the_lumbar_mri() -> None:
    failure = "Eight weeks of therapy for the right knee and a knee injection did not change his knee pain."
    assert _lumbar_mri(failure) == (None, "Upheld")


def test_two_regions_each_item_reads_its_own_failed_course() -> None:
    summary = (
        f"{INTRO} She completed twelve weeks of supervised therapy for the right shoulder without improvement "
        "in strength. Her low back pain has resolved with physical therapy."
    )
    text = letter_text(summary, "MRI of the right shoulder")
    block = text[text.index("MRI of the right shoulder: Upheld") :]
    text += "\n" + block.replace("MRI of the right shoulder", "MRI of the lumbar spine without contrast")
    data = extract_text(text, "regional.txt", bundled_library(), bundled_patterns())
    assert [it.service for it in data.items] == ["mri_shoulder", "mri_lumbar"]
    shoulder, lumbar = ({**data.facts, **it.facts} for it in data.items)
    assert shoulder["failed_exercise_program"].value is True
    assert "failed_exercise_program" not in lumbar or lumbar["failed_exercise_program"].value is not True
    assert lumbar["conservative_care_failed"].value is False
    assert shoulder.get("conservative_care_failed") is None or shoulder["conservative_care_failed"].value is True
    case_from_data(data.to_data(), bundled_library())  # a valid case file


# --- the reviewer finds undocumented what the records claim --------------------------------------------------


@pytest.mark.parametrize(
    ("rationale", "expected"),
    [
        ("The request is not medically necessary.", True),
        ("There is no documentation that the patient has failed conservative treatment.", None),
        ("The records do not establish that physical therapy did not help.", None),
    ],
)
def test_a_failure_the_reviewer_finds_undocumented_is_left_out(rationale: str, expected: object) -> None:
    summary = f"{INTRO} The provider reports that physical therapy and a home program did not help the back pain."
    text = letter_text(summary, "MRI of the lumbar spine without contrast", rationale=rationale)
    data = extract_text(text, "disputed.txt", bundled_library(), bundled_patterns())
    entry = data.items[0].facts.get("conservative_care_failed") or data.facts.get("conservative_care_failed")
    assert (None if entry is None else entry.value) is expected
    if expected is None:
        assert any("reviewer finds it undocumented" in w for w in data.extraction.warnings)


# --- the outcome of prior care as a before/after contrast, without a keyword (issue 12) ----------------------

NAPROXEN = "Naproxen 500mg #60"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an activity resumed, owed to the drug
        ("Thanks to the medication he has gone back to walking his dog every morning.", True),
        ("With it she does her own housework and walks thirty minutes a day.", True),
        ("On naproxen she has resumed her own grocery shopping, which her son had been doing for her.", True),
        # a restriction eased by numbers, fewer tablets a day
        ("The employer lifted the 10-pound limit to 30 pounds.", True),
        ("His lifting limit went from 10 to 30 pounds.", True),
        ("She cut her tramadol from four tablets a day to one.", True),
        ("She was down to one tablet a day by the end of the month.", True),
        # the same measure at the first and the last visit is no improvement
        ("Her grip strength of 20 kg at the last visit is identical to the 20 kg at the first visit.", False),
        ("Her work restriction and lifting tolerance were the same at the last visit as at the first.", False),
        ("His grip strength and his work restriction did not change over six visits.", False),
        ("His restriction of no lifting over 20 pounds was the same at the last visit as at the first.", False),
        ("Her motion and her restriction against overhead work are unchanged since last summer.", False),
        # pain scores are not function (8 CCR 9792.20): unchanged pain beside a function improved is improvement
        ("Pain scores are unchanged since the last visit, but with it she now walks a mile again.", True),
        ("Her pain score is the same as at the initial evaluation.", None),
        # the patient failed to show it (a finding); the records failing to show it is a gap
        ("The patient failed to show functional improvement with the prior twelve visits.", False),
        ("The records fail to show functional improvement.", None),
        ("If the patient fails to show functional improvement, therapy should stop.", None),
        # not an outcome: a negation, a hope, a plan, a dose raised
        ("With the medication she does not walk any further.", None),
        ("She hopes to go back to gardening with the medication.", None),
        ("If the drug helps, she will go back to work.", None),
        ("She went from one tablet a day to three.", None),
        # a guideline that ties more care to improvement is no finding; a finding beside "may be supported" is
        ("With evidence of functional improvement, up to ten more visits may be supported.", None),
        ("Treatment beyond the trial is conditioned upon functional improvement.", None),
        ("That section ties further therapy to objective functional improvement; her grip did not change.", False),
        ("She returned to full duty after the medication was started, so two more months may be supported.", True),
    ],
)
def test_improvement_as_a_contrast_before_and_after(text: str, expected: object) -> None:
    suite = Suite("functional_improvement_from_prior", NAPROXEN, read=(), section="rationale")
    assert read_fact(suite, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("With tramadol her knee pain is three out of ten instead of seven.", True),
        ("With tramadol her pain is 3/10 and without it 8/10.", True),
        ("With tramadol her pain is 8/10 and without it 8/10.", None),
        ("She has restarted tramadol and continues to have 8 out of 10 pain.", False),
        ("Her pain remains 7/10 on tramadol.", False),
        ("If tramadol is continued, her pain remains 7/10.", None),
    ],
)
def test_relief_or_none_as_scores_on_the_drug(text: str, expected: object) -> None:
    suite = Suite("pain_relief_from_medication", DRUG, read=(), section="rationale")
    assert read_fact(suite, text) is expected


ACUPUNCTURE = "Acupuncture x 6 sessions for the low back"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Before acupuncture she took four tramadol a day; by the end of the trial she was down to one tablet.", True),
        ("She cut her hydrocodone from four tablets a day to one.", True),
        ("She stopped naproxen because of stomach upset.", True),
        ("Ibuprofen was stopped after two weeks because it upset her stomach.", True),
        # unchanged and tolerated is neither reduced nor not tolerated
        ("Her medications are unchanged and tolerated.", False),
        ("She stopped naproxen because the pain resolved.", None),
        ("The goal is to reduce her pain medication.", None),
    ],
)
def test_pain_medication_reduced_or_not_tolerated_in_the_clinic_words(text: str, expected: object) -> None:
    suite = Suite("pain_medication_reduced_or_not_tolerated", ACUPUNCTURE, read=())
    assert read_fact(suite, text) is expected


@pytest.mark.parametrize(
    ("fact", "item", "text", "expected"),
    [
        # a list of drugs tried without relief, stopped for side effects
        (
            "other_treatments_failed_or_not_tolerated",
            "Lidoderm 5% patch #30",
            "He tried NSAIDs, duloxetine and tizanidine without adequate relief and stopped them for drowsiness.",
            True,
        ),
        (
            "other_treatments_failed_or_not_tolerated",
            "Lidoderm 5% patch #30",
            "He takes ibuprofen without side effects.",
            None,
        ),
        (
            "first_line_neuropathic_failed",
            "Lidoderm 5% patch #30",
            "Nortriptyline 25 mg caused urinary retention and was stopped after two weeks.",
            True,
        ),
        (
            "first_line_neuropathic_failed",
            "Lidoderm 5% patch #30",
            "Duloxetine was stopped after a month because of nausea.",
            True,
        ),
        ("first_line_neuropathic_failed", "Lidoderm 5% patch #30", "Gabapentin caused no side effects.", None),
        # never tried is false (the fact's meaning), a failed trial true
        ("tens_trial_failed", "H-wave unit 30 day trial", "He has never used a TENS unit.", False),
        ("tens_trial_failed", "H-wave unit 30 day trial", "There has been no prior trial of TENS.", False),
        ("tens_trial_failed", "H-wave unit 30 day trial", "A TENS unit gave no relief.", True),
        (
            "tens_trial_failed",
            "H-wave unit 30 day trial",
            "If she has not tried a TENS unit, a trial is recommended.",
            None,
        ),
    ],
)
def test_drugs_and_devices_that_failed_or_were_never_tried(fact: str, item: str, text: str, expected: object) -> None:
    assert read_fact(Suite(fact, item, read=()), text) is expected


ESI = "Repeat lumbar epidural steroid injection at L4-5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # half or more for six weeks or more, the injection named before
        ("At follow-up she reported about 60 to 70 percent relief lasting roughly ten weeks.", True),
        ("The injection on 3/2/2016 reduced her pain by about two thirds for two months.", True),
        # another treatment's relief, a condition, a failure of other care before the injection
        ("Physical therapy gave 60% relief lasting ten weeks.", None),
        ("The facet block gave 80% relief for eight weeks.", None),
        ("A repeat injection is supported if there is 50% relief for six to eight weeks.", None),
        ("Therapy, home exercise and NSAIDs had failed before her first injection.", None),
    ],
)
def test_relief_after_the_prior_epidural(text: str, expected: object) -> None:
    assert read_fact(Suite("esi_prior_relief", ESI, read=()), text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the reason in the reviewer's conclusion is read with the conclusion cut off
        (
            "As there are no red flags, and as the claimant has yet to complete any conservative management, "
            "the MRI is not medically necessary.",
            False,
        ),
        ("Because the patient has failed physical therapy and medications, the MRI is medically necessary.", True),
        ("The MRI is not medically necessary as there is no documentation that conservative care failed.", None),
        ("Utilization review found the MRI not medically necessary because physical therapy had not helped.", None),
        ("If the patient fails conservative care, an MRI would be medically necessary.", None),
    ],
)
def test_failed_care_as_the_reason_in_the_reviewer_conclusion(text: str, expected: object) -> None:
    suite = Suite("conservative_care_failed", "MRI of the lumbar spine", read=(), section="rationale")
    assert read_fact(suite, text) is expected
