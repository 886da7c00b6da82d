"""Evaluate many case files: list them from paths and folders, evaluate them (optionally in worker
processes), and write output files atomically. No CLI here; `imr-rules` builds `--jobs`, JSONL output
and folder inputs on these functions.

Why it is shaped this way:

* durable-rules never releases the GIL and its C engine's sessions are driven one at a time under a lock,
  so parallelism means processes: each worker loads the rule library once in its initializer and
  registers its own rulesets on its first case. On Linux, when this process runs one thread, a worker is
  forked (`_start_method`): it starts as a copy of the parent, its modules imported and the library
  already loaded, where a spawned worker starts a new interpreter and imports and loads everything again
  (~0.3 s of CPU per worker). A ruleset the parent registered (the CLI's parent registers none) is copied
  whole with it; the parent holds no session when it forks (sessions live only inside one
  `engine.runtime.run` call, under its lock, which a single-threaded parent cannot be holding).
  Elsewhere, or with other threads running (a second pool started while the first one's manager thread
  runs, a server), workers are spawned;
* a bad file must never stop the run: every file yields either its Evaluation or its ImrError, in input
  order, with a bounded number of chunks in flight so memory stays flat however many files there are;
* the text the CLI writes for a result (a JSON line, say) is made where the result is (`Rendering`, in
  the worker), so an Evaluation never crosses the process boundary: pickling it there and serialising it
  again in the parent made the parent the bottleneck of a `--jobs 2` run;
* durable-rules can take a worker process down with it (a segfault); `concurrent.futures` reports
  that as BrokenProcessPool, where `multiprocessing.Pool.imap` would wait for ever. The files of the
  lost chunks are then re-run one by one in a fresh worker, so only the file that crashes is reported.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from imr_rules import sources
from imr_rules.cache import load_rules
from imr_rules.errors import EngineError, ImrError, InputFileError, OutputFileError, SourceLocation, location
from imr_rules.library.loading import RuleLibrary
from imr_rules.models import Evaluation, LetterCheck

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from imr_rules.checking.consistency import Checker

# multiprocessing and concurrent.futures are imported where a `--jobs` run starts (about 10 ms of a cold
# one-file run that never uses them)

SUFFIXES = sources.CASE_SUFFIXES


@dataclass(frozen=True)
class Rendering:
    """How an Evaluation becomes the text `imr-rules evaluate` writes for it over many files: `jsonl` one
    line (json.dumps of `report.to_json`, newline included), `json` a list entry (indented, no separator),
    `text` the report (`report.render_text` with `style`, newline included). Applied by the worker that
    made the Evaluation, so only the text crosses the process boundary."""

    fmt: str
    style: dict[str, Any] = field(default_factory=dict)

    def __call__(self, evaluation: Evaluation) -> str:
        from imr_rules.output.report import render_text, to_json

        if self.fmt == "jsonl":
            return json.dumps(to_json(evaluation)) + "\n"
        if self.fmt == "json":
            return json.dumps(to_json(evaluation), indent=2)
        return render_text(evaluation, **self.style) + "\n"


@dataclass(frozen=True)
class Rendered:
    """An evaluation as `Rendering` made it: its text, and its items' outcomes in order (Upheld, Overturned,
    Undetermined: `Determination.outcome`), which is all a run's total line needs of it."""

    text: str
    outcomes: tuple[str, ...]


# How an outcome crosses the process boundary: ImrError pickles without its location, so errors travel
# as (class, message, location) and are rebuilt on the parent's side. A rendered evaluation travels as its
# text and its items' outcomes (Rendered).
_Wire = tuple[
    str, Evaluation | LetterCheck | Rendered | str | None, tuple[type[ImrError], str, SourceLocation | None] | None
]


@dataclass(frozen=True)
class InputFile:
    """A file to evaluate, or (with `error`) an entry that could not be listed and is reported instead."""

    path: Path
    error: ImrError | None = None


