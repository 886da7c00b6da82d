"""Reading the treatment course and the medication history as any reviewer writes them (issue 12): the
course's total stated with the request ("the six requested visits bring him to twelve") and the visits had
it leaves, visits had in other words, a course of another body region or a request that is not the course
had, every course denied at once ("no formal therapy of any kind"), and a drug (or its class) taken since a
date, tapered or cut back, or never taken. Every sentence is invented and goes through the real reader
(`extract_text`); each kind is tested both ways. The `SUITES` join the paraphrase audit of
`tests/test_reading_suites.py`."""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules.reading.extract import extract_text

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text
from .test_reading_suites import INTRO, Suite, read_fact

PT = "Physical therapy 2 times a week for 4 weeks for the lumbar spine"
TRAMADOL = "Tramadol 50mg #60"

SUITES: list[Suite] = [
    # services.md X2: the visits of the course once the request is done, stated by the reviewer
    Suite(
        "treatment_visits_total",
        PT,
        section="rationale",
        value=20,
        read=(
            "Eight more would bring her to 20.",
            "The eight requested visits bring him to twenty, within the guideline.",
            "With the 8 requested, she would have had a total of 20 visits.",
            "The request would bring the total number of visits to 20, exceeding the guideline.",
            "Together with the prior visits, this amounts to 20 sessions.",
            "Adding the requested visits results in 20 total sessions.",
            "This would put her at 20 visits.",
        ),
        hedged=(
            "If she had more visits it could bring her to 20.",
            "A later request might bring the count to 20.",
        ),
        restated=(
            "Guidelines allow a total of 10 visits.",
            "The MTUS recommends a total of 9 to 10 visits over 8 weeks.",
            "Utilization review noted that the request would bring her to 20 visits.",
        ),
    ),
    # CPMTG opioids, NSAIDs, muscle relaxants: the drug (or its class) already taken, or a first use
    Suite(
        "medication_previously_used",
        TRAMADOL,
        read=(
            "She has taken tramadol 50 mg twice a day since early 2015.",
            "Tramadol was prescribed in 2014 and has been continued since.",
            "He previously trialed tramadol with some benefit.",
            "The physician plans to taper the tramadol over the next two months.",
            "Tramadol was cut back to once a day because of nausea.",
            "The dose of tramadol was reduced last month because of dizziness.",
            "He is being weaned off tramadol.",
            "He has been on Norco for two years.",  # another drug of the class
            "He has used tramadol for about two years.",
            "The patient is on Norco, Soma and Xanax.",
            "Tramadol was continued at the last visit.",
            "Medications as of 10/12/2016 included tramadol and Soma.",
            "She was given a prescription for tramadol in May 2015.",
        ),
        negated=(
            "She has never used tramadol.",
            "He has never taken an opioid.",
            "He is opioid-naive.",
            "He has taken nothing for the pain since the injury.",
            "She takes no medications.",
            "Tramadol would be his first opioid.",
            "There is no prior use of tramadol.",
            "He has not taken tramadol before.",
        ),
        hedged=(
            "Tramadol may be tried if the pain persists.",
            "It is unclear whether she has taken tramadol before.",
        ),
        restated=(
            "Guidelines recommend tramadol for moderate pain.",
            "The requested medications include tramadol and a cream.",
            "Medications were requested including tramadol.",
        ),
        undocumented=(
            "She has never used a lidocaine patch.",  # another drug never taken says nothing of this one
            "She has used ibuprofen for two years.",  # another class
            "He has not taken tramadol today.",
            "Tramadol was stopped before the surgery.",  # stopped in the past: not being taken
        ),
    ),
    # the class never taken is the drug never taken
    Suite(
        "medication_previously_used",
        "Orphenadrine ER 100mg tablets #28",
        read=("He has used baclofen for spasm since 2015.", "Current medications include Flexeril and naproxen."),
        negated=("He has never been prescribed a muscle relaxant.", "He has not used any muscle relaxant before."),
    ),
    # CPMTG physical medicine: deficits a home programme cannot address (services.md, supervised visits)
    Suite(
        "deficits_need_supervision",
        PT,
        section="rationale",
        read=(
            "An additional two sessions to address the remaining deficits are indicated.",
            "Core endurance and lifting mechanics remain deficient and she has not yet returned to work.",
            "She continues to have deficits in strength and range of motion.",
            "He has not yet met his functional goals.",
            "She still lacks full range of motion and strength.",
            "Strength remains limited at 4/5 and she would benefit from further supervised therapy.",
        ),
        negated=(
            "He can continue his rehabilitation with a self-directed home exercise program.",
            "There are no remaining functional deficits.",
            "She is independent with her home exercise program.",
            "He is now able to transition to an independent home exercise program.",
            "The patient has minimal functional deficits.",
        ),
        undocumented=("There is no documentation of remaining deficits.", "He has low back pain."),
        restated=("Guidelines support therapy for residual deficits that a home program cannot address.",),
    ),
    # CPMTG TENS, H-wave: an adjunct to a programme of active rehabilitation under way
    Suite(
        "active_rehabilitation_ongoing",
        "TENS unit 30 day rental",
        read=(
            "He attends physical therapy twice a week in a course that started in October 2016.",
            "She is currently participating in a supervised rehabilitation program.",
        ),
        negated=(
            "He has never had a trial, is in no active rehabilitation program, and no goals are given.",
            "She is not currently in any formal therapy.",
            "No rehabilitation program is under way.",
        ),
        undocumented=("He completed physical therapy in 2015.",),
    ),
    # how long activity has been modified, a range of months counted whole
    Suite(
        "activity_modification_months",
        "Lumbar discectomy L4-5",
        value=3.0,
        read=(
            "He was kept on modified duty with a 15-pound lifting limit from July through September before he "
            "stopped work.",
            "He has been on modified duty for about three months.",
            "She worked light duty from June to August.",
        ),
        hedged=("He will remain on modified duty from July through September.",),
    ),
    # CPMTG physical medicine: a course already had; another region's course, a request, a home programme are not
    Suite(
        "prior_course_completed",
        "Physical therapy x6 visits, cervical spine",
        read=(
            "She attended physical therapy for the neck in 2016.",
            "Hx: PT x12 for the neck in spring 2016.",
            "She finished a six-visit course of physical therapy for the neck in 2015.",
            "Prior physical therapy (12 visits) helped only briefly.",
            "He has been to physical therapy nine times.",
        ),
        negated=(
            "She has had no formal therapy of any kind.",
            "She has so far been treated only with ibuprofen and a sheet of stretches; she has had no formal "
            "therapy of any kind and no acupuncture.",
            "She has not received therapy of any kind.",
            "She has not yet had any physical therapy.",
            "No physical therapy has been provided to date.",
        ),
        undocumented=(
            "The physician asked for six visits of physical therapy for the neck.",
            "She does a home exercise program of neck stretches.",
        ),
        other_region=(
            "She attended physical therapy for the low back in 2016.",
            "He underwent a trial of six physical therapy sessions for the right knee in February 2017.",
            "Hx: PT x12 for the lumbar spine in 2016.",
        ),
    ),
]


