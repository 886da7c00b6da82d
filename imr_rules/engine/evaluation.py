"""Evaluate a case: route its items to the rules that govern them, run durable-rules, collect results.

Routing happens here (which rules are in force on the case's date and govern the case's services);
every status and decision comes from the engine. Explanation (`imr_rules.engine.explain`) then turns the
derived statuses into determinations with criteria, evidence, citations and a rationale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imr_rules import __version__
from imr_rules.engine import runtime
from imr_rules.engine.compiler import PRIMARY_STATUS_FACT, CompiledRuleset, compile_ruleset, encode_fact
from imr_rules.engine.explain import derived_primary_status, determination, undetermined
from imr_rules.library.loading import RuleLibrary
from imr_rules.models import Case, Evaluation, Provenance, Rule
from imr_rules.reading.casefile import LoadedCase


@dataclass(frozen=True)
class Routing:
    """Which rules govern which of the case's items, and why some items cannot be decided."""

    rules_by_item: dict[int, list[Rule]]  # item index -> the rules governing it
    unrouted: dict[int, str]  # item index -> reason it is Undetermined before the engine runs
    primary_index: dict[int, int]  # dependent item index -> index of its primary item
    groups: list[list[int]]  # sessions in order: items of one service and rule set, dependents after primaries
    basis: dict[int, str]  # item index -> which guideline governs it and why, when its phase chose it


# treated_regions names the spine by its everyday name; body regions name it by its segment
TREATED_REGION = {"low_back": "lumbar", "neck": "cervical"}
# primary procedures whose kind names the region; a discectomy, laminectomy or fusion may be lumbar or
# cervical, so it names none (the item's body_region, or its primary item's service, must say which)
PROCEDURE_REGION = {
    "shoulder_arthroscopy": "shoulder",
    "knee_arthroscopy": "knee",
    "knee_arthroplasty": "knee",
    "acl_reconstruction": "knee",
    "hip_arthroplasty": "hip",
    "epicondylitis_release": "elbow",
    "carpal_tunnel_release": "wrist_hand",
}


ROUTING_FACTS = frozenset({"body_region", "treated_regions", "primary_procedure", "postsurgical_period", "acute_phase"})
"""Facts the routing reads to choose an item's rules (region, procedure, postsurgical period, phase),
whether or not a criterion tests them: lint counts them as used."""


def item_regions(case: Case, index: int, library: RuleLibrary, names: dict[str, int]) -> frozenset[str]:
    """The body regions an item concerns: its service's region, else its body_region fact, else its
    treated_regions fact, else (a dependent service) its primary item's region; empty when unknown."""
    item = case.items[index]
    service = library.services.get(item.service or "")
    if service is not None and service.region is not None:
        return frozenset({service.region})
    stated = item.facts.get("body_region")
    if stated is not None and isinstance(stated.value, str):
        return frozenset({stated.value})
    treated = item.facts.get("treated_regions")
    if treated is not None and isinstance(treated.value, list) and treated.value:
        return frozenset(TREATED_REGION.get(str(v), str(v)) for v in treated.value)
    primary = names.get(item.primary) if item.primary is not None else None
    if primary is not None and primary != index:
        return item_regions(case, primary, library, {})
    procedure = item.facts.get("primary_procedure")
    if procedure is not None and str(procedure.value) in PROCEDURE_REGION:
        return frozenset({PROCEDURE_REGION[str(procedure.value)]})
    return frozenset()


def _item_postsurgical(case: Case, index: int, library: RuleLibrary) -> bool:
    item = case.items[index]
    service = library.services.get(item.service or "")
    stated = item.facts.get("postsurgical_period")
    return (service is not None and service.postsurgical) or (stated is not None and stated.value is True)


def case_phase(case: Case) -> str | None:
    """The phase of the case's complaint from its acute_phase fact (a case fact): "acute" (under three
    months), "chronic" (three months or more), or None when neither the dates nor the words tell it."""
    stated = case.facts.get("acute_phase")
    if stated is None or not isinstance(stated.value, bool):
        return None
    return "acute" if stated.value else "chronic"


