"""Reading quantities and treatment history in other words than the published letters: visits of a
therapy already had (from the summary as well as the item's rationale, tied to the item's therapy),
their total with the request, inpatient days, a medication's status (new or continuing), and a list of
treatments had without relief. Every sentence is invented and goes through the real extraction (letter
parsing, sentences, NegEx/ConText context, skipped restatements); each kind is tested both ways."""

from __future__ import annotations

import pytest

from imr_rules.reading.extract import extract_case
from imr_rules.reading.letter import parse_letter

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import INTRO, case_fact, item_fact, letter_text, read

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


# --- a medication's status: new or continuing ---------------------------------------------------------

TRAMADOL = "Tramadol 50mg #60"


@pytest.mark.parametrize(
    "sentence",
    [
        "He has been on tramadol since 2015.",
        "The physician requested a refill of tramadol.",
        "She continues to take tramadol twice a day.",
        "He was prescribed tramadol in June for the back pain.",
        "Current medications include tramadol, gabapentin and omeprazole.",
        "Tramadol was first prescribed by the previous physician.",
        "She is stable on tramadol and naproxen.",
        "Tramadol helps her pain from 8/10 to 5/10.",
        "He was previously prescribed tramadol by his primary care doctor.",
    ],
)
def test_a_drug_already_taken(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", TRAMADOL), "medication_previously_used") is True


@pytest.mark.parametrize(
    "sentence",
    [
        "Current medications include gabapentin, omeprazole and metformin.",
        "Current medication was ibuprofen.",
        "Medications: gabapentin 300 mg, naproxen 550 mg and omeprazole 20 mg.",
        "His present medications are lisinopril and atorvastatin.",
        "Current meds include Neurontin and Prilosec.",
    ],
)
def test_a_current_list_without_the_drug_infers_a_new_drug(sentence: str) -> None:
    data = read(f"{INTRO} {sentence} On 11/10/2016 utilization review denied a request for tramadol.", TRAMADOL)
    fact = data["items"][0]["facts"]["medication_previously_used"]
    assert fact["value"] is False
    assert fact["inferred"] is True
    assert fact["evidence"][0]["quote"] == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # the list names the drug by another name, or a class or more drugs that may cover it
        "Current medications include Ultram and gabapentin.",
        "Current medications include opioids and gabapentin.",
        "Current medications include gabapentin, omeprazole and others.",
        "Current medications include pain medications and omeprazole.",
        # no list: nothing is said
        "Current medications were not documented.",
        "The current medication regimen was not provided.",
        "Treatment to date has included medications and physical therapy.",
        # the drug named elsewhere as had: a person reads it
        "Current medications include gabapentin. She stopped tramadol last year because of nausea.",
        # a guideline's list of medications is not the patient's
        "Guidelines state that current medications include first-line agents such as gabapentin.",
    ],
)
def test_no_new_drug_is_inferred_without_a_list_that_leaves_it_out(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", TRAMADOL), "medication_previously_used") is not False


@pytest.mark.parametrize(
    "sentence",
    [
        "He has not been on tramadol before.",
        "Tramadol may help her pain.",
        "Tramadol is not recommended as a first-line oral analgesic.",
        "The physician prescribed tramadol on 11/01/2016.",
    ],
)
def test_no_continuing_drug_from_negations_hedges_guidelines_or_the_request(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", TRAMADOL), "medication_previously_used") is not True


def test_a_past_prescription_named_outside_the_list_blocks_the_inference() -> None:
    summary = f"{INTRO} Current medications include gabapentin. Tramadol was prescribed for the flare."
    assert item_fact(read(summary, TRAMADOL), "medication_previously_used") is None


# --- inpatient days and visits requested, from the item's name --------------------------------------------


@pytest.mark.parametrize(
    ("item", "days"),
    [
        ("Associated surgical service: inpatient stay for two (2) days", 2),
        ("Associated surgical service: inpatient stay 1-2 days", 2),
        ("Associated surgical service: inpatient stay of two to three days", 3),
        ("Associated surgical service: overnight inpatient stay", 1),
        ("Associated surgical service: one day inpatient stay", 1),
        ("Associated surgical service: a 3-day inpatient stay", 3),
        ("Associated surgical service: inpatient stay, length of stay: 4", 4),
    ],
)
def test_inpatient_days_in_words_and_figures(item: str, days: int) -> None:
    assert item_fact(read(INTRO, item), "requested_inpatient_days") == days


@pytest.mark.parametrize(
    "item",
    [
        "Associated surgical service: inpatient stay",
        "Associated surgical service: inpatient stay on 12/01/2016",
        "Associated surgical service: inpatient stay 12/01/2016-12/03/2016",
        "Associated surgical service: inpatient stay at L4-5",
    ],
)
def test_no_inpatient_days_from_dates_or_levels(item: str) -> None:
    assert item_fact(read(INTRO, item), "requested_inpatient_days") is None


@pytest.mark.parametrize(
    ("item", "visits"),
    [
        ("Physical therapy three times weekly for four weeks, lumbar", 12),
        ("Physical therapy 8 additional sessions for the low back", 8),
        ("Chiropractic care 2x6 for the lumbar spine", 12),
        ("Acupuncture x8 for the low back", 8),
        ("Twelve (12) sessions of physical therapy to the lumbar spine", 12),
        ("Physical therapy once a week for six weeks, lumbar", 6),
    ],
)
def test_visits_requested_in_other_words(item: str, visits: int) -> None:
    assert item_fact(read(INTRO, item), "requested_visits") == visits


@pytest.mark.parametrize(
    "item",
    [
        "Physical therapy for the lumbar spine, DOS 11/02/2016",
        "Physical therapy for the L4-5 level",
        "Physical therapy for the lumbar spine, CPT 97110",
        "Physical therapy for a 45 year old with back pain",
    ],
)
def test_no_visits_requested_from_dates_levels_codes_or_ages(item: str) -> None:
    assert item_fact(read(INTRO, item), "requested_visits") is None


# --- conservative care failed, as a list of treatments had without relief ------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "He has tried PT, NSAIDs and injections without lasting relief.",
        "She has had physical therapy, acupuncture and a lumbar brace with only temporary relief.",
        "He underwent chiropractic care and home exercises without improvement.",
        "Physical therapy, a back brace and rest have not helped.",
        "She has received acupuncture, tramadol and activity modification with minimal benefit.",
        "The worker completed a course of physiotherapy and a home exercise program with little improvement.",
    ],
)
def test_a_list_of_care_had_without_relief_is_failed_conservative_care(sentence: str) -> None:
    assert case_fact(read(f"{INTRO} {sentence}"), "conservative_care_failed") is True


