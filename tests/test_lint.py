"""`imr-rules lint`: each problem planted in a copy of the bundled library is reported with its code at
the exact file:line:col, computed from the edited text; every problem is reported in one run.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from imr_rules.authoring.lint import CHECKS, lint
from imr_rules.cli import main

from .conftest import CASES, RULES

FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[EWI]\d{3}) (?P<message>.+)$")


def cli() -> click.Group:
    return main


def run_lint(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(cli(), ["lint", *args])
    return result.exit_code, result.stdout.splitlines(), result.stderr


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the bundled library to plant problems in."""
    return Path(shutil.copytree(RULES, tmp_path / "rules"))


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    text = text.replace(old, new)
    path.write_text(text)
    return text


def position(text: str, needle: str, offset: int = 0, nth: int = 0) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of `needle` (plus `offset` characters) in `text`."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += offset
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def expect_finding(lines: list[str], path: Path, at: tuple[int, int], code: str, *words: str) -> str:
    wanted = f"{path}:{at[0]}:{at[1]}: {code} "
    found = [line for line in lines if line.startswith(wanted)]
    assert found, f"no {wanted!r} in:\n" + "\n".join(lines)
    for word in words:
        assert word in found[0], found[0]
    return found[0]


def errors(lines: list[str]) -> list[str]:
    return [line for line in lines if (m := FINDING.match(line)) and m["code"].startswith("E")]


def test_bundled_library_passes() -> None:
    code, lines, stderr = run_lint(str(RULES))
    assert code == 0, "\n".join(lines)
    assert errors(lines) == []
    assert all(FINDING.match(line) for line in lines), lines
    assert re.search(r"^0 errors, \d+ warnings?", stderr)


def test_every_check_is_documented_and_coded_once() -> None:
    codes = [c.code for c in CHECKS]
    assert len(codes) == len(set(codes))
    for check in CHECKS:
        assert re.fullmatch(r"[EWI]\d{3}", check.code)
        assert len(check.description) > 40, f"{check.code} needs a docstring saying what it catches"
    code, lines, _ = run_lint("--list-checks")
    assert code == 0 and [line.split()[0] for line in lines] == codes


def test_schema_error(copy: Path) -> None:
    path = copy / "general" / "odg-office-visits.yaml"
    text = edit(path, "confidence: K\n", "confidence: K\ncolour: blue\n")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, path, position(text, "colour:"), "E100", "unknown key 'colour'")


def test_malformed_yaml_is_a_schema_error_and_the_rest_is_still_checked(copy: Path) -> None:
    broken = copy / "general" / "odg-office-visits.yaml"
    broken.write_text("id: [unclosed\n")
    other = copy / "low-back" / "acoem-2004-ch12-imaging.yaml"
    text = edit(other, "fact: surgery_considered", "fact: surgery_considerd")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    assert any(line.startswith(f"{broken}:") and " E100 malformed YAML" in line for line in lines), lines
    expect_finding(lines, other, position(text, "fact: surgery_considerd"), "E101")


def test_unknown_fact_with_closest_name(copy: Path) -> None:
    path = copy / "low-back" / "odg-hardware-injection-block.yaml"
    text = edit(path, "fact: persistent_pain_after_fusion", "fact: persistent_pain_after_fusio")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(
        lines,
        path,
        position(text, "fact: persistent_pain_after_fusio"),
        "E101",
        "unknown fact 'persistent_pain_after_fusio'",
        "did you mean 'persistent_pain_after_fusion'",
    )


def test_fact_of_the_wrong_type(copy: Path) -> None:
    path = copy / "surgery-associated" / "odg-low-back-hospital-los.yaml"
    text = edit(path, '"<="\n          value: 3\n', '"<="\n          value: three\n')
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, path, position(text, "value: three"), "E102", "fusion_days", "whole number")


TABLE = Path("physical-medicine") / "postsurgical-table.yaml"


