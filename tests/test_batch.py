"""Batch evaluation: listing folders, one result per file in input order whatever happens to the others,
the same results from worker processes as in-process, and output files written whole or not at all."""

from __future__ import annotations

import os
import signal
import stat
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

from imr_rules import ImrError
from imr_rules.errors import EngineError, InputFileError
from imr_rules.output.batch import BatchResult, InputFile, _evaluate_chunk, evaluate_many, list_inputs, write_atomic
from imr_rules.sources import load_yaml

from .conftest import CASES, RULES

SEEDS = sorted(CASES.glob("*.yaml"))


def variations(seed: Path, n: int) -> list[dict[str, Any]]:
    """n cases derived from a seed: its facts flipped, dropped or added, its dates moved."""
    base = load_yaml(seed).data
    out = []
    for k in range(n):
        case = yaml.safe_load(yaml.safe_dump(base))  # a deep copy
        case["case"] = f"{base['case']}-v{k}"
        facts = case.setdefault("facts", {}) or {}
        case["facts"] = facts
        if k % 3 == 1:
            for name, fact in list(facts.items()):
                value = fact["value"] if isinstance(fact, dict) else fact
                if isinstance(value, bool):
                    facts[name] = {"value": not value}
        if k % 3 == 2 and facts:
            facts.pop(sorted(facts)[0])
        if k % 4 == 3:
            facts["red_flags_present"] = True
            facts["conservative_care_failed"] = k % 8 == 3
        if k % 5 == 4:
            case["dates"] = {"ur_decision": "2018-01-15"}  # after the 2004 ACOEM editions
        out.append(case)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 cases in nested folders (12 variations of each seed case)."""
    root = tmp_path_factory.mktemp("corpus")
    for s, seed in enumerate(SEEDS):
        for k, case in enumerate(variations(seed, 12)):
            folder = root / f"seed{s}" / ("odd" if k % 2 else "even")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"case{k:02d}.yaml").write_text(yaml.safe_dump(case, sort_keys=False))
    return root


def summary(results: list[BatchResult]) -> list[tuple[str, Any]]:
    return [(r.path, r.evaluation.model_dump() if r.evaluation else str(r.error)) for r in results]


def test_listing_is_sorted_recursive_and_keeps_explicit_files(corpus: Path, tmp_path: Path) -> None:
    listed = list_inputs([corpus])
    assert len(listed) == 60 and all(f.error is None for f in listed)
    rel = [f.path.relative_to(corpus).parts for f in listed]
    assert rel == sorted(rel)
    extra = tmp_path / "notes.txt"
    extra.write_text("case: x\n")
    listed = list_inputs([extra, corpus, extra])  # argument order kept, duplicates once
    assert listed[0].path == extra and len(listed) == 61


def test_listing_survives_symlink_loops_hidden_files_and_unreadable_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "in"
    (root / "sub" / "locked").mkdir(parents=True)
    (root / "a.yaml").write_text("case: a\n")
    (root / "b.YML").write_text("case: b\n")
    (root / "c.json").write_text("{}")
    (root / "c.txt").write_text("a letter")
    (root / ".hidden.yaml").write_text("case: hidden\n")
    (root / "sub" / "d.yaml").write_text("case: d\n")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)  # a folder loop
    (root / "loop1.yaml").symlink_to(root / "loop2.yaml")  # a file loop
    (root / "loop2.yaml").symlink_to(root / "loop1.yaml")
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    listed = list_inputs([root])
    names = [str(f.path.relative_to(root)) for f in listed]
    assert names == ["a.yaml", "b.YML", "c.json", "loop1.yaml", "loop2.yaml", "sub/d.yaml", "sub/locked"]
    locked = listed[-1]
    assert isinstance(locked.error, InputFileError) and "Permission denied" in str(locked.error)
    results = list(evaluate_many(listed, RULES))
    assert [r.path for r in results] == [str(f.path) for f in listed]
    loop = results[3]
    assert loop.error is not None and "symbolic links" in str(loop.error)


def test_jobs_1_and_jobs_2_give_identical_results(corpus: Path) -> None:
    listed = list_inputs([corpus])
    serial = list(evaluate_many(listed, RULES, jobs=1))
    parallel = list(evaluate_many(listed, RULES, jobs=2, chunksize=4))
    assert len(serial) == 60 and all(r.ok for r in serial)
    assert summary(parallel) == summary(serial)
    outcomes = {d.outcome for r in serial for d in r.evaluation.determinations}  # type: ignore[union-attr]
    assert outcomes == {"Upheld", "Overturned", "Undetermined"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_broken_file_yields_its_error_and_the_run_continues(corpus: Path, tmp_path: Path, jobs: int) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = sorted(corpus.rglob("*.yaml"))[:6]
    for n, path in enumerate(good):
        (folder / f"{n * 2:02d}.yaml").write_text(path.read_text())
    (folder / "03.yaml").write_text("case: x\nitems: [\n")  # malformed
    (folder / "05.yaml").write_text(good[0].read_text().replace("service:", "service: no_such_service #"))
    (folder / "07.yaml").write_bytes(b"\x00\x01binary")
    results = list(evaluate_many(list_inputs([folder]), RULES, jobs=jobs, chunksize=2))
    assert [Path(r.path).name for r in results] == sorted(p.name for p in folder.iterdir())
    bad = {Path(r.path).name: str(r.error) for r in results if not r.ok}
    assert set(bad) == {"03.yaml", "05.yaml", "07.yaml"}
    assert "03.yaml:2:9: malformed YAML" in bad["03.yaml"]  # where the text stops: it looks cut off
    assert "unknown service 'no_such_service'" in bad["05.yaml"]
    assert "binary file" in bad["07.yaml"]
    assert all(isinstance(r.error, ImrError) for r in results if not r.ok)
    assert sum(r.ok for r in results) == 6


def test_a_broken_library_raises_before_any_file_is_read(tmp_path: Path, corpus: Path) -> None:
    with pytest.raises(ImrError, match="rule library folder not found"):
        next(evaluate_many(list_inputs([corpus]), tmp_path / "no-rules", jobs=2))


def _crash_on_marked_files(paths: list[str]) -> list[Any]:
    """A worker task that dies like a segfault in durable-rules on files named `crash*`."""
    if any(Path(p).name.startswith("crash") for p in paths):
        os.kill(os.getpid(), signal.SIGSEGV)
    return _evaluate_chunk(paths)


def test_a_worker_that_dies_costs_only_the_file_that_killed_it(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "crashy"
    folder.mkdir()
    good = sorted(corpus.rglob("*.yaml"))[:7]
    names = ["a0", "a1", "a2", "crash3", "a4", "a5", "a6"]
    for name, path in zip(names, good, strict=True):
        (folder / f"{name}.yaml").write_text(path.read_text())
    results = list(evaluate_many(list_inputs([folder]), RULES, jobs=2, chunksize=2, task=_crash_on_marked_files))
    assert [Path(r.path).stem for r in results] == sorted(names)
    crashed = [r for r in results if not r.ok]
    assert [Path(r.path).stem for r in crashed] == ["crash3"]
    assert isinstance(crashed[0].error, EngineError) and "crashed" in str(crashed[0].error)


def test_atomic_writer_writes_whole_files_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    write_atomic(target, lambda h: h.write("one\ntwo\n"))
    assert target.read_text() == "one\ntwo\n"
    target.chmod(0o600)
    write_atomic(target, lambda h: h.write("three\n"))
    assert target.read_text() == "three\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


@pytest.mark.parametrize("exists", [False, True])
def test_ctrl_c_inside_the_writer_leaves_nothing_behind(tmp_path: Path, exists: bool) -> None:
    target = tmp_path / "out.jsonl"
    if exists:
        target.write_text("previous run\n")

    def interrupted(handle: Any) -> None:
        handle.write("partial line 1\n" * 1000)
        handle.flush()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, interrupted)
    if exists:
        assert target.read_text() == "previous run\n"
        assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
    else:
        assert list(tmp_path.iterdir()) == []


def test_streamed_results_can_be_written_atomically(corpus: Path, tmp_path: Path) -> None:
    """The CLI's use: stream a batch into one JSONL file; an interruption mid-batch leaves no file."""
    target = tmp_path / "all.jsonl"
    inputs = list_inputs([corpus])[:10]

    def jsonl(handle: Any) -> None:
        for n, result in enumerate(evaluate_many(inputs, RULES, jobs=2, chunksize=3)):
            if n == 5:
                raise KeyboardInterrupt
            assert result.evaluation is not None
            handle.write(result.evaluation.model_dump_json() + "\n")

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, jsonl)
    assert list(tmp_path.iterdir()) == []

    def whole(handle: Any) -> None:
        for result in evaluate_many(inputs, RULES):
            assert result.evaluation is not None
            handle.write(result.evaluation.model_dump_json() + "\n")

    write_atomic(target, whole)
    assert len(target.read_text().splitlines()) == 10


