"""The command line as a person and a script meet it, through the real CLI (click's runner, and the installed
entry point in a child process): the one-line view and --explain, colour on a terminal only and never with
NO_COLOR, every registered output format, the error decorator, and imports kept lazy."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from imr_rules.cli import formats, main

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "cases" / "001_dbfc6dcde667e7b2.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXE = Path(sys.executable).parent / "imr-rules"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def entry_point(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "imr_rules.cli"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=120, cwd=ROOT, env={**os.environ, **(env or {})}
    )


def on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """The entry point with its standard output on a pseudo-terminal (so isatty() is true); what it printed."""
    command = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "imr_rules.cli"]
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env
    process = subprocess.Popen([*command, *args], stdout=terminal, stderr=subprocess.DEVNULL, cwd=ROOT, env=environment)
    os.close(terminal)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the program ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode()


def test_evaluate_prints_one_line_per_item_with_both_decisions_and_the_decisive_criterion() -> None:
    code, out, _ = invoke("evaluate", str(CASE))
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("Summary: 5 items")
    items = [line for line in lines if re.match(r" ?\d+\. ", line)]
    assert len(items) == 5 and len(lines) == 5 + 3  # case, summary, the items, the hint to --explain
    first = items[0]
    assert first.startswith(" 1. L4-S1 Decompression, Discectomy, Foraminotomies: UPHELD, letter Upheld (agrees)")
    assert " - [NOT MET] Imaging shows neural compromise" in first
    assert "Determination:" not in out and "Citation:" not in out
    assert "--explain" in lines[-1]


def test_explain_and_v_print_the_full_criteria_tree() -> None:
    code, explained, _ = invoke("evaluate", str(CASE), "--explain")
    assert code == 0
    assert invoke("evaluate", str(CASE), "-v")[1] == explained
    assert "Determination: UPHELD (not medically necessary)   letter: Upheld (agrees)" in explained
    assert "Citation: MTUS ACOEM" in explained and "fact imaging_neural_compression = false" in explained
    assert len(explained.splitlines()) > 3 * len(invoke("evaluate", str(CASE))[1].splitlines())


def test_check_prints_one_line_per_item_and_explains_on_request(tmp_path: Path) -> None:
    from .test_serve import CONTRADICTED

    letter = tmp_path / "mri.txt"
    letter.write_text(CONTRADICTED)
    code, out, _ = invoke("check", str(letter))
    assert code == 1  # an error-level finding
    lines = out.splitlines()
    assert lines[0] == f"{letter}: INCONSISTENT (1 error)"
    assert len(lines) == 2
    assert lines[1].startswith("  !! Lumbar MRI: letter Upheld, engine Overturned: INCONSISTENT")
    assert "(DECISION-CONTRADICTS-CRITERIA)" in lines[1] and " - [met] Red flags" in lines[1]
    code, explained, _ = invoke("check", str(letter), "--explain")
    assert code == 1
    assert "[error] DECISION-CONTRADICTS-CRITERIA:" in explained and "saddle anesthesia" in explained
    assert "Rule acoem-2004-ch12-imaging" in explained and "Rationale:" in explained


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    coloured = on_a_terminal("evaluate", str(CASE), env={})
    assert ANSI.search(coloured) and "UPHELD" in coloured
    plain = on_a_terminal("evaluate", str(CASE), env={"NO_COLOR": "1"})
    assert not ANSI.search(plain) and "UPHELD" in plain
    piped = entry_point("evaluate", str(CASE))
    assert piped.returncode == 0 and not ANSI.search(piped.stdout)
    assert ANSI.sub("", coloured).replace("\r\n", "\n").splitlines()[1:] == plain.replace("\r\n", "\n").splitlines()[1:]


@pytest.mark.parametrize("fmt", sorted(formats.EVALUATE))
def test_every_evaluate_format(fmt: str, tmp_path: Path) -> None:
    code, one, _ = invoke("evaluate", str(CASE), "--format", fmt)
    assert code == 0 and one
    code, folder, _ = invoke("evaluate", str(ROOT / "cases"), "--format", fmt)
    assert code == 0
    if fmt == "json":
        assert json.loads(one)["case"] == "001_dbfc6dcde667e7b2"
        assert len(json.loads(folder)) == len(list((ROOT / "cases").glob("*.yaml")))
    elif fmt == "jsonl":
        assert [json.loads(line)["case"] for line in one.splitlines()] == ["001_dbfc6dcde667e7b2"]
        assert len(folder.splitlines()) == len(list((ROOT / "cases").glob("*.yaml")))
    else:
        assert folder.count("Summary: ") == len(list((ROOT / "cases").glob("*.yaml")))
    target = tmp_path / f"out.{fmt}"
    assert invoke("evaluate", str(CASE), "--format", fmt, "-o", str(target))[0] == 0
    assert target.read_text() == one


@pytest.mark.parametrize("fmt", sorted(formats.CHECK))
def test_every_check_format(fmt: str) -> None:
    code, out, _ = invoke("check", str(ROOT / "cases"), "--format", fmt)
    assert code == 0, out
    count = len(list((ROOT / "cases").glob("*.yaml")))
    if fmt == "json":
        document = json.loads(out)
        assert document["summary"]["letters"] == count and len(document["letters"]) == count
    elif fmt == "jsonl":
        assert len([json.loads(line) for line in out.splitlines()]) == count
    elif fmt == "html":
        assert out.startswith("<!doctype html>") and "<svg class='chart'" in out and "Outcomes per service" in out
    else:
        assert out.count(": consistent") >= 1 and "letters read: " in out


@pytest.mark.parametrize("fmt", sorted(formats.LINT))
def test_every_lint_format(fmt: str) -> None:
    result = CliRunner().invoke(main, ["lint", str(ROOT / "rules"), "--info", "--format", fmt])
    assert result.exit_code == 0, result.output
    text = CliRunner().invoke(main, ["lint", str(ROOT / "rules"), "--info"]).stdout
    count = len(text.splitlines())
    assert count > 0  # the bundled library has information findings (I codes)
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert len(rows) == count and {"path", "line", "column", "code", "severity", "message"} <= set(rows[0])
    elif fmt == "sarif":
        sarif = json.loads(result.stdout)
        assert sarif["version"] == "2.1.0"
        (run,) = sarif["runs"]
        rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
        assert len(run["results"]) == count
        for found in run["results"]:
            assert found["ruleId"] in rules and found["level"] in ("error", "warning", "note")
            region = found["locations"][0]["physicalLocation"]["region"]
            assert region["startLine"] >= 1
    else:
        assert result.stdout == text


def test_a_bad_file_is_one_line_naming_file_and_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("case: x\nitems: [\n")
    for command in (["evaluate", str(bad)], ["check", str(bad)], ["evaluate", str(bad), "--format", "json"]):
        result = entry_point(*command)
        assert result.returncode == 2, result
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"error: {bad}:") and re.match(rf"error: {re.escape(str(bad))}:\d+", line)
        assert "Traceback" not in result.stderr
    code, out, err = invoke("rules", "show", "no-such-rule")
    assert code == 2 and out == "" and err.startswith("error: no rule 'no-such-rule'")


def test_help_and_each_command_module_import_without_the_stages() -> None:
    probe = (
        "import sys, imr_rules.cli; "
        "from imr_rules.cli.commands import rules, lint, evaluate, check; "
        # imr_rules.models itself is lazy (its names load on first use): pydantic must not be imported
        "heavy = [m for m in ('pydantic', 'yaml', 'json', 'imr_rules.output.report', 'imr_rules.models.rules', "
        "'imr_rules.library.loading', 'imr_rules.engine.runtime') if m in sys.modules]; print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    for module in ("imr_rules.cli.commands.rules", "imr_rules.cli.formats", "imr_rules.cli.common"):
        alone = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60)
        assert alone.returncode == 0, alone.stderr  # no import cycle: any module imports first


def test_format_choices_come_from_the_registries() -> None:
    for command, registry in (("evaluate", formats.EVALUATE), ("check", formats.CHECK), ("lint", formats.LINT)):
        help_text = invoke(command, "--help")[1]
        choices = re.search(r"--format \[([^\]]+)\]", help_text)
        assert choices is not None and choices.group(1).split("|") == list(registry)


def test_schema_kinds_are_the_schema_modules() -> None:
    """`schema KIND` lists its choices without importing the models; they must stay the models' kinds."""
    from imr_rules.cli.commands.schema import KINDS
    from imr_rules.library.schema import KINDS as MODELS

    assert tuple(MODELS) == KINDS