@pytest.mark.parametrize(
    ("old", "new", "needle", "code", "words"),
    [
        # a body part the table does not have
        ("body_part: Elbow\n", "body_part: Elbows\n", "body_part: Elbows", "E100", ("body_part",)),
        # an initial course greater than the general course: at the row
        (
            "initial_visits: 12\n        period_months: 6\n        source: tag K (ACL",
            "initial_visits: 25\n        period_months: 6\n        source: tag K (ACL",
            "- key: acl_reconstruction",
            "E100",
            ("greater than the general course",),
        ),
        # no postsurgical period
        (
            "initial_visits: 4\n        period_months: 3\n",
            "initial_visits: 4\n",
            "- key: carpal_tunnel_release",
            "E100",
            ("missing required key 'period_months'",),
        ),
        # words that do not say the visits the row counts
        (
            "general_course: 24 visits over 16 weeks\n",
            "general_course: 20 visits over 16 weeks\n",
            "- key: acl_reconstruction",
            "E100",
            ("does not state 24 visits",),
        ),
        # a second row for the same body region and procedure: at the second row
        (
            "procedures: [knee_arthroplasty]",
            "procedures: [knee_arthroscopy]",
            "- key: knee_arthroplasty",
            "E100",
            ("duplicate row", "knee_arthroscopy"),
        ),
        # a procedure that is no primary_procedure value: at the rule's procedures, i.e. the row
        (
            "procedures: [hip_arthroplasty]",
            "procedures: [hip_replacement]",
            "- key: hip_arthroplasty",
            "E100",
            ("hip_replacement", "primary_procedure"),
        ),
    ],
)
def test_bad_postsurgical_table_row(
    copy: Path, old: str, new: str, needle: str, code: str, words: tuple[str, ...]
) -> None:
    """A bad row of the Postsurgical Treatment Guidelines' table is one located error: file, line, what is wrong."""
    path = copy / TABLE
    text = edit(path, old, new)
    code_, lines, _ = run_lint(str(copy))
    assert code_ == 1
    found = [line for line in lines if line.startswith(f"{path}:{position(text, needle)[0]}:")]
    assert found, "\n".join(lines)
    assert f" {code} " in found[0] and all(word in found[0] for word in words), found[0]


def test_comparison_that_does_not_fit_the_fact(copy: Path) -> None:
    path = copy / "general" / "odg-office-visits.yaml"
    text = edit(path, 'op: "=="', 'op: ">="')
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    # the error points at the value, the comparison's right-hand side
    expect_finding(lines, path, position(text, "value: true"), "E102", "needs a number or date fact")


def test_duplicate_rule_id(copy: Path) -> None:
    original = copy / "general" / "odg-office-visits.yaml"
    twin = copy / "general" / "zz-office-visits-copy.yaml"
    shutil.copy(original, twin)
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, twin, position(twin.read_text(), "id: odg-office-visits"), "E103", "duplicate rule id")


def test_duplicate_criterion_id(copy: Path) -> None:
    path = copy / "low-back" / "odg-discectomy-laminectomy.yaml"
    text = edit(path, "{id: drug_analgesic,", "{id: drug_nsaid,")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    # reported at the second occurrence, at its `id` key (inside the flow mapping's brace)
    at = position(text, "{id: drug_nsaid,", offset=1, nth=1)
    expect_finding(lines, path, at, "E103", "duplicate criterion id 'drug_nsaid'")
    assert len([line for line in lines if " E103 " in line]) == 1


def test_rule_without_citation(copy: Path) -> None:
    path = copy / "general" / "odg-office-visits.yaml"
    text = edit(path, "chapter: Pain (Chronic)\nsection: Office visits\n", "")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, path, position(text, "guideline:"), "E104", "odg-office-visits", "no citation")


def test_criterion_that_can_never_be_met(copy: Path) -> None:
    path = copy / "low-back" / "odg-hardware-injection-block.yaml"
    text = edit(
        path,
        'fact: persistent_pain_after_fusion\n      op: "=="\n      value: true',
        'fact: prior_fusion_with_hardware\n      op: "=="\n      value: false',
    )
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    # reported once, at the all_of whose children contradict each other (not at each child)
    expect_finding(lines, path, position(text, "id: diagnostic_block_indications"), "E105", "never be met")
    assert len([line for line in lines if " E105 " in line]) == 1


