"""Seeded, reproducible generator of realistic cases for the benchmarks (issue 6).

A case looks like what `imr-rules extract` makes of a letter: one main request (a procedure, imaging, a
visit) with 0-5 associated services that depend on it, a case date in the IMR era, 30-60 documented
facts (each with an evidence sentence), values near the rules' thresholds about half of the time. It
reads the vocabulary and rules from the library, so new rules and services are exercised as they land.

    python -m bench.generate --n 1000 --seed 1 --out /tmp/cases     # YAML files, for batch/CLI runs
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from imr_rules.library.loading import RuleLibrary, load_rules
from imr_rules.models import FactCriterion, FactDefinition

ROOT = Path(__file__).resolve().parents[1]
ERA = (dt.date(2013, 1, 1), dt.date(2017, 11, 30))  # IMR began in 2013; most bundled editions end 2017-12-01


class CaseGenerator:
    """Cases for one library; the same seed gives the same cases."""

    def __init__(self, library: RuleLibrary, seed: int = 1) -> None:
        self.library = library
        self.rng = random.Random(seed)
        facts = library.facts
        self.case_facts = sorted(n for n, d in facts.items() if d.scope == "case" and d.type != "text")
        self.item_facts = sorted(n for n, d in facts.items() if d.scope == "item" and d.type != "text")
        services = library.services
        governed = {s for s in services if library.rules_for_service(s)}
        self.main = sorted(s for s in governed if not services[s].depends_on_primary)
        self.ungoverned = sorted(s for s in services if s not in governed and not services[s].depends_on_primary)
        self.dependent = sorted(s for s in services if services[s].depends_on_primary)
        self.near = self._thresholds()
        self.read_by: dict[str, list[str]] = {}  # service -> item facts its rules read
        for service in services:
            names = {
                c.fact
                for rule in library.rules_for_service(service)
                for c in rule.criteria.walk()
                if isinstance(c, FactCriterion) and facts[c.fact].scope == "item"
            }
            self.read_by[service] = sorted(names)

    def _thresholds(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for loaded in self.library.rules:
            for crit in loaded.rule.criteria.walk():
                if not isinstance(crit, FactCriterion):
                    continue
                values = crit.value if isinstance(crit.value, list) else [crit.value]
                out.setdefault(crit.fact, []).extend(values)
        return out

    def value(self, name: str, definition: FactDefinition) -> Any:
        rng = self.rng
        near = self.near.get(name, [])
        kind = definition.type
        if kind == "boolean":
            return rng.random() < 0.6
        if kind == "enum":
            return rng.choice(definition.values or [])
        if kind == "list":
            members = list(definition.values or [])
            return sorted(rng.sample(members, rng.randint(0, len(members))))
        if kind == "date":
            return (ERA[0] + dt.timedelta(days=rng.randint(-2000, 0))).isoformat()
        numeric = [v for v in near if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if numeric and rng.random() < 0.5:
            base = rng.choice(numeric)
            return (
                base + rng.choice([-1, 0, 1]) if kind == "integer" else base + rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0])
            )
        if kind == "integer":
            return rng.randint(0, 40)
        return round(rng.uniform(0, 24), 1)

    def evidence(self, name: str, value: Any) -> str:
        shown = ", ".join(value) if isinstance(value, list) else str(value).lower()
        page = self.rng.randint(1, 40)
        return f"The records reviewed document {name.replace('_', ' ')}: {shown} (progress report, page {page})."

    def case(self, number: int) -> dict[str, Any]:
        rng = self.rng
        pool = self.main + self.ungoverned[:1]  # an occasional request no rule governs
        main = rng.choice(pool)
        names = [f"Request {main.replace('_', ' ')}"]
        items: list[dict[str, Any]] = [{"item": names[0], "service": main}]
        for j, service in enumerate(rng.sample(self.dependent, min(len(self.dependent), rng.randint(0, 5)))):
            items.append({"item": f"Associated service {j + 1}: {service.replace('_', ' ')}", "service": service})
            items[-1]["primary"] = names[0]
        if len(items) < 6 and rng.random() < 0.2:
            other = rng.choice(self.main)
            items.append({"item": f"Also requested: {other.replace('_', ' ')}", "service": other})
        target = rng.randint(30, 60)
        facts: dict[str, Any] = {}
        case_count = min(len(self.case_facts), max(target - 3 * len(items), target // 2))
        for name in sorted(rng.sample(self.case_facts, case_count)):
            value = self.value(name, self.library.facts[name])
            facts[name] = {"value": value, "evidence": self.evidence(name, value)}
        left = target - len(facts)
        for n, item in enumerate(items):
            wanted = [
                f for f in self.read_by.get(item["service"], []) if not (f == "primary_status" and "primary" in item)
            ]
            extra = [f for f in self.item_facts if f not in wanted and f != "primary_status"]
            share = max(0, left // (len(items) - n))
            chosen = wanted[:share] + rng.sample(extra, min(len(extra), max(0, share - len(wanted))))
            own = {}
            for name in sorted(chosen):
                value = self.value(name, self.library.facts[name])
                own[name] = {"value": value, "evidence": self.evidence(name, value)}
            left -= len(own)
            if own:
                item["facts"] = own
        request = ERA[0] + dt.timedelta(days=rng.randint(0, (ERA[1] - ERA[0]).days))
        if rng.random() < 0.1:
            request = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        dates = {
            "injury": (request - dt.timedelta(days=rng.randint(60, 3000))).isoformat(),
            "request": request.isoformat(),
            "ur_decision": (request + dt.timedelta(days=rng.randint(1, 14))).isoformat(),
        }
        return {"case": f"bench-{number:06d}", "dates": dates, "facts": facts, "items": items}

    def cases(self, n: int) -> Iterator[dict[str, Any]]:
        for number in range(n):
            yield self.case(number)


def count_facts(case: dict[str, Any]) -> int:
    return len(case.get("facts", {})) + sum(len(i.get("facts", {})) for i in case["items"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rules", default=str(ROOT / "rules"))
    parser.add_argument("--out", required=True, help="folder for the YAML case files")
    args = parser.parse_args()
    write_cases(load_rules(args.rules), args.seed, args.n, Path(args.out))
    print(f"{args.n} cases written to {args.out}")


def write_cases(library: RuleLibrary, seed: int, n: int, out: Path) -> None:
    """The generated cases as YAML case files, as `imr-rules evaluate FOLDER` reads them."""
    out.mkdir(parents=True, exist_ok=True)
    for case in CaseGenerator(library, seed).cases(n):
        (out / f"{case['case']}.yaml").write_text(yaml.safe_dump(case, sort_keys=False, width=120))


if __name__ == "__main__":
    main()