def test_inputs_can_be_plain_paths(corpus: Path) -> None:
    paths = [str(p) for p in sorted(corpus.rglob("*.yaml"))[:3]] + ["missing.yaml"]
    results = list(evaluate_many([*paths, InputFile(Path("also-missing.yaml"))], RULES))
    assert [r.ok for r in results] == [True, True, True, False, False]
    assert str(results[3].error) == "missing.yaml: no such file"


@pytest.mark.parametrize("fmt", ["jsonl", "json", "text"])
def test_workers_render_the_same_text_as_the_evaluation_rendered_here(corpus: Path, fmt: str) -> None:
    """With `render`, only the text crosses the process boundary: it must be the Evaluation's text."""
    import json

    from imr_rules.output.batch import Rendering
    from imr_rules.output.report import render_text, to_json

    inputs = list_inputs([corpus])[:12]
    plain = list(evaluate_many(inputs, RULES))
    expected = {
        "jsonl": lambda e: json.dumps(to_json(e)) + "\n",
        "json": lambda e: json.dumps(to_json(e), indent=2),
        "text": lambda e: render_text(e, width=80) + "\n",
    }[fmt]
    style = {"width": 80, "color": False} if fmt == "text" else {}
    for jobs in (1, 2):
        rendered = list(evaluate_many(inputs, RULES, jobs=jobs, chunksize=5, render=Rendering(fmt, style)))
        assert [r.path for r in rendered] == [r.path for r in plain]
        for got, want in zip(rendered, plain, strict=True):
            assert got.evaluation is None and want.evaluation is not None
            assert got.text == expected(want.evaluation)


