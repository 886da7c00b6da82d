"""Paraphrase suites for the conditions and needs that single guidelines turn on (issue 12): the diagnoses a
drug class is for (osteoarthritis of a joint a topical reaches, spasticity, depression, fibromyalgia,
insomnia, anxiety), what equipment and aquatic therapy need, psychosocial factors, and the findings of
the knee, shoulder, home-care, transportation and FCE guidelines. Written from the guidelines' vocabulary
(CPMTG 2009/2016, ODG, ACOEM 2004) and clinical charting, never from a letter; each phrasing goes through the
real reader (`test_reading_suites.read_fact`), and the audit there counts these suites."""

from __future__ import annotations

import pytest

from .test_reading_suites import Suite, read_fact

TOPICAL = "Diclofenac 1.3% topical patch #30"
BACLOFEN = "Baclofen 10mg #60"
ANTIDEPRESSANT = "Amitriptyline 25mg #30"
PREGABALIN = "Pregabalin 75mg #60"
HYPNOTIC = "Zolpidem 10mg #30"
BENZO = "Alprazolam 0.5mg #60"
BED = "Purchase of a hospital bed"
AQUATIC = "Aquatic therapy 2 times a week for 6 weeks for the lumbar spine"
PSYCH = "Psychological evaluation and testing"
BIOFEEDBACK = "Biofeedback 6 sessions"
HWAVE = "H-wave unit 30 day home trial"
ICS = "Interferential stimulator unit rental for 30 days"
ESWT = "Extracorporeal shock wave therapy 3 sessions"
NECK_CHIRO = "Chiropractic 2 times a week for 4 weeks for the cervical spine"
ECG = "Pre-operative EKG"
RIDE = "Transportation to and from medical appointments"
WHEELCHAIR = "Purchase of a manual wheelchair"

