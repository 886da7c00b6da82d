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
    # issue 12: the drug taken or never taken in other words: a dose and schedule before "has been taken", a switch,
    # a trial had or failed, a dispensing or a record's list before the request; any use denied with "a|an|any"
    Suite(
        "medication_previously_used",
        "Cyclobenzaprine 7.5mg #60",
        read=(
            "Cyclobenzaprine 7.5 mg one tablet at bedtime as needed has been taken every night since June.",
            "She was switched from cyclobenzaprine to tizanidine last spring.",
            "He has had a trial of cyclobenzaprine.",
            "He failed cyclobenzaprine and baclofen.",
            "Cyclobenzaprine was not effective for his spasms.",
            "Cyclobenzaprine #60 was dispensed on 08/02/2016.",
            "The progress report of 09/15/2016 lists cyclobenzaprine 7.5 mg and naproxen.",
            "Medications as of the 10/01/2016 visit: cyclobenzaprine and naproxen.",
            # the records' and the reviewer's summaries of use
            "He was noted to be utilizing cyclobenzaprine for spasm.",
            "She was prescribed cyclobenzaprine on 01/04/2016 and at later visits.",
            "With cyclobenzaprine his spasm is 3/10 and without it 7/10.",
            "Cyclobenzaprine was prescribed by another physician.",
            "Prior treatments include cyclobenzaprine, naproxen and physical therapy.",
            "Treatment has included physical therapy; medications (cyclobenzaprine, naproxen); and injections.",
            "He has been treated with chiropractic care and cyclobenzaprine.",
        ),
        negated=(
            "She has not used a muscle relaxant.",
            "He has not taken any cyclobenzaprine.",
            "He is to start a trial of cyclobenzaprine.",  # a first trial
        ),
        undocumented=(
            "He has not taken a cyclobenzaprine today.",  # one day's dose: nothing of past use
            "Retrospective request for cyclobenzaprine dispensed on 08/02/2016.",  # the request's own dispensing
            "Cyclobenzaprine has been requested.",
            "Requested medications: cyclobenzaprine 7.5 mg #60.",
            "Treatment has included physical therapy; cyclobenzaprine was recommended.",
            "Prior treatments include chiropractic care; cyclobenzaprine is requested.",
            "He has not used a muscle relaxant since May.",
            # the review's own sentence, not the records
            "This review addresses the medical necessity of muscle relaxants as they have been prescribed to him.",
        ),
    ),
    # CPMTG topical analgesics: a topical product's ingredients from its name; an oral drug of the same ingredient
    # (tramadol, cyclobenzaprine, gabapentin) is no topical product
    Suite(
        "topical_ingredients",
        "Ketoprofen 20% cream 120gm",
        section="item",
        value=["ketoprofen"],
        read=(
            "Ketoprofen 20% cream 120gm",
            "Ketoprofen 10% gel 60 grams",
            "Compounded ketoprofen 20% cream",
            "Topical ketoprofen 20% cream, apply twice daily",
            "Ketophene 20% cream 165gm",
        ),
        undocumented=(
            "Tramadol 50mg #60",
            "Cyclobenzaprine 10mg #30",
            "Gabapentin 300mg #90",
            "Baclofen 10mg #60",
            "Naproxen sodium 550mg #60",
        ),
    ),
    # the class never taken is the drug never taken
    Suite(
        "medication_previously_used",
        "Orphenadrine ER 100mg tablets #28",
        read=("He has used baclofen for spasm since 2015.", "Current medications include Flexeril and naproxen."),
        negated=("He has never been prescribed a muscle relaxant.", "He has not used any muscle relaxant before."),
    ),
    # issue 12: the course's total as the reviewer's arithmetic: "N more would make T", "A plus B is T", "with the
    # A already done, B more would mean T"
    Suite(
        "treatment_visits_total",
        "Chiropractic treatment 2 times a week for 4 weeks, lumbar spine",
        section="rationale",
        value=32,
        read=(
            "She has already had 24 visits, well over the 9-10 the guideline gives for myalgia, and eight more "
            "would make thirty-two.",
            "Twenty-four visits plus eight is thirty-two, more than the guideline's ten.",
            "The eight requested visits added to the 24 already completed would total 32.",
            "In addition to the 24 visits already done, eight more would mean 32.",
            "24 prior visits + 8 requested = 32 visits.",
            "These additional visits would give him 32 in all.",
            "He had 24 visits, far beyond the ODG's 10 visits.",  # the 24 had, with the 8 requested
            "He had 12 chiropractic visits in 2015 and 12 more in 2016.",  # a sum across years, with the 8
        ),
        hedged=("If more were needed, eight more could make 32.",),
        restated=(
            "The ODG allows 10 visits plus 8 for a total of 18.",
            "Utilization review noted that eight more would make 32.",
        ),
        undocumented=(
            "This would make 2 visits a week.",
            "Eight more would make the total exceed the guideline.",
        ),
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
    # ACOEM 2004 Ch. 9 (impingement): how long conservative care of the shoulder has gone on (issue 12)
    Suite(
        "shoulder_conservative_care_months",
        "Right shoulder arthroscopic subacromial decompression",
        value=3.0,
        read=(
            "She has had conservative care for the shoulder for three months.",
            "Care so far: physical therapy, ibuprofen and a home program over about three months.",
            "She has been treated with physical therapy and a cortisone injection for the past three months.",
            "Conservative treatment has continued for three months without lasting relief.",
            "Treatment to date has included therapy, an injection and naproxen over three months.",
            "Nonoperative management of the shoulder for three months has failed.",
        ),
        undocumented=(
            "The shoulder pain began three months ago.",
            "She has not had conservative care for three months.",  # a span denied states no span
        ),
        hedged=(
            "She will continue conservative care for three months.",
            "She should try conservative care for three months.",
        ),
        restated=(
            "Guidelines recommend conservative care for three to six months before surgery.",
            "Utilization review noted conservative care for three months.",
        ),
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
            # issue 12: the request is the first course, said in the request's own sentence
            "The physician requested six visits of physical therapy for the neck, which would be her first "
            "physical therapy.",
            "Physical therapy for the neck was requested as her very first course of physical therapy.",
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
    # issue 12: a total over years, a count after the therapy in its clause
    "Physical therapy: eight visits in 2015 and four more in early 2016, twelve in all.",
    "She attended seven physical therapy visits in 2015 and another five in 2016, for a total of twelve.",
    "Physical therapy was provided from June through August 2016, twelve sessions in all.",
    "She has attended physical therapy twice weekly since March, 12 sessions so far.",
    "She had 6 sessions of physical therapy in 2015 and 6 sessions in 2016.",
    "He completed eight physical therapy visits in 2014 and another four in 2015.",
    # issue 12: authorized and done, seen a number of times, the records' count
    "12 sessions of physical therapy care have been authorized and completed.",
    "She was authorized 18 physical therapy visits, of which 12 have been completed.",
    "He has been seen by physical therapy 12 times.",
    "She received physical therapy on 12 occasions.",
    "Physical therapy notes from 02/01/2016 to 05/01/2016 document 12 visits.",
    "The records document 12 physical therapy visits through October 2016.",
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
    # a total requested, planned, or another region's
    "The physician requested 4 more physical therapy visits, 12 in all.",
    "He will attend physical therapy, 12 sessions in all.",
    "Physical therapy for the right knee: 8 visits in 2015 and 4 more in 2016, 12 in all.",
    # a date is not a count
    "The records document sessions of physical therapy on 12/12/2016.",
    # authorized alone, a frequency, the records' count of what is requested
    "He was authorized 12 physical therapy visits.",
    "He has been seen by physical therapy 2 times a week.",
    "The records document 12 physical therapy visits requested.",
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
    # issue 12: the chart's shorthand, and the age set off after the person
    "44 yo male electrician, injured pulling cable overhead.",
    "She is a 44 y/o nurse.",
    "The applicant, forty-four, a carpenter, has low back pain.",
    "Mr. Lopez, 44, a driver, fell from the cab.",
    "The patient is aged 44.",
]
AGE_NONE = [
    "He has worked there for forty-four years.",
    "The injury is four years old.",
    "He lifted a forty-four pound box.",
    "She was seen 44 days after the injury.",
    "His son is six years old.",
    "He has a 44 yr history of smoking.",
    "The claimant, 44 days after the injury, was seen again.",
    "He lifted 44 lbs, a heavy load.",
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


# issue 12: tests counted by the months they were done in, those in the twelve months before the request
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Urine drug screens were obtained in February, May, August and November 2016, all consistent.", 4),
        ("Urine drug screens were done in December 2015, March 2016 and June 2016.", 3),
        ("A urine drug screen was performed in June 2016.", 1),
        # all before the twelve months: nothing said of the year's tests
        ("Urine drug screens were obtained in February, May and August 2015.", None),
        # a plan is not a test done
        ("Urine drug screens will be obtained in January, April and July.", None),
    ],
)
def test_tests_counted_by_the_months_listed(sentence: str, expected: int | None) -> None:
    text = letter_text(f"{INTRO} {sentence}", "Hydrocodone/APAP 10/325mg #90")
    data = extract_text(text, "udt.txt", bundled_library(), bundled_patterns())
    found = data.items[0].facts.get("udt_tests_past_12_months") or data.facts.get("udt_tests_past_12_months")
    assert (None if found is None else found.value) == expected


