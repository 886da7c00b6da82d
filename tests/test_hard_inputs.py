"""Hard inputs: every hostile or broken case or rule file ends as one ImrError line (file and line where
known), exit code 2 from the CLI, no traceback, no hang, no output file.

Inputs are kept bounded (a 6 MB file at most) and every run is timed, since pytest-timeout is not
installed: a regression to a hang shows as a failed time assertion rather than a stuck CI job.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from imr_rules import ImrError, evaluate, load_case, load_rules
from imr_rules.cli import main
from imr_rules.reading.casefile import case_from_data

from .conftest import CASES, ROOT, RULES

# a guard against a hang or an exponential blow-up (minutes), not a speed target: generous enough for a
# loaded CI machine (a subprocess start with a cold cache took over 5 s under a load average of 12)
LIMIT_S = 30.0
GOOD = (CASES / "004_c1b1e726fca0fa4f.yaml").read_text().split("# What the letter decided")[0]  # 18 lines, no expect
DEPENDENT = (CASES / "001_dbfc6dcde667e7b2.yaml").read_text()
# a number fact the discectomy rule reads, so a bad value would reach durable-rules
NUMBER_CASE = """case: numbers
facts:
  objective_nerve_compromise_on_exam: true
  activity_modification_months: {value}
items:
  - item: Discectomy
    service: discectomy