@pytest.mark.parametrize(
    "sentence",
    [
        "He has tried PT, NSAIDs and injections with good relief.",
        "He has tried NSAIDs and tramadol without relief.",  # drugs only: a medication fact, not a programme
        "There is no documentation that he tried physical therapy without relief.",
        "Guidelines support surgery when patients have tried physical therapy and NSAIDs without relief.",
        "He has tried physical therapy without side effects.",
        "Utilization review denied the request because the patient tried physical therapy without relief.",
        "It is unclear whether he tried physical therapy without improvement.",
    ],
)
def test_no_failed_care_from_relief_drugs_only_negations_guidelines_or_ur(sentence: str) -> None:
    assert case_fact(read(f"{INTRO} {sentence}"), "conservative_care_failed") is None


@pytest.mark.parametrize(
    ("sentence", "visits"),
    [
        ("She had attended 1 out of 12 physical therapy sessions for the back.", 1),
        ("He has completed 6 of the 12 PT visits.", 6),
        ("Treatment has included physical therapy (at least 4 visits) and medication.", 4),
    ],
)
def test_the_part_of_a_course_had_is_the_count_had(sentence: str, visits: int) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", PT), "prior_visits_completed") == visits


def test_visits_had_through_this_request_are_not_a_course_before_it() -> None:
    sentence = "The worker completed 4 physical therapy sessions through this request before it was reviewed."
    assert item_fact(read(f"{INTRO} {sentence}", PT), "prior_visits_completed") is None


# --- a prior course of the same therapy ------------------------------------------------------------------


@pytest.mark.parametrize(
    "rationale",
    [
        "The patient has completed a full course of physical therapy already.",
        "She was previously treated with physical therapy for the same complaint.",
        "He has been through two rounds of physiotherapy.",
        "The worker underwent a short trial of PT last year.",
        "The claimant had physical therapy earlier in the claim.",
    ],
)
def test_a_prior_course_stated_in_the_items_rationale(rationale: str) -> None:
    assert item_fact(read(INTRO, PT, rationale=rationale), "prior_course_completed") is True