@dataclass(frozen=True)
class BatchResult:
    """One input's outcome: its Evaluation (or, for `check_many`, its LetterCheck), or the ImrError that
    stopped it (never both)."""

    path: str
    evaluation: Evaluation | None = None
    error: ImrError | None = None
    check: LetterCheck | None = None
    text: str | None = None  # the Evaluation as `Rendering` made it (then `evaluation` is None)
    outcomes: tuple[str, ...] = ()  # with `text`: its items' outcomes, in order (Rendered.outcomes)

    @property
    def ok(self) -> bool:
        return self.error is None


# -- listing inputs ----------------------------------------------------------------------------------------
def list_inputs(
    paths: Iterable[str | Path], suffixes: tuple[str, ...] = SUFFIXES, recursive: bool = True
) -> list[InputFile]:
    """The files to evaluate, in argument order; a folder contributes its `*.yaml`/`*.yml`/`*.json` files below
    it (`recursive`), or only those directly in it (the command line's default: `--recursive` for the rest).

    A path given explicitly is kept whatever its name (reading it reports what is wrong with it). Inside
    folders, entries are sorted by relative path, hidden entries (`.name`, such as temporary files) are
    skipped, symlinks are followed but every folder is visited once (so a symlink loop ends), and a
    folder that cannot be read becomes an InputFile carrying its error instead of raising.
    """
    out: list[InputFile] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        found = _walk(path, suffixes, recursive) if path.is_dir() else [InputFile(path)]
        for entry in found:
            key = str(entry.path)
            if key not in seen:
                seen.add(key)
                out.append(entry)
    return out


def reviewed_letters(entries: Iterable[InputFile]) -> dict[Path, Path]:
    """Letters among `entries` that a case file among them names (`letter:`), each with that case file.

    `check` checks such a letter through its case file (the reviewed case, read against the letter) and
    not a second time on its own, as the web page does with uploads. Keys and values are the entries'
    own paths. A case file that cannot be read is left to report its own error when it is checked.
    """
    from imr_rules.checking.consistency import letter_candidates
    from imr_rules.reading.casefile import parse_case_text

    entries = list(entries)
    letters = {
        p.resolve(): p
        for p in (e.path for e in entries if e.error is None)
        if p.suffix.lower() in sources.LETTER_SUFFIXES
    }
    out: dict[Path, Path] = {}
    for entry in entries:
        if entry.error is not None or entry.path.suffix.lower() not in sources.CASE_SUFFIXES or not letters:
            continue
        try:  # the case reader's own parser, so a case file is read one way everywhere
            data = parse_case_text(sources.read_text(entry.path), entry.path).data
        except ImrError:
            continue
        named = data.get("letter") if isinstance(data, dict) else None
        if not isinstance(named, str) or not named:
            continue
        for candidate in letter_candidates(entry.path, named):
            letter = letters.get(candidate.resolve())
            if letter is not None:
                out.setdefault(letter, entry.path)
                break
    return out


def nested_inputs(root: Path, suffixes: tuple[str, ...] = SUFFIXES) -> int:
    """How many input files (by `suffixes`) lie in the sub-folders of `root`: what a listing that is not
    `recursive` leaves out (the command line names the count, and `--recursive`)."""
    return len(_walk(root, suffixes)) - len(_walk(root, suffixes, recursive=False))


def _walk(root: Path, suffixes: tuple[str, ...], recursive: bool = True) -> list[InputFile]:
    """Files below a folder (in it only, unless `recursive`), depth first with an explicit stack (no
    recursion limit on deep trees)."""
    files: list[InputFile] = []

    def unreadable(folder: Path, exc: OSError) -> None:
        files.append(InputFile(folder, InputFileError(f"cannot read folder: {exc.strerror or exc}", location(folder))))

    def enter(folder: Path, name: str) -> bool:
        return recursive

    for path in sources.walk_files(root, enter=enter, on_error=unreadable):
        if path.name.lower().endswith(suffixes):
            files.append(InputFile(path))
    files.sort(key=lambda f: f.path.relative_to(root).parts)
    return files


# -- evaluating ----------------------------------------------------------------------------------------------
_WORKER_LIBRARY: RuleLibrary | None = None
_WORKER_ERROR: ImrError | None = None
_WORKER_CHECKER: Checker | None = None
_WORKER_RENDER: Rendering | None = None


