"""Paraphrase suites for medication, treatment-course and monitoring facts (issue 12): the opioid guidelines'
monitoring (the four A's, CURES, drug screens, agreements, aberrant behaviour), a return to work, first-line
drugs failed, drugs that raise the risk of an NSAID, a failed TENS trial, and spans of limited or modified
activity in words. Written from the guidelines' vocabulary (MTUS Opioids Treatment Guidelines 2016 3.3,
CPMTG 2009) and clinical charting, never from a letter; each phrasing goes through the real reader
(`test_reading_suites.read_fact`), and the audit there counts these suites."""

from __future__ import annotations

import pytest

from .test_reading_suites import Suite, read_fact, suite_tests

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
    # MTUS CPMTG 2009 opioids, when to continue: the patient has returned to work
    Suite(
        "returned_to_work",
        NORCO,
        read=(
            "She has returned to full duty.",
            "He is back at work with restrictions.",
            "He is currently working modified duty.",
            "She resumed her usual job in March.",
            "He went back to work as a forklift driver.",
            "She is working her regular job.",
        ),
        negated=(
            "He has not returned to work.",
            "She remains off work.",
            "He is not working.",
            "She is temporarily totally disabled.",
            "He has been unable to return to work.",
        ),
        hedged=(
            "The goal is to return him to work.",
            "She hopes to return to work next month.",
            "He may return to modified duty.",
        ),
        restated=("Guidelines support continued opioids when the patient has returned to work.",),
        request="05/10/2016",
    ),
    # MTUS CPMTG topical analgesics: after first-line oral agents for neuropathic pain have failed
    Suite(
        "first_line_neuropathic_failed",
        "Lidocaine 5% patch #30",
        read=(
            "She failed gabapentin and amitriptyline.",
            "Lyrica did not help his neuropathic pain.",
            "He could not tolerate duloxetine because of nausea.",
            "Gabapentin caused dizziness and was discontinued.",
            "She has tried and failed first-line antidepressants and anticonvulsants.",
            "There was an inadequate response to nortriptyline.",
        ),
        negated=(
            "Gabapentin has helped his neuropathic pain.",
            "He tolerates pregabalin well and it relieves his pain.",
        ),
        undocumented=("There is no evidence of a failed trial of first-line agents such as gabapentin.",),
        hedged=(
            "If gabapentin fails, a lidocaine patch could be considered.",
            "He was started on gabapentin last week.",
        ),
        restated=(
            "Lidocaine is recommended after a trial of first-line therapy (an antidepressant or gabapentin) has"
            " failed.",
            "Utilization review noted that gabapentin had failed.",
        ),
    ),
    # MTUS CPMTG NSAIDs, GI risk: concurrent aspirin, a corticosteroid or an anticoagulant
    Suite(
        "gi_risk_medications",
        "Omeprazole 20mg #30",
        read=(
            "She takes aspirin 81 mg daily.",
            "He is on warfarin for atrial fibrillation.",
            "Current medications include prednisone and naproxen.",
            "She takes Eliquis.",
            "He takes Plavix and naproxen.",
            "He is on a blood thinner.",
        ),
        negated=(
            "He does not take aspirin or anticoagulants.",
            "She is not on a blood thinner.",
            "She denies taking aspirin.",
            "He stopped warfarin last year.",
        ),
        hedged=("Aspirin may be added for his heart.",),
        restated=(
            "Risk factors include concurrent use of aspirin, corticosteroids and/or an anticoagulant.",
            "Utilization review noted aspirin use.",
        ),
        other_region=("He is allergic to aspirin.",),
    ),
    # MTUS CPMTG NSAIDs, GI risk: a high dose or more than one NSAID at a time
    Suite(
        "high_dose_or_multiple_nsaids",
        "Omeprazole 20mg #30",
        read=(
            "He takes two NSAIDs.",
            "She takes naproxen and ibuprofen together.",
            "He is on high-dose ibuprofen.",
            "She takes meloxicam along with low-dose aspirin.",
            "Multiple anti-inflammatories have been prescribed concurrently.",
            "He uses naproxen in addition to over-the-counter Advil.",
        ),
        negated=("He does not take more than one NSAID.", "She is not on high-dose NSAIDs."),
        hedged=("A second NSAID may be added.",),
        restated=(
            "Risk factors include high dose or multiple NSAIDs (e.g. an NSAID with low-dose aspirin).",
            "Utilization review noted multiple NSAIDs.",
        ),
        other_region=("She takes naproxen.",),
    ),
    # MTUS CPMTG H-wave and PENS: after a TENS trial failed
    Suite(
        "tens_trial_failed",
        "H-wave unit rental for one month",
        read=(
            "A TENS trial failed to relieve his pain.",
            "She failed a trial of TENS.",
            "The TENS unit did not help.",
            "TENS provided no relief.",
            "He tried a TENS unit without benefit.",
            "Transcutaneous electrical nerve stimulation was ineffective.",
        ),
        undocumented=("There is no documentation that a TENS trial failed.",),
        hedged=("If TENS fails, an H-wave unit may be tried.", "A TENS trial is planned."),
        restated=(
            "H-wave is recommended only after failure of a TENS unit.",
            "Utilization review noted that TENS had failed.",
        ),
        other_region=("The interferential unit did not help.",),
    ),
    # ACOEM 2004 Ch. 12: activity limited by radiating leg pain for more than a month (in words)
    Suite(
        "activity_limitation_months",
        DISC,
        read=(
            "Radiating leg pain has limited his activities for six months.",
            "His activity has been limited by radicular leg pain for 6 months.",
            "Sciatica has restricted her work for half a year.",
            "Her radiating leg symptoms have limited her daily activities for the past six (6) months.",
            "Radicular leg pain has limited his function for over six months.",
        ),
        undocumented=("There is no documentation of how long leg pain has limited his activities.",),
        hedged=("Radiating leg pain may limit his activities for six months.",),
        restated=(
            "Guidelines support referral when activity has been limited by leg pain for more than one month.",
            "Utilization review noted that leg pain had limited his activities for six months.",
        ),
        other_region=("Neck pain has limited his activities for six months.",),
        value=6.0,
    ),
    # ODG discectomy: activity modification tried for at least two months
    Suite(
        "activity_modification_months",
        DISC,
        read=(
            "He has been on modified duty for two months.",
            "She has had activity restrictions for 2 months.",
            "Two months of activity modification did not help.",
            "He has been working light duty for the past two (2) months.",
            "Work restrictions have been in place for over two months.",
        ),
        undocumented=("There is no documentation of activity modification.",),
        hedged=("He will remain on modified duty for two months.", "Light duty may be tried for two months."),
        restated=(
            "ODG requires activity modification for at least two months before surgery.",
            "Utilization review noted two months of modified duty.",
        ),
        value=2.0,
    ),
    # ACOEM 2004 Ch. 9 and 13 surgery: activity limited for more than four months
    Suite(
        "joint_activity_limitation_months",
        "Right shoulder arthroscopy with subacromial decompression",
        read=(
            "Her activities have been limited for four months.",
            "He has had activity limitations for 4 months.",
            "Her function has been restricted for the past four (4) months.",
            "He has been limited in his daily activities for four months.",
            "Activity has been restricted by the shoulder pain for over four months.",
        ),
        undocumented=("There is no documentation of how long her activities have been limited.",),
        hedged=("Her activities may be limited for four months after surgery.",),
        restated=(
            "Guidelines support surgery when activity has been limited for more than four months.",
            "Utilization review noted four months of activity limitation.",
        ),
        other_region=("Her activities have been limited for nearly four months.",),  # an upper bound
        value=4.0,
    ),
    # 8 CCR 9792.20 functional improvement, the opioid's Activity 'A' (3.3.9): what the drug lets her do
    Suite(
        "functional_improvement_from_prior",
        NORCO,
        read=(
            "With Norco she is able to do household chores and walk her dog.",
            "Norco allows him to work full duty.",
            "On the medication she can perform her activities of daily living.",
            "Without Norco he cannot get out of bed; with it he can cook and clean.",
            "Her medication use decreased over the last three months.",
        ),
        negated=("Her function has not improved on Norco.", "His work restrictions have not been lifted."),
        undocumented=(
            "There is no documentation of improved function with Norco.",
            "The records do not show that Norco allows her to do her chores.",
        ),
        hedged=("The goal is for Norco to allow him to return to work.",),
        restated=(
            "Guidelines continue opioids when they allow the patient to return to work.",
            "Utilization review noted that with Norco she can do her chores.",
        ),
        section="rationale",
    ),
    # 8 CCR 9792.20: more therapy after functional improvement from the prior visits, in other words
    Suite(
        "functional_improvement_from_prior",
        "Physical therapy 2 times a week for 4 weeks for the lumbar spine",
        read=(
            "He now tolerates sitting for two hours, up from 30 minutes, after therapy.",
            "Since the prior therapy she is able to do her own grocery shopping.",
            "The prior therapy allowed him to return to his usual job.",
            "He needs fewer office visits since completing therapy.",
            "After the six visits he was released to full duty.",
        ),
        negated=("The restrictions have not been lifted after therapy.",),
        hedged=("The goal of therapy is to lift her restrictions.", "Therapy may allow her to return to work."),
        restated=(
            "Functional improvement means a reduction in work restrictions or less dependence on treatment.",
            "Utilization review noted that she returned to full duty.",
        ),
        section="rationale",
    ),
    # MTUS CPMTG epidural steroid injections: a repeat block after 50% relief with less medication, 6-8 weeks
    Suite(
        "esi_prior_relief",
        "Repeat lumbar epidural steroid injection at L5-S1",
        read=(
            "After the prior L5-S1 epidural she reported 60% pain relief for eight weeks with less medication use.",
            "The previous ESI provided 70% improvement lasting two months.",
            "She had more than half of her pain relieved for 6 weeks after the last epidural injection.",
            "The first injection gave 50% relief for seven weeks and she cut her Norco in half.",
            "Following the epidural injection he had 80% relief for about two months.",
        ),
        negated=(
            "The prior epidural provided only 30% relief.",
            "The last ESI gave 60% relief that lasted only one week.",
            "He had no relief from the prior epidural injection.",
            "The previous epidural did not help.",
        ),
        hedged=("A repeat injection may give 50% relief.",),
        restated=(
            "Guidelines require at least 50% pain relief for six to eight weeks after the prior injection.",
            "Utilization review noted 60% relief after the ESI.",
        ),
    ),
    # ODG functional capacity evaluation: prior unsuccessful attempts to return to work
    Suite(
        "unsuccessful_return_to_work_attempts",
        "Functional capacity evaluation",
        read=(
            "He has made unsuccessful attempts to return to work.",
            "She tried to return to modified duty twice but could not tolerate it.",
            "An attempt to return to work in March failed after a week.",
            "He went back to work in June but had to stop after two weeks.",
            "Her return to work was unsuccessful.",
        ),
        negated=(
            "He has not attempted to return to work.",
            "She returned to work without difficulty.",
            "She successfully returned to full duty.",
        ),
        undocumented=("There is no documentation of prior unsuccessful return-to-work attempts.",),
        hedged=("She may attempt a return to work next month.",),
        restated=(
            "An FCE is considered when prior attempts to return to work have been unsuccessful.",
            "Utilization review noted failed return-to-work attempts.",
        ),
    ),
    # ODG antiemetics: nausea from chemotherapy, radiation, the post-operative period or gastroenteritis
    Suite(
        "antiemetic_indication",
        "Ondansetron 8mg #30",
        read=(
            "She has postoperative nausea after the shoulder surgery.",
            "He developed nausea and vomiting following surgery.",
            "She has chemotherapy-induced nausea.",
            "He is being treated for acute gastroenteritis.",
            "She had nausea and vomiting after the lumbar fusion.",
        ),
        negated=(
            "Her nausea is from the opioid medication.",
            "He has opioid-induced nausea.",
            "The nausea is secondary to his pain medications.",
        ),
        hedged=("Ondansetron may be used for nausea after surgery.",),
        restated=(
            "Ondansetron is recommended for chemotherapy-induced nausea.",
            "Utilization review noted postoperative nausea.",
        ),
    ),
    # ODG discectomy: drug therapy tried (an NSAID, another analgesic, a muscle relaxant, an ESI)
    Suite(
        "drug_therapy_tried",
        DISC,
        read=(
            "He has taken ibuprofen and cyclobenzaprine.",
            "Treatment has included naproxen and a muscle relaxant.",
            "She was prescribed meloxicam and tizanidine.",
            "He used Motrin and Flexeril without relief.",
            "Prior care: Aleve and Soma.",
        ),
        negated=(
            "He has not taken any NSAIDs or muscle relaxants.",
            "She has never tried anti-inflammatories or muscle relaxants.",
        ),
        hedged=("He may try ibuprofen and cyclobenzaprine.",),
        restated=(
            "ODG requires a trial of NSAIDs and muscle relaxants before discectomy.",
            "Utilization review noted NSAIDs and muscle relaxants.",
        ),
        other_region=("He is allergic to ibuprofen and cyclobenzaprine.",),
        value=["muscle_relaxant", "nsaid"],
        absent=[],
    ),
    # ODG facet radiofrequency, a repeat: the prior neurotomy gave 50% relief for at least 12 weeks
    Suite(
        "neurotomy_prior_relief",
        "Repeat radiofrequency ablation at L4-5 and L5-S1",
        read=(
            "The prior radiofrequency ablation gave 70% relief for six months.",
            "After the last neurotomy she had more than half of her pain relieved for four months.",
            "The previous RFA provided 60% improvement lasting about 14 weeks.",
            "He reported 80% pain relief for five months after the rhizotomy.",
            "Following the radiofrequency neurotomy in 2015 he had 50% relief for a year.",
        ),
        negated=(
            "The prior radiofrequency ablation gave only 30% relief.",
            "The last RFA gave 70% relief that lasted six weeks.",
            "He had no relief from the prior rhizotomy.",
            "The previous neurotomy did not help.",
        ),
        hedged=("A repeat ablation may give 50% relief.",),
        restated=(
            "ODG requires at least 50% relief for 12 weeks after the first neurotomy.",
            "Utilization review noted 70% relief after the RFA.",
        ),
    ),
    # MTUS CPMTG epidural steroid injections: a first block or a repeat (an injection already had there)
    Suite(
        "prior_esi_same_region",
        "Lumbar epidural steroid injection at L5-S1",
        read=(
            "She had a lumbar epidural steroid injection in March 2016.",
            "He underwent an L5-S1 transforaminal epidural injection last year.",
            "The previous lumbar ESI was done in 2015.",
            "He is status post two lumbar epidural injections.",
            "She received a caudal epidural injection in June.",
        ),
        negated=(
            "He has never had an epidural steroid injection.",
            "She has not had any lumbar epidural injections.",
            "This would be her first lumbar epidural injection.",
        ),
        hedged=("An epidural injection was recommended.",),
        restated=(
            "Guidelines support a repeat block only after 50% relief from the prior epidural injection.",
            "Utilization review noted a prior ESI.",
        ),
        other_region=("She had a cervical epidural steroid injection in 2015.",),
    ),
    # ODG facet radiofrequency: a neurotomy of these levels done before (a repeat)
    Suite(
        "prior_neurotomy",
        "Radiofrequency ablation at L4-5 and L5-S1",
        read=(
            "He underwent a lumbar radiofrequency ablation at L4-5 and L5-S1 in 2015.",
            "She had a prior rhizotomy at the same levels.",
            "The previous RFA was done in January.",
            "He is status post radiofrequency neurotomy of the lumbar facets.",
            "She had a medial branch radiofrequency ablation last year.",
        ),
        negated=(
            "He has never had a radiofrequency ablation.",
            "She has not had a prior neurotomy.",
            "This would be his first radiofrequency ablation.",
        ),
        hedged=("A radiofrequency ablation was recommended after the blocks.",),
        restated=(
            "ODG allows a repeat neurotomy only after 12 weeks of relief from the first.",
            "Utilization review noted a prior RFA.",
        ),
    ),
    # MTUS CPMTG NSAIDs, GI risk: dyspepsia or other GI symptoms while on an NSAID
    Suite(
        "nsaid_dyspepsia",
        "Omeprazole 20mg #30",
        read=(
            "She reports heartburn since starting naproxen.",
            "He has gastritis from the anti-inflammatory medication.",
            "Ibuprofen causes her stomach upset.",
            "He developed dyspepsia on meloxicam.",
            "She has GI upset with her NSAIDs.",
            "He complains of epigastric pain while taking Motrin.",
        ),
        negated=(
            "She denies dyspepsia or heartburn.",
            "He has no GI complaints on naproxen.",
            "She tolerates naproxen without stomach upset.",
        ),
        hedged=("NSAIDs may cause dyspepsia.",),
        restated=(
            "A proton pump inhibitor is recommended for patients with dyspepsia secondary to NSAID therapy.",
            "Utilization review noted gastritis.",
        ),
    ),
    # MTUS CPMTG NSAIDs, GI risk: a history of peptic ulcer, GI bleeding or perforation
    Suite(
        "gi_event_history",
        "Omeprazole 20mg #30",
        read=(
            "He has a history of a bleeding duodenal ulcer.",
            "She had a GI bleed in 2012.",
            "Past medical history includes peptic ulcer disease.",
            "He had a perforated gastric ulcer ten years ago.",
            "She was hospitalized for an upper GI hemorrhage last year.",
        ),
        negated=(
            "He has no history of ulcers or GI bleeding.",
            "She denies any prior peptic ulcer.",
            "There is a lack of history of peptic ulcer, GI bleeding or perforation.",
        ),
        hedged=("NSAIDs may cause a GI bleed.",),
        restated=(
            "Risk factors include a history of peptic ulcer, GI bleeding or perforation.",
            "Utilization review noted a prior ulcer.",
        ),
    ),
    # MTUS CPMTG TENS: a treatment plan with specific short- and long-term goals for the trial
    Suite(
        "treatment_goals_documented",
        "TENS unit rental for one month",
        read=(
            "The treating physician documented short- and long-term goals for the TENS trial.",
            "Her goals are to walk one mile and return to modified duty.",
            "The treatment plan lists specific functional goals: sitting 60 minutes and lifting 20 pounds.",
            "Specific treatment goals were outlined, including reduced medication use.",
            "The provider set measurable goals for the one-month trial.",
        ),
        negated=("No short- or long-term goals were stated.", "She has no treatment goals for the unit."),
        undocumented=("There is no documentation of short- and long-term goals for the unit.",),
        hedged=("Treatment goals should be set before the trial.",),
        restated=(
            "Guidelines require a treatment plan with short- and long-term goals.",
            "Utilization review noted treatment goals.",
        ),
        section="rationale",
    ),
]


