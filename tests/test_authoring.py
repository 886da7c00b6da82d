"""Authoring tools through the real engine: `test` (expectations, coverage), `schema`, `docs`, `rules`.

The test cases in tests/cases/ are also re-derived here by a small three-valued evaluator written
independently of the compiler and engine, so a case file's expectations are confirmed twice.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from imr_rules import RuleLibrary, load_case
from imr_rules.authoring.docs import MARKER, render_library
from imr_rules.authoring.testing import coverage, coverage_percent, default_paths, rule_outcomes, run_tests
from imr_rules.cli import main
from imr_rules.library.loading import _rule_files
from imr_rules.library.postsurgical import TABLE_FILE
from imr_rules.library.schema import json_schema
from imr_rules.models import FILE_KINDS, Case, FactVocabulary, Rule, ServiceVocabulary
from imr_rules.models.postsurgical import PostsurgicalTable
from imr_rules.sources import load_yaml

from .conftest import CASES, ROOT, RULES
from .oracle import governing_item, rule_statuses

TEST_CASES = ROOT / "tests" / "cases"
DOCS = ROOT / "docs" / "rules"


def cli() -> click.Group:
    return main


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli(), list(args))
    return result.exit_code, result.stdout, result.stderr


def expectation_count(folder: Path) -> int:
    return sum(len(load_yaml(p).data.get("expect", [])) for p in sorted(folder.rglob("*.yaml")))


# --- test ----------------------------------------------------------------------------------------


def test_default_run_passes_and_ends_with_the_counts() -> None:
    code, out, _ = invoke("test")
    assert code == 0, out
    total = expectation_count(CASES) + expectation_count(TEST_CASES)
    assert out.splitlines()[-1] == f"{total} passed, 0 failed"
    assert default_paths() == [CASES, TEST_CASES]


def test_the_seed_cases_carry_the_letters_decisions(library: RuleLibrary) -> None:
    for path in sorted(CASES.glob("*.yaml")):
        case = load_case(path, library).case
        assert {e.item for e in case.expect} == {i.item for i in case.items}, path
        for exp in case.expect:
            assert exp.outcome == next(i.decision for i in case.items if i.item == exp.item)


def test_coverage_of_the_test_cases_is_complete(library: RuleLibrary) -> None:
    run = run_tests([CASES, TEST_CASES], library)
    rows = coverage(run, library)
    every = {f"{lr.rule.id}/{n.id}" for lr in library.rules for n in lr.rule.criteria.walk()}
    assert {r.id for r in rows} == every
    assert [r.id for r in rows if not r.covered] == []
    assert coverage_percent(rows) == 100.0
    # every rule decides some item Overturned and some Upheld: a rule that never certifies in the tests
    # may hold a criterion no fact can satisfy (issue 13)
    assert [o.rule for o in rule_outcomes(run, library) if not o.covered] == []

    code, out, _ = invoke("test", "--coverage", "--fail-under", "100")
    assert code == 0
    lines = out.splitlines()
    assert lines[-2] == f"Coverage: {len(rows)} of {len(rows)} criteria seen both met and not met (100.0%)"
    assert "never seen" not in out
    assert (
        lines[-3]
        == f"Rules: {len(library.rules)} of {len(library.rules)} seen deciding items both Overturned and Upheld"
    )
    for row in rows:
        assert any(line.strip().startswith(row.node) for line in lines), row.id


def test_fail_under_holds_the_line() -> None:
    code, out, _ = invoke("test", str(CASES), "--fail-under", "90")
    lines = out.splitlines()
    assert code == 1
    assert "<-- never seen" in out
    assert "  <-- never seen deciding an item Overturned" in out  # the seed letters certify few rules
    assert lines[-2].startswith("coverage ") and "is under --fail-under 90%" in lines[-2]
    assert lines[-1] == f"{expectation_count(CASES)} passed, 0 failed"


def test_a_wrong_expectation_fails_with_a_readable_diff(tmp_path: Path) -> None:
    source = (CASES / "002_857e212f32d93aa1.yaml").read_text()
    planted = source.replace(
        '  - item: "Lumbar Spine Hardware Block"\n    outcome: Overturned\n'
        "    criteria: {odg-hardware-injection-block/diagnostic_block_indications: met}\n",
        '  - item: "Lumbar Spine Hardware Block"\n    outcome: Upheld\n'
        "    criteria:\n"
        "      odg-hardware-injection-block/diagnostic_block_indications: not_met\n"
        "      odg-hardware-injection-block/persistent_pain: met\n"
        "      odg-hardware-injection-block/persistant_pain: met\n",
    )
    assert planted != source
    path = tmp_path / "wrong.yaml"
    path.write_text(planted)
    code, out, _ = invoke("test", str(path))
    assert code == 1
    lines = out.splitlines()
    line = planted[: planted.index('  - item: "Lumbar Spine Hardware Block"\n    outcome: Upheld')].count("\n") + 1
    assert lines[0] == f"FAILED {path}:{line}:5: case 002_857e212f32d93aa1, item 'Lumbar Spine Hardware Block'"
    assert "  outcome:  expected Upheld, got Overturned   <-- differs" in lines
    assert "criteria that differ:" in out
    diff = [ln.strip() for ln in lines if ln.startswith("    odg-")]
    assert any(
        d.startswith("odg-hardware-injection-block/diagnostic_block_indications")
        and d.endswith("expected not met, got met")
        for d in diff
    )
    assert any(d.startswith("odg-hardware-injection-block/persistant_pain") and "got not evaluated" in d for d in diff)
    assert "did you mean 'odg-hardware-injection-block/persistent_pain'" in out
    assert not any(d.startswith("odg-hardware-injection-block/persistent_pain ") for d in diff)  # that one agrees
    assert "decided by:" in out
    assert lines[-1] == "4 passed, 1 failed"


def test_a_broken_case_file_is_an_error_exit_2_and_the_others_still_run(tmp_path: Path) -> None:
    shutil.copy(CASES / "004_c1b1e726fca0fa4f.yaml", tmp_path / "good.yaml")
    (tmp_path / "bad.yaml").write_text("case: bad\nitems: [\n")
    code, out, _ = invoke("test", str(tmp_path))
    assert code == 2  # bad input, as for every command; the good file still ran and passed
    assert f"ERROR {tmp_path / 'bad.yaml'}:" in out and "malformed YAML" in out
    assert out.splitlines()[-1] == "1 passed, 0 failed, 1 error"
    (tmp_path / "worse.yaml").write_text("cases: 3\n")  # three problems in one file: each its own error line
    code, out, _ = invoke("test", str(tmp_path))
    assert code == 2 and out.count("ERROR ") == 4
    assert out.splitlines()[-1] == "1 passed, 0 failed, 4 errors"


def test_a_json_case_file_in_a_folder_is_a_test(tmp_path: Path) -> None:
    """Case files may be JSON (as `extract --format json` writes them): a folder's .json cases run too."""
    from imr_rules.sources import load_yaml

    data = load_yaml(CASES / "004_c1b1e726fca0fa4f.yaml").data
    (tmp_path / "case.json").write_text(json.dumps(data, default=str))
    code, out, _ = invoke("test", str(tmp_path))
    assert code == 0, out
    assert out.splitlines()[-1] == f"{len(data['expect'])} passed, 0 failed"