@pytest.mark.parametrize(("suite", "text"), [(s, t) for s in SUITES for t in s.read], ids=lambda x: str(x)[:50])
def test_phrasings_that_must_be_read(suite: Suite, text: str) -> None:
    assert read_fact(suite, text) == suite.value


@pytest.mark.parametrize(("suite", "text"), [(s, t) for s in SUITES for t in s.negated], ids=lambda x: str(x)[:50])
def test_negated_phrasings(suite: Suite, text: str) -> None:
    assert read_fact(suite, text) == suite.absent


@pytest.mark.parametrize(
    ("suite", "text"),
    [(s, t) for s in SUITES for t in (*s.undocumented, *s.hedged, *s.restated, *s.other_region)],
    ids=lambda x: str(x)[:50],
)
def test_undocumented_hedged_restated_and_other_region_phrasings_are_not_read(suite: Suite, text: str) -> None:
    assert read_fact(suite, text) is None


# services.md X2: visits of the requested therapy already had, in other words (no rule reads the count
# itself, only the course's total made from it, so these are not a suite of the audit)
VISITS_HAD = [
    "Prior physical therapy: 12 visits.",
    "The patient had physical therapy x12 in 2015.",
    "Physical therapy x 12 sessions was completed.",
    "Twelve sessions of physical therapy were certified in 2015.",
    "She was seen for her 12th physical therapy visit on 10/12/2016.",
    "A physical therapy note dated 10/12/2016 documented visit 12 of 12.",
    "The number of prior physical therapy visits is 12.",
    "He was previously certified for 12 visits of physical therapy.",
    "The records document a prior course of 12 physical therapy sessions.",
]
VISITS_NOT_HAD = [
    # planned, hedged, a guideline's number, the request
    "She is scheduled to attend 12 physical therapy sessions.",
    "It is unclear whether she completed 12 sessions of physical therapy.",
    "Guidelines allow 9-10 visits over 8 weeks.",
    "The 12 physical therapy visits requested were modified to 6.",
    # another body region's course
    "Prior physical therapy for the right knee: 12 visits.",
    "He had physical therapy x12 for the neck in 2015.",
    # a certification on a date may be this request's own
    "Twelve sessions of physical therapy were certified on 11/10/2016.",
]


