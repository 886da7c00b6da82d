"""durable-rules' fixed sizes and key hashing (issue 16, kinds 1 and 2): each is refused at load and by lint
with the file, the line and the limit, or made impossible by the encoding; never a crash, never a wrong answer.

Crashes are the symptom of some of these, so the CLI runs in a child process (a segfault is exit -11 there).
"""

from __future__ import annotations

import random
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from imr_rules import ImrError, evaluate, load_rules
from imr_rules.authoring.lint import lint
from imr_rules.engine.compiler import MAX_FACT_CRITERIA, MAX_KEYS, fnv1_32
from imr_rules.reading.casefile import case_from_data

from .conftest import write_library

HEAD = """\
source: ODG
guideline: G
chapter: C
section: S
edition: e
effective: {from: 2000-01-01}
confidence: K
rationale: {summary: s, met: m, not_met: n}
"""
SERVICES = "services:\n  svc: {label: S}\n"


def lib(root: Path, facts: str, rules: dict[str, str]) -> Path:
    return write_library(root, "facts:\n" + facts, SERVICES, {n: HEAD + b for n, b in rules.items()})


def rule(criteria: str) -> str:
    return f"id: r\ntitle: t\ngoverns: [svc]\ncriteria: {criteria}\n"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imr_rules.cli", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def write_case(path: Path, facts: dict[str, Any], n_items: int = 1) -> Path:
    items = [{"item": f"x{k}", "service": "svc"} for k in range(n_items)]
    path.write_text(yaml.safe_dump({"case": "c", "facts": {k: {"value": v} for k, v in facts.items()}, "items": items}))
    return path


def outcome(root: Path, facts: dict[str, Any]) -> str:
    library = load_rules(root)
    loaded = case_from_data({"case": "c", "facts": facts, "items": [{"item": "x", "service": "svc"}]}, library)
    return evaluate(loaded, library).determinations[0].outcome


# -- kind 1: limits ---------------------------------------------------------------------------------------
def test_a_list_fact_with_hundreds_of_members_evaluates_without_crashing(tmp_path: Path) -> None:
    """249 documented members made the item fact exceed durable's 255 attributes: exit 139 (segfault)."""
    members = [f"m{i}" for i in range(400)]
    root = lib(
        tmp_path / "rules",
        f"  drugs: {{type: list, values: [{', '.join(members)}], meaning: m}}\n",
        {"r.yaml": rule("{id: a, text: a, fact: drugs, op: contains, value: m399}")},
    )
    case = write_case(tmp_path / "case.yaml", {"drugs": members})
    run = cli("evaluate", "--rules", str(root), "--format", "json", str(case))
    assert run.returncode == 0, run.stderr[-500:]
    assert '"outcome": "Overturned"' in run.stdout


def _wide(root: Path, n: int) -> Path:
    facts = "".join(f"  f{i}: {{type: boolean, meaning: m}}\n" for i in range(n))
    groups = [list(range(i, min(n, i + 16))) for i in range(0, n, 16)]
    body = "id: r\ntitle: t\ngoverns: [svc]\ncriteria:\n  id: root\n  text: r\n  all_of:\n"
    for g, grp in enumerate(groups):
        body += f"    - id: g{g}\n      text: g\n      any_of:\n"
        body += "".join(f"        - {{id: l{i}, text: l, fact: f{i}, op: '==', value: true}}\n" for i in grp)
    return lib(root, facts, {"r.yaml": body})


def test_a_service_at_the_criteria_limit_evaluates(tmp_path: Path) -> None:
    root = _wide(tmp_path / "rules", MAX_FACT_CRITERIA)
    assert outcome(root, {f"f{i}": True for i in range(MAX_FACT_CRITERIA)}) == "Overturned"
    assert outcome(root, {}) == "Upheld"


