"""Surgery already done, opioid monitoring and absence statements, read as kinds (issue 12).

- A post-operative course's surgery stated as done ("underwent", "status post", "following her ... repair",
  "... was performed on"): its primary procedure, its status (certified, inferred: the surgery was done),
  the postsurgical period and the therapy visits counted after the surgery; never a surgery planned,
  denied, negated or restated, never a drug as a surgery's primary, never visits before the surgery.
- Opioid monitoring written as a note's labelled lines ("Analgesia: ...", "Adverse effects: none") or said
  plainly absent by the notes themselves; drug tests and CURES as labelled lines; no drug test in the year.
- One sentence denying a whole list of GI risks, and one NSAID at a standard dose.

Every sentence is invented from the guidelines' vocabulary (MTUS Postsurgical Treatment Guidelines, Opioids
Treatment Guidelines 2016 3.3, CPMTG NSAIDs) and clinical charting, never from a letter. Each goes through
the real reader (`extract_text`), in a letter made around it.
"""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules.models.extracted import ExtractedLetter
from imr_rules.reading.extract import extract_text

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text
from .test_reading_suites import INTRO, Suite

WRIST_OT = "Post-operative occupational therapy x6 for the right wrist"
KNEE_PT = "Post-op physical therapy 2x4 for the left knee"
SHOULDER_PT = "Postoperative physical therapy 12 sessions for the right shoulder"
LUMBAR_PT = "Post-operative physical therapy x8 for the lumbar spine"


def _read(summary: str, item: str, **letter: str) -> ExtractedLetter:
    text = letter_text(f"{INTRO} {summary}", item, **letter)
    return extract_text(text, "postop.txt", bundled_library(), bundled_patterns())


def _fact(data: ExtractedLetter, fact: str, index: int = 0) -> Any:
    found = data.items[index].facts.get(fact)
    return None if found is None else found.value


# --- surgery already done -----------------------------------------------------------------------------------

# (summary, item, primary_procedure, post-operative visits counted after the surgery or None)
DONE = [
    (
        "She underwent a right carpal tunnel release on 3/4/2016 and has had 6 therapy visits since.",
        WRIST_OT,
        "carpal_tunnel_release",
        6,
    ),
    (
        "He is status post left knee arthroscopy with partial medial meniscectomy on 02/10/2016.",
        KNEE_PT,
        "knee_arthroscopy",
        None,
    ),
    (
        "Following her rotator cuff repair on 01/05/2016 she attended eight sessions of physical therapy.",
        SHOULDER_PT,
        "shoulder_arthroscopy",
        8,
    ),
    (
        "An L4-5 microdiscectomy was performed on 05/02/2016. He then completed ten therapy visits.",
        LUMBAR_PT,
        "discectomy",
        10,
    ),
    ("S/p right total knee replacement in April 2016, now with stiffness.", KNEE_PT, "knee_arthroplasty", None),
    ("She has undergone a lumbar fusion at L5-S1 in March 2016.", LUMBAR_PT, "fusion", None),
    (
        "Surgery: right CTR 02/15/2016. Since then she has completed 4 sessions of hand therapy.",
        WRIST_OT,
        "carpal_tunnel_release",
        4,
    ),
    ("She is eight weeks after an arthroscopic RCR of the right shoulder.", SHOULDER_PT, "shoulder_arthroscopy", None),
    ("Past surgical history: C5-6 ACDF in 2015.", "Post-op physical therapy x6 for the neck", "fusion", None),
    (
        "He had a left total knee arthroplasty on 03/01/2016 and has attended 12 physical therapy visits since.",
        KNEE_PT,
        "knee_arthroplasty",
        12,
    ),
    (
        "He is six weeks post-op from a left hemilaminotomy and discectomy at L5-S1.",
        LUMBAR_PT,
        "discectomy",
        None,
    ),
    # no article, a gerund, a passive "operated on", a history heading in prose, "took place", a participle
    ("He had arthroscopic surgery of the right shoulder on 05/01/2016.", SHOULDER_PT, "shoulder_arthroscopy", None),
    ("She had right carpal tunnel release surgery on 05/01/2016.", WRIST_OT, "carpal_tunnel_release", None),
    ("After undergoing a left knee arthroscopy on 05/01/2016, she began therapy.", KNEE_PT, "knee_arthroscopy", None),
    ("He was operated on with an L5-S1 discectomy on 05/01/2016.", LUMBAR_PT, "discectomy", None),
    (
        "Surgical treatment consisted of a right carpal tunnel release on 05/01/2016.",
        WRIST_OT,
        "carpal_tunnel_release",
        None,
    ),
    ("His L4-5 laminectomy took place on 05/01/2016.", LUMBAR_PT, "laminectomy", None),
    ("The left knee arthroscopy, performed on 05/01/2016, was uncomplicated.", KNEE_PT, "knee_arthroscopy", None),
    ("She is now six weeks out from a left knee arthroscopy.", KNEE_PT, "knee_arthroscopy", None),
]


