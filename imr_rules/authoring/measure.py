"""Measure the letter reader against gold annotations (`eval/gold/<split>/<case>.yaml`).

A gold file lists, per letter, the facts a person read (value + evidence offsets) for the facts the rules
governing its items test, and which of those the letter does not document. Scoring compares what the
reader extracted with it, fact by fact, within that scope:

- true positive: the reader gives the gold value;
- false negative: the gold documents a value the reader missed or read otherwise;
- false positive: the reader gives a value the gold does not (an invented or wrong fact).

A wrong value counts once as each. Lists compare as sets, numbers as numbers. Only fact names and
values are reported, never letter text: held-out letters' phrasing must not reach pattern authors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imr_rules.library.loading import RuleLibrary
from imr_rules.models import GoldFact, GoldLetter
from imr_rules.models.extracted import ExtractedItem, ExtractedLetter, ReadFact
from imr_rules.reading.casefile import LoadedCase, case_from_data
from imr_rules.sources import load_yaml, to_model


def load_gold(folder: str | Path) -> list[GoldLetter]:
    """Every gold file under `folder`, sorted by path; raises a located SchemaError for a malformed one."""
    return [to_model(load_yaml(path), GoldLetter, "gold annotation") for path in sorted(Path(folder).rglob("*.yaml"))]


def _norm(name: str) -> str:
    return " ".join(name.split()).lower()


def item_stem(name: str) -> str:
    """An item's name without its dispensed count ("cyclobenzaprine 7.5mg #60" -> "cyclobenzaprine 7.5mg"):
    gold files may name a medication item without the "#N" the letter's heading adds."""
    return re.sub(r"\s*#\s*\d[\s\S]*$", "", _norm(name))


def _as_set(value: Any) -> set[str]:
    return {str(x).lower() for x in (value if isinstance(value, list) else [value])}


def same_value(gold: Any, read: Any) -> bool:
    """Gold and read values agree: lists as sets, numbers numerically, text case-insensitively."""
    if isinstance(gold, list) or isinstance(read, list):
        return _as_set(gold) == _as_set(read)
    if isinstance(gold, bool) or isinstance(read, bool):
        return gold is read
    if isinstance(gold, (int, float)) and isinstance(read, (int, float)):
        return float(gold) == float(read)
    return str(gold).lower() == str(read).lower()


@dataclass
class Miss:
    """One disagreement between gold and reader (names and values only)."""

    case: str
    item: str | None  # None for a case-scope fact
    fact: str
    gold: Any  # None: the letter does not document it
    read: Any  # None: the reader found nothing


@dataclass
class FactScores:
    """True positives, false positives and false negatives per fact name, and every miss."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)

    def add(self, case: str, item: str | None, fact: str, gold: Any, read: Any) -> None:
        if gold is None and read is None:  # rightly left undocumented
            return
        if gold is not None and read is not None and same_value(gold, read):
            self.tp[fact] += 1
            return
        if gold is not None:
            self.fn[fact] += 1
        if read is not None:
            self.fp[fact] += 1
        self.misses.append(Miss(case, item, fact, gold, read))

    @property
    def precision(self) -> float | None:
        tp, fp = sum(self.tp.values()), sum(self.fp.values())
        return tp / (tp + fp) if tp + fp else None

    @property
    def recall(self) -> float | None:
        tp, fn = sum(self.tp.values()), sum(self.fn.values())
        return tp / (tp + fn) if tp + fn else None


def _values(facts: Mapping[str, ReadFact] | None) -> dict[str, Any]:
    return {name: entry.value for name, entry in (facts or {}).items()}


def _item_region(item: ExtractedItem, library: RuleLibrary) -> str | None:
    """The body region an extracted item concerns: its service's region, else its `body_region` fact."""
    service = library.services.get(item.service or "")
    if service is not None and service.region is not None:
        return str(service.region)
    region = _values(item.facts).get("body_region")
    return str(region) if region is not None else None