# Invented cases, one per way an item can be decided: an Overturned compound whose rule holds `not`
# criteria (no ketoprofen ...), an Upheld one failing such a criterion, an item an excluding rule denies,
# and an item Upheld because its criteria are not documented although one alternative is documented absent.
DECIDED_WAYS = """\
case: invented-decided-ways
dates: {request: 2016-05-02, injury: 2014-02-11}
facts:
  acute_phase: {value: false, evidence: The pain in her knee goes back two years.}
  osteoarthritis_amenable_joint: {value: true, evidence: Films of the knee show degenerative joint disease.}
  objective_nerve_compromise_on_exam: {value: true, evidence: The ankle jerk on the right cannot be elicited.}
  red_flags_present: {value: false, evidence: "Nothing suggests a fracture, tumour or infection."}
items:
  - item: Diclofenac 1% gel, right knee
    service: topical_analgesic
    decision: Overturned
    facts:
      topical_ingredients: {value: [diclofenac], evidence: a diclofenac gel}
      medication_previously_used: {value: false, evidence: This would be her first tube.}
  - item: Ketoprofen 10% cream
    service: topical_analgesic
    decision: Upheld
    facts:
      topical_ingredients: {value: [ketoprofen], evidence: a ketoprofen cream}
      medication_previously_used: {value: false, evidence: She has not used it before.}
  - item: Trigger point injections, four
    service: trigger_point_injection
    decision: Upheld
  - item: MRI of the right ankle
    service: mri_foot_ankle
    decision: Upheld
"""


