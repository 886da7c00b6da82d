"""What-if prototypes for the ruleset layout (issue 6): measured here, not implemented in the package.

Today a case is compiled into one ruleset per combination of (services, rules in force, links), and
every new combination registers a new durable-rules ruleset (~2 MB, never freed). Two alternatives,
built only from the package's public pieces (route, compile_ruleset, engine.run, explain):

* `epoch`: one ruleset per set of rules in force (all services at once): few rulesets;
* `service`: one ruleset per (service, rules in force); a case runs one session per service and wave of
  dependencies, and a dependent item gets its primary's decision as `primary_status` between sessions
  (the link moves from the engine to Python; every status and decision still comes from the engine).

Both must give determinations identical to `imr_rules.evaluate` on every generated case.

    python -m bench.whatif --n 1000          # identical? rulesets, first pass, warm us/case (median of 5)
    python -m bench.whatif --n 10000 --memory service
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import CaseGenerator  # noqa: E402
from bench.run import pin_one_core, rss_mb  # noqa: E402
from imr_rules import evaluate, load_rules  # noqa: E402
from imr_rules.casefile import LoadedCase, case_from_data  # noqa: E402
from imr_rules.compiler import CompiledRuleset, compile_ruleset, fact_key  # noqa: E402
from imr_rules.library import RuleLibrary  # noqa: E402
from imr_rules.models import Determination  # noqa: E402

EV: Any = sys.modules["imr_rules.evaluate"]
ENGINE: Any = sys.modules["imr_rules.engine"]
_CACHE: dict[Any, CompiledRuleset] = {}


def _registered(key: Any, by_service: dict[str, Any], library: RuleLibrary, with_links: bool) -> CompiledRuleset:
    compiled = _CACHE.get(key)
    if compiled is None:
        compiled = ENGINE.register(compile_ruleset(by_service, library.facts, library.digest, with_links=with_links))
        _CACHE[key] = compiled
    return compiled


def epoch(loaded: LoadedCase, library: RuleLibrary) -> list[Determination]:
    """evaluate() with one ruleset holding every service's rules in force on the case date."""
    day = loaded.case.dates.case_date()
    by_service = {s: rules for s in library.services if (rules := library.governing(s, day))}
    key = ("epoch", tuple((s, tuple(r.id for r in rs)) for s, rs in sorted(by_service.items())))
    compiled = _registered(key, by_service, library, with_links=True)
    original = EV.compiled_for
    EV.compiled_for = lambda routing, lib: compiled
    try:
        return list(evaluate(loaded, library).determinations)
    finally:
        EV.compiled_for = original


def per_service(loaded: LoadedCase, library: RuleLibrary) -> list[Determination]:
    """One session per service and dependency wave; a primary's decision becomes its dependents' fact."""
    case = loaded.case
    routing = EV.route(case, library)
    statuses: dict[tuple[str, int], str] = {}
    decided: dict[int, str | None] = {}
    compiled_of: dict[int, CompiledRuleset] = {}
    todo = [i for i in range(len(case.items)) if i not in routing.unrouted]
    while todo:
        ready = [i for i in todo if routing.primary_index.get(i) is None or routing.primary_index[i] in decided]
        ready += [i for i in todo if routing.primary_index.get(i) in routing.unrouted and i not in ready]
        if not ready:
            break
        todo = [i for i in todo if i not in ready]
        waves: dict[str, list[int]] = {}
        for i in ready:
            primary = routing.primary_index.get(i)
            if primary is not None and decided.get(primary) is None:
                decided[i] = None  # its primary is undetermined
                continue
            waves.setdefault(case.items[i].service or "", []).append(i)
        for service, indices in waves.items():
            rules = routing.rules_by_service[service]
            key = ("service", service, tuple(r.id for r in rules))
            by_service = {service: rules}
            compiled = _registered(key, by_service, library, with_links=False)
            others = {j: "" for j in range(len(case.items)) if j not in indices}
            facts = EV.engine_facts(case, library, EV.Routing(by_service, others, {}), compiled)
            for fact in facts:
                primary = routing.primary_index.get(fact["i"])
                if primary is not None:
                    status = "certified" if decided[primary] == "met" else "non_certified"
                    fact[fact_key("primary_status")] = status
            for firing in ENGINE.run(compiled, facts):
                statuses[(firing.node, firing.item)] = firing.status
            for i in indices:
                decided[i] = statuses.get((f"decision/{service}", i))
                compiled_of[i] = compiled
    out = []
    for i, item in enumerate(case.items):
        if i in routing.unrouted:
            out.append(EV.undetermined(item, routing.unrouted[i]))
            continue
        decision = decided.get(i)
        if decision is None:
            primary_name = case.items[routing.primary_index[i]].item if i in routing.primary_index else None
            reason = (
                f"its primary procedure '{primary_name}' is undetermined"
                if primary_name
                else "the engine derived no decision for the item"
            )
            out.append(EV.undetermined(item, reason))
            continue
        governing = routing.rules_by_service[item.service]
        out.append(EV.determination(case, item, i, decision, governing, compiled_of[i], statuses, library))
    return out


def today(loaded: LoadedCase, library: RuleLibrary) -> list[Determination]:
    return list(evaluate(loaded, library).determinations)


LAYOUTS: dict[str, Callable[[LoadedCase, RuleLibrary], list[Determination]]] = {
    "per-combination (today)": today,
    "epoch": epoch,
    "service": per_service,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory", choices=sorted(LAYOUTS), help="only: RSS and rulesets over --n new cases")
    args = parser.parse_args()
    pin_one_core()
    library = load_rules(ROOT / "rules")
    generator = CaseGenerator(library, args.seed)
    if args.memory:
        layout = LAYOUTS[args.memory]
        for n in range(1, args.n + 1):
            layout(case_from_data(generator.case(n), library), library)
            if n in (1_000, 10_000, 100_000, args.n):
                rulesets = ENGINE.registered()
                print(f"{args.memory}: {n:,} cases, {rulesets} rulesets, RSS {rss_mb()[0]:,.0f} MB", flush=True)
        return
    loaded = [case_from_data(c, library) for c in generator.cases(args.n)]
    reference = None
    times: dict[str, list[float]] = {name: [] for name in LAYOUTS}
    print("| layout | identical to evaluate() | rulesets | first pass us/case | warm us/case (median; runs) |")
    print("|---|---|---:|---:|---|")
    rows = {}
    for name, layout in LAYOUTS.items():
        before = ENGINE.registered()
        start = time.perf_counter()
        result = [[d.model_dump() for d in layout(lc, library)] for lc in loaded]
        first = (time.perf_counter() - start) / args.n * 1e6
        reference = reference or result
        rows[name] = (result == reference, ENGINE.registered() - before, first)
    for _ in range(args.runs):  # alternate, so load from other processes hits every layout alike
        for name, layout in LAYOUTS.items():
            start = time.perf_counter()
            for lc in loaded:
                layout(lc, library)
            times[name].append((time.perf_counter() - start) / args.n * 1e6)
    for name, (same, rulesets, first) in rows.items():
        runs = ", ".join(f"{t:,.0f}" for t in times[name])
        print(f"| {name} | {same} | {rulesets} | {first:,.0f} | {statistics.median(times[name]):,.0f} ({runs}) |")


if __name__ == "__main__":
    main()