def _applies(rule: Rule, regions: frozenset[str], procedure: object, postsurgical: bool, phase: str | None) -> bool:
    """Whether a rule's source covers the item: its regions, its procedures, its postsurgical period and
    its phase (a phase-scoped rule never covers an item whose phase is not documented)."""
    if rule.regions is not None and (not regions or not regions & set(rule.regions)):
        return False
    if rule.procedures is not None and procedure not in rule.procedures:
        return False
    if rule.phase is not None and rule.phase != phase:
        return False
    return rule.postsurgical is None or rule.postsurgical == postsurgical


def _regions_covered(governing: list[Rule], regions: frozenset[str]) -> list[Rule]:
    """The governing rules, or none when an item of several regions has one its supporting rules do not
    cover. A request for several regions ("chiropractic care for the neck and low back") is judged region by
    region: each region by the rules its source covers, all of which must be met; a region no encoded
    guideline covers leaves the whole item Undetermined (another region's numbers never decide it)."""
    covered: set[str] = set()
    for rule in governing:
        if rule.effect == "supports":
            covered |= regions if rule.regions is None else set(rule.regions)
    return governing if regions <= covered else []


def _scoped(rule: Rule) -> bool:
    return (
        rule.regions is not None
        or rule.procedures is not None
        or rule.postsurgical is not None
        or rule.phase is not None
    )


# what each phase's sources cover, as 8 CCR 9792.20 and the guidelines' own scope put it
_PHASE_COVERS = {
    "chronic": "chronic pain (three months or more: 8 CCR 9792.20; the CPMTG's Introduction)",
    "acute": "the acute and subacute period (under three months)",
}
_ORDER = (
    "8 CCR 9792.21.1: the MTUS is presumptively correct; where it does not address the condition or phase, "
    "ACOEM 2004 in the MTUS, then other evidence-based guidelines (ODG)"
)


def _guideline_name(rule: Rule, with_section: bool = False) -> str:
    """The rule's guideline as the phase basis names it; `with_section` adds its section, for one
    guideline whose sections cover different phases (the Opioid guideline's acute and chronic sections)."""
    name = ("MTUS " if rule.source == "MTUS" else "") + rule.guideline
    name = f"{name} ({rule.chapter})" if rule.chapter else name
    return f"{name}, {rule.section}" if with_section and rule.section else name


def phase_state(case: Case, phase: str | None) -> str:
    """The item's phase as a reader checks it: the phase with the dates (or words) it was read from."""
    if phase is None:
        return "phase not documented (neither the injury and request dates nor the records' words tell it)"
    stated = case.facts.get("acute_phase")
    dates = case.dates
    asked = dates.request or dates.ur_decision
    if stated is not None and stated.inferred and dates.injury is not None and asked is not None:
        which = "request" if dates.request else "UR decision"
        return (
            f"{phase} phase (injury {dates.injury.isoformat()}, {(asked - dates.injury).days} days before the "
            f"{which} of {asked.isoformat()})"
        )
    return f"{phase} phase (as the records state it)"


def _phase_basis(case: Case, phase: str | None, in_force: list[Rule], governing: list[Rule]) -> str | None:
    """Which guideline governs the item and why, when a rule in force for its service is phase-scoped."""
    phased = [r for r in in_force if r.phase is not None]
    if not phased:
        return None
    state = phase_state(case, phase)
    if phase is None:
        names = ", ".join(sorted({_guideline_name(r) for r in phased}))
        return f"{state}: {names} cover(s) one phase only, so the phase decides which applies"
    aside_rules = [r for r in phased if r.phase != phase]
    used_rules = [r for r in governing if r.effect == "supports"]
    # one guideline on both sides (sections for each phase): name the sections, or it reads as a contradiction
    both = {_guideline_name(r) for r in aside_rules} & {_guideline_name(r) for r in used_rules}
    aside = sorted({_guideline_name(r, _guideline_name(r) in both) for r in aside_rules})
    used = sorted({_guideline_name(r, _guideline_name(r) in both) for r in used_rules})
    said = []
    if aside:
        other = "acute" if phase == "chronic" else "chronic"
        said.append(f"the {', '.join(aside)} cover(s) {_PHASE_COVERS[other]} only")
    if used and aside:
        said.append(f"{'; '.join(used)} used per {_ORDER}")
    elif used:
        said.append(f"{'; '.join(used)} used (its source covers this phase)")
    else:
        said.append(f"no guideline encoded here covers the {phase} phase for this service ({_ORDER})")
    return f"{state}: {'; '.join(said)}"