@pytest.mark.parametrize("text", VISITS_HAD + VISITS_NOT_HAD)
def test_visits_had_in_other_words(text: str) -> None:
    found = _read(text, PT).get("prior_visits_completed")
    assert (None if found is None else found.value) == (12 if text in VISITS_HAD else None)


# the patient's age, in words as in figures (a letter without the suites' introduction, which states an age)
AGE = "age"
AGE_READ = [
    "The applicant is a forty-four year old school custodian.",
    "He is a forty-four-year-old nurse.",
    "The worker, a 44-year-old man, fell from a ladder.",
    "He is a 44 year old driver.",
    "This is a forty-four years old patient.",
]
AGE_NONE = [
    "He has worked there for forty-four years.",
    "The injury is four years old.",
    "He lifted a forty-four pound box.",
    "She was seen 44 days after the injury.",
    "His son is six years old.",
]


@pytest.mark.parametrize("text", AGE_READ + AGE_NONE)
def test_age_in_words_and_figures(text: str) -> None:
    letter = letter_text(f"The injured worker fell at work. {text}", "MRI of the lumbar spine")
    found = extract_text(letter, "age.txt", bundled_library(), bundled_patterns()).facts.get("age")
    assert (None if found is None else found.value) == (44 if text in AGE_READ else None)


def _read(summary: str, item: str, rationale: str = "The request is not medically necessary.") -> Any:
    text = letter_text(f"{INTRO} {summary}", item, rationale=rationale)
    return extract_text(text, "course.txt", bundled_library(), bundled_patterns()).items[0].facts


@pytest.mark.parametrize(
    ("rationale", "total", "had"),
    [
        ("Eight more would bring her to 20.", 20, 12),
        ("The eight requested visits bring him to sixteen, within the guideline.", 16, 8),
        ("Adding the requested visits results in 8 total sessions.", 8, 0),
    ],
)
def test_a_stated_total_gives_the_visits_had(rationale: str, total: int, had: int) -> None:
    facts = _read("Physical therapy was requested.", PT, rationale)
    assert facts["treatment_visits_total"].value == total
    assert facts["prior_visits_completed"].value == had
    # visits had above zero are a course had; none had says nothing more than the total
    assert (facts["prior_course_completed"].value is True) if had else ("prior_course_completed" not in facts)


def test_a_total_below_the_request_gives_no_visits_had() -> None:
    facts = _read("Physical therapy was requested.", PT, "Four more would bring her to 6.")
    assert facts["treatment_visits_total"].value == 6
    assert "prior_visits_completed" not in facts


def test_a_hypothetical_total_is_not_visits_had() -> None:
    facts = _read(
        "Physical therapy was requested.", PT, "With the 8 requested, she would have had a total of 20 visits."
    )
    assert facts["prior_visits_completed"].value == 12  # from the total, not the 20 she "would have had"


def test_visits_of_another_region_are_not_this_courses() -> None:
    summary = "He underwent a trial of six chiropractic manipulations for the low back in February 2017."
    knee = _read(summary, "Chiropractic treatment 2 x 3 right knee")
    assert "prior_course_completed" not in knee and "prior_visits_completed" not in knee
    back = _read(summary, "Chiropractic treatment 2 x 3 lumbar spine")
    assert back["prior_visits_completed"].value == 6 and back["prior_course_completed"].value is True


def test_a_list_element_keeps_its_own_region() -> None:
    # the hand in another element of the list does not make the acupuncture the hand's
    facts = _read(
        "Prior care: hand therapy, acupuncture and a splint.", "Acupuncture 1 time a week for 6 weeks, low back"
    )
    assert facts["prior_course_completed"].value is True


@pytest.mark.parametrize(
    ("sentence", "item", "expected"),
    [
        ("She has never used a lidocaine patch.", "Lidoderm 5% patches #30", False),
        ("He has not used any topical medication before.", "Diclofenac sodium 1% gel 100gm", False),
        # one topical product taken does not continue another
        ("Current medications include topical analgesic creams.", "Diclofenac sodium 1% gel 100gm", None),
        (
            "His anti-inflammatory was stopped before surgery; he has taken nothing for the pain since.",
            "Naproxen 500mg #60",
            False,
        ),
        ("Meds: cyclobenzaprine 5 mg tid, refilled monthly since 04/2016.", "Cyclobenzaprine 5mg #90", True),
    ],
)
def test_a_drug_or_its_class_taken_or_never_taken(sentence: str, item: str, expected: object) -> None:
    found = _read(sentence, item).get("medication_previously_used")
    assert (None if found is None else found.value) is expected


def test_a_drug_taken_stated_in_the_items_rationale() -> None:
    facts = _read(
        "He has low back pain.", TRAMADOL, "The patient has taken tramadol since 2015 without documented improvement."
    )
    assert facts["medication_previously_used"].value is True
