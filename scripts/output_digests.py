"""Digests of every output the CLI gives, to show that a speed change leaves every byte as it was.

    python scripts/output_digests.py --out branch.txt               # this checkout's imr_rules
    python scripts/output_digests.py --against /path/to/main-tree   # also run that tree's code, compare

For each input it runs the real CLI in this process (click's test runner): `evaluate FILE --format json` and
`check FILE --format json` on every case in cases/ and tests/cases/, `check FILE --format json` and `extract
FILE --format yaml` and `--format json` on every letter (.txt, .pdf) in ../shared, and `evaluate FOLDER
--format jsonl` and `--format json` (with `--jobs 1` and `--jobs 2`) on generated cases (bench/generate.py,
seeded) and on the bundled cases copied many times. It records one line per run: the command, the exit code
and the SHA-256 of standard output and of standard error. Nothing of an output is printed or kept but its
digest (the letters include the validation split, whose text must not be read). The inputs are always this
checkout's files (absolute paths), so the two trees' outputs name the same sources. `--against DIR` runs the
same script with DIR first on PYTHONPATH (a tree with its compiled engine module, such as `git archive main`
plus the .so) and prints the commands whose digests differ, then exits 1 if any do.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _commands(work: Path, generated: int, copies: int) -> Iterator[list[str]]:
    cases = sorted((ROOT / "cases").glob("*.yaml")) + sorted((ROOT / "tests" / "cases").rglob("*.yaml"))
    for case in cases:
        yield ["evaluate", str(case), "--format", "json"]
        yield ["check", str(case), "--format", "json"]
    for folder in ("letters", "dwc-letters", "dwc-pdfs"):
        for letter in sorted((SHARED / folder).glob("*")):
            if letter.suffix.lower() in (".txt", ".pdf"):
                yield ["check", str(letter), "--format", "json"]
                yield ["extract", str(letter), "--format", "yaml"]
                yield ["extract", str(letter), "--format", "json"]
    for folder in (work / "generated", work / "copies"):
        for jobs in ("1", "2"):
            for fmt in ("jsonl", "json"):
                yield ["evaluate", str(folder), "--format", fmt, "--jobs", jobs]


def _inputs(work: Path, generated: int, copies: int) -> None:
    """Generated cases (seeded) and copies of the bundled cases, written once into `work`."""
    sys.path.insert(0, str(ROOT))
    from bench.generate import write_cases
    from imr_rules.library.loading import load_rules

    write_cases(load_rules(ROOT / "rules"), 1, generated, work / "generated")
    (work / "copies").mkdir()
    bundled = sorted((ROOT / "cases").glob("*.yaml"))
    for n in range(copies):
        source = bundled[n % len(bundled)]
        shutil.copy(source, work / "copies" / f"{n:05d}_{source.name}")


def digests(work: Path, generated: int, copies: int) -> list[str]:
    from click.testing import CliRunner

    from imr_rules.cli import main

    runner = CliRunner()
    lines = []
    for args in _commands(work, generated, copies):
        result = runner.invoke(main, args, catch_exceptions=False)
        out = hashlib.sha256(result.stdout_bytes).hexdigest()[:16]
        err = hashlib.sha256(result.stderr_bytes or b"").hexdigest()[:16]
        shown = " ".join(a.replace(str(work), "WORK").replace(str(ROOT), "ROOT") for a in args)
        lines.append(f"{shown}\texit {result.exit_code}\tout {out}\terr {err}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write the digest lines here")
    parser.add_argument("--against", type=Path, help="a tree to compare with (run first on PYTHONPATH)")
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--generated", type=int, default=500)
    parser.add_argument("--copies", type=int, default=500)
    args = parser.parse_args()
    os.environ.setdefault("NO_COLOR", "1")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        if args.work is None:
            _inputs(work, args.generated, args.copies)
        if args.against is not None:
            # the other tree first: its outputs from the same inputs
            env = {**os.environ, "PYTHONPATH": str(args.against.resolve())}
            again = ["--work", str(work), "--generated", str(args.generated), "--copies", str(args.copies)]
            other = subprocess.run(
                [sys.executable, __file__, *again],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()
        mine = digests(work, args.generated, args.copies)
    if args.out is not None:
        args.out.write_text("\n".join(mine) + "\n")
    if args.against is None:
        if args.out is None:
            print("\n".join(mine))
        return
    differ = [m for m, o in zip(mine, other, strict=True) if m != o]
    print(f"{len(mine)} runs compared with {args.against}: {len(differ)} differ")
    for line in differ:
        print("differs:", line.split("\t")[0])
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