@pytest.mark.parametrize(("summary", "item", "procedure", "visits"), DONE, ids=[d[0][:50] for d in DONE])
def test_a_surgery_already_done_is_the_post_operative_course_primary(
    summary: str, item: str, procedure: str, visits: int | None
) -> None:
    data = _read(summary, item)
    assert data.items[0].service == "postop_pt"
    assert _fact(data, "primary_procedure") == procedure
    status = data.items[0].facts["primary_status"]
    assert status.value == "certified" and status.inferred  # done, so authorised: a person confirms it
    assert _fact(data, "postsurgical_period") is True
    assert _fact(data, "prior_postop_visits") == visits
    if visits is not None:
        assert _fact(data, "prior_visits_completed") == visits


# a surgery planned, requested, denied, negated, hedged or restated is not one done
NOT_DONE = [
    "She is scheduled to undergo a right carpal tunnel release next month.",
    "She has not undergone a carpal tunnel release.",
    "A carpal tunnel release was recommended, but she has declined surgery so far.",
    "Guidelines allow three to eight visits after a carpal tunnel release.",
    "A right carpal tunnel release was requested and denied by utilization review.",
    "If she undergoes a carpal tunnel release, therapy would follow.",
    "She underwent physical therapy and splinting for the wrist.",
    "The surgeon would proceed with a carpal tunnel release once the nerve study is repeated.",
    "Surgery: a right carpal tunnel release is planned.",
    "She is a candidate for a carpal tunnel release in the coming weeks.",
    "Three weeks after the nerve study, a carpal tunnel release was requested.",
    "She had no carpal tunnel release so far; splinting continues.",
    "She had right wrist pain and a carpal tunnel release was recommended.",
    "After undergoing a nerve study, she was offered a carpal tunnel release.",
    "After having a cortisone injection, she was advised to have a carpal tunnel release if symptoms persist.",
    "The consultation took place on 05/01/2016 and a carpal tunnel release was proposed.",
    "A carpal tunnel release will take place next month.",
]


@pytest.mark.parametrize("summary", NOT_DONE)
def test_a_surgery_not_done_is_not_read_as_done(summary: str) -> None:
    data = _read(summary, WRIST_OT)
    status = data.items[0].facts.get("primary_status")
    assert status is None or not status.inferred, status  # never "done, so certified"
    assert _fact(data, "postsurgical_period") is None
    assert _fact(data, "prior_postop_visits") is None


def test_visits_before_the_surgery_are_not_post_operative() -> None:
    data = _read(
        "After twelve sessions of physical therapy failed, she underwent a right carpal tunnel release on 3/4/2016.",
        WRIST_OT,
    )
    assert _fact(data, "primary_procedure") == "carpal_tunnel_release"
    assert _fact(data, "prior_postop_visits") is None


def test_a_stated_status_wins_over_the_surgery_being_done() -> None:
    data = _read(
        "He underwent a left knee arthroscopy on 02/10/2016. The arthroscopy was certified by utilization review.",
        KNEE_PT,
    )
    status = data.items[0].facts["primary_status"]
    assert status.value == "certified" and not status.inferred


def test_a_pre_operative_test_never_takes_a_past_surgery_as_its_primary() -> None:
    data = _read("She underwent a lumbar fusion at L4-5 in 2012.", "Pre-operative labs: CBC and BMP")
    assert data.items[0].service == "preop_labs"
    assert _fact(data, "primary_status") is None
    assert _fact(data, "postsurgical_period") is None


POSTOP_NAMES = [
    "Post-operative occupational therapy x4 right wrist",
    "Post-op OT 2x3 for the left hand",
    "Postoperative hand therapy 8 visits",
    "Post-surgical occupational therapy for the right thumb",
    "Occupational therapy post-op right wrist x6",
    "Physical therapy following surgery to the right knee, 12 sessions",
]


@pytest.mark.parametrize("name", POSTOP_NAMES)
def test_post_operative_occupational_or_hand_therapy_is_post_operative_therapy(name: str) -> None:
    from imr_rules.reading.requests import classify

    assert classify(name, bundled_patterns()) == "postop_pt"