# issue 12: an opioid refilled or its trial started is opioid therapy; a comparison "on or off" it is no statement
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Oxycodone 5 mg every six hours as needed has been refilled monthly since the surgery.", True),
        ("Norco 10/325 is refilled each month.", True),
        ("The physician proposed a trial of tramadol 50 mg up to three times daily.", True),
        ("He has never taken an opioid.", False),
        ("The notes do not record his pain scores on or off oxycodone, or any side effects.", None),
        ("Norco was not refilled after March.", None),
    ],
)
def test_opioid_therapy_refilled_or_a_trial_started(sentence: str, expected: bool | None) -> None:
    text = letter_text(f"{INTRO} {sentence}", "Oxycodone 5mg #120")
    found = extract_text(text, "opioid.txt", bundled_library(), bundled_patterns()).facts.get("opioid_therapy")
    assert (None if found is None else found.value) is expected


# issue 12: how long care or a limitation has lasted, in the clinic's words
@pytest.mark.parametrize(
    ("fact", "item", "sentence", "expected"),
    [
        (
            "shoulder_conservative_care_months",
            "Right shoulder arthroscopic subacromial decompression",
            "Care so far: four physical therapy sessions and ibuprofen over about two months; no injection yet.",
            2.0,
        ),
        (
            "shoulder_conservative_care_months",
            "Right shoulder arthroscopic subacromial decompression",
            "She has had conservative care for the shoulder for three months.",
            3.0,
        ),
        (
            "shoulder_conservative_care_months",
            "Right shoulder arthroscopic subacromial decompression",
            "She will continue conservative care for three months.",
            None,
        ),
        (
            "joint_activity_limitation_months",
            "Right knee arthroscopy with partial meniscectomy",
            "He has been unable to kneel or squat at work for four months.",
            4.0,
        ),
        (
            "joint_activity_limitation_months",
            "Right knee arthroscopy with partial meniscectomy",
            "She cannot climb stairs for the past five months.",
            5.0,
        ),
        (
            "joint_activity_limitation_months",
            "Right knee arthroscopy with partial meniscectomy",
            "He will be unable to kneel for six weeks after surgery.",
            None,
        ),
    ],
)
def test_durations_of_care_and_of_limitation(fact: str, item: str, sentence: str, expected: float | None) -> None:
    text = letter_text(f"{INTRO} {sentence}", item)
    data = extract_text(text, "duration.txt", bundled_library(), bundled_patterns())
    found = data.items[0].facts.get(fact) or data.facts.get(fact)
    assert (None if found is None else found.value) == expected


