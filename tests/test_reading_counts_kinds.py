"""Visits of a course already had, whether a course was had, and whether a requested drug is new, in more
kinds of wording (issue 12): the visits given in the passive, counted by what the course came to, the count
as the subject of the course's outcome, a share done of a course authorized, a count per body region, a bare
count right after a sentence naming the therapy; a therapy or a drug "not tried"; a drug being added, new,
prescribed at the request's visit or wished for, and another drug's start in the item's rationale. Every
sentence is invented and goes through the real extraction; each kind is tested both ways."""

from __future__ import annotations

import pytest

from .test_reading_quantities import INTRO, item_fact, read

PT = "Physical therapy 2 times a week for 4 weeks for the lumbar spine"
CHIRO = "Chiropractic manipulation 2 times a week for 3 weeks, lumbar"
ACU = "Acupuncture 1 time a week for 6 weeks, low back"

# --- visits had, from the summary ---------------------------------------------------------------------

VISITS_READ = [
    # the visits given in the passive
    ("She was provided with 6 sessions of physical therapy last spring.", PT, 6),
    ("He was treated with physical therapy for 6 sessions.", PT, 6),
    ("Chiropractic care was rendered for a total of 10 visits.", CHIRO, 10),
    # the course named, its count after a determiner
    ("He completed the 8 physical therapy sessions.", PT, 8),
    ("She attended all 12 acupuncture treatments.", ACU, 12),
    # a label of the care so far, the count after it
    ("Physical therapy to date: 14 visits.", PT, 14),
    ("Chiropractic so far - nine sessions.", CHIRO, 9),
    # the course's size as the total it came to
    ("She has undergone physical therapy, totaling 14 visits.", PT, 14),
    ("He had acupuncture amounting to eleven sessions.", ACU, 11),
    # the count as the subject of the course's outcome
    ("14 sessions of physical therapy did not help.", PT, 14),
    ("The patient reported that twelve chiropractic visits helped only briefly.", CHIRO, 12),
    ("Physical therapy, 14 sessions, gave no lasting relief.", PT, 14),
    # a share done of a course authorized
    ("Twelve PT visits were authorized and 10 attended.", PT, 10),
    ("Of the 12 physical therapy visits authorized, 10 were attended.", PT, 10),
    ("The patient was authorized for 12 physical therapy visits but attended only 10.", PT, 10),
    # a count per body region: the item's region's
    ("He has attended six physical therapy visits for the cervical spine and four for the lumbar spine.", PT, 4),
    ("She has completed 6 sessions of physical therapy for the neck and 8 sessions for the low back.", PT, 8),
    ("She has had six physical therapy sessions for the low back and four for the knee.", PT, 6),
    # a bare count right after a sentence naming the item's therapy and no other
    ("Physical therapy was started in March. He has completed 12 sessions.", PT, 12),
    ("He was referred to acupuncture. He has attended eight visits to date.", ACU, 8),
    # a month named May is no hedge
    ("She started physical therapy in May and has attended 8 sessions.", PT, 8),
    # a share as a fraction, a visit under way by its ordinal, the therapist seeing the patient
    ("She has completed 6/8 physical therapy visits.", PT, 6),
    ("He is currently attending physical therapy and is on his 12th visit.", PT, 12),
    ("He has been seen by the chiropractor for 6 visits.", CHIRO, 6),
    ("He has received 6 CMT treatments.", CHIRO, 6),
    # used from a course, the count in parentheses after its time, a list's dash
    ("He has used 6 of his physical therapy visits.", PT, 6),
    ("He had physical therapy in 2015 (6 visits).", PT, 6),
    ("Prior treatment: PT - 12 sessions, chiropractic - 6 sessions.", PT, 12),
    # two dated courses added up
    ("He has had 6 physical therapy visits in 2016, in addition to 8 visits in 2015.", PT, 14),
]

