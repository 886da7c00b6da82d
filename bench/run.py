"""Benchmark for issue 6: evaluation speed through durable-rules against the plain-Python oracle, where the
time goes, memory over many cases, and the CLI's cold start. Prints Markdown (bench/RESULTS.md records it).

    python -m bench.run                 # 1,000 cases x 5 runs, memory after 1k and 10k cases
    python -m bench.run --full          # memory after 100k cases as well (several minutes)
    python -m bench.run --issue-19      # issue 19: cold start, a folder of 4,000 case files, engine/oracle

Runs on one core (the process pins itself to one CPU where the OS allows). Timings on a shared machine
are noisy: read the median and the spread, not one figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import CaseGenerator, count_facts, write_cases  # noqa: E402
from imr_rules import evaluate, load_rules  # noqa: E402
from imr_rules.library.loading import RuleLibrary  # noqa: E402
from imr_rules.reading.casefile import LoadedCase, case_from_data  # noqa: E402
from tests.oracle import evaluate_case  # noqa: E402

EVALUATE: Any = sys.modules[
    "imr_rules.engine.evaluation"
]  # the module (the package re-exports the function by that name)
ENGINE: Any = sys.modules["imr_rules.engine.runtime"]
SEED_CASE = ROOT / "cases" / "001_dbfc6dcde667e7b2.yaml"


# -- machine ---------------------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "durable-rules": ", ".join(p.name for p in sorted((ROOT / "vendor").glob("durable-rules-*"))) + " (vendored)",
        "pydantic": metadata.version("pydantic"),
        "os": f"{platform.system()} {platform.release()}",
        "imr-rules commit": commit.strip() or "unknown",
    }


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = sorted(os.sched_getaffinity(0))[-1]
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        current = pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        current = float("nan")
    return current, peak


# -- timing ----------------------------------------------------------------------------------------------------
def timed_runs(work: Callable[[], object], runs: int, n: int) -> list[float]:
    """Microseconds per case for each run (GC left on: it is part of the real cost)."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        out.append((time.perf_counter() - start) / n * 1e6)
    return out


def rate(us: list[float]) -> str:
    med = statistics.median(us)
    return (
        f"{1e6 / med:,.0f} cases/s (median of {len(us)}; runs {1e6 / max(us):,.0f}-{1e6 / min(us):,.0f}); "
        f"{med:,.0f} us/case"
    )


class Probe:
    """Wraps the evaluation stages to see where the time goes and how many actions fire per case."""

    def __init__(self) -> None:
        self.time: dict[str, float] = {}
        self.calls: Counter[str] = Counter()
        self.per_case: list[tuple[float, int]] = []  # per session: (engine.run seconds, firings)
        self.kinds: Counter[str] = Counter()  # firings by what they derive
        self.saved: dict[tuple[Any, str], Any] = {}

    def wrap(self, module: Any, name: str, label: str, engine: bool = False) -> None:
        original = getattr(module, name)
        self.saved[(module, name)] = original
        probe = self

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            result = original(*args, **kwargs)
            spent = time.perf_counter() - start
            probe.time[label] = probe.time.get(label, 0.0) + spent
            probe.calls[label] += 1
            if engine:
                probe.per_case.append((spent, len(result)))
                probe.kinds.update(firing_kind(args[0], f.node) for f in result)
            return result

        setattr(module, name, wrapper)

    def __enter__(self) -> Probe:
        self.wrap(ENGINE, "run", "engine.run (assert_facts, actions, delete_state)", engine=True)
        self.wrap(EVALUATE, "compiled_for", "compiled_for (cache lookup, compile on a miss)")
        self.wrap(EVALUATE, "engine_facts", "engine_facts (encode the item facts)")
        self.wrap(EVALUATE, "route", "route (rules in force per service)")
        self.wrap(EVALUATE, "determination", "explain.determination (statuses -> pydantic results)")
        return self

    def __exit__(self, *exc: object) -> None:
        for (module, name), original in self.saved.items():
            setattr(module, name, original)