"""
LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
        "case: *i",
        "items: [{item: x}]",
    ]
)

Writer = Callable[[Path], object]


def text(content: str) -> Writer:
    return lambda p: p.write_text(content, encoding="utf-8")


def raw(content: bytes) -> Writer:
    return lambda p: p.write_bytes(content)


def symlink_loop(p: Path) -> None:
    other = p.with_name(p.name + ".other")
    p.symlink_to(other)
    other.symlink_to(p)


# name -> (how to write it, what the error says, the line it names or None)
CASE_INPUTS: dict[str, tuple[Writer, str, int | None]] = {
    "malformed": (text("case: x\nitems: [\n"), "malformed YAML", 2),  # where the text stops (cut off)
    "truncated": (
        text(DEPENDENT[: DEPENDENT.index('Inpatient 1-2 days"') + 5]),
        "found unexpected end of stream (the file looks cut off inside a quoted string: it ends at line 13)",
        13,
    ),
    # cut off: in a quoted string, in a flow mapping, after a key, in a list, before a required key, in a value
    "cut_in_quoted_string": (
        text('case: x\nitems:\n  - item: "Lumbar MRI with'),
        "(the file looks cut off inside a quoted string: it ends at line 3)",
        3,
    ),
    "cut_in_flow_mapping": (
        text("case: x\nfacts:\n  age: {value: 61, evidence: He is sixty-"),
        "(the file looks cut off inside a '{': it ends at line 3)",
        3,
    ),
    "cut_in_flow_sequence_over_lines": (
        text("case: x\nfacts:\n  prior_mri_regions:\n    value: [low_back,\n      neck,\n"),
        "(the file looks cut off: it ends at line 5)",
        5,
    ),
    "cut_after_a_key": (
        text("case: x\nitems:\n  - item: Lumbar MRI\n    service: mri_lumbar\n    decision:\n"),
        "'decision' has no value: the file looks cut off (ends at line 5)",
        5,
    ),
    "cut_after_a_key_before_blank_lines": (
        text("case: x\nitems:\n  - item: Lumbar MRI\n    facts:   # to fill in\n\n\n"),
        "'facts' has no value: the file looks cut off (ends at line 4)",
        4,
    ),
    "cut_in_a_list": (
        text("case: x\nitems:\n  - item: Lumbar MRI\n    service: mri_lumbar\n  -"),
        "the last list entry is empty: the file looks cut off (ends at line 5)",
        5,
    ),
    "cut_before_a_required_key": (
        text("case: x\nfacts:\n  age: {value: 61}"),
        "missing required key 'items'; the file looks cut off (ends at line 3 with no newline)",
        1,
    ),
    "cut_in_a_value": (
        text("case: x\nitems:\n  - item: Lumbar MRI\n    service: mri_lum"),
        "(did you mean 'mri_lumbar'?); the file looks cut off (ends at line 4 with no newline)",
        4,
    ),
    "cut_in_a_decision": (
        text("case: x\nitems:\n  - item: Lumbar MRI\n    service: mri_lumbar\n    decision: Overt"),
        "; the file looks cut off (ends at line 5 with no newline)",
        5,
    ),
    "cut_in_a_mapping_value": (
        text("case: x\nitems:\n  - item: Lumbar MRI\n    facts:\n      tr"),
        "items[0].facts: expected a mapping (key: value), found 'tr'; the file looks cut off (ends at line 5 with no "
        "newline)",
        None,
    ),
    # what hand-written case files get wrong, said in the file's words with what was most likely meant
    "date_not_iso": (
        text("case: x\ndates: {request: 05/02/2016}\nitems:\n  - item: Lumbar MRI\n"),
        "dates.request: Input should be a valid date or datetime, invalid character in year (write dates as "
        "YYYY-MM-DD, e.g. 2016-05-02)",
        2,
    ),
    "service_not_an_id": (
        text("case: x\nitems:\n  - item: Lumbar MRI\n    service: MRI Lumbar\n"),
        "items[0].service: 'MRI Lumbar' is not an id (lower-case letters, digits and '_'; written as one: "
        "'mri_lumbar')",
        4,
    ),
    "item_not_a_mapping": (
        text("case: x\nitems:\n  - Lumbar MRI\n"),
        "items[0]: expected a mapping (key: value), found 'Lumbar MRI'",
        3,
    ),
    "misspelt_optional_key_of_an_item": (
        text("case: x\nitems:\n  - item: Lumbar MRI\n    primry: Lumbar fusion\n"),
        "items[0]: unknown key 'primry' (did you mean 'primary'?)",
        4,
    ),
    "misspelt_key_of_a_fact": (
        text("case: x\nfacts:\n  age: {value: 61, evidnce: aged 61}\nitems: [{item: a}]\n"),
        "facts.age: unknown key 'evidnce' (did you mean 'evidence'?)",
        3,
    ),
    "misspelt_key_beside_missing_one": (
        text("case: x\nitem:\n  - item: Lumbar MRI\n"),
        "unknown key 'item' (did you mean 'items'?)",
        2,
    ),
    "comma_in_text_inside_braces": (
        text(
            "case: x\nfacts:\n  age: {value: 61, evidence: He is 61, and drives a forklift.}\nitems:\n  - item: MRI\n"
        ),
        "facts.age: unknown key 'and drives a forklift.' (text after a comma inside { } is read as a new key: put "
        "the whole text in quotes)",
        3,
    ),
    # not cut off: a quoted string never closed in the middle of a file is named where it opens
    "quote_never_closed": (
        text('case: x\nitems:\n  - item: "Lumbar MRI\n    service: mri_lumbar\n    decision: Upheld\n'),
        "a quoted string opened at line 3 is never closed: the file looks cut off at line 5, or its closing quote is "
        "missing",
        5,
    ),
    "tab_indent": (text("case: x\n\titems: []\n"), "malformed YAML", 2),
    "two_documents": (text(GOOD + "---\ncase: y\n"), "malformed YAML", None),
    "deep_flow_sequence": (text("case: x\nitems: " + "[" * 10_000 + "]" * 10_000 + "\n"), "nesting", None),
    "deep_flow_mapping": (text("case: x\nitems: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"), "nesting", None),
    "deep_block": (text("".join(" " * i + "a:\n" for i in range(2_000))), "nesting", None),
    "billion_laughs": (text(LAUGHS), "anchors (&name) are not allowed", 1),
    "alias_only": (text("case: *nothing\nitems: []\n"), "aliases (*name) are not allowed", 1),
    "python_object_apply": (text("case: !!python/object/apply:os.system ['true']\nitems: []\n"), "not allowed", 1),
    "python_name": (text("case: !!python/name:os.system\nitems: []\n"), "not allowed", 1),
    "python_object_mapping": (
        text("!!python/object:os.Foo {case: x, items: [{item: a, service: mri_lumbar}]}\n"),
        "YAML tag 'tag:yaml.org,2002:python/object:os.Foo' is not allowed",
        1,
    ),
    "python_object_sequence": (text("case: x\nitems: !!python/object/new:list [[]]\n"), "not allowed", 2),
    "local_tag": (text("case: !secret x\nitems: []\n"), "not allowed", 1),
    "set_tag": (text("case: x\nitems: !!set {a, b}\n"), "not allowed", 2),
    "merge_key": (text("case: x\nitems: [{<<: {item: a}}]\n"), "merge keys", None),
    "duplicate_key": (text(GOOD + "case: again\n"), "duplicate key 'case'", 19),
    "wrong_type_integer": (text(GOOD.replace("value: 54", "value: fifty-four")), "expected a whole number", 7),
    "wrong_type_boolean": (text(GOOD.replace("value: false", "value: 'false'", 1)), "expected true or false", 10),
    "wrong_type_items": (text("case: x\nitems: MRI\n"), "items: Input should be a valid list", 2),
    "wrong_type_facts": (
        text("case: x\nfacts: [age]\nitems: [{item: a}]\n"),
        "facts: expected a mapping (key: value), found list",
        2,
    ),
    "wrong_type_top": (text("- case: x\n"), "expected a mapping (a case), found list", 1),
    "unknown_fact": (
        text(GOOD.replace("red_flags_present", "red_flag_present")),
        "did you mean 'red_flags_present'",
        12,
    ),
    "unknown_fact_long_name": (
        text(GOOD.replace("red_flags_present", "r" + "x" * 1_000)),
        "unknown fact",
        12,
    ),
    "overlong_key": (text(GOOD.replace("red_flags_present", "r" + "x" * 100_000)), "malformed YAML", 12),
    "unknown_key": (text(GOOD.replace("dates:", "colour: blue\ndates:")), "unknown key 'colour'", 4),
    "unknown_service": (text(GOOD.replace("service: mri_lumbar", "service: mri_lumbr")), "unknown service", 17),
    "fact_in_wrong_scope": (
        text(GOOD.replace("facts:\n  age", "facts:\n  requested_visits: 3\n  age")),
        "put it under the item",
        7,
    ),
    "same_item_twice": (
        text(GOOD + '  - item: "MRI of Lumbar Spine"\n    service: mri_lumbar\n'),
        "item 'MRI of Lumbar Spine' is listed twice",
        19,
    ),
    "own_primary": (text("case: x\nitems: [{item: a, service: preop_labs, primary: a}]\n"), "its own primary", 2),
    "dependency_cycle": (
        text(
            "case: x\nitems:\n"
            "  - {item: a, service: preop_labs, primary: b}\n"
            "  - {item: b, service: preop_labs, primary: a}\n"
        ),
        "cycle",
        3,
    ),
    "no_items": (text("case: x\nitems: []\n"), "items: needs at least 1 entry, found none", 2),
    "decision_lower_case": (
        text("case: x\nitems:\n- item: MRI\n  service: mri_lumbar\n  decision: upheld\n"),
        "items[0].decision: 'upheld' is not one of 'Upheld', 'Overturned' (did you mean 'Upheld'?",
        5,
    ),
    "decision_unknown": (
        text("case: x\nitems:\n- item: MRI\n  service: mri_lumbar\n  decision: Denied\n"),
        "items[0].decision: 'Denied' is not one of 'Upheld', 'Overturned'",
        5,
    ),
    "bad_date": (text(GOOD.replace("injury: 2008-09-01", "injury: 2008-13-45")), "dates.injury", 5),
    "nan_number": (text(NUMBER_CASE.format(value=".nan")), "nan is not a finite number", 4),
    "inf_number": (text(NUMBER_CASE.format(value=".inf")), "inf is not a finite number", 4),
    "minus_inf_number": (text(NUMBER_CASE.format(value="-.inf")), "-inf is not a finite number", 4),
    "huge_float": (text(NUMBER_CASE.format(value="1.0e+20")), "number is too large", 4),
    "huge_integer": (text(NUMBER_CASE.format(value="9" * 400)), "number is too large", 4),
    "integer_beyond_python_limit": (text(NUMBER_CASE.format(value="9" * 5_000)), "number is too large", 4),
    "tiny_float": (text(NUMBER_CASE.format(value="0.00001")), "is too small", 4),
    "huge_integer_fact": (text(GOOD.replace("value: 54", "value: " + "9" * 30)), "number is too large", 7),
    "empty": (text(""), "empty file", None),
    "only_comments": (text("# nothing here\n\n"), "empty file", None),
    "binary": (raw(b"\x00\x01\x02\xff" * 64), "binary file", None),
    "utf16": (raw(GOOD.encode("utf-16")), "binary file", None),
    "latin1": (raw(GOOD.replace("male", "m\xe4le").encode("latin-1")), "not valid UTF-8", 7),
    "huge_file": (text("case: x\n#" + "x" * (6 * 1024 * 1024) + "\n"), "file is too large", None),
    "directory": (lambda p: p.mkdir(), "is a directory", None),
    "symlink_loop": (symlink_loop, "Too many levels of symbolic links", None),
    "dangling_symlink": (lambda p: p.symlink_to(p.with_name("nowhere.yaml")), "no such file", None),
    "missing": (lambda p: None, "no such file", None),
}


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_rules(RULES)


def write_input(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "in" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    CASE_INPUTS[name][0](path)
    return path


def check_message(err: ImrError | str, path: Path, expected: str, line: int | None) -> None:
    message = str(err)
    assert "\n" not in message
    assert message.startswith(str(path)), message[:300]
    assert expected in message, message[:300]
    if line is not None:
        assert message.startswith(f"{path}:{line}:"), message[:300]


@pytest.mark.parametrize("name", sorted(CASE_INPUTS))
def test_library_api_raises_one_located_imr_error(tmp_path: Path, library, name: str) -> None:  # type: ignore[no-untyped-def]
    _, expected, line = CASE_INPUTS[name]
    path = write_input(tmp_path, name)
    start = time.monotonic()
    with pytest.raises(ImrError) as info:
        evaluate(load_case(path, library), library)
    assert time.monotonic() - start < LIMIT_S
    check_message(info.value, path, expected, line)


def run_cli(args: list[str]) -> tuple[int, str, str, float]:
    start = time.monotonic()
    result = CliRunner().invoke(main, args)
    elapsed = time.monotonic() - start
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the CLI raised {result.exception!r}")
    return result.exit_code, result.stdout, result.stderr, elapsed


@pytest.mark.parametrize("name", sorted(set(CASE_INPUTS) - {"directory"}))  # a folder is a batch input to the CLI
def test_cli_prints_one_line_exits_2_and_writes_nothing(tmp_path: Path, name: str) -> None:
    _, expected, line = CASE_INPUTS[name]
    path = write_input(tmp_path, name)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err, elapsed = run_cli(["evaluate", str(path), "--format", "json", "-o", str(out_dir / "result.json")])
    assert elapsed < LIMIT_S
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert list(out_dir.iterdir()) == []
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:500]
    assert lines[0].startswith("error: ")
    check_message(lines[0].removeprefix("error: "), path, expected, line)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_unreadable_file(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "locked.yaml"
    path.write_text(GOOD)
    path.chmod(0)
    try:
        with pytest.raises(ImrError) as info:
            load_case(path, library)
        check_message(info.value, path, "permission denied", None)
        code, _, err, _ = run_cli(["evaluate", str(path)])
        assert code == 2 and err.strip() == f"error: {path}: permission denied"
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), -float("inf"), 1e20, 10**30, 10**400, 1e-7],
    ids=["nan", "inf", "-inf", "1e20", "10^30", "10^400", "1e-7"],
)
def test_case_built_from_data_refuses_numbers_the_engine_cannot_read(library, value: float) -> None:  # type: ignore[no-untyped-def]
    """durable-rules' JSON reader knows no exponent, Infinity or NaN: 1e16 segfaulted the process."""
    data: dict[str, object] = {
        "case": "x",
        "facts": {"activity_modification_months": value, "objective_nerve_compromise_on_exam": True},
        "items": [{"item": "a", "service": "discectomy"}],
    }
    with pytest.raises(ImrError, match="activity_modification_months"):
        case_from_data(data, library)