# the three runs of this module's SUITES: read, negated, and not read (undocumented, hedged, restated,
# another region)
(
    test_phrasings_that_must_be_read,
    test_negated_phrasings,
    test_undocumented_hedged_restated_and_other_phrasings_are_not_read,
) = suite_tests(SUITES)


def test_a_fact_of_every_member_needs_members_and_absent_forms_of_its_own_members() -> None:
    from pydantic import ValidationError

    from imr_rules.models.extraction import FactPattern

    with pytest.raises(ValidationError, match="'every_member' needs 'members'"):
        FactPattern(fact="opioid_safety_checks", targets=["CURES"], every_member=True)
    with pytest.raises(ValidationError, match="names no member: pdmp"):
        FactPattern(
            fact="opioid_safety_checks", members={"cures": ["CURES"]}, every_member=True, absent_members={"pdmp": ["x"]}
        )


def test_two_checks_of_three_leave_the_safety_checks_out_and_one_not_done_makes_them_false() -> None:
    suite = Suite("opioid_safety_checks", "Tramadol 50mg #60", read=())
    two = "A CURES report was reviewed and a urine drug screen was consistent."
    assert read_fact(suite, two) is None
    assert read_fact(suite, two + " She signed an opioid agreement.") is True
    assert read_fact(suite, two + " She has not signed an opioid agreement.") is False


@pytest.mark.parametrize(
    ("fact", "item", "text", "expected"),
    [
        # a chart's allergy heading answered negates nothing after it; an allergy to a drug is not its use
        ("opioid_therapy", UDS, "Allergies: none, current medications include Norco and naproxen.", True),
        ("opioid_therapy", UDS, "Allergies: NKDA; he takes tramadol 50 mg twice a day.", True),
        ("gi_risk_medications", "Omeprazole 20mg #30", "Her allergies include aspirin.", None),
        ("drug_therapy_tried", DISC, "He is allergic to ibuprofen and cyclobenzaprine.", None),
    ],
)
def test_allergies_in_a_chart(fact: str, item: str, text: str, expected: object) -> None:
    assert read_fact(Suite(fact, item, read=()), text) == expected
