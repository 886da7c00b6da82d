"""`imr-rules check`: each kind of inconsistency planted in letters written for the suite, clean letters
that must stay clean, the five seed letters (with why each expected finding is right), and the CLI."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from imr_rules import load_rules
from imr_rules.checking.consistency import Checker, check_path
from imr_rules.cli import main

from .conftest import RULES, SHARED, needs_shared

CHECKER = Checker.load(load_rules(RULES))
OWN = Path(__file__).parent / "letters" / "extract"
RED_FLAG_SUMMARY = (
    "This fictional injured worker is a 58 year old female clerk. She describes saddle anesthesia since "
    "January, and the ankle reflex was diminished on the left."
)
DISCECTOMY_SUMMARY = (
    "This fictional injured worker is a 41 year old male roofer. He has severe and disabling left leg pain, "
    "and activity has been limited by radiating leg pain for 5 months. On examination there was motor weakness "
    "of plantar flexion. The MRI showed nerve root compression of the left S1 root. EMG and nerve conduction "
    "studies confirmed an S1 radiculopathy. He tried activity modification for 4 months, ibuprofen and physical "
    "therapy, and he has failed conservative treatment."
)
ODG_DISCECTOMY = (
    "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low Back, Discectomy/laminectomy."
)
ODG_LABS = (
    "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low Back, Preoperative lab testing."
)
POSTSURGICAL = "Decision based on MTUS Postsurgical Treatment 2009, Section(s): Low Back."
SPECIAL_STUDIES = "Decision based on MTUS Low Back Complaints 2004, Section(s): Special Studies."


def letter(summary: str, items: list[tuple[str, str, str, str]]) -> str:
    """A letter in the published layout: items are (name, decision, reviewer citation, rationale)."""
    blocks = []
    for name, decision, citation, rationale in items:
        paragraphs = [
            f"{name}: {decision}",
            "Claims Administrator guideline: The Claims Administrator did not cite any medical evidence for its "
            "decision.",
            f"MAXIMUS guideline: {citation}",
            f"Decision rationale: {rationale}",
        ]
        # like the published letters: lines wrapped inside a paragraph, a blank line between paragraphs
        blocks.append("\n\n".join(textwrap.fill(p, 60) for p in paragraphs))
    return (
        "Case Number: CM99-0000300\nDate Assigned: 02/02/2017 Date of Injury:  06/01/2016\n"
        "Decision Date: 03/01/2017 UR Denial Date:  01/20/2017\nPriority:  Standard Application\nReceived:\n"
        "01/27/2017\n\nHOW THE IMR FINAL DETERMINATION WAS MADE\nMAXIMUS Federal Services sent the complete case "
        "file to an expert reviewer.\n\nThe Expert Reviewer has the following credentials:\nState(s) of Licensure: "
        "California\nCertification(s)/Specialty: Orthopaedic Surgery\n\nCLINICAL CASE SUMMARY\nThe expert reviewer "
        "developed the following clinical case summary based on a review of the\ncase file, including all medical "
        f"records:\n\n{textwrap.fill(summary, 60)}\n\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination "
        "was based on decisions for the disputed items/services set forth below:\n\n" + "\n\n".join(blocks) + "\n"
    )


def run(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "letter.txt"
    path.write_text(text)
    result = check_path(path, CHECKER)
    return result, [f.code for f in result.findings if f.severity != "info"]


def test_decision_contradicting_the_criteria_both_ways(tmp_path: Path) -> None:
    upheld = letter(
        RED_FLAG_SUMMARY, [("Lumbar MRI", "Upheld", SPECIAL_STUDIES, "The request is not medically necessary.")]
    )
    result, codes = run(tmp_path, upheld)
    assert codes == ["DECISION-CONTRADICTS-CRITERIA"]
    finding = result.findings[0]
    assert finding.item == "Lumbar MRI" and finding.severity == "error"
    assert "Overturned" in finding.message and "red flags" in finding.message.lower()
    assert any("saddle anesthesia" in e.quote for e in finding.evidence)
    assert not result.consistent

    # certified while the letter documents every route to imaging as not met: an error naming the criterion
    overturned = letter(
        "This fictional worker is a 40 year old male. Red flags were absent at every visit. The neurologic "
        "examination showed no objective evidence of radiculopathy.",
        [("Lumbar MRI", "Overturned", SPECIAL_STUDIES, "The request is medically necessary.")],
    )
    result, codes = run(tmp_path, overturned)
    assert codes == ["DECISION-CONTRADICTS-CRITERIA"]
    finding = result.findings[0]
    assert "red_flags_present = false" in finding.message and "Upheld" in finding.message
    assert any("Red flags were absent" in e.quote for e in finding.evidence)
    assert not result.consistent and result.severity == "error"


def test_a_contradiction_resting_on_an_inferred_fact_is_a_warning_not_an_error(tmp_path: Path) -> None:
    """The same denied MRI with red flags documented: an error while the red flag is stated; a warning,
    naming the fact, once the case file marks it inferred (a person must confirm it first)."""
    text = letter(
        RED_FLAG_SUMMARY, [("Lumbar MRI", "Upheld", SPECIAL_STUDIES, "The request is not medically necessary.")]
    )
    (tmp_path / "letter.txt").write_text(text)
    case_path = tmp_path / "case.yaml"
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "letter.txt"), "-o", str(case_path)]).exit_code == 0
    stated = check_path(case_path, CHECKER)
    assert [f.code for f in stated.findings if f.severity == "error"] == ["DECISION-CONTRADICTS-CRITERIA"]

    case = yaml.safe_load(case_path.read_text())
    case["facts"]["red_flags_present"]["inferred"] = True
    case.pop("extraction", None)  # the reviewed case, edited by hand
    case_path.write_text(yaml.safe_dump(case, sort_keys=False))
    inferred = check_path(case_path, CHECKER)
    assert not [f for f in inferred.findings if f.severity == "error"]
    finding = next(f for f in inferred.findings if f.code == "DECISION-RESTS-ON-INFERRED-FACTS")
    assert finding.severity == "warning" and "red_flags_present is inferred" in finding.message
    assert inferred.consistent


def test_certified_with_criteria_only_undocumented_is_a_warning_not_an_error(tmp_path: Path) -> None:
    """Red flags documented absent, but the other route to imaging is simply not mentioned: the letter's
    silence is worth a warning naming what is undocumented, not a contradiction."""
    text = letter(
        "This fictional worker is a 40 year old male. Red flags were absent at every visit.",
        [("Lumbar MRI", "Overturned", SPECIAL_STUDIES, "The request is medically necessary.")],
    )
    result, codes = run(tmp_path, text)
    assert codes == ["CRITERIA-NOT-DOCUMENTED"]
    finding = result.findings[0]
    assert finding.severity == "warning"
    assert "objective_nerve_compromise_on_exam" in finding.message
    assert result.consistent and result.severity == "warning"
    assert result.items[0].consistent


def test_upheld_with_criteria_only_undocumented_is_consistent(tmp_path: Path) -> None:
    """The burden of documentation is on the request: a denial of an undocumented request is consistent."""
    text = letter(
        "This fictional worker is a 40 year old male with low back pain.",
        [("Lumbar MRI", "Upheld", SPECIAL_STUDIES, "The request is not medically necessary.")],
    )
    result, codes = run(tmp_path, text)
    assert codes == []
    assert result.consistent and result.severity is None


def test_dependent_overturned_while_its_primary_is_upheld(tmp_path: Path) -> None:
    text = letter(
        "This fictional worker is a 40 year old male. The MRI showed no nerve root compression.",
        [
            ("L5-S1 microdiscectomy", "Upheld", ODG_DISCECTOMY, "The request is not medically necessary."),
            (
                "Post-operative physical therapy 2x4 weeks",
                "Overturned",
                POSTSURGICAL,
                "The request is medically necessary.",
            ),
        ],
    )
    result, codes = run(tmp_path, text)
    assert "DEPENDENT-OVERTURNED-PRIMARY-DENIED" in codes
    finding = next(f for f in result.findings if f.code == "DEPENDENT-OVERTURNED-PRIMARY-DENIED")
    assert finding.item == "Post-operative physical therapy 2x4 weeks"
    assert "L5-S1 microdiscectomy" in finding.message


def test_dependent_upheld_because_of_a_primary_that_was_certified(tmp_path: Path) -> None:
    text = letter(
        DISCECTOMY_SUMMARY,
        [
            ("L5-S1 microdiscectomy", "Overturned", ODG_DISCECTOMY, "The request is medically necessary."),
            (
                "Pre-operative labs: CBC",
                "Upheld",
                ODG_LABS,
                "Since the primary procedure is not medically necessary, the associated services are not medically "
                "necessary.",
            ),
        ],
    )
    result, codes = run(tmp_path, text)
    assert codes == ["DEPENDENT-UPHELD-PRIMARY-CERTIFIED"]
    assert result.findings[0].item == "Pre-operative labs: CBC"


def test_rationale_concluding_against_its_decision(tmp_path: Path) -> None:
    text = letter(
        RED_FLAG_SUMMARY,
        [("Lumbar MRI", "Overturned", SPECIAL_STUDIES, "Therefore the request is not medically necessary.")],
    )
    result, codes = run(tmp_path, text)
    assert codes == ["RATIONALE-CONTRADICTS-DECISION"]
    assert result.findings[0].evidence[0].quote == "Therefore the request is not medically necessary."


def test_citation_that_does_not_govern_and_no_citation(tmp_path: Path) -> None:
    fusion = "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low Back, Fusion (spinal)."
    none = "The Expert Reviewer did not cite any medical evidence for its decision."
    text = letter(
        DISCECTOMY_SUMMARY,
        [
            ("L5-S1 microdiscectomy", "Overturned", fusion, "The request is medically necessary."),
            (
                "Pre-operative labs: CBC",
                "Upheld",
                none,
                "There is no indication for the tests. The request is not medically necessary.",
            ),
        ],
    )
    result, codes = run(tmp_path, text)
    assert codes == ["CITATION-NOT-GOVERNING"]
    assert [f.severity for f in result.findings if f.code == "NO-CITATION"] == ["info"]
    cited = next(f for f in result.findings if f.code == "CITATION-NOT-GOVERNING")
    assert cited.item == "L5-S1 microdiscectomy" and "lumbar_fusion" in cited.message
    # it may be the reading that is wrong, not the letter: the message says how to correct either
    assert "read as discectomy" in cited.message and "set its `service:`" in cited.message


def test_rationale_reading_a_criterion_against_the_summary(tmp_path: Path) -> None:
    text = letter(
        DISCECTOMY_SUMMARY,
        [
            (
                "L5-S1 microdiscectomy",
                "Upheld",
                ODG_DISCECTOMY,
                "In this case there is no imaging evidence of nerve root compression. The request is not medically "
                "necessary.",
            )
        ],
    )
    result, codes = run(tmp_path, text)
    assert "CRITERION-RATIONALE-VS-SUMMARY" in codes
    finding = next(f for f in result.findings if f.code == "CRITERION-RATIONALE-VS-SUMMARY")
    assert "imaging_neural_compression" in finding.message
    assert {e.section for e in finding.evidence} == {"summary", "rationale"}


def test_region_mismatch_in_the_summary(tmp_path: Path) -> None:
    text = letter(
        "This fictional worker is a 40 year old male. The cervical MRI impression documented a disc protrusion at "
        "L4-5. Red flags were absent.",
        [("Lumbar MRI", "Upheld", SPECIAL_STUDIES, "The request is not medically necessary.")],
    )
    result, codes = run(tmp_path, text)
    assert codes == ["REGION-MISMATCH"]
    assert result.findings[0].item is None


@pytest.mark.parametrize("name", ["surgery_with_associated.txt", "mri_red_flags.txt", "mri_no_red_flags.txt"])
def test_clean_letters_have_no_findings(name: str) -> None:
    result = check_path(OWN / name, CHECKER)
    assert [f.code for f in result.findings] == []
    assert result.consistent


@needs_shared
def test_seed_letters_findings_are_the_ones_a_careful_reader_agrees_with() -> None:
    letters = {p.name[:3]: p for p in (SHARED / "letters").glob("*.txt")}
    got = {stem: check_path(path, CHECKER) for stem, path in letters.items()}
    for result in got.values():
        assert all(i.letter_decision == i.engine_decision for i in result.items)
    # 000, 003, 004: decisions follow from the facts, and each cites the section that governs the item.
    for stem in ("000", "003", "004"):
        assert got[stem].findings == [] and got[stem].consistent
    # 001: the reviewer cites ODG "Fusion (spinal)" for a decompression/discectomy and for its associated
    # services; fusion criteria do not govern a discectomy (ODG has its own Discectomy/laminectomy section).
    codes = [(f.code, f.item) for f in got["001"].findings]
    assert len(codes) == 5 and {c for c, _ in codes} == {"CITATION-NOT-GOVERNING"}
    assert {i for _, i in codes} == {i.item for i in got["001"].items}
    # 002: the "cervical CT scan" impression reports lumbar levels (L3/4 ... L5/S1): the summary contradicts
    # itself about the body region imaged.
    (region,) = got["002"].findings
    assert region.code == "REGION-MISMATCH" and "L3/4" in region.message


def test_cli_check_formats_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(main, ["check", str(OWN / "mri_red_flags.txt")])
    assert clean.exit_code == 0 and "consistent" in clean.stdout
    bad = tmp_path / "bad.txt"
    bad.write_text(letter(RED_FLAG_SUMMARY, [("Lumbar MRI", "Upheld", SPECIAL_STUDIES, "Not medically necessary.")]))
    result = runner.invoke(main, ["check", str(bad), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["consistent"] is False and data["source"] == str(bad)
    (item,) = data["items"]
    assert item["letter_decision"] == "Upheld" and item["engine_decision"] == "Overturned"
    assert item["consistent"] is False and item["findings"][0]["code"] == "DECISION-CONTRADICTS-CRITERIA"
    assert {"code", "severity", "item", "message"} <= set(data["findings"][0])
    html_out = tmp_path / "report.html"
    result = runner.invoke(main, ["check", str(OWN), "--format", "html", "-o", str(html_out)])
    page = html_out.read_text()
    assert page.startswith("<!doctype html>") and "<mark>" in page and "http" not in page.replace("http-equiv", "")
    folder = runner.invoke(main, ["check", str(OWN), "--format", "json"])
    summary = json.loads(folder.stdout)["summary"]
    assert summary["letters"] == 4 and summary["items"] == 6 and summary["governed"] == 6
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("not a letter\n")
    result = runner.invoke(main, ["check", str(garbage)])
    assert result.exit_code == 2 and "no decisions section" in result.stderr


@needs_shared
def test_check_runs_over_every_real_letter() -> None:
    result = CliRunner().invoke(main, ["check", str(SHARED / "dwc-letters"), "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary["letters"] == 164 and summary["failed"] == 0 and summary["items"] == 346
    assert summary["letter_overturned"] == 22
    assert 0 < summary["governed"] <= 346


def test_check_with_two_jobs_streams_the_same_jsonl() -> None:
    runner = CliRunner()
    one = runner.invoke(main, ["check", str(OWN), "--format", "jsonl"])
    two = runner.invoke(main, ["check", str(OWN), "--format", "jsonl", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 4


def test_a_case_file_in_json_is_checked_as_a_case_not_read_as_a_letter(tmp_path: Path) -> None:
    text = letter(
        RED_FLAG_SUMMARY, [("Lumbar MRI", "Upheld", SPECIAL_STUDIES, "The request is not medically necessary.")]
    )
    (tmp_path / "letter.txt").write_text(text)
    case_path = tmp_path / "case.json"
    args = ["extract", str(tmp_path / "letter.txt"), "--format", "json", "-o", str(case_path)]
    assert CliRunner().invoke(main, args).exit_code == 0
    result = CliRunner().invoke(main, ["check", str(case_path), "--format", "json"])
    assert result.exit_code == 1, result.stderr  # the error finding, not a letter that cannot be read
    assert json.loads(result.stdout)["items"][0]["item"] == "Lumbar MRI"