def firing_kind(compiled: Any, node: str) -> str:
    if node in ("$done", "link"):
        return {"$done": "$done marker (1 per session)", "link": "dependency links"}[node]
    if node.startswith("decision/"):
        return "item decisions"
    if node.endswith("/$gate"):
        return "exclusion gates"
    spec = compiled.nodes.get(node)
    if spec is None:
        return "other"
    if spec.kind == "fact":
        return "leaf criteria (fact comparisons)"
    return "hidden at_least subsets" if spec.hidden else "tree nodes (all_of/any_of/not)"


# -- memory (in a child process, so the timing runs do not pollute it) -------------------------------------
def memory_child(total: int, seed: int, pool: int, max_rss_mb: float) -> None:
    """Evaluate `total` cases and print RSS at checkpoints, as JSON lines.

    pool > 0: the cases cycle through `pool` distinct generated cases (steady state: a per-case leak
    shows, new rule combinations do not); pool == 0: every case is new (as in production). Stops early
    when RSS passes `max_rss_mb`: the machine is shared and growth per ruleset is the figure wanted.
    """
    library = load_rules(ROOT / "rules")
    generator = CaseGenerator(library, seed)
    cycle = [case_from_data(c, library) for c in generator.cases(pool)] if pool else []
    checkpoints = {1_000, 10_000, 100_000, total}
    start = time.perf_counter()
    for n in range(1, total + 1):
        loaded = cycle[(n - 1) % pool] if pool else case_from_data(generator.case(n), library)
        evaluate(loaded, library)
        stop = n % 100 == 0 and rss_mb()[0] > max_rss_mb
        if n in checkpoints or stop:
            current, peak = rss_mb()
            rulesets = ENGINE.registered()
            seconds = time.perf_counter() - start
            row = {"n": n, "rss": current, "peak": peak, "rulesets": rulesets, "s": seconds, "stopped": stop}
            print(json.dumps(row), flush=True)
        if stop:
            return


def memory(total: int, seed: int, pool: int, max_rss_mb: float) -> list[dict[str, float]]:
    cmd = [sys.executable, "-m", "bench.run", "--memory-child", str(total), "--seed", str(seed), "--pool", str(pool)]
    cmd += ["--max-rss-mb", str(max_rss_mb)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


# -- cold start ----------------------------------------------------------------------------------------------------
def cold_start(
    args: list[str], runs: int, env: dict[str, str] | None = None, fresh: Path | None = None
) -> tuple[float, float, float, float, str]:
    """(median wall ms, median CPU ms (user+system of the child), min CPU, max CPU, command) of `runs` runs;
    `fresh` is a cache folder emptied before every run (the first run after a rule edit)."""
    script = Path(sys.executable).with_name("imr-rules")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "imr_rules.cli"]
    walls, cpus = [], []
    for _ in range(runs):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*cmd, *args], cwd=ROOT, capture_output=True, check=False, env={**os.environ, **(env or {})})
        walls.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    name = " ".join(Path(c).name for c in cmd)
    return statistics.median(walls), statistics.median(cpus), min(cpus), max(cpus), name


