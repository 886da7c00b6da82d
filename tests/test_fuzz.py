"""Fuzzing generated rule libraries and cases (issue 16): the engine agrees with the plain-Python oracle on
every item and criterion, and the CLI never crashes, hangs, prints a traceback or leaves a file behind.

Libraries use every fact type, operator and tree form, excluding and cross-cutting rules, services governed
by excluding rules only, editions, list members named like engine keys (`n`), facts named like another
list's member keys (`drug__opioid`), and values near the limits the loader enforces. Cases add same-case
dependencies, undocumented facts and (for the CLI) hostile scalars such as `012`, `1:30`, `"yes"` or `≥`.
Bounded in time: IMR_FUZZ_EXAMPLES raises the number of examples.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from imr_rules import ImrError, evaluate, load_rules
from imr_rules.reading.casefile import case_from_data

from .oracle import evaluate_case

EXAMPLES = int(os.environ.get("IMR_FUZZ_EXAMPLES", "0"))
COMMON = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
}
MEMBERS = ["n", "opioid", "low", "high", "x_1"]
DAYS = [dt.date(2004, 1, 1), dt.date(2008, 6, 1), dt.date(2012, 1, 1), dt.date(2016, 1, 1)]
HEAD = {"source": "ODG", "guideline": "G", "chapter": "C", "edition": "e", "confidence": "K"}
RATIONALE = {"summary": "s", "met": "m", "not_met": "n"}


@st.composite
def vocabularies(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    facts: dict[str, dict[str, Any]] = {
        "primary_status": {"type": "enum", "values": ["certified", "non_certified"], "scope": "item", "meaning": "m"}
    }
    for k in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["boolean", "integer", "number", "enum", "list", "date"]))
        fact: dict[str, Any] = {"type": kind, "meaning": "m", "scope": draw(st.sampled_from(["case", "item"]))}
        if kind in ("enum", "list"):
            fact["values"] = draw(st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=4, unique=True))
        facts[f"f{k}"] = fact
    if draw(st.booleans()):  # a list and a fact named like its member key (they collided in the engine)
        facts["drug"] = {"type": "list", "values": ["opioid", "n"], "meaning": "m"}
        facts["drug__opioid"] = {"type": "boolean", "meaning": "m"}
        facts["drug__n"] = {"type": "integer", "meaning": "m"}
    return facts


def _value(draw: st.DrawFn, fact: dict[str, Any]) -> Any:
    kind = fact["type"]
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "integer":
        return draw(st.integers(0, 6))
    if kind == "number":
        return draw(st.sampled_from([0, 1.5, 2, 2.5, 4]))
    if kind == "date":
        return draw(st.sampled_from(DAYS)).isoformat()
    return draw(st.sampled_from(fact["values"]))


@st.composite
def leaves(draw: st.DrawFn, facts: dict[str, dict[str, Any]], ident: str) -> dict[str, Any]:
    name = draw(st.sampled_from(sorted(facts)))
    fact = facts[name]
    kind = fact["type"]
    if kind == "list":
        return {
            "id": ident,
            "text": ident,
            "fact": name,
            "op": "contains",
            "value": draw(st.sampled_from(fact["values"])),
        }
    ops = ["==", "!="]
    if kind in ("integer", "number", "date"):
        ops += ["<", "<=", ">", ">="]
    if kind in ("integer", "enum"):
        ops += ["in", "not_in"]
    op = draw(st.sampled_from(ops))
    if op in ("in", "not_in"):
        pool = list(range(7)) if kind == "integer" else fact["values"]
        value: Any = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
    else:
        value = _value(draw, fact)
    return {"id": ident, "text": ident, "fact": name, "op": op, "value": value}


@st.composite
def trees(
    draw: st.DrawFn, facts: dict[str, dict[str, Any]], counter: itertools.count[int], depth: int = 0
) -> dict[str, Any]:
    ident = f"c{next(counter)}"
    kind = draw(st.sampled_from(["fact"] if depth >= 2 else ["fact", "fact", "all_of", "any_of", "at_least", "not"]))
    if kind == "fact":
        return draw(leaves(facts, ident))
    if kind == "not":
        return {"id": ident, "text": ident, "not": draw(trees(facts, counter, depth + 1))}
    children = [draw(trees(facts, counter, depth + 1)) for _ in range(draw(st.integers(1, 3)))]
    if kind == "at_least":
        return {"id": ident, "text": ident, "at_least": draw(st.integers(1, len(children))), "of": children}
    return {"id": ident, "text": ident, kind: children}


@st.composite
def libraries(draw: st.DrawFn) -> dict[str, Any]:
    facts = draw(vocabularies())
    services = [f"s{k}" for k in range(draw(st.integers(1, 3)))]
    rules = []
    counter = itertools.count()
    for r in range(draw(st.integers(1, 5))):
        effect = draw(st.sampled_from(["supports", "supports", "excludes"]))
        rule: dict[str, Any] = {"id": f"r{r}", "title": "t", **HEAD, "effect": effect}
        start = draw(st.sampled_from(DAYS[:3]))
        rule["effective"] = {"from": start.isoformat()}
        if draw(st.booleans()):
            rule["effective"]["to"] = draw(st.sampled_from([d for d in DAYS if d > start])).isoformat()
        if effect == "excludes" and draw(st.booleans()):
            rule["governs_every_service"] = True
        else:
            rule["governs"] = draw(st.lists(st.sampled_from(services), min_size=1, max_size=len(services), unique=True))
        rule["criteria"] = draw(trees(facts, counter))
        rule["rationale"] = RATIONALE
        rules.append(rule)
    return {"facts": facts, "services": services, "rules": rules}


@st.composite
def cases(draw: st.DrawFn, lib: dict[str, Any]) -> dict[str, Any]:
    facts = lib["facts"]

    def some(scope: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, fact in facts.items():
            if fact.get("scope", "case") == scope and name != "primary_status" and draw(st.booleans()):
                if fact["type"] == "list":
                    out[name] = draw(st.lists(st.sampled_from(fact["values"]), max_size=3, unique=True))
                else:
                    out[name] = _value(draw, fact)
        return out

    items: list[dict[str, Any]] = []
    for k in range(draw(st.integers(1, 4))):
        item: dict[str, Any] = {
            "item": f"item {k}",
            "service": draw(st.sampled_from([*lib["services"], None])),
            "facts": some("item"),
        }
        if k and draw(st.booleans()):
            item["primary"] = f"item {draw(st.integers(0, k - 1))}"
        elif draw(st.booleans()):
            item["facts"]["primary_status"] = draw(st.sampled_from(["certified", "non_certified"]))
        if item["service"] is None:
            del item["service"]
        items.append(item)
    case: dict[str, Any] = {"case": "fuzz", "facts": some("case"), "items": items}
    if draw(st.booleans()):
        case["dates"] = {"request": draw(st.sampled_from([*DAYS, dt.date(2010, 3, 3)])).isoformat()}
    return case


def write(root: Path, lib: dict[str, Any]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "facts.yaml").write_text(yaml.safe_dump({"facts": lib["facts"]}))
    (root / "services.yaml").write_text(yaml.safe_dump({"services": {s: {"label": s} for s in lib["services"]}}))
    for rule in lib["rules"]:
        (root / f"{rule['id']}.yaml").write_text(yaml.safe_dump(rule, sort_keys=False))
    return root


# -- the engine against the oracle ------------------------------------------------------------------------
@settings(max_examples=EXAMPLES or 150, **COMMON)  # type: ignore[arg-type]
@given(data=st.data())
def test_generated_libraries_agree_with_the_oracle(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    lib = data.draw(libraries())
    root = write(tmp_path_factory.mktemp("lib"), lib)
    library = load_rules(root)  # every generated library is valid: a refusal here is a bug
    for _ in range(3):
        raw = data.draw(cases(lib))
        try:
            loaded = case_from_data(raw, library)
        except ImrError:
            continue  # a dependency cycle or the like, refused as it should be
        engine = evaluate(loaded, library).determinations
        oracle = evaluate_case(loaded.case, library)
        for det, ref in zip(engine, oracle, strict=True):
            assert det.outcome == ref.outcome, (det.item, det.reason, ref.reason)
            if det.outcome != "Undetermined":
                assert {c.id: c.status for c in det.criteria} == ref.statuses, det.item


# -- the CLI never crashes --------------------------------------------------------------------------------
HOSTILE = ["012", "1:30", "0x1f", '"yes"', "yes", "1e400", "-0", ".nan", "≥ 3", "~", "[]", "{}", "2010-13-45", "'08'"]


@settings(max_examples=EXAMPLES or 5, **COMMON)  # type: ignore[arg-type]
@given(data=st.data())
def test_the_cli_never_crashes_on_generated_inputs(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    lib = data.draw(libraries())
    base = tmp_path_factory.mktemp("cli")
    root = write(base / "rules", lib)
    case_text = yaml.safe_dump(data.draw(cases(lib)), allow_unicode=True, sort_keys=False)
    if data.draw(st.booleans()):  # a hostile scalar in place of one value
        lines = case_text.splitlines()
        at = data.draw(st.sampled_from([i for i, line in enumerate(lines) if ": " in line] or [0]))
        key = lines[at].split(": ")[0] if ": " in lines[at] else "case"
        lines[at] = f"{key}: {data.draw(st.sampled_from(HOSTILE))}"
        case_text = "\n".join(lines) + "\n"
    inputs = base / "in"
    inputs.mkdir()
    (inputs / "case.yaml").write_text(case_text, encoding="utf-8")
    out = base / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONIOENCODING": data.draw(st.sampled_from(["utf-8", "cp1252", "ascii"]))}
    runs = [
        ["lint", str(root)],
        ["evaluate", "--rules", str(root), str(inputs / "case.yaml"), "--format", "json", "-o", str(out / "one.json")],
        [
            "evaluate",
            "--rules",
            str(root),
            str(inputs),
            "--jobs",
            "2",
            "--format",
            "jsonl",
            "-o",
            str(out / "many.jsonl"),
        ],
        ["check", "--rules", str(root), str(inputs / "case.yaml"), "-o", str(out / "check.txt")],
    ]
    for args in runs:
        run = subprocess.run(
            [sys.executable, "-m", "imr_rules.cli", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            errors="replace",
        )
        assert run.returncode in (0, 1, 2), (args, run.returncode, run.stderr[-1000:])  # negative: a signal death
        assert "Traceback" not in run.stderr, (args, run.stderr[-1000:])
        written = args[-1] if "-o" in args else None
        leftovers = [p.name for p in out.iterdir() if written is None or p.name != Path(written).name]
        assert all(not name.startswith(".") for name in leftovers), leftovers  # no temporary file left
        if written is not None and run.returncode == 2 and args[0] == "evaluate" and "--jobs" not in args:
            assert not Path(written).exists()  # a refused single case writes nothing
    assume(True)
