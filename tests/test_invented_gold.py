"""The sets of invented letters (eval/invented, eval/invented-2 and eval/invented-3, dev sets; eval/invented-4,
held out): their gold annotations load, name only declared facts at their declared scope, point inside their own
letter, the engine on them reproduces every letter's decision, and the evaluation report quotes none of their text.
The held-out sets' case summaries repeat no run of six words of a letter in ../shared (their wording is invented).

Pattern authors must not read the held-out set; these tests name files, facts and items, never letter text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from imr_rules import RuleLibrary, evaluate
from imr_rules.authoring.measure import gold_case, load_gold
from imr_rules.checking.consistency import Checker
from imr_rules.models import GoldLetter
from imr_rules.reading.extract import extract_text
from imr_rules.sources import read_text

from .conftest import ROOT, SHARED, needs_shared

INVENTED = ROOT / "eval" / "invented"
LETTERS = INVENTED / "letters"
GOLD = INVENTED / "gold"
SET_2 = ROOT / "eval" / "invented-2"
SET_3 = ROOT / "eval" / "invented-3"
HELD_OUT = ROOT / "eval" / "invented-4"  # the newest set, held out
# each set: its folder and the pattern of its case names (its own numbers, no published letter's)
SETS = {
    "invented": (INVENTED, r"INV-\d{3}"),
    "invented-2": (SET_2, r"INV2-\d{3}"),
    "invented-3": (SET_3, r"INV3-\d{3}"),
    "invented-4": (HELD_OUT, r"INV4-\d{3}"),
}
ALL_GOLD = [(root, gold) for root, _ in SETS.values() for gold in load_gold(root / "gold")]


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


@pytest.mark.parametrize("name", SETS)
def test_every_invented_letter_has_its_gold(name: str) -> None:
    root, pattern = SETS[name]
    letters = {p.stem for p in (root / "letters").glob("*.txt")}
    golds = {g.case for g in load_gold(root / "gold")}
    assert len(letters) >= 24
    assert all(re.fullmatch(pattern, case) for case in letters)  # its own case numbers, no published letter
    assert letters == golds


@pytest.mark.parametrize(("root", "gold"), ALL_GOLD, ids=lambda v: v.case if isinstance(v, GoldLetter) else "")
def test_invented_gold_is_sound(root: Path, gold: GoldLetter, library: RuleLibrary) -> None:
    assert gold_problems(gold, (root / "letters" / f"{gold.case}.txt").read_bytes(), library) == []


@pytest.mark.parametrize("name", SETS)
def test_engine_on_gold_reproduces_the_letters(name: str, library: RuleLibrary) -> None:
    """The engine on each letter's gold facts (with the letter's dates as read, as scripts/evaluation.py does)
    decides every item as the letter does: the gold holds every fact the decision rests on."""
    root, _ = SETS[name]
    checker = Checker.load(library)
    wrong: list[str] = []
    for gold in load_gold(root / "gold"):
        path = root / "letters" / f"{gold.case}.txt"
        data = extract_text(read_text(path), str(path), library, checker.patterns)
        evaluation = evaluate(gold_case(gold, data.dates, library, data.facts), library)
        wrong += [
            f"{gold.case} {d.item}: {d.outcome} (letter {d.letter_decision})"
            for d in evaluation.determinations
            if d.outcome != d.letter_decision
        ]
    assert wrong == []


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


@pytest.mark.parametrize("name", SETS)
def test_gold_decisions_balance(name: str) -> None:
    """Each set keeps the shape the measure was built for: 1 to 4 items a letter, Overturned about 40%."""
    golds = load_gold(SETS[name][0] / "gold")
    items = [it for g in golds for it in g.items]
    assert all(1 <= len(g.items) <= 4 for g in golds)
    share = sum(it.decision == "Overturned" for it in items) / len(items)
    assert 0.3 <= share <= 0.55


@pytest.mark.parametrize("name", SETS)
def test_evaluation_report_quotes_no_invented_text(name: str, library: RuleLibrary) -> None:
    """scripts/evaluation.py's section on a set gives counts and fact names only: no run of six words of
    any of its letters appears in it."""
    root, _ = SETS[name]
    spec = importlib.util.spec_from_file_location("evaluation_script", ROOT / "scripts" / "evaluation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluation_script"] = module
    spec.loader.exec_module(module)
    section = "\n".join(module.invented_section(root, library, Checker.load(library)))
    assert "| items a rule governs |" in section and "Fact precision" in section
    flat = " ".join(section.split()).lower()
    for path in (root / "letters").glob("*.txt"):
        words = path.read_text(encoding="utf-8").lower().split()
        runs = {" ".join(words[i : i + 6]) for i in range(len(words) - 5)}
        leaked = [run for run in runs if run in flat]
        assert leaked == [], f"{path.name}: the report repeats {len(leaked)} runs of its words"


def _six_word_runs(text: str) -> set[str]:
    words = text.lower().split()
    return {" ".join(words[i : i + 6]) for i in range(len(words) - 5)}


def _case_summary(text: str) -> str:
    """The clinical case summary of a letter in the published layout: after the fixed sentence that opens it,
    before the heading of the issues."""
    body = text.split("case file, including all medical records:", 1)[-1]
    return body.split("IMR ISSUES, DECISIONS AND RATIONALES", 1)[0]


@needs_shared
def test_held_out_summaries_copy_no_shared_letter() -> None:
    """The held-out sets' (3 and 4) and set 2's wording is invented: no case summary repeats a run of six words of any
    letter in ../shared (published and seed letters). Rationales are not checked, since they quote the guidelines
    those letters quote too, and set 1, written before this check, shares a few stock clinical phrases."""
    shared: set[str] = set()
    for path in [*(SHARED / "dwc-letters").glob("*.txt"), *(SHARED / "letters").glob("*.txt")]:
        shared |= _six_word_runs(path.read_text(encoding="utf-8", errors="replace"))
    assert len(shared) > 10_000  # the letters are there
    copied = {
        path.name: len(_six_word_runs(_case_summary(path.read_text(encoding="utf-8"))) & shared)
        for folder in (SET_2, SET_3, HELD_OUT)
        for path in sorted((folder / "letters").glob("*.txt"))
    }
    assert copied and all(n == 0 for n in copied.values()), {k: v for k, v in copied.items() if v}
