"""Witnesses: fact values that make a criterion met or not met.

Rule authors and tests need cases that exercise each criterion both ways; `lint` needs to know whether
a criteria tree can be met at all. A small backtracking search over the tree finds such values,
respecting facts shared by several leaves (a list fact collects members it must and must not contain).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

from typing_extensions import assert_never

from imr_rules.library.language import (  # witness dates are ISO strings: they compare as dates
    NEGATED,
    OPERATORS,
    complement,
    holds,
)
from imr_rules.models import AllOf, AnyOf, AtLeast, Criterion, FactCriterion, FactDefinition, Not
from imr_rules.models.rules import threshold

Assignment = dict[str, Any]
LIMIT = 64  # alternatives explored per node: the trees are small, this only bounds pathological ones


def witnesses(
    node: Criterion, target: str, facts: dict[str, FactDefinition], start: Assignment | None = None
) -> Iterator[Assignment]:
    """Assignments (fact -> value, list facts as {"has": set, "not": set}) giving `node` the status."""
    yield from _solve(node, target, facts, dict(start or {}))


def first_witness(
    node: Criterion, target: str, facts: dict[str, FactDefinition], start: Assignment | None = None
) -> Assignment | None:
    for found in witnesses(node, target, facts, start):
        return found
    return None


def case_facts(assignment: Assignment, facts: dict[str, FactDefinition]) -> dict[str, Any]:
    """Turn a witness into plain case fact values (list facts become lists)."""
    out: dict[str, Any] = {}
    for name, value in assignment.items():
        if value is _ABSENT:
            continue
        if facts[name].type == "list":
            out[name] = sorted(value["has"])
        else:
            out[name] = value
    return out


class _Absent:
    def __repr__(self) -> str:
        return "<not documented>"


_ABSENT = _Absent()


def _solve(node: Criterion, target: str, facts: dict[str, FactDefinition], env: Assignment) -> Iterator[Assignment]:
    match node:
        case FactCriterion():
            yield from _leaf(node, target, facts[node.fact], env)
        case Not():
            yield from _solve(node.not_, NEGATED[target], facts, env)
        case AllOf() | AnyOf() | AtLeast():
            yield from _group(node.children, threshold(node), target, facts, env)
        case _:
            assert_never(node)


def _group(
    children: list[Criterion], need: int, target: str, facts: dict[str, FactDefinition], env: Assignment
) -> Iterator[Assignment]:
    k = len(children)
    if target == "not_documented":
        # the simplest undocumented form: one child undocumented, the rest chosen to not decide
        for i in range(k):
            yield from _limited(_combo(children, _undecided_targets(i, k, need), facts, env))
        return
    count = need if target == "met" else k - need + 1
    status = target
    for chosen in itertools.islice(itertools.combinations(range(k), count), LIMIT):
        targets = {i: status for i in chosen}
        yield from _limited(_combo(children, targets, facts, env))


def _undecided_targets(i: int, k: int, need: int) -> dict[int, str]:
    """Child i undocumented, need-1 others met, the rest not met: neither met nor not met."""
    others = [j for j in range(k) if j != i]
    targets = {i: "not_documented"}
    for n, j in enumerate(others):
        targets[j] = "met" if n < need - 1 else "not_met"
    return targets


def _combo(
    children: list[Criterion], targets: dict[int, str], facts: dict[str, FactDefinition], env: Assignment
) -> Iterator[Assignment]:
    order = sorted(targets)

    def step(n: int, current: Assignment) -> Iterator[Assignment]:
        if n == len(order):
            yield current
            return
        i = order[n]
        for nxt in _limited(_solve(children[i], targets[i], facts, current)):
            yield from step(n + 1, nxt)

    yield from _limited(step(0, env))


def _limited(it: Iterator[Assignment]) -> Iterator[Assignment]:
    for n, value in enumerate(it):
        if n >= LIMIT:
            return
        yield value


def _leaf(node: FactCriterion, target: str, definition: FactDefinition, env: Assignment) -> Iterator[Assignment]:
    name = node.fact
    current = env.get(name)
    if target == "not_documented":
        if name not in env or current is _ABSENT:
            yield {**env, name: _ABSENT}
        return
    if current is _ABSENT:
        return
    op: str = node.op if target == "met" else complement(node.op)
    if definition.type == "list":
        have = current or {"has": set(), "not": set()}
        if OPERATORS[op].holds({node.value}, node.value):  # the list must include the member
            if node.value in have["not"]:
                return
            yield {**env, name: {"has": have["has"] | {node.value}, "not": have["not"]}}
        else:
            if node.value in have["has"]:
                return
            yield {**env, name: {"has": have["has"], "not": have["not"] | {node.value}}}
        return
    if name in env:
        if holds(current, op, node.value):
            yield env
        return
    for candidate in _candidates(definition, op, node.value):
        if holds(candidate, op, node.value):
            yield {**env, name: candidate}


def _candidates(definition: FactDefinition, op: str, value: Any) -> list[Any]:
    kind = definition.type
    if kind == "boolean":
        return [True, False]
    if kind == "enum":
        return list(definition.values or [])
    if kind in ("integer", "number"):
        base = value if not isinstance(value, list) else value[0]
        return [base, base + 1, base - 1, *(value if isinstance(value, list) else [])]
    if kind == "date":
        day = dt.date.fromisoformat(str(value))
        return [day.isoformat(), (day + dt.timedelta(days=1)).isoformat(), (day - dt.timedelta(days=1)).isoformat()]
    return []
