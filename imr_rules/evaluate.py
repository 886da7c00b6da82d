"""Evaluate a case: route its items to the rules that govern them, run durable-rules, collect results.

Routing happens here (which rules are in force on the case's date and govern the case's services);
every status and decision comes from the engine. Explanation (`imr_rules.explain`) then turns the
derived statuses into determinations with criteria, evidence, citations and a rationale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import __version__, engine
from .casefile import LoadedCase
from .compiler import CompiledRuleset, compile_ruleset, encode_fact
from .explain import determination, undetermined
from .library import RuleLibrary
from .models import Case, Evaluation, Provenance, Rule


@dataclass(frozen=True)
class Routing:
    """Which rules govern which of the case's services, and why some items cannot be decided."""

    rules_by_service: dict[str, list[Rule]]
    unrouted: dict[int, str]  # item index -> reason it is Undetermined before the engine runs
    primary_index: dict[int, int]  # dependent item index -> index of its primary item
    groups: list[list[int]]  # items evaluated in one session: a primary with its dependents, or one service


def _groups(case: Case, routed: list[int], primary_index: dict[int, int]) -> list[list[int]]:
    """Items that must share a session (chained through their primaries), else grouped by service.

    Each group gets the ruleset of its own services, so the rulesets in use are those of single services
    and of procedures with their associated services, not one per combination of a case's services.
    """
    parent = {i: i for i in routed}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for dependent, primary in primary_index.items():
        if primary in parent:
            parent[root(dependent)] = root(primary)
    members: dict[int, list[int]] = {}
    for i in routed:
        members.setdefault(root(i), []).append(i)
    groups: dict[Any, list[int]] = {}
    for component in members.values():
        chained = len(component) > 1 or component[0] in primary_index
        key: Any = ("chain", component[0]) if chained else ("service", case.items[component[0]].service)
        groups.setdefault(key, []).extend(component)
    return [sorted(g) for g in groups.values()]


def route(case: Case, library: RuleLibrary) -> Routing:
    day = case.dates.case_date()
    names = {item.item: i for i, item in enumerate(case.items)}
    rules_by_service: dict[str, list[Rule]] = {}
    unrouted: dict[int, str] = {}
    primary_index: dict[int, int] = {}
    for i, item in enumerate(case.items):
        if item.service is None:
            unrouted[i] = "the item is not classified as a service the rules know"
            continue
        governing = library.governing(item.service, day)
        if not governing:
            when = f" in force on {day.isoformat()}" if day else ""
            unrouted[i] = f"no rule{when} governs the service '{item.service}'"
            continue
        rules_by_service[item.service] = governing
        if item.primary is not None and item.primary in names:
            primary_index[i] = names[item.primary]
    routed = [i for i in range(len(case.items)) if i not in unrouted]
    return Routing(rules_by_service, unrouted, primary_index, _groups(case, routed, primary_index))


def compiled_for(rules_by_service: dict[str, list[Rule]], with_links: bool, library: RuleLibrary) -> CompiledRuleset:
    """The ruleset for these services' rules, compiled and registered once (until evicted).

    Looked up by the routing before compiling: compiling costs about as much as evaluating a case.
    """
    rules = tuple((s, tuple(r.id for r in rs)) for s, rs in sorted(rules_by_service.items()))
    return engine.ruleset(
        (library.digest, rules, with_links),
        lambda: compile_ruleset(rules_by_service, library.facts, library.digest, with_links=with_links),
    )


def engine_facts(
    case: Case, library: RuleLibrary, routing: Routing, compiled: CompiledRuleset, items: list[int]
) -> list[dict[str, Any]]:
    """One fact per item of the group, carrying the case and item facts the compiled rules read."""
    wanted = set(compiled.fact_names)
    shared: dict[str, Any] = {}
    for name, value in case.facts.items():
        if name in wanted:
            shared.update(encode_fact(name, library.facts[name], value.value))
    out: list[dict[str, Any]] = []
    for i in items:
        item = case.items[i]
        fact: dict[str, Any] = {"t": "item", "i": i, "svc": item.service, **shared}
        for name, item_value in item.facts.items():
            if name in wanted:
                fact.update(encode_fact(name, library.facts[name], item_value.value))
        if i in routing.primary_index:
            fact["t"] = "pending"
            fact["p"] = routing.primary_index[i]
        out.append(fact)
    return out


def evaluate(loaded: LoadedCase, library: RuleLibrary) -> Evaluation:
    """Determinations for every item of a case, each explained."""
    case = loaded.case
    routing = route(case, library)
    statuses: dict[tuple[str, int], str] = {}
    compiled_of: dict[int, CompiledRuleset] = {}
    for group in routing.groups:
        services = {case.items[i].service for i in group}
        by_service = {s: rs for s, rs in routing.rules_by_service.items() if s in services}
        with_links = any(i in routing.primary_index for i in group)
        compiled = compiled_for(by_service, with_links, library)
        for firing in engine.run(compiled, engine_facts(case, library, routing, compiled, group)):
            statuses[(firing.node, firing.item)] = firing.status
        compiled_of.update((i, compiled) for i in group)
    determinations = []
    in_force: set[str] = set()
    for i, item in enumerate(case.items):
        if i in routing.unrouted:
            determinations.append(undetermined(item, routing.unrouted[i]))
            continue
        assert item.service is not None
        decision = statuses.get((f"decision/{item.service}", i))
        governing = routing.rules_by_service[item.service]
        in_force.update(r.id for r in governing)
        if decision is None:
            primary = case.items[routing.primary_index[i]].item if i in routing.primary_index else None
            reason = (
                f"its primary procedure '{primary}' is undetermined"
                if primary
                else "the engine derived no decision for the item"
            )
            determinations.append(undetermined(item, reason))
            continue
        determinations.append(determination(case, item, i, decision, governing, compiled_of[i], statuses, library))
    return Evaluation(
        case=case.case,
        source=loaded.path,
        determinations=determinations,
        provenance=Provenance(
            imr_rules_version=__version__,
            rules_digest=library.digest,
            case_digest=loaded.digest,
            case_date=case.dates.case_date(),
            rules_in_force=sorted(in_force),
        ),
    )
