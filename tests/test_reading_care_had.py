"""Care had and its outcome, as reviewers write it (session 10): the outcome in a sentence of its own beside the
list of care had; an exercise programme that is working
or not had yet (a documented absence: false, not a gap); the reviewer's "lack of extenuating circumstances to
deviate from guidelines"; "her inability to work". Every sentence is invented for this suite and goes through
the real reader (`extract_text`)."""

from __future__ import annotations

import pytest

from imr_rules.reading.extract import extract_text

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text
from .test_reading_suites import Suite, suite_tests

MRI = "Lumbar spine MRI without contrast"
SHOULDER = "Left shoulder arthroscopic subacromial decompression"
PT = "Physical therapy 6 visits for the low back"
NORCO = "Norco 5/325mg #90"

SUITES: list[Suite] = [
    # ACOEM Ch. 12: imaging after conservative care has failed
    Suite(
        "conservative_care_failed",
        MRI,
        read=(
            # the finding, then what more testing may bring (the "may" is the plan's)
            "The therapist noted little to no improvement in the back pain, and advanced imaging may be warranted.",
        ),
        negated=(
            # the benefit quoted from the notes
            "She was attending chiropractic care 'with good relief.'",
            # no conservative care at all yet: none has failed
            "He has had no conservative treatment for the back so far.",
        ),
        undocumented=(
            # care had with nothing said of its result (test_reading_judgement: tried is not failed)
            "The claimant has already undergone conservative treatment for the low back.",
            # therapy alone not had says nothing of rest, a brace or drugs, which may have failed
            "She has not had physical therapy for the back.",
        ),
        hedged=("If physical therapy does not help his back, an MRI may be considered.",),
    ),
    # ACOEM Ch. 9: failure to progress in a strengthening programme; one working, or not had yet, has not failed
    Suite(
        "failed_exercise_program",
        SHOULDER,
        read=("She has failed a course of physical therapy for the shoulder.",),
        negated=(
            "She is responding well to physical therapy for the shoulder.",
            "He thought the exercise program was helping his shoulder.",
            "She had not yet begun physical therapy for the shoulder.",
            "He was just authorized for eight sessions of therapy for the shoulder.",
            "She has had no formal physical therapy for the shoulder.",
            "He has yet to start a home exercise program.",
        ),
        undocumented=(
            "There is no record that she has had physical therapy for the shoulder.",
            # a course had before, a while ago
            "He has not had physical therapy in over a year.",
        ),
        hedged=("If he has not started therapy by then, an injection may be considered.",),
        restated=("Surgery is considered when the patient has not responded to a strengthening program.",),
        other_region=("She has not yet started physical therapy for her low back.",),
    ),
    # CPMTG physical medicine: the reviewer's finding that nothing sets this case apart, before the guideline it
    # would have let the reviewer leave
    Suite(
        "exceptional_factors",
        PT,
        read=("She had a flare-up in May, which would justify departing from the guideline.",),
        negated=(
            "Given the size of the request and the lack of extenuating circumstances to deviate from the "
            "guidelines, it is not medically necessary.",
            "There are no extenuating circumstances that would justify deviating from the guidelines.",
            "An absence of exceptional factors leaves no reason to depart from the MTUS.",
        ),
        undocumented=("There is a lack of documentation of extenuating circumstances.",),
        restated=("Guidelines permit deviating from the visit limits for extenuating circumstances.",),
        section="rationale",
    ),
    # MTUS CPMTG 2009 opioids, when to continue: not working because of the injury, in a noun or a verb
    Suite(
        "returned_to_work",
        NORCO,
        read=("She has gone back to her usual job.",),
        negated=(
            "Her stress is worse because of her inability to work since the accident.",
            "He has been unable to work since the fall.",
        ),
        undocumented=(
            "There is no documentation of her inability to work.",
            # a task, not work itself
            "He is unable to work overhead with the right arm.",
        ),
    ),
]

(
    test_phrasings_that_must_be_read,
    test_negated_phrasings,
    test_undocumented_hedged_restated_and_other_region_phrasings_are_not_read,
) = suite_tests(SUITES)


HISTORY = "Treatment to date has included physical therapy, ice, heat and ibuprofen."


def _case_fact(summary: str, rationale: str = "The request is not medically necessary.") -> object:
    """The case's conservative_care_failed as read (value, inferred) from a lumbar MRI letter, or None."""
    text = letter_text(summary, MRI, rationale=rationale)
    data = extract_text(text, "suite.txt", bundled_library(), bundled_patterns())
    found = data.facts.get("conservative_care_failed")
    return None if found is None else (found.value, found.inferred)