def test_a_service_over_the_criteria_limit_is_refused_at_load_and_by_lint(tmp_path: Path) -> None:
    """65 criteria on one item overflowed durable's alpha stack: 'error code 303' on every case."""
    root = _wide(tmp_path / "rules", MAX_FACT_CRITERIA + 1)
    with pytest.raises(ImrError) as info:
        load_rules(root)
    message = str(info.value)
    assert message.startswith(f"{root / 'r.yaml'}:11:1: ")
    assert "65 distinct fact conditions" in message and "at most 64" in message
    findings = [f for f in lint(root) if f.code == "E109"]
    assert len(findings) == 1 and findings[0].location.line == 11


def test_a_service_reading_too_many_attributes_is_refused(tmp_path: Path) -> None:
    members = [f"m{i}" for i in range(MAX_KEYS + 5)]
    groups = [members[k : k + 16] for k in range(0, len(members), 16)]
    body = "id: r\ntitle: t\ngoverns: [svc]\ncriteria:\n  id: root\n  text: r\n  any_of:\n"
    top = [groups[k : k + 16] for k in range(0, len(groups), 16)]
    for t, block in enumerate(top):
        body += f"    - id: t{t}\n      text: t\n      any_of:\n"
        for g, grp in enumerate(block):
            body += f"        - id: g{t}_{g}\n          text: g\n          any_of:\n"
            body += "".join(
                f"            - {{id: c_{m}, text: c, fact: drugs, op: contains, value: {m}}}\n" for m in grp
            )
    root = lib(
        tmp_path / "rules", f"  drugs: {{type: list, values: [{', '.join(members)}], meaning: m}}\n", {"r.yaml": body}
    )
    with pytest.raises(ImrError) as info:
        load_rules(root)
    assert f"at most {MAX_KEYS}" in str(info.value) and str(info.value).startswith(f"{root / 'r.yaml'}:11:")
    assert [f.code for f in lint(root) if f.code.startswith("E1")].count("E109") >= 1


def test_a_value_listed_twice_in_an_in_list_is_refused(tmp_path: Path) -> None:
    """`in: [intermediate, high, intermediate]` made the compiled `$or` fire twice."""
    root = lib(
        tmp_path / "rules",
        "  risk: {type: enum, values: [low, intermediate, high], meaning: m}\n",
        {"r.yaml": rule("{id: a, text: a, fact: risk, op: in, value: [intermediate, high, intermediate]}")},
    )
    with pytest.raises(ImrError) as info:
        load_rules(root)
    assert "listed twice" in str(info.value) and str(info.value).startswith(f"{root / 'r.yaml'}:12:")
    assert any(f.code == "E102" and "listed twice" in f.message for f in lint(root))


def test_many_items_of_one_service_in_one_case_evaluate_alike(tmp_path: Path) -> None:
    """Facts of one session are filed under 32-bit hashes of their ids: ~3,000 items of one service met a
    collision (a spurious MessageObserved). Sessions are bounded and a collision is retried."""
    root = lib(
        tmp_path / "rules",
        "  a: {type: boolean, meaning: m, scope: item}\n  b: {type: integer, meaning: m, scope: item}\n",
        {
            "r.yaml": rule(
                "{id: root, text: r, any_of: [{id: x, text: x, fact: a, op: '==', value: true}, "
                "{id: y, text: y, fact: b, op: '>', value: 10}]}"
            )
        },
    )
    rnd = random.Random(7)
    items, expected = [], []
    for k in range(3000):
        facts: dict[str, Any] = {}
        if rnd.random() < 0.7:
            facts["a"] = {"value": rnd.random() < 0.3}
        if rnd.random() < 0.7:
            facts["b"] = {"value": rnd.randint(0, 20)}
        met = facts.get("a", {}).get("value") is True or facts.get("b", {}).get("value", 0) > 10
        items.append({"item": f"x{k}", "service": "svc", "facts": facts})
        expected.append("Overturned" if met else "Upheld")
    library = load_rules(root)
    loaded = case_from_data({"case": "c", "items": items}, library)
    assert [d.outcome for d in evaluate(loaded, library).determinations] == expected


