"""Reading letters into cases: the seed letters end to end, letters written for the suite with other
wording, negation and uncertainty, provenance, and bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from imr_rules import evaluate
from imr_rules.cli import main
from imr_rules.reading.casefile import case_from_data, load_case
from imr_rules.reading.extract import extract
from imr_rules.reading.requests import classify
from imr_rules.reading.sentences import Sentence, sentences

from .conftest import SHARED, bundled_library, bundled_patterns, needs_shared

OWN = Path(__file__).parent / "letters" / "extract"


def _run(path: Path):  # type: ignore[no-untyped-def]
    data = extract(path, bundled_library(), bundled_patterns()).to_data()
    loaded = case_from_data(data, bundled_library())
    return data, {d.item: d for d in evaluate(loaded, bundled_library()).determinations}


def _check_provenance(data: dict, text: str) -> None:  # type: ignore[type-arg]
    """Every quote is the letter's own text at the offsets it claims."""
    facts = list(data["facts"].values()) + [f for it in data["items"] for f in it.get("facts", {}).values()]
    assert facts
    for fact in facts:
        assert fact["evidence"], fact
        for ev in fact["evidence"]:
            span = " ".join(text[ev["start"] : ev["end"]].split())
            assert span == ev["quote"], (span, ev["quote"])


@needs_shared
@pytest.mark.parametrize("stem", ["000", "001", "002", "003", "004"])
def test_seed_letter_extract_then_evaluate_reproduces_every_item(stem: str) -> None:
    (path,) = (SHARED / "letters").glob(f"{stem}_*.txt")
    data, dets = _run(path)
    assert data["extracted"] is True
    assert dets
    for det in dets.values():
        assert det.outcome == det.letter_decision, (det.item, det.rationale)
    _check_provenance(data, path.read_text())


@needs_shared
def test_seed_letters_deciding_facts_are_the_ones_a_reader_takes() -> None:
    letters = {p.name[:3]: p for p in (SHARED / "letters").glob("*.txt")}
    d001, _ = _run(letters["001"])
    assert d001["facts"]["imaging_neural_compression"]["value"] is False
    assert "no imaging evidence" in d001["facts"]["imaging_neural_compression"]["evidence"][0]["quote"]
    # the guideline sentences quoted in the summary are not case facts
    assert "objective_nerve_compromise_on_exam" not in d001["facts"]
    assert all(it.get("primary") == "L4-S1 Decompression, Discectomy, Foraminotomies" for it in d001["items"][1:])
    assert d001["items"][4]["facts"]["requested_visits"]["value"] == 24
    assert d001["items"][1]["facts"]["requested_inpatient_days"]["value"] == 2

    d002, _ = _run(letters["002"])
    for fact in ("prior_fusion_with_hardware", "persistent_pain_after_fusion", "hardware_removal_considered"):
        assert d002["facts"][fact]["value"] is True
    # utilization review's reasons ("no documentation ... ruled-out") are not findings; the reviewer's are
    ruled_out = d002["facts"]["other_pain_generators_ruled_out"]
    assert ruled_out["value"] is True and "reasonable evidence" in ruled_out["evidence"][0]["quote"]
    labs = d002["items"][1]
    assert labs["facts"]["primary_status"]["value"] == "not_established"
    assert labs["primary"] == "lumbar spine hardware removal surgery"
    assert d002["dates"]["ur_decision"] == "2014-03-06"

    d000, _ = _run(letters["000"])
    clearance = d000["items"][0]
    assert clearance["facts"]["primary_status"]["value"] == "non_certified"
    assert clearance["facts"]["primary_procedure"]["value"] == "discography"

    d003, _ = _run(letters["003"])
    item = d003["items"][0]["facts"]
    assert item["request_unspecified"]["value"] is True
    assert item["clinical_need_for_visit"]["value"] is True

    d004, _ = _run(letters["004"])
    assert d004["facts"]["red_flags_present"]["value"] is False
    assert d004["facts"]["imaging_neural_compression"]["value"] is False
    # "lack of documentation that identifies a specific nerve compromise": not documented, not absent
    assert "objective_nerve_compromise_on_exam" not in d004["facts"]


@needs_shared
def test_every_real_letter_extracts_into_a_valid_case() -> None:
    letters = sorted((SHARED / "dwc-letters").glob("*.txt"))
    assert len(letters) == 164
    items = 0
    for path in letters:
        data = extract(path, bundled_library(), bundled_patterns()).to_data()
        loaded = case_from_data(data, bundled_library())
        assert loaded.case.case == path.stem
        assert loaded.case.dates.ur_decision is not None
        items += len(loaded.case.items)
        for det in evaluate(loaded, bundled_library()).determinations:
            assert det.letter_decision is not None  # every item's decision is read from its letter
            # a determination names the rule that decided it, or says why none did
            assert (det.rule is None) == (det.outcome == "Undetermined") and (det.rule is not None or det.reason)
    assert items == 346


