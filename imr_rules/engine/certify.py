"""What would certify it: for an Upheld item, the criteria whose documentation would change the outcome.

An item is certified when every supporting rule in force is met and no excluding rule is met. For each
rule that stands in the way, `witness.witnesses` searches the rule's criteria tree for fact values that
give it the status it needs, with every fact the letter documents held fixed: the facts it adds are what
the letter would have to document. When no such values exist, a criterion is documented the other way;
the search is repeated with the decisive contrary facts released, and the rule is marked as needing a
correction rather than more documentation. This is what a requesting physician needs for a resubmission.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from imr_rules.engine.witness import _ABSENT as ABSENT
from imr_rules.engine.witness import Assignment, witnesses
from imr_rules.library.language import holds
from imr_rules.library.loading import RuleLibrary
from imr_rules.models import Criterion, Determination, FactCriterion, FactDefinition, Not, Rule
from imr_rules.models.certify import Alternative, Certification, Requirement, RuleChange

MAX_ALTERNATIVES = 3
SEARCHED = 64  # witnesses looked at per rule before keeping the smallest ones


def what_would_certify(det: Determination, library: RuleLibrary) -> Certification | None:
    """The changes that would certify an Upheld item, rule by rule; None when the item is not Upheld.

    Shapes: one `RuleChange` per rule in force that is not satisfied (a supporting rule not met, an
    excluding rule met), each with up to three alternative sets of `Requirement`s (fewest first).
    """
    if det.outcome != "Upheld":
        return None
    changes: list[RuleChange] = []
    for applied in det.rules:
        excludes = applied.effect == "excludes"
        if (applied.status == "met") != excludes:
            continue  # a supporting rule met, or an exclusion that does not apply: nothing to change
        try:
            rule = library.rule(applied.id)
        except KeyError:
            continue
        documented = _documented(det, applied.id, library.facts)
        target = "not_met" if excludes else "met"
        found = _alternatives(rule, target, documented, library.facts)
        correction = False
        if not found:
            released = _contrary_facts(det, applied.id)
            kept = {k: v for k, v in documented.items() if k not in released}
            found = _alternatives(rule, target, kept, library.facts, documented)
            if not found:
                found = _alternatives(rule, target, {}, library.facts, documented)
            correction = True
        changes.append(
            RuleChange(
                rule=rule.id,
                title=rule.title,
                citation=applied.citation,
                status=applied.status,
                effect=applied.effect,
                correction_needed=correction,
                paths=found,
            )
        )
    return Certification(item=det.item, changes=changes)


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _documented(det: Determination, rule_id: str, facts: dict[str, FactDefinition]) -> Assignment:
    """The fact values the item's evaluation used for this rule, in the witness search's representation."""
    out: Assignment = {}
    for crit in det.criteria:
        if crit.rule != rule_id:
            continue
        for use in crit.facts:
            definition = facts.get(use.name)
            if definition is None:
                continue
            if definition.type == "list":
                members = use.value if isinstance(use.value, list) else [use.value]
                out[use.name] = {"has": {_plain(m) for m in members}, "not": set()}
            else:
                out[use.name] = _plain(use.value)
    return out


def _contrary_facts(det: Determination, rule_id: str) -> set[str]:
    """Facts of the decisive criteria documented as not met (what would need correcting)."""
    return {
        c.fact
        for c in det.criteria
        if c.rule == rule_id and c.decisive and c.status == "not_met" and c.fact is not None and c.facts
    }


def _alternatives(
    rule: Rule,
    target: str,
    start: Assignment,
    facts: dict[str, FactDefinition],
    documented: Assignment | None = None,
) -> list[Alternative]:
    """Up to MAX_ALTERNATIVES distinct requirement sets making the rule's tree `target`, smallest first."""
    documented = start if documented is None else documented
    seen: dict[frozenset[str], list[Requirement]] = {}
    for n, assignment in enumerate(witnesses(rule.criteria, target, facts, start)):
        if n >= SEARCHED:
            break
        added = {name for name, value in assignment.items() if start.get(name, _MISSING) != value}
        if not added:
            continue
        requirements = _requirements(rule, target, assignment, added, facts, documented)
        key = frozenset(r.criterion for r in requirements)
        if requirements and key not in seen:
            seen[key] = requirements
    ranked = sorted(seen.values(), key=len)
    # drop an alternative that merely adds requirements to a smaller one
    kept: list[list[Requirement]] = []
    for reqs in ranked:
        ids = {r.criterion for r in reqs}
        if any({r.criterion for r in k} <= ids for k in kept):
            continue
        kept.append(reqs)
    return [Alternative(requirements=r) for r in kept[:MAX_ALTERNATIVES]]


class _Missing:
    pass


_MISSING = _Missing()


def _requirements(
    rule: Rule,
    target: str,
    assignment: Assignment,
    added: set[str],
    facts: dict[str, FactDefinition],
    documented: Assignment,
) -> list[Requirement]:
    """The leaves over the added facts whose status under `assignment` is the one the target needs."""
    out: list[Requirement] = []
    for leaf, negated in _leaves(rule.criteria, False, assignment):
        if leaf.fact not in added:
            continue
        wanted = ("not_met" if target == "met" else "met") if negated else target
        if wanted not in ("met", "not_met"):
            continue
        if _status(leaf, assignment) != wanted:
            continue
        value = assignment[leaf.fact]
        if isinstance(value, dict):  # a list fact: the members it must hold
            value = sorted(value["has"] - _members(documented.get(leaf.fact)))
        text = leaf.text if wanted == "met" else f"Not the case: {leaf.text}"
        cite = rule.citation() + (f" [{leaf.cite}]" if leaf.cite else "")
        before = documented.get(leaf.fact)
        if isinstance(before, dict):
            before = sorted(before["has"]) or None
        out.append(
            Requirement(
                criterion=f"{rule.id}/{leaf.id}",
                text=_sentence(text),
                citation=cite,
                fact=leaf.fact,
                value=value,
                documented=before,
            )
        )
    return out


def _status(leaf: FactCriterion, assignment: Assignment) -> str:
    """A leaf's status under an assignment (met / not_met / not_documented)."""
    value = assignment.get(leaf.fact, _MISSING)
    if value is _MISSING or value is ABSENT:
        return "not_documented"
    if isinstance(value, dict):  # a list fact
        return "met" if holds(value["has"], leaf.op, leaf.value) else "not_met"
    try:
        return "met" if holds(value, leaf.op, leaf.value) else "not_met"
    except TypeError:
        return "not_documented"


def _members(value: Any) -> set[Any]:
    return set(value["has"]) if isinstance(value, dict) else set()


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _leaves(node: Criterion, negated: bool, assignment: Assignment) -> list[tuple[FactCriterion, bool]]:
    """The leaves under `node` with whether an odd number of `not`s is above them, leaving out branches
    whose applicability criterion (the kind of procedure, say) is not met: they do not apply to the case."""
    if isinstance(node, FactCriterion):
        return [(node, negated)]
    if any(
        isinstance(c, FactCriterion) and c.applicability and _status(c, assignment) == "not_met" for c in node.children
    ):
        return []
    inner = not negated if isinstance(node, Not) else negated
    out: list[tuple[FactCriterion, bool]] = []
    for child in node.children:
        out.extend(_leaves(child, inner, assignment))
    return out
