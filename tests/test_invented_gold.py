"""The held-out set of invented letters (eval/invented): its gold annotations load, name only declared facts
at their declared scope, point inside their own letter, and the evaluation report quotes none of its text.

Pattern authors must not read eval/invented; these tests name files, facts and items, never letter text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys

import pytest

from imr_rules import RuleLibrary
from imr_rules.authoring.measure import load_gold
from imr_rules.checking.consistency import Checker
from imr_rules.models import GoldLetter

from .conftest import ROOT

INVENTED = ROOT / "eval" / "invented"
LETTERS = INVENTED / "letters"
GOLD = INVENTED / "gold"


def gold_problems(gold: GoldLetter, raw: bytes, library: RuleLibrary) -> list[str]:
    """Every problem of one gold annotation against its letter's bytes: unknown fact or service, a fact at the
    wrong scope, a span outside the letter, a digest that does not match, an item the letter does not decide."""
    text = raw.decode("utf-8")
    out: list[str] = []
    if hashlib.sha256(raw).hexdigest() != gold.letter_sha256:
        out.append("letter_sha256 does not match the letter")
    facts = [(f, "case") for f in gold.facts] + [(f, "item") for it in gold.items for f in it.facts]
    for fact, scope in facts:
        definition = library.facts.get(fact.fact)
        if definition is None:
            out.append(f"unknown fact {fact.fact}")
            continue
        if definition.scope != scope:
            out.append(f"{fact.fact} is a {definition.scope}-scope fact, listed at {scope} level")
        start, end = fact.span
        if not 0 <= start < end <= len(text):
            out.append(f"{fact.fact}: span {list(fact.span)} outside the letter")
    flat = " ".join(text.split())
    for item in gold.items:
        if item.service is not None and item.service not in library.services:
            out.append(f"{item.item}: unknown service {item.service}")
        out += [f"{item.item}: unknown fact {n} in undocumented" for n in item.undocumented if n not in library.facts]
        if not re.search(re.escape(" ".join(item.item.split())) + r":? *(is:)? *" + item.decision, flat):
            out.append(f"{item.item}: the letter has no heading deciding it {item.decision}")
    return out


def test_every_invented_letter_has_its_gold() -> None:
    letters = {p.stem for p in LETTERS.glob("*.txt")}
    golds = {g.case for g in load_gold(GOLD)}
    assert len(letters) >= 24
    assert all(re.fullmatch(r"INV-\d{3}", name) for name in letters)  # its own case numbers, no published letter
    assert letters == golds


@pytest.mark.parametrize("gold", load_gold(GOLD), ids=lambda g: g.case)
def test_invented_gold_is_sound(gold: GoldLetter, library: RuleLibrary) -> None:
    assert gold_problems(gold, (LETTERS / f"{gold.case}.txt").read_bytes(), library) == []


def test_the_check_finds_a_broken_annotation(library: RuleLibrary) -> None:
    """The soundness check fails on an unknown fact, a wrong scope, a span past the end and a changed letter."""
    gold = load_gold(GOLD)[0]
    raw = (LETTERS / f"{gold.case}.txt").read_bytes()
    data = gold.model_dump()
    data["facts"] = [
        {"fact": "no_such_fact", "value": True, "span": [0, 5]},
        {"fact": "requested_visits", "value": 6, "span": [0, 5]},
        {"fact": "age", "value": 40, "span": [len(raw) + 1, len(raw) + 9]},
    ]
    broken = GoldLetter.model_validate(data)
    problems = gold_problems(broken, raw + b" ", library)
    assert "letter_sha256 does not match the letter" in problems
    assert "unknown fact no_such_fact" in problems
    assert "requested_visits is a item-scope fact, listed at case level" in problems
    assert any(p.startswith("age: span") for p in problems)


def test_gold_decisions_balance() -> None:
    """The set keeps the shape the measure was built for: 1 to 4 items a letter, Overturned about 40%."""
    golds = load_gold(GOLD)
    items = [it for g in golds for it in g.items]
    assert all(1 <= len(g.items) <= 4 for g in golds)
    share = sum(it.decision == "Overturned" for it in items) / len(items)
    assert 0.3 <= share <= 0.55


def test_evaluation_report_quotes_no_invented_text(library: RuleLibrary) -> None:
    """scripts/evaluation.py's section on the set gives counts and fact names only: no run of six words of
    any invented letter appears in it."""
    spec = importlib.util.spec_from_file_location("evaluation_script", ROOT / "scripts" / "evaluation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluation_script"] = module
    spec.loader.exec_module(module)
    section = "\n".join(module.invented_section(INVENTED, library, Checker.load(library)))
    assert "| items a rule governs |" in section and "Fact precision" in section
    flat = " ".join(section.split()).lower()
    for path in LETTERS.glob("*.txt"):
        words = path.read_text(encoding="utf-8").lower().split()
        runs = {" ".join(words[i : i + 6]) for i in range(len(words) - 5)}
        leaked = [run for run in runs if run in flat]
        assert leaked == [], f"{path.name}: the report repeats {len(leaked)} runs of its words"