def _two_items(summary: str, first: str, second: str) -> ExtractedLetter:
    text = letter_text(f"{INTRO} {summary}", first).replace(
        "\nDecision rationale: The request is not medically necessary.\n",
        "\nDecision rationale: The request is not medically necessary.\n\n"
        f"{second}: Upheld\n\nClaims Administrator guideline: Decision based on MTUS.\n\n"
        "MAXIMUS guideline: Decision based on MTUS.\n\nDecision rationale: The request is not medically necessary.\n",
        1,
    )
    return extract_text(text, "two.txt", bundled_library(), bundled_patterns())


def test_a_drug_is_never_a_surgery_dependents_primary() -> None:
    data = _two_items(
        "He underwent a left knee arthroscopy on 02/10/2016.",
        "Naproxen 550mg #60",
        "Post-op physical therapy x8 left knee",
    )
    assert [it.service for it in data.items] == ["nsaid", "postop_pt"]
    assert data.items[1].primary != "Naproxen 550mg #60"
    assert _fact(data, "primary_procedure", 1) == "knee_arthroscopy"


def test_a_surgery_is_never_a_proton_pump_inhibitors_primary() -> None:
    data = _two_items("She takes naproxen daily.", "Lumbar fusion at L4-5", "Omeprazole 20mg #30")
    assert [it.service for it in data.items] == ["lumbar_fusion", "gi_protection"]
    assert data.items[1].primary is None
    assert _fact(data, "primary_procedure", 1) is None


def test_a_conclusion_about_the_ppi_is_not_its_nsaids_status() -> None:
    data = _read(
        "She takes naproxen. Continued use of NSAIDs is not appropriate and therefore, the continued need for"
        " omeprazole is not medically necessary.",
        "Omeprazole 20mg #30",
    )
    assert _fact(data, "primary_status") == "not_established"


# --- opioid monitoring, drug tests and absence statements (suites counted by the audit) ----------------------

OXY = "Oxycodone 10mg #60"
TOX = "Urine toxicology screen"
PPI = "Pantoprazole 20mg #60"

