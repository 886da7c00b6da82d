"""Reading quantities, treatment history and status from letters written in other words than the
published ones: visit counts and spans of time in words and figures, prior visits, a treatment-history
list (a first course inferred, marked as such), a medication's status (new or continuing), the acute
phase (words and dates) and a primary procedure's status stated in prose. Every phrase goes through the
real extraction (letter parsing, sentences, context); a few letters go end to end through the CLI."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from imr_rules.cli import main
from imr_rules.reading.casefile import case_from_data
from imr_rules.reading.extract import extract_case
from imr_rules.reading.letter import parse_letter
from imr_rules.reading.patterns import load_patterns

from .conftest import RULES, bundled_library, bundled_patterns

LETTERS = Path(__file__).parent / "letters" / "quantities"

TEMPLATE = """Case Number: CM99-0002{n:03d}
Date Assigned: 12/01/2016 Date of Injury:  {injury}
Decision Date: 12/20/2016 UR Denial Date:  {ur}
Priority:  Standard Application
Received:
11/20/2016

HOW THE IMR FINAL DETERMINATION WAS MADE
MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no
affiliation with the employer, employee, providers or the claims administrator.

The Expert Reviewer has the following credentials:
State(s) of Licensure: California
Certification(s)/Specialty: Physical Medicine

CLINICAL CASE SUMMARY
The expert reviewer developed the following clinical case summary based on a review of the
case file, including all medical records:

{summary}

IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:

{item}: {decision}

Claims Administrator guideline: The Claims Administrator did not cite any medical evidence for its
decision.

MAXIMUS guideline: Decision based on MTUS.