def test_case_files_without_expectations_are_not_tests(tmp_path: Path) -> None:
    text = (CASES / "004_c1b1e726fca0fa4f.yaml").read_text()
    (tmp_path / "no_expect.yaml").write_text(text[: text.index("# What the letter decided")])
    code, out, _ = invoke("test", str(tmp_path))
    assert code == 1
    assert out.splitlines()[-2:] == ["no case file with expectations (expect:) was found", "0 passed, 0 failed"]


def test_unusable_input_is_exit_2(tmp_path: Path) -> None:
    code, out, err = invoke("test", str(tmp_path / "missing"))
    assert code == 2 and out == "" and err.startswith("error: ") and "no such file or folder" in err
    code, out, err = invoke("test", "--rules", str(tmp_path / "nowhere"))
    assert code == 2 and err.startswith("error: ") and "rule library folder not found" in err


# --- the test cases, re-derived without the engine -----------------------------------------------


def oracle(case: Case, item_name: str, library: RuleLibrary) -> tuple[str, dict[str, str]]:
    item = next(i for i in case.items if i.item == item_name)
    if item.service is None:
        return "Undetermined", {}
    by_name = {i.item: i for i in case.items}
    rules: list[Rule] = governing_item(library, item, case.dates.case_date(), by_name, case.facts)
    if not rules:
        return "Undetermined", {}
    values = {k: v.value for k, v in case.facts.items()} | {k: v.value for k, v in item.facts.items()}
    decision, statuses = rule_statuses(rules, values, library.facts)
    return ("Overturned" if decision == "met" else "Upheld"), statuses