SUITES: list[Suite] = [
    # MTUS Opioids TG 2016 3.3.9: the four A's written as the note's labelled lines, or the notes' own silence
    Suite(
        "opioid_monitoring_documented",
        OXY,
        read=(
            "The visit note is laid out by domain. Analgesia: 7/10 before a dose, 3/10 after it. Activity: walks"
            " his dog daily. Adverse effects: none. Aberrant behavior: none.",
            "Pain level: 8/10 without, 5/10 with the medication. Side effects: mild constipation. Aberrant"
            " drug-related behaviors: none observed.",
            "Pain scores: 9/10 before and 4/10 after. Adverse reactions: nausea, resolved. Aberrant behaviours:"
            " denied.",
            "Analgesia: good, 50% relief. Adverse events: none. Drug-seeking behavior: negative.",
            "Pain relief: from 8/10 to 4/10. Adverse effects: drowsiness in the morning. Aberrant behavior: nil.",
            # one template sentence across semicolons, the adverse effects by name, the registry as the
            # aberrant-behaviour domain (issue 12)
            "Each refill note reads alike: pain 7/10 off and 3/10 on the drug; he gardens with it; no nausea or"
            " drowsiness; no lost scripts; PDMP checked and consistent.",
            "At every visit pain falls from 9/10 to 5/10; only mild constipation; the CURES report was reviewed"
            " with no concerns.",
            "Monthly: pain 6/10 with tramadol versus 9/10 without; denies sedation; urine drug screen of 4/2016"
            " consistent.",
        ),
        negated=(
            "Her monthly notes do not mention her pain levels with or without the medication, or side effects.",
            "His prescriber's notes did not record any pain score, what he can do on the drug, or side effects.",
            "The monthly notes give no pain score with or without the drug and no comment on side effects.",
            "The progress notes record no pain levels before or after a dose.",
            "The visits document no assessment of the four A's.",
            "His physician's notes contain no monitoring of the opioid.",
            "The records include no VAS score with and without the medication.",
        ),
        undocumented=(
            "There is no documentation of the four A's.",
            "Adverse effects: none.",
            "Pain scores: 8/10.",
            "The records do not document pain levels, side effects or aberrant drug-taking behavior.",
        ),
        hedged=(
            "Analgesia, side effects and aberrant behavior will be assessed at the next visit.",
            "Pain scores, constipation and the CURES report will be reviewed at each future visit.",
        ),
        restated=("a. Analgesia: meaningful relief. b. Activity: improved function. c. Adverse effects: tolerable.",),
    ),
    # MTUS Opioids TG 2016 3.3.3: CURES, drug test and agreement as labelled lines
    Suite(
        "opioid_safety_checks",
        OXY,
        read=(
            "CURES: reviewed 10/2016. UDS: consistent 9/2016. Opioid agreement: signed.",
            "PDMP: checked, single prescriber. Urine drug test: negative for illicits. Pain contract: on file.",
            "UDS 5/2016: consistent. CURES 6/2016: reviewed. Opioid agreement: signed 2015.",
            "CURES report: consistent. Drug screen: performed 08/2016. Opioid treatment agreement: signed 2015.",
            "The CURES report shows a single prescriber. Urine toxicology: consistent. Narcotic contract: signed.",
            "Prescription monitoring report: reviewed. UDT: completed in June. Medication agreement: in place.",
            # recorded with its result in one sentence (issue 12)
            "Before the trial the doctor documented a PDMP report compatible with his prescriptions, a negative"
            " initial urine drug screen and a signed pain agreement.",
            "He recorded a CURES report consistent with a single prescriber, a consistent baseline UDS and a"
            " signed opioid contract.",
        ),
        negated=(
            # the records' own absence statements (issue 12)
            "CURES: reviewed. No urine drug screen on file. Opioid agreement: signed.",
            "CURES: reviewed. UDS: consistent. No pain agreement.",
            "She has been on the opioid for a year; no UDS, PDMP report or narcotic contract is in the chart.",
            "CURES: reviewed. UDS: not done. Opioid agreement: signed.",
            "CURES: not checked. UDS: consistent. Pain contract: on file.",
            "CURES: reviewed. Urine drug screen: consistent. Opioid agreement: not signed.",
            "UDS: never performed.",
            "The CURES report was not reviewed.",
        ),
        undocumented=(
            "CURES: reviewed.",
            "There is no documentation of a urine drug screen or a CURES review.",
            "No UDS abnormalities were found.",
        ),
        hedged=("A urine drug screen will be collected and a pain agreement signed at the next visit.",),
        restated=("Utilization review noted no urine drug screen on file and no opioid agreement.",),
    ),
    # MTUS Opioids TG 2016 3.3.6: no test in the twelve months before the request
    Suite(
        "udt_tests_past_12_months",
        TOX,
        read=(
            "Two urine toxicology screens were done in the past year.",
            "She has had two drug screens within the last twelve months.",
            "Urine tests were performed two times in the past 12 months.",
            "He had 2 UDTs during the previous year.",
            "Two prior urine drug tests in the last year were consistent.",
        ),
        negated=(
            "No toxicology screening appears anywhere in the last twelve months of records.",
            "There has been no screening in the past 12 months.",
            "No urine screen was done within the past year.",
            "He has had no drug screening over the last year.",
            "There was no testing in the previous twelve months.",
            "There has not been a drug screen in over a year.",
            "The last urine drug screen was more than a year ago.",
            "The last UDS was done over 18 months ago.",
        ),
        hedged=("A drug screen may be done within the next year.",),
        other_region=("She had a drug screen in over a year of treatment.",),
        restated=("Guidelines recommend two tests in a year for patients at low risk.",),
        value=2,
        absent=0,
    ),
    # aberrant behaviour the notes do not address is not documented either way
    Suite(
        "udt_higher_frequency_warranted",
        TOX,
        read=(
            "Aberrant behaviors were addressed: early refills twice this year.",
            "His last urine screen was inconsistent with the prescribed drugs.",
            "She has a history of alcohol abuse.",
            "He has a history of polysubstance dependence.",
            "Her morphine equivalent dose is 140 mg a day.",
        ),
        negated=(
            "No aberrant behavior has been seen.",
            "She is at low risk for drug misuse.",
        ),
        undocumented=(
            "Neither side effects nor aberrant behaviours are addressed.",
            "Aberrant behavior was not assessed.",
            "Whether there is aberrant behaviour is not discussed.",
        ),
    ),
    # MTUS CPMTG NSAIDs, GI risk: one sentence denying the whole list
    Suite(
        "gi_event_history",
        PPI,
        read=(
            "She had a bleeding gastric ulcer in 2010.",
            "He has a history of peptic ulcer disease.",
            "She was hospitalized for an upper GI bleed last year.",
            "Past history: duodenal ulcer.",
            "He had a perforated ulcer treated surgically.",
        ),
        negated=(
            "She has no history of stomach ulcers or bleeding, takes no aspirin, and reports no heartburn.",
            "He denies any history of ulcer, bleeding or perforation.",
            "There is no history of peptic ulcer, GI bleeding or perforation.",
            "She has never had an ulcer or GI bleeding.",
            "No prior GI bleed or ulcer is reported.",
            "He is 50 with no ulcer history and no GI bleeding.",
        ),
        restated=(
            "A proton pump inhibitor is added to an NSAID when the patient is at risk: a history of peptic ulcer,"
            " bleeding or perforation.",
            "NSAIDs raise the risk of GI bleeding.",
        ),
        hedged=("She was warned about the risk of a gastric ulcer on naproxen.",),
    ),
    Suite(
        "gi_risk_medications",
        PPI,
        read=(
            "She takes low-dose aspirin for her heart.",
            "He is on Xarelto.",
            "Current medications: naproxen, prednisone 5 mg daily.",
            "She uses Coumadin.",
            "He takes clopidogrel since his stent.",
        ),
        negated=(
            "She has no history of stomach ulcers or bleeding, takes no aspirin, steroids or anticoagulants.",
            "He takes no aspirin, corticosteroid or blood thinner.",
            "She denies aspirin, steroid or anticoagulant use.",
            "He is not on aspirin, steroids or warfarin.",
            "No aspirin or anticoagulants are taken.",
        ),
        restated=(
            "A proton pump inhibitor is added to an NSAID when the patient is at risk: aspirin, corticosteroid"
            " or anticoagulant use.",
        ),
    ),
    Suite(
        "high_dose_or_multiple_nsaids",
        PPI,
        read=(
            "She takes ibuprofen and naproxen at the same time.",
            "He is on two anti-inflammatories.",
            "She takes high-dose naproxen.",
            "He takes Mobic plus aspirin 81 mg.",
            "He takes several NSAIDs at once.",
        ),
        negated=(
            "She is on a standard dose of one NSAID.",
            "He takes only one NSAID.",
            "She takes a single anti-inflammatory at the recommended dose.",
            "He uses just one NSAID, naproxen.",
            "She is on the usual dose of a single NSAID.",
            "She takes naproxen 500 mg twice a day, a standard dose.",
        ),
        restated=(
            "A proton pump inhibitor is added to an NSAID when the patient is at risk, for instance with high-dose"
            " or multiple NSAIDs.",
        ),
    ),
]