_PARENT_MARK: list[str] = []  # set in the test process only: a worker sees it if it was forked from it


def _report_worker(paths: list[str]) -> list[Any]:
    """A worker task saying, for each file, whether this worker is a copy of the parent and how it takes
    SIGTERM."""
    start = "forked" if _PARENT_MARK else "spawned"
    term = "default" if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL else "handled"
    return [(p, f"{start} {term}", None) for p in paths]


def _ignore(signum: int, frame: object) -> None:
    return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_are_forked_from_a_single_threaded_parent_and_end_on_sigterm(corpus: Path) -> None:
    """Forked workers start with the parent's modules and library; they do not inherit the CLI's SIGTERM
    handler (a terminated worker must just end)."""
    files = sorted(corpus.rglob("*.yaml"))[:6]
    _PARENT_MARK.append("parent")
    previous = signal.signal(signal.SIGTERM, _ignore)
    try:
        assert threading.active_count() == 1
        results = list(evaluate_many(files, RULES, jobs=2, chunksize=2, task=_report_worker))
    finally:
        signal.signal(signal.SIGTERM, previous)
        _PARENT_MARK.clear()
    assert [r.text for r in results] == ["forked default"] * len(files)


def test_workers_are_spawned_while_another_thread_runs(corpus: Path) -> None:
    """Forking a process with other threads could copy a lock some thread holds: spawn instead."""
    files = sorted(corpus.rglob("*.yaml"))[:4]
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    _PARENT_MARK.append("parent")
    try:
        results = list(evaluate_many(files, RULES, jobs=2, chunksize=2, task=_report_worker))
    finally:
        _PARENT_MARK.clear()
        release.set()
        other.join()
    assert [r.text for r in results] == ["spawned default"] * len(files)