def _decides(governing: list[Rule], scoped: list[Rule]) -> bool:
    """Whether these rules can decide the item: a supporting rule among them, and one of the service's
    scoped rules where it has any (a rule every item shares, such as the primary's necessity, cannot)."""
    if all(r.effect == "excludes" for r in governing):
        return False
    return not scoped or any(r in governing for r in scoped)


def _outside_phase(
    in_force: list[Rule], regions: frozenset[str], procedure: object, postsurgical: bool, phase: str | None
) -> list[Rule]:
    """The rules that would govern the item but for their phase, when every one of them covers one same
    phase (the CPMTG's chronic pain, with no acute-phase guideline encoded for the service); else none."""
    nearest = _regions_covered([r for r in in_force if _applies(r, regions, procedure, postsurgical, r.phase)], regions)
    phases = {r.phase for r in nearest if r.phase is not None and r.effect == "supports"}
    if len(phases) != 1 or phase in phases:
        return []
    return nearest


def _outside_phase_basis(case: Case, phase: str | None, nearest: list[Rule]) -> str:
    """Why an item is judged by a guideline outside the phase it covers, said as a reviewer would."""
    (covered,) = {r.phase for r in nearest if r.phase is not None and r.effect == "supports"}
    names = "; ".join(sorted({_guideline_name(r) for r in nearest if r.phase is not None}))
    return (
        f"{phase_state(case, phase)}: no guideline encoded here covers "
        f"{'this phase' if phase else 'an undocumented phase'} for this service, so the {names} "
        f"(which cover(s) {_PHASE_COVERS[str(covered)]} only) is applied as the nearest MTUS text, as IMR "
        f"reviewers commonly do; read strictly, {_ORDER}, which this library does not encode for this service"
    )


def _groups(
    case: Case, routed: list[int], primary_index: dict[int, int], rules_by_item: dict[int, list[Rule]]
) -> list[list[int]]:
    """Sessions in order: items by service and rule set, a dependent item one stage after its primary.

    A stage's session gets the ruleset of one service (the rules covering its items' regions and
    procedures), so the rulesets in use are one per service and rule set (and with dependency links),
    whatever the combination of services in a case. A dependent item's session receives its primary's
    decision fact from the earlier stage; the engine's link rules turn it into the item's primary_status.
    """
    routed_set = set(routed)

    def stage(i: int, seen: frozenset[int] = frozenset()) -> int:
        primary = primary_index.get(i)
        if primary is None or primary not in routed_set or primary in seen:
            return 0
        return 1 + stage(primary, seen | {i})

    groups: dict[tuple[int, str, bool, tuple[str, ...]], list[int]] = {}
    for i in routed:
        key = (stage(i), case.items[i].service or "", i in primary_index, tuple(r.id for r in rules_by_item[i]))
        groups.setdefault(key, []).append(i)
    return [groups[k] for k in sorted(groups)]