# --- visits, referrals, requests, rehabilitation and prior injections, as kinds (issue 12) ------------------

FOLLOW_UP = "Follow-up visit with primary treating physician"
SURGEON = "Orthopedic surgeon consultation for the right knee"
LUMBAR_ESI = "Right L5-S1 transforaminal epidural steroid injection"

SUITES += [
    # ODG Office visits: the visit's need from medicines that need monitoring at each visit
    Suite(
        "clinical_need_for_visit",
        FOLLOW_UP,
        section="rationale",
        read=(
            "His opioid doses are adjusted at each visit.",
            "She takes gabapentin, and the dosage is titrated at every appointment.",
            "The treating physician sees her every four weeks to review her medications.",
            "A follow-up visit is appropriate given his ongoing medication changes.",
            "It is reasonable to re-evaluate the patient after the injection.",
        ),
        negated=("Her shoulder is stable and she takes no medication, so no further visit is appropriate.",),
        undocumented=("There is no indication that her medications are adjusted at each visit.",),
        hedged=("A follow-up visit may be appropriate if symptoms change.",),
        restated=(
            "ODG notes that patients on opiates need close monitoring at each visit.",
            "Office visits are based on the patient's concerns, signs and symptoms and clinical stability.",
        ),
    ),
    # ACOEM Ch. 5 p. 92: a specialist's added expertise, said as what supports the surgeon's opinion
    Suite(
        "referral_expertise_needed",
        SURGEON,
        section="rationale",
        read=(
            "Her progressive weakness justifies a surgical opinion.",
            "He is a surgical candidate given the failed conservative care.",
            "The new foot drop supports a spine surgery consultation.",
            "An evaluation for possible knee replacement is reasonable given the bone-on-bone arthritis.",
            "The mechanical locking and the displaced tear support an orthopedic surgeon consultation.",
        ),
        negated=(
            "There are no red flags to warrant a surgeon evaluation.",
            "He is not a surgical candidate.",
            "There are no neurological findings to support a spinal surgeon referral now.",
        ),
        undocumented=("There is no documentation of findings to support a surgical referral.",),
        hedged=("A surgical consultation may be considered if symptoms worsen.",),
        restated=("Guidelines state that a surgical referral is indicated for patients with red flags.",),
    ),
    # 8 CCR 9792.10.6(b)(1): the request as submitted names no body part, frequency or quantity
    Suite(
        "request_unspecified",
        "Physical therapy",
        section="rationale",
        read=(
            "This one names no body part, frequency or number of visits, so it cannot be measured against the"
            " visits the MTUS allows.",
            "The order reads therapy, frequency and duration to be determined by the therapist; body part not named.",
            "The prescription gave no quantity and the site to be treated was left to the discretion of the therapist.",
            "The RFA states no frequency.",
            "It is a request whose content is unspecified.",
        ),
        undocumented=(
            "The request for physical therapy 2x4 for the lumbar spine is not medically necessary.",
            "The request specified 8 visits to the lumbar spine and the frequency was stated.",
        ),
        restated=(
            "Guidelines state the frequency and duration are to be determined by the treating therapist.",
            "The optimal duration of treatment is not known.",
        ),
        hedged=("The body part may be named on a later request.",),
        absent=None,
    ),
    # MTUS acupuncture 2007: an adjunct to physical rehabilitation under way, a new block begun
    Suite(
        "active_rehabilitation_ongoing",
        "Acupuncture x6 for the neck",
        read=(
            "She is now starting a second block of PT, approved last week.",
            "He started an eight-week exercise program with a physical therapist on 05/01/2017.",
            "She has begun a new course of physical therapy.",
            "He is in a course of occupational therapy for the neck.",
            "She began a strengthening program supervised by a physiotherapist.",
        ),
        hedged=(
            "She will start a second block of PT next month.",
            "He is to begin a course of physical therapy.",
        ),
        undocumented=("He completed a course of physical therapy in 2015.", "She began a home exercise program."),
        restated=("Guidelines recommend acupuncture as an adjunct to a course of physical rehabilitation.",),
    ),
    # CPMTG physical medicine: deficits a therapist must still supervise (the reviewer's judgement)
    Suite(
        "deficits_need_supervision",
        "Physical therapy 2 times a week for 6 weeks for the right elbow",
        section="rationale",
        read=(
            "She stands to benefit from continued skilled supervision to restore her grip.",
            "He would gain from further formal therapist oversight for his balance.",
            "Two more sessions to address the residual deficits are indicated.",
        ),
        negated=(
            "His final therapy note lists no remaining strength deficit.",
            "There are no residual deficits.",
            "It does not seem likely that she would benefit from further formal supervision.",
        ),
        restated=("Guidelines state patients benefit from further formal supervision when deficits remain.",),
    ),
    # MTUS CPMTG ESIs: a prior injection named by its approach ("a transforaminal injection"), not a request
    Suite(
        "prior_esi_same_region",
        LUMBAR_ESI,
        read=(
            "She received a right L5-S1 transforaminal injection on 03/02/2016.",
            "He underwent a caudal block in April 2016 with little change.",
            "She had a left L4-5 TFESI on 2/2/2016.",
            "He was given an interlaminar steroid injection at L4-5 last year.",
        ),
        negated=("She has never received a transforaminal injection.",),
        hedged=("A transforaminal injection at L5-S1 is requested.",),
        other_region=("He received a right C6-7 interlaminar injection on 03/02/2016.",),
        restated=(
            "Guidelines state that a patient who received a transforaminal injection needs 50% relief before a repeat.",
        ),
    ),
]

