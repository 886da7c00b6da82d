"""`imr-rules check` calibration (issue 11): an error only where the letter's own documented facts decide
the other outcome; silence is a warning; dependents judged against their primary as the letter decided it;
skipped letter checks never pass silently; exit codes by severity (`--fail-on`). All through the real
engine, on letters written for the suite."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml
from click.testing import CliRunner

from imr_rules.checking.consistency import check_path
from imr_rules.cli import main

from .test_check import CHECKER, DISCECTOMY_SUMMARY, ODG_DISCECTOMY, POSTSURGICAL, SPECIAL_STUDIES, letter

UNDOCUMENTED_SUMMARY = "This fictional worker is a 44 year old female with low back pain."


def _two_items(summary: str, primary: str, dependent: str) -> str:
    return letter(
        summary,
        [
            ("L5-S1 microdiscectomy", primary, ODG_DISCECTOMY, "The request is medically necessary."),
            ("Post-operative physical therapy 2x4 weeks", dependent, POSTSURGICAL, "The request is necessary."),
        ],
    )


def test_dependent_is_judged_against_the_primary_as_the_letter_decided_it(tmp_path: Path) -> None:
    """The letter certifies a discectomy whose criteria it does not document, and the post-op therapy: the
    therapy is consistent with the letter's own decision on the surgery; the engine's view is reported."""
    path = tmp_path / "letter.txt"
    path.write_text(_two_items(UNDOCUMENTED_SUMMARY, "Overturned", "Overturned"))
    result = check_path(path, CHECKER)
    surgery, therapy = result.items
    assert surgery.engine_decision == "Upheld"
    assert [f.code for f in surgery.findings] == ["CRITERIA-NOT-DOCUMENTED"]
    assert therapy.primary == "L5-S1 microdiscectomy"
    assert therapy.primary_letter_decision == "Overturned" and therapy.primary_engine_decision == "Upheld"
    status = next(c for c in therapy.determination.criteria if c.fact == "primary_status")
    assert status.status == "met" and status.facts[0].value == "certified"
    assert status.facts[0].evidence[0].section == "letter decision"
    assert not any(f.code.startswith("DEPENDENT-") or f.severity == "error" for f in therapy.findings)
    assert result.consistent and result.severity == "warning"
    out = CliRunner().invoke(main, ["check", str(path), "--explain"])
    assert out.exit_code == 0, out.output
    assert "as this letter decided it (Overturned); the rules find the primary Upheld" in out.output


def test_dependent_overturned_with_the_primary_upheld_in_the_same_letter_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(_two_items(DISCECTOMY_SUMMARY, "Upheld", "Overturned"))
    result = check_path(path, CHECKER)
    therapy = result.items[1]
    errors = [f.code for f in therapy.findings if f.severity == "error"]
    assert errors == ["DEPENDENT-OVERTURNED-PRIMARY-DENIED"]  # not also a second, vaguer contradiction
    assert therapy.primary_engine_decision == "Overturned"
    assert not result.consistent


def test_dependent_of_a_primary_outside_the_letter_uses_the_stated_status(tmp_path: Path) -> None:
    """No primary item in the letter: the primary's status is what the letter states (here: nothing), and
    the engine's view of the primary is not reported (there is none)."""
    path = tmp_path / "letter.txt"
    path.write_text(
        letter(
            UNDOCUMENTED_SUMMARY,
            [("Post-operative physical therapy 2x4 weeks", "Upheld", POSTSURGICAL, "Not medically necessary.")],
        )
    )
    result = check_path(path, CHECKER)
    (therapy,) = result.items
    assert therapy.primary_letter_decision is None and therapy.primary_engine_decision is None
    assert result.consistent


def test_evaluate_shows_a_same_case_primary_status_as_derived() -> None:
    """`evaluate` used to print a [NOT MET] criterion over 'fact primary_status: not documented'."""
    out = CliRunner().invoke(main, ["evaluate", "cases/001_dbfc6dcde667e7b2.yaml", "--explain"])
    assert out.exit_code == 0
    assert "fact primary_status: not documented" not in out.output
    assert "fact primary_status = non_certified" in out.output
    assert "(derived: 'L4-S1 Decompression, Discectomy, Foraminotomies' is Upheld by these rules)" in out.output


