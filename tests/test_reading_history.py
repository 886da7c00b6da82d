"""Reading quantities and treatment history in other words than the published letters: visits of a
therapy already had (from the summary as well as the item's rationale, tied to the item's therapy),
their total with the request, inpatient days, a medication's status (new or continuing), and a list of
treatments had without relief. Every sentence is invented and goes through the real extraction (letter
parsing, sentences, NegEx/ConText context, skipped restatements); each kind is tested both ways."""

from __future__ import annotations

import pytest

from .test_reading_quantities import INTRO, case_fact, item_fact, read

PT = "Physical therapy 2 times a week for 4 weeks for the lumbar spine"
CHIRO = "Chiropractic manipulation 2 times a week for 3 weeks, lumbar"
ACU = "Acupuncture 1 time a week for 6 weeks, low back"


# --- visits of the therapy already had, from the summary ------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "item", "visits"),
    [
        ("He has attended 12 sessions of physical therapy with partial relief.", PT, 12),
        ("The worker completed eighteen chiropractic treatments to date.", CHIRO, 18),
        ("She was treated with acupuncture after 2 courses of 6 acupuncture visits.", ACU, 12),
        ("24 PT visits have been authorized since the injury.", PT, 24),
        ("So far he has had ten (10) visits of physiotherapy.", PT, 10),
        ("He went to physical therapy 4 visits in the autumn.", PT, 4),
        ("She underwent a course of twelve physical therapy sessions last year.", PT, 12),
        ("Treatment to date has included naproxen, a back brace and 6 PT (physical therapy) sessions.", PT, 6),
        ("Prior care: eight chiropractic visits and a home exercise program.", CHIRO, 8),
        ("He has tried physical therapy x 9 sessions.", PT, 9),
        ("Improvement was noted after the first 6 visits of acupuncture.", ACU, 6),
        ("Twenty acupuncture treatments have been completed.", ACU, 20),
        ("The prior 14 physical therapy visits gave some benefit.", PT, 14),
    ],
)
def test_visits_had_are_read_from_the_summary(sentence: str, item: str, visits: int) -> None:
    data = read(f"{INTRO} {sentence}", item)
    assert item_fact(data, "prior_visits_completed") == visits
    assert item_fact(data, "prior_course_completed") is True


@pytest.mark.parametrize(
    ("sentence", "item"),
    [
        # another therapy's visits are not this therapy's
        ("He has attended 12 sessions of chiropractic care.", PT),
        ("The worker completed eighteen physical therapy treatments to date.", ACU),
        # negated, hedged
        ("He has not attended any of the 12 sessions of physical therapy.", PT),
        ("It is unclear whether she completed 12 sessions of physical therapy.", PT),
        # guidelines and UR's reasons are not findings
        ("Guidelines allow 10 visits of physical therapy for myalgia.", PT),
        ("The MTUS recommends 9-10 physical therapy visits over 8 weeks.", PT),
        ("Utilization review noted that 6 PT visits had been completed and modified the request.", PT),
        # a request, or UR's certification of part of it, is not a count had
        ("The physician requested 8 additional sessions of physical therapy.", PT),
        ("Physical therapy 6 visits was authorized by the Claims Administrator.", PT),
        # dates, levels, doses, ages are never counts
        ("He attended physical therapy on 10/12/2016 for the L4-5 disc.", PT),
        ("She completed physical therapy for 6 weeks.", PT),
        ("A 12 year history of back pain treated with physical therapy.", PT),
    ],
)
def test_visits_are_not_read_from_other_therapies_negations_guidelines_or_requests(sentence: str, item: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", item), "prior_visits_completed") is None


def test_visits_in_the_items_rationale_win_over_the_summary() -> None:
    data = read(
        f"{INTRO} He has had 6 sessions of physical therapy.",
        PT,
        rationale="The records show the worker completed 12 physical therapy visits without benefit.",
    )
    assert item_fact(data, "prior_visits_completed") == 12


def test_counts_that_disagree_leave_the_visits_out_with_a_warning() -> None:
    data = read(f"{INTRO} He has had 6 sessions of physical therapy. He has attended 9 physical therapy visits.", PT)
    assert item_fact(data, "prior_visits_completed") is None
    assert any("counts disagree" in w for w in data["extraction"]["warnings"])


@pytest.mark.parametrize(
    ("sentence", "total"),
    [
        ("She has completed 12 sessions of physical therapy.", 20),
        ("He has had six PT visits so far.", 14),
        ("Prior treatment included medications and 10 physical therapy sessions.", 18),
        ("The worker received a series of 4 sessions of physical therapy.", 12),
        ("Despite 16 physical therapy visits, the pain persists.", 24),
    ],
)
def test_the_course_total_adds_the_visits_had_to_the_request(sentence: str, total: int) -> None:
    data = read(f"{INTRO} {sentence}", PT)
    assert item_fact(data, "requested_visits") == 8
    assert item_fact(data, "treatment_visits_total") == total


def test_case_fact_helper_is_shared() -> None:
    # the shared helpers read case facts too (age from the summary)
    assert case_fact(read(INTRO, PT), "age") == 44


@pytest.mark.parametrize(
    ("rationale", "visits"),
    [
        ("The worker previously received an initial set of 6 visits.", 6),
        ("She completed a block of eight sessions in the spring.", 8),
        ("He has had a round of 10 treatments so far.", 10),
    ],
)
def test_a_set_block_or_round_of_visits_had_in_the_items_rationale(rationale: str, visits: int) -> None:
    assert item_fact(read(INTRO, PT, rationale=rationale), "prior_visits_completed") == visits


def test_an_initial_set_recommended_is_not_a_set_had() -> None:
    rationale = "Guidelines recommend an initial set of 6 visits before more therapy is considered."
    assert item_fact(read(INTRO, PT, rationale=rationale), "prior_visits_completed") is None