def test_the_one_line_view_names_what_decided_each_item_as_the_tree_does(tmp_path: Path) -> None:
    case = tmp_path / "ways.yaml"
    case.write_text(DECIDED_WAYS)
    code, out, _ = invoke("evaluate", str(case))
    assert code == 0, out
    lines = [line for line in out.splitlines() if re.match(r" ?\d+\. ", line)]
    overturned, ketoprofen, injections, mri = lines
    # Overturned: what carried it is met, never a `not` criterion's inner fact shown as not met
    assert "OVERTURNED" in overturned and " - [met] Every ingredient is recommended" in overturned
    assert "NOT MET" not in overturned
    # Upheld by a `not` criterion: the criterion as the rule states it, not its inner fact shown as met
    assert " - [NOT MET] No ketoprofen" in ketoprofen
    # an excluding rule that applies says so (it is met, and denies the item)
    assert " - [EXCLUDES] Radiculopathy is present" in injections
    # not documented together, one alternative documented NOT MET (red flags absent, the rest undocumented):
    # the NOT MET one is named, the group counted among the others
    assert " - [NOT MET] A red flag of serious pathology of the ankle" in mri and "(+1 more criterion)" in mri
    code, tree, _ = invoke("evaluate", str(case), "--explain")
    assert code == 0
    flat = " ".join(tree.split())
    for line, status in ((overturned, "[met]"), (ketoprofen, "[NOT MET]"), (mri, "[NOT MET]")):
        named = line.split(f" - {status} ", 1)[1].split("(+")[0].strip().removesuffix("...")
        shown = flat.split(f"{status} {named}", 1)  # the same criterion, with the same status, in the tree
        assert len(shown) == 2 and "not decisive" not in shown[1][:220].split("[")[0], named
    assert "Rule mtus-cpmtg-trigger-point-injections-limits" in flat and "applies: excludes the item" in flat


def test_the_one_line_view_agrees_with_the_outcome_on_every_rule_scenario() -> None:
    """Over every scenario case of the library (tests/cases/), the one-line view names a criterion that
    carried an Overturned item ([met]) or stands in an Upheld one's way ([NOT MET], [not documented],
    [EXCLUDES])."""
    code, out, _ = invoke("evaluate", str(ROOT / "tests" / "cases"))
    assert code == 0
    items = [line for line in out.splitlines() if re.match(r" *\d+\. ", line)]
    assert len(items) > 300
    for line in items:
        if ": OVERTURNED" in line:
            assert " - [met] " in line, line
        elif ": UPHELD" in line:
            assert re.search(r" - \[(NOT MET|not documented|EXCLUDES)\] ", line), line