def _extracted(tmp_path: Path, summary: str, decision: str) -> tuple[Path, Path]:
    letter_path = tmp_path / "letters" / "letter.txt"
    letter_path.parent.mkdir()
    letter_path.write_text(
        letter(summary, [("Lumbar MRI", decision, SPECIAL_STUDIES, "The request is not medically necessary.")])
    )
    case_path = tmp_path / "cases" / "case.yaml"
    case_path.parent.mkdir()
    out = CliRunner().invoke(main, ["extract", str(letter_path), "-o", str(case_path)])
    assert out.exit_code == 0, out.output
    return letter_path, case_path


def test_extracted_case_names_its_letter_relative_to_itself(tmp_path: Path) -> None:
    _, case_path = _extracted(tmp_path, UNDOCUMENTED_SUMMARY, "Upheld")
    data = yaml.safe_load(case_path.read_text())
    assert data["letter"] == os.path.join("..", "letters", "letter.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(elsewhere)
        result = check_path(Path("..") / "cases" / "case.yaml", CHECKER)
    finally:
        os.chdir(cwd)
    assert not any(f.code == "LETTER-CHECKS-SKIPPED" for f in result.findings)
    assert result.summary is not None and "44 year old" in result.summary


def test_a_case_whose_letter_is_missing_warns_that_letter_checks_were_skipped(tmp_path: Path) -> None:
    letter_path, case_path = _extracted(tmp_path, UNDOCUMENTED_SUMMARY, "Upheld")
    letter_path.unlink()
    result = check_path(case_path, CHECKER)
    skipped = [f for f in result.findings if f.code == "LETTER-CHECKS-SKIPPED"]
    assert len(skipped) == 1 and skipped[0].severity == "warning" and "cannot be found" in skipped[0].message
    assert result.severity == "warning"
    out = CliRunner().invoke(main, ["check", str(case_path), "--fail-on", "warning"])
    assert out.exit_code == 1 and "LETTER-CHECKS-SKIPPED" in out.output
    assert CliRunner().invoke(main, ["check", str(case_path)]).exit_code == 0


def test_a_changed_letter_and_a_case_with_no_letter_are_said(tmp_path: Path) -> None:
    letter_path, case_path = _extracted(tmp_path, UNDOCUMENTED_SUMMARY, "Upheld")
    letter_path.write_text(letter_path.read_text().replace("44 year old", "45 year old"))
    result = check_path(case_path, CHECKER)
    assert any("has changed since" in f.message for f in result.findings if f.code == "LETTER-CHECKS-SKIPPED")
    data = yaml.safe_load(case_path.read_text())
    del data["letter"]
    case_path.write_text(yaml.safe_dump(data))
    result = check_path(case_path, CHECKER)
    assert any("names no letter" in f.message for f in result.findings if f.code == "LETTER-CHECKS-SKIPPED")


def test_an_item_name_cut_short_in_yaml_is_not_silently_consistent(tmp_path: Path) -> None:
    """An unquoted ' #' starts a YAML comment: the item no longer matches its letter's item."""
    path = tmp_path / "letter.txt"
    path.write_text(letter(UNDOCUMENTED_SUMMARY, [("Tramadol 50mg #60", "Upheld", SPECIAL_STUDIES, "No.")]))
    case = tmp_path / "case.yaml"
    case.write_text(f"case: cut\nletter: {path.name}\nitems:\n  - item: Tramadol 50mg #60\n    decision: Upheld\n")
    result = check_path(case, CHECKER)
    (item,) = result.items
    assert item.item == "Tramadol 50mg"
    skipped = [f for f in item.findings if f.code == "LETTER-CHECKS-SKIPPED"]
    assert skipped and "Tramadol 50mg #60" in skipped[0].message and "quote" in skipped[0].message
    assert item.severity == "warning"


def test_fail_on_and_the_summary_by_severity(tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "warns.txt").write_text(
        letter(
            "This fictional worker is a 40 year old male. Red flags were absent at every visit.",
            [("Lumbar MRI", "Overturned", SPECIAL_STUDIES, "The request is medically necessary.")],
        )
    )
    (folder / "clean.txt").write_text(
        letter(UNDOCUMENTED_SUMMARY, [("Lumbar MRI", "Upheld", SPECIAL_STUDIES, "Not medically necessary.")])
    )
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(folder)]).exit_code == 0
    assert runner.invoke(main, ["check", str(folder), "--fail-on", "warning"]).exit_code == 1
    out = runner.invoke(main, ["check", str(folder), "--format", "json"])
    summary = json.loads(out.output)["summary"]
    assert summary["findings_by_severity"] == {"error": 0, "warning": 1, "info": 0}
    assert summary["letters_with_error"] == []
    (folder / "error.txt").write_text(
        letter(
            "This fictional worker is a 40 year old male. Red flags were absent at every visit. The neurologic "
            "examination showed no objective evidence of radiculopathy.",
            [("Lumbar MRI", "Overturned", SPECIAL_STUDIES, "The request is medically necessary.")],
        )
    )
    out = runner.invoke(main, ["check", str(folder)])
    assert out.exit_code == 1
    assert "letters with an error: 1 of 3" in out.output and "error.txt" in out.output.splitlines()[-1]