@pytest.mark.parametrize(
    "rationale",
    [
        "Guidelines recommend a trial of physical therapy before surgery is considered.",
        "A course of physical therapy is requested for the lumbar spine.",
    ],
)
def test_no_prior_course_from_a_guideline_a_request_or_another_therapy(rationale: str) -> None:
    assert item_fact(read(INTRO, PT, rationale=rationale), "prior_course_completed") is not True


def test_a_decision_about_the_therapys_outcome_blocks_a_first_course_inference() -> None:
    summary = (
        f"{INTRO} Prior care: naproxen and a lumbar brace. Utilization review denied the acupuncture as its "
        "efficacy was not noted."
    )
    assert item_fact(read(summary, ACU), "prior_course_completed") is None


def test_a_list_without_the_therapy_still_infers_a_first_course_when_only_requested() -> None:
    summary = f"{INTRO} Prior care: naproxen and a lumbar brace. Utilization review denied the acupuncture request."
    fact = read(summary, ACU)["items"][0]["facts"]["prior_course_completed"]
    assert fact["value"] is False
    assert fact["inferred"] is True


def test_a_prior_course_of_another_therapy_in_the_summary_is_not_this_ones() -> None:
    summary = f"{INTRO} He was previously treated with acupuncture and medication."
    assert item_fact(read(summary, PT), "prior_course_completed") is not True


def test_the_rationales_initial_trial_does_not_block_a_first_course_inference() -> None:
    summary = f"{INTRO} Prior care: naproxen and a lumbar brace."
    rationale = "There is no documentation of functional improvement as a result of the initial acupuncture trial."
    fact = read(summary, ACU, rationale=rationale)["items"][0]["facts"]["prior_course_completed"]
    assert fact["value"] is False
    assert fact["inferred"] is True


def test_a_guideline_on_outcomes_does_not_block_a_first_course_inference() -> None:
    summary = (
        f"{INTRO} Prior care: naproxen and a lumbar brace. Guidelines state that the outcomes of acupuncture "
        "improve when it is combined with exercise."
    )
    assert item_fact(read(summary, ACU), "prior_course_completed") is False


@pytest.mark.parametrize(
    ("sentence", "visits"),
    [
        ("Twelve chiropractic visits completed with modest gains.", 12),
        ("Chiropractic, 8 visits to date, helped the low back.", 8),
        ("She is status post 12 sessions of chiropractic care.", 12),
        ("He has completed his 10th chiropractic treatment.", 10),
        ("He is in chiropractic care, having attended 8 visits.", 8),
        ("For chiropractic care, visits completed to date: 9.", 9),
    ],
)
def test_more_ways_of_counting_visits_had(sentence: str, visits: int) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", CHIRO), "prior_visits_completed") == visits