def test_numbers_at_the_edge_of_the_range_still_evaluate(library) -> None:  # type: ignore[no-untyped-def]
    for value in (10**15 - 1, 999_999_999_999_999.9, 0.0001, -0.0001, 0, 0.0):
        data: dict[str, object] = {
            "case": "x",
            "facts": {"activity_modification_months": value},
            "items": [{"item": "a", "service": "discectomy"}],
        }
        (det,) = evaluate(case_from_data(data, library), library).determinations
        statuses = {c.id.split("/")[1]: c.status for c in det.criteria}
        assert statuses["activity_modification"] == ("met" if value >= 2 else "not_met")


# -- rule files with pathological values -------------------------------------------------------------------
DISCECTOMY = Path("low-back") / "odg-discectomy-laminectomy.yaml"
THRESHOLD = 'op: ">="\n          value: 2'


Change = Callable[[Path], tuple[Path, int | None]]  # edits a library copy: (file changed, line of the change)


def rule_edit(old: str, new: str, rule: Path = DISCECTOMY) -> Change:
    def edit(root: Path) -> tuple[Path, int | None]:
        path = root / rule
        content = path.read_text()
        assert old in content
        path.write_text(content.replace(old, new, 1))
        return path, content[: content.index(old)].count("\n") + 1 + old.count("\n")

    return edit


