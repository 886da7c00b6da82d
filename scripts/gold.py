"""Validate gold annotation files (eval/gold/<split>/<case>.yaml) against the letters and the vocabulary.

    python scripts/gold.py eval/gold/validation/            # every file: schema, digest, facts, values, spans
    python scripts/gold.py eval/invented/gold/              # a set with its own letters (../letters beside it)

Prints one line per problem (`path: message`) and exits 1 if there is any.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from imr_rules import load_rules  # noqa: E402
from imr_rules.models.gold import GoldFact, GoldLetter  # noqa: E402

LETTERS = ROOT.parent / "shared" / "dwc-letters"


def problems(path: Path, facts_vocab: dict[str, object], services: set[str]) -> list[str]:
    try:
        gold = GoldLetter.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        return [str(exc).replace("\n", " ")]
    out: list[str] = []
    beside = path.parent.parent / "letters" / f"{gold.case}.txt"  # a set that carries its letters (eval/invented)
    letter = beside if beside.is_file() else LETTERS / f"{gold.case}.txt"
    if not letter.is_file():
        return [f"no letter {letter}"]
    raw = letter.read_bytes()
    if hashlib.sha256(raw).hexdigest() != gold.letter_sha256:
        out.append("letter_sha256 does not match the letter")
    text = raw.decode("utf-8")

    def check(fact: GoldFact, scope: str) -> None:
        definition = facts_vocab.get(fact.fact)
        if definition is None:
            out.append(f"unknown fact {fact.fact}")
            return
        if getattr(definition, "scope", "case") != scope:
            out.append(f"{fact.fact} is a {getattr(definition, 'scope', '?')}-scope fact, listed at {scope} level")
        start, end = fact.span
        if not 0 <= start < end <= len(text):
            out.append(f"{fact.fact}: span {fact.span} outside the letter ({len(text)} chars)")

    for fact in gold.facts:
        check(fact, "case")
    for item in gold.items:
        if item.service is not None and item.service not in services:
            out.append(f"{item.item}: unknown service {item.service}")
        for fact in item.facts:
            check(fact, "item")
        for name in item.undocumented:
            if name not in facts_vocab:
                out.append(f"{item.item}: unknown fact {name} in undocumented")
    return out


def main() -> int:
    library = load_rules(ROOT / "rules")
    vocab = dict(library.facts.items())
    services = set(library.services)
    paths: list[Path] = []
    for arg in sys.argv[1:] or [str(ROOT / "eval" / "gold")]:
        p = Path(arg)
        paths += sorted(p.rglob("*.yaml")) if p.is_dir() else [p]
    bad = 0
    for path in paths:
        for message in problems(path, vocab, services):
            bad += 1
            print(f"{path}: {message}")
    print(f"{len(paths)} files, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
