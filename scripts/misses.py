"""Print the reader's misses on the TRAIN gold annotations, with the sentences, for pattern authors.

    python scripts/misses.py                 # every train miss: fact, gold value and sentence, read value and sentence
    python scripts/misses.py --fact red_flags_present
    python scripts/misses.py --dev invented-3  # the same on a released dev set (eval/invented, -2, -3)

Refuses any other split: validation letters and a held-out set of invented letters (eval/invented-4) are
measured (scripts/evaluation.py), never read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the sets of invented letters released for tuning; a held-out set is never listed here
DEV_SETS = ("invented", "invented-2", "invented-3")

from imr_rules import load_rules  # noqa: E402
from imr_rules.authoring.measure import FactScores, item_stem, load_gold, score_letter  # noqa: E402
from imr_rules.checking.consistency import Checker  # noqa: E402
from imr_rules.reading.extract import extract_case  # noqa: E402
from imr_rules.reading.letter import parse_letter  # noqa: E402
from imr_rules.sources import read_text  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT / "eval" / "gold" / "train"))
    parser.add_argument("--letters", default=str(ROOT.parent / "shared" / "dwc-letters"))
    parser.add_argument("--fact", default=None, help="only this fact")
    parser.add_argument(
        "--dev",
        nargs="?",
        const="invented",
        choices=DEV_SETS,
        help="a released dev set of invented letters (its gold and letters) instead of the train split; "
        "default eval/invented",
    )
    args = parser.parse_args()
    if args.dev:
        args.gold, args.letters = str(ROOT / "eval" / args.dev / "gold"), str(ROOT / "eval" / args.dev / "letters")
    elif Path(args.gold).resolve().name != "train":
        print("error: misses are shown for the train split only", file=sys.stderr)
        return 2
    library = load_rules(ROOT / "rules")
    patterns = Checker.load(library).patterns
    for gold in load_gold(args.gold):
        path = Path(args.letters) / f"{gold.case}.txt"
        text = read_text(path)
        data = extract_case(parse_letter(text, str(path)), text, library, patterns)
        scores = FactScores()
        score_letter(gold, data, library, scores)
        spans = {(None, f.fact): f.span for f in gold.facts}
        spans |= {(it.item, f.fact): f.span for it in gold.items for f in it.facts}
        for miss in scores.misses:
            if args.fact and miss.fact != args.fact:
                continue
            print(f"{gold.case} | {miss.item or '(case)'} | {miss.fact}: gold {miss.gold!r} read {miss.read!r}")
            span = spans.get((miss.item, miss.fact))
            if span:
                print(f"   gold:  {' '.join(text[span[0] : span[1]].split())}")
            facts = dict(data.facts)
            for item in data.items:
                if item_stem(item.item) == item_stem(miss.item or ""):
                    facts |= item.facts
            entry = facts.get(miss.fact)
            if entry is not None:
                for ev in entry.evidence[:1]:
                    print(f"   read:  {ev.quote}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