def evaluate_path(path: str, library: RuleLibrary) -> Evaluation:
    """Load and evaluate one case file (raises ImrError)."""
    from imr_rules.engine.evaluation import evaluate
    from imr_rules.reading.casefile import load_case

    return evaluate(load_case(path, library), library)


def checker_for(library: RuleLibrary) -> Checker:
    """This process's Checker for `library`, loaded on first use (raises ImrError for bad check patterns)."""
    from imr_rules.checking.consistency import Checker

    global _WORKER_CHECKER
    if _WORKER_CHECKER is None or _WORKER_CHECKER.library is not library:
        _WORKER_CHECKER = Checker.load(library)
    return _WORKER_CHECKER


def check_path(path: str, library: RuleLibrary) -> LetterCheck:
    """Check one letter or case file (raises ImrError); the Checker is built once per process."""
    from imr_rules.checking.consistency import check_path as run_check

    return run_check(path, checker_for(library))


def _outcome(
    path: str,
    library: RuleLibrary | None,
    failed: ImrError | None,
    kind: str = "evaluate",
    render: Rendering | None = None,
) -> _Wire:
    """One file's outcome (an evaluation rendered by `render` when given); never raises, so a bad file
    cannot stop the run."""
    if library is None:
        err = failed or ImrError("the rule library is not loaded", location(path))
        return path, None, (type(err), err.message, err.location)
    try:
        if kind == "check":
            return path, check_path(path, library), None
        evaluation = evaluate_path(path, library)
        if render is None:
            return path, evaluation, None
        return path, Rendered(render(evaluation), tuple(d.outcome for d in evaluation.determinations)), None
    except ImrError as exc:
        return path, None, (type(exc), exc.message, exc.location)
    except Exception as exc:  # a bug, reported against the file rather than ending the run
        return path, None, (ImrError, f"unexpected error: {type(exc).__name__}: {exc}", location(path))


def _init_worker(rules_dir: str, render: Rendering | None = None) -> None:
    """Pool initializer: load the library once per worker (an error is reported for every file).

    Workers ignore Ctrl-C: the parent gets it and shuts the pool down, so no worker prints a traceback.
    """
    global _WORKER_LIBRARY, _WORKER_ERROR, _WORKER_RENDER
    _WORKER_RENDER = render
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):  # a forked worker inherits the CLI's handlers: a worker just ends
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    # a worker writes nothing to standard output; holding the parent's (a pipe) open would keep its
    # reader waiting if the parent were killed while the worker runs
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    try:
        _WORKER_LIBRARY = load_rules(rules_dir)
    except ImrError as exc:
        _WORKER_ERROR = exc


def _evaluate_chunk(paths: list[str]) -> list[_Wire]:
    return [_outcome(p, _WORKER_LIBRARY, _WORKER_ERROR, "evaluate", _WORKER_RENDER) for p in paths]


def _check_chunk(paths: list[str]) -> list[_Wire]:
    return [_outcome(p, _WORKER_LIBRARY, _WORKER_ERROR, "check") for p in paths]


def _result(wire: _Wire) -> BatchResult:
    path, value, err = wire
    if err is None:
        if isinstance(value, Rendered):
            return BatchResult(path, text=value.text, outcomes=value.outcomes)
        if isinstance(value, str):  # a task's own text (tests substitute tasks)
            return BatchResult(path, text=value)
        if isinstance(value, Evaluation):
            return BatchResult(path, evaluation=value)
        return BatchResult(path, check=value)
    cls, message, where = err
    return BatchResult(path, error=cls(message, where))


def evaluate_many(
    inputs: Iterable[InputFile | str | Path],
    rules: str | Path | RuleLibrary,
    jobs: int = 1,
    chunksize: int = 16,
    task: Callable[[list[str]], list[_Wire]] = _evaluate_chunk,
    render: Rendering | None = None,
) -> Generator[BatchResult, None, None]:
    """Evaluate every input, yielding one BatchResult per input in input order, as results arrive.

    `rules` is a library folder or a loaded RuleLibrary (workers reload it from its folder). The library
    is loaded here first, so a broken library raises its ImrError before anything is evaluated. With
    `jobs > 1`, chunks of `chunksize` files go to `jobs` spawned worker processes. `task` is the function a
    worker runs on a chunk (module-level, so it pickles); tests substitute one. With `render`, each result
    carries the Evaluation's text (`BatchResult.text`) and its items' outcomes (`BatchResult.outcomes`)
    instead of the Evaluation.
    """
    yield from _many(inputs, rules, jobs, chunksize, task, "evaluate", render)


