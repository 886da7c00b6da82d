"""Paraphrase suites for the conditions and needs that single guidelines turn on (issue 12): the diagnoses a
drug class is for (osteoarthritis of a joint a topical reaches, spasticity, depression, fibromyalgia,
insomnia, anxiety), what equipment and aquatic therapy need, psychosocial factors, and the findings of
the knee, shoulder, home-care, transportation and FCE guidelines. Written from the guidelines' vocabulary
(CPMTG 2009/2016, ODG, ACOEM 2004) and clinical charting, never from a letter; each phrasing goes through the
real reader (`test_reading_suites.read_fact`), and the audit there counts these suites."""

from __future__ import annotations

from .test_reading_suites import Suite, suite_tests

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
HOME_HEALTH = "Home health care 4 hours a day, 5 days a week for 6 weeks"
FCE = "Functional capacity evaluation"
SLEEP_STUDY = "Polysomnography (sleep study)"
DESK = "Sit-stand workstation"

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
        hedged=(
            "The rheumatologist will evaluate her for fibromyalgia.",
            "Possible fibromyalgia was raised by the rheumatologist.",
        ),
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
            "Aquatic therapy is recommended where reduced weight bearing is desirable, for example extreme obesity.",
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
    # ODG Durable medical equipment: a medical need for the item (the condition and how it helps)
    Suite(
        "equipment_medical_need",
        BED,
        section="rationale",
        read=(
            "She requires a hospital bed because she cannot lie flat due to her heart failure.",
            "He is non-weight bearing after the tibial plateau fracture and needs a wheelchair to get around.",
            "The patient needs a commode because she cannot walk to the bathroom at night.",
            "She requires positioning of the body in ways not feasible with an ordinary bed.",
            "He needs a walker for balance after the hip fracture.",
        ),
        undocumented=(
            "There is no documentation of a medical need for a hospital bed.",
            "The records do not establish why the patient needs a hospital bed.",
        ),
        hedged=("A hospital bed may be needed after the surgery.",),
        restated=(
            "A hospital bed is recommended if the patient's condition requires positioning of the body in ways"
            " not feasible with an ordinary bed.",
            "Durable medical equipment is recommended generally if there is a medical need.",
        ),
    ),
    # ODG Durable medical equipment: the Medicare definition (repeated use, medical purpose, home use)
    Suite(
        "meets_dme_definition",
        BED,
        section="rationale",
        read=(
            "A hospital bed is durable medical equipment.",
            "The hospital bed meets the definition of durable medical equipment.",
            "The requested bed can withstand repeated use and is primarily used to serve a medical purpose.",
            "This item qualifies as DME.",
            "The bed is an item of durable medical equipment appropriate for use in the home.",
        ),
        negated=(
            "Gloves and wipes are disposable supplies.",
            "The item is a convenience item, not primarily medical in nature.",
            "The mattress topper is useful to a person in the absence of illness or injury.",
            "The bed does not meet the definition of durable medical equipment.",
            "The requested item is not DME.",
        ),
        undocumented=("It is not documented that the bed meets the definition of durable medical equipment.",),
        restated=(
            "The term DME is defined as equipment which can withstand repeated use, is primarily and customarily"
            " used to serve a medical purpose, and is appropriate for use in the home.",
        ),
    ),
    # CPMTG Home health services: homebound (confined to the home)
    Suite(
        "homebound",
        HOME_HEALTH,
        read=(
            "She is homebound.",
            "He is confined to his home after the surgery.",
            "She cannot leave the house without the help of another person.",
            "He has been unable to leave his home since the fracture.",
            "She is essentially housebound and leaves home only for medical appointments with her son's help.",
        ),
        negated=(
            "She is not homebound.",
            "He drives to the store and goes out daily.",
            "She leaves the house daily to walk her dog.",
        ),
        undocumented=("There is no documentation that the patient is homebound.",),
        hedged=("He may become homebound if his gait worsens.",),
        restated=(
            "Home health services are recommended only for patients who are homebound, on a part-time or"
            " intermittent basis.",
            "A patient is considered homebound if leaving home requires a considerable and taxing effort.",
        ),
    ),
    # CPMTG Home health services: skilled care by a licensed professional
    Suite(
        "skilled_home_care_needed",
        HOME_HEALTH,
        section="rationale",
        read=(
            "She needs daily wound care and dressing changes for the surgical incision.",
            "He requires intravenous antibiotics at home for the post-operative infection.",
            "She needs skilled nursing visits to monitor the wound vac.",
            "She needs home physical therapy to learn transfers after the knee replacement.",
            "He requires a registered nurse to manage his PICC line.",
        ),
        negated=(
            "She needs no wound care.",
            "He has no need for skilled nursing.",
            "The incision is healed and needs no dressing changes.",
        ),
        undocumented=("There is no documentation of a need for skilled care at home.",),
        hedged=("Wound care might be needed if the incision breaks down.",),
        restated=(
            "Medical treatment does not include homemaker services when this is the only care needed.",
            "Home health services cover skilled care such as wound care when the patient is homebound.",
        ),
    ),
    # CPMTG Home health services: personal care (ADLs: bathing, dressing, transfers, toileting, feeding)
    Suite(
        "personal_home_care_needed",
        HOME_HEALTH,
        section="rationale",
        read=(
            "She needs help with bathing and dressing.",
            "He requires assistance with transfers and toileting.",
            "She cannot perform her activities of daily living without help.",
            "He relies on his wife for feeding and grooming.",
            "She needs someone to help her shower and get dressed.",
        ),
        negated=(
            "She is independent in her activities of daily living.",
            "He bathes and dresses himself without help.",
            "She does not need help with ADLs.",
        ),
        undocumented=("There is no documentation that the patient needs help with personal care.",),
        hedged=("She may need help bathing after the surgery.",),
        restated=(
            "Medical treatment does not include personal care given by home health aides like bathing, dressing"
            " and using the bathroom when this is the only care needed.",
        ),
    ),
    # CPMTG Home health services (Medicare): otherwise the patient would need inpatient care
    Suite(
        "otherwise_requires_inpatient_care",
        HOME_HEALTH,
        read=(
            "She would otherwise require inpatient care.",
            "He would otherwise need to be admitted to a skilled nursing facility.",
            "Otherwise she would have to remain in the hospital.",
            "The alternative to home health would be readmission to the hospital.",
            "He will otherwise require a skilled nursing facility stay.",
        ),
        negated=(
            "She would not otherwise require inpatient care.",
            "He does not need inpatient or skilled nursing facility care.",
        ),
        undocumented=("There is no documentation that she would otherwise require inpatient care.",),
        hedged=("She might need inpatient rehabilitation later.",),
        restated=(
            "Home health care is covered when the patient would otherwise require inpatient care.",
            "Utilization review found that the patient would otherwise require hospitalization.",
        ),
    ),
    # CPMTG Home health services; ODG Skilled nursing facility: recent major surgery or a hospital stay
    Suite(
        "recent_major_surgery_or_hospitalization",
        HOME_HEALTH,
        read=(
            "She underwent a total knee arthroplasty two weeks ago.",
            "He was recently discharged from the hospital after a lumbar fusion.",
            "She was hospitalized for five days last week for pneumonia.",
            "He is three days status post open reduction and internal fixation of the ankle.",
            "She had a right total hip replacement last week.",
            "He had a recent inpatient stay for a wound infection.",
        ),
        negated=(
            "She has had no recent surgery or hospitalization.",
            "He has not been hospitalized.",
            "There has been no recent surgery.",
        ),
        undocumented=("There is no documentation of a recent major surgery or hospitalization.",),
        hedged=("She may be hospitalized for the revision.",),
        restated=(
            "Skilled nursing facility care is recommended after a hospitalization of at least three days for"
            " major surgery.",
        ),
    ),
    # ODG Functional capacity evaluation: conflicting medical reporting on precautions or fitness
    Suite(
        "conflicting_medical_reporting",
        FCE,
        read=(
            "There are conflicting medical reports on his ability to return to full duty.",
            "The treating physician and the QME disagree on her work restrictions.",
            "The medical reports are conflicting regarding his precautions.",
            "The QME's work restrictions differ from those of the primary treating physician.",
            "Prior case management was hampered by conflicting opinions about her fitness for modified duty.",
        ),
        negated=(
            "There are no conflicting medical reports.",
            "The physicians agree on her work restrictions.",
        ),
        undocumented=("There is no documentation of conflicting medical reporting.",),
        hedged=("Medical reports may conflict once the QME is completed.",),
        restated=(
            "An FCE may be considered if case management is hampered by complex issues such as prior"
            " unsuccessful return to work attempts or conflicting medical reporting on precautions.",
        ),
    ),
    # ODG Functional capacity evaluation: close to or at maximum medical improvement
    Suite(
        "near_maximum_medical_improvement",
        FCE,
        read=(
            "She has reached maximum medical improvement.",
            "He was declared permanent and stationary by the QME.",
            "She is at MMI per the treating physician.",
            "He is nearing maximal medical improvement.",
            "The treating physician found her permanent and stationary on 9/1/2016.",
            "He has plateaued and is close to MMI.",
        ),
        negated=(
            "She is not at maximum medical improvement.",
            "He has not reached MMI.",
            "She is not yet permanent and stationary.",
        ),
        undocumented=("There is no documentation that the patient is close to maximum medical improvement.",),
        hedged=("He may reach maximum medical improvement in three months.",),
        restated=(
            "An FCE is appropriate when the patient is close to or at maximum medical improvement.",
            "The timing is appropriate: close or at MMI, all key medical reports secured.",
        ),
    ),
    # ODG Functional capacity evaluation: before admission to a work hardening program
    Suite(
        "work_hardening_admission_planned",
        FCE,
        read=(
            "He is being referred to a work hardening program.",
            "The FCE is requested prior to admission to work hardening.",
            "She is a candidate for a work conditioning program.",
            "A work hardening program is planned after the evaluation.",
            "The plan is to enroll him in work hardening.",
        ),
        negated=(
            "He is not a candidate for work hardening.",
            "No work hardening program is planned.",
        ),
        undocumented=("There is no documentation that work hardening is planned.",),
        hedged=("Work hardening might be considered later.",),
        restated=(
            "An FCE is recommended prior to admission to a work hardening program.",
            "Work hardening programs require a functional capacity evaluation first.",
        ),
    ),
    # ODG Polysomnography: signs of a sleep disorder beyond insomnia
    Suite(
        "sleep_disorder_signs",
        SLEEP_STUDY,
        read=(
            "She reports excessive daytime sleepiness.",
            "Her husband reports loud snoring and witnessed apneas.",
            "He falls asleep while driving.",
            "She has morning headaches and her Epworth Sleepiness Scale score is 16.",
            "He describes episodes of cataplexy.",
            "She has restless legs and kicks at night.",
            "Rule out obstructive sleep apnea.",
        ),
        negated=(
            "He denies daytime somnolence.",
            "There is no snoring or witnessed apnea.",
            "She denies excessive daytime sleepiness.",
        ),
        undocumented=("There is no documentation of excessive daytime somnolence, cataplexy or morning headache.",),
        hedged=("A sleep study might help if she develops daytime sleepiness.",),
        restated=(
            "Polysomnography is recommended for the combination of indications: excessive daytime somnolence,"
            " cataplexy, morning headache, intellectual deterioration, personality change and insomnia.",
        ),
    ),
    # ACOEM Ch. 12 Activity alteration: a sustained activity that aggravates the symptoms
    Suite(
        "activity_aggravates_symptoms",
        DESK,
        read=(
            "Her low back pain worsens with prolonged sitting at her desk.",
            "Prolonged standing at the assembly line aggravates his back pain.",
            "Sitting for more than 30 minutes increases her back pain.",
            "His pain is exacerbated by repetitive bending at work.",
            "She reports low back pain after sitting for an hour at the computer.",
            "He cannot sit for more than 20 minutes because of back pain.",
        ),
        negated=(
            "Sitting does not aggravate her back pain.",
            "Prolonged standing does not worsen his symptoms.",
        ),
        undocumented=("There is no documentation that prolonged sitting aggravates her symptoms.",),
        hedged=("Prolonged sitting might aggravate his back pain.",),
        restated=(
            "Activity modification is recommended to avoid prolonged sitting or standing that aggravates symptoms.",
            "Utilization review noted that sitting aggravates her pain.",
        ),
    ),
]


# the three runs of this module's SUITES: read, negated, and not read (undocumented, hedged, restated,
# another region)
(
    test_phrasings_that_must_be_read,
    test_negated_phrasings,
    test_undocumented_hedged_restated_and_other_phrasings_are_not_read,
) = suite_tests(SUITES)