def new_rule(body: str) -> Change:
    def add(root: Path) -> tuple[Path, int | None]:
        path = root / "general" / "pathological.yaml"
        header = (
            "id: pathological\ntitle: x\nsource: other\nguideline: g\nedition: e\neffective: {from: 2000-01-01}\n"
            "governs: [office_visit]\nconfidence: I\nrationale: {summary: s}\n"
        )
        path.write_text(header + body)
        return path, None

    return add


def nested(depth: int) -> str:
    body = "criteria:\n"
    for level in range(depth):
        pad = "  " * (level + 1)
        body += f"{pad}id: n{level}\n{pad}text: t\n{pad}not:\n"
    pad = "  " * (depth + 1)
    return body + f"{pad}{{id: leaf, text: t, fact: red_flags_present, op: '==', value: true}}\n"


def at_least(k: int, n: int) -> str:
    kids = "".join(f"    - {{id: c{i}, text: t, fact: red_flags_present, op: '==', value: true}}\n" for i in range(n))
    return f"criteria:\n  id: root\n  text: t\n  at_least: {k}\n  of:\n{kids}"


def cut_rule(at: str, rule: Path = DISCECTOMY) -> Change:
    """The rule file cut off just after the first `at` (no newline after it)."""

    def cut(root: Path) -> tuple[Path, int | None]:
        path = root / rule
        content = path.read_text()
        kept = content[: content.index(at) + len(at)]
        path.write_text(kept)
        return path, None

    return cut