SUITES: list[Suite] = [
    # CPMTG Topical analgesics: NSAIDs for osteoarthritis and tendinitis of joints that lend themselves to
    # topical treatment (knee, elbow, ankle, foot, hand, wrist), not the spine, hip or shoulder
    Suite(
        "osteoarthritis_amenable_joint",
        TOPICAL,
        read=(
            "She has osteoarthritis of both knees.",
            "Diagnoses: degenerative joint disease, right knee.",
            "X-rays show tricompartmental arthritis of the left knee.",
            "He has arthritic changes in the right wrist.",
            "Assessment: primary OA of the left knee.",
            "She was diagnosed with osteoarthrosis of the first carpometacarpal joint of the thumb.",
            "He has lateral epicondylitis of the right elbow.",
            "Diagnoses include Achilles tendinitis of the left ankle.",
        ),
        negated=(
            "There is no osteoarthritis of the knees.",
            "X-rays of the hands show no arthritis.",
            "He denies any history of arthritis in his knees.",
        ),
        undocumented=("There is no documentation of osteoarthritis of a joint amenable to topical treatment.",),
        hedged=("Possible early arthritis of the right knee was raised.", "Rule out osteoarthritis of the ankle."),
        restated=(
            "Topical NSAIDs are indicated for osteoarthritis and tendinitis of the knee, elbow or other joints"
            " amenable to topical treatment.",
            "Utilization review noted osteoarthritis of the knee.",
        ),
        other_region=(
            "She has osteoarthritis of the lumbar spine.",
            "X-rays show degenerative arthritis of the right hip.",
            "He has rotator cuff tendinitis of the left shoulder.",
            "Diagnoses: cervical spondylosis and facet arthropathy.",
        ),
    ),
    # CPMTG Muscle relaxants: antispasticity drugs (baclofen, tizanidine, dantrolene) for spasticity from
    # multiple sclerosis or a spinal cord injury
    Suite(
        "spasticity_condition",
        BACLOFEN,
        read=(
            "He has spasticity of both legs after a spinal cord injury.",
            "She has relapsing-remitting multiple sclerosis.",
            "Diagnoses: incomplete T10 paraplegia with lower extremity spasticity.",
            "He sustained a cervical cord injury in the fall and is tetraplegic.",
            "Examination shows spastic paraparesis with sustained ankle clonus from his MS.",
            "The patient has a history of MS diagnosed in 2009.",
        ),
        negated=(
            "There is no spasticity.",
            "He has no history of multiple sclerosis or spinal cord injury.",
            "Tone is normal in all four extremities without spasticity.",
        ),
        undocumented=("There is no documentation of spasticity from multiple sclerosis or a spinal cord injury.",),
        hedged=("Baclofen may help if she develops spasticity.",),
        restated=(
            "Baclofen is recommended for spasticity from multiple sclerosis and spinal cord injuries.",
            "Antispasticity drugs are used to decrease spasticity in conditions such as cerebral palsy, MS and"
            " spinal cord injuries.",
        ),
        other_region=("He has paraspinal muscle spasm of the lumbar spine.", "She reports muscle spasms in the neck."),
    ),
    # CPMTG Antidepressants for chronic pain: depression associated with the pain
    Suite(
        "depression",
        ANTIDEPRESSANT,
        read=(
            "She has depression secondary to chronic pain.",
            "Diagnoses include major depressive disorder, single episode.",
            "He reports a depressed mood, poor concentration and anhedonia.",
            "The psychologist diagnosed an adjustment disorder with depressed mood.",
            "Her PHQ-9 score was 18, consistent with moderately severe depression.",
            "He has been feeling depressed and hopeless since the injury.",
            "Beck Depression Inventory score of 29 indicates moderate depression.",
        ),
        negated=(
            "She denies depression.",
            "He has no symptoms of depression.",
            "Mood is euthymic and he denies feeling depressed.",
            "Her PHQ-9 screen was negative for depression.",
        ),
        undocumented=("There is no documentation of depression.",),
        hedged=("She may be developing depression.", "Rule out depression."),
        restated=(
            "Antidepressants are recommended as an option for depression associated with chronic pain.",
            "Utilization review noted depression.",
        ),
    ),
    # CPMTG Antiepilepsy drugs: pregabalin is FDA approved for fibromyalgia
    Suite(
        "fibromyalgia",
        PREGABALIN,
        read=(
            "She has fibromyalgia.",
            "Diagnoses: fibromyalgia syndrome.",
            "A rheumatologist diagnosed fibromyalgia in 2014.",
            "He has widespread pain with 14 of 18 tender points, diagnosed as fibromyalgia.",
            "Her diagnoses include FMS and chronic fatigue.",
            "She was diagnosed with fibrositis.",
        ),
        negated=(
            "She does not have fibromyalgia.",
            "There is no history of fibromyalgia.",
            "A rheumatology evaluation ruled out fibromyalgia.",
        ),
        hedged=("The rheumatologist will evaluate her for fibromyalgia.", "Possible fibromyalgia was raised by the rheumatologist."),
        restated=("Pregabalin is FDA approved for fibromyalgia and diabetic neuropathy.",),
    ),
    # CPMTG Insomnia treatment; ODG Pain, insomnia: a sleep complaint (onset, maintenance) to treat
    Suite(
        "insomnia",
        HYPNOTIC,
        read=(
            "She has insomnia due to pain.",
            "He reports difficulty falling asleep and wakes several times a night.",
            "She sleeps only 3 to 4 hours a night because of the pain.",
            "Diagnoses: sleep disturbance secondary to chronic pain.",
            "He has trouble staying asleep.",
            "She is unable to sleep through the night.",
            "Sleep onset latency is about two hours.",
        ),
        negated=(
            "She denies insomnia.",
            "He sleeps well.",
            "There are no sleep problems.",
            "She denies difficulty sleeping.",
        ),
        undocumented=("There is no documentation of a sleep disturbance.",),
        hedged=("Zolpidem may help if insomnia develops.",),
        restated=(
            "Zolpidem is indicated for the short-term treatment of insomnia.",
            "Treatment of insomnia should be based on the etiology.",
        ),
    ),
    # CPMTG Benzodiazepines: anxiety (and panic) as the condition to treat
    Suite(
        "anxiety_or_agitation",
        BENZO,
        read=(
            "She has anxiety related to the injury.",
            "Diagnoses: generalized anxiety disorder.",
            "He reports panic attacks twice a week.",
            "He is anxious and restless at the visit.",
            "She has been feeling nervous and on edge since the accident.",
            "GAD-7 score of 15 indicates severe anxiety.",
        ),
        negated=(
            "She denies anxiety.",
            "He has no anxiety.",
            "There are no panic attacks.",
            "She is not anxious.",
        ),
        undocumented=("There is no documentation of anxiety.",),
        hedged=("Rule out anxiety disorder.",),
        restated=(
            "Benzodiazepines are the treatment of choice in very few conditions; tolerance to anxiolytic effects"
            " occurs within months.",
        ),
    ),
    # CPMTG Aquatic therapy: where reduced weight bearing is desirable, for example extreme obesity
    Suite(
        "reduced_weight_bearing_desirable",
        AQUATIC,
        read=(
            "She is morbidly obese with a BMI of 46.",
            "He has class III obesity.",
            "Body mass index is 52, in the extreme obesity range.",
            "She is non-weight bearing on the left leg after the ankle fracture.",
            "He cannot tolerate land-based exercise because weight bearing aggravates his knee arthritis.",
            "Her physician restricted her to partial weight bearing on the right lower extremity.",
        ),
        negated=(
            "He is not obese.",
            "She is full weight bearing without restriction.",
            "He tolerates land-based therapy and weight bearing without difficulty.",
        ),
        undocumented=("There is no documentation that reduced weight bearing is desirable.",),
        hedged=("A reduced weight-bearing program may be considered if her knee pain worsens.",),
        restated=(
            "Aquatic therapy is recommended where reduced weight bearing is desirable, for example extreme"
            " obesity.",
            "Utilization review found that reduced weight bearing was desirable.",
        ),
    ),
    # CPMTG Psychological evaluations: psychosocial factors that affect recovery
    Suite(
        "psychosocial_factors_present",
        PSYCH,
        read=(
            "Psychosocial factors are impeding her recovery.",
            "His depression and fear of re-injury are interfering with his recovery.",
            "She has significant fear-avoidance beliefs and catastrophizing that limit her progress in therapy.",
            "He is psychologically temporarily totally disabled.",
            "Psychological issues are delaying his return to work.",
            "Her recovery is complicated by anxiety, poor coping and family stressors.",
        ),
        negated=(
            "There are no psychosocial factors affecting her recovery.",
            "He has no psychological issues delaying recovery.",
            "She denies psychological barriers to recovery.",
        ),
        undocumented=("There is no documentation of psychosocial factors that impact recovery.",),
        hedged=("Psychosocial factors may be delaying his recovery.",),
        restated=(
            "Psychological evaluations are recommended based upon a clinical impression of a psychological"
            " condition that impacts recovery.",
            "The guidelines address psychosocial factors and yellow flags.",
        ),
    ),
    # CPMTG Psychological evaluations: before a lumbar fusion, spinal cord stimulator or intrathecal pump
    Suite(
        "psychological_screening_procedure_planned",
        PSYCH,
        read=(
            "He is a candidate for a spinal cord stimulator trial.",
            "She is being considered for an L4-S1 lumbar fusion.",
            "The surgeon has recommended a lumbar interbody fusion at L5-S1.",
            "The pain specialist plans an intrathecal pump trial.",
            "A spinal cord stimulator trial has been requested by the treating physician.",
            "He is scheduled for a posterior lumbar fusion next month.",
        ),
        negated=(
            "She is not a candidate for a spinal cord stimulator.",
            "He declined a lumbar fusion.",
            "No spinal cord stimulator or lumbar fusion is planned.",
        ),
        undocumented=("There is no documentation that a spinal cord stimulator or fusion is being considered.",),
        hedged=("A spinal cord stimulator might be discussed in the future.",),
        restated=(
            "Psychological evaluation is recommended before a spinal cord stimulator or lumbar fusion.",
            "Utilization review noted that a spinal cord stimulator trial was planned.",
        ),
    ),
    # CPMTG Biofeedback: as part of a cognitive behavioral therapy program
    Suite(
        "cbt_program",
        BIOFEEDBACK,
        read=(
            "She is attending cognitive behavioral therapy for her pain.",
            "He was referred to a CBT program with a pain psychologist.",
            "She has completed 4 of 6 sessions of cognitive behavioural therapy.",
            "He is enrolled in a cognitive-behavioral pain management program.",
            "She currently participates in weekly CBT with a psychologist.",
            "He started cognitive behavior therapy in March.",
        ),
        negated=(
            "She is not in a cognitive behavioral therapy program.",
            "He has never had CBT.",
            "There has been no cognitive behavioral therapy.",
        ),
        undocumented=("There is no documentation that the patient is in a cognitive behavioral therapy program.",),
        hedged=("Cognitive behavioral therapy may be considered.",),
        restated=(
            "Biofeedback is not recommended as a stand-alone treatment but as an option in a cognitive"
            " behavioral therapy program.",
            "Initial therapy for these at-risk patients should be physical medicine exercise instruction,"
            " using a cognitive motivational approach to physical medicine.",
        ),
    ),
    # CPMTG H-wave stimulation: diabetic neuropathic pain or chronic soft tissue inflammation
    Suite(
        "h_wave_condition",
        HWAVE,
        read=(
            "He has painful diabetic peripheral neuropathy of both feet.",
            "Diagnoses: chronic soft tissue inflammation of the lumbar paraspinals.",
            "She has diabetic polyneuropathy with burning pain in the feet.",
            "He has type 2 diabetes with painful neuropathy in the legs.",
            "Diagnoses include chronic soft-tissue inflammation of the right shoulder.",
        ),
        negated=(
            "He does not have diabetic neuropathy.",
            "There is no diabetic peripheral neuropathy.",
            "She has no chronic soft tissue inflammation.",
        ),
        undocumented=("There is no documentation of diabetic neuropathic pain or chronic soft tissue inflammation.",),
        hedged=("Possible diabetic neuropathy is being worked up.",),
        restated=(
            "H-wave is considered for diabetic neuropathic pain or chronic soft tissue inflammation after"
            " a failed TENS trial.",
        ),
    ),
    # CPMTG Interferential current stimulation: patient selection criteria
    Suite(
        "ics_selection_criteria",
        ICS,
        read=(
            "Her pain is ineffectively controlled because her medications have lost their effect.",
            "He cannot take NSAIDs because of side effects of the medication.",
            "She has a history of substance abuse, which precludes opioids.",
            "His pain is unresponsive to conservative measures such as repositioning and heat.",
            "He has significant postoperative pain that limits his ability to perform exercise.",
            "She is intolerant of pain medications, which cause nausea.",
        ),
        undocumented=(
            "There is no documentation that medications lost their effect or caused side effects.",
            "The records do not show that the pain is unresponsive to conservative measures.",
        ),
        hedged=("Her medications may lose their effectiveness over time.",),
        restated=(
            "Interferential stimulation may be appropriate if pain is ineffectively controlled due to diminished"
            " effectiveness of medications.",
            "Possibly appropriate for patients with a history of substance abuse.",
        ),
    ),
    # ODG Extracorporeal shock wave therapy: calcifying tendinitis of the shoulder, plantar fasciitis
    Suite(
        "calcific_tendinitis_or_plantar_fasciitis",
        ESWT,
        read=(
            "She has calcific tendinitis of the right shoulder.",
            "Diagnoses: plantar fasciitis, left foot.",
            "X-rays show calcium deposits in the supraspinatus tendon, consistent with calcific tendinopathy.",
            "He has chronic plantar fasciopathy of both heels.",
            "Ultrasound shows calcifying tendonitis of the rotator cuff.",
            "She has had heel pain from plantar fasciitis for a year.",
        ),
        negated=(
            "There is no calcific tendinitis.",
            "He does not have plantar fasciitis.",
            "Shoulder x-rays show no calcification of the rotator cuff tendons.",
        ),
        undocumented=("There is no documentation of calcifying tendinitis or plantar fasciitis.",),
        hedged=("Rule out plantar fasciitis.",),
        restated=(
            "Shock wave therapy is recommended for calcifying tendinitis of the shoulder but not for other"
            " shoulder disorders.",
            "ESWT is an option for chronic plantar fasciitis.",
        ),
        other_region=("He has non-calcific tendinitis of the rotator cuff.", "She has lateral epicondylitis."),
    ),
    # ODG Neck, manipulation: a severe (grade III) strain allows a longer trial
    Suite(
        "cervical_strain_severe",
        NECK_CHIRO,
        read=(
            "He has a grade III cervical strain.",
            "Diagnoses: whiplash-associated disorder grade III.",
            "She sustained a severe neck sprain in the collision.",
            "He has a grade 3 whiplash injury with neurologic signs.",
            "Diagnosis: severe cervical sprain/strain.",
        ),
        negated=(
            "The neck strain is not severe.",
            "She does not have a grade III whiplash injury.",
        ),
        undocumented=("There is no documentation of a severe cervical strain.",),
        hedged=("Possible grade III whiplash injury.",),
        restated=(
            "For severe (grade III) strains, up to 25 visits over 6 months are allowed.",
            "Utilization review considered the cervical strain to be severe.",
        ),
        other_region=("He has a grade II cervical strain.", "She has a severe lumbar strain."),
    ),
    # ODG Preoperative electrocardiogram: clinical risk factors (RCRI)
    Suite(
        "cardiac_risk_factor",
        ECG,
        read=(
            "He has coronary artery disease with a stent placed in 2012.",
            "She has congestive heart failure.",
            "He had a stroke in 2013.",
            "She has insulin-dependent diabetes mellitus.",
            "He had a myocardial infarction two years ago.",
            "Her serum creatinine is 2.6 mg/dL.",
            "He has a history of a transient ischemic attack.",
        ),
        negated=(
            "She has no history of heart disease.",
            "He denies coronary artery disease, heart failure or stroke.",
            "She denies any history of stroke.",
        ),
        undocumented=("There is no documentation of cardiac risk factors.",),
        hedged=("Rule out coronary artery disease.",),
        restated=(
            "Clinical risk factors include ischemic heart disease, heart failure, cerebrovascular disease,"
            " insulin-treated diabetes and creatinine above 2 mg/dL.",
        ),
        other_region=("His father had a heart attack.",),
    ),
    # ODG Transportation: a disability that prevents self-transport
    Suite(
        "unable_to_self_transport",
        RIDE,
        read=(
            "She is unable to drive because of her right leg injury.",
            "He has no means of transportation to his appointments.",
            "She cannot drive while taking opioids and has no one to take her.",
            "He is legally blind and cannot take public transit alone.",
            "She has never learned to drive.",
        ),
        negated=(
            "He drives himself to his appointments.",
            "She is able to drive.",
            "He has reliable transportation.",
        ),
        undocumented=("There is no documentation that she is unable to transport herself.",),
        hedged=("He may be unable to drive after the surgery.",),
        restated=(
            "Transportation is recommended for medically necessary appointments in patients with disabilities"
            " preventing them from self-transport.",
        ),
    ),
    # ODG Wheelchair: needed and used to move around in the residence
    Suite(
        "wheelchair_needed_in_residence",
        WHEELCHAIR,
        read=(
            "She needs a wheelchair to get around in her home.",
            "He is wheelchair-bound in his apartment.",
            "She cannot walk inside her house without a wheelchair.",
            "He uses a wheelchair for mobility within the residence.",
            "She is non-ambulatory and requires a wheelchair in the home.",
        ),
        negated=(
            "He walks independently in his home.",
            "She does not need a wheelchair at home.",
            "He ambulates around his house without an assistive device.",
        ),
        undocumented=("There is no documentation that a wheelchair is needed in the home.",),
        hedged=("A wheelchair may be needed at home after the surgery.",),
        restated=(
            "A manual wheelchair is recommended if the patient requires and will use a wheelchair to move"
            " around in their residence.",
        ),
        other_region=("She uses a wheelchair for long distances in the community.",),
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


@pytest.mark.parametrize(("suite", "text"), _by_kind("undocumented", "hedged", "restated", "other_region"), ids=_id)
def test_undocumented_hedged_restated_and_other_phrasings_are_not_read(suite: Suite, text: str) -> None:
    assert read_fact(suite, text) is None