# -- kind 2: key collisions ---------------------------------------------------------------------------------
def test_a_list_member_named_n_is_not_the_list_length(tmp_path: Path) -> None:
    root = lib(
        tmp_path / "rules",
        "  tried: {type: list, values: [n, other], meaning: m}\n",
        {"r.yaml": rule("{id: a, text: a, fact: tried, op: contains, value: n}")},
    )
    assert outcome(root, {"tried": {"value": ["other"]}}) == "Upheld"  # the length 1 once read as member n
    assert outcome(root, {"tried": {"value": ["n"]}}) == "Overturned"
    assert outcome(root, {}) == "Upheld"


def test_a_fact_named_like_a_list_member_key_is_its_own_fact(tmp_path: Path) -> None:
    root = lib(
        tmp_path / "rules",
        "  drug_tried: {type: list, values: [opioid, nsaid], meaning: m}\n"
        "  drug_tried__opioid: {type: boolean, meaning: m}\n",
        {
            "r.yaml": rule(
                "{id: a, text: a, all_of: [{id: x, text: x, fact: drug_tried, op: contains, value: opioid}, "
                "{id: y, text: y, fact: drug_tried__opioid, op: '==', value: false}]}"
            )
        },
    )
    both = {"drug_tried": {"value": ["opioid"]}, "drug_tried__opioid": {"value": False}}
    assert outcome(root, both) == "Overturned"
    assert outcome(root, {"drug_tried": {"value": ["nsaid"]}, "drug_tried__opioid": {"value": False}}) == "Upheld"


def _colliding_names() -> tuple[str, str]:
    seen: dict[int, str] = {}
    rnd = random.Random(1)
    while True:
        name = "".join(rnd.choice(string.ascii_lowercase) for _ in range(8))
        hashed = fnv1_32("f_" + name)
        if hashed in seen and seen[hashed] != name:
            return seen[hashed], name
        seen[hashed] = name


def test_fnv1_matches_durable_rules() -> None:
    assert fnv1_32("id") == 926444256 and fnv1_32("sid") == 3593476751  # HASH_ID, HASH_SID in state.h


def test_two_facts_with_equal_hashes_are_refused_at_load_and_by_lint(tmp_path: Path) -> None:
    first, second = _colliding_names()
    assert fnv1_32("f_" + first) == fnv1_32("f_" + second)
    root = lib(
        tmp_path / "rules",
        f"  {first}: {{type: boolean, meaning: m}}\n  {second}: {{type: boolean, meaning: m}}\n",
        {
            "r.yaml": rule(
                f"{{id: a, text: a, all_of: [{{id: x, text: x, fact: {first}, op: '==', value: true}}, "
                f"{{id: y, text: y, fact: {second}, op: '==', value: false}}]}}"
            )
        },
    )
    with pytest.raises(ImrError) as info:
        load_rules(root)
    assert str(info.value).startswith(f"{root / 'facts.yaml'}:3:3: ") and "FNV-1" in str(info.value)
    run = cli("lint", str(root))
    assert run.returncode == 1 and "E110" in run.stdout and "Traceback" not in run.stderr


def _contains(root: Path, n: int) -> Path:
    values = [f"m{i}" for i in range(n)]
    body = "id: r\ntitle: t\ngoverns: [svc]\ncriteria:\n  id: root\n  text: r\n  all_of:\n"
    for g in range(0, n, 16):
        body += f"    - id: g{g}\n      text: g\n      any_of:\n"
        body += "".join(
            f"        - {{id: l{v}, text: l, fact: drugs, op: contains, value: {v}}}\n" for v in values[g : g + 16]
        )
    return lib(root, f"  drugs: {{type: list, values: [{', '.join(values)}], meaning: m}}\n", {"r.yaml": body})


def test_contains_criteria_count_the_node_they_share() -> None:
    """64 `contains` criteria on one list, every member present, overflowed the stack (their `$ex` is one more)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        ok = _contains(Path(folder) / "ok", MAX_FACT_CRITERIA - 1)
        assert outcome(ok, {"drugs": {"value": [f"m{i}" for i in range(MAX_FACT_CRITERIA - 1)]}}) == "Overturned"
        over = _contains(Path(folder) / "over", MAX_FACT_CRITERIA)
        with pytest.raises(ImrError, match="at most 64"):
            load_rules(over)
