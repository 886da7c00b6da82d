"""durable-rules' traps, guarded: session limit, type guards, no empty $and, two libraries at once."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

from imr_rules import evaluate, load_case, load_rules
from imr_rules.compiler import compile_ruleset

from .conftest import CASES, RULES, make_case


def _patterns(definition: dict[str, dict[str, Any]]):  # type: ignore[no-untyped-def]
    for name, spec in definition.items():
        for pattern in spec["all"]:
            ((_alias, expr),) = pattern.items()
            yield name, expr


def _has_type_guard(expr: dict[str, Any]) -> bool:
    if "t" in expr or expr == {"$ex": {"t": 1}}:  # the sink: any fact, never the session state
        return True
    return any(isinstance(part, dict) and "t" in part for part in expr.get("$and", []))


def _no_empty_boolean(expr: Any) -> bool:
    if isinstance(expr, dict):
        for key, value in expr.items():
            if key in ("$and", "$or") and (not isinstance(value, list) or not value):
                return False
            if not _no_empty_boolean(value):
                return False
    if isinstance(expr, list):
        return all(_no_empty_boolean(v) for v in expr)
    return True


def _keys(expr: Any) -> set[str]:
    if isinstance(expr, dict):
        return set(expr).union(*(_keys(v) for v in expr.values()))
    if isinstance(expr, list):
        return set().union(*(_keys(v) for v in expr)) if expr else set()
    return set()


def test_every_compiled_pattern_is_type_guarded_and_well_formed(library) -> None:
    by_service = {s: library.governing(s, None) for s in library.services if library.governing(s, None)}
    compiled = compile_ruleset(by_service, library.facts, library.digest, with_links=True)
    names = set(compiled.definition)
    assert "$done" in names and "$sink" in names
    count = 0
    for name, expr in _patterns(compiled.definition):
        count += 1
        assert _has_type_guard(expr), name
        assert _no_empty_boolean(expr), name
        assert "$ne" not in _keys(expr), name  # durable-rules knows $neq only
    assert count > 100
    for spec in compiled.definition.values():
        assert set(spec) <= {"all", "run", "pri"}


def test_more_sessions_than_durable_rules_holds_at_once(library) -> None:
    """1024 live sessions per ruleset crash durable-rules; every case's session is deleted."""
    loaded = load_case(CASES / "002_857e212f32d93aa1.yaml", library)
    first = evaluate(loaded, library)
    for _ in range(1100):
        again = evaluate(loaded, library)
    assert [d.outcome for d in again.determinations] == [d.outcome for d in first.determinations]


def test_two_rule_libraries_in_one_process(tmp_path: Path, library) -> None:
    """Ruleset names carry the library digest, so a second library never collides with the first."""
    other_root = tmp_path / "rules"
    shutil.copytree(RULES, other_root)
    rule = other_root / "low-back" / "odg-hardware-injection-block.yaml"
    rule.write_text(
        rule.read_text().replace(
            "value: true\n      met_text: pain persists", "value: false\n      met_text: pain persists"
        )
    )
    other = load_rules(other_root)
    assert other.digest != library.digest
    case = CASES / "002_857e212f32d93aa1.yaml"
    ours = evaluate(load_case(case, library), library).determinations[0]
    theirs = evaluate(load_case(case, other), other).determinations[0]
    assert ours.outcome == "Overturned"
    assert theirs.outcome == "Upheld"
    assert evaluate(load_case(case, library), library).determinations[0].outcome == "Overturned"


def test_same_item_facts_in_two_items_do_not_collide(library) -> None:
    """Identical facts would raise MessageObservedException; each item carries its own number."""
    items = [{"item": f"Labs {n}", "service": "preop_labs", "facts": {"primary_status": "certified"}} for n in range(3)]
    result = evaluate(make_case(library, items), library)
    assert [d.outcome for d in result.determinations] == ["Upheld"] * 3


def test_rulesets_beyond_the_cache_are_freed_and_rebuilt(library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each combination of services has its ruleset; past MAX_RULESETS the least recently used is freed."""
    from imr_rules import engine

    monkeypatch.setattr(engine, "MAX_RULESETS", 3)
    services = ["mri_lumbar", "hardware_block", "office_visit", "discectomy", "preop_labs"]
    cases = [
        make_case(library, [{"item": f"{a}+{b}", "service": a}, {"item": f"{b}+{a}", "service": b}])
        for a, b in itertools.pairwise(services)
    ]
    first = [[d.outcome for d in evaluate(c, library).determinations] for c in cases]
    for _ in range(3):
        again = [[d.outcome for d in evaluate(c, library).determinations] for c in cases]
        assert again == first
        assert len(engine._BY_KEY) <= 3
    assert engine.registered() == len(engine._BY_KEY)