RULE_INPUTS: dict[str, tuple[Change, str]] = {
    "cut_mid_text": (cut_rule('text: "II. Imaging shows'), "the file looks cut off"),
    "cut_after_a_key": (cut_rule('op: ">="\n          value:'), "'value' has no value: the file looks cut off"),
    "nan_threshold": (rule_edit(THRESHOLD, THRESHOLD.replace("2", ".nan")), "nan is not a finite number"),
    "inf_threshold": (rule_edit(THRESHOLD, THRESHOLD.replace("2", ".inf")), "inf is not a finite number"),
    "huge_float_threshold": (rule_edit(THRESHOLD, THRESHOLD.replace("2", "1.0e+16")), "number is too large"),
    "tiny_threshold": (rule_edit(THRESHOLD, THRESHOLD.replace("2", "0.00001")), "is too small"),
    "huge_integer_threshold": (rule_edit(THRESHOLD, THRESHOLD.replace("2", "9" * 400)), "number is too large"),
    "integer_beyond_python_limit": (
        rule_edit(THRESHOLD, THRESHOLD.replace("2", "9" * 5_000)),
        "number is too large",
    ),
    "long_string_for_boolean": (
        rule_edit('op: "=="\n      value: true', 'op: "=="\n      value: \'' + "x" * 200_000 + "'"),
        "expected true or false",
    ),
    "long_criterion_id": (
        rule_edit("id: radiculopathy", "id: r" + "x" * 10_000),
        "String should have at most 80",
    ),
    "deep_criteria": (new_rule(nested(70)), "nesting deeper than 64 levels"),
    "python_tag_in_rule": (
        rule_edit("title: Discectomy", "title: !!python/name:os.system Discectomy"),
        "not allowed",
    ),
    "at_least_4_of_8": (new_rule(at_least(4, 8)), "expands to 70 alternatives"),
    "at_least_3_of_7": (new_rule(at_least(3, 7)), "expands to 35 alternatives"),
    "too_many_children": (new_rule(at_least(17, 17)), "the engine joins at most 16"),
}


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    return root


@pytest.mark.parametrize("name", sorted(RULE_INPUTS))
def test_pathological_rule_file_is_one_imr_error_and_exit_2(rules_copy: Path, tmp_path: Path, name: str) -> None:
    change, expected = RULE_INPUTS[name]
    path, line = change(rules_copy)
    case = tmp_path / "case.yaml"
    case.write_text(
        GOOD.replace("service: mri_lumbar", "service: office_visit") if name.startswith("at_least") else GOOD
    )
    case.write_text(case.read_text() + "  - item: Discectomy\n    service: discectomy\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err, elapsed = run_cli(["evaluate", str(case), "--rules", str(rules_copy), "-o", str(out_dir / "r.txt")])
    assert elapsed < LIMIT_S
    assert code == 2 and out == "" and "Traceback" not in err
    assert list(out_dir.iterdir()) == []
    lines = err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], err[:500]
    if "durable-rules" not in expected:  # the engine's refusals name no file (see the report)
        check_message(lines[0].removeprefix("error: "), path, expected, line)