def check_many(
    inputs: Iterable[InputFile | str | Path], rules: str | Path | RuleLibrary, jobs: int = 1, chunksize: int = 4
) -> Generator[BatchResult, None, None]:
    """Check every letter or case file, like `evaluate_many`; each result carries its LetterCheck."""
    yield from _many(inputs, rules, jobs, chunksize, _check_chunk, "check")


def _many(
    inputs: Iterable[InputFile | str | Path],
    rules: str | Path | RuleLibrary,
    jobs: int,
    chunksize: int,
    task: Callable[[list[str]], list[_Wire]],
    kind: str,
    render: Rendering | None = None,
) -> Iterator[BatchResult]:
    library = rules if isinstance(rules, RuleLibrary) else load_rules(rules)
    entries = (i if isinstance(i, InputFile) else InputFile(Path(i)) for i in inputs)
    if jobs <= 1:
        for entry in entries:
            if entry.error is not None:
                yield BatchResult(str(entry.path), error=entry.error)
            else:
                yield _result(_outcome(str(entry.path), library, None, kind, render))
        return
    yield from _parallel(entries, str(library.root), jobs, max(1, chunksize), task, render)


def _chunks(entries: Iterable[InputFile], size: int) -> Iterator[list[InputFile]]:
    chunk: list[InputFile] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _start_method() -> str:
    """ "fork" on Linux when this process runs one thread (see the module docstring), else "spawn"."""
    import sys
    import threading

    return "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "spawn"


class _Pool:
    """A process pool (workers forked or spawned, `_start_method`), replaced when a worker dies;
    `generation` tells the pools apart."""

    def __init__(self, rules_dir: str, workers: int, render: Rendering | None = None) -> None:
        self.rules_dir = rules_dir
        self.workers = workers
        self.render = render
        self.generation = 0
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        import multiprocessing
        import sys
        from concurrent.futures import ProcessPoolExecutor

        method = _start_method()
        if method == "fork":
            # what every worker imports, imported once here; nothing buffered to be written twice
            import imr_rules.engine.evaluation
            import imr_rules.reading.casefile  # noqa: F401

            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            initargs=(self.rules_dir, self.render),
        )

    def submit(self, task: Callable[[list[str]], list[_Wire]], paths: list[str]) -> tuple[Future[list[_Wire]], int]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.executor.submit(task, paths), self.generation
        except BrokenProcessPool:  # broke since the last submit; its failed futures are handled when read
            self.renew(self.generation)
            return self.executor.submit(task, paths), self.generation

    def renew(self, generation: int) -> None:
        """Replace the executor that broke, once (later failures of the same executor find it replaced)."""
        if generation == self.generation:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new()
            self.generation += 1

    def close(self, wait: bool) -> None:
        """Shut the pool down; without `wait` (an interrupted run) its workers are terminated at once rather
        than left to finish their chunk after the parent has gone."""
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=wait, cancel_futures=True)
        if not wait:
            for process in processes:
                with contextlib.suppress(Exception):
                    process.terminate()
            for process in processes:
                with contextlib.suppress(Exception):
                    process.join(timeout=5)


