"""Three-valued criteria through durable-rules: every combination of three facts (true, false, not
documented) gives each tree node the status Kleene logic (HL7 CQL) gives it."""

from __future__ import annotations

import itertools

import pytest

from imr_rules import evaluate, load_rules

from .conftest import make_case, write_library
from .oracle import at_least, negate

FACTS = """
facts:
  a: {type: boolean, meaning: a}
  b: {type: boolean, meaning: b}
  c: {type: boolean, meaning: c}
"""
SERVICES = """
services:
  thing: {label: A thing}
"""
RULE = """
id: kleene
title: Kleene
source: other
guideline: Test
edition: test
effective: {from: 2000-01-01}
governs: [thing]
confidence: I
criteria:
  id: root
  text: root
  all_of:
    - id: all3
      text: all of a b c
      all_of:
        - {id: all_a, text: a, fact: a, op: "==", value: true}
        - {id: all_b, text: b, fact: b, op: "==", value: true}
        - {id: all_c, text: c, fact: c, op: "==", value: true}
    - id: any3
      text: any of a b c
      any_of:
        - {id: any_a, text: a, fact: a, op: "==", value: true}
        - {id: any_b, text: b, fact: b, op: "==", value: true}
        - {id: any_c, text: c, fact: c, op: "==", value: true}
    - id: two3
      text: at least 2 of a b c
      at_least: 2
      of:
        - {id: two_a, text: a, fact: a, op: "==", value: true}
        - {id: two_b, text: b, fact: b, op: "==", value: true}
        - {id: two_c, text: c, fact: c, op: "==", value: true}
    - id: not_a
      text: not a
      not: {id: inner_a, text: a, fact: a, op: "==", value: true}
rationale: {summary: test}
"""

T, F, U = "met", "not_met", "not_documented"


@pytest.fixture(scope="module")
def kleene_library(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = write_library(tmp_path_factory.mktemp("kleene"), FACTS, SERVICES, {"kleene.yaml": RULE})
    return load_rules(root)


COMBOS = list(itertools.product([True, False, None], repeat=3))


@pytest.mark.parametrize("combo", COMBOS, ids=lambda c: "".join({True: "T", False: "F", None: "U"}[v] for v in c))
def test_kleene_statuses(kleene_library, combo) -> None:  # type: ignore[no-untyped-def]
    facts = {name: value for name, value in zip("abc", combo, strict=True) if value is not None}
    (det,) = evaluate(
        make_case(kleene_library, [{"item": "x", "service": "thing"}], facts), kleene_library
    ).determinations
    got = {c.id.split("/")[1]: c.status for c in det.criteria}
    leaf = [{True: T, False: F, None: U}[v] for v in combo]
    expected = {
        "all3": at_least(3, leaf),
        "any3": at_least(1, leaf),
        "two3": at_least(2, leaf),
        "not_a": negate(leaf[0]),
    }
    expected["root"] = at_least(4, list(expected.values()))
    for key, status in expected.items():
        assert got[key] == status, key
    assert det.outcome == ("Overturned" if expected["root"] == T else "Upheld")