def test_criterion_that_can_never_fail(copy: Path) -> None:
    path = copy / "general" / "acoem-2004-ch5-referral.yaml"
    text = edit(
        path,
        'fact: psychosocial_factors_present, op: "==", value: true',
        'fact: diagnosis_uncertain_or_complex, op: "==", value: false',
    )
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, path, position(text, "id: referral_reason"), "E106", "never fail")
    assert [line for line in lines if " E105 " in line] == []


def test_contradiction_inside_a_branch_is_reported_at_the_branch(copy: Path) -> None:
    path = copy / "low-back" / "acoem-2004-ch12-imaging.yaml"
    old = 'fact: surgery_considered\n          op: "=="\n          value: true'
    text = edit(path, old, 'fact: conservative_care_failed\n          op: "=="\n          value: false')
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, path, position(text, "id: nerve_compromise_surgical_candidate"), "E105")
    # the any_of above it can still be met through red flags: nothing more to report
    assert len([line for line in lines if " E105 " in line]) == 1


def test_dependent_service_without_primary_status(copy: Path) -> None:
    path = copy / "services.yaml"
    old = "  mri_lumbar:\n    label: MRI of the lumbar spine\n    region: lumbar\n"
    text = edit(path, old, old + "    depends_on_primary: true\n")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, path, position(text, "depends_on_primary: true\n    synonyms: [MRI"), "E107", "mri_lumbar")


def test_dependent_services_whose_rules_skip_primary_status(copy: Path) -> None:
    path = copy / "surgery-associated" / "surgery-associated-services.yaml"
    edit(path, "governs: [preop_labs, preop_clearance, preop_ekg, inpatient_stay, postop_pt]", "governs: [preop_labs]")
    services = (copy / "services.yaml").read_text()
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    # preop_clearance is now ungoverned (a warning); the others have rules that never test primary_status
    for name in ("preop_ekg", "inpatient_stay", "postop_pt"):
        block = services.index(f"  {name}:")
        at = position(services[block:], "depends_on_primary")
        expect_finding(lines, copy / "services.yaml", (at[0] + services.count("\n", 0, block), at[1]), "E107", name)
    assert not any("E107" in line and "preop_labs" in line for line in lines)


def test_unknown_service(copy: Path) -> None:
    path = copy / "low-back" / "acoem-2004-ch12-imaging.yaml"
    text = edit(path, "governs: [mri_lumbar]", "governs: [mri_lumbr]")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, path, position(text, "mri_lumbr"), "E108", "did you mean 'mri_lumbar'")


def test_ungoverned_service_is_a_warning(copy: Path) -> None:
    path = copy / "services.yaml"
    text = edit(path, "  office_visit:\n", "  zz_planted_service:\n    label: Planted\n  office_visit:\n")
    assert errors(run_lint(str(copy))[1]) == []
    code, lines, _ = run_lint(str(copy))
    assert code == 0
    expect_finding(lines, path, position(text, "zz_planted_service:"), "W201", "zz_planted_service")
    assert run_lint(str(copy), "--strict")[0] == 1


def test_unused_fact_is_a_warning(copy: Path) -> None:
    path = copy / "facts.yaml"
    text = edit(path, "  age:\n", "  smoker:\n    type: boolean\n    meaning: The patient smokes.\n  age:\n")
    code, lines, _ = run_lint(str(copy))
    assert code == 0
    expect_finding(lines, path, position(text, "smoker:"), "W202", "'smoker'")


def test_missing_rationale_phrases_only_with_info(copy: Path) -> None:
    path = copy / "general" / "odg-office-visits.yaml"
    text = edit(path, "  not_met_text: the patient's condition does not call for the visit\n", "")
    code, lines, _ = run_lint(str(copy))
    assert code == 0 and not any(" I301 " in line for line in lines)
    code, lines, _ = run_lint(str(copy), "--info")
    assert code == 0
    expect_finding(lines, path, position(text, "id: visit_individualized_need"), "I301", "not_met_text")