def _parallel(
    entries: Iterable[InputFile],
    rules_dir: str,
    jobs: int,
    chunksize: int,
    task: Callable[[list[str]], list[_Wire]],
    render: Rendering | None = None,
) -> Iterator[BatchResult]:
    from concurrent.futures.process import BrokenProcessPool

    pool = _Pool(rules_dir, jobs, render)
    isolated: _Pool | None = None
    window: deque[tuple[list[InputFile], tuple[Future[list[_Wire]], int] | None]] = deque()
    clean = False

    def finish(chunk: list[InputFile], sent: tuple[Future[list[_Wire]], int] | None) -> Iterator[BatchResult]:
        nonlocal isolated
        wires: list[_Wire] = []
        if sent is not None:
            future, generation = sent
            try:
                wires = future.result()
            except BrokenProcessPool:
                # every chunk in flight on that pool is lost: re-run this chunk's files one by one in a
                # separate worker, so that only the file that crashes it is reported
                pool.renew(generation)
                isolated = isolated or _Pool(rules_dir, 1, render)
                wires = [_alone(isolated, task, str(e.path)) for e in chunk if e.error is None]
        results = iter(wires)
        for entry in chunk:
            if entry.error is not None:
                yield BatchResult(str(entry.path), error=entry.error)
            else:
                yield _result(next(results))

    try:
        for chunk in _chunks(entries, chunksize):
            paths = [str(e.path) for e in chunk if e.error is None]
            window.append((chunk, pool.submit(task, paths) if paths else None))
            if len(window) >= 2 * jobs:
                yield from finish(*window.popleft())
        while window:
            yield from finish(*window.popleft())
        clean = True
    finally:
        pool.close(wait=clean)
        if isolated is not None:
            isolated.close(wait=clean)


def _alone(pool: _Pool, task: Callable[[list[str]], list[_Wire]], path: str) -> _Wire:
    """Evaluate one file in its own worker; a crash is reported against that file."""
    from concurrent.futures.process import BrokenProcessPool

    future, generation = pool.submit(task, [path])
    try:
        (wire,) = future.result()
        return wire
    except BrokenProcessPool:
        pool.renew(generation)
        message = "the rule engine crashed the worker process evaluating this file"
        return path, None, (EngineError, message, location(path))


# -- writing output ------------------------------------------------------------------------------------------
def output_target(target: str | Path) -> tuple[Path, bool]:
    """Where an output file is written, and whether it is written in place, checked before any work.

    A symlink is written through to its target (the link stays a link); a device, FIFO or socket
    (`/dev/null`, a pipe) is written in place, never replaced by a regular file; a folder, a path under a
    file, a missing folder or one that cannot be written to is an OutputFileError (one line, exit 2).
    """
    path = Path(os.path.realpath(target))  # a symlink (or a chain of them) is followed to its target
    where = location(target)
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise OutputFileError("cannot write here: a part of the path is a file, not a folder", where) from None
    except OSError as exc:
        raise OutputFileError(f"cannot write here: {exc.strerror or exc}", where) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputFileError("is a folder: give a file name to write to", where)
        if not stat.S_ISREG(info.st_mode):
            if not os.access(path, os.W_OK):
                raise OutputFileError("permission denied", where)
            return path, True
    folder = path.parent
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "does not exist"
        raise OutputFileError(f"cannot write here: the folder {folder} {problem}", where)
    if not os.access(folder, os.W_OK | os.X_OK) or (info is not None and not os.access(path, os.W_OK)):
        raise OutputFileError("cannot write here: permission denied", where)
    return path, False


def write_atomic(target: str | Path, write: Callable[[TextIO], Any], encoding: str = "utf-8") -> None:
    """Write a file whole or not at all: `write(handle)` fills a temporary file in the same folder, which
    then replaces the target in one rename. Any exception, KeyboardInterrupt and the CLI's SIGTERM/SIGHUP
    included, removes the temporary file and leaves the target as it was. A new file gets mode 0644; a
    replaced one keeps its mode. The target is checked first (`output_target`): a symlink is written
    through, a device or pipe is written in place, and a place that cannot be written is an OutputFileError.
    """
    path, in_place = output_target(target)
    if in_place:
        try:
            with open(path, "w", encoding=encoding, newline="") as handle:
                write(handle)
        except OSError as exc:
            raise OutputFileError(f"cannot write: {exc.strerror or exc}", location(target)) from None
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o644
    try:
        sources.write_atomic(path, write, encoding=encoding, mode=mode, sync=True)
    except sources.NoTemporaryFile as exc:
        raise OutputFileError(f"cannot write here: {exc.strerror or exc}", location(target)) from None
    except OSError as exc:
        raise OutputFileError(f"cannot write: {exc.strerror or exc}", location(target)) from None
