"""Where the engine path's time goes on the bundled cases, against the plain-Python oracle (issue 19 (c)).

    python bench/engine_account.py [--passes 200]

In this process (pinned to one core where possible), over the 5 bundled cases (`cases/`), warm: the CPU
time per case of `evaluate` (with explanations), `derive` (without) and the oracle (`tests/oracle.py`);
inside `derive`, the time of each durable-rules C call (timed by wrapping the C module's functions, ~0.3 us
of overhead a call) and of the rest of `engine.run` (the firing messages parsed, the compiled actions, the
batch encoded); the sessions, firings by kind and derived facts per case. Prints Markdown for
bench/RESULTS.md. The figures are CPU times on a shared machine: read ratios taken in one run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import ENGINE, EVALUATE, firing_kind  # noqa: E402
from imr_rules import evaluate, load_rules  # noqa: E402
from imr_rules.reading.casefile import load_case  # noqa: E402
from tests.oracle import evaluate_case  # noqa: E402

C_CALLS = ("assert_facts", "start_action_for_state", "assert_fact", "complete_and_start_action", "delete_state")


def _best(job: Any, passes: int, repeat: int = 3) -> float:
    """The best of `repeat` CPU times of `passes` calls of `job`, in seconds per call."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(passes):
            job()
        best = min(best, (time.process_time() - start) / passes)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=200, help="passes over the bundled cases per timing")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    library = load_rules(ROOT / "rules")
    loaded = [load_case(p, library) for p in sorted((ROOT / "cases").glob("*.yaml"))]
    cases = len(loaded)
    items = sum(len(lc.case.items) for lc in loaded)
    for lc in loaded:  # warm: rulesets compiled and registered
        evaluate(lc, library)

    full = _best(lambda: [evaluate(lc, library) for lc in loaded], args.passes) / cases
    derive = _best(lambda: [EVALUATE.derive(lc.case, library) for lc in loaded], args.passes) / cases
    oracle = _best(lambda: [evaluate_case(lc.case, library) for lc in loaded], args.passes) / cases

    # inside derive: each C call timed, and engine.run as a whole; sessions, firings and derived facts counted
    durable = ENGINE._durable()
    spent: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    originals = {name: getattr(durable, name) for name in C_CALLS}

    def timed(name: str) -> Any:
        real = originals[name]

        def call(*a: Any) -> Any:
            start = time.process_time()
            try:
                return real(*a)
            finally:
                spent[name] += time.process_time() - start
                calls[name] += 1

        return call

    run = ENGINE.run
    kinds: Counter[str] = Counter()
    facts_in = 0

    def counted_run(compiled: Any, facts: list[dict[str, Any]]) -> Any:
        nonlocal facts_in
        start = time.process_time()
        firings = run(compiled, facts)
        spent["engine.run"] += time.process_time() - start
        calls["engine.run"] += 1
        facts_in += len(facts)
        kinds.update(firing_kind(compiled, f.node) for f in firings)
        return firings

    passes = max(1, args.passes // 4)
    for name in C_CALLS:
        setattr(durable, name, timed(name))
    ENGINE.run = counted_run
    try:
        start = time.process_time()
        for _ in range(passes):
            for lc in loaded:
                EVALUATE.derive(lc.case, library)
        instrumented = (time.process_time() - start) / passes / cases
    finally:
        ENGINE.run = run
        for name, real in originals.items():
            setattr(durable, name, real)

    # what a probe itself costs: the same wrapper around a C function that does nothing much
    originals["noop"] = abs
    noop = timed("noop")
    probe = _best(lambda: [noop(1) for _ in range(1000)], 20) / 1000
    spent["noop"] = 0.0
    per = passes * cases
    for name in C_CALLS:  # each timed call less a probe's own cost
        spent[name] -= calls[name] * probe
    c_total = sum(spent[n] for n in C_CALLS) / per
    run_total = spent["engine.run"] / per
    firings = sum(kinds.values()) / per
    print(f"Bundled cases: {cases} cases, {items} items ({items / cases:.1f} per case); best of 3 x {args.passes}")
    print(f"passes; a probe's own cost ({probe * 1e6:.2f} us a call) is taken off each timed C call\n")
    print("| per case (CPU) | us | x oracle |")
    print("|---|---:|---:|")
    for label, value in (
        ("`evaluate` (with explanations)", full),
        ("`derive` (without)", derive),
        ("explanations (`evaluate` - `derive`)", full - derive),
        ("the plain-Python oracle", oracle),
    ):
        print(f"| {label} | {value * 1e6:,.0f} | {value / oracle:.1f} |")
    print(f"\nInside `derive` (instrumented pass: {instrumented * 1e6:,.0f} us a case, probes included):\n")
    print("| part of `derive`, per case | us | calls per case |")
    print("|---|---:|---:|")
    for name in C_CALLS:
        print(f"| durable-rules C `{name}` | {spent[name] / per * 1e6:,.0f} | {calls[name] / per:.1f} |")
    print(f"| **durable-rules C, all calls** | **{c_total * 1e6:,.0f}** | |")
    python = (run_total - c_total) * 1e6
    print(f"| `engine.run` less its C calls (batch JSON, messages parsed, actions) | {python:,.0f} | |")
    rest = instrumented - run_total
    print(f"| `derive` outside `engine.run` (routing, compiled lookups, fact encoding) | {rest * 1e6:,.0f} | |")
    print(f"\nSessions per case {calls['engine.run'] / per:.1f}; facts asserted per case {facts_in / per:.1f};")
    print(f"firings per case {firings:.1f}:\n")
    print("| firings | per case | share |")
    print("|---|---:|---:|")
    for kind, n in kinds.most_common():
        print(f"| {kind} | {n / per:.1f} | {n / sum(kinds.values()):.0%} |")


if __name__ == "__main__":
    main()
