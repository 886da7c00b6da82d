"""The rule language's registry (`imr_rules.library.language`): each operator's forms agree with each other.

The differential test checks the compiled rules against the oracle on generated cases; these check the
registry itself, so that a new operator entry that contradicts itself fails here first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from imr_rules.library.language import OPERATORS, WRITTEN, at_least, comparison_problem, complement, negate
from imr_rules.library.schema import json_schema
from imr_rules.models.rules import FactCriterion

# (a documented value, the rule's value) pairs per operator, on both sides of every comparison
SAMPLES: dict[str, list[tuple[Any, Any]]] = {
    "==": [(1, 1), (1, 2), (True, False)],
    "!=": [(1, 1), (1, 2)],
    "<": [(1, 2), (2, 2), (3, 2), (dt.date(2020, 1, 1), dt.date(2020, 1, 2))],
    "<=": [(1, 2), (2, 2), (3, 2)],
    ">": [(1, 2), (2, 2), (3, 2)],
    ">=": [(1, 2), (2, 2), (3, 2)],
    "in": [("a", ["a", "b"]), ("c", ["a", "b"])],
    "not_in": [("a", ["a", "b"]), ("c", ["a", "b"])],
    "contains": [(["a", "b"], "a"), (["b"], "a"), ([], "a")],
    "not_contains": [(["a", "b"], "a"), (["b"], "a")],
}


@pytest.mark.parametrize("symbol", sorted(OPERATORS))
def test_an_operator_and_its_complement_never_hold_together(symbol: str) -> None:
    op, other = OPERATORS[symbol], OPERATORS[complement(symbol)]
    assert complement(complement(symbol)) == symbol
    assert SAMPLES[symbol], "every operator has samples here"
    seen = set()
    for actual, value in SAMPLES[symbol]:
        held = op.holds(actual, value)
        assert held != other.holds(actual, value), (actual, value)
        seen.add(held)
    assert seen == {True, False}, "the samples show the operator both ways"


def test_the_written_operators_are_the_rule_files_operators() -> None:
    schema = json_schema("rules")
    assert tuple(schema["$defs"]["FactCriterion"]["properties"]["op"]["enum"]) == WRITTEN
    assert "not_contains" not in WRITTEN and "not_contains" in OPERATORS


def test_each_operator_names_the_fact_types_it_compares() -> None:
    for symbol in WRITTEN:
        op = OPERATORS[symbol]
        for fact_type in ("boolean", "integer", "number", "date", "enum", "list"):
            problem = comparison_problem(fact_type, symbol)
            assert (problem is None) == (fact_type in op.fact_types), (symbol, fact_type, problem)
        assert comparison_problem("text", symbol) is not None


def test_kleene_at_least_and_not() -> None:
    t, f, u = "met", "not_met", "not_documented"
    assert at_least(2, [t, t, u]) == t
    assert at_least(2, [t, f, f]) == f
    assert at_least(2, [t, u, f]) == u
    assert at_least(1, [f, f]) == f and at_least(1, [u, f]) == u
    assert [negate(s) for s in (t, f, u)] == [f, t, u]


def test_a_criterion_is_one_of_the_tagged_forms() -> None:
    leaf = FactCriterion.model_validate({"id": "a", "text": "t", "fact": "age", "op": ">", "value": 1})
    assert leaf.form == "fact" and leaf.children == [] and leaf.walk() == [leaf]