def test_the_html_report_names_what_decided_the_item_the_way_round_the_item_was_decided(tmp_path: Path) -> None:
    case = tmp_path / "ways.yaml"
    case.write_text(DECIDED_WAYS)
    report = tmp_path / "ways.html"
    code, _, err = invoke("check", str(case), "--format", "html", "-o", str(report))
    assert code == 0, err
    blocks = [b.split("<details>")[0] for b in report.read_text().split("What decided it:")[1:]]
    overturned, ketoprofen, injections, _ = blocks
    assert "class='not_met'" not in overturned and "No ketoprofen" in overturned  # the `not`, met: no ketoprofen
    assert "class='met'" not in ketoprofen and "a ketoprofen cream" in ketoprofen
    assert "(applies: excludes the item)" in injections and "ankle jerk" in injections


def _no_rule_letter() -> str:
    from .test_check import letter

    return letter(
        "This invented worker is a 39 year old male mechanic. He has arthritis of the left wrist after a fall "
        "from a ladder.",
        [
            (
                "Fusion of the left wrist",
                "Overturned",
                "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Forearm, Wrist & Hand.",
                "The request is medically necessary.",
            )
        ],
    )


def test_check_says_plainly_that_an_item_the_rules_cannot_decide_is_neither_confirmed_nor_contradicted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wrist.txt"
    path.write_text(_no_rule_letter())
    code, out, _ = invoke("check", str(path))
    assert code == 0
    head, item = out.splitlines()
    assert head == f"{path}: neither confirmed nor contradicted (1 note); the rules decide none of its items"
    assert item.startswith(
        "  -- Fusion of the left wrist: letter Overturned, engine Undetermined: neither confirmed nor "
        "contradicted - body region wrist_hand: no rule"
    )
    assert "consistent" not in out.replace("neither confirmed nor contradicted", "")
    code, out, _ = invoke("check", str(path), "--explain")
    assert "engine Undetermined: neither confirmed nor contradicted\n" in out
    assert "[info] NOT-GOVERNED: body region wrist_hand: no rule" in out and "Reason:" not in out  # said once
    code, out, _ = invoke("check", str(path), "--format", "json")
    body = json.loads(out)
    assert (body["verdict"], [i["verdict"] for i in body["items"]]) == ("not_checked", ["not_checked"])
    code, out, _ = invoke("check", str(path), "--format", "html")
    assert "<span class='verdict sev-unchecked'>neither confirmed nor contradicted</span>" in out
    assert "verdict sev-none" not in out
    # beside an item the rules decide: the letter's verdict is about that one, and says what it leaves out
    case = tmp_path / "two.yaml"
    case.write_text(
        DECIDED_WAYS.split("  - item: Ketoprofen")[0]
        + "  - item: Fusion of the left wrist\n    service: limb_joint_fusion\n    decision: Overturned\n"
    )
    code, out, _ = invoke("check", str(case), "--format", "json")
    body = json.loads(out)
    assert [i["verdict"] for i in body["items"]] == ["consistent", "not_checked"]
    assert body["verdict"] == "warnings"  # the case names no letter: the letter checks were skipped
    code, out, _ = invoke("check", str(case))
    assert "; 1 of 2 items not checked (the rules do not decide it: neither confirmed nor contradicted)" in out


def test_the_main_help_starts_a_new_user_and_groups_the_commands() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    assert "Start with:" in out and "imr-rules check letter.txt" in out and "imr-rules serve" in out
    users, authors = out.index("Letters and cases:"), out.index("For rule authors:")
    assert users < authors
    assert all(users < out.index(f"\n  {name} ") < authors for name in ("evaluate", "check", "extract", "serve"))
    assert all(out.index(f"\n  {name} ") > authors for name in ("lint", "test", "schema", "docs", "rules"))
    assert max(len(line) for line in out.splitlines()) <= 90


