"""Paraphrase suites for the facts the rules read (issue 12), and the audit that keeps them complete.

A suite is written from the guideline's criteria words and from how clinicians chart (synonyms,
abbreviations, numbers in words, lists, passive voice), never from a letter. Each phrasing goes through the
real reader: a letter is made around it (the phrasing in the clinical case summary, or in the item's
decision rationale) with an item whose rules read the fact, and `extract_text` reads it as any letter.

- `read`: phrasings that must be read (the fact's `value`);
- `negated`: the finding documented absent (`absent`, false by default: for a judgement fact, the
  reviewer's own finding that it is not so, "the therapy helped");
- `undocumented` (the records show no evidence of it), `hedged`, `restated` (a guideline restated,
  utilization review's reasons) and `other_region` (the same finding of another body region than the
  item's): never read (None).

The audit (`test_every_fact_the_rules_read_has_a_suite`) lists every fact some rule reads that the
extraction patterns target (rules/extraction/facts.yaml), and counts its invented phrasings here and in the
suites of `tests/test_reading_*.py` modules written as a module constant naming the fact (`ROOT =
"objective_nerve_compromise_on_exam"`) with `ROOT_READ`, `ROOT_FALSE` and `ROOT_NONE` lists. A fact with
fewer than five phrasings read or five not read must be in `KNOWN_GAPS`; a gap filled must leave it.
`python -m tests.test_reading_suites` prints the table."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from imr_rules.models.extracted import ExtractedLetter
from imr_rules.models.rules import FactCriterion
from imr_rules.reading.extract import extract_text

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text

MINIMUM = 5
INTRO = "This fictional injured worker is a 44 year old male warehouse worker injured at work."


@dataclass(frozen=True)
class Suite:
    """One fact's phrasings (see the module docstring). `item`: the requested item of the letter, one whose
    rules read the fact (so the reader reads it, for that item's body region); `section`: where the
    phrasing goes, `summary`, `rationale` (the item's decision rationale) or `item` (the phrasing is the
    item's name, `item` only says which kind of item the suite is about); `injury`: the letter's date of
    injury (empty: none); `request`: the request's (UR's) date, which decides the rules in force."""

    fact: str
    item: str
    read: tuple[str, ...]
    negated: tuple[str, ...] = ()
    undocumented: tuple[str, ...] = ()
    hedged: tuple[str, ...] = ()
    restated: tuple[str, ...] = ()
    other_region: tuple[str, ...] = ()
    section: str = "summary"
    injury: str = "01/05/2015"
    request: str = "11/10/2016"
    value: Any = True
    absent: Any = False

    def negatives(self) -> int:
        return sum(
            len(kind) for kind in (self.negated, self.undocumented, self.hedged, self.restated, self.other_region)
        )


def read_fact(suite: Suite, text: str, **letter: str) -> Any:
    """The value the reader gives the suite's fact for a letter holding `text` (None: not documented)."""
    item, summary, rationale = suite.item, INTRO, "The request is not medically necessary."
    if suite.section == "summary":
        summary = f"{INTRO} {text}"
    elif suite.section == "rationale":
        rationale = text
    else:  # the item's name
        item = text
    full = letter_text(summary, item, rationale=rationale, **{"injury": suite.injury, "ur": suite.request, **letter})
    data = extract_text(full, "suite.txt", bundled_library(), bundled_patterns())
    for facts in (data.items[0].facts, data.facts):
        if suite.fact in facts:
            return facts[suite.fact].value
    return None


# --- the suites, most-read facts first --------------------------------------------------------------------

PT = "Physical therapy 2 times a week for 4 weeks for the lumbar spine"

SUITES: list[Suite] = [
    # 8 CCR 9792.20: functional improvement from the prior treatment (CPMTG: more therapy, continued drugs)
    Suite(
        "functional_improvement_from_prior",
        PT,
        read=(
            "After the prior therapy her lifting limit was raised from 10 to 25 pounds.",
            "Work restrictions were lifted after the last course of physical therapy.",
            "He can now sit through a full shift following the prior sessions.",
            "Her Oswestry score improved from 48% to 30% with therapy.",
            "Since completing physical therapy he has returned to full duty.",
            "She reports increased walking tolerance from 10 to 30 minutes after the prior visits.",
            "He was able to stop the muscle relaxant after the previous course of therapy.",
            "Activities of daily living improved with the prior PT.",
        ),
        negated=(
            "The prior physical therapy did not improve her function.",
            "There was no functional improvement after 12 sessions of PT.",
            "Her function has not changed despite therapy.",
            "He remains off work and his function is unchanged after the prior sessions.",
            "Function worsened after the last course of therapy.",
        ),
        undocumented=(
            "There is no documentation of functional improvement from the prior therapy.",
            "The records do not show objective functional gains with the previous PT.",
        ),
        hedged=("Additional therapy may improve her function.", "The goal is to improve lifting tolerance."),
        restated=(
            "Guidelines require objective functional improvement before additional visits.",
            "The MTUS defines functional improvement as a significant improvement in activities of daily living.",
            "Utilization review noted functional improvement with the prior therapy.",
        ),
    ),
    # CPMTG physical medicine, chiropractic, acupuncture: a course already had (more visits) or a first one
    Suite(
        "prior_course_completed",
        PT,
        read=(
            "She completed 12 sessions of physical therapy in 2015.",
            "He has had physical therapy for the low back.",
            "Prior treatment has included PT, medications and a TENS unit.",
            "He attended six physiotherapy visits last year.",
            "A previous course of PT was completed in March.",
            "She underwent a course of physical therapy after the injury.",
            "He has already had eighteen (18) PT visits.",
            "She started physical therapy in May 2016.",
            # a course under way, or had in a past year, in other words
            "He has been attending physical therapy twice a week.",
            "She is currently in physical therapy.",
            "He was sent to physical therapy after the injury.",
            "Physical therapy was provided in 2015.",
            "She participated in physical therapy in 2015.",
            "He has been doing PT at a clinic near his home.",
        ),
        negated=(
            "She has not had physical therapy.",
            "No prior physical therapy was documented.",
            "He has never tried physical therapy.",
            "She has not yet started physiotherapy.",
            "There is no history of PT for this injury.",
        ),
        hedged=(
            "Physical therapy was recommended at the last visit.",
            "He will start physical therapy next week.",
            "It is unclear whether she has had physical therapy.",
            "He is to start physical therapy.",
            "He was referred to physical therapy.",
            "Physical therapy was recommended in 2016.",
            "Physical therapy notes were not provided.",
        ),
        restated=(
            "Guidelines allow 9-10 visits of physical therapy over 8 weeks.",
            "Utilization review stated that she had completed physical therapy.",
        ),
        other_region=("She has had chiropractic care for the low back.",),  # another therapy
    ),
    # CPMTG: a liquid form (oral suspension) of a drug made as tablets; the item's name says which it is
    Suite(
        "oral_suspension",
        "Gabapentin oral suspension 250mg/5ml",
        read=(
            "Gabapentin oral suspension 250mg/5ml",
            "Omeprazole liquid 20mg/10ml",
            "Baclofen oral solution 5mg/5ml #300ml",
            "Tramadol oral susp 5mg/ml",
            "Cyclobenzaprine elixir",
            "Hydrocodone/APAP syrup 7.5/325 per 15 ml",
            "Synapryn 10mg/1ml oral suspension 500ml",
        ),
        negated=(
            "Tramadol 50mg #60",
            "Cyclobenzaprine 7.5mg tablets #60",
            "Gabapentin 300mg capsules #90",
            "Omeprazole DR 20mg #30",
            "Tizanidine 4mg, #60",
        ),
        section="item",
    ),
    # CPMTG TENS, interferential, H-wave, acupuncture: used with an ongoing programme of active rehabilitation
    Suite(
        "active_rehabilitation_ongoing",
        "TENS unit rental for one month",
        read=(
            "He is participating in physical therapy.",
            "He is actively engaged in a functional restoration program.",
            "He attends aquatic therapy twice a week.",
            "The TENS unit will be used alongside her ongoing physical therapy.",
            "She is compliant with a supervised rehabilitation program.",
            "She continues physical therapy twice a week.",
        ),
        negated=(
            "He is not participating in an active rehabilitation program.",
            "She stopped physical therapy in June.",
            "He is non-compliant with physical therapy.",
        ),
        # a home exercise program alone is not active rehabilitation (tests/test_reading_judgement.py)
        undocumented=(
            "There is no documentation that she is in a rehabilitation program.",
            "He does his home exercises daily.",
        ),
        hedged=("She should continue physical therapy.", "She was instructed in a home exercise program."),
        restated=(
            "Guidelines support TENS as an adjunct to a program of evidence-based functional restoration.",
            "Utilization review noted ongoing physical therapy.",
        ),
    ),
    # CPMTG opioids and other drugs: pain relief from the medication (the item's rationale)
    Suite(
        "pain_relief_from_medication",
        "Norco 10/325mg #90",
        read=(
            "Norco reduces her pain from 8/10 to 4/10.",
            "The medication provides 50% pain relief.",
            "He reports significant pain relief with hydrocodone.",
            "With Norco her pain decreases from 9 to 5 out of 10.",
            "Pain scores improve from seven to three with the medication.",
            "Her pain is better controlled on Norco.",
        ),
        negated=(
            "Norco does not help her pain.",
            "He reports no relief from the medication.",
            "The medication is ineffective.",
            "Pain is unchanged at 8/10 despite Norco.",
        ),
        undocumented=(
            "There is no documentation of pain relief with Norco.",
            "Pain scores with and without medication were not recorded.",
        ),
        hedged=("The request may provide relief.",),
        restated=(
            "Guidelines require documentation of pain relief for continued opioid use.",
            "Utilization review noted pain relief with Norco.",
        ),
        section="rationale",
    ),
    # CPMTG antiepilepsy drugs, antidepressants, topical analgesics: neuropathic pain
    Suite(
        "neuropathic_pain",
        "Gabapentin 600mg #90",
        read=(
            "She has neuropathic pain in the left leg.",
            "He has lumbar radiculopathy with radicular pain down the leg.",
            "Burning, electric pain in the foot consistent with a neuropathy.",
            "The diagnosis includes complex regional pain syndrome.",
            "She has post-herpetic neuralgia.",
            "He has sciatica.",
            "Her pain is described as burning and shooting, in a dermatomal pattern.",
        ),
        negated=(
            "There is no neuropathic pain.",
            "He has no radicular symptoms.",
            "She denies burning or shooting pain.",
            "The pain is purely mechanical and not neuropathic.",
        ),
        hedged=("Possible neuropathic component.", "She has a sharp pain in the shoulder."),
        restated=(
            "Gabapentin is recommended for neuropathic pain.",
            "Utilization review noted neuropathic pain.",
            "Hand therapy improves range of motion in CRPS.",
        ),
    ),
    # CPMTG physical medicine: visits beyond the guideline's number for exceptional factors
    Suite(
        "exceptional_factors",
        PT,
        read=(
            "She had a flare-up of low back pain last month.",
            "He sustained a new injury to the back in October.",
            "She developed a post-operative infection.",
            "There are extenuating circumstances: a re-injury at work.",
            "An acute exacerbation of her back pain was documented.",
            "He fell and reinjured his back.",
        ),
        negated=(
            "There were no exceptional factors to support additional visits.",
            "There has been no new injury.",
            "She denies any recent flare-up.",
            "No exceptional factors were documented.",
        ),
        undocumented=("There is no documentation of a flare-up or new injury.",),
        hedged=("Additional visits may be appropriate if there is a flare-up.",),
        restated=(
            "Guidelines allow more visits for exceptional factors such as a new injury.",
            "Acute exacerbations of chronic pain: recommended as a second-line treatment.",
        ),
        section="rationale",
    ),
    # ACOEM Ch. 9 shoulder imaging, Ch. 8 neck: failure to progress in a strengthening program
    Suite(
        "failed_exercise_program",
        "MRI of the right shoulder",
        read=(
            "She failed to progress with a strengthening program.",
            "He has not improved with six weeks of physical therapy.",
            "The shoulder pain persists despite a home exercise program.",
            "There was no improvement after eight sessions of PT for the shoulder.",
            "A course of rotator cuff strengthening did not relieve her symptoms.",
            "Physical therapy for the shoulder was unsuccessful.",
        ),
        negated=(
            "She improved with physical therapy for the shoulder.",
            "The home exercise program has helped his shoulder.",
            # no programme had yet: none has failed (a documented absence, as the train gold reads it)
            "He has not tried an exercise program.",
        ),
        undocumented=("There is no documentation that a strengthening program failed.",),
        hedged=("If a strengthening program fails, an MRI may be considered.",),
        restated=(
            "Guidelines support MRI after failure to progress in a strengthening program.",
            "Utilization review noted failure of physical therapy.",
        ),
    ),
    # CPMTG TENS, interferential, H-wave: a one-month rental trial first, then a purchase after a successful one
    Suite(
        "rental_trial",
        "TENS unit",
        read=(
            "TENS unit rental for one month",
            "30 day trial of an H-wave unit",
            "Interferential unit, rent x 30 days",
            "TENS unit 1 month rental",
            "One-month home-based TENS trial",
        ),
        negated=(
            "TENS unit purchase",
            "Purchase of an interferential unit",
            "H-wave device, purchase",
            "TENS unit for purchase",
            "TENS unit (purchase)",
        ),
        section="item",
    ),
    Suite(
        "equipment_trial_successful",
        "TENS unit purchase",
        read=(
            "She completed a successful one-month TENS trial.",
            "The 30-day TENS trial reduced her pain by 50% and improved her sleep.",
            "A one month trial of the TENS unit was successful.",
            "During the rental trial she used the unit daily with decreased pain medication use.",
            "The TENS trial helped her pain and function.",
            "She benefited from a month-long TENS rental.",
        ),
        negated=(
            "The TENS trial was unsuccessful.",
            "The trial of the unit did not help.",
            "The trial did not reduce her pain.",
        ),
        hedged=("A one-month trial may be considered.",),
        restated=(
            "Guidelines support purchase after a successful one-month trial.",
            "Utilization review noted a successful TENS trial.",
        ),
    ),
    # CPMTG topical analgesics and TENS: other (oral, first-line) treatments failed or were not tolerated
    Suite(
        "other_treatments_failed_or_not_tolerated",
        "Lidocaine 5% patch #30",
        read=(
            "She failed oral medications.",
            "He is unable to tolerate oral medications due to gastritis.",
            "First-line agents such as gabapentin and amitriptyline were not tolerated.",
            "He has tried and failed other treatments including NSAIDs and physical therapy.",
            "She could not tolerate oral NSAIDs.",
            "Oral anti-inflammatories caused GI upset.",
        ),
        negated=("She tolerates oral medications well.", "Oral medications are effective."),
        undocumented=("There is no documentation that oral medications failed.",),
        hedged=("If oral medications are not tolerated, a topical may be considered.",),
        restated=(
            "Topical analgesics are recommended when oral medications fail.",
            "Utilization review stated oral medications failed.",
        ),
    ),
    # ACOEM Ch. 8 and 9 imaging: an invasive procedure (surgery, an injection) is planned
    Suite(
        "invasive_procedure_planned",
        "MRI of the cervical spine",
        read=(
            "An anterior cervical discectomy and fusion is planned.",
            "He is scheduled for a cervical epidural steroid injection.",
            "She is a surgical candidate.",
            "The MRI is needed prior to a planned C5-6 fusion.",
            "The surgeon is considering a decompression.",
            "A cervical ESI is being contemplated.",
        ),
        negated=(
            "No surgery or injection is planned.",
            "He is not a surgical candidate.",
            "He declines surgery.",
            "Surgery is not being considered.",
        ),
        hedged=(
            "Surgery may be considered in the future.",
            "If symptoms persist, an injection could be considered.",
        ),
        restated=(
            "Guidelines support MRI prior to an invasive procedure.",
            "Utilization review noted a planned fusion.",
        ),
    ),
    # ACOEM Ch. 12 surgery and ESI criteria: electrodiagnostic evidence of radiculopathy (regional)
    Suite(
        "electrodiagnostic_radiculopathy",
        "Lumbar discectomy at L5-S1",
        read=(
            "EMG showed an acute left L5 radiculopathy.",
            "Electrodiagnostic studies confirmed a right S1 radiculopathy.",
            "The nerve conduction study and EMG were consistent with L5 radiculopathy.",
            "Needle EMG demonstrated denervation in the L5 myotome.",
            "EMG/NCV revealed chronic S1 radiculopathy on the left.",
            "Electromyography was positive for L4 radiculopathy.",
            # the needle study's signs of a root lesion
            "The EMG demonstrated fibrillation potentials in the L5 paraspinals.",
            "Needle EMG showed positive sharp waves in the left tibialis anterior.",
            "Nerve conduction studies showed an absent H-reflex on the left.",
            "The EMG documented chronic neurogenic changes in the L5 myotome.",
        ),
        negated=(
            "EMG/NCV of the legs was normal.",
            "The EMG showed no evidence of radiculopathy.",
            "Electrodiagnostic testing was negative for radiculopathy.",
            "Nerve conduction studies were unremarkable.",
        ),
        hedged=(
            "An EMG is planned to evaluate for radiculopathy.",
            "An EMG is requested to look for denervation potentials.",
        ),
        restated=("Guidelines support EMG to clarify nerve root dysfunction.",),
        other_region=(
            "EMG of the arms showed a C6 radiculopathy.",
            "The EMG of the arms showed denervation potentials in the C6 myotome.",
        ),
    ),
    # CPMTG opioids: laxatives and drug screens for a patient on opioids
    Suite(
        "opioid_therapy",
        "Urine drug screen",
        read=(
            "She takes Norco 10/325 three times a day.",
            "He is on tramadol 50 mg twice daily.",
            "Current medications include oxycodone and gabapentin.",
            "He has been prescribed hydrocodone since 2014.",
            "She uses a Butrans patch.",
            "He remains on long-term opioid therapy.",
        ),
        negated=(
            "He takes no opioids.",
            "She denies opioid use.",
            "He is not on any narcotic medication.",
            "Opioids were discontinued in 2015.",
            "She stopped taking Norco last year.",
        ),
        hedged=("An opioid may be considered if other treatments fail.",),
        restated=(
            "Guidelines recommend drug screens for patients on opioids.",
            "Utilization review noted opioid use.",
        ),
    ),
    # the phase in words (ACOEM 2004: symptoms under about three months); the dates are tested above
    Suite(
        "acute_phase",
        "Lumbar support brace",
        read=(
            "She was seen ten days after the ankle sprain.",
            "He is in the acute phase of his injury.",
            "She is still in the early stage of treatment.",
            "Two weeks after the lifting injury he has low back pain.",
            "She presented three days following the fall.",
            "He is within the acute period of the low back injury.",
        ),
        negated=(
            "He is in the chronic phase of his condition.",
            "She is no longer in the acute phase.",
            "He is beyond the acute period.",
            "She is past the acute stage.",
        ),
        hedged=(
            "The brace may help in the acute period.",
            "More than three months after the injury he still has pain.",
        ),
        restated=("Guidelines recommend a brace in the acute phase of low back pain.",),
        injury="",
    ),
    # CPMTG opioids: non-opioid analgesics (NSAIDs, acetaminophen) tried first
    Suite(
        "non_opioid_treatment_failed",
        "Tramadol 50mg #60",
        read=(
            "He failed NSAIDs and acetaminophen.",
            "Non-opioid analgesics have been tried and failed.",
            "Ibuprofen and Tylenol did not help.",
            "She has failed first-line treatment with naproxen.",
            "Anti-inflammatories were ineffective.",
            "Acetaminophen provided no relief.",
            "He could not tolerate NSAIDs because of gastritis.",
        ),
        negated=("NSAIDs help her pain.", "Acetaminophen controls her pain well."),
        undocumented=(
            "There is no documentation that non-opioid analgesics failed.",
            # a judgement: the reviewer finding no evidence of it is not a finding that they worked
            "There is no evidence to support that he has failed first-line medications before this request.",
        ),
        hedged=("If NSAIDs fail, tramadol may be considered.", "She has not tried NSAIDs."),
        restated=("Guidelines recommend opioids only after failure of non-opioid analgesics.",),
    ),
    # CPMTG oral suspensions: a tablet the patient cannot take
    Suite(
        "tablet_form_unsuitable",
        "Gabapentin oral suspension 250mg/5ml",
        read=(
            "She is unable to swallow pills.",
            "He has dysphagia after a cervical fusion.",
            "She has difficulty swallowing tablets.",
            "He has a feeding tube.",
            "She cannot tolerate tablets because of a gastric bypass.",
            "He takes his medications through a PEG tube.",
        ),
        negated=(
            "She swallows pills without difficulty.",
            "He has no dysphagia.",
            "She denies difficulty swallowing.",
            "He has no trouble swallowing.",
        ),
        undocumented=("There is no documentation that she cannot swallow tablets.",),
        hedged=("If she has trouble swallowing, a liquid may be considered.",),
        restated=(
            "Guidelines support a liquid form only when the patient cannot swallow tablets.",
            "Utilization review noted dysphagia.",
        ),
        section="rationale",
    ),
    # CPMTG TENS and trigger point injections, ACOEM discography: pain of at least three months (words;
    # the dates are tested below), so the letters here have no date of injury
    Suite(
        "chronic_pain_3_months",
        "TENS unit purchase",
        read=(
            "She has had low back pain for the past six months.",
            "He has had neck pain for over a year.",
            "He has chronic low back pain.",
            "Her symptoms have been lasting more than three months.",
            "The pain has persisted for 2 years.",
            "He has had knee pain for nine (9) months.",
            # the span in other words
            "She reports longstanding low back pain.",
            "The pain has been present for several years.",
            "The pain started two years ago.",
            "His low back pain is of four months' duration.",
            "He has a long history of low back pain.",
            "Pain has persisted for more than 90 days.",
        ),
        negated=(
            "She has had pain for 2 months.",
            "She does not have chronic pain.",
            "There is no chronic low back pain.",
        ),
        hedged=(
            "She has had back pain for less than three months.",
            "He may develop chronic pain.",
            "The pain started two weeks ago.",
        ),
        restated=(
            "The MTUS supports a TENS trial for chronic pain of at least three months' duration.",
            "Guidelines require pain lasting more than three months before a TENS unit.",
            "Decision based on MTUS Chronic Pain Medical Treatment Guidelines 2016.",
        ),
        injury="",
    ),
    # ACOEM 2004 Ch. 12 p. 306 and the surgical and imaging sections: failure of conservative treatment
    Suite(
        "conservative_care_failed",
        "Lumbar discectomy at L5-S1",
        read=(
            "He has failed conservative treatment.",
            "Symptoms persisted despite six weeks of physical therapy, NSAIDs and activity modification.",
            "She remains symptomatic after exhausting non-operative management.",
            "Conservative measures including PT, chiropractic care and an epidural injection did not relieve the pain.",
            "Non-surgical care has been unsuccessful.",
            "The radicular pain is refractory to conservative care.",
            "He did not improve with physical therapy and medications.",
            "Ongoing pain in spite of extensive conservative treatment.",
            "The patient failed to respond to a home exercise program, medication and therapy.",
            "Her symptoms have not resolved with 3 months of conservative management.",
            "Twelve sessions of PT were tried without lasting relief.",
            # the outcome of care in other words (care + outcome + too little benefit; the patient as subject)
            "Physical therapy provided only minimal relief.",
            "Epidural steroid injections gave only short-lived relief.",
            "Eight chiropractic visits had not proven particularly beneficial.",
            "Non-operative treatment has not been successful.",
            "Conservative care, including physical therapy and NSAIDs, has been ineffective.",
            "She did not benefit from physical therapy.",
            "She derived little benefit from acupuncture.",
            "He plateaued with physical therapy.",
            "Her leg pain worsened despite physical therapy.",
            "Symptoms are unchanged after eight weeks of physical therapy.",
            "Despite chiropractic care and medications, her pain persists.",
            "He continues to have radicular pain after completing 12 visits of physical therapy.",
            "She was treated with physical therapy but without improvement.",
            "The therapist reported minimal to no improvement of symptoms.",
        ),
        negated=(
            "Physical therapy has helped and his pain is improving with conservative care.",
            "Her symptoms resolved with conservative treatment.",
            "He responded well to physical therapy and anti-inflammatories.",
            "Conservative care has not failed.",
            "The pain has improved with physical therapy.",
        ),
        undocumented=(
            "There is no documentation that conservative care failed.",
            "The records do not show failure of conservative treatment.",
        ),
        hedged=(
            "If conservative care fails, surgery may be considered.",
            "It is unclear whether conservative treatment has failed.",
            "If physical therapy provides no relief, surgery may be considered.",
            "It is unclear whether she benefited from physical therapy.",
            # a drug that did not help is a medication fact, not failed conservative care
            "Naproxen gave only minimal relief.",
        ),
        restated=(
            "Guidelines support surgery when symptoms persist despite conservative care.",
            "Guidelines recommend surgery when physical therapy has provided no relief.",
            "Guidelines recommend surgery only after failure of conservative care.",
            "ACOEM supports discectomy when conservative treatment has failed for at least a month.",
            "Utilization review stated that conservative care had failed.",
        ),
        absent=False,
    ),
    # ACOEM 2004 Ch. 12 p. 304: imaging when surgery is considered; the patient would consider it
    Suite(
        "surgery_considered",
        "MRI of the lumbar spine without contrast",
        read=(
            "He is willing to consider an operation.",
            "She would consider surgery if the pain persists.",
            "The patient is open to surgical intervention.",
            "Operative treatment is being considered by the spine surgeon.",
            "He wishes to proceed with a lumbar decompression.",
            "Surgical options were discussed and she is interested in surgery.",
            "He is a surgical candidate per the orthopedic consultant.",
            "She wants surgery.",
            # planned, recommended, scheduled, agreed to, sought
            "The spine surgeon has recommended an L5-S1 microdiscectomy.",
            "She is scheduled for surgery next month.",
            "The plan is a lumbar decompression at L4-5.",
            "He has agreed to surgery.",
            "He was referred to a spine surgeon for surgical evaluation.",
            "There is a plan for surgery.",
        ),
        negated=(
            "He declines surgery.",
            "She doesn't want surgery.",
            "He does not wish to consider an operation.",
            "She is not a surgical candidate.",
            "He isn\u2019t interested in surgery at this time.",
            "He had a fusion in 2012 and would not consider another operation.",
            "There was no plan for surgery.",
            "Surgery is not being considered.",
            "The surgeon recommended against surgery.",
        ),
        hedged=(
            "If the injection fails, surgery may be considered.",
            "Surgery could be an option in the future.",
            "The surgeon would potentially consider surgical intervention based on the study.",
            "An early MRI reduced the likelihood of his considering an operation.",
        ),
        restated=(
            "Guidelines support an MRI when surgery is being considered.",
            "ACOEM recommends imaging for patients who would consider surgery.",
            "Guidelines recommend surgery only after failed conservative care.",
            "Surgery was denied by utilization review.",
        ),
        other_region=(
            "He is scheduled for knee arthroscopy next month.",
            "The orthopedist recommended a right shoulder arthroscopy.",
            "He was referred to a hand surgeon for the carpal tunnel.",
        ),
    ),
    # the requested drug already in use (continuing) or new: CPMTG's trial and continuation criteria
    Suite(
        "medication_previously_used",
        "Naproxen 550mg #60",
        read=(
            "He was started on naproxen 550 mg twice daily in January 2015.",
            "She was started on naproxen in January 2015 and continues to take it.",
            "Naproxen was started back in early 2014.",
            "He began naproxen two years ago for the back pain.",
            "He was started on naproxen in the spring of 2015 by his primary care physician.",
            "She has been taking naproxen since 2014.",
            "He remains on Anaprox.",
            "Current medications include naproxen and omeprazole.",
        ),
        negated=(
            "He was started on naproxen at the last visit.",
            "Naproxen was newly prescribed.",
            "This is a first prescription of naproxen.",
            "The plan is to start a trial of naproxen.",
            "Current medications include tramadol and omeprazole.",
        ),
        hedged=(
            "He may be started on naproxen if ibuprofen fails.",
            "He was started on naproxen two weeks ago.",
        ),
        restated=(
            "Guidelines recommend NSAIDs such as naproxen at the lowest dose for the shortest period.",
            "Utilization review noted that naproxen has been taking since 2014.",
        ),
    ),
    # ODG Shoulder: the abduction limit is for a manipulation under anesthesia, read from the item's name
    Suite(
        "shoulder_manipulation_requested",
        "Left shoulder manipulation under anesthesia",
        read=(
            "Left shoulder manipulation under anesthesia",
            "Manipulation under anaesthesia, right shoulder",
            "Right shoulder MUA",
            "Left shoulder arthroscopy with capsular release and MUA",
            "Glenohumeral manipulation under general anesthesia",
        ),
        undocumented=(
            "Arthroscopic capsular release of the left shoulder",
            "Lysis of adhesions, right shoulder",
            "Shoulder arthroscopic capsulotomy",
            "Surgery for adhesive capsulitis of the right shoulder",
            "Frozen shoulder release, left",
        ),
        section="item",
    ),
    # ODG Shoulder: the lesion types a SLAP repair is recommended for, read when the surgery is a SLAP repair
    Suite(
        "slap_repair_requested",
        "Right shoulder arthroscopy with SLAP repair",
        read=(
            "Right shoulder arthroscopy with SLAP repair",
            "Arthroscopic SLAP repair, left shoulder",
            "Superior labral repair, right shoulder",
            "Left shoulder arthroscopy with repair of the superior labrum",
            "Right shoulder arthroscopy, SLAP lesion repair and debridement",
        ),
        undocumented=(
            "Right shoulder arthroscopy with subacromial decompression",
            "Left shoulder arthroscopy and debridement",
            "Diagnostic arthroscopy of the right shoulder",
            "Arthroscopic acromioplasty, left shoulder",
            "Right shoulder arthroscopy with distal clavicle excision",
        ),
        section="item",
    ),
    # CPMTG implantable drug-delivery systems: the request is the temporary trial (not the permanent pump)
    Suite(
        "implant_trial_requested",
        "Intrathecal pump trial",
        read=(
            "Intrathecal pump trial",
            "IDDS trial with an epidural catheter",
            "Trial of intrathecal drug delivery",
            "Temporary intrathecal catheter for a morphine pump",
            "Intrathecal morphine pump, 3-day trial",
        ),
        undocumented=(
            "Intrathecal morphine pump implantation",
            "Implantable drug delivery system",
            "Programmable intrathecal pump, permanent",
            "Implanted infusion pump placement",
        ),
        hedged=("Permanent intrathecal pump implantation after a successful trial",),
        section="item",
    ),
    # services.md X7: a recommendation against a service rebutted by evidence for this worker. Read only when
    # the reviewer denies it (facts.yaml `present: null`): what rebuts a recommendation is for a person to judge
    Suite(
        "recommendation_against_rebutted",
        "Therapeutic ultrasound 8 sessions for the low back",
        read=(
            "There are no exceptional factors to support the ultrasound as it is not recommended by the guidelines.",
            "No special circumstances were described for this worker.",
            "There were no extenuating circumstances in her case.",
            "The worker has no unique circumstances that set her apart.",
            "No compelling indications were documented, therefore the request is not medically necessary.",
        ),
        undocumented=("It is unclear whether there are exceptional factors.",),
        hedged=("There may be special circumstances.", "Exceptional factors are possible but not described."),
        restated=(
            "The guidelines allow an exception for extraordinary circumstances.",
            "Utilization review found no exceptional factors.",
        ),
        negated=(),
        other_region=(),
        section="rationale",
        value=False,
    ),
    # IMR convention on 8 CCR 9792.10.6(b)(1): a request whose content is unspecified cannot be assessed; a
    # small grammar of a request detail (quantity, frequency, duration, body part, dose, type) not stated
    Suite(
        "request_unspecified",
        "Durable medical equipment",
        read=(
            "The requested service did not specify the amount of supplies being recommended.",
            "The request was for visits with an unspecified type of specialist.",
            "The request is for three electrocardiograms over an unspecified period of time.",
            "The request does not state how many visits are being requested.",
            "The request did not include the frequency or duration of treatment.",
            "It is not clear what medication is being requested.",
            "The request lacks a quantity.",
            "No quantity was specified in the request.",
            "The spinal level was not specified.",
            "The provider did not specify the number of visits.",
        ),
        # the details of the records, of the pain or of a guideline are not the request's
        undocumented=(
            "The records do not document the duration of her pain.",
            "The number of prior visits was not documented.",
            "The records do not state how long she has taken the medication.",
            "The level of pain relief was not stated.",
            "The request specifies twelve visits for the lumbar spine.",
        ),
        restated=(
            "Guidelines require the request to specify the body part.",
            "Utilization review noted that the quantity was not specified.",
            "The optimal duration of treatment is not known because most trials were short.",
        ),
        section="rationale",
    ),
    # a course of visits whose name names no region takes the one region of the conditions it treats: a
    # diagnosis, or what the patient is treated for, in other words
    Suite(
        "body_region",
        "Physical therapy 2 times a week for 4 weeks",
        read=(
            "The patient is being treated for a herniated disc of the lumbar spine.",
            "She is undergoing treatment for low back pain with sciatica.",
            "Impression: lumbosacral strain.",
            "Dx: lumbar radiculopathy.",
            "The diagnoses are lumbar sprain/strain and abdominal muscle strain.",
            "He was diagnosed with a lumbar disc protrusion at L4-5.",
        ),
        # two regions decide nothing; no diagnosis; a guideline's diagnoses
        undocumented=(
            "He is being treated for a lumbar strain and a right knee sprain.",
            "The patient has low back pain.",
            "He was treated for a shoulder injury in 2010 and a lumbar strain now.",
            "Diagnoses include a lumbar strain and right shoulder impingement.",
        ),
        restated=("Guidelines list therapy visits by diagnosis for the low back.",),
        value="lumbar",
        absent=None,
    ),
    # ODG discectomy III.B and C: the drug therapy and support providers tried, named as the clinic names them
    # (brand names, a treatment-history list)
    Suite(
        "drug_therapy_tried",
        "Lumbar microdiscectomy at L4-5",
        read=(
            "Prior care: naproxen, a week off work and a lumbar brace.",
            "She takes Motrin for the pain.",
            "He was prescribed Celebrex.",
            "He was given Toradol in the emergency room.",
            "Treatment has included anti-inflammatory medications and rest.",
            "He has tried Aleve and ice.",
        ),
        negated=("He has not taken any anti-inflammatory medication.",),
        hedged=("NSAIDs may be considered.", "She had an epidural for the delivery of her child."),
        restated=(
            "Guidelines recommend a trial of NSAIDs before surgery.",
            "Utilization review noted that he had taken naproxen.",
        ),
        value=["nsaid"],
        absent=[],
    ),
    Suite(
        "support_provider_referral",
        "Lumbar discectomy at L5-S1",
        read=(
            "Treatment to date has included PT and medications.",
            "She saw a physical therapist twice.",
            "He completed 12 sessions of physical therapy.",
            "He attended physiotherapy in 2015.",
            "He does a home exercise program taught in therapy.",
        ),
        negated=("He has not had physical therapy.", "She hasn't had any physiotherapy."),
        hedged=("Physical therapy may be considered.",),
        restated=(
            "Guidelines require a referral for physical therapy before surgery.",
            "Preoperative labs include CBC, PT/INR and BMP.",
        ),
        value=["physical_therapy"],
        absent=[],
    ),
    # ACOEM 2004 Ch. 12 surgical referral: activity limited by radiating leg pain for more than a month (the
    # span read in months, in words or figures)
    Suite(
        "activity_limitation_months",
        "Lumbar microdiscectomy at L4-5",
        read=(
            "Radiating leg pain has limited her activities for six months.",
            "His radiating leg pain has restricted his activity for longer than half a year.",
            "She has had sciatica limiting her activities for 6 months.",
            "The radicular leg pain has limited his walking for six (6) months.",
            "He has been unable to work because of radiating leg pain for six months.",
        ),
        undocumented=("Radiating leg pain has not limited her activities for six months.",),
        hedged=("Her activities may be limited by leg pain for six months after surgery.",),
        restated=(
            "Guidelines require activity limitation due to radiating leg pain for more than one month.",
            "Utilization review noted that radiating leg pain had limited her activities for six months.",
        ),
        other_region=("Neck pain radiating to the arm has limited his work for six months.",),
        value=6,
        absent=None,
    ),
    # ODG discectomy III.A: activity modification for at least two months (the span in months)
    Suite(
        "activity_modification_months",
        "Lumbar microdiscectomy at L4-5",
        read=(
            "She modified her activities for three months.",
            "He has avoided lifting for the past three months.",
            "She has been restricted to sedentary work for three months.",
            "He has been on modified duty for three months.",
            "She returned to modified duty for three months and then to full duty.",
            "He has had three months of activity modification.",
        ),
        undocumented=("He has not modified his activities for three months.",),
        hedged=(
            "He will remain on modified duty for three months.",
            "She may return to light duty for three months.",
        ),
        restated=(
            "Guidelines require two months of activity modification.",
            "Utilization review noted three months of modified duty.",
        ),
        value=3,
        absent=None,
    ),
    # ACOEM 2004 Ch. 12 surgical referral: severe, disabling lower-leg symptoms (words only: no pain score)
    Suite(
        "severe_disabling_leg_symptoms",
        "Lumbar discectomy at L5-S1",
        read=(
            "She has disabling sciatica.",
            "The left leg pain is severe and disabling.",
            "She has incapacitating pain down the left leg.",
            "Her sciatica is severe.",
            "He has intractable left leg pain.",
            "The radicular leg pain keeps him from walking more than a block.",
        ),
        negated=("There is no severe leg pain.",),
        hedged=("If the sciatica becomes severe, surgery may be considered.", "He rates his leg pain 3/10."),
        restated=("Guidelines require severe and disabling lower leg symptoms.",),
        other_region=("He has severe low back pain.", "She has severe neck pain radiating to the arm."),
    ),
    # ACOEM 2004 Ch. 12 surgical referral: extreme progression of lower-leg symptoms
    Suite(
        "leg_symptoms_extreme_progression",
        "Lumbar discectomy at L5-S1",
        read=(
            "Her leg weakness has progressed rapidly over two weeks.",
            "The leg symptoms are rapidly worsening.",
            "He has rapidly progressive weakness of the left leg.",
            "There is marked progression of the left leg numbness.",
            "The left foot drop has worsened quickly.",
        ),
        undocumented=("There is no progression of the leg symptoms.",),
        hedged=(
            "If the leg weakness progresses, surgery may be considered.",
            "Her leg pain has worsened significantly.",
        ),
        restated=("Guidelines allow referral with extreme progression of leg symptoms.",),
        other_region=("Her neck pain has rapidly worsened.",),
    ),
    # ODG fusion: instability shown on motion films (translation, abnormal motion) or named unstable
    Suite(
        "spinal_instability",
        "Lumbar fusion at L4-5",
        read=(
            "Flexion-extension films show 5 mm of translation at L4-5.",
            "There is dynamic instability at L4-5 on flexion and extension views.",
            "The x-rays demonstrate an unstable spondylolisthesis at L5-S1.",
            "Flexion and extension films reveal abnormal motion at L4-5.",
            "There is 4.5 mm of anterolisthesis that increases on flexion.",
        ),
        hedged=("Flexion-extension films are requested to rule out instability.",),
        restated=("Guidelines require instability on flexion-extension films.",),
        undocumented=(
            "There is a stable grade 1 spondylolisthesis.",
            "Flexion-extension films show no abnormal motion.",
            "Flexion-extension films showed no instability.",
        ),
        other_region=("There is instability of the knee.",),
    ),
    # ODG elbow MRI: a condition it lists, documented or suspected (the suspicion is what the indication names)
    Suite(
        "elbow_mri_condition_suspected",
        "MRI of the right elbow",
        read=(
            "There is concern for a tear of the ulnar collateral ligament.",
            "A distal biceps tendon rupture is suspected.",
            "Osteochondritis dissecans of the capitellum is suspected.",
            "Examination is consistent with a UCL injury.",
            "Findings are suggestive of a loose body in the elbow.",
            "He has lateral epicondylitis.",
        ),
        negated=("There is no evidence of a loose body.",),
        hedged=("Rule out a biceps tendon tear.", "It is unclear whether she has epicondylitis."),
        restated=("Guidelines recommend MRI for suspected ulnar collateral ligament tears.",),
        other_region=("A rotator cuff tear is suspected.",),
    ),
    # CPMTG electrodiagnostic studies: the upper-limb branch (ACOEM Ch. 8, 11) needs a study of the arms; the
    # item's name says which limbs (the clinic's abbreviations included); a study of the legs only is not one
    Suite(
        "upper_limb_study",
        "EMG of the bilateral upper extremities",
        read=(
            "NCS/EMG RUE",
            "EMG/NCV of the LUE",
            "Electromyography of the right arm",
            "EMG/NCS BUE",
            "Nerve conduction studies of the bilateral hands",
            "EMG/NCV of the upper and lower extremities",
        ),
        negated=(
            "NCV bilateral lower extremities QTY: 2",
            "EMG/NCV of the hip, lumbar",
            "EMG of the right leg",
            "EMG/NCV BLE",
            "NCS of the left lower limb",
        ),
        undocumented=("Electrodiagnostic studies",),
        section="item",
    ),
]


def by_kind(suites: list[Suite], *kinds: str) -> list[tuple[Suite, str]]:
    """Each phrasing of these kinds ("read", "negated", "hedged", ...) of every suite, with its suite: the
    parameters of a module's suite tests."""
    return [(suite, text) for suite in suites for kind in kinds for text in getattr(suite, kind)]


def suite_id(case: object) -> str:
    """A suite test's id: the fact, then the phrasing's start."""
    return case.fact if isinstance(case, Suite) else str(case)[:60]


def suite_tests(suites: list[Suite]) -> tuple[Callable[[Suite, str], None], ...]:
    """The three tests a module's `suites` make, for it to name at module level: each "read" phrasing gives the
    suite's value, each "negated" one its `absent` value, and each undocumented, hedged, restated or
    other-region one nothing."""

    @pytest.mark.parametrize(("suite", "text"), by_kind(suites, "read"), ids=suite_id)
    def read(suite: Suite, text: str) -> None:
        assert read_fact(suite, text) == suite.value

    @pytest.mark.parametrize(("suite", "text"), by_kind(suites, "negated"), ids=suite_id)
    def negated(suite: Suite, text: str) -> None:
        assert read_fact(suite, text) == suite.absent

    @pytest.mark.parametrize(
        ("suite", "text"), by_kind(suites, "undocumented", "hedged", "restated", "other_region"), ids=suite_id
    )
    def not_read(suite: Suite, text: str) -> None:
        assert read_fact(suite, text) is None

    return read, negated, not_read


# A negative contraction is a negation as its words written out are, with a straight or a curly apostrophe.
MRI, DISC, ROOT = "MRI of the lumbar spine", "Lumbar discectomy at L5-S1", "objective_nerve_compromise_on_exam"
CONTRACTED = [
    ("red_flags_present", MRI, "The examination doesn't show any red flags.", False),
    ("red_flags_present", MRI, "He doesn\u2019t have red flags.", False),
    ("red_flags_present", MRI, "There isn't a red flag.", False),
    ("imaging_neural_compression", DISC, "The MRI didn't show nerve root compression.", False),
    ("imaging_neural_compression", DISC, "The MRI didn\u2019t show nerve root compression.", False),
    # the clinic's "w/o" is "without": a negation, not "with"
    ("imaging_neural_compression", DISC, "The MRI showed a disc bulge at L5-S1 w/o nerve root compression.", False),
    ("imaging_neural_compression", DISC, "The MRI showed a disc bulge at L5-S1 with nerve root compression.", True),
    ("red_flags_present", MRI, "Low back pain w/o red flags.", False),
    (ROOT, MRI, "Straight leg raise wasn't positive.", False),
    (ROOT, MRI, "Straight leg raise was not positive.", False),
    (ROOT, MRI, "Straight leg raise was positive on the left.", True),
    ("support_provider_referral", MRI, "She hasn't had physical therapy.", []),
    ("support_provider_referral", MRI, "She hasn\u2019t had any physical therapy.", []),
    ("surgery_considered", MRI, "He won't consider surgery now.", False),
    (
        "conservative_care_failed",
        MRI,
        "The records don't show that conservative care failed.",
        None,
    ),
]


@pytest.mark.parametrize(("fact", "item", "text", "expected"), CONTRACTED)
def test_negative_contractions_negate(fact: str, item: str, text: str, expected: object) -> None:
    assert read_fact(Suite(fact, item, read=()), text) == expected


# The reviewer finding no reason for the request negates nothing the sentence says of the history.
@pytest.mark.parametrize(
    "text",
    [
        "There was no clear rationale for the need of additional physical therapy as she is in therapy now.",
        "No reason was given for further physical therapy.",
        "There is no justification for continued physical therapy.",
    ],
)
def test_no_rationale_for_the_request_is_no_negation_of_the_course(text: str) -> None:
    assert read_fact(Suite("prior_course_completed", PT, read=(), section="rationale"), text) is True


# the three runs of this module's SUITES: read, negated, and not read (undocumented, hedged, restated,
# another region)
(
    test_phrasings_that_must_be_read,
    test_negated_phrasings,
    test_undocumented_hedged_restated_and_other_region_phrasings_are_not_read,
) = suite_tests(SUITES)


# Without words, the injury and request dates decide pain of three months and the acute phase (facts.yaml
# `since_injury`), marked inferred with the lines writing both dates as evidence. Words dating the pain
# before the injury stand against a recent injury (`predating`); words saying less than the dates leave the
# fact out.
@pytest.mark.parametrize(
    ("fact", "text", "injury", "expected"),
    [
        ("chronic_pain_3_months", "He has had low back pain since the injury.", "03/04/2013", True),
        # a recent date of injury dates the pain of a work injury: under three months is not chronic
        ("chronic_pain_3_months", "She has low back pain.", "08/13/2016", False),  # 89 days before 11/10/2016
        ("chronic_pain_3_months", "She has low back pain.", "08/12/2016", True),  # 90 days
        ("chronic_pain_3_months", "She has had back pain for six months.", "10/01/2016", True),
        ("chronic_pain_3_months", "She has had chronic low back pain.", "10/01/2016", True),
        ("chronic_pain_3_months", "She does not have chronic pain.", "03/04/2013", None),
        ("chronic_pain_3_months", "She has had back pain for six months.", "", True),
        ("acute_phase", "She has low back pain.", "10/01/2016", True),
        ("acute_phase", "She has low back pain.", "03/04/2013", False),
        # pain the words date long before a recent injury is past the acute phase
        ("acute_phase", "She has had back pain for six months.", "10/01/2016", False),
        ("acute_phase", "Her neck symptoms began two years ago.", "10/01/2016", False),
    ],
)
def test_a_span_from_the_injury_and_request_dates(fact: str, text: str, injury: str, expected: object) -> None:
    item = "TENS unit purchase" if fact == "chronic_pain_3_months" else "Lumbar support brace"
    assert read_fact(Suite(fact, item, read=(), injury=injury), text) is expected


def test_a_span_from_the_dates_is_inferred_with_the_dates_as_evidence() -> None:
    text = letter_text(f"{INTRO} She has low back pain.", "TENS unit purchase", injury="03/04/2013")
    data = extract_text(text, "suite.txt", bundled_library(), bundled_patterns())
    fact = data.facts["chronic_pain_3_months"]
    assert fact.value is True and fact.inferred is True
    assert [e.section for e in fact.evidence] == ["header", "header"]
    assert "03/04/2013" in fact.evidence[0].quote and "11/10/2016" in fact.evidence[1].quote


# --- kinds of invented fact (issue 12): what the reader must never read, beside what it must ------------------

SHOULDER_MRI, ACUPUNCTURE, TRAMADOL = (
    "MRI of the right shoulder",
    "Acupuncture 6 sessions for the low back",
    "Tramadol 50mg #60",
)
GABAPENTIN, NORCO = "Gabapentin 600mg #90", "Norco 10/325mg #90"
LUMBAR_MRI, CERVICAL_MRI, ROOT_FACT = (
    "MRI of the lumbar spine",
    "MRI of the cervical spine",
    "objective_nerve_compromise_on_exam",
)
ULTRASOUND = "Therapeutic ultrasound 8 sessions for the low back"
INVENTED: list[tuple[str, str, str, str, object]] = [
    # a guideline's criteria quoted as one sentence, its items after a colon and between semicolons
    (
        "failed_exercise_program",
        SHOULDER_MRI,
        "rationale",
        "Criteria for imaging are: a new red flag; failure to progress in a strengthening program; planned surgery.",
        None,
    ),
    (
        "failed_exercise_program",
        SHOULDER_MRI,
        "rationale",
        "The ODG lists indications: failure to progress in a home exercise program; a tumour.",
        None,
    ),
    (
        "failed_exercise_program",
        SHOULDER_MRI,
        "rationale",
        "She failed to progress in a strengthening program over eight weeks; the MRI is requested.",
        True,
    ),
    # no evidence for a claim (a clause), or no clear evidence: a gap in the records, not a finding of absence
    (
        "non_opioid_treatment_failed",
        TRAMADOL,
        "summary",
        "There is no evidence to support that he failed NSAIDs.",
        None,
    ),
    ("non_opioid_treatment_failed", TRAMADOL, "summary", "No evidence that she has failed acetaminophen.", None),
    ("non_opioid_treatment_failed", TRAMADOL, "summary", "He could not tolerate naproxen because of gastritis.", True),
    (
        "pain_medication_reduced_or_not_tolerated",
        ACUPUNCTURE,
        "summary",
        "There is no evidence the worker cannot tolerate oral medications.",
        None,
    ),
    (
        "pain_medication_reduced_or_not_tolerated",
        ACUPUNCTURE,
        "summary",
        "He is unable to tolerate oral medications because of stomach upset.",
        True,
    ),
    ("neuropathic_pain", GABAPENTIN, "summary", "There is no evidence that her pain is neuropathic pain.", None),
    ("neuropathic_pain", GABAPENTIN, "summary", "No evidence to suggest a neuropathic component was found.", None),
    ("neuropathic_pain", GABAPENTIN, "summary", "There is no evidence of neuropathic pain on examination.", False),
    # the records silent about a judgement: notes not provided, so whether function improved is not known
    (
        "functional_improvement_from_prior",
        PT,
        "rationale",
        "The records do not include any therapy progress notes showing how many visits he had or whether his"
        " function improved with the prior therapy.",
        None,
    ),
    (
        "functional_improvement_from_prior",
        PT,
        "rationale",
        "The file did not contain the therapist's reports on the sessions or on functional gains after them.",
        None,
    ),
    # a condition for later care is not a course had; no reason for more negates the request, not the course
    (
        "prior_course_completed",
        PT,
        "rationale",
        "Additional visits would not be indicated until the results of the first visits are known.",
        None,
    ),
    ("prior_course_completed", PT, "rationale", "Further treatment is contingent upon the response to it.", None),
    (
        "prior_course_completed",
        PT,
        "rationale",
        "There is no clear rationale for additional physical therapy, as she attended previous therapy in June.",
        True,
    ),
    ("prior_course_completed", PT, "rationale", "He completed a course of physical therapy last spring.", True),
    # shooting alone is any sharp pain; shooting along a course, or burning or electric, is neuropathic
    ("neuropathic_pain", GABAPENTIN, "summary", "He felt a sharp, shooting pain in the low back as he lifted.", None),
    ("neuropathic_pain", GABAPENTIN, "summary", "She has shooting pain down the left leg.", True),
    ("neuropathic_pain", GABAPENTIN, "summary", "He describes a sharp, burning pain in both feet.", True),
    # a guideline's instruction in the imperative, a lettered list quoted inline
    ("opioid_monitoring_documented", NORCO, "rationale", "Document the four A's at each visit of chronic use.", None),
    ("opioid_monitoring_documented", NORCO, "rationale", "Monitor the 4 A's when opioids are continued.", None),
    ("opioid_monitoring_documented", NORCO, "rationale", "The provider documented the four A's at each visit.", True),
    (
        "pain_relief_from_medication",
        NORCO,
        "rationale",
        "a. Analgesia: meaningful improvement in the level of pain. b. Activity: meaningful improvement in"
        " function. c. Adverse events: side effects.",
        None,
    ),
    # the patient's own drugs, in a short finding, are not a statement about a class of drugs
    ("non_opioid_treatment_failed", TRAMADOL, "summary", "NSAIDs have not helped.", True),
    ("non_opioid_treatment_failed", TRAMADOL, "summary", "NSAIDs have failed.", True),
    ("non_opioid_treatment_failed", TRAMADOL, "summary", "NSAIDs may be tried and failed before opioids.", None),
    # documented absence: the reviewer's finding that the examination or the records hold none of it
    (
        "objective_neurologic_findings",
        CERVICAL_MRI,
        "rationale",
        "The submitted notes do not show clinical findings consistent with a focal neurological deficit.",
        False,
    ),
    (
        "objective_neurologic_findings",
        CERVICAL_MRI,
        "rationale",
        "There is no clear or objective evidence of neurologic impairment.",
        False,
    ),
    (
        "objective_neurologic_findings",
        CERVICAL_MRI,
        "rationale",
        "Guidelines require unequivocal evidence of neurologic dysfunction before imaging.",
        None,
    ),
    (
        "objective_neurologic_findings",
        CERVICAL_MRI,
        "rationale",
        "The records do not establish that a focal deficit was looked for.",
        None,
    ),
    (
        "objective_neurologic_findings",
        CERVICAL_MRI,
        "rationale",
        "Utilization review found no evidence of neurological dysfunction.",
        None,
    ),
    (ROOT_FACT, LUMBAR_MRI, "rationale", "No positive neurologic findings were seen on the latest examination.", False),
    (
        ROOT_FACT,
        LUMBAR_MRI,
        "rationale",
        "The examination revealed no evidence of red flags or nerve root compromise.",
        False,
    ),
    (
        ROOT_FACT,
        LUMBAR_MRI,
        "summary",
        "She had no tenderness of the hip, negative straight leg raise bilaterally and normal reflexes.",
        False,
    ),
    (ROOT_FACT, LUMBAR_MRI, "rationale", "There was no documentation of neurological deficits.", None),
    (
        ROOT_FACT,
        LUMBAR_MRI,
        "rationale",
        "Guidelines require objective evidence of nerve compromise on examination.",
        None,
    ),
    ("red_flags_present", LUMBAR_MRI, "rationale", "The physical examination does not document any red flags.", False),
    (
        "red_flags_present",
        LUMBAR_MRI,
        "rationale",
        "There was no discussion of surgery or the emergence of any red flag.",
        False,
    ),
    ("red_flags_present", LUMBAR_MRI, "rationale", "Imaging is indicated for any red flag.", None),
    ("red_flags_present", LUMBAR_MRI, "rationale", "The records do not note whether red flags were looked for.", None),
    ("neuropathic_pain", GABAPENTIN, "summary", "He has no neurological symptoms in the legs.", False),
    ("neuropathic_pain", GABAPENTIN, "summary", "Gabapentin is used for neuropathic symptoms.", None),
    ("surgery_considered", LUMBAR_MRI, "summary", "There is a plan for lumbar surgery next month.", True),
    ("surgery_considered", LUMBAR_MRI, "summary", "There was no plan for surgery.", False),
    ("surgery_considered", LUMBAR_MRI, "summary", "Imaging is recommended when there is a plan for surgery.", None),
    # a finding, then the conclusion drawn from it or the guideline it cites, in one sentence
    (
        "exceptional_factors",
        PT,
        "rationale",
        "There are no exceptional factors which would exceed the ODG visit limits therefore the request is"
        " not medically necessary.",
        False,
    ),
    (
        "exceptional_factors",
        PT,
        "rationale",
        "No extenuating circumstances are documented, therefore additional therapy is not medically necessary.",
        False,
    ),
    ("exceptional_factors", PT, "rationale", "The MTUS allows more visits for exceptional factors.", None),
    (
        "recommendation_against_rebutted",
        ULTRASOUND,
        "rationale",
        "There are no exceptional factors to support the ultrasound as it is not recommended by the guidelines.",
        False,
    ),
    (
        "recommendation_against_rebutted",
        ULTRASOUND,
        "rationale",
        "No special circumstances were described for this worker.",
        False,
    ),
    (
        "recommendation_against_rebutted",
        ULTRASOUND,
        "rationale",
        "The provider described exceptional circumstances.",
        None,
    ),
    # cauda equina red flags (ACOEM Table 12-1): one present documents red flags, one denied says nothing
    ("red_flags_present", LUMBAR_MRI, "summary", "She reports saddle numbness since Tuesday.", True),
    ("red_flags_present", LUMBAR_MRI, "summary", "He has new urinary hesitancy since last week.", True),
    ("red_flags_present", LUMBAR_MRI, "summary", "He reports incontinence of bowel and bladder.", True),
    ("red_flags_present", LUMBAR_MRI, "summary", "She describes a loss of bladder control.", True),
    ("red_flags_present", LUMBAR_MRI, "summary", "Rectal examination showed decreased sphincter tone.", True),
    ("red_flags_present", LUMBAR_MRI, "summary", "He denies saddle numbness.", None),
    ("red_flags_present", LUMBAR_MRI, "summary", "He has urinary frequency from his enlarged prostate.", None),
    (
        "red_flags_present",
        LUMBAR_MRI,
        "summary",
        "No red flags such as saddle numbness or urinary retention were found.",
        False,
    ),
    # a test in general and the condition for it, with no cue word
    (
        "red_flags_present",
        LUMBAR_MRI,
        "rationale",
        "Imaging is appropriate when red flags such as cauda equina syndrome are present.",
        None,
    ),
    ("red_flags_present", LUMBAR_MRI, "rationale", "An MRI is ordered when there are red flags.", None),
    ("red_flags_present", LUMBAR_MRI, "rationale", "Surgery is considered in patients with saddle anesthesia.", None),
    # a guideline's requirement or example with no cue word, a general condition, the denial's reasons
    (
        ROOT_FACT,
        LUMBAR_MRI,
        "rationale",
        "Radiculopathy must be corroborated by decreased sensation in a dermatomal distribution.",
        None,
    ),
    (
        ROOT_FACT,
        LUMBAR_MRI,
        "rationale",
        "Objective findings such as a positive straight leg raise are needed to support the request.",
        None,
    ),
    (
        ROOT_FACT,
        LUMBAR_MRI,
        "rationale",
        "She was told that a positive straight leg raise would justify surgery.",
        None,
    ),
    (ROOT_FACT, LUMBAR_MRI, "rationale", "The denial was based on the absence of a positive straight leg raise.", None),
    (
        ROOT_FACT,
        LUMBAR_MRI,
        "rationale",
        "No findings such as a positive straight leg raise were documented on examination.",
        False,
    ),
    (
        ROOT_FACT,
        LUMBAR_MRI,
        "rationale",
        "The examination found a positive straight leg raise on the left, which would support the request.",
        True,
    ),
    ("red_flags_present", LUMBAR_MRI, "rationale", "Red flags include cauda equina syndrome and fracture.", None),
    ("red_flags_present", LUMBAR_MRI, "rationale", "Absent red flags, an MRI is not indicated.", None),
    (
        "red_flags_present",
        LUMBAR_MRI,
        "rationale",
        "In the absence of red flags, imaging is not recommended in the first six weeks.",
        None,
    ),
    (
        "red_flags_present",
        LUMBAR_MRI,
        "rationale",
        "In the absence of red flags, the MRI is not medically necessary.",
        False,
    ),
    (
        "red_flags_present",
        LUMBAR_MRI,
        "rationale",
        "No red flags such as saddle numbness or urinary retention were found.",
        False,
    ),
    (
        "imaging_neural_compression",
        "Lumbar discectomy at L5-S1",
        "summary",
        "Concern for a disc herniation was raised.",
        None,
    ),
    (
        "functional_improvement_from_prior",
        PT,
        "rationale",
        "Continued therapy requires objective functional improvement.",
        None,
    ),
    (
        "functional_improvement_from_prior",
        PT,
        "rationale",
        "More visits are supported with documented functional improvement.",
        None,
    ),
    ("functional_improvement_from_prior", PT, "rationale", "The goal of therapy is functional improvement.", None),
    (
        "functional_improvement_from_prior",
        PT,
        "rationale",
        "With evidence of functional improvement, further therapy could be supported.",
        None,
    ),
    ("functional_improvement_from_prior", PT, "rationale", "The denial noted no functional improvement.", None),
    (
        "functional_improvement_from_prior",
        PT,
        "rationale",
        "She requires less assistance at home since the prior therapy and has returned to full duty.",
        True,
    ),
    (
        "prior_course_completed",
        PT,
        "rationale",
        "Continued therapy depends upon the response to the initial trial.",
        None,
    ),
    ("prior_course_completed", PT, "rationale", "Further sessions, depending on the progress, are then allowed.", None),
    (
        "conservative_care_failed",
        "Lumbar discectomy at L5-S1",
        "rationale",
        "Surgery is considered after failed conservative management.",
        None,
    ),
    (
        "conservative_care_failed",
        "Lumbar discectomy at L5-S1",
        "rationale",
        "She has failed six months of physical therapy, medications and an injection.",
        True,
    ),
    (
        "functional_improvement_from_prior",
        PT,
        "rationale",
        "Functional improvement is measured by a reduction in work restrictions.",
        None,
    ),
]


@pytest.mark.parametrize(("fact", "item", "section", "text", "expected"), INVENTED, ids=[c[3][:50] for c in INVENTED])
def test_kinds_of_invented_fact(fact: str, item: str, section: str, text: str, expected: object) -> None:
    assert read_fact(Suite(fact, item, read=(), section=section), text) == expected


def _two_items(first: tuple[str, str], second: tuple[str, str]) -> ExtractedLetter:
    """The letter as read, with two items, each (name, its decision rationale)."""
    rationale = (
        f"{first[1]}\n\n{second[0]}: Upheld\n\nClaims Administrator guideline: The Claims Administrator did not"
        f" cite any medical evidence for its decision.\n\nMAXIMUS guideline: Decision based on MTUS.\n\n"
        f"Decision rationale: {second[1]}"
    )
    text = letter_text(f"{INTRO} He has low back and left shoulder pain.", first[0], rationale=rationale)
    return extract_text(text, "suite.txt", bundled_library(), bundled_patterns())


def _item_value(data: ExtractedLetter, index: int, fact: str) -> Any:
    found = data.items[index].facts.get(fact) or data.facts.get(fact)
    return None if found is None else found.value


@pytest.mark.parametrize(
    "finding",
    [
        "However, there were no red flags noted on physical examination to support the request.",
        "No red flag findings were documented at the visit.",
    ],
)
def test_a_finding_under_one_item_names_no_region_and_is_about_that_item(finding: str) -> None:
    """A sentence of item B's rationale that names no region is about B's regions: it does not decide item
    A of another region, whose own rationale says nothing of it (the check would quote B's rationale)."""
    data = _two_items(
        ("X-rays of the lumbar spine", finding),
        ("X-rays of the left shoulder", "The shoulder films are not medically necessary at this time."),
    )
    assert _item_value(data, 0, "red_flags_present") is False
    assert _item_value(data, 1, "red_flags_present") is None
    # the same finding under the shoulder item is the shoulder's, and names the region where it is read
    data = _two_items(
        ("X-rays of the lumbar spine", "The lumbar films are not medically necessary at this time."),
        ("X-rays of the left shoulder", finding),
    )
    assert _item_value(data, 0, "red_flags_present") is None
    assert _item_value(data, 1, "red_flags_present") is False


@pytest.mark.parametrize("bullet", ["\u2022", "-", "*", "\u25aa"])
def test_bullet_lines_without_full_stops_are_sentences_of_their_own(bullet: str) -> None:
    """A fresh user's letter listed findings as bullet lines with no full stops: run together, the first
    line's "No" denied the second line's sign, and a guideline bullet swallowed a finding."""
    lines = [
        "Examination findings:",
        f"{bullet} No numbness in the feet",
        f"{bullet} Positive straight leg raise on the left at 40 degrees",
        f"{bullet} NSAIDs have not helped",
        f"{bullet} Guidelines recommend imaging only with red flags",
    ]
    text = letter_text(f"{INTRO}\n" + "\n".join(lines), "MRI of the lumbar spine")
    data = extract_text(text, "suite.txt", bundled_library(), bundled_patterns())
    assert data.facts["objective_nerve_compromise_on_exam"].value is True
    quote = data.facts["objective_nerve_compromise_on_exam"].evidence[0].quote
    assert quote == "Positive straight leg raise on the left at 40 degrees"
    assert "red_flags_present" not in data.facts


def test_a_post_operative_course_whose_surgery_this_letter_requests_has_not_begun() -> None:
    surgery = ("Right knee arthroscopy with partial medial meniscectomy", "The surgery is not medically necessary.")
    postop = ("Post-operative physical therapy 12 sessions for the right knee", "It is not medically necessary.")
    data = _two_items(surgery, postop)
    course = data.items[1].facts["prior_course_completed"]
    assert course.value is False and course.inferred is True
    assert course.evidence[0].quote == surgery[0]
    # the item's own words win: a course under way is read, not inferred away
    had = (postop[0], "She has completed 6 post-operative physical therapy visits after the arthroscopy.")
    assert _two_items(surgery, had).items[1].facts["prior_course_completed"].value is True


@pytest.mark.parametrize(
    ("text", "injury", "expected"),
    [
        ("She has acute low back pain after lifting a box.", "", False),
        ("He has had neck pain for two weeks.", "", False),
        ("He has acute on chronic low back pain.", "", True),
        ("He has an acute flare of his chronic neck pain.", "", True),
        ("NSAIDs are recommended for acute low back pain.", "", None),
        # words that contradict the dates (an injury years before the request) leave it out
        ("She has acute low back pain after lifting a box.", "03/04/2013", None),
    ],
)
def test_pain_called_acute_or_shorter_than_three_months_is_not_chronic(
    text: str, injury: str, expected: object
) -> None:
    assert read_fact(Suite("chronic_pain_3_months", "TENS unit purchase", read=(), injury=injury), text) is expected


# --- the audit ----------------------------------------------------------------------------------------------

# Facts the rules read with fewer than MINIMUM invented phrasings either way, most-read first. Shrink it.
KNOWN_GAPS: tuple[str, ...] = (
    "treated_regions",
    "cts_nerve_conduction_confirmed",
    "esi_approach",
    "hardware_removal_considered",
    "knee_brace_indication",
    "knee_oa_or_patellar_tendinosis",
    "knee_osteoarthritis_severe",
    "knee_trauma_criteria",
    "mbb_response_70pct",
    "other_pain_generators_ruled_out",
    "persistent_pain_after_fusion",
    "plain_films_nondiagnostic",
    "prior_fusion_with_hardware",
    "prior_mri_regions",
    "shoulder_injection_indication",
    # facts of rules merged from another branch after this list was made, read by one rule each
    "acl_incompetence",
    "bmi",
    "hardware_broken",
    "knee_arthritis_on_imaging",
    "knee_instability_symptoms",
    "knee_motion_limited",
    "meniscectomy_requested",
    "nighttime_joint_pain",
    "rotator_cuff_tear_on_imaging",
    "shoulder_elevation_rotation_weakness",
)


def facts_in_scope() -> Counter[str]:
    """Every fact some rule reads and an extraction pattern targets, with the number of rules reading it."""
    targeted = {pattern.fact for pattern in bundled_patterns().facts.facts}
    used: Counter[str] = Counter()
    for loaded in bundled_library().rules:
        used.update({n.fact for n in loaded.rule.criteria.walk() if isinstance(n, FactCriterion)} & targeted)
    return used


def _modules() -> list[dict[str, Any]]:
    """The namespaces of the other tests/test_reading_*.py modules."""
    return [
        vars(importlib.import_module(f"{__package__}.{info.name}"))
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("test_reading_") and info.name != Path(__file__).stem
    ]


def all_suites() -> list[Suite]:
    """SUITES here and the `SUITES` lists of Suite of the other tests/test_reading_*.py modules."""
    found = list(SUITES)
    for module in _modules():
        more = module.get("SUITES")
        if isinstance(more, list) and more is not SUITES:
            # (by name: run as a script, this module's Suite is __main__.Suite, not the one they import)
            found.extend(s for s in more if type(s).__name__ == "Suite")
    return found


def _adopted() -> dict[str, tuple[int, int]]:
    """Phrasings of the `X`, `X_READ`, `X_FALSE`, `X_NONE` suites in tests/test_reading_*.py modules."""
    found: Counter[str] = Counter()
    negative: Counter[str] = Counter()
    for module in _modules():
        for name, fact in module.items():
            if isinstance(fact, str) and isinstance(module.get(f"{name}_READ"), list):
                found[fact] += len(module[f"{name}_READ"])
                negative[fact] += len(module.get(f"{name}_FALSE", [])) + len(module.get(f"{name}_NONE", []))
    return {fact: (found[fact], negative[fact]) for fact in found}


def phrasing_counts() -> dict[str, tuple[int, int]]:
    """Per fact: invented phrasings that must be read, and that must not (negated, hedged, restated, other
    region), over SUITES and the adopted suites."""
    counts = {fact: list(pair) for fact, pair in _adopted().items()}
    for suite in all_suites():
        pair = counts.setdefault(suite.fact, [0, 0])
        pair[0] += len(suite.read)
        pair[1] += suite.negatives()
    return {fact: (pair[0], pair[1]) for fact, pair in counts.items()}


def audit() -> list[tuple[str, int, int, int]]:
    """(fact, rules reading it, phrasings read, phrasings not read) for every fact in scope, most-read first."""
    counts = phrasing_counts()
    return [
        (fact, n, *counts.get(fact, (0, 0)))
        for fact, n in sorted(facts_in_scope().items(), key=lambda x: (-x[1], x[0]))
    ]


def test_every_fact_the_rules_read_has_a_suite() -> None:
    gaps = [fact for fact, _, pos, neg in audit() if pos < MINIMUM or neg < MINIMUM]
    new = [fact for fact in gaps if fact not in KNOWN_GAPS]
    filled = [fact for fact in KNOWN_GAPS if fact not in gaps]
    assert not new, f"facts the rules read with fewer than {MINIMUM} phrasings read or not read: {new}"
    assert not filled, f"suites complete now, take them out of KNOWN_GAPS: {filled}"


def test_every_suite_names_a_fact_the_rules_read_and_an_item_that_reads_it() -> None:
    scope = facts_in_scope()
    suites = all_suites()
    for suite in suites:
        assert suite.fact in scope, suite.fact
        assert suite.section in ("summary", "rationale", "item"), suite.section
    assert len({(s.fact, s.item, s.section) for s in suites}) == len(suites)


if __name__ == "__main__":
    rows = audit()
    print(f"{'fact':45s} rules  read  not read")
    for fact, n, pos, neg in rows:
        mark = "" if pos >= MINIMUM and neg >= MINIMUM else "  gap"
        print(f"{fact:45s} {n:5d} {pos:5d} {neg:9d}{mark}")
    complete = sum(1 for _, _, pos, neg in rows if pos >= MINIMUM and neg >= MINIMUM)
    print(f"{complete} of {len(rows)} facts have {MINIMUM} phrasings each way")