def test_html_report_shows_severity_in_words_and_folds_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(
        letter(
            "This fictional worker is a 40 year old male. Red flags were absent at every visit.",
            [("Lumbar MRI", "Overturned", SPECIAL_STUDIES, "The request is medically necessary.")],
        )
    )
    page = CliRunner().invoke(main, ["check", str(path), "--format", "html"]).output
    assert "<title>imr-rules check: CM99-0000300</title>" in page
    assert "name='viewport'" in page
    assert "consistent, with warnings" in page and "sev-warning" in page
    decided = page.index("What decided it:")
    folded = page.index("<details><summary>Every criterion")
    assert decided < folded
    assert "opacity" not in page


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_report_colours_meet_wcag_aa_contrast() -> None:
    """Every rule of the report's style sheet that sets a text colour and a background meets 4.5:1, and
    text colours set alone meet it on white (the page's background)."""
    import re

    from imr_rules.output import report

    checked = 0
    for body in re.findall(r"\{([^}]*)\}", report._CSS):
        colour = re.search(r"(?:^|;)color:(#[0-9a-f]{6})", body)
        if colour is None:
            continue
        background = re.search(r"background:(#[0-9a-f]{6})", body)
        lighter, darker = sorted(
            (_luminance(colour.group(1)), _luminance(background.group(1) if background else "#ffffff")), reverse=True
        )
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, body
        checked += 1
    assert checked >= 8


def test_the_two_arms_of_an_undocumented_branch_are_named_once(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(
        letter(
            UNDOCUMENTED_SUMMARY,
            [("Acupuncture 6 visits", "Overturned", "MTUS Acupuncture Medical Treatment Guidelines.", "Necessary.")],
        )
    )
    result = check_path(path, CHECKER)
    (finding,) = [f for f in result.findings if f.code == "CRITERIA-NOT-DOCUMENTED"]
    assert finding.message.count("(prior_course_completed)") == 1 and "which of:" in finding.message


def test_a_certified_item_the_rules_uphold_for_undocumented_criteria_is_said_to_differ(tmp_path: Path) -> None:
    """Not a contradiction (a warning), but the text view says the rules' outcome differs, as `evaluate`'s
    DIFFERS does, rather than calling the item consistent."""
    from imr_rules.output.report import check_text

    path = tmp_path / "letter.txt"
    path.write_text(letter(UNDOCUMENTED_SUMMARY, [("Lumbar MRI", "Overturned", SPECIAL_STUDIES, "It is necessary.")]))
    result = check_path(path, CHECKER)
    assert result.verdict == "warnings" and result.items[0].engine_decision == "Upheld"
    text = check_text(result)
    assert "Lumbar MRI: letter Overturned, engine Upheld: differs, not contradicted" in text
    assert "1 item the rules decide the other way, from undocumented criteria, not a contradiction" in text