def test_a_long_but_valid_string_is_not_an_error(rules_copy: Path) -> None:
    rule = rules_copy / DISCECTOMY
    rule.write_text(rule.read_text().replace("title: Discectomy/laminectomy indications", "title: " + "t" * 1_000_000))
    start = time.monotonic()
    library = load_rules(rules_copy)
    result = evaluate(load_case(CASES / "001_dbfc6dcde667e7b2.yaml", library), library)
    assert time.monotonic() - start < LIMIT_S
    assert result.determinations[0].outcome == "Upheld"


def test_combinatorial_at_least_is_refused_quickly(rules_copy: Path, tmp_path: Path) -> None:
    new_rule(at_least(6, 12))(rules_copy)
    case = tmp_path / "case.yaml"
    case.write_text("case: x\nitems: [{item: a, service: office_visit}]\n")
    proc = subprocess.run(
        [sys.executable, "-m", "imr_rules.cli", "evaluate", str(case), "--rules", str(rules_copy)],
        capture_output=True,
        text=True,
        timeout=LIMIT_S,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_binary_tag_and_long_bad_values_give_short_errors(tmp_path: Path) -> None:
    tagged = tmp_path / "binary.yaml"
    tagged.write_text(GOOD.replace("case: 004_c1b1e726fca0fa4f", "case: !!binary aGVsbG8="))
    code, _, err, _ = run_cli(["evaluate", str(tagged)])
    assert code == 2 and "'!!binary' is not allowed" in err
    long_value = tmp_path / "long.yaml"
    long_value.write_text(GOOD.replace("value: 54", "value: " + "x" * 100_000))
    code, _, err, _ = run_cli(["evaluate", str(long_value)])
    assert code == 2 and "expected a whole number" in err
    assert len(err) < 400


@pytest.mark.parametrize("name", sorted(CASE_INPUTS))
def test_the_pure_python_yaml_reader_refuses_the_same_inputs(tmp_path: Path, library, monkeypatch, name: str) -> None:  # type: ignore[no-untyped-def]
    """libyaml parses when PyYAML has it; the pure-Python parser (PyYAML without libyaml) must hold too."""
    from imr_rules import yaml_reader

    monkeypatch.setattr(yaml_reader, "_Composer", yaml_reader._PyComposer)
    monkeypatch.setattr(yaml_reader, "_CLoader", None)
    monkeypatch.setattr(yaml_reader, "_CParser", None)
    path = write_input(tmp_path, name)
    _writer, expected, line = CASE_INPUTS[name]
    with pytest.raises(ImrError) as err:
        load_case(path, library)
    check_message(err.value, path, expected, line)


def _pure_python(text_: str, path: Path):  # type: ignore[no-untyped-def]
    """The position-keeping reader as PyYAML without libyaml runs it."""
    from imr_rules import yaml_reader

    saved = yaml_reader._CLoader, yaml_reader._Composer
    try:
        yaml_reader._CLoader, yaml_reader._Composer = None, yaml_reader._PyComposer
        return yaml_reader.parse_located(text_, path)
    finally:
        yaml_reader._CLoader, yaml_reader._Composer = saved


def test_the_fast_reader_libyaml_and_pure_python_read_every_project_file_alike() -> None:
    """Same values from the fast reader (libyaml's events), the position-keeping reader on libyaml and the
    pure-Python one, and the same line/column for every key, on every YAML file of the project."""
    from imr_rules import sources, yaml_reader

    files = sorted(p for p in ROOT.rglob("*.yaml") if ".venv" not in p.parts)
    assert len(files) > 60 and yaml_reader._CParser is not None and yaml_reader._CLoader is not None
    for path in files:
        text_ = path.read_text()
        fast = sources.parse_yaml(text_, path)
        assert fast._positions is None, path  # read by the fast reader: positions only on demand
        located = sources._parse_located(text_, path)
        pure = _pure_python(text_, path)
        assert fast.data == located.data == pure.data, path
        assert repr(fast.data) == repr(pure.data), path  # same types too (1 and 1.0 and True compare equal)
        assert fast.positions == located.positions == pure.positions, path


TRICKY_SCALARS = [
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "n",
    "true",
    "False",
    "~",
    "null",
    "Null",
    "",
    "0",
    "-0",
    "+7",
    "012",
    "0x1f",
    "0o17",
    "0b11",
    "1_000",
    "1:30",
    "190:20:30",
    "1e5",
    "1E5",
    "1.0e5",
    "1.0e+5",
    "6.5",
    "-.5",
    ".5",
    "5.",
    "1.5e-05",
    ".inf",
    "-.Inf",
    ".nan",
    "1e400",
    "99999999999999999",
    "2014-03-05",
    "2014-03-05 10:00:00",
    "2014-3-5",
    "<<",
    "=",
    "'quoted: yes'",
    '"12"',
    '"a\\tb"',
    "!!str 12",
    "!!int 12",
    "!!python/name:os.system",
    "&a 1",
    "*a",
    "[1, 2]",
    "{a: 1}",
    "a b",
    "x: y",
    "- 1",
    "|\n  block\n",
    ">\n  folded\n",
    '"\\u00e9"',
    "@x",
]


@pytest.mark.parametrize("scalar", TRICKY_SCALARS)
def test_the_fast_reader_reads_every_kind_of_scalar_as_the_located_reader(scalar: str) -> None:
    """As a value, a key, a list member and nested: the fast reader gives the same data as the
    position-keeping reader, or leaves the text to it (which then reads or refuses it with its line)."""
    from imr_rules import sources, yaml_reader

    value = scalar.replace("\\n", "\n")
    for doc in (
        f"a: {value}\n",
        f"{value}: 1\n",
        f"a:\n  - {value}\n  - b\n",
        f"a: {{b: [{value}]}}\n",
        f"a:\n  b:\n    c: {value}\n  d: 1\n",
        f"{value}\n",
        f"a: 1\na: {value}\n",
        f"a: 1\n---\nb: {value}\n",
    ):
        try:
            expected = yaml_reader.parse_located(doc, "t.yaml").data
        except ImrError:
            expected = yaml_reader._SLOW
        fast = yaml_reader._fast_data(doc)
        if fast is not yaml_reader._SLOW:
            assert repr(fast) == repr(expected), doc
        if expected is yaml_reader._SLOW:
            with pytest.raises(ImrError):
                sources.parse_yaml(doc, "t.yaml")


def test_libyaml_composes_only_files_it_cannot_crash_on() -> None:
    """libyaml's composer recurses in C (40,000 nested brackets crash the process): deep or aliased
    files go to the Python composer, which stops at Python's recursion limit with a located error."""
    from imr_rules.yaml_reader import C_COMPOSER_MAX_DEPTH, _c_composer_safe

    assert _c_composer_safe(GOOD) and _c_composer_safe(DEPENDENT)
    assert not _c_composer_safe("a: " + "[" * C_COMPOSER_MAX_DEPTH + "]" * C_COMPOSER_MAX_DEPTH)
    assert not _c_composer_safe("".join(" " * i + "a:\n" for i in range(C_COMPOSER_MAX_DEPTH // 2)))
    assert not _c_composer_safe("a: &x 1\nb: *x\n") and not _c_composer_safe("a: *x\n")


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


_NESTED = st.recursive(
    st.sampled_from(["x", 1, None]),
    lambda inner: st.lists(inner, min_size=1, max_size=2) | st.dictionaries(st.sampled_from("ab"), inner, min_size=1),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(value=_NESTED, flow=st.booleans(), indent=st.sampled_from([2, 4]))
def test_the_nesting_bound_is_never_below_the_real_depth(value: object, flow: bool, indent: int) -> None:
    """brackets + 2 x (longest line + 1) >= depth, for block (indentless sequences included) and flow YAML."""
    text = yaml.safe_dump(value, default_flow_style=flow, indent=indent)
    longest = max(len(line) for line in text.splitlines())
    assert text.count("[") + text.count("{") + 2 * (longest + 1) >= _depth(yaml.safe_load(text))


@pytest.mark.parametrize("depth", [100_000])
def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path, library, depth: int) -> None:  # type: ignore[no-untyped-def]
    """In a child process, so that a crash fails this test instead of killing the suite."""
    path = tmp_path / "deep.yaml"
    path.write_text("case: x\nitems: " + "[" * depth + "]" * depth + "\n")
    proc = subprocess.run(
        [sys.executable, "-m", "imr_rules.cli", "evaluate", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2, proc.stderr[-500:]
    assert "nesting" in proc.stderr


def _json_case(tmp_path: Path, name: str, text_: str) -> Path:
    path = tmp_path / name
    path.write_text(text_)
    return path


def test_a_json_case_file_evaluates_as_its_yaml_twin(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    import json

    for case in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(case.read_text())
        for indent in (2, "\t", None):
            path = _json_case(tmp_path, case.stem + ".json", json.dumps(data, indent=indent, default=str))
            as_json = evaluate(load_case(path, library), library).model_dump(exclude={"source", "provenance"})
            as_yaml = evaluate(load_case(case, library), library).model_dump(exclude={"source", "provenance"})
            assert as_json == as_yaml, case


@pytest.mark.parametrize(
    ("change", "expected", "line", "column"),
    [
        (lambda t: t.replace('"case":', '"case": "x",\n  "case":', 1), "duplicate key 'case'", 3, 3),
        (lambda t: t.replace('"value": 2,', '"value": 1e-09,', 1), "too small", 23, 11),
        (lambda t: t.replace('"value": 2,', '"value": NaN,', 1), "NaN is not a finite number", 23, 11),
        (lambda t: t.replace('"value": 2,', '"value": 1e400,', 1), "inf is not a finite number", 23, 11),
        (lambda t: t.replace('"value": 2,', '"value": "two",', 1), "expected a whole number", 23, 11),
        (lambda t: t.replace('"imaging_neural_compression"', '"imaging_neural_compresion"'), "unknown fact", 5, 5),
        (lambda t: t[:-3], "malformed JSON", 104, 3),
        (lambda t: t.replace('"facts": {', '"facts": {"x": ' + "[" * 70 + "]" * 70 + ", ", 1), "nesting deeper", 4, 81),
    ],
)
def test_a_bad_json_case_names_its_file_line_and_column(  # type: ignore[no-untyped-def]
    tmp_path: Path, library, change, expected: str, line: int, column: int
) -> None:
    import json

    good = json.dumps(yaml.safe_load(DEPENDENT), indent=2)
    path = _json_case(tmp_path, "case.json", change(good))
    with pytest.raises(ImrError) as err:
        load_case(path, library)
    assert expected in err.value.message
    assert err.value.location is not None and err.value.location.path == str(path)
    assert (err.value.location.line, err.value.location.column) == (line, column), err.value


# An invented case, in the project's own words, cut off at every place inside a line.
CUT_CASE = """\
case: invented-cut
dates: {request: 2016-09-12, injury: 2016-02-03}
facts:
  red_flags_present: {value: false, evidence: "No fever, weight loss or bladder change."}
  prior_mri_regions: {value: [low_back], evidence: An MRI of his lower back was done in May.}
items:
  - item: "Repeat MRI: lumbar spine"
    service: mri_lumbar
    decision: Upheld
    facts:
      significant_change_since_prior_mri: {value: false, evidence: His symptoms are as they were.}
      treated_regions: {value: [low_back], evidence: lumbar spine}
  - item: Physical therapy, 6 visits
    service: physical_therapy
    decision: Overturned
"""


def test_a_case_cut_off_inside_any_line_reads_or_says_where_it_looks_cut_off(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    """Cut inside a line (no newline at the end): the prefix is a case that still reads, or the error says the
    file looks cut off at its last line. Never a schema error that hides it."""
    path = tmp_path / "cut.yaml"
    cut_off = 0
    for k in range(1, len(CUT_CASE)):
        if CUT_CASE[k - 1] == "\n":
            continue
        prefix = CUT_CASE[:k]
        path.write_text(prefix)
        try:
            load_case(path, library)
        except ImrError as exc:
            message = str(exc)
            last = prefix.rstrip().count("\n") + 1
            assert "looks cut off" in message and f"line {last}" in message, (prefix[-40:], message)
            cut_off += 1
    assert cut_off > len(CUT_CASE) // 2


def test_a_json_case_cut_off_says_so(tmp_path: Path) -> None:
    import json

    whole = json.dumps(yaml.safe_load(CUT_CASE), default=str, indent=1)
    for at in ("Repeat MRI", '"service": "mri_lu', '"decision": "Upheld"'):
        path = tmp_path / "cut.json"
        path.write_text(whole[: whole.index(at) + len(at)])
        code, out, err, _ = run_cli(["evaluate", str(path)])
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
        last = whole[: whole.index(at)].count("\n") + 1
        assert "malformed JSON: " in err and f"(the file looks cut off: it ends at line {last})" in err, err


def test_an_unknown_key_like_no_known_one_gets_no_suggestion(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "case.yaml"
    path.write_text("case: x\nitems:\n  - item: Lumbar MRI\n    colour: blue\n")
    with pytest.raises(ImrError) as info:
        load_case(path, library)
    assert str(info.value).endswith("items[0]: unknown key 'colour'"), str(info.value)