VISITS_NONE = [
    # a bare count after another therapy, two therapies, or naming another therapy itself
    ("He was referred to chiropractic care. He has completed 12 sessions.", PT),
    ("He had physical therapy and chiropractic care. He has completed 12 sessions.", PT),
    ("He had physical therapy. He has completed 12 sessions of aquatic therapy.", PT),
    ("He had physical therapy. He has completed 12 sessions of acupuncture.", PT),
    # a bare count that is a frequency, a plan, negated, a request's or UR's
    ("He had physical therapy. He has had 6 sessions per week.", PT),
    ("He had physical therapy. He will have 6 sessions.", PT),
    ("He had physical therapy. He has not completed 6 sessions.", PT),
    ("Physical therapy was requested. 6 sessions were authorized.", PT),
    ("Physical therapy was requested. UR certified 6 sessions.", PT),
    ("Physical therapy was requested. Guidelines allow 10 sessions.", PT),
    # dates, doses, pages and the guideline's number are never counts
    ("He had physical therapy. An MRI on 10/12/2016 showed a disc bulge.", PT),
    ("He had physical therapy. He takes ibuprofen 800 mg three times a day.", PT),
    ("Physical therapy note, page 12 of 14, documents visit 6.", PT),
    ("The MTUS allows 9-10 visits over 8 weeks of physical therapy.", PT),
    # another region's count, another therapy's, only authorized, a request's outcome hoped for
    ("She has had six physical therapy sessions for the neck.", PT),
    ("She has had six physical therapy sessions for the neck and four for the shoulder.", PT),
    ("She has completed 6 physical therapy visits for the cervical spine and 8 visits of aquatic therapy.", PT),
    ("He has had 8 physical therapy sessions approved but has not attended any.", PT),
    ("She has completed the 8 requested physical therapy sessions.", PT),
    ("The patient hopes that 8 physical therapy sessions will help.", PT),
    ("Twelve PT visits were authorized.", PT),
    # a fraction that is a date or a score, the ordinal of a visit planned, another therapy added to it
    ("She had physical therapy on 6/8 and her pain was 6/10.", PT),
    ("He is scheduled for his 12th physical therapy visit next week.", PT),
    ("He has had 6 physical therapy visits in 2016, in addition to 8 chiropractic visits in 2015.", CHIRO),
    # a time, not visits; UR's modified certification
    ("Physical therapy was provided for 6 weeks.", PT),
    ("Utilization review modified the request to 6 physical therapy visits.", PT),
]


@pytest.mark.parametrize(("sentence", "item", "visits"), VISITS_READ)
def test_visits_had_in_more_kinds_of_wording(sentence: str, item: str, visits: int) -> None:
    data = read(f"{INTRO} {sentence}", item)
    assert item_fact(data, "prior_visits_completed") == visits
    assert item_fact(data, "treatment_visits_total") == visits + (item_fact(data, "requested_visits") or 0)


@pytest.mark.parametrize(("sentence", "item"), VISITS_NONE)
def test_not_visits_had_in_those_kinds(sentence: str, item: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", item), "prior_visits_completed") is None


@pytest.mark.parametrize(
    ("rationale", "visits"),
    [
        ("In addition to the 6 already completed, 8 more visits are requested.", 6),
        ("The requested 8 visits on top of the 6 completed would be excessive.", 6),
        ("The patient has had a minimum of 6 physical therapy visits.", 6),
        ("Six sessions were previously authorized and completed.", 6),
        ("The treating physician documents the course; the patient has already had 6.", 6),
    ],
)
def test_visits_had_beside_the_request_in_the_rationale(rationale: str, visits: int) -> None:
    data = read(INTRO, PT, rationale=rationale)
    assert item_fact(data, "prior_visits_completed") == visits
    assert item_fact(data, "treatment_visits_total") == visits + 8


@pytest.mark.parametrize(
    "rationale",
    [
        "In addition to physical therapy, 8 more visits are requested.",
        "Six sessions were previously authorized.",
        "The patient has already had 6 weeks of rest.",
        "Guidelines recommend an initial trial of 6 visits.",
    ],
)
def test_no_visits_had_beside_the_request_from_other_counts(rationale: str) -> None:
    assert item_fact(read(INTRO, PT, rationale=rationale), "prior_visits_completed") is None


# --- a course had or not ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "item", "section", "value"),
    [
        # the therapy "not tried" is no course had (it was read as one)
        ("Physical therapy has not been tried.", PT, "summary", False),
        ("Acupuncture has not been tried previously.", ACU, "summary", False),
        ("Physical therapy has not previously been provided.", PT, "summary", False),
        ("Chiropractic care has never been attempted.", CHIRO, "rationale", False),
        ("Physical therapy has been tried.", PT, "rationale", True),
        ("He has not had any physical therapy.", PT, "rationale", False),
        # none since a date: one was had before
        ("She has not had physical therapy since 2014.", PT, "summary", True),
        ("She has not had physical therapy since 2014.", PT, "rationale", True),
    ],
)
def test_a_therapy_not_tried_and_none_since(sentence: str, item: str, section: str, value: bool) -> None:
    data = read(f"{INTRO} {sentence}", item) if section == "summary" else read(INTRO, item, rationale=sentence)
    assert item_fact(data, "prior_course_completed") is value


def test_the_records_not_provided_are_no_course_denied() -> None:
    data = read(f"{INTRO} Physical therapy notes have not been provided.", PT)
    assert item_fact(data, "prior_course_completed") is not False


# --- a requested drug new or continuing ----------------------------------------------------------------

TRAMADOL = "Tramadol 50mg #60"
LIDODERM = "Lidoderm patches #30"
FLEXERIL = "Flexeril 10mg #30"