@pytest.mark.parametrize("path", sorted(TEST_CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_test_case_expectations_follow_from_the_rules(path: Path, library: RuleLibrary) -> None:
    case = load_case(path, library).case
    names = {i.item for i in case.items}
    assert case.expect, "every file in tests/cases/ carries expectations"
    for exp in case.expect:
        item = next(i for i in case.items if i.item == exp.item)
        if item.primary in names:
            continue  # the engine derives primary_status from the other item: not modelled here
        outcome, statuses = oracle(case, exp.item, library)
        assert exp.outcome == outcome, exp.item
        for cid, want in exp.criteria.items():
            assert statuses[cid] == want, cid


# --- schema --------------------------------------------------------------------------------------

jsonschema = pytest.importorskip("jsonschema")


def validator(kind: str, library: RuleLibrary | None = None) -> Any:
    schema = json_schema(kind, library)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def files_by_kind() -> list[tuple[str, Path]]:
    out = [("facts", RULES / "facts.yaml"), ("services", RULES / "services.yaml")]
    out += [("postsurgical-table" if p.name == TABLE_FILE else "rules", p) for p in _rule_files(RULES)]
    out += [("case", p) for p in sorted([*CASES.glob("*.yaml"), *TEST_CASES.glob("*.yaml")])]
    return out


@pytest.mark.parametrize("vocabulary", [False, True], ids=["plain", "vocabulary"])
def test_every_bundled_file_validates_against_the_generated_schema(vocabulary: bool, library: RuleLibrary) -> None:
    validators = {k: validator(k, library if vocabulary else None) for k in FILE_KINDS}
    for kind, path in files_by_kind():
        # load_yaml keeps dates as strings, as a YAML language server (YAML 1.2) reads them
        errors = [e.message for e in validators[kind].iter_errors(load_yaml(path).data)]
        assert errors == [], f"{path}: {errors[:3]}"


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        ("rules", Rule),
        ("case", Case),
        ("facts", FactVocabulary),
        ("services", ServiceVocabulary),
        ("postsurgical-table", PostsurgicalTable),
    ],
)
def test_the_schema_is_the_models(kind: str, model: Any) -> None:
    schema = json_schema(kind)
    fields = {f.alias or name for name, f in model.model_fields.items()}
    assert set(schema["properties"]) == fields
    assert schema["additionalProperties"] is False
    assert schema["$schema"].startswith("https://json-schema.org/draft/2020-12")


def test_the_schema_rejects_what_the_loader_rejects(library: RuleLibrary) -> None:
    rule = load_yaml(RULES / "general" / "odg-office-visits.yaml").data
    assert not validator("rules").is_valid({**rule, "colour": "blue"})
    assert not validator("rules").is_valid({**rule, "criteria": {**rule["criteria"], "op": "~="}})
    case = load_yaml(CASES / "004_c1b1e726fca0fa4f.yaml").data
    misspelt = {**case, "facts": {**case["facts"], "red_flag_present": False}}
    assert validator("case").is_valid(misspelt)  # any well-formed name, without the vocabulary
    assert not validator("case", library).is_valid(misspelt)
    assert validator("case").is_valid({**case, "facts": {"age": 54}})  # the short form
    assert not validator("case").is_valid({**case, "facts": {"age": {"value": 54, "evidnce": "x"}}})
    wrong_service = {**rule, "governs": ["mri_lumbr"]}
    assert validator("rules").is_valid(wrong_service) and not validator("rules", library).is_valid(wrong_service)