@pytest.mark.parametrize(
    "summary",
    [
        f"The records also indicate no change in his complaints. {HISTORY}",
        f"{HISTORY} The low back symptoms have remained essentially unchanged.",
        f"{HISTORY} He reports no significant improvement in the back pain.",
    ],
)
def test_an_outcome_stated_apart_from_the_care_had_is_inferred(summary: str) -> None:
    # the outcome in a sentence of its own, the care listed in another: failed, inferred from both
    assert _case_fact(summary) == (True, True)


@pytest.mark.parametrize(
    ("summary", "rationale"),
    [
        # no care listed (a visit is no care), or care planned
        ("The records also indicate no change in his complaints.", ""),
        ("Treatment to date has included an orthopedic evaluation. There was no change in his complaints.", ""),
        ("Physical therapy will be started next week. There was no change in his complaints.", ""),
        # the outcome denied, hedged, about another region, or measured against the last visit only
        (f"{HISTORY} There is no documentation of a change in his complaints.", ""),
        (f"{HISTORY} It is unclear whether the complaints are unchanged.", ""),
        (f"{HISTORY} Her knee symptoms are unchanged.", ""),
        (f"{HISTORY} The back pain is unchanged from the last visit.", ""),
        # the reviewer calls failure undocumented: the inference does not overrule the reviewer
        (
            f"{HISTORY} The records also indicate no change in his complaints.",
            "There is no documentation that conservative care failed.",
        ),
    ],
)
def test_no_inference_without_both_sentences_as_findings(summary: str, rationale: str) -> None:
    assert _case_fact(summary, rationale or "The request is not medically necessary.") is None


def test_a_stated_outcome_wins_over_the_inference() -> None:
    # the care named with its outcome is read as written, not inferred
    assert _case_fact(f"{HISTORY} The back pain improved with therapy. There was no change in her complaints.") == (
        False,
        False,
    )


def test_drugs_alone_are_care_an_unchanged_outcome_infers_failed() -> None:
    # NSAIDs and acetaminophen are conservative treatment in the guidelines' criteria (ODG knee injections,
    # CPMTG epidural injections): a list of drugs had and no change is failed care, inferred
    summary = "Treatments and evaluation to date have included gabapentin and naproxen. Her symptoms are unchanged."
    assert _case_fact(summary) == (True, True)


@pytest.mark.parametrize(
    "summary",
    [
        f"Records also indicate 70% improvement in pain. {HISTORY}",
        f"{HISTORY} Her back pain has significantly improved.",
        f"{HISTORY} The low back symptoms have resolved.",
    ],
)
def test_an_improvement_stated_apart_from_the_care_had_infers_not_failed(summary: str) -> None:
    assert _case_fact(summary) == (False, True)


@pytest.mark.parametrize(
    "summary",
    [
        # a drug's or an operation's relief, an improvement denied or hedged, another region, no care listed
        f"{HISTORY} She reports 60% improvement in pain with Norco.",
        f"{HISTORY} His back pain improved 50% after surgery.",
        f"{HISTORY} There is no 50% improvement in pain.",
        f"{HISTORY} Her knee pain has resolved.",
        "Records also indicate 70% improvement in pain.",
        # outcomes of both kinds: neither is inferred
        f"{HISTORY} Her back pain has significantly improved. Records indicate no change in his complaints.",
    ],
)
def test_no_improvement_inferred_without_both_sentences_as_findings(summary: str) -> None:
    assert _case_fact(summary) is None


@pytest.mark.parametrize(
    "rationale",
    [
        "There was no indication she had failed conservative care as she had undergone 1 session of therapy.",
        "There is no documentation that he has failed conservative care, as he has only attended two PT visits.",
        "The records do not establish that he has failed conservative treatment. He has not yet had physical therapy.",
        "There is no evidence that she has failed conservative care. She has just started physical therapy.",
    ],
)
def test_the_reviewers_reason_that_the_care_was_too_little_is_not_failed(rationale: str) -> None:
    assert _case_fact(INTRO_PAIN, rationale) == (False, False)


@pytest.mark.parametrize(
    "rationale",
    [
        "There is no documentation that the patient has failed conservative care.",
        # the reason hedged, a guideline's, or no reason of too little care
        "There is no documentation that he has failed conservative care. It is unclear whether he has had therapy.",
        "There is no documentation that she has failed conservative care. Guidelines require one session of therapy.",
        "There is no documentation that she has failed conservative care, although she has had 12 therapy visits.",
        # care not had, said without the reviewer's finding on failure
        "He has not yet had physical therapy.",
    ],
)
def test_no_short_trial_without_the_reviewers_finding_and_its_reason(rationale: str) -> None:
    assert _case_fact(INTRO_PAIN, rationale) is None


INTRO_PAIN = "He has low back pain."