FRP = "Functional restoration program x 80 hours"

# MTUS CPMTG functional restoration programs, criteria 1, 3 and 5, each told by its parts (issue 12)
SUITES += [
    Suite(
        "frp_baseline_evaluation",
        FRP,
        read=(
            "At intake the program measured his lift at 15 pounds, his walk at 6 minutes and his sitting at 20"
            " minutes.",
            "Baseline: grip strength 20 kg and six-minute walk 300 meters.",
            "The therapist timed her standing at about 10 minutes before the pain forced her to sit.",
            "Her walking tolerance was 15 minutes at the screening visit.",
        ),
        hedged=("The program will measure his lift at intake.",),
    ),
    Suite(
        "motivated_to_change",
        FRP,
        read=(
            "He says he would give up his temporary disability payments to get back to work.",
            "He is prepared to stop collecting disability benefits if he can work again.",
            "She agreed to come off TTD once she finishes the program.",
        ),
        negated=(
            "He would not give up his disability payments.",
            "She is not willing to forgo her temporary disability.",
        ),
        restated=("Guidelines require willingness to forgo secondary gains, including disability payments.",),
    ),
    Suite(
        "significant_loss_of_function",
        FRP,
        read=(
            "His wife has to help him put on his socks and shoes.",
            "He needs assistance with putting on his shirt.",
            "Her daughter assists her with bathing most days.",
        ),
        undocumented=("He can dress himself but his wife helps him with the shopping.",),
    ),
]