NEW_DRUG = [
    ("Tramadol is being added for breakthrough pain.", TRAMADOL),
    ("Tramadol is being started for pain.", TRAMADOL),
    ("Tramadol would be a new medication for him.", TRAMADOL),
    ("The provider requested tramadol as a new medication.", TRAMADOL),
    ("He was prescribed cyclobenzaprine at this visit.", FLEXERIL),
    ("She would like to try Lidoderm patches.", LIDODERM),
    ("A Lidoderm patch trial is requested.", LIDODERM),
    ("The physician decided to start tramadol.", TRAMADOL),
    ("He has not tried tramadol.", TRAMADOL),
    ("Tramadol has not been tried.", TRAMADOL),
    ("Tramadol has not previously been prescribed.", TRAMADOL),
    ("There is no history of tramadol use.", TRAMADOL),
    ("Gabapentin was prescribed on 11/01/2016 as a trial.", "Gabapentin 300mg #90"),
    ("It does not appear that the patient has tried tramadol.", TRAMADOL),
    ("The patient has not been on opioids.", TRAMADOL),
]

NOT_NEW_DRUG = [
    # use stopped or lapsed, not never had
    ("He has not tried tramadol since May.", TRAMADOL),
    ("Tramadol has not been taken today.", TRAMADOL),
    ("He has not tried tramadol again.", TRAMADOL),
    ("It does not appear that the patient has tried tramadol since May.", TRAMADOL),
    ("The patient has not been on tramadol for two weeks.", TRAMADOL),
    ("It does not appear that the patient has tried physical therapy.", TRAMADOL),
    ("The patient has not been on naproxen.", TRAMADOL),
    # another drug's start or history, a restated guideline on trials, a plan for another item
    ("He was started on naproxen.", TRAMADOL),
    ("Naproxen is being added for inflammation.", TRAMADOL),
    ("Guidelines recommend a trial of tramadol before stronger opioids.", TRAMADOL),
    ("The physician plans to start physical therapy.", TRAMADOL),
    ("The treating physician started a course of acupuncture.", TRAMADOL),
    # a refill or a past start
    ("Tramadol was prescribed at the last visit and refilled today.", TRAMADOL),
    ("Tramadol is being continued.", TRAMADOL),
]


@pytest.mark.parametrize(("sentence", "item"), NEW_DRUG)
@pytest.mark.parametrize("section", ["summary", "rationale"])
def test_a_new_drug_in_more_kinds_of_wording(sentence: str, item: str, section: str) -> None:
    data = read(f"{INTRO} {sentence}", item) if section == "summary" else read(INTRO, item, rationale=sentence)
    assert item_fact(data, "medication_previously_used") is False


@pytest.mark.parametrize(("sentence", "item"), NOT_NEW_DRUG)
@pytest.mark.parametrize("section", ["summary", "rationale"])
def test_not_a_new_drug_from_other_drugs_guidelines_plans_or_lapses(sentence: str, item: str, section: str) -> None:
    data = read(f"{INTRO} {sentence}", item) if section == "summary" else read(INTRO, item, rationale=sentence)
    assert item_fact(data, "medication_previously_used") is not False


RFA = "A request for authorization dated 11/01/2016 was submitted."


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        # prescribed on the request's own day, named nowhere else: new (inferred)
        ("At the visit of 11/01/2016 the physician prescribed tramadol.", False),
        ("On 11/01/2016, the physician prescribed tramadol 50 mg for pain.", False),
        ("Tramadol was prescribed on 11/01/2016.", False),
        # another day's prescription, a refill that day, another drug, the drug named elsewhere
        ("Tramadol was prescribed on 10/01/2016.", None),
        ("On 11/01/2016, the physician refilled tramadol.", None),
        ("On 11/01/2016, the physician prescribed naproxen.", None),
        ("On 11/01/2016, the physician prescribed tramadol. Tramadol had helped before.", None),
        ("Current medications include tramadol. On 11/01/2016, tramadol was prescribed.", True),
    ],
)
def test_a_drug_prescribed_on_the_requests_day(sentence: str, value: object) -> None:
    data = read(f"{INTRO} {RFA} {sentence}", TRAMADOL)
    assert item_fact(data, "medication_previously_used") is value
    if value is False:
        assert data["items"][0]["facts"]["medication_previously_used"]["inferred"] is True


@pytest.mark.parametrize(
    "rationale",
    [
        "He has been on tramadol for six months.",
        "The patient has been taking tramadol, and naproxen was started at the last visit.",
    ],
)
def test_the_items_own_drug_continuing_is_still_read_beside_another(rationale: str) -> None:
    assert item_fact(read(INTRO, TRAMADOL, rationale=rationale), "medication_previously_used") is True


def test_a_rationale_sentence_pointing_to_the_item_is_its_own_whatever_else_it_names() -> None:
    rationale = "This is her first prescription, after acetaminophen gave no relief."
    assert item_fact(read(INTRO, "Ibuprofen 800mg #90", rationale=rationale), "medication_previously_used") is False


@pytest.mark.parametrize(
    ("rationale", "value"),
    [
        ("As this is a new medication, a short trial is reasonable.", False),
        ("The requested medication would be a new addition to the regimen.", False),
        ("It is unclear whether this is a new medication.", None),
    ],
)
def test_the_rationale_calling_the_drug_new(rationale: str, value: object) -> None:
    assert item_fact(read(INTRO, TRAMADOL, rationale=rationale), "medication_previously_used") is value
