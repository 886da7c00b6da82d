"""The CLI: text and JSON output, and bad input as one line with exit code 2 (never a traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from imr_rules.cli import main

from .conftest import CASES, RULES

CASE = str(CASES / "001_dbfc6dcde667e7b2.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_text_output_names_rule_criteria_facts_and_citation() -> None:
    code, out, _ = run("evaluate", CASE, "--explain")
    assert code == 0
    assert "Determination: UPHELD" in out
    assert "acoem-2004-ch12-surgical-referral" in out
    assert "[NOT MET] Imaging shows neural compromise" in out
    assert "imaging_neural_compression = false" in out
    assert "page(s) 305-306" in out
    assert "Rationale:" in out


def test_json_output_has_the_documented_shape() -> None:
    code, out, _ = run("evaluate", CASE, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["case"] == "001_dbfc6dcde667e7b2"
    assert set(data["provenance"]) >= {"imr_rules_version", "rules_digest", "case_digest"}
    assert len(data["provenance"]["rules_digest"]) == 64
    assert len(data["determinations"]) == 5
    for det in data["determinations"]:
        assert det["outcome"] in ("Upheld", "Overturned", "Undetermined")
        assert det["medically_necessary"] in (True, False, None)
        assert isinstance(det["rule"], str) and isinstance(det["rationale"], str)
        assert all(isinstance(c, str) for c in det["citations"])
        for crit in det["criteria"]:
            assert set(crit) >= {"id", "text", "status"}
            assert crit["status"] in ("met", "not_met", "not_documented")


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run("evaluate", CASE, "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["case"] == "001_dbfc6dcde667e7b2"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


GOOD = (CASES / "004_c1b1e726fca0fa4f.yaml").read_text()
DUPLICATE = '  - item: "MRI of Lumbar Spine"\n    service: mri_lumbar\n'


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("malformed.yaml", "case: x\nitems: [\n", "malformed YAML"),
        ("tag.yaml", "case: !!python/object:os.system x\nitems: []\n", "not allowed"),
        (
            "unknown_fact.yaml",
            GOOD.replace("red_flags_present", "red_flag_present"),
            "did you mean 'red_flags_present'",
        ),
        ("wrong_type.yaml", GOOD.replace("value: 54", "value: fifty-four"), "expected a whole number"),
        ("empty.yaml", "", "empty file"),
        ("binary.yaml", "\x00\x01\x02garbage", "binary file"),
        ("dup.yaml", GOOD.replace("items:\n", "items:\n" + DUPLICATE), "listed twice"),
        ("service.yaml", GOOD.replace("service: mri_lumbar", "service: mri_lumbr"), "did you mean 'mri_lumbar'"),
        ("extra.yaml", GOOD.replace("dates:", "colour: blue\ndates:"), "unknown key 'colour'"),
    ],
)
def test_bad_case_is_one_line_with_location_and_exit_2(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    target = tmp_path / "out.json"
    code, out, err = run("evaluate", str(path), "-o", str(target))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {path}")
    assert expected in lines[0]
    assert "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_check_of_one_bad_input_leaves_the_output_file_alone(tmp_path: Path, fmt: str) -> None:
    """`check -o`: one input that fails is one error line and exit 2; an earlier report at -o stays whole, and
    none is written where there was none (it was emptied, or an empty report written, before)."""
    target, fresh = tmp_path / f"report.{fmt}", tmp_path / f"fresh.{fmt}"
    target.write_text("an earlier report\n")
    (tmp_path / "broken.yaml").write_text("case: x\nitems: [\n")
    for bad in ("missing.txt", str(tmp_path / "broken.yaml")):
        for out_file in (target, fresh):
            code, out, err = run("check", bad, "--format", fmt, "-o", str(out_file))
            assert code == 2 and out == ""
            assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert target.read_text() == "an earlier report\n"
    assert not fresh.exists()


def test_unknown_fact_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(GOOD.replace("red_flags_present", "red_flag_present"))
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "red_flag_present" in text)
    _, _, err = run("evaluate", str(path))
    assert f"{path}:{line}:" in err


def test_missing_file_and_missing_rules() -> None:
    code, _, err = run("evaluate", "no/such/case.yaml")
    assert code == 2 and "no such file" in err
    code, _, err = run("evaluate", CASE, "--rules", "no/such/rules")
    assert code == 2 and "rule library folder not found" in err


def test_broken_rule_file_is_reported_with_its_line(tmp_path: Path) -> None:
    import shutil

    lib = tmp_path / "rules"
    shutil.copytree(RULES, lib)
    target = lib / "low-back" / "odg-hardware-injection-block.yaml"
    target.write_text(
        target.read_text().replace("fact: persistent_pain_after_fusion", "fact: persistent_pain_after_fusio")
    )
    code, _, err = run("evaluate", CASE, "--rules", str(lib))
    assert code == 2
    assert f"{target}:" in err and "did you mean 'persistent_pain_after_fusion'" in err


def test_installed_command_runs_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "imr_rules.cli", "evaluate", "does-not-exist.yaml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: does-not-exist.yaml: no such file"


def test_folder_streams_jsonl_and_reports_a_bad_file_on_its_own_line(tmp_path: Path) -> None:
    import shutil

    for path in CASES.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "zz_broken.yaml").write_text("case: [\n")
    code, out, err = run("evaluate", str(tmp_path), "--format", "jsonl")
    assert code == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d.get("case") for d in lines[:5]] == sorted(p.stem for p in CASES.glob("*.yaml"))
    assert lines[5]["source"].endswith("zz_broken.yaml") and "malformed YAML" in lines[5]["error"]
    assert "zz_broken.yaml" in err and "1 of 6 file(s) failed" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_folder_text_view_ends_with_a_total_line_on_stderr(tmp_path: Path, jobs: str) -> None:
    import shutil
    from collections import Counter

    for path in CASES.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
        shutil.copy(path, tmp_path / f"copy_{path.name}")
    (tmp_path / "zz_broken.yaml").write_text("case: [\n")
    _, jsonl, jsonl_err = run("evaluate", str(tmp_path), "--format", "jsonl", "--jobs", jobs)
    outcomes = Counter(d["outcome"] for line in jsonl.splitlines() for d in json.loads(line).get("determinations", []))
    assert set(outcomes) <= {"Upheld", "Overturned", "Undetermined"} and sum(outcomes.values()) > 10
    expected = (
        f"10 cases, {sum(outcomes.values())} items: {outcomes['Upheld']} Upheld, {outcomes['Overturned']} Overturned, "
        f"{outcomes['Undetermined']} Undetermined; 1 failed"
    )
    code, out, err = run("evaluate", str(tmp_path), "--jobs", jobs)
    assert code == 2
    assert expected in err.splitlines() and expected not in out
    assert err.splitlines()[-1] == "1 of 11 file(s) failed"
    assert "cases," not in jsonl_err  # machine formats: no total line


def test_folder_with_two_jobs_gives_the_same_results(tmp_path: Path) -> None:
    one = run("evaluate", str(CASES), "--format", "jsonl")
    two = run("evaluate", str(CASES), "--format", "jsonl", "--jobs", "2")
    assert one[0] == two[0] == 0
    assert one[1] == two[1]
    target = tmp_path / "all.json"
    code, _, _ = run("evaluate", str(CASES), "--format", "json", "-o", str(target))
    assert code == 0 and len(json.loads(target.read_text())) == 5


def test_evaluate_folder_says_the_letters_beside_its_case_files_are_not_evaluated(tmp_path: Path) -> None:
    import shutil

    shutil.copy(CASE, tmp_path / "one.yaml")
    (tmp_path / "letter_a.txt").write_text("Case Number: CM99-1\n")
    (tmp_path / "letter_b.pdf").write_bytes(b"%PDF-1.4\n")
    code, out, err = run("evaluate", str(tmp_path))
    assert code == 0
    assert f"note: {tmp_path}: 2 letters (.txt, .pdf) not evaluated: `imr-rules check {tmp_path}`" in err
    assert "note:" not in out
    # one case file: the total line is in the singular
    assert err.splitlines()[-1].startswith("1 case, 5 items: ")


def test_evaluate_folder_of_case_files_only_gives_no_note(tmp_path: Path) -> None:
    import shutil

    shutil.copy(CASE, tmp_path / "one.yaml")
    code, _, err = run("evaluate", str(tmp_path))
    assert code == 0 and "note:" not in err


def test_output_file_extension_sets_the_format_when_none_is_given(tmp_path: Path) -> None:
    """`-o case.json` holds JSON that `evaluate` reads back, `-o report.html` a page, `-o x.json` JSON;
    an explicit --format wins, and an extension naming no format keeps the default."""
    letter = str(Path(__file__).parent / "letters" / "dwc_style.txt")
    code, _, err = run("extract", letter, "-o", str(tmp_path / "case.json"))
    assert code == 0, err
    assert json.loads((tmp_path / "case.json").read_text())["case"] == "CM99-0000123"
    code, out, err = run("evaluate", str(tmp_path / "case.json"))
    assert code == 0 and "Summary:" in out, err
    code, _, _ = run("extract", letter, "-o", str(tmp_path / "case.yml"))
    assert code == 0 and (tmp_path / "case.yml").read_text().startswith("# Extracted by imr-rules")
    code, _, _ = run("check", letter, "-o", str(tmp_path / "report.html"))
    assert code in (0, 1) and (tmp_path / "report.html").read_text().lower().startswith("<!doctype html>")
    code, _, _ = run("evaluate", CASE, "-o", str(tmp_path / "result.json"))
    assert code == 0 and json.loads((tmp_path / "result.json").read_text())["case"] == "001_dbfc6dcde667e7b2"
    code, _, _ = run("evaluate", CASE, "--format", "text", "-o", str(tmp_path / "forced.json"))
    assert code == 0 and (tmp_path / "forced.json").read_text().startswith("Case 001_dbfc6dcde667e7b2")
    code, _, _ = run("evaluate", CASE, "-o", str(tmp_path / "plain.txt"))
    assert code == 0 and (tmp_path / "plain.txt").read_text().startswith("Case 001_dbfc6dcde667e7b2")