# a topical product's ingredients are read from a topical item's name only (issue 12: an oral drug is no topical)
@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("Ketoprofen 20% cream 120gm", ["ketoprofen"]),
        ("Lidoderm 5% patch #30", ["lidocaine_patch"]),
        ("Tramadol 50mg #60", None),
        ("Cyclobenzaprine 10mg #30", None),
    ],
)
def test_topical_ingredients_only_for_a_topical_item(item: str, expected: list[str] | None) -> None:
    text = letter_text(f"{INTRO} He has low back pain.", item)
    found = (
        extract_text(text, "topical.txt", bundled_library(), bundled_patterns())
        .items[0]
        .facts.get("topical_ingredients")
    )
    assert (None if found is None else found.value) == expected


# issue 12: the item's rationale says the drug was certified before, or that the request starts it
@pytest.mark.parametrize(
    ("rationale", "expected"),
    [
        ("Tramadol was previously certified for weaning.", True),
        ("This is a request for the initiation of tramadol.", False),
        ("The request for tramadol was denied.", None),
    ],
)
def test_a_drug_certified_before_or_started_by_the_request(rationale: str, expected: bool | None) -> None:
    found = _read("He has low back pain.", TRAMADOL, rationale).get("medication_previously_used")
    assert (None if found is None else found.value) is expected