def _by_kind(kind: str) -> list[tuple[Suite, str]]:
    return [(s, text) for s in SUITES for text in getattr(s, kind)]


def _id(case: object) -> str:
    return case[1][:60] if isinstance(case, tuple) else str(case)[:60]


def _suite_value(suite: Suite, text: str) -> Any:
    from .test_reading_suites import read_fact

    return read_fact(suite, text)


@pytest.mark.parametrize("case", _by_kind("read"), ids=_id)
def test_phrasings_that_must_be_read(case: tuple[Suite, str]) -> None:
    suite, text = case
    assert _suite_value(suite, text) == suite.value


@pytest.mark.parametrize("case", _by_kind("negated"), ids=_id)
def test_negated_phrasings(case: tuple[Suite, str]) -> None:
    suite, text = case
    assert _suite_value(suite, text) == suite.absent


@pytest.mark.parametrize(
    "case", _by_kind("undocumented") + _by_kind("hedged") + _by_kind("restated") + _by_kind("other_region"), ids=_id
)
def test_undocumented_hedged_and_restated_phrasings_are_not_read(case: tuple[Suite, str]) -> None:
    suite, text = case
    assert _suite_value(suite, text) is None


# the request's own wording in the reviewer's conclusion is read; utilization review's reasons are not
CONCLUSIONS = [
    ("The request for three ECGs over an unspecified period of time is not medically necessary.", True),
    ("Therefore, the request for office visits with an unspecified specialist is not medically necessary.", True),
    ("As the quantity of visits requested was not specified, the request is not medically necessary.", True),
    ("The requested supplies, in an unknown quantity, are not medically necessary.", True),
    ("Hence the request for injections at unspecified levels is not medically appropriate.", True),
    ("Utilization review noted that the quantity was not specified.", None),
    ("The claims administrator denied the request because the body part was not specified.", None),
    ("The request was non-certified by UR as the frequency was unspecified.", None),
    ("The request for twelve visits is not medically necessary.", None),
    ("The prior reviewer stated that the duration was unknown; the request is not medically necessary.", None),
]


@pytest.mark.parametrize(("text", "expected"), CONCLUSIONS, ids=[c[0][:60] for c in CONCLUSIONS])
def test_an_unspecified_request_in_the_reviewers_conclusion(text: str, expected: bool | None) -> None:
    from .test_reading_suites import read_fact

    suite = Suite("request_unspecified", "Office visits with a specialist", read=(), section="rationale")
    assert read_fact(suite, text) is expected


# a course of therapy that is not itself post-operative, after a dated surgery of its region: inside the
# table's postsurgical period at the request's date (11/10/2016) or not (the table's months per procedure)
PERIODS = [
    ("She underwent a right rotator cuff repair on 09/01/2016.", "Physical therapy x12 for the right shoulder", True),
    ("He is status post L4-5 laminectomy on 08/15/2016.", "Physical therapy 2x6 for the lumbar spine", True),
    ("He had a right carpal tunnel release on 10/01/2016.", "Occupational therapy x6 for the right wrist", True),
    ("She underwent a right rotator cuff repair on 01/05/2012.", "Physical therapy x12 for the right shoulder", False),
    ("He had a right carpal tunnel release on 03/01/2016.", "Occupational therapy x6 for the right wrist", False),
    # not read: another region, no date, a surgery not done
    ("She underwent a lumbar fusion on 09/01/2016.", "Physical therapy x12 for the right shoulder", None),
    ("She underwent a right rotator cuff repair last year.", "Physical therapy x12 for the right shoulder", None),
    ("A right rotator cuff repair was requested on 09/01/2016.", "Physical therapy x12 for the right shoulder", None),
]


