"""Digests of every output of two checkouts, to show a refactoring changed no behaviour, byte for byte.

    python scripts/same_output.py digests CHECKOUT -o digests.json   # one checkout's digests
    python scripts/same_output.py compare BEFORE.json AFTER.json     # the inputs whose outputs differ

`digests` runs the real CLI (in one process, through click's test runner, with a cache of its own) of the
checkout CHECKOUT (its `imr_rules` comes first on the path) on: every letter in ../shared (letters/ and
dwc-letters/): `extract --format json`, `check --format json`, `check` (text) and `evaluate --format json`
of the extracted case; every case file in cases/ and tests/cases/: `evaluate --format json`, `evaluate`
(text) and `check --format json`. Each output (stdout, stderr and exit code) is kept only as its SHA-256,
so comparing prints file names and digests, never a letter's text (validation letters included).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _digests(checkout: Path, shared: Path) -> dict[str, str]:
    sys.path.insert(0, str(checkout))
    os.environ["IMR_RULES_CACHE_DIR"] = tempfile.mkdtemp(prefix="imr-same-output-cache-")  # a cold cache of its own
    os.environ["NO_COLOR"] = "1"
    from click.testing import CliRunner

    from imr_rules.cli import main

    assert Path(sys.modules["imr_rules"].__file__ or "").resolve().is_relative_to(checkout.resolve())
    runner = CliRunner()
    os.chdir(checkout)  # case files are named relative to the checkout, so both checkouts print the same paths
    rules = "rules"
    out: dict[str, str] = {}

    def run(key: str, *args: str) -> None:
        result = runner.invoke(main, [*args, "--rules", rules], catch_exceptions=False)
        digest = hashlib.sha256()
        for part in (result.stdout, result.stderr, str(result.exit_code)):
            digest.update(part.encode() + b"\0")
        out[key] = digest.hexdigest()

    letters = sorted((shared / "letters").glob("*.txt")) + sorted((shared / "dwc-letters").glob("*.txt"))
    tmp = Path(tempfile.gettempdir()) / "imr-same-output"  # one fixed name: outputs name the extracted case
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for letter in letters:
            name = f"{letter.parent.name}/{letter.name}"
            case = Path(tmp) / f"{letter.stem}.yaml"
            run(f"{name} extract", "extract", str(letter), "--format", "json")
            run(f"{name} check-json", "check", str(letter), "--format", "json")
            run(f"{name} check-text", "check", str(letter))
            runner.invoke(main, ["extract", str(letter), "-o", str(case), "--rules", rules])
            if case.exists():
                out[f"{name} extracted-case"] = hashlib.sha256(case.read_bytes()).hexdigest()
                run(f"{name} evaluate-json", "evaluate", str(case), "--format", "json")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for folder in (Path("cases"), Path("tests") / "cases"):
        for case in sorted(folder.glob("*.yaml")):
            run(f"{case} evaluate-json", "evaluate", str(case), "--format", "json")
            run(f"{case} evaluate-text", "evaluate", str(case))
            run(f"{case} check-json", "check", str(case), "--format", "json")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("digests", help="digest every output of one checkout")
    one.add_argument("checkout", type=Path)
    one.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    one.add_argument("-o", "--output", type=Path, required=True)
    one.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    two = sub.add_parser("compare", help="the inputs whose outputs differ between two digest files")
    two.add_argument("before", type=Path)
    two.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "digests":
        if not args.in_process:  # a fresh interpreter, so that only CHECKOUT's imr_rules is importable
            env = {**os.environ, "PYTHONPATH": str(args.checkout.resolve())}
            cmd = [sys.executable, __file__, "digests", str(args.checkout.resolve()), "--shared", str(args.shared)]
            return subprocess.call([*cmd, "-o", str(args.output), "--in-process"], env=env)
        digests = _digests(args.checkout.resolve(), args.shared)
        args.output.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
        print(f"{len(digests)} outputs digested")
        return 0
    before = json.loads(args.before.read_text())
    after = json.loads(args.after.read_text())
    differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    for key in differ:
        print(f"differs: {key}")
    print(f"{len(before)} outputs before, {len(after)} after, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