def test_a_comment_silences_one_finding(copy: Path) -> None:
    path = copy / "facts.yaml"
    planted = (
        "  smoker:\n    type: boolean\n    meaning: The patient smokes.\n"
        "  handed:\n    type: boolean\n    meaning: Left-handed.\n"
    )
    edit(path, "  age:\n", planted + "  age:\n")
    before = run_lint(str(copy))[1]
    assert any(" W202 fact 'smoker' " in line for line in before), "the fact must warn without its comment"
    assert any(" W202 fact 'handed' " in line for line in before)
    assert not any("'sex'" in line for line in before), "the library's own silenced demographic stays silent"
    edit(path, "  smoker:\n", "  smoker:  # imr-lint: disable=W202\n")
    lines = run_lint(str(copy))[1]
    assert not any("'smoker'" in line for line in lines)
    others = [line for line in before if " W202 " in line and "'smoker'" not in line]
    assert others and others == [line for line in lines if " W202 " in line], "only the commented line is silenced"


def test_lint_parses_each_file_of_the_library_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import imr_rules.authoring.lint as lint_module
    import imr_rules.library.loading as library_module

    parsed: list[str] = []
    real = library_module.parse_yaml

    def counting(text: str, path: str | Path) -> Any:
        parsed.append(str(path))
        return real(text, path)

    for module in (library_module, lint_module):  # every parser lint can reach
        monkeypatch.setattr(module, "parse_yaml", counting)
    lint(RULES)
    rule_files = [
        p
        for p in RULES.rglob("*.yaml")
        if "extraction" not in p.relative_to(RULES).parts and p.name != "catalog.yaml"  # `rules catalog` reads it
    ]
    assert sorted(parsed) == sorted(str(p) for p in rule_files)


def test_every_problem_at_once(copy: Path) -> None:
    office = copy / "general" / "odg-office-visits.yaml"
    edit(office, "chapter: Pain (Chronic)\nsection: Office visits\n", "")
    block = copy / "low-back" / "odg-hardware-injection-block.yaml"
    edit(block, "fact: hardware_removal_considered", "fact: hardware_removal_consider")
    referral = copy / "general" / "acoem-2004-ch5-referral.yaml"
    edit(referral, "confidence: K\n", "confidence: K\nextra: 1\n")
    edit(copy / "services.yaml", "  office_visit:\n", "  zz_planted_service:\n    label: Planted\n  office_visit:\n")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    codes = {FINDING.match(line)["code"] for line in lines if FINDING.match(line)}  # type: ignore[index]
    assert {"E100", "E101", "E104", "W201", "W202"} <= codes
    # sorted by file, then position
    keys = [(m["path"], int(m["line"]), int(m["col"])) for line in lines if (m := FINDING.match(line))]
    assert keys == sorted(keys)


def test_same_results_through_the_library_api(copy: Path) -> None:
    path = copy / "general" / "odg-office-visits.yaml"
    edit(path, "chapter: Pain (Chronic)\nsection: Office visits\n", "")
    findings = lint(copy)
    assert [f.code for f in findings if f.severity == "error"] == ["E104"]
    assert str(findings[0]).startswith(str(copy))


def test_not_a_library_is_exit_2(tmp_path: Path) -> None:
    code, lines, stderr = run_lint(str(tmp_path / "missing"))
    assert code == 2 and lines == []
    assert stderr.startswith("error: ") and "rule library folder not found" in stderr


def test_missing_vocabulary_is_reported(copy: Path) -> None:
    (copy / "services.yaml").unlink()
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    assert any(line.startswith(f"{copy / 'services.yaml'}: E100 ") for line in lines), lines


def test_primary_status_only_in_an_alternative_does_not_count(copy: Path) -> None:
    path = copy / "surgery-associated" / "surgery-associated-services.yaml"
    text = path.read_text()
    start, end = text.index("criteria:\n"), text.index("rationale:\n")
    alternative = (
        "criteria:\n  id: either\n  text: The primary is certified, or the service is indicated anyway.\n  any_of:\n"
        '    - {id: primary_necessary, text: Certified., fact: primary_status, op: "==", value: certified}\n'
        '    - {id: indicated, text: Indicated., fact: preop_test_indicated, op: "==", value: true}\n'
    )
    path.write_text(text[:start] + alternative + text[end:])
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    flagged = {m["message"].split("'")[1] for line in lines if (m := FINDING.match(line)) and m["code"] == "E107"}
    assert flagged == {"preop_labs", "preop_clearance", "preop_ekg", "inpatient_stay", "postop_pt"}