@pytest.mark.parametrize("command", ["evaluate", "check"])
def test_a_folder_with_nothing_to_read_is_one_line_and_no_report(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "notes.md").write_text("not a letter\n")
    target = tmp_path / "out.json"
    code, out, err = invoke(command, str(folder), "--format", "json", "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"error: {folder}: no "), err
    code, out, err = invoke(command, str(folder))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_a_letter_with_its_case_file_in_the_folder_is_checked_once_through_the_case(tmp_path: Path) -> None:
    letters = ROOT / "tests" / "letters" / "breadth"
    folder = tmp_path / "review"
    folder.mkdir()
    for name in ("acupuncture_trial.txt", "chiropractic_knee.txt"):
        (folder / name).write_bytes((letters / name).read_bytes())
    code, _, err = invoke(
        "extract", str(folder / "acupuncture_trial.txt"), "-o", str(folder / "acupuncture_trial.yaml")
    )
    assert code == 0, err
    code, out, err = invoke("check", str(folder), "--format", "json")
    checked = [letter["source"] for letter in json.loads(out)["letters"]]
    assert sorted(Path(s).name for s in checked) == ["acupuncture_trial.yaml", "chiropractic_knee.txt"], checked
    assert f"note: {folder / 'acupuncture_trial.txt'} is checked through its case file" in err


def test_evaluate_given_a_letter_says_what_to_run_without_the_yaml_readers_complaint() -> None:
    letter = ROOT / "tests" / "letters" / "breadth" / "acupuncture_trial.txt"
    code, out, err = invoke("evaluate", str(letter))
    assert code == 2 and out == ""
    assert err.strip() == (
        f"error: {letter}: a letter, not a case file: `imr-rules check {letter}` checks it; "
        f"`imr-rules extract {letter} -o case.yaml` makes a case file to review and evaluate"
    )


def test_a_cut_line_ends_between_words_and_names_what_more_counts() -> None:
    from imr_rules import evaluate, load_rules
    from imr_rules.output.report import brief_text, decisive_note
    from imr_rules.reading.casefile import load_case

    library = load_rules(ROOT / "rules")
    evaluation = evaluate(load_case(CASE, library), library)
    lines = brief_text(evaluation, width=100, hint=False).splitlines()[2:]
    cut = [(line, det) for line, det in zip(lines, evaluation.determinations, strict=True) if "..." in line]
    assert cut
    for line, det in cut:
        shown = line.split(" - ", 1)[1].split("...")[0]
        full = decisive_note(det)
        assert full.startswith(shown) and full[len(shown)] == " ", (shown, full)  # a whole word, then a space
    assert any(line.endswith("more criterion)") or line.endswith("more criteria)") for line, _ in cut)


TOO_MANY_VISITS = """case: too-many-visits
dates:
  injury: 2015-01-05
  request: 2016-04-10
facts:
  chronic_pain_3_months: true
  acute_phase: false
items:
  - item: Physical therapy 12 visits for the lumbar spine
    service: physical_therapy
    decision: Upheld
    facts:
      requested_visits: 12
      body_region: lumbar
"""


def _item_line(case: Path, text: str) -> str:
    """`evaluate`'s one line for the only item of the case `text`, written to `case`."""
    case.write_text(text)
    code, out, _ = invoke("evaluate", str(case))
    assert code == 0, out
    (line,) = [line for line in out.splitlines() if re.match(r" ?\d+\. ", line)]
    return line


def test_the_one_line_view_names_a_number_over_the_limit_though_a_looser_limit_for_another_diagnosis_is_met(
    tmp_path: Path,
) -> None:
    """12 visits asked, at most 10 allowed (24 only for CRPS, not documented): the one-line view names the
    limit exceeded, not the undocumented group it sits in (a met looser bound is no branch taken)."""
    line = _item_line(tmp_path / "visits.yaml", TOO_MANY_VISITS)
    assert ": UPHELD" in line and " - [NOT MET] At most 10 visits are requested" in line, line


CONTINUING_OPIOID = """case: continuing-opioid
dates:
  injury: 2012-02-11
  request: 2016-07-12
facts:
  chronic_pain_3_months: true
  acute_phase: false
items:
  - item: Hydrocodone/APAP 10/325 mg #90
    service: opioid
    decision: Overturned
    facts:
      medication_previously_used: true
"""


def test_the_one_line_view_names_the_alternative_the_case_is_on_not_the_group(tmp_path: Path) -> None:
    """An opioid already in use: the initial-trial alternative is NOT MET (it does not apply), so the
    one-line view names what continuing needs, not "An initial trial ..., or continuation ..."."""
    case = tmp_path / "opioid.yaml"
    line = _item_line(case, CONTINUING_OPIOID)
    assert ": UPHELD" in line and " - [not documented] Continuing: on-going review documented" in line, line
    code, tree, _ = invoke("evaluate", str(case), "--explain")
    assert code == 0, tree
    assert "[not documented] Continuing: on-going review documented" in " ".join(tree.split())
