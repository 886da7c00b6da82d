"""Alternate runs of the real `imr-rules` program from two (or more) trees: CPU of each run, same bytes out.

    python bench/ab.py MAIN_TREE,BRANCH_TREE "check ../shared/letters/001_dbfc6dcde667e7b2.txt" --runs 9

Each tree is a folder holding an `imr_rules` package (a worktree, or `git archive` of a commit plus the
engine module). Every run is `python -m imr_rules.cli ARGS` started inside the tree (so `python -m` puts
that tree first on `sys.path` and each runs its own code), with this interpreter; the trees take turns,
after one warming run each (the cache). A run's CPU is the child's user + system time from `os.wait4`
(its waited-for workers included), which moves less with a shared machine's load than wall time. Prints
the median and minimum per tree and whether every run of every tree wrote the same standard output
(relative paths in ARGS are resolved first, so every tree reads the same files).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
from pathlib import Path


def _run(tree: Path, args: list[str]) -> tuple[float, bytes]:
    """One run of the program inside `tree`: (CPU ms, standard output)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: becomes the program
        os.chdir(tree)
        os.dup2(write, 1)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        os.execv(sys.executable, [sys.executable, "-m", "imr_rules.cli", *args])
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    _, _, usage = os.wait4(pid, 0)
    return (usage.ru_utime + usage.ru_stime) * 1000, b"".join(chunks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", help="comma-separated folders, each holding an imr_rules package")
    parser.add_argument("args", help="the program's arguments, as one string")
    parser.add_argument("--runs", type=int, default=9)
    options = parser.parse_args()
    trees = [Path(t).resolve() for t in options.trees.split(",")]
    args = [
        a if a.startswith("-") or not Path(a).exists() else str(Path(a).resolve()) for a in shlex.split(options.args)
    ]
    for tree in trees:  # warm: the cache, bytecode
        subprocess.run([sys.executable, "-m", "imr_rules.cli", *args], cwd=tree, capture_output=True, check=False)
    cpu: dict[Path, list[float]] = {t: [] for t in trees}
    outputs: set[bytes] = set()
    for _ in range(options.runs):
        for tree in trees:
            ms, out = _run(tree, args)
            cpu[tree].append(ms)
            outputs.add(out)
    for tree in trees:
        runs = cpu[tree]
        print(f"{tree}: median {statistics.median(runs):.0f} ms, min {min(runs):.0f}, runs {[round(r) for r in runs]}")
    print(f"standard output identical in every run: {len(outputs) == 1}")


if __name__ == "__main__":
    main()