def cold_starts(runs: int = 7) -> list[str]:
    """Cold start of `--help`, `evaluate` of a seed case and `check` of a seed letter: with the rule-library
    cache (imr_rules.cache) warm, with it emptied before each run, and with it turned off. The package's
    bytecode is compiled first, as `pip install` does: a checkout run with PYTHONDONTWRITEBYTECODE set (as
    on the project's shared machine) would otherwise compile every module from source on every run."""
    import compileall

    compileall.compile_dir(str(ROOT / "imr_rules"), quiet=1)
    letter = ROOT.parent / "shared" / "letters" / "001_dbfc6dcde667e7b2.txt"
    commands = [["--help"], ["evaluate", str(SEED_CASE.relative_to(ROOT))]]
    if letter.exists():
        commands.append(["check", "../shared/letters/" + letter.name])
    lines = [
        "| command | cache | CPU ms, median (min-max) | wall ms, median | target (issue 19) |",
        "|---|---|---:|---:|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cache"
        modes: list[tuple[str, dict[str, str], Path | None]] = [
            ("warm", {"IMR_RULES_CACHE_DIR": str(folder)}, None),
            ("emptied each run", {"IMR_RULES_CACHE_DIR": str(folder)}, folder),
            ("off (IMR_RULES_NO_CACHE=1)", {"IMR_RULES_NO_CACHE": "1"}, None),
        ]
        for cli_args in commands:
            for label, env, fresh in modes if cli_args != ["--help"] else modes[:1]:
                cold_start(cli_args, 1, env)  # the page cache and, for "warm", the cache file
                wall, cpu, lo, hi, cmd = cold_start(cli_args, runs, env, fresh)
                target = "-"
                if label == "warm" and cli_args[0] in ("check", "evaluate"):
                    target = f"< {COLD_TARGET_MS} ms CPU: {'met' if cpu < COLD_TARGET_MS else 'not met'}"
                lines.append(
                    f"| `{cmd} {' '.join(cli_args)}` | {label} | {cpu:,.0f} ({lo:,.0f}-{hi:,.0f}) | {wall:,.0f} "
                    f"| {target} |"
                )
    return lines


# -- report --------------------------------------------------------------------------------------------------------
def workload(cases: list[dict[str, Any]], loaded: list[LoadedCase], library: RuleLibrary) -> Iterator[str]:
    facts = [count_facts(c) for c in cases]
    items = [len(c["items"]) for c in cases]
    outcomes = Counter(d.outcome for lc in loaded for d in evaluate(lc, library).determinations)
    yield (
        f"- {len(cases):,} generated cases (seeded); facts per case {min(facts)}-{max(facts)} "
        f"(mean {statistics.mean(facts):.1f})"
    )
    yield f"- items per case 1-{max(items)} (mean {statistics.mean(items):.2f}); outcomes {dict(outcomes)}"
    yield f"- library: {len(library.rules)} rules, {len(library.facts)} facts, {len(library.services)} services"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="cases per timed run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="memory after 100k cases too")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--cold-only", action="store_true", help="only the cold-start table (a few seconds)")
    parser.add_argument(
        "--folder-only", action="store_true", help="only the folder figures (issue 19): the CLI on bundled copies"
    )
    parser.add_argument(
        "--issue-19",
        action="store_true",
        help="issue 19's figures in one run: cold start (--cold-only) and the folder with the oracle (--folder-only)",
    )
    parser.add_argument("--copies", type=int, default=4000, help="bundled cases copied this many times (folder)")
    parser.add_argument("--memory-child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--pool", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--max-rss-mb", type=float, default=4096, help="stop a memory run past this RSS")
    args = parser.parse_args()
    pinned = pin_one_core()
    if args.memory_child:
        memory_child(args.memory_child, args.seed, args.pool, args.max_rss_mb)
        return

    print("# imr-rules benchmark (issue 6)\n")
    print("## Machine\n")
    for key, value in machine().items():
        print(f"- {key}: {value}")
    print(f"- process {pinned}\n")
    if args.issue_19:
        print(f"## Cold start of the CLI (subprocess, 7 runs; target: < {COLD_TARGET_MS} ms of CPU, cache warm)\n")
        for line in cold_starts():
            print(line)
        print()
    if args.folder_only or args.issue_19:
        for line in folder_figures(args.copies, args.runs):
            print(line)
        return
    if args.cold_only:
        print(f"## Cold start of the CLI (subprocess, 7 runs; target: < {COLD_TARGET_MS} ms of CPU, cache warm)\n")
        for line in cold_starts():
            print(line)
        return

    library = load_rules(ROOT / "rules")
    cases = list(CaseGenerator(library, args.seed).cases(args.n))
    start = time.perf_counter()
    loaded = [case_from_data(c, library) for c in cases]
    load_us = (time.perf_counter() - start) / args.n * 1e6

    start = time.perf_counter()
    for lc in loaded:
        evaluate(lc, library)
    first_us = (time.perf_counter() - start) / args.n * 1e6
    rulesets = ENGINE.registered()

    print("## Workload\n")
    for line in workload(cases, loaded, library):
        print(line)
    print(f"- validating the case dicts (case_from_data, not timed below): {load_us:,.0f} us/case\n")

    # the three workloads alternate run by run, so that load from other processes hits them alike
    # each result is dropped as soon as it is made, as a batch run writes and drops it (keeping 1,000
    # Evaluations alive made the garbage collector walk them all, ~30% of the time measured)
    work: dict[str, Callable[[], object]] = {
        "full": lambda: _each(loaded, lambda lc: evaluate(lc, library)),
        "engine": lambda: _each(loaded, lambda lc: EVALUATE.derive(lc.case, library)),
        "oracle": lambda: _each(loaded, lambda lc: evaluate_case(lc.case, library)),
    }
    times: dict[str, list[float]] = {k: [] for k in work}
    stages: dict[str, list[float]] = {}
    per_case: list[tuple[float, int]] = []
    kinds: Counter[str] = Counter()
    probed: list[float] = []  # us per case of the instrumented passes
    for _ in range(args.runs):
        for key, job in work.items():
            times[key] += timed_runs(job, 1, args.n)
        with Probe() as probe:
            start = time.perf_counter()
            for lc in loaded:
                evaluate(lc, library)
            probed.append((time.perf_counter() - start) / args.n * 1e6)
        for label, spent in probe.time.items():
            stages.setdefault(label, []).append(spent / args.n * 1e6)
        per_case += probe.per_case
        kinds.update(probe.kinds)
    full, engine_only, oracle = times["full"], times["engine"], times["oracle"]

    print("## Evaluation through durable-rules (`imr_rules.engine.evaluation`, explanations included)\n")
    print(f"- first pass, compiling and registering {rulesets} rulesets (rule combinations): {first_us:,.0f} us/case")
    print(f"- warm: {rate(full)}")
    print(f"- without explanations (`evaluation.derive`: routing, compiling, sessions): {rate(engine_only)}")
    sessions = [f for _, f in per_case[: len(per_case) // args.runs]]
    fit = statistics.linear_regression([float(f) for _, f in per_case], [t * 1e6 for t, _ in per_case])
    items = sum(len(lc.case.items) for lc in loaded)
    print(
        f"- firings: {sum(sessions) / args.n:.1f} per case, {sum(sessions) / items:.1f} per item; "
        f"{len(sessions):,} sessions for {args.n:,} cases ({items:,} items), {statistics.mean(sessions):.1f} "
        f"firings per session, at most {max(sessions)}"
    )
    print(
        f"- engine.run fitted over the sessions: {fit.intercept:,.0f} us per session + {fit.slope:,.1f} us per firing\n"
    )
    print("What the firings derive (per case):\n")
    print("| firings | per case | share |")
    print("|---|---:|---:|")
    all_firings = sum(kinds.values())
    for kind, count in kinds.most_common():
        print(f"| {kind} | {count / (args.n * args.runs):.1f} | {count / all_firings:.0%} |")
    print()
    print("Where the time goes (instrumented passes, median per stage; the probes add ~1 us per call):\n")
    print("| stage | us per case | share |")
    print("|---|---:|---:|")
    probed_total = statistics.median(probed)
    medians = {label: statistics.median(v) for label, v in stages.items()}
    for label, us in sorted(medians.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {us:,.0f} | {us / probed_total:.0%} |")
    rest = max(probed_total - sum(medians.values()), 0)
    print(f"| the rest of evaluate() (Evaluation, Provenance, loops) | {rest:,.0f} | {rest / probed_total:.0%} |")
    print(f"| **instrumented pass, total** | {probed_total:,.0f} | 100% |\n")
    total = statistics.median(full)
    # what the firing model predicts if leaf comparisons and exclusion gates no longer fired (see RESULTS.md)
    spared = (kinds["leaf criteria (fact comparisons)"] + kinds["exclusion gates"]) / (args.n * args.runs)
    projected = total - fit.slope * spared
    print(
        f"Projection from the fitted cost: without leaf and gate firings ({spared:.1f} per case), "
        f"{projected:,.0f} us/case, {1e6 / projected:,.0f} cases/s with explanations; "
        f"{1e6 / max(statistics.median(engine_only) - fit.slope * spared, 1):,.0f} cases/s without.\n"
    )

    print("## The same cases through the plain-Python oracle (`tests/oracle.py`)\n")
    print(f"- oracle: {rate(oracle)}")
    ratio_full = statistics.median(full) / statistics.median(oracle)
    ratio_engine = statistics.median(engine_only) / statistics.median(oracle)
    print(f"- cost ratio engine/oracle: {ratio_full:.1f}x with explanations, {ratio_engine:.1f}x engine only\n")

    if not args.skip_memory:
        total_n = 100_000 if args.full else 10_000
        print(f"## Memory over {total_n:,} cases (one process per column; RSS in MB)\n")
        for title, pool in (("every case new", 0), ("1,000 cases cycled", 1000)):
            rows = memory(total_n, args.seed, pool, args.max_rss_mb)
            print(f"{title}:\n")
            print("| cases | RSS | peak RSS | rulesets registered | seconds |")
            print("|---:|---:|---:|---:|---:|")
            for row in rows:
                mark = f" (stopped: RSS over {args.max_rss_mb:,.0f} MB)" if row["stopped"] else ""
                print(
                    f"| {row['n']:,}{mark} | {row['rss']:,.0f} | {row['peak']:,.0f} | {row['rulesets']:,.0f} | "
                    f"{row['s']:,.0f} |"
                )
            if len(rows) >= 2 and rows[-1]["rulesets"] > rows[0]["rulesets"]:
                growth = (rows[-1]["rss"] - rows[0]["rss"]) / (rows[-1]["rulesets"] - rows[0]["rulesets"])
                print(f"\n{growth:,.2f} MB per ruleset registered after the first 1,000 cases.")
            print()

    print("## Extraction (letter text -> case data; parse + extract, median of 5 passes)\n")
    for label, folder in (
        ("the project's test letters", ROOT / "tests" / "letters"),
        ("seed letters (../shared/letters)", ROOT.parent / "shared" / "letters"),
        ("published letters (../shared/dwc-letters)", ROOT.parent / "shared" / "dwc-letters"),
    ):
        for line in extraction_speed(label, folder, library):
            print(line)
    print()

    if not args.skip_cold:
        print("## The CLI on case files (`imr-rules evaluate FOLDER --format jsonl`, median of 3)\n")
        for line in cli_throughput(library, args.seed, 2_000):
            print(line)
        print()
        print("## Cold start of the CLI (subprocess, 7 runs; target: well under 1 s of CPU)\n")
        for line in cold_starts():
            print(line)
        print()


FOLDER_TARGET = 1_000  # case files per second with --jobs 2 (issue 19)
COLD_TARGET_MS = 300  # CPU of a cold one-file `check` or `evaluate`, cache warm (issue 19)
RATIO_TARGET = 5.0  # the engine path's cost per item against the oracle's, explanations included


def folder_figures(copies: int, runs: int) -> list[str]:
    """Issue 19: `imr-rules evaluate FOLDER --format jsonl` on the bundled cases copied `copies` times,
    each figure beside its target, with the oracle and the stages of one case measured in the same run.

    CPU time (user + system of the CLI and its workers, from getrusage) is the figure to read on a
    shared machine: wall time depends on what else runs. "On 2 free cores" is the CPU time spread over
    both cores (copies / (CPU / 2)), the rate the run would reach if nothing else ran.
    """
    from imr_rules import sources
    from imr_rules.models import Case
    from imr_rules.output.batch import Rendering
    from imr_rules.reading.casefile import load_case

    library = load_rules(ROOT / "rules")
    bundled = sorted((ROOT / "cases").glob("*.yaml"))
    lines = [f"## A folder of case files (issue 19): the {len(bundled)} bundled cases copied to {copies:,} files\n"]
    script = Path(sys.executable).with_name("imr-rules")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "imr_rules.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cases"
        folder.mkdir()
        for n in range(copies):
            shutil.copy(bundled[n % len(bundled)], folder / f"{n:05d}_{bundled[n % len(bundled)].name}")
        lines.append("| run | files/s (wall) | CPU ms per file | files/s from CPU (on `jobs` free cores) | target |")
        lines.append("|---|---:|---:|---:|---|")
        for jobs in (1, 2):
            walls, cpus = [], []
            for _ in range(max(1, min(runs, 3))):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                proc = subprocess.run(
                    [*cmd, "evaluate", str(folder), "--format", "jsonl", "--jobs", str(jobs)],
                    cwd=ROOT,
                    capture_output=True,
                    check=False,
                    preexec_fn=_all_cores,
                )
                walls.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                if proc.returncode != 0 or proc.stdout.count(b"\n") != copies:
                    return [*lines, f"- `--jobs {jobs}` failed: exit {proc.returncode}, {proc.stderr[-300:]!r}"]
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            free = copies / (cpu / min(jobs, 2))
            target = f">= {FOLDER_TARGET:,}/s: {'met' if free >= FOLDER_TARGET else 'not met'}" if jobs == 2 else "-"
            lines.append(
                f"| `evaluate FOLDER --format jsonl --jobs {jobs}` (median of {len(walls)}) | {copies / wall:,.0f} | "
                f"{cpu / copies * 1000:.2f} | {free:,.0f} | {target} |"
            )
        lines.append("")
        # one file's stages in this process (CPU time, best of `runs` passes over the copies' texts)
        texts = [(str(p), sources.read_text(p)) for p in sorted(folder.glob("*.yaml"))[:1000]]
        loaded = [load_case(p, library) for p, _ in texts]
        evaluations = [evaluate(lc, library) for lc in loaded]
        stages: dict[str, Callable[[], object]] = {
            "YAML, fast reader (`sources.parse_yaml`)": lambda: [sources.parse_yaml(t, p) for p, t in texts],
            "YAML, position-keeping reader (errors only)": lambda: [sources._parse_located(t, p) for p, t in texts],
            "JSON (`sources.parse_json`)": lambda: [sources.parse_json(j, "c.json") for j in as_json],
            "JSON, then validation (pydantic)": lambda: [
                sources.schema_errors(sources.parse_json(j, "c.json"), Case, "case") for j in as_json
            ],
            "evaluation with explanations (`evaluate`)": lambda: [evaluate(lc, library) for lc in loaded],
            "evaluation without explanations (`derive`)": lambda: [EVALUATE.derive(lc.case, library) for lc in loaded],
            "the plain-Python oracle (`tests/oracle.py`)": lambda: [evaluate_case(lc.case, library) for lc in loaded],
            "rendering a JSON line (`batch.Rendering`)": lambda: [Rendering("jsonl")(e) for e in evaluations],
        }
        as_json = [json.dumps(d.data, default=str) for d in (sources.parse_yaml(t, p) for p, t in texts)]
        best: dict[str, float] = {}
        for _ in range(max(1, runs)):
            for label, job in stages.items():
                start = time.process_time()
                job()
                spent = (time.process_time() - start) / len(texts) * 1e6
                best[label] = min(best.get(label, spent), spent)
        items = sum(len(lc.case.items) for lc in loaded) / len(loaded)
        lines.append(f"One file's stages (CPU us per file, best of {max(1, runs)}; {items:.1f} items per case):\n")
        lines.append("| stage | us per file |")
        lines.append("|---|---:|")
        for label, us in best.items():
            lines.append(f"| {label} | {us:,.0f} |")
        oracle = best["the plain-Python oracle (`tests/oracle.py`)"]
        full = best["evaluation with explanations (`evaluate`)"]
        engine = best["evaluation without explanations (`derive`)"]
        met = "met" if full / oracle <= RATIO_TARGET else "not met"
        lines.append("")
        lines.append(
            f"- engine path / oracle, per item (the same items): {full / oracle:.1f}x with explanations "
            f"(target <= {RATIO_TARGET:.0f}x: {met}), {engine / oracle:.1f}x without"
        )
    return lines


def cli_throughput(library: RuleLibrary, seed: int, n: int) -> list[str]:
    """Files per second end to end: read, parse and validate each YAML case, evaluate, write JSON lines.

    `--jobs 1` runs on the pinned core; `--jobs 2` is given every core (the workers are processes).
    """
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cases"
        write_cases(library, seed, n, folder)
        script = Path(sys.executable).with_name("imr-rules")
        cmd = [str(script)] if script.exists() else [sys.executable, "-m", "imr_rules.cli"]
        for jobs in (1, 2):
            times = []
            for _ in range(3):
                start = time.perf_counter()
                proc = subprocess.run(
                    [*cmd, "evaluate", str(folder), "--format", "jsonl", "--jobs", str(jobs)],
                    cwd=ROOT,
                    capture_output=True,
                    check=False,
                    preexec_fn=_all_cores if jobs > 1 else None,
                )
                times.append(time.perf_counter() - start)
                if proc.returncode != 0 or proc.stdout.count(b"\n") != n:
                    return [f"- `--jobs {jobs}` failed: exit {proc.returncode}, {proc.stderr[-300:]!r}"]
            med = statistics.median(times)
            lines.append(f"- `--jobs {jobs}`: {n / med:,.0f} case files/s ({n:,} files in {med:.1f} s)")
    return lines


def _all_cores() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))


def extraction_speed(label: str, folder: Path, library: RuleLibrary) -> list[str]:
    """Letters per second, reading every fact (case files) and only the facts the rules use (`check`)."""
    from imr_rules.errors import ImrError
    from imr_rules.reading.extract import extract_case
    from imr_rules.reading.letter import parse_letter
    from imr_rules.reading.patterns import load_patterns

    texts = [(str(p), p.read_text()) for p in sorted(folder.rglob("*.txt"))] if folder.is_dir() else []
    patterns = load_patterns(library.root)
    readable = []
    for name, text in texts:
        try:
            parse_letter(text, name)
            readable.append((name, text))
        except ImrError:
            continue  # the suite's deliberately broken letters
    if not readable:
        return [f"- {label}: not present"]
    lines = []
    for only_used in (False, True):
        rates = []
        for _ in range(5):
            start = time.perf_counter()
            for name, text in readable:
                extract_case(parse_letter(text, name), text, library, patterns, only_used=only_used)
            rates.append(len(readable) / (time.perf_counter() - start))
        mode = "only the facts the governing rules test (check)" if only_used else "every fact (case files)"
        size = sum(len(t) for _, t in readable) // len(readable)
        lines.append(
            f"- {label}, {len(readable)} letters of {size:,} characters on average, {mode}: "
            f"{statistics.median(rates):,.0f} letters/s ({min(rates):,.0f}-{max(rates):,.0f})"
        )
    return lines


def _each(loaded: list[LoadedCase], job: Callable[[LoadedCase], object]) -> None:
    for lc in loaded:
        job(lc)


if __name__ == "__main__":
    gc.collect()
    main()
