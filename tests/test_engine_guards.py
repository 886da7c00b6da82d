"""durable-rules' traps, guarded: session limit, type guards, no empty $and, two libraries at once."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

from imr_rules import evaluate, load_case, load_rules
from imr_rules.engine.compiler import compile_ruleset

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
        assert set(spec) <= {"all", "pri"}
    assert set(compiled.actions) == set(compiled.definition)


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
    from imr_rules.engine import runtime as engine

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


# -- the session driver's failure paths, on small hand-made rulesets run by the real C engine -------------------
def _tiny_ruleset(name: str, actions: dict[str, Any], patterns: dict[str, list[dict[str, Any]]]):  # type: ignore[no-untyped-def]
    from imr_rules.engine.compiler import CompiledRuleset, _Builder

    builder = _Builder({})
    builder.compile_guards()
    definition = {**{rule: {"all": p} for rule, p in patterns.items()}, **builder.definition}
    return CompiledRuleset(
        name=name,
        definition=definition,
        actions={**actions, **builder.actions},
        rules={},
        services={},
        nodes={},
        roots={},
        fact_names=[],
    )


def _derive(node: str, fact: dict[str, Any]):  # type: ignore[no-untyped-def]
    import json

    from imr_rules.engine.compiler import Firing

    def action(matched: dict[str, Any]):  # type: ignore[no-untyped-def]
        ((_alias, seen),) = matched.items()
        return Firing(node, seen["i"], "met"), json.dumps({**fact, "sid": seen["sid"]})

    return action


def test_an_action_that_raises_is_an_engine_error_and_its_session_is_freed() -> None:
    """durable's Host would store the error in the state; the driver raises it and deletes the session:
    1,100 failing cases in a row stay under durable's 1,024 live sessions, and the engine still works."""
    from imr_rules.engine import runtime as engine
    from imr_rules.errors import EngineError

    def boom(matched: dict[str, Any]):  # type: ignore[no-untyped-def]
        if matched["m"]["i"] == 13:
            raise ValueError("unlucky item")
        return _derive("ok", {"t": "seen", "i": matched["m"]["i"]})(matched)

    compiled = engine.ruleset(
        ("test", "raises"),
        lambda: _tiny_ruleset("imr_test_raises", {"r": boom}, {"r": [{"m": {"t": "x"}}]}),
    )
    for _ in range(1100):
        try:
            engine.run(compiled, [{"t": "x", "i": 13}])
        except EngineError as exc:
            assert "ValueError: unlucky item" in str(exc)
        else:
            raise AssertionError("the failing action did not raise")
    firings = engine.run(compiled, [{"t": "x", "i": 1}, {"t": "x", "i": 2}])
    assert sorted((f.node, f.item) for f in firings if f.node == "ok") == [("ok", 1), ("ok", 2)]


def test_a_derived_fact_durable_refuses_is_an_engine_error() -> None:
    """Two rules deriving the identical fact: the second is MessageObserved, reported, not silently lost."""
    from imr_rules.engine import runtime as engine
    from imr_rules.errors import EngineError

    same = {"t": "dup", "i": 0}
    compiled = engine.ruleset(
        ("test", "observed"),
        lambda: _tiny_ruleset(
            "imr_test_observed",
            {"a": _derive("a", same), "b": _derive("b", same)},
            {"a": [{"m": {"t": "x"}}], "b": [{"m": {"t": "x"}}]},
        ),
    )
    try:
        engine.run(compiled, [{"t": "x", "i": 0}])
    except EngineError as exc:
        assert "MessageObserved" in str(exc)
    else:
        raise AssertionError("a refused derived fact went unnoticed")


def test_a_refused_batch_frees_its_ruleset_and_the_next_case_registers_it_again() -> None:
    """Identical facts in one batch: durable refuses them before any action runs, so the session cannot be
    deleted safely; the driver frees the whole ruleset instead and registers it again on next use."""
    from imr_rules.engine import runtime as engine
    from imr_rules.errors import EngineError

    key = ("test", "refused")

    def build():  # type: ignore[no-untyped-def]
        return _tiny_ruleset("imr_test_refused", {"r": _derive("r", {"t": "y"})}, {"r": [{"m": {"t": "x"}}]})

    compiled = engine.ruleset(key, build)
    before = engine.registered()
    try:
        engine.run(compiled, [{"t": "x", "i": 5}, {"t": "x", "i": 5}])
    except EngineError as exc:
        assert "refused" in str(exc)
    else:
        raise AssertionError("durable accepted identical facts")
    assert engine.registered() == before - 1
    compiled = engine.ruleset(key, build)
    assert engine.registered() == before
    assert [f.node for f in engine.run(compiled, [{"t": "x", "i": 5}]) if f.node == "r"] == ["r"]


def test_firing_messages_read_as_json_reads_them() -> None:
    """The runtime parses firing messages with pydantic_core's parser; what it refuses (a lone surrogate
    escape) still reads as `json.loads` reads it (repr compared: -0.0 and 0.0 are equal)."""
    import json

    from imr_rules.engine.runtime import _parse

    for message in (
        '{"r#1": {"m": {"t": "item", "i": 0, "svc": "mri", "f_age": 61.5, "sid": "7"}}}',
        '{"r#1": {"m": {"f_big": 123456789012345678901234567890, "f_small": 1.5e-7}}}',
        '{"r#2": {"m": {"t": "item", "i": 1, "f_note": "caf\\u00e9 \\ud800", "sid": "8"}}}',
        '{"r#3": {"m": {"v": -0.0, "w": 1e400, "x": null, "y": [true, false]}}}',
    ):
        assert repr(_parse(message)) == repr(json.loads(message)), message