@pytest.mark.parametrize(("summary", "item", "inside"), PERIODS, ids=[p[0][:50] for p in PERIODS])
def test_therapy_after_a_dated_surgery_of_its_region(summary: str, item: str, inside: bool | None) -> None:
    data = _read(summary, item)
    assert data.items[0].service == "physical_therapy"
    period = data.items[0].facts.get("postsurgical_period")
    assert (None if period is None else period.value) is inside
    if period is not None:
        assert period.inferred  # worked out from the dates
    # the surgery done is the therapy's primary procedure inside the period or outside it (issue 12)
    assert (_fact(data, "primary_procedure") is not None) is (inside is not None)


def test_therapy_inside_the_period_is_judged_by_the_postsurgical_table(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from imr_rules.cli import main

    path = tmp_path / "after.txt"
    path.write_text(
        letter_text(
            f"{INTRO} She underwent a right rotator cuff repair on 09/01/2016.",
            "Physical therapy x12 for the right shoulder",
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(path), "-v"])
    assert "mtus-postsurgical-pt-shoulder" in result.output, result.output


@pytest.mark.parametrize(
    ("summary", "visits"),
    [
        ("The surgery was certified in March. She has completed eight post-operative therapy visits.", 8),
        ("The fusion was approved on appeal. He has attended 12 sessions of post-op physical therapy.", 12),
        ("The surgery was certified in March. She had six sessions of physical therapy before it.", None),
    ],
)
def test_visits_in_words_of_post_operative_therapy_are_post_operative(summary: str, visits: int | None) -> None:
    data = _read(summary, LUMBAR_PT)
    assert _fact(data, "prior_postop_visits") == visits


# --- therapy after a dated surgery that is not itself post-operative: the visits after it (issue 12) ---------

AFTER_DATED = [
    # (summary, item, post-operative visits) at the request's date (11/10/2016)
    (
        "A right open carpal tunnel release was done on 04-02-2016. Afterwards she attended seven hand therapy"
        " sessions over the summer.",
        "Occupational therapy x6 for the right wrist",
        7,
    ),
    (
        "He had a right rotator cuff repair on 09/01/2016 and has since completed 6 physical therapy visits.",
        "Physical therapy x12 for the right shoulder",
        6,
    ),
    # a count before the surgery, or of another region's surgery, is not post-operative
    (
        "She attended ten physical therapy visits, and then a right rotator cuff repair was performed on 09/01/2016.",
        "Physical therapy x12 for the right shoulder",
        None,
    ),
    (
        "A lumbar fusion was performed on 09/01/2016. He then attended six physical therapy visits.",
        "Physical therapy x12 for the right shoulder",
        None,
    ),
]


@pytest.mark.parametrize(("summary", "item", "visits"), AFTER_DATED, ids=[a[0][:50] for a in AFTER_DATED])
def test_visits_after_a_dated_surgery_are_post_operative(summary: str, item: str, visits: int | None) -> None:
    data = _read(summary, item)
    assert data.items[0].service == "physical_therapy"
    assert _fact(data, "prior_postop_visits") == visits
    if visits is not None:
        assert _fact(data, "prior_visits_completed") == visits
        assert _fact(data, "primary_procedure") is not None


# --- a post-operative course whose surgery this letter decides has not begun (issue 12) ---------------------


def _surgery_and_its_therapy(summary: str) -> ExtractedLetter:
    return _two_items(summary, "Left knee arthroscopy with partial medial meniscectomy", KNEE_PT)


def test_no_course_yet_rests_on_the_sentence_requesting_the_surgery() -> None:
    data = _surgery_and_its_therapy(
        "Her surgeon asks for a left knee arthroscopy with partial medial meniscectomy, to be followed by"
        " therapy. She requests nothing else."
    )
    course = data.items[1].facts["prior_course_completed"]
    assert course.value is False and course.inferred
    assert course.evidence[0].quote.startswith("Her surgeon asks for a left knee arthroscopy")
    assert course.evidence[0].section == "summary"


def test_no_course_yet_falls_back_on_the_surgery_items_heading() -> None:
    data = _surgery_and_its_therapy("She has medial knee pain since a fall.")
    course = data.items[1].facts["prior_course_completed"]
    assert course.value is False and course.inferred
    assert course.evidence[0].section == "item_name"


def test_a_surgery_the_summary_says_was_done_is_no_reason_to_infer_no_course() -> None:
    data = _surgery_and_its_therapy("She underwent a left knee arthroscopy on 05/01/2016 for a locked knee.")
    assert (
        "prior_course_completed" not in data.items[1].facts
        or not data.items[1].facts["prior_course_completed"].inferred
    )