@pytest.mark.parametrize(
    "sentence",
    [
        "Twelve chiropractic visits requested by the physician.",
        "Chiropractic care was requested after he had 6 acupuncture sessions.",
        "Chiropractic care, 8 visits, was denied by utilization review.",
        "He is scheduled for his 3rd chiropractic visit next week.",
        "Chiropractic care is planned; 8 visits will be completed by March.",
    ],
)
def test_more_counts_that_are_not_visits_had(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", CHIRO), "prior_visits_completed") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "He reports taking tramadol at night for pain.",
        "She states she uses tramadol twice a day.",
        "The worker noted that he is taking tramadol and ibuprofen.",
    ],
)
def test_a_drug_the_patient_reports_taking(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", TRAMADOL), "medication_previously_used") is True


def test_a_drug_the_patient_denies_taking_is_not_continuing() -> None:
    sentence = "He denies taking tramadol."
    assert item_fact(read(f"{INTRO} {sentence}", TRAMADOL), "medication_previously_used") is not True


@pytest.mark.parametrize(
    "sentence",
    [
        "Chiropractic care was continued; he had 6 visits authorized by the carrier.",
        "8 chiropractic visits received authorization in October.",
        "Chiropractic care: she had 4 sessions remaining.",
    ],
)
def test_visits_authorized_or_remaining_are_not_visits_had(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", CHIRO), "prior_visits_completed") is None


# --- post-operative therapy: visits after this surgery only ----------------------------------------------

POSTOP = "Post-operative physical therapy 2 times a week for 6 weeks for the right knee"


@pytest.mark.parametrize(
    ("sentence", "visits"),
    [
        ("She has completed 12 sessions of post-operative physical therapy.", 12),
        ("He has attended 8 physical therapy visits since the arthroscopy.", 8),
        ("Since the knee arthroscopy she has had 6 sessions of postoperative PT.", 6),
        ("He has had ten post operative therapy visits to date.", 10),
        ("She completed 9 post-surgical rehabilitation sessions.", 9),
    ],
)
def test_post_operative_visits_had(sentence: str, visits: int) -> None:
    data = read(f"{INTRO} {sentence}", POSTOP)
    assert item_fact(data, "prior_visits_completed") == visits
    assert item_fact(data, "treatment_visits_total") == visits + 12


@pytest.mark.parametrize(
    "sentence",
    [
        "He had 12 sessions of physical therapy before the surgery.",
        "Treatment to date has included medications, physical therapy and a knee arthroscopy.",
        "Guidelines allow 12 post-operative physical therapy visits after a meniscectomy.",
    ],
)
def test_therapy_before_the_surgery_is_not_post_operative(sentence: str) -> None:
    data = read(f"{INTRO} {sentence}", POSTOP)
    assert item_fact(data, "prior_visits_completed") is None
    assert item_fact(data, "prior_course_completed") is not True


@pytest.mark.parametrize(
    "sentence",
    [
        "12 sessions of PT were previously requested and denied.",
        "He will have completed 6 physical therapy sessions by next month.",
        "She is expected to have completed 6 physical therapy visits.",
        "She may have had 6 physical therapy sessions.",
    ],
)
def test_future_hedged_or_requested_counts_are_not_visits_had(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", PT), "prior_visits_completed") is None


@pytest.mark.parametrize(
    ("sentence", "item"),
    [
        ("She has not yet had physical therapy for this injury.", PT),
        ("He has not yet received any chiropractic care.", CHIRO),
        ("To date she has not yet tried acupuncture.", ACU),
        ("The worker has never yet attended physical therapy.", PT),
    ],
)
def test_not_yet_had_the_therapy_is_no_prior_course(sentence: str, item: str) -> None:
    """'not yet' is an adverb after a negation, not the conjunction 'yet' that ends a negation's reach."""
    assert item_fact(read(f"{INTRO} {sentence}", item), "prior_course_completed") is False


def test_the_conjunction_yet_still_ends_a_negation() -> None:
    summary = f"{INTRO} She denies leg weakness, yet she had physical therapy with some relief."
    assert item_fact(read(summary, PT), "prior_course_completed") is True


MRI = "MRI of the lumbar spine without contrast"
ESI = "Left L5-S1 transforaminal epidural steroid injection"


@pytest.mark.parametrize(
    "sentence",
    [
        "He has failed modified activity, drug therapy, physical therapy and an epidural injection.",
        "She has already failed a home exercise program and anti-inflammatories.",
        "The worker had failed chiropractic care, acupuncture and rest.",
        "He has failed medications and physiotherapy.",
        "She has previously failed conservative management.",
    ],
)
def test_a_list_of_what_failed_documents_failed_conservative_care(sentence: str) -> None:
    assert case_fact(read(f"{INTRO} {sentence}", MRI), "conservative_care_failed") is True


@pytest.mark.parametrize(
    "sentence",
    [
        "He had failed to attend therapy twice.",
        "Guidelines require that patients have failed physical therapy before surgery.",
        "It is not clear whether she has failed physical therapy.",
        "She has failed first line drug therapy with gabapentin and nortriptyline.",
    ],
)
def test_no_failed_care_from_missed_visits_guidelines_or_hedges(sentence: str) -> None:
    assert case_fact(read(f"{INTRO} {sentence}", MRI), "conservative_care_failed") is not True


@pytest.mark.parametrize(
    "sentence",
    [
        "He has never had a spinal injection.",
        "She has not had any epidural injections.",
        "He has not yet received a lumbar steroid injection.",
        "This would be her first epidural injection.",
        "The patient has never undergone a lumbar injection.",
    ],
)
def test_no_prior_injection_in_other_words(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", ESI), "prior_esi_same_region") is False


@pytest.mark.parametrize(
    "sentence",
    [
        "She has not had a lumbar injection since 2015 when it helped.",
        "Her last epidural injection in 2015 gave three months of relief.",
        "He has had an epidural injection in 2015.",
        # another region's injection says nothing of this one's (prior_esi_same_region is regional)
        "The patient has never undergone a cervical injection.",
    ],
)
def test_an_injection_had_before_is_not_read_as_none(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", ESI), "prior_esi_same_region") is not False


# --- a treatment-history list whose head carries a qualifier; a guideline's parameters restated ------------


@pytest.mark.parametrize(
    "history",
    [
        "Relevant treatment has consisted of a sling, ice and oral analgesics.",
        "Pertinent treatment to date includes naproxen and a lumbar corset.",
        "Documented treatments have consisted of a cervical collar and rest.",
        "Reported care has included a wrist splint and ice packs.",
        "The claimant's medical care has consisted of rest and a brace.",
        "Prior relevant treatment included a sling and ice.",
        "Previous pertinent care has included naproxen and a lumbar brace.",
        # modified duty is part of the history, not utilization review's modification
        "His care so far: naproxen, modified duty and a brace.",
    ],
)
def test_a_qualified_history_head_lists_the_whole_history(history: str) -> None:
    fact = read(f"{INTRO} {history}", ACU)["items"][0]["facts"]["prior_course_completed"]
    assert fact["value"] is False
    assert fact["inferred"] is True
    assert [e["quote"] for e in fact["evidence"]] == [history]


def test_a_qualified_history_head_naming_the_therapy_documents_a_course() -> None:
    fact = read(f"{INTRO} Pertinent care has included acupuncture and naproxen.", ACU)["items"][0]["facts"]
    assert fact["prior_course_completed"]["value"] is True
    assert "inferred" not in fact["prior_course_completed"]


@pytest.mark.parametrize(
    "history",
    [
        # part of the history only
        "Recent treatments have included a brace and naproxen.",
        "Other treatments have included a brace and naproxen.",
        # hedged, or a guideline's options
        "Relevant treatments may include a brace, rest and medications.",
        "Relevant treatment options under the guidelines include a brace and medication.",
        # another sentence, not a list's head
        "For the shoulder, relevant treatments have included a sling and ice.",
    ],
)
def test_no_first_course_from_a_partial_hedged_or_guideline_list(history: str) -> None:
    assert item_fact(read(f"{INTRO} {history}", ACU), "prior_course_completed") is None


@pytest.mark.parametrize(
    "rationale",
    [
        "(2) Frequency: 1 to 3 times per week. (d) Acupuncture treatments may be extended if function improves.",
        "(1) Time to produce functional improvement: 3 to 6 treatments.",
        "Acupuncture can be repeated only with documented gains.",
        "(c) Acupuncture treatments may be extended when function improves.",
        "Acupuncture sessions can be continued as long as progress is measured.",
    ],
)
def test_a_guidelines_enumerated_parameters_are_not_the_therapy_had(rationale: str) -> None:
    summary = f"{INTRO} Prior care: naproxen and a lumbar brace."
    fact = read(summary, ACU, rationale=rationale)["items"][0]["facts"]["prior_course_completed"]
    assert fact["value"] is False
    assert fact["inferred"] is True


@pytest.mark.parametrize(
    "rationale",
    [
        "She has had acupuncture, and it may be continued if it helps.",
        "She has had acupuncture, which may be continued if it helps.",
        "Her acupuncture treatments may be extended if she improves.",
        "The patient's acupuncture can be continued once she improves.",
    ],
)
def test_the_patients_own_therapy_that_may_continue_blocks_a_first_course(rationale: str) -> None:
    summary = f"{INTRO} Prior care: naproxen and a lumbar brace."
    assert item_fact(read(summary, ACU, rationale=rationale), "prior_course_completed") is not False


# --- a list naming another, qualified therapy still leaves this one out ------------------------------------

POSTOP_KNEE = "Post-operative physical therapy 2 times a week for 6 weeks for the right knee"


@pytest.mark.parametrize(
    ("history", "item"),
    [
        ("Pertinent treatment has consisted of physical therapy, a sling and oral analgesics.", ACU),
        ("Treatment to date has included occupational therapy and a wrist splint.", ACU),
        ("Prior care: drug therapy, a brace and rest.", CHIRO),
        ("Treatment to date includes hand therapy and ice.", ACU),
        ("Previous treatments consisted of massage therapy and naproxen.", CHIRO),
    ],
)
def test_a_list_naming_another_qualified_therapy_infers_a_first_course(history: str, item: str) -> None:
    fact = read(f"{INTRO} {history}", item)["items"][0]["facts"]["prior_course_completed"]
    assert fact["value"] is False
    assert fact["inferred"] is True


@pytest.mark.parametrize(
    ("history", "item", "expected"),
    [
        # "therapy" unqualified: which one is not said
        ("Treatment to date has included therapy and medications.", ACU, None),
        # therapy named without its timing may have been the post-operative course
        ("Treatment to date has included surgery, physical therapy and medications.", POSTOP_KNEE, None),
        ("Prior care: a knee arthroscopy, rehabilitation and a brace.", POSTOP_KNEE, None),
        # the list names the therapy itself
        ("Treatment to date has included physical therapy and medications.", PT, True),
        ("Prior care: hand therapy, acupuncture and a splint.", ACU, True),
    ],
)
def test_no_first_course_from_an_unqualified_or_possibly_post_operative_therapy(
    history: str, item: str, expected: bool | None
) -> None:
    assert item_fact(read(f"{INTRO} {history}", item), "prior_course_completed") is expected


# --- a requested drug not yet taken (issue 12): a first fill, its addition, its initiation ---------------


@pytest.mark.parametrize(
    "sentence",
    [
        # the prescription never filled, or the drug not yet begun
        "He was unable to fill the tramadol prescription.",
        "Tramadol was not able to be filled at his pharmacy.",
        "The tramadol was never dispensed by the pharmacy.",
        "She has not yet started tramadol.",
        "He has yet to try tramadol.",
        # added to the regimen, or its initiation named
        "The physician plans to add tramadol for breakthrough pain.",
        "The provider is adding tramadol at night.",
        "The request is for initiation of tramadol.",
        "The physician requested the initiation of opioid therapy with tramadol.",
        "He was prescribed tramadol for the first time on 12/01/2016.",
    ],
)
def test_a_drug_not_yet_taken(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", TRAMADOL), "medication_previously_used") is False


@pytest.mark.parametrize(
    "sentence",
    [
        # another drug's prescription, a use stopped, a guideline's or UR's words, a word that is not "add"
        "He was unable to fill the naproxen prescription.",
        "He has not taken tramadol since May.",
        "Tramadol has not been taken since the surgery.",
        "Guidelines recommend initiation of tramadol only after a trial of first-line agents.",
        "Utilization review denied it since no drug screen was done before initiation of opioid medications.",
        "He added that tramadol causes nausea.",
        "She filled her tramadol prescription last month.",
        # a refill not obtained in time is a drug already taken
        "She was not able to get tramadol refilled in time and ran out.",
    ],
)
def test_no_drug_not_yet_taken_from_another_drug_a_stopped_use_or_a_restatement(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", TRAMADOL), "medication_previously_used") is not False


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The plan is to continue tramadol.", True),
        ("Continue tramadol 50 mg twice a day.", True),
        ("Tramadol was added in 2014 and has been continued.", True),
        ("Do not continue tramadol without documented benefit.", None),
    ],
)
def test_a_plan_to_continue_the_drug(sentence: str, value: object) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", TRAMADOL), "medication_previously_used") is value


@pytest.mark.parametrize(
    "sentences",
    [
        # a possessive list, with the plan or a recommendation naming the requested drug
        "Her medications were noted to include gabapentin and omeprazole. The treatment plan included tramadol.",
        "His medications are gabapentin and omeprazole. The provider recommended tramadol for the flare.",
        "The patient's current medications are gabapentin and omeprazole. Tramadol is planned for the flare.",
    ],
)
def test_the_plan_naming_the_drug_does_not_block_a_list_without_it(sentences: str) -> None:
    fact = read(f"{INTRO} {sentences}", TRAMADOL)["items"][0]["facts"]["medication_previously_used"]
    assert fact["value"] is False
    assert fact["inferred"] is True


PANTOPRAZOLE = "Pantoprazole 20mg #30"
NAPROXEN_ITEM = """
Naproxen 550mg #60: Upheld

Claims Administrator guideline: The Claims Administrator did not cite any medical evidence for its
decision.

MAXIMUS guideline: Decision based on MTUS.

Decision rationale: The request is not medically necessary.
"""


@pytest.mark.parametrize(
    ("rationale", "value"),
    [
        # another requested drug's class in words is that item's: the NSAID's trial, the NSAID's long use
        ("At the last visit the physician prescribed an anti-inflammatory medication as an initial trial.", None),
        ("The worker has been taking an NSAID for several months.", None),
        # the item's own drug or class is its own
        ("Pantoprazole is a first-time prescription for this worker.", False),
        ("She has been taking a proton pump inhibitor for several months.", True),
    ],
)
def test_another_requested_drugs_class_is_not_this_drugs_history(rationale: str, value: object) -> None:
    text = letter_text(INTRO, PANTOPRAZOLE, rationale=rationale) + NAPROXEN_ITEM
    data = extract_case(parse_letter(text, "suite.txt"), text, bundled_library(), bundled_patterns()).to_data()
    assert item_fact(data, "medication_previously_used") is value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        # two drugs in one sentence: the start of one is not the other's
        ("She has used naproxen for two years and was given tramadol for the first time at this visit.", False),
        ("Tramadol was started today, and naproxen has been taken since 2014.", None),
        ("Tramadol was dispensed today for the first time.", False),
        # a first-ever request or fill of the drug
        ("This is the first-ever request for tramadol.", False),
        ("This was her first ever prescription of tramadol.", False),
        # switched to it from a drug of another class: new; from it: taken
        ("He was switched from naproxen to tramadol on 12/01/2016.", False),
        ("He was switched from tramadol to naproxen last month.", True),
    ],
)
def test_a_drugs_start_is_its_own_and_a_switch_has_a_direction(sentence: str, value: object) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", TRAMADOL), "medication_previously_used") is value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        # the drug by a brand or generic name the medication words did not hold
        ("He has resumed Voltaren twice daily and continues to have 8 out of 10 pain in the neck.", False),
        ("She reports relief from Voltaren.", True),
        ("Her pain is 8/10 without diclofenac and 4/10 with it.", True),
        # another statement of the pain, with no drug, says nothing of relief
        ("He has 8 out of 10 pain in the neck.", None),
    ],
)
def test_relief_from_a_drug_named_by_brand(sentence: str, value: object) -> None:
    data = read(f"{INTRO} {sentence}", "Diclofenac sodium ER 100mg #30")
    assert item_fact(data, "pain_relief_from_medication") is value


@pytest.mark.parametrize(
    ("sentence", "value", "inferred"),
    [
        # current use of other drugs stated in prose: the requested drug is new, inferred from that sentence
        ("She is currently taking ibuprofen and acetaminophen.", False, True),
        ("He currently takes naproxen.", False, True),
        # no medication at all: stated, not inferred
        ("She does not take any medication.", False, None),
        ("He denies taking any pain medications.", False, None),
        ("She is currently taking no medication.", False, None),
        # the drug among those taken; a class or a pronoun that may cover it; a drug stopped named elsewhere
        ("He is currently taking tramadol and ibuprofen.", True, None),
        ("She is currently taking pain medications.", None, None),
        ("He is currently taking it twice a day.", None, None),
        ("She is currently taking ibuprofen. She stopped tramadol in May.", None, None),
        ("He does not take any medication other than tramadol.", None, None),
    ],
)
def test_current_use_in_prose_and_no_medication_at_all(sentence: str, value: object, inferred: object) -> None:
    fact = read(f"{INTRO} {sentence}", TRAMADOL)["items"][0]["facts"].get("medication_previously_used")
    assert (None if fact is None else fact["value"]) is value
    assert (None if fact is None else fact.get("inferred")) is inferred


# --- issue 12, the train letters' register: visits had in other words, both ways -------------------------


@pytest.mark.parametrize(
    ("sentence", "item", "visits"),
    [
        # the therapy named with a word after it, the count after a comma or in a list's parentheses
        ("She has had chiropractic care, 16 visits in 2015.", CHIRO, 16),
        ("Care so far has included naproxen and chiropractic therapy (10 sessions completed).", CHIRO, 10),
        ("Chiropractic care x 14 visits was completed last spring.", CHIRO, 14),
        # the course's size as what it consisted of, a report of it, a share of a course
        ("His earlier acupuncture consisted of 9 treatments.", ACU, 9),
        ("The worker was documented to have attended a total of 22 physiotherapy sessions.", PT, 22),
        ("He described finishing eleven physical therapy visits before moving house.", PT, 11),
        ("By the last therapy report she had already reached her limit, having attended 20 PT visits.", PT, 20),
        ("According to the physiotherapy discharge note, he attended 7 of 10 planned visits.", PT, 7),
        ("She was certified for 10 acupuncture treatments and has since used 6.", ACU, 6),
        # a count coordinated after another therapy's, a range by its lower bound, seen a number of times
        ("She had 10 PT visits as well as 5 chiropractic sessions.", CHIRO, 5),
        ("He estimates he has had about 15-20 physical therapy visits.", PT, 15),
        ("She has been to the acupuncture clinic 7 times.", ACU, 7),
        ("He has been to the chiropractor 11 times since the fall.", CHIRO, 11),
        # the count done after the therapy, in parentheses with the outcome, the visit under way
        ("He keeps up with physiotherapy, with 9 visits now completed.", PT, 9),
        ("Acupuncture (5 sessions) gave her no lasting relief.", ACU, 5),
        ("The latest note records session 6 of 8 of physiotherapy.", PT, 6),
    ],
)
def test_visits_had_in_the_letters_register(sentence: str, item: str, visits: int) -> None:
    data = read(f"{INTRO} {sentence}", item)
    assert item_fact(data, "prior_visits_completed") == visits
    assert item_fact(data, "treatment_visits_total") == visits + item_fact(data, "requested_visits")


@pytest.mark.parametrize(
    ("sentence", "item"),
    [
        # a date, a date of service or a range of dates is never a count
        ("Care so far has included naproxen and chiropractic therapy (11/14/2016).", CHIRO),
        ("Chiropractic care was requested on 10/12/2016 and he was seen on 11/12/2016.", CHIRO),
        ("Physiotherapy, DOS 10-12-2016, was the last visit before the request.", PT),
        # another therapy's visits, another region's
        ("He has had 12 sessions of physical therapy.", CHIRO),
        ("She had 10 PT visits as well as 5 chiropractic sessions.", ACU),
        ("The injured worker received 12 chiropractic visits for the cervical spine.", CHIRO),
        # a request, a plan, UR's modification, the guideline's numbers
        ("The requested chiropractic care consisted of 12 visits.", CHIRO),
        ("Chiropractic treatment (6-8 visits) was requested on 10/12/2016.", CHIRO),
        ("She has been participating in physical therapy with 10 sessions requested.", PT),
        ("Physical therapy (12 sessions) was requested by the treating physician.", PT),
        ("Guidelines allow 18 chiropractic visits over 6-8 weeks.", CHIRO),
        ("The guidelines state that acupuncture (3-6 treatments) may produce functional improvement.", ACU),
        ("Utilization review noted he has had 12 chiropractic visits and modified the request.", CHIRO),
        # hedged, or expected rather than reported
        ("She is expected to have completed 6 physical therapy visits by then.", PT),
    ],
)
def test_not_visits_had_in_the_letters_register(sentence: str, item: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", item), "prior_visits_completed") is None


@pytest.mark.parametrize(
    ("rationale", "item"),
    [
        ("The claimant has attended 12 sessions of aquatic therapy without lasting benefit.", PT),
        ("She completed 10 physical therapy visits in 2015 with no change in function.", CHIRO),
        ("The patient underwent 6 acupuncture treatments last year.", PT),
        ("He has had 8 chiropractic adjustments since the injury.", ACU),
    ],
)
def test_the_items_own_count_of_another_therapy_is_not_its_visits(rationale: str, item: str) -> None:
    data = read(INTRO, item, rationale=rationale)
    assert item_fact(data, "prior_visits_completed") is None
    assert item_fact(data, "treatment_visits_total") is None


@pytest.mark.parametrize(
    ("rationale", "item", "visits"),
    [
        ("The claimant has attended 12 sessions of physical therapy without lasting benefit.", PT, 12),
        ("He has had 8 sessions to date with some improvement.", CHIRO, 8),  # no therapy named: the item's
        ("She completed 10 aquatic physical therapy visits in 2015.", PT, 10),
    ],
)
def test_the_items_own_count_of_its_therapy_stays(rationale: str, item: str, visits: int) -> None:
    assert item_fact(read(INTRO, item, rationale=rationale), "prior_visits_completed") == visits