Decision rationale: {rationale}
"""


def letter_text(
    summary: str,
    item: str = "Physical therapy for the lumbar spine",
    rationale: str = "The request is not medically necessary.",
    injury: str = "01/05/2015",
    ur: str = "11/10/2016",
    decision: str = "Upheld",
) -> str:
    return TEMPLATE.format(
        n=zlib.crc32((summary + item).encode()) % 1000,
        summary=summary,
        item=item,
        rationale=rationale,
        injury=injury,
        ur=ur,
        decision=decision,
    )


def read(summary: str, item: str = "Physical therapy for the lumbar spine", **kw: str) -> dict[str, Any]:
    """The case data the real extraction reads from a letter with this summary, item and rationale; it is
    validated as a case file too."""
    text = letter_text(summary, item, **kw)
    data = extract_case(parse_letter(text, "suite.txt"), text, bundled_library(), bundled_patterns()).to_data()
    case_from_data(data, bundled_library())
    return data


def item_fact(data: dict[str, Any], fact: str) -> Any:
    found = data["items"][0].get("facts", {}).get(fact)
    return None if found is None else found["value"]


def case_fact(data: dict[str, Any], fact: str) -> Any:
    found = data["facts"].get(fact)
    return None if found is None else found["value"]


INTRO = "This fictional injured worker is a 44 year old male warehouse worker with low back pain."


# --- visits requested, from the item's name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "visits"),
    [
        ("Physical therapy two (2) times a week for six (6) weeks for the lumbar spine", 12),
        ("Physical therapy 2x4 for the low back", 8),
        ("Physical therapy 2x/week x 4 weeks, lumbar", 8),
        ("Chiropractic manipulation x8 to the lumbar spine", 8),
        ("8 sessions of physical therapy to the low back", 8),
        ("Acupuncture to the low back, a course of 12", 12),
        ("Physical therapy twice weekly for six weeks, lumbar", 12),
        ("Physical therapy three times per week for four weeks (12) for the back", 12),
        ("Physical therapy eighteen (18) sessions for the lumbar spine", 18),
        ("Post-operative physical therapy 12-18 sessions", 18),
        ("Physical therapy 3 x 6 weeks for the lumbar spine", 18),
        ("Physical therapy 2 x week x 6 weeks, lumbar", 12),
        ("Additional physical therapy sessions 2xwk x 4wks lumbar", 8),
        ("Physical therapy, 2/week for 4 weeks, lumbar", 8),
        ("Physical therapy 12 (twelve) sessions, lumbar", 12),
        ("Physical therapy, a dozen sessions, lumbar", 12),
    ],
)
def test_requested_visits_in_words_and_figures(item: str, visits: int) -> None:
    assert item_fact(read(INTRO, item), "requested_visits") == visits


@pytest.mark.parametrize(
    "item",
    [
        "Physical therapy for the lumbar spine, DOS 10/12/2016",
        "Physical therapy 11/02/2016 - 12/01/2016 for the low back",
        "Physical therapy for the lumbar spine, claim 12-345678",
        "Physical therapy for the lumbar spine",
        "Physical therapy for the lumbar spine, 3.5 mg",
        "Physical therapy for the lumbar spine, call (555) 123-4567",
        "Physical therapy at 1234 Main Street, Suite 12",
        "Physical therapy 2/week for the lumbar spine, 10/12/2016",
        "Physical therapy for the lumbar spine from 2/4 to 3/4/2016",
    ],
)
def test_a_date_a_range_or_a_number_of_a_file_is_never_a_visit_count(item: str) -> None:
    assert item_fact(read(INTRO, item), "requested_visits") is None


# --- visits already completed, from the item's rationale -----------------------------------------------


@pytest.mark.parametrize(
    ("rationale", "visits"),
    [
        ("The patient has attended 18 sessions of physical therapy.", 18),
        ("She has completed twenty-four (24) visits to date.", 24),
        ("Eighteen sessions of physical therapy have been completed.", 18),
        ("Pain persists after 12 sessions of physical therapy.", 12),
        ("He has had six prior PT visits.", 6),
        ("The worker has been to 10 therapy visits so far.", 10),
        ("She has attended two dozen physical therapy visits to date.", 24),
        ("He has completed a dozen sessions of physical therapy.", 12),
        ("The patient has had half a dozen PT visits.", 6),
    ],
)
def test_prior_visits_completed(rationale: str, visits: int) -> None:
    assert item_fact(read(INTRO, rationale=rationale), "prior_visits_completed") == visits


@pytest.mark.parametrize(
    "rationale",
    [
        "The guidelines allow for 10 visits over 8 weeks.",  # a restated guideline
        "He had physical therapy on 10/12/2016.",  # a date
        "It is unclear whether the patient completed 12 sessions.",  # a hedge
        "The patient has not completed any sessions of therapy.",  # a negation
        "Utilization review modified the request to 6 visits.",  # UR's decision
    ],
)
def test_prior_visits_not_read_from_guidelines_dates_hedges_or_ur(rationale: str) -> None:
    assert item_fact(read(INTRO, rationale=rationale), "prior_visits_completed") is None


# --- spans of time -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "sentence", "value"),
    [
        ("activity_limitation_months", "Her activities have been limited by radiating leg pain for nine months.", 9.0),
        ("activity_limitation_months", "Radicular leg pain has restricted his work for longer than half a year.", 6.0),
        ("activity_limitation_months", "Activity has been limited by sciatica for over a year.", 12.0),
        ("activity_limitation_months", "Function has been limited by radiating leg pain for a year and a half.", 18.0),
        ("activity_limitation_months", "His daily living has been restricted by leg pain for the past 6 weeks.", 1.4),
        ("activity_modification_months", "She has been on modified duty for the past two (2) months.", 2.0),
        ("activity_modification_months", "He completed three months of activity modification.", 3.0),
        ("activity_modification_months", "Work restrictions have been in place for over four months.", 4.0),
        ("joint_activity_limitation_months", "Her activity has been limited by the pain for 5 months.", 5.0),
        ("joint_activity_limitation_months", "He has had activity limitations for more than half a year.", 6.0),
        # a span by its start, dated from the request (UR 11/10/2016): the latest day the words allow
        ("activity_limitation_months", "Activity has been limited by radiating leg pain since the spring.", 8.3),
        ("activity_limitation_months", "Activity has been limited by sciatica since 10/12/2016.", 1.0),
        ("joint_activity_limitation_months", "His activities have been restricted since March 2016.", 7.4),
        ("joint_activity_limitation_months", "Her function has been limited since 2015.", 10.3),
        ("activity_modification_months", "He has been on modified duty since the summer.", 5.3),
        # "since the injury": from the header's date of injury (01/05/2015)
        ("activity_limitation_months", "Activity has been limited by sciatica since the injury.", 22.2),
        ("chronic_pain_3_months", "She has had low back pain for over a year.", True),
        ("chronic_pain_3_months", "The neck pain has been present for eight months.", True),
        ("chronic_pain_3_months", "The symptoms have lasted for two (2) years.", True),
    ],
)
def test_spans_of_time_in_words_and_figures(fact: str, sentence: str, value: object) -> None:
    assert case_fact(read(f"{INTRO} {sentence}"), fact) == value


@pytest.mark.parametrize(
    ("fact", "sentence"),
    [
        ("activity_limitation_months", "Activity has been limited by sciatica for less than two months."),
        ("activity_limitation_months", "Activity was limited by sciatica on 10/12/2016."),
        ("activity_limitation_months", "Activity has been limited by sciatica since the MRI."),
        ("activity_limitation_months", "Activity has been limited by sciatica since 12/01/2016."),  # after the request
        ("activity_limitation_months", "Activity has not been limited by leg pain for nine months."),
        (
            "activity_limitation_months",
            "Guidelines recommend referral when activity has been limited by radiating leg pain for over a month.",
        ),
        ("activity_modification_months", "Activity modification for at least two months is recommended by guidelines."),
        # (a span under three months is read: false, tests/test_reading_suites.py)
        ("chronic_pain_3_months", "She has had low back pain for almost three months."),
        ("chronic_pain_3_months", "The pain began on 10/12/2015."),
    ],
)
def test_spans_not_read_from_upper_bounds_dates_negations_or_guidelines(fact: str, sentence: str) -> None:
    # no date of injury: the words alone (an injury long before the request documents pain of three months)
    assert case_fact(read(f"{INTRO} {sentence}", injury=""), fact) is None


# --- treatment history: a list that does not name the therapy makes the request a first course ---------


@pytest.mark.parametrize(
    "history",
    [
        "Prior care: naproxen, a week off work and a lumbar brace.",
        "Treatment to date has included medications, a home exercise handout and activity modification.",
        "Previous treatments consisted of ibuprofen and a lumbar support.",
        "He has been treated conservatively with anti-inflammatory medication and rest.",
        "Conservative care has included a back brace and over-the-counter analgesics.",
    ],
)
def test_a_history_list_without_the_therapy_infers_a_first_course(history: str) -> None:
    data = read(f"{INTRO} {history}", "Physical therapy 2 times a week for 4 weeks for the lumbar spine")
    fact = data["items"][0]["facts"]["prior_course_completed"]
    assert fact["value"] is False
    assert fact["inferred"] is True
    assert [e["quote"] for e in fact["evidence"]] == [history]


@pytest.mark.parametrize(
    ("history", "item"),
    [
        (
            "Treatment to date has included medications and physical therapy.",
            "Physical therapy 2x4 for the lumbar spine",
        ),
        ("Prior care: naproxen, six PT visits and a brace.", "Physical therapy 2x4 for the lumbar spine"),
        (
            "Previous treatments included chiropractic adjustments and medications.",
            "Chiropractic care x6 to the low back",
        ),
        ("Treatment to date includes acupuncture and topical creams.", "Acupuncture 6 sessions for the low back"),
        ("Past treatment has included physiotherapy and a TENS unit.", "Physical therapy 2x4 for the lumbar spine"),
    ],
)
def test_a_history_list_naming_the_therapy_documents_a_prior_course(history: str, item: str) -> None:
    fact = read(f"{INTRO} {history}", item)["items"][0]["facts"]["prior_course_completed"]
    assert fact["value"] is True
    assert "inferred" not in fact


@pytest.mark.parametrize(
    "summary",
    [
        # the therapy had, stated outside the list: nothing is inferred
        "Prior care: naproxen and a brace. She attended physical therapy in the spring.",
        # "therapy" unqualified in the list: which therapy is not said
        "Treatment to date has included medications and therapy.",
        # a restated guideline is not the patient's history
        "Guidelines state that prior care should include medications and a home exercise program.",
        # no list at all
        "The patient reports ongoing low back pain.",
    ],
)
def test_no_first_course_is_inferred_without_a_clear_list(summary: str) -> None:
    data = read(f"{INTRO} {summary}", "Physical therapy 2 times a week for 4 weeks for the lumbar spine")
    fact = data["items"][0].get("facts", {}).get("prior_course_completed")
    assert fact is None or fact.get("inferred") is not True


def test_the_item_saying_additional_therapy_wins_over_the_list() -> None:
    data = read(f"{INTRO} Prior care: naproxen and a brace.", "Additional physical therapy 2x4 for the lumbar spine")
    fact = data["items"][0]["facts"]["prior_course_completed"]
    assert fact["value"] is True and "inferred" not in fact


def test_an_inferred_first_course_is_shown_in_the_evaluation_and_can_be_overruled(tmp_path: Path) -> None:
    """End to end: extract, evaluate (text and JSON show the inference), then a person overrules it."""
    path = tmp_path / "first_course.txt"
    path.write_text(
        letter_text(
            f"{INTRO} Prior care: naproxen, a week off work and a lumbar brace.",
            "Physical therapy 2 times a week for 4 weeks for the lumbar spine",
            rationale="The request is medically necessary.",
            decision="Overturned",
        )
    )
    runner = CliRunner()
    case = tmp_path / "case.yaml"
    assert runner.invoke(main, ["extract", str(path), "-o", str(case)]).exit_code == 0
    assert "inferred: true" in case.read_text()
    text = runner.invoke(main, ["evaluate", str(case), "--explain"])
    assert "prior_course_completed = false  (inferred, not stated: check it)" in text.output
    assert "Determination: OVERTURNED" in text.output
    report = json.loads(runner.invoke(main, ["evaluate", str(case), "--format", "json"]).output)
    used = [f for d in report["determinations"] for c in d["criteria"] for f in c["facts"]]
    assert any(f["name"] == "prior_course_completed" and f["inferred"] is True for f in used)
    # a person who knows the patient had therapy overrules the inference in the case file
    data = yaml.safe_load(case.read_text())
    data["items"][0]["facts"]["prior_course_completed"] = {"value": True, "evidence": "the clinic's own records"}
    case.write_text(yaml.safe_dump(data))
    assert "Determination: UPHELD" in runner.invoke(main, ["evaluate", str(case), "--explain"]).output


# --- medication status: new or continuing ----------------------------------------------------------------

MUSCLE_RELAXANT = "Cyclobenzaprine 7.5mg #60"


@pytest.mark.parametrize(
    "sentence",
    [
        "Current medications include Norco, Cyclobenzaprine and Prilosec.",
        "He has been taking cyclobenzaprine since 2015.",
        "The patient continues to take cyclobenzaprine at night.",
        "The provider requested a refill of cyclobenzaprine.",
        "She remains on cyclobenzaprine for spasm.",
        "His medications were noted to include gabapentin and cyclobenzaprine.",
        "He has used cyclobenzaprine for at least six months.",
        "He continues cyclobenzaprine 7.5 mg at bedtime.",
        "Renewal of his cyclobenzaprine prescription was requested.",
        "She has used cyclobenzaprine chronically for spasm.",
        "He had tried cyclobenzaprine after the injury.",
    ],
)
def test_a_continuing_medication(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", MUSCLE_RELAXANT), "medication_previously_used") is True


@pytest.mark.parametrize(
    "sentence",
    [
        "He was started on cyclobenzaprine at this visit.",
        "As this is a request for a trial of cyclobenzaprine, a refill is not needed.",
        "The provider recommended a trial of cyclobenzaprine for the spasm.",
        "This is the first prescription of cyclobenzaprine.",
        "Cyclobenzaprine was newly prescribed for the acute flare.",
        "The physician initiated cyclobenzaprine for muscle spasm.",
        "Cyclobenzaprine was first prescribed at this visit.",
        "Cyclobenzaprine is a new medication for him.",
    ],
)
def test_a_new_medication(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", MUSCLE_RELAXANT), "medication_previously_used") is False


@pytest.mark.parametrize(
    "sentence",
    [
        "Cyclobenzaprine 7.5mg #60 with one refill was requested.",  # a refill granted with a new prescription
        # negated with no word of "ever": says neither ("has not taken it before" is never taken, a first use)
        "He has not taken cyclobenzaprine today.",
        "Cyclobenzaprine is not recommended for longer than 2 to 3 weeks.",  # the guideline
        "Cyclobenzaprine is not indicated for long-term use.",  # the guideline, negated: not a first course
        "He was started on cyclobenzaprine in 2014 and has been taking cyclobenzaprine daily.",  # started long ago
        "Cyclobenzaprine was first prescribed in 2014.",  # a first prescription long ago is not a new drug
    ],
)
def test_medication_status_not_read_from_requests_negations_guidelines_or_other_drugs(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", MUSCLE_RELAXANT), "medication_previously_used") in (None, True)
    if "not taken" in sentence or "with one refill" in sentence:
        assert item_fact(read(f"{INTRO} {sentence}", MUSCLE_RELAXANT), "medication_previously_used") is None


@pytest.mark.parametrize(
    ("item", "sentence", "value"),
    [
        ("Flexeril 7.5mg #60", "He has been taking cyclobenzaprine since 2015.", True),
        ("Norco 10/325mg #90", "Current medications include hydrocodone/APAP and ibuprofen.", True),
        ("Lyrica 75mg #60", "She was started on pregabalin at this visit.", False),
        # the item's own name says it is continued
        ("Cyclobenzaprine 7.5mg #60 (continued)", "He has back spasm.", True),
        ("Cyclobenzaprine 7.5mg #60, renewal", "He has back spasm.", True),
    ],
)
def test_the_drug_by_its_generic_or_brand_name(item: str, sentence: str, value: bool) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", item), "medication_previously_used") is value


def test_new_and_continuing_both_stated_leave_the_status_out_with_a_warning() -> None:
    data = read(
        f"{INTRO} She was started on cyclobenzaprine. Current medications include cyclobenzaprine.", MUSCLE_RELAXANT
    )
    assert item_fact(data, "medication_previously_used") is None
    assert any("new and continuing" in w for w in data["extraction"]["warnings"])


# --- acute or chronic phase: dates and words ---------------------------------------------------------------


def test_the_phase_from_the_injury_and_request_dates_is_inferred_with_the_dates_as_evidence() -> None:
    acute = read(INTRO, injury="09/20/2016", ur="11/10/2016")["facts"]["acute_phase"]
    assert acute["value"] is True and acute["inferred"] is True
    assert any("09/20/2016" in e["quote"] for e in acute["evidence"])
    assert any("11/10/2016" in e["quote"] for e in acute["evidence"])
    chronic = read(INTRO, injury="01/05/2015", ur="11/10/2016")["facts"]["acute_phase"]
    assert chronic["value"] is False and chronic["inferred"] is True


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("He was seen ten days after the ankle sprain.", True),
        ("The MRI was requested two weeks following the work injury.", True),
        ("She presented 3 days after the fall.", True),
        ("He is now four months after the injury.", False),
        ("She was evaluated a year after the accident.", False),
        ("He presents with a fresh injury to the low back.", True),
        ("The injury occurred five days ago.", True),
        ("He has longstanding low back pain.", False),
        ("The condition is long-standing.", False),
    ],
)
def test_the_phase_from_words_without_dates(sentence: str, value: bool) -> None:
    text = letter_text(f"{INTRO} {sentence}").replace("Date of Injury:  01/05/2015", "Date of Injury:")
    data = extract_case(parse_letter(text, "suite.txt"), text, bundled_library(), bundled_patterns()).to_data()
    assert data["facts"]["acute_phase"]["value"] is value
    assert "inferred" not in data["facts"]["acute_phase"]


def test_words_that_contradict_the_dates_leave_the_phase_out_with_a_warning() -> None:
    data = read(f"{INTRO} He was seen ten days after the ankle sprain.", injury="01/05/2015", ur="11/10/2016")
    assert "acute_phase" not in data["facts"]
    assert any("acute_phase" in w for w in data["extraction"]["warnings"])


@pytest.mark.parametrize(
    "sentence",
    [
        "Guidelines support this within two weeks of the injury.",  # a restated guideline ("within")
        "He was seen more than ten days after the injury.",  # a lower bound says nothing of the phase
        "The follow-up is planned for the next two weeks.",  # no injury named
        "A fresh injury should be treated conservatively.",  # a guideline's advice
        "She denied any recent injury.",  # denying a new injury says nothing of the phase
    ],
)
def test_the_phase_not_read_from_guidelines_or_bounds(sentence: str) -> None:
    text = letter_text(f"{INTRO} {sentence}").replace("Date of Injury:  01/05/2015", "Date of Injury:")
    data = extract_case(parse_letter(text, "suite.txt"), text, bundled_library(), bundled_patterns()).to_data()
    assert "acute_phase" not in data["facts"]


# --- a primary procedure's status stated in prose -----------------------------------------------------------

POSTOP = "Post-operative physical therapy 2 times a week for 4 weeks"


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("A lumbar fusion was requested. The fusion was approved on appeal.", "certified"),
        ("A rotator cuff repair is planned. The repair has been authorized and is set for next month.", "certified"),
        ("A discectomy was recommended. The surgery is pending authorization.", "not_established"),
        ("A lumbar fusion was requested. The surgery was denied by utilization review.", "non_certified"),
        ("A knee arthroscopy was requested. Utilization review non-certified the arthroscopy.", "non_certified"),
        ("A laminectomy was requested. Authorization for the surgery was received last week.", "certified"),
        ("A lumbar fusion was requested. The surgery has not yet been approved.", "not_established"),
        ("A lumbar fusion was requested and subsequently denied.", "non_certified"),
        ("A knee arthroscopy was requested. The arthroscopy was found medically necessary at IMR.", "certified"),
        ("Surgery was recommended. There is no documentation that the surgery has been authorized.", "not_established"),
        ("A discectomy was requested. It is unclear whether the surgery was approved.", "not_established"),
        ("A knee arthroscopy was proposed. The surgery has been judged necessary by the reviewer.", "certified"),
    ],
)
def test_primary_status_in_prose(sentence: str, status: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", POSTOP), "primary_status") == status


@pytest.mark.parametrize(
    "sentence",
    [
        "A lumbar fusion was requested. The post-operative therapy was denied.",  # the dependent item's own status
        "A lumbar fusion was requested. If the surgery is approved, therapy will follow.",  # a hypothetical
        "A lumbar fusion was requested. The patient was approved for modified duty; the surgery date is not set.",
        "A discectomy was proposed. The surgery has not been found necessary.",  # negated
        "A discectomy was proposed. Surgery is considered necessary only with a lesion on imaging.",  # a guideline
    ],
)
def test_primary_status_not_read_from_other_items_or_hypotheticals(sentence: str) -> None:
    assert item_fact(read(f"{INTRO} {sentence}", POSTOP), "primary_status") is None


# --- end to end: `imr-rules check` on letters written for the suite ---------------------------------------


@pytest.mark.parametrize(
    ("name", "fact", "value", "section"),
    [
        ("first_course_from_history.txt", "prior_course_completed", False, "summary"),
        ("postop_after_fusion_approved_on_appeal.txt", "primary_status", "certified", "summary"),
        ("muscle_relaxant_continued.txt", "medication_previously_used", True, "summary"),
    ],
)
def test_check_on_letters_written_for_the_suite(name: str, fact: str, value: object, section: str) -> None:
    path = LETTERS / name
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    # no error: consistent, or (an item no rule decides) neither confirmed nor contradicted
    verdict = result.output.splitlines()[0].removeprefix(f"{path}: ")
    assert verdict.startswith(("consistent", "neither confirmed nor contradicted")), verdict
    text = path.read_text()
    data = extract_case(parse_letter(text, str(path)), text, bundled_library(), bundled_patterns()).to_data()
    read = data["items"][0]["facts"][fact]
    assert read["value"] == value
    assert read["evidence"][0]["section"] == section
    for ev in read["evidence"]:
        assert " ".join(text[ev["start"] : ev["end"]].split()) == ev["quote"]


@pytest.mark.parametrize(
    ("summary", "value"),
    [
        ("She attended physical therapy for the back last year.", True),
        ("Additional physical therapy was sought after the sessions ended.", True),
        ("There is no previous physical therapy noted.", False),
        ("Treatment to date has included no prior physical therapy and medications.", False),
        ("He has never had physical therapy sessions for this injury.", False),
    ],
)
def test_a_prior_course_stated_outside_the_item(summary: str, value: bool) -> None:
    fact = read(f"{INTRO} {summary}", "Physical therapy 2x4 for the lumbar spine")["items"][0]["facts"][
        "prior_course_completed"
    ]
    assert fact["value"] is value
    assert "inferred" not in fact


def test_a_prior_course_of_another_therapy_is_not_this_ones() -> None:
    data = read(f"{INTRO} She attended physical therapy last year.", "Acupuncture 6 sessions for the low back")
    assert item_fact(data, "prior_course_completed") is None


@pytest.mark.parametrize(
    ("rationale", "item", "total"),
    [
        ("She has completed 6 sessions of physical therapy.", "Physical therapy 2x4 for the lumbar spine", 14),
        ("The worker has attended twelve (12) visits to date.", "Physical therapy x6 for the lumbar spine", 18),
    ],
)
def test_the_course_total_is_the_visits_done_plus_the_visits_requested(rationale: str, item: str, total: int) -> None:
    fact = read(INTRO, item, rationale=rationale)["items"][0]["facts"]["treatment_visits_total"]
    assert fact["value"] == total
    assert {e["section"] for e in fact["evidence"]} == {"item_name", "item_rationale"}


def test_a_first_course_total_is_the_request_and_inferred_with_its_inference() -> None:
    data = read(f"{INTRO} Prior care: naproxen and a brace.", "Physical therapy 2x4 for the lumbar spine")
    fact = data["items"][0]["facts"]["treatment_visits_total"]
    assert fact["value"] == 8 and fact["inferred"] is True


@pytest.mark.parametrize(
    ("rationale", "value"),
    [
        ("The patient has been on chronic opioid therapy for at least 6 months.", True),
        ("The worker continues to take the medication nightly.", True),
        ("He has used this medication for several months.", True),
        ("The request is for a renewal of the prescription.", True),
        ("The patient has not taken this medication before.", False),
        ("As this is a request for a trial of the medication, the refills are excessive.", False),
        ("This is the first prescription of the medication.", False),
        ("This medication is not indicated for long-term use.", None),
        ("It is unclear whether this is a first prescription or continued use.", None),
    ],
)
def test_medication_status_in_the_items_own_rationale(rationale: str, value: object) -> None:
    assert item_fact(read(INTRO, MUSCLE_RELAXANT, rationale=rationale), "medication_previously_used") is value


def test_an_unknown_pattern_fragment_is_a_located_error(tmp_path: Path) -> None:
    import shutil

    from imr_rules.errors import RuleLibraryError

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    requests = rules / "extraction" / "requests.yaml"
    requests.write_text(requests.read_text().replace("{{per_week}}", "{{per_wek}}", 1))
    with pytest.raises(RuleLibraryError) as raised:
        load_patterns(rules)
    assert "unknown pattern fragment '{{per_wek}}'" in str(raised.value)
    assert "requests.yaml" in str(raised.value) and ":" in str(raised.value.location)


@pytest.mark.parametrize(
    ("item", "days"),
    [
        ("Cold therapy unit rental for two (2) weeks", 14),
        ("Vascutherm 30-day rental", 30),
        ("Game Ready unit for fourteen days", 14),
        ("Polar care unit for a month", 30),
        ("Cold therapy unit one-month rental", 30),
    ],
)
def test_days_of_use_in_words_and_figures(item: str, days: int) -> None:
    data = read(f"{INTRO} A lumbar fusion was requested.", item)
    assert item_fact(data, "requested_days") == days


@pytest.mark.parametrize("item", ["Cold therapy unit purchase", "Cold therapy unit, DOS 11/12/2016"])
def test_no_days_of_use_from_a_purchase_or_a_date(item: str) -> None:
    assert item_fact(read(f"{INTRO} A lumbar fusion was requested.", item), "requested_days") is None


def test_check_html_and_json_show_the_inference() -> None:
    path = str(LETTERS / "first_course_from_history.txt")
    html = CliRunner().invoke(main, ["check", path, "--format", "html"]).output
    assert "inferred, not stated: check it" in html
    report = json.loads(CliRunner().invoke(main, ["check", path, "--format", "json"]).output)
    assert '"inferred": true' in json.dumps(report)
