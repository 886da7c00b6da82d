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
from .compiler import PRIMARY_STATUS_FACT, CompiledRuleset, compile_ruleset, encode_fact
from .explain import derived_primary_status, determination, undetermined
from .library import RuleLibrary
from .models import Case, Evaluation, Provenance, Rule


@dataclass(frozen=True)
class Routing:
    """Which rules govern which of the case's services, and why some items cannot be decided."""

    rules_by_service: dict[str, list[Rule]]
    unrouted: dict[int, str]  # item index -> reason it is Undetermined before the engine runs
    primary_index: dict[int, int]  # dependent item index -> index of its primary item
    groups: list[list[int]]  # sessions in order: items of one service, dependents after their primaries


def _groups(case: Case, routed: list[int], primary_index: dict[int, int]) -> list[list[int]]:
    """Sessions in order: items by service, a dependent item one stage after its primary.

    A stage's session gets the ruleset of one service, so the rulesets in use are one per service (and
    per service with dependency links), whatever the combination of services in a case. A dependent
    item's session receives its primary's decision fact from the earlier stage; the engine's link rules
    turn it into the item's primary_status.
    """
    routed_set = set(routed)

    def stage(i: int, seen: frozenset[int] = frozenset()) -> int:
        primary = primary_index.get(i)
        if primary is None or primary not in routed_set or primary in seen:
            return 0
        return 1 + stage(primary, seen | {i})

    groups: dict[tuple[int, str | None, bool], list[int]] = {}
    for i in routed:
        key = (stage(i), case.items[i].service, i in primary_index)
        groups.setdefault(key, []).append(i)
    return [groups[k] for k in sorted(groups, key=lambda k: (k[0], k[1] or "", k[2]))]


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
        # a primary_status stated for the item (as `check` does with the letter's own decision) wins over
        # the link: the engine then reads it like any documented fact
        if item.primary is not None and item.primary in names and PRIMARY_STATUS_FACT not in item.facts:
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
    keys = compiled.keys
    shared: dict[str, Any] = {}
    for name, value in case.facts.items():
        if name in wanted:
            shared.update(encode_fact(name, library.facts[name], value.value, keys))
    out: list[dict[str, Any]] = []
    for i in items:
        item = case.items[i]
        fact: dict[str, Any] = {"t": "item", "i": i, "svc": item.service, **shared}
        for name, item_value in item.facts.items():
            if name in wanted:
                fact.update(encode_fact(name, library.facts[name], item_value.value, keys))
        if i in routing.primary_index:
            fact["t"] = "pending"
            fact["p"] = routing.primary_index[i]
        out.append(fact)
    return out


def primary_decisions(
    case: Case, routing: Routing, group: list[int], statuses: dict[tuple[str, int], str]
) -> list[dict[str, Any]]:
    """The decisions an earlier stage derived for this group's primaries, as the engine asserted them."""
    out: dict[int, dict[str, Any]] = {}
    for i in group:
        primary = routing.primary_index.get(i)
        if primary is None or primary in out:
            continue
        service = case.items[primary].service
        decided = statuses.get((f"decision/{service}", primary))
        if decided is not None:  # an undetermined primary leaves its dependents pending
            out[primary] = {"t": "decision", "i": primary, "v": decided, "svc": service}
    return list(out.values())


# durable-rules files each fact of a session under a 32-bit hash of its id, and refuses a fact whose hash
# another fact of the session already has (MessageObserved): a birthday bound, met by about 3,000 items of
# one service in one session (measured). A session is kept to this many facts (items x (nodes + 2)), which
# makes a collision about a 1-in-2,000 event per session; the engine retries one with a fresh session id.
MAX_SESSION_FACTS = 2048


def _sessions(group: list[int], compiled: CompiledRuleset) -> list[list[int]]:
    """A stage's items split into sessions of bounded size (items of one stage are independent)."""
    size = max(1, MAX_SESSION_FACTS // (len(compiled.nodes) + 2))
    return [group[k : k + size] for k in range(0, len(group), size)]


@dataclass(frozen=True)
class Derived:
    """What the engine derived for a case: every (node, item) status, and the ruleset each item ran in."""

    routing: Routing
    statuses: dict[tuple[str, int], str]
    compiled_of: dict[int, CompiledRuleset]


def derive(case: Case, library: RuleLibrary) -> Derived:
    """Run a case through durable-rules, stage by stage; no explanation (the benchmark times this alone)."""
    routing = route(case, library)
    statuses: dict[tuple[str, int], str] = {}
    compiled_of: dict[int, CompiledRuleset] = {}
    for group in routing.groups:
        services = {case.items[i].service for i in group}
        by_service = {s: rs for s, rs in routing.rules_by_service.items() if s in services}
        with_links = any(i in routing.primary_index for i in group)
        compiled = compiled_for(by_service, with_links, library)
        for part in _sessions(group, compiled):
            facts = engine_facts(case, library, routing, compiled, part)
            facts += primary_decisions(case, routing, part, statuses)
            for firing in engine.run(compiled, facts):
                statuses[(firing.node, firing.item)] = firing.status
        compiled_of.update((i, compiled) for i in group)
    return Derived(routing, statuses, compiled_of)


def evaluate(loaded: LoadedCase, library: RuleLibrary) -> Evaluation:
    """Determinations for every item of a case, each explained."""
    case = loaded.case
    derived = derive(case, library)
    routing, statuses, compiled_of = derived.routing, derived.statuses, derived.compiled_of
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
        derived_facts = {}
        link = statuses.get(("link", i))
        if link is not None and i in routing.primary_index:
            derived_facts[PRIMARY_STATUS_FACT] = derived_primary_status(case.items[routing.primary_index[i]], link)
        determinations.append(
            determination(case, item, i, decision, governing, compiled_of[i], statuses, derived_facts)
        )
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