def _regional_read(name: str, region: str | None, extracted: ExtractedLetter, library: RuleLibrary) -> Any:
    """The value of case fact `name` the engine sees for the items of `region`.

    A regional finding may be written on an item (it then overrides the case value for that item); a gold
    finding with a region is compared with what the items of that region carry, the case value where an
    item has none. Only the items whose rules test the fact count (a lumbar course of therapy does not see
    red flags; where none does, every item of the region). With no item of that region, or items
    disagreeing, the case value is compared."""
    from imr_rules.reading.facts import facts_used

    case_value = _values(extracted.facts).get(name)
    if region is None or not library.facts[name].regional:
        return case_value
    items = [item for item in extracted.items if _item_region(item, library) == region]
    testing = [it for it in items if it.service and name in facts_used(library, {it.service})]
    values = [_values(item.facts).get(name, case_value) for item in testing or items]
    seen = {repr(value): value for value in values}
    return next(iter(seen.values())) if len(seen) == 1 else case_value


def score_letter(gold: GoldLetter, extracted: ExtractedLetter, library: RuleLibrary, scores: FactScores) -> None:
    """Add one letter's comparison to `scores`. `extracted` is the letter as `extract_case` reads it.

    A case fact the gold records once per body region (a cervical and a wrist finding) is scored once per
    region, against the value the items of that region carry (`_regional_read`)."""
    scope = {name: library.facts[name].scope for name in library.facts}
    case_gold: dict[tuple[str, str | None], Any] = {(f.fact, f.region): f.value for f in gold.facts}
    undocumented = {n for it in gold.items for n in it.undocumented if scope.get(n) == "case"}
    keys = set(case_gold) | {(n, None) for n in undocumented if n not in {name for name, _ in case_gold}}
    for name, region in sorted(keys, key=lambda key: (key[0], key[1] or "")):
        read = _regional_read(name, region, extracted, library) if name in library.facts else None
        scores.add(gold.case, None, name, case_gold.get((name, region)), read)
    read_items = {_norm(it.item): it for it in extracted.items}
    by_stem: dict[str, list[ExtractedItem]] = {}
    for it in extracted.items:
        by_stem.setdefault(item_stem(it.item), []).append(it)
    for item in gold.items:
        item_gold: dict[str, Any] = {f.fact: f.value for f in item.facts}
        names = set(item_gold) | {n for n in item.undocumented if scope.get(n) == "item"}
        match = read_items.get(_norm(item.item))
        if match is None and len(by_stem.get(item_stem(item.item), [])) == 1:
            match = by_stem[item_stem(item.item)][0]  # the same item, named without its "#N" count
        read = _values(match.facts if match is not None else None)
        for name in sorted(names):
            scores.add(gold.case, item.item, name, item_gold.get(name), read.get(name))


# facts the reader works out from the letter's dates rather than reads from a sentence: the gold case takes
# them as read, as it takes the dates, unless the gold states them
FROM_DATES = ("acute_phase", "weeks_since_injury")


def gold_case(
    gold: GoldLetter,
    dates: Mapping[str, str | dt.date],
    library: RuleLibrary,
    read_facts: Mapping[str, ReadFact] | None = None,
) -> LoadedCase:
    """The case the gold facts make (the letter's dates as read, and the facts worked out from them,
    `FROM_DATES`, from `read_facts`: the extracted case facts), for what perfect reading would decide."""

    def entries(facts: list[GoldFact]) -> dict[str, Any]:
        return {f.fact: {"value": f.value} for f in facts if f.fact in library.facts}

    items = [
        {"item": it.item, "service": it.service, "decision": it.decision, "facts": entries(it.facts)}
        for it in gold.items
    ]
    clean_dates = {k: v for k, v in dates.items() if isinstance(v, (str, dt.date))}
    case_facts = entries(gold.facts)
    for name in FROM_DATES:
        read = _values(read_facts).get(name)
        if name in library.facts and name not in case_facts and read is not None:
            case_facts[name] = {"value": read}
    data: dict[str, object] = {"case": gold.case, "dates": clean_dates, "facts": case_facts, "items": items}
    return case_from_data(data, library, f"gold {gold.case}")