def test_own_letter_red_flag_overturns_the_mri() -> None:
    data, dets = _run(OWN / "mri_red_flags.txt")
    assert data["facts"]["red_flags_present"]["value"] is True
    assert data["dates"] == {"injury": "2016-06-01", "ur_decision": "2017-01-20", "imr_decision": "2017-03-01"}
    (det,) = dets.values()
    assert det.outcome == "Overturned" == det.letter_decision


def test_own_letter_negation_after_uncertainty_and_undocumented() -> None:
    data, dets = _run(OWN / "mri_no_red_flags.txt")
    facts = data["facts"]
    assert facts["red_flags_present"]["value"] is False  # "Red flags were absent"
    assert "imaging_neural_compression" not in facts  # "possible stenosis": uncertain, left out
    assert "objective_nerve_compromise_on_exam" not in facts  # "no documentation of a positive SLR"
    assert facts["drug_therapy_tried"]["value"] == ["opioid"]
    # the letter has no header and states no request date: the one warning says so
    (warning,) = data["extraction"]["warnings"]
    assert warning.startswith("no header block") and "add `dates:` (request)" in warning
    (det,) = dets.values()
    assert det.outcome == "Upheld" == det.letter_decision


def test_own_letter_other_causes_not_ruled_out_is_absent_not_undocumented() -> None:
    data, dets = _run(OWN / "hardware_block_not_ruled_out.txt")
    assert data["facts"]["other_pain_generators_ruled_out"]["value"] is False
    (det,) = dets.values()
    assert det.outcome == "Upheld"
    failed = [c for c in det.criteria if c.status == "not_met" and c.decisive and c.kind == "fact"]
    assert [c.id for c in failed] == ["odg-hardware-injection-block/other_causes_ruled_out"]


def test_own_letter_surgery_overturned_with_dependents_chained() -> None:
    data, dets = _run(OWN / "surgery_with_associated.txt")
    facts = data["facts"]
    assert facts["drug_therapy_tried"]["value"] == ["epidural_steroid_injection", "nsaid"]
    assert facts["support_provider_referral"]["value"] == ["physical_therapy"]
    assert facts["activity_modification_months"]["value"] == 4
    pt = data["items"][1]
    assert pt["primary"] == "Left L5-S1 microdiscectomy"
    assert pt["facts"]["requested_visits"]["value"] == 8
    assert pt["facts"]["primary_procedure"]["value"] == "discectomy"
    for det in dets.values():
        assert det.outcome == det.letter_decision, (det.item, det.rationale)


@pytest.mark.parametrize(
    ("sentence", "target", "expected"),
    [
        ("There was no evidence of disc herniation or stenosis.", "stenosis", "absent"),
        ("Stenosis was not seen on the study.", "Stenosis", "absent"),
        ("No stenosis was found but a herniated disc was present.", "herniated disc", "present"),
        ("The MRI showed possible stenosis at L4-5.", "stenosis", "uncertain"),
        ("An MRI was ordered to rule out stenosis.", "stenosis", "uncertain"),
        ("There is no documentation of stenosis on imaging.", "stenosis", "undocumented"),
        ("Not only stenosis but also a herniation was seen.", "stenosis", "present"),
        ("The MRI showed severe stenosis.", "stenosis", "present"),
        ("The patient denies bowel or bladder dysfunction.", "bowel or bladder dysfunction", "absent"),
    ],
)
def test_context_assertions(sentence: str, target: str, expected: str) -> None:
    m = re.search(re.escape(target), sentence)
    assert m is not None
    assert bundled_patterns().context.assertion(sentence, m.start(), m.end()) == expected


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("Post-Op Physical Therapy 3x8 Weeks", "postop_pt"),
        ("Pre-Surgical Labs Complete blood count", "preop_labs"),
        ("Associated Surgical Service: Inpatient 1-2 days", "inpatient_stay"),
        ("Associated Surgical Service: Electrocardiography (EKG)", "preop_ekg"),
        ("L4-S1 Decompression, Discectomy, Foraminotomies", "discectomy"),
        ("Lumbar Spine Hardware Block", "hardware_block"),
        ("MRI of Lumbar Spine", "mri_lumbar"),
        ("Pre-op medical clearance", "preop_clearance"),
        ("Acute inpatient rehabilitation physical therapy 7-10 days", "inpatient_rehabilitation"),
        ("Cervical spine MRI without contrast", "mri_cervical"),
    ],
)
def test_classification(name: str, service: str | None) -> None:
    assert classify(name, bundled_patterns()) == service


@pytest.mark.parametrize(
    ("sentence", "skipped_at", "reason"),
    [
        # a finding, then a restatement after the semicolon: only the second clause is a guideline
        ("The worker is undergoing physical therapy; the visits are within the guidelines.", "physical", None),
        ("The worker is undergoing physical therapy; the visits are within the guidelines.", "visits", "guideline"),
        ("Guidelines recommend physical therapy; it was requested.", "physical therapy", "guideline"),
        ("The worker is in physical therapy and the guidelines allow it.", "physical", "guideline"),
        # restatements without the word "guideline": evidence statements, "may be useful", visit schedules
        ("There is conflicting evidence for the use of opioids in neuropathic pain.", "neuropathic", "guideline"),
        ("Anti-inflammatories may be useful in mixed neuropathic pain.", "neuropathic", "guideline"),
        ("Sciatica (ICD9 724.3): 10-12 visits over 8 weeks.", "Sciatica", "guideline"),
        ("The worker has neuropathic pain in the left foot.", "neuropathic", None),
        # what utilization review said is reported for the whole sentence, whatever the clause
        ("Utilization review noted prior therapy; physical therapy was denied.", "physical", "reported decision"),
    ],
)
def test_guideline_restatements_are_skipped_by_clause(sentence: str, skipped_at: str, reason: str | None) -> None:
    assert bundled_patterns().context.skipped(sentence, sentence.index(skipped_at)) == reason