def test_schema_command(tmp_path: Path) -> None:
    code, out, _ = invoke("schema", "rules")
    assert code == 0 and json.loads(out) == json_schema("rules")
    target = tmp_path / "case.schema.json"
    code, out, _ = invoke("schema", "case", "--vocabulary", "-o", str(target))
    assert code == 0 and out == ""
    assert "red_flags_present" in json.loads(target.read_text())["properties"]["facts"]["propertyNames"]["enum"]
    code, _, err = invoke("schema", "letters")
    assert code == 2 and "letters" in err


# --- docs and rules ------------------------------------------------------------------------------


def test_docs_pages_read_as_checklists(tmp_path: Path, library: RuleLibrary) -> None:
    out = tmp_path / "docs"
    code, stdout, _ = invoke("docs", str(RULES), "-o", str(out))
    assert code == 0 and stdout.splitlines()[-1] == f"wrote {len(library.rules) + 1} pages to {out}"
    index = (out / "index.md").read_text()
    for loaded in library.rules:
        rule = loaded.rule
        page = (out / f"{rule.id}.md").read_text()
        assert page.startswith(MARKER)
        assert f"# {rule.title}" in page and rule.citation() in page and rule.edition in page
        assert rule.effective.from_.isoformat() in page
        for node in rule.criteria.walk():
            assert " ".join(node.text.split()) in page, node.id
        assert f"({rule.id}.md)" in index
    los = (out / "odg-low-back-hospital-los.md").read_text()
    assert "- [ ] **The requested stay is within the best-practice target" in los and "Any of:" in los
    assert "    - [ ] No inpatient days are requested." in los  # nested two levels
    assert "`requested_inpatient_days` at most **1** days" in los  # the limit as stated, with its unit
    assert "*Applies when:* The procedure is a laminectomy" in los


def test_docs_are_rewritten_whole_and_stale_pages_removed(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    assert invoke("docs", str(RULES), "-o", str(out))[0] == 0
    first = {p.name: p.read_text() for p in out.iterdir()}
    (out / "retired-rule.md").write_text(MARKER + "\n# gone\n")
    (out / "handwritten.md").write_text("# mine\n")
    code, stdout, _ = invoke("docs", str(RULES), "-o", str(out))
    assert code == 0 and f"removed {out / 'retired-rule.md'}" in stdout
    assert {p.name: p.read_text() for p in out.iterdir() if p.name != "handwritten.md"} == first
    assert (out / "handwritten.md").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_committed_docs_are_up_to_date(library: RuleLibrary) -> None:
    pages = render_library(library, DOCS)
    committed = {p.name: p.read_text() for p in DOCS.glob("*.md")}
    assert committed == pages, "regenerate with: imr-rules docs rules/ -o docs/rules/"


def test_docs_of_a_broken_library_is_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("docs", str(tmp_path / "none"), "-o", str(tmp_path / "out"))
    assert code == 2 and err.startswith("error: ")
    assert not (tmp_path / "out").exists()


def test_rules_list_and_show(library: RuleLibrary) -> None:
    code, out, _ = invoke("rules", "list", "--rules", str(RULES))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "SOURCE", "GOVERNS", "EDITION", "EFFECTIVE"]
    assert sorted(line.split()[0] for line in lines[1:]) == sorted(lr.rule.id for lr in library.rules)
    ecg = next(line for line in lines if line.startswith("odg-preop-ecg "))
    assert "preop_ekg" in ecg and "ODG" in ecg and ecg.endswith("2009-07-18..")
    code, out, _ = invoke("rules", "show", "odg-preop-ecg", "--rules", str(RULES))
    assert code == 0 and "# Preoperative electrocardiogram (ECG)" in out and "`surgery_risk` is **high**" in out
    code, out, err = invoke("rules", "show", "odg-preop-ekg", "--rules", str(RULES))
    assert code == 2 and out == "" and "did you mean 'odg-preop-ecg'" in err