def route(case: Case, library: RuleLibrary) -> Routing:
    day = case.dates.case_date()
    names = {item.item: i for i, item in enumerate(case.items)}
    rules_by_item: dict[int, list[Rule]] = {}
    unrouted: dict[int, str] = {}
    basis: dict[int, str] = {}
    primary_index: dict[int, int] = {}
    for i, item in enumerate(case.items):
        if item.service is None:
            unrouted[i] = "the item is not classified as a service the rules know"
            continue
        when = f" in force on {day.isoformat()}" if day else ""
        in_force = library.governing(item.service, day)
        if not in_force:
            unrouted[i] = f"no rule{when} governs the service '{item.service}'"
            continue
        regions = item_regions(case, i, library, names)
        procedure_fact = item.facts.get("primary_procedure")
        procedure = procedure_fact.value if procedure_fact is not None else None
        postsurgical = _item_postsurgical(case, i, library)
        phase = case_phase(case)
        governing = _regions_covered(
            [r for r in in_force if _applies(r, regions, procedure, postsurgical, phase)], regions
        )
        scoped = [r for r in in_force if r.effect == "supports" and _scoped(r)]
        why = _phase_basis(case, phase, in_force, governing)
        if not _decides(governing, scoped):
            nearest = _outside_phase(in_force, regions, procedure, postsurgical, phase)
            if _decides(nearest, scoped):
                governing, why = nearest, _outside_phase_basis(case, phase, nearest)
        if why is not None:
            basis[i] = why
        if not _decides(governing, scoped):
            # none, exclusions only, or the service's criteria are region-, procedure- or phase-specific and
            # none covers this item (a rule every item shares, such as the primary's necessity, cannot decide it)
            phased = any(r.phase is not None for r in in_force)
            by_procedure = procedure is None and any(r.procedures for r in in_force)
            unrouted[i] = _uncovered_reason(
                item.service,
                when,
                regions,
                "not documented" if by_procedure else procedure,
                postsurgical,
                phase_state(case, phase) if phased else None,
            )
            continue
        rules_by_item[i] = governing
        # a primary_status stated for the item (as `check` does with the letter's own decision) wins over
        # the link: the engine then reads it like any documented fact
        if item.primary is not None and item.primary in names and PRIMARY_STATUS_FACT not in item.facts:
            primary_index[i] = names[item.primary]
    routed = [i for i in range(len(case.items)) if i not in unrouted]
    return Routing(rules_by_item, unrouted, primary_index, _groups(case, routed, primary_index, rules_by_item), basis)


def _uncovered_reason(
    service: str, when: str, regions: frozenset[str], procedure: object, postsurgical: bool, phase: str | None
) -> str:
    """Why the rules of a service in force do not cover this item: what about the item (its region,
    procedure or phase) comes first, so that a one-line view cut to the terminal's width still shows it.
    `procedure` is "not documented" when the service's rules are per procedure and the item names none (a
    post-operative therapy whose surgery the letter does not link), so the reason names what is missing."""
    region = ", ".join(sorted(regions)) if regions else "not documented"
    parts = [f"body region {region}"]
    if procedure == "not documented":
        parts.append("the operated procedure is not documented (its rules are per procedure)")
    elif procedure is not None:
        parts.append(f"procedure {procedure}")
    if postsurgical:
        parts.append("inside a postsurgical period")
    if phase is not None:
        parts.append(phase)
    return f"{'; '.join(parts)}: no rule{when} for the service '{service}' covers this item"


def compiled_for(rules_by_service: dict[str, list[Rule]], with_links: bool, library: RuleLibrary) -> CompiledRuleset:
    """The ruleset for these services' rules, compiled and registered once (until evicted).

    Looked up by the routing before compiling: compiling costs about as much as evaluating a case.
    """
    rules = tuple((s, tuple(r.id for r in rs)) for s, rs in sorted(rules_by_service.items()))
    return runtime.ruleset(
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
        first = group[0]
        service = case.items[first].service
        assert service is not None
        by_service = {service: routing.rules_by_item[first]}
        with_links = any(i in routing.primary_index for i in group)
        compiled = compiled_for(by_service, with_links, library)
        for part in _sessions(group, compiled):
            facts = engine_facts(case, library, routing, compiled, part)
            facts += primary_decisions(case, routing, part, statuses)
            for firing in runtime.run(compiled, facts):
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
        basis = routing.basis.get(i)
        if i in routing.unrouted:
            determinations.append(undetermined(item, routing.unrouted[i]).model_copy(update={"basis": basis}))
            continue
        assert item.service is not None
        decision = statuses.get((f"decision/{item.service}", i))
        governing = routing.rules_by_item[i]
        in_force.update(r.id for r in governing)
        if decision is None:
            primary = case.items[routing.primary_index[i]].item if i in routing.primary_index else None
            reason = (
                f"its primary procedure '{primary}' is undetermined"
                if primary
                else "the engine derived no decision for the item"
            )
            determinations.append(undetermined(item, reason).model_copy(update={"basis": basis}))
            continue
        derived_facts = {}
        link = statuses.get(("link", i))
        if link is not None and i in routing.primary_index:
            derived_facts[PRIMARY_STATUS_FACT] = derived_primary_status(case.items[routing.primary_index[i]], link)
        determinations.append(
            determination(case, item, i, decision, governing, compiled_of[i], statuses, derived_facts, basis)
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