def test_sentences_keep_offsets_across_line_breaks() -> None:
    text = "Intro. The MRI showed\n\nno stenosis. Dr. Smith agreed."
    got = sentences(text, 0, len(text), "summary")
    assert [s.text for s in got] == ["Intro.", "The MRI showed no stenosis.", "Dr. Smith agreed."]
    assert isinstance(got[1], Sentence) and text[got[1].start : got[1].end].startswith("The MRI")


def test_cli_extract_writes_a_case_that_evaluate_accepts(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["extract", str(OWN / "surgery_with_associated.txt"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    loaded = load_case(target, bundled_library())
    assert loaded.case.extracted and loaded.case.case == "CM99-0000203"
    result = runner.invoke(main, ["evaluate", str(target), "--format", "json"])
    assert result.exit_code == 0 and '"Overturned"' in result.stdout
    result = runner.invoke(main, ["extract", str(OWN / "mri_red_flags.txt"), "--format", "json"])
    assert result.exit_code == 0 and '"red_flags_present"' in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"Dear claimant, this is a note about your appointment.\n", "no decisions section"),
    ],
)
def test_cli_extract_bad_input(tmp_path: Path, content: bytes, expected: str) -> None:
    source = tmp_path / "letter.txt"
    source.write_bytes(content)
    target = tmp_path / "case.yaml"
    result = CliRunner().invoke(main, ["extract", str(source), "-o", str(target)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert expected.lower() in result.stderr.lower()
    assert not target.exists()


def _read(fact: str, text: str, section: str = "summary"):  # type: ignore[no-untyped-def]
    """The value one fact pattern reads from `text` alone (None: not documented)."""
    from imr_rules.reading.facts import read_fact

    pattern = next(p for p in bundled_patterns().facts.facts if p.fact == fact)
    got = read_fact(pattern, bundled_patterns(), sentences(text, 0, len(text), section), [], "test")
    return None if got is None else got[0]


@pytest.mark.parametrize(
    ("fact", "text", "section", "expected"),
    [
        # sensory symptoms or a deficit in the digits one hand nerve supplies: signs of an entrapment
        ("nerve_entrapment_suspected", "She reports tingling in the right thumb and index finger.", "summary", True),
        ("nerve_entrapment_suspected", "Exam shows hyposensorium over the left little finger.", "summary", True),
        ("nerve_entrapment_suspected", "There was no numbness in the left thumb.", "summary", False),
        ("nerve_entrapment_suspected", "Numbness was reported about the left arm.", "summary", None),
        # a referral whose question is a surgical one: the specialist's added expertise
        ("referral_expertise_needed", "Orthopedic consult for evaluation for a knee replacement", "item_name", True),
        ("referral_expertise_needed", "The worker is a surgical candidate for the shoulder.", "item_rationale", True),
        ("referral_expertise_needed", "The worker is not a candidate for surgery.", "item_rationale", False),
        # the acute period of the complaint, as the letter states the patient's own course
        ("acute_phase", "The worker remains in the early stage of treatment.", "rationale", True),
        ("acute_phase", "The worker is now past the acute phase of the injury.", "rationale", False),
        ("acute_phase", "Job modification may be useful in the acute period.", "rationale", None),
        # a sustained activity that aggravates the symptoms
        ("activity_aggravates_symptoms", "Her neck pain is aggravated by prolonged sitting at work.", "summary", True),
        ("activity_aggravates_symptoms", "The back pain is not worsened with prolonged standing.", "summary", False),
    ],
)
def test_new_targets_read_the_finding_and_its_negation(fact: str, text: str, section: str, expected: object) -> None:
    assert _read(fact, text, section) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["Dr.", "No.", "pain.", "MRI", "(L4-5).", "3", "e.g.", "Yes!", "What?", '"Quote."']),
            st.text(alphabet="abcXYZ", min_size=1, max_size=6),
            st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \n  ", "\u00a0", "\u2003 "]),
        ),
        max_size=60,
    ),
    st.integers(min_value=0, max_value=5),
)
def test_sentence_offsets_point_at_their_own_words(parts: list[str], margin: int) -> None:
    """Whatever the whitespace, a sentence's offsets frame exactly its words in the letter."""
    text = "x" * margin + " " + "".join(parts) + " " + "y" * margin
    start, end = margin, len(text) - margin
    for s in sentences(text, start, end, "summary"):
        assert start <= s.start < s.end <= end
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        assert " ".join(text[s.start : s.end].split()) == s.text