def test_a_bad_expression_in_the_reading_patterns_is_reported_at_its_line(copy: Path) -> None:
    check_yaml = copy / "extraction" / "check.yaml"
    good = '  - "primary (?:procedure|surgery) (?:is|was) not (?:medically )?necessary"\n'
    bad = '"primary (?:procedure|surgery"'
    text = edit(check_yaml, good, f"  - {bad}\n")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    at = position(text, bad)
    expect_finding(lines, check_yaml, at, "E111", "bad regular expression")
    # the consistency check stops on the file (exit 2), not on the letter it was checking
    result = CliRunner().invoke(main, ["check", str(CASES / "001_dbfc6dcde667e7b2.yaml"), "--rules", str(copy)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {check_yaml}:{at[0]}:{at[1]}: ")


def test_a_fact_pattern_for_an_undeclared_fact_is_reported(copy: Path) -> None:
    facts_yaml = copy / "extraction" / "facts.yaml"
    text = facts_yaml.read_text()
    start = text.index("  - fact: ")
    end = text.index("\n", start)
    facts_yaml.write_text(text[:start] + "  - fact: zz_not_declared" + text[end:])
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, facts_yaml, position(text, "  - fact: ", offset=4), "E111", "zz_not_declared")


def test_postsurgical_initial_course_not_half(copy: Path) -> None:
    """An initial course that is not one half of the general course (9792.24.3's definition) is a warning at
    the row's initial_visits; the bundled table has none."""
    path = copy / TABLE
    text = edit(
        path, "general_visits: 34\n        initial_visits: 17\n", "general_visits: 34\n        initial_visits: 20\n"
    )
    code, lines, _ = run_lint(str(copy))
    assert code == 0  # a warning only
    expect_finding(lines, path, position(text, "initial_visits: 20"), "W203", "'fusion'", "one half")
    _, bundled, _ = run_lint(str(RULES))
    assert not [line for line in bundled if " W203 " in line]


def test_a_regional_rule_on_a_service_of_another_region_is_an_error(copy: Path) -> None:
    path = copy / "surgery" / "acoem-2004-ch9-rotator-cuff-repair.yaml"
    text = path.read_text()
    governs = re.search(r"^governs: \[(.*)\]$", text, re.M)
    assert governs is not None
    text = edit(path, governs.group(0), f"governs: [{governs.group(1)}, mri_lumbar]")
    code, lines, _ = run_lint(str(copy))
    assert code == 1
    expect_finding(lines, path, position(text, "regions:"), "E112", "'mri_lumbar'", "all lumbar", "never apply")


def test_a_regional_rule_on_a_service_whose_region_nothing_tells_is_an_error(tmp_path: Path) -> None:
    from .conftest import write_library

    facts = """\
        facts:
          weeks: {type: integer, meaning: Weeks of care.}
        """
    services = """\
        services:
          therapy: {label: Therapy}
          knee_mri: {label: Knee MRI, region: knee}
        """
    rule = """\
        id: {id}
        title: Knee therapy
        source: ODG
        guideline: ODG
        chapter: Knee
        section: Therapy
        edition: test
        effective: {{from: 2009-07-18}}
        governs: [{service}]
        regions: [knee]
        confidence: K
        criteria: {{id: enough_care, text: enough care, fact: weeks, op: ">=", value: 4}}
        rationale: {{summary: test}}
        """
    root = write_library(
        tmp_path / "lib",
        facts,
        services,
        {
            "therapy.yaml": rule.format(id="knee-therapy", service="therapy"),
            "mri.yaml": rule.format(id="knee-mri", service="knee_mri"),
        },
    )
    code, lines, _ = run_lint(str(root))
    assert code == 1
    text = (root / "therapy.yaml").read_text()
    expect_finding(lines, root / "therapy.yaml", position(text, "regions:"), "E112", "'therapy'", "nothing can tell")
    assert not any(line.startswith(f"{root / 'mri.yaml'}:") and " E112 " in line for line in lines)
    # declaring the routing fact lets the item say its region: no longer an error
    (root / "facts.yaml").write_text(
        (root / "facts.yaml").read_text()
        + "  body_region: {type: enum, values: [knee, shoulder], scope: item, meaning: The region.}\n"
    )
    assert not any(" E112 " in line for line in run_lint(str(root))[1])
