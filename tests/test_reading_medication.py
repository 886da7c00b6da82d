"""Paraphrase suites for medication, treatment-course and monitoring facts (issue 12): the opioid guidelines'
monitoring (the four A's, CURES, drug screens, agreements, aberrant behaviour), a return to work, first-line
drugs failed, drugs that raise the risk of an NSAID, a failed TENS trial, and spans of limited or modified
activity in words. Written from the guidelines' vocabulary (MTUS Opioids Treatment Guidelines 2016 3.3,
CPMTG 2009) and clinical charting, never from a letter; each phrasing goes through the real reader
(`test_reading_suites.read_fact`), and the audit there counts these suites."""

from __future__ import annotations

import pytest

from .test_reading_suites import Suite, read_fact

NORCO = "Norco 10/325mg #90"
UDS = "Urine drug screen"
DISC = "Lumbar discectomy at L5-S1"

SUITES: list[Suite] = [
    # MTUS Opioids TG 2016 3.3.9: the four A's (analgesia, activity, adverse effects, aberrant behaviour)
    Suite(
        "opioid_monitoring_documented",
        NORCO,
        read=(
            "The four A's of opioid monitoring were documented at each visit.",
            "The progress notes address analgesia, activities of daily living, adverse effects and aberrant"
            " drug-taking behavior.",
            "At each visit the physician records pain levels with and without medication, function, side effects"
            " and any aberrant behaviors.",
            "She rates her pain 8/10 without medication and 4/10 with Norco, reports no side effects, and there is"
            " no aberrant behavior.",
            "He denies side effects, his pain score falls from 7 to 3 with hydrocodone and no drug-seeking"
            " behavior has been observed.",
            "Pain relief, side effects and signs of misuse are monitored monthly while on Norco.",
        ),
        negated=("The physician does not monitor the four A's.",),
        undocumented=(
            "There is no documentation of the four A's.",
            "The records do not document pain scores, side effects or aberrant behavior.",
            "Monitoring of the four A's was not documented.",
        ),
        hedged=("The four A's should be monitored going forward.",),
        restated=(
            "Document the four A's at each visit during the maintenance phase of chronic opioid treatment.",
            "Guidelines require monitoring of analgesia, activity, adverse effects and aberrant behavior.",
            "Utilization review noted that the four A's were documented.",
        ),
        other_region=("She reports no side effects from the muscle relaxant.",),
    ),
    # MTUS Opioids TG 2016 3.3.3: a CURES (PDMP) review, urine drug testing and a treatment agreement
    Suite(
        "opioid_safety_checks",
        "Tramadol 50mg #60",
        read=(
            "A CURES report was reviewed, a urine drug screen was consistent, and she signed an opioid agreement.",
            "The PDMP was checked and was appropriate; his UDS was negative for illicit drugs; a pain contract is"
            " on file.",
            "He signed a narcotic contract. CURES was consistent with the prescriptions. A urine toxicology screen"
            " was performed on 10/01/2016.",
            "The prescription drug monitoring program was queried, a urine drug test was obtained, and a"
            " treatment agreement has been signed.",
            "Urine drug testing was done and was consistent with prescribed medications; the CURES database was"
            " reviewed; an opioid treatment agreement is in place.",
        ),
        negated=(
            "A CURES report was not checked before prescribing.",
            "No urine drug screen was performed before the trial.",
            "She has not signed an opioid agreement.",
        ),
        undocumented=(
            "There is no documentation of a CURES review.",
            "A urine drug screen was consistent with prescribed medications.",  # one check of three
        ),
        hedged=("A urine drug screen, a CURES review and an opioid agreement are planned.",),
        restated=(
            "Guidelines recommend a CURES review, urine drug testing and a treatment agreement before a trial.",
            "Utilization review noted a signed opioid agreement, a consistent UDS and a CURES review.",
        ),
    ),
    # MTUS Acupuncture 2007: used as an option when pain medication is reduced or not tolerated
    Suite(
        "pain_medication_reduced_or_not_tolerated",
        "Acupuncture 6 sessions for the low back",
        read=(
            "She has been able to reduce her Norco from four tablets a day to two.",
            "He does not tolerate oral pain medication because of nausea.",
            "His tramadol is being tapered.",
            "She was weaned off hydrocodone last month.",
            "He cannot take NSAIDs because of gastritis.",
            "The physician is decreasing her opioid dose.",
            "Her pain medication intake has been reduced by half.",
        ),
        negated=("She tolerates her pain medication well.", "Her pain medication has not been reduced."),
        undocumented=(
            "There is no evidence the patient is unable to tolerate pain medication or that it is being reduced.",
            "The records do not show a reduction in pain medication.",
        ),
        hedged=(
            "The goal is to reduce her pain medication.",
            "Acupuncture may allow a reduction in her medication.",
        ),
        restated=(
            "Acupuncture is used as an option when pain medication is reduced or not tolerated.",
            "Utilization review noted that the pain medication was reduced.",
        ),
    ),
    # MTUS Opioids TG 2016 3.3.6: testing up to four times a year when warranted (risk, aberrance, dose)
    Suite(
        "udt_higher_frequency_warranted",
        UDS,
        read=(
            "A prior urine drug screen was inconsistent with her prescribed medications.",
            "He has requested early refills and reported lost prescriptions.",
            "She is considered high risk for opioid misuse.",
            "Aberrant drug-related behaviors were noted.",
            "The last UDS was positive for methamphetamine.",
            "His morphine equivalent dose is 120 mg per day.",
            "He has a history of opioid use disorder.",
        ),
        negated=(
            "No aberrant drug behavior was observed.",
            "She is at low risk for opioid misuse.",
            "There is no evidence of drug diversion.",
        ),
        hedged=("Aberrant behavior may develop on long-term opioids.",),
        restated=(
            "Guidelines allow up to four tests a year for patients at high risk of addiction.",
            "Utilization review noted aberrant behavior.",
        ),
        other_region=("His prior urine drug screens were consistent with prescribed medications.",),
    ),
    # MTUS Opioids TG 2016 3.3.6: the tests already done in the twelve months before the request
    Suite(
        "udt_tests_past_12_months",
        UDS,
        read=(
            "She had three urine drug screens in the past year.",
            "Three (3) UDS were performed within the last 12 months.",
            "He has had 3 urine toxicology tests over the previous twelve months.",
            "Urine drug screens were performed three times in the past year.",
            "A total of three urine drug tests have been done in the past 12 months.",
            "The patient has had three prior UDTs during the last year.",
        ),
        negated=(
            "No urine drug screen has been done in the past year.",
            "She has not had a drug screen in the last twelve months.",
        ),
        hedged=("Three urine drug screens a year may be appropriate.",),
        restated=(
            "Guidelines allow up to four urine drug tests in a year.",
            "Utilization review noted three drug screens in the past year.",
        ),
        other_region=("She had three urine drug screens in 2014.", "He had three MRIs in the past year."),
        value=3,
        absent=0,
    ),
]


def _by_kind(*kinds: str) -> list[tuple[Suite, str]]:
    return [(suite, text) for suite in SUITES for kind in kinds for text in getattr(suite, kind)]


def _id(case: object) -> str:
    return case.fact if isinstance(case, Suite) else str(case)[:60]


@pytest.mark.parametrize(("suite", "text"), _by_kind("read"), ids=_id)
def test_phrasings_that_must_be_read(suite: Suite, text: str) -> None:
    assert read_fact(suite, text) == suite.value


@pytest.mark.parametrize(("suite", "text"), _by_kind("negated"), ids=_id)
def test_negated_phrasings(suite: Suite, text: str) -> None:
    assert read_fact(suite, text) == suite.absent


@pytest.mark.parametrize(
    ("suite", "text"), _by_kind("undocumented", "hedged", "restated", "other_region"), ids=_id
)
def test_undocumented_hedged_restated_and_other_phrasings_are_not_read(suite: Suite, text: str) -> None:
    assert read_fact(suite, text) is None
