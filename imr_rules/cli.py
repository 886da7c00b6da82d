"""The `imr-rules` command: a thin click layer over the library API.

Every ImrError becomes one line on stderr and exit code 2; output files are written whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TextIO

import click

from . import __version__
from .errors import ImrError, InputFileError, location

LETTER_SUFFIXES = (".txt", ".pdf", ".yaml", ".yml")  # what `check` reads from a folder


def _rules_dir(value: str | None) -> Path:
    """--rules, else $IMR_RULES_DIR, else the bundled library (imr_rules.library.bundled_root)."""
    if value:
        return Path(value)
    env = os.environ.get("IMR_RULES_DIR")
    if env:
        return Path(env)
    from .library import bundled_root

    return bundled_root() / "rules"


def _fail(exc: ImrError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


def write_output(text: str, output: str | None) -> None:
    """Print, or write atomically: a temporary file renamed into place, never a partial file."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from .batch import write_atomic

    write_atomic(output, lambda handle: handle.write(text))


class _Stopped(SystemExit):
    """Raised in the main thread on SIGTERM or SIGHUP, so that cleanup runs as on Ctrl-C: a temporary output
    file is removed and worker processes are stopped (batch.write_atomic, batch._parallel)."""


def _stop(signum: int, frame: object) -> None:
    for sig in _STOP_SIGNALS:  # a second signal must not interrupt the cleanup
        signal.signal(sig, signal.SIG_IGN)
    click.echo(f"error: stopped by {signal.Signals(signum).name}", err=True)
    raise _Stopped(128 + signum)


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class _Main(click.Group):
    """The command group: any ImrError a command lets through (an output file that cannot be written, say)
    is one line and exit 2; SIGTERM and SIGHUP stop a run cleanly; standard output that cannot encode a
    character (PYTHONIOENCODING=cp1252, a legacy console) shows it escaped (\\u2265) instead of failing."""

    def invoke(self, ctx: click.Context) -> object:
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
        previous: dict[int, object] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in _STOP_SIGNALS:
                previous[sig] = signal.signal(sig, _stop)
        try:
            return super().invoke(ctx)
        except ImrError as exc:
            _fail(exc)
            return None
        except _Stopped as stopped:
            # our cleanup ran while the exception unwound (temporary file removed, workers terminated);
            # leave now: the interpreter's exit handlers would wake the process pool's manager thread
            # through a pipe it has closed, and print a traceback (CPython 3.11's concurrent.futures)
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(stopped.code if isinstance(stopped.code, int) else 1)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)  # type: ignore[arg-type]


@click.group(cls=_Main)
@click.version_option(__version__, prog_name="imr-rules")
def main() -> None:
    """Guideline criteria as executable rules for California IMR determinations."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--rules", "rules_dir", default=None, help="Rule library folder (default: the bundled rules/).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="jsonl: one JSON line per case, streamed (for folders).",
)
@click.option("-o", "--output", default=None, help="Write to this file instead of standard output.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
def evaluate(paths: tuple[str, ...], rules_dir: str | None, fmt: str, output: str | None, jobs: int) -> None:
    """Evaluate case files (or folders of them): a determination per item, explained criterion by criterion.

    A file that fails is reported on its own line and the run goes on; the exit code is then 2.
    """
    import json

    from .batch import Rendering, evaluate_many, list_inputs, write_atomic
    from .cache import load_rules
    from .report import render_json, render_text, terminal_style, to_json

    try:
        library = load_rules(_rules_dir(rules_dir))
    except ImrError as exc:
        _fail(exc)
        return
    entries = list_inputs(paths)
    for folder in (Path(p) for p in paths if Path(p).is_dir()):
        if not any(e.path == folder or folder in e.path.parents for e in entries):
            _fail(
                InputFileError(f"no case files (*.yaml, *.yml) in this folder{_letters_hint(folder)}", location(folder))
            )
    many = len(entries) > 1 or any(Path(p).is_dir() for p in paths)
    if not many:
        # one case: errors are the whole answer, output is one document
        (entry,) = entries
        results = list(evaluate_many([entry], library))
        if results[0].error is not None:
            _fail(results[0].error)
            return
        evaluation = results[0].evaluation
        assert evaluation is not None
        style = terminal_style(sys.stdout) if output in (None, "-") else {}
        text = render_json(evaluation) if fmt == "json" else render_text(evaluation, **style)
        if fmt == "jsonl":
            text = json.dumps(to_json(evaluation)) + "\n"
        write_output(text, output)
        return

    failures = 0
    show_progress = sys.stderr.isatty()
    style = terminal_style(sys.stdout) if output in (None, "-") else {}

    def stream(handle: TextIO) -> None:
        nonlocal failures
        first = True
        if fmt == "json":
            handle.write("[\n")
        results = evaluate_many(entries, library, jobs=jobs, render=Rendering(fmt, style))
        with (
            contextlib.closing(results),
            click.progressbar(
                results,
                length=len(entries),
                label="evaluating",
                file=sys.stderr,
                hidden=not show_progress,
            ) as progress,
        ):
            for result in progress:
                if result.error is not None:
                    failures += 1
                    click.echo(f"error: {result.error}", err=True)
                    if fmt == "jsonl":
                        handle.write(json.dumps({"source": result.path, "error": str(result.error)}) + "\n")
                    continue
                assert result.text is not None  # rendered by the worker (batch.Rendering)
                handle.write(("" if first or fmt != "json" else ",\n") + result.text)
                first = False
        if fmt == "json":
            handle.write("\n]\n")

    if output is None or output == "-":
        stream(sys.stdout)
    else:
        write_atomic(output, stream)
    if failures:
        click.echo(f"{failures} of {len(entries)} file(s) failed", err=True)
        sys.exit(2)


def _letters_hint(folder: Path) -> str:
    """A hint when a folder given to `evaluate` holds letters rather than case files."""
    try:
        letters = any(p.suffix.lower() in (".txt", ".pdf") for p in folder.iterdir())
    except OSError:
        return ""
    return "; it holds letters: `imr-rules check` checks them, `imr-rules extract` makes case files" if letters else ""


@main.command()
@click.argument("letter_file", type=click.Path(allow_dash=True, path_type=str))
@click.option("--rules", "rules_dir", default=None, help="Rule library folder (default: the bundled rules/).")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("-o", "--output", default=None, help="Write the case to this file instead of standard output.")
def extract(letter_file: str, rules_dir: str | None, fmt: str, output: str | None) -> None:
    """Read a determination letter (text or PDF; "-" reads standard input) into a case file, every fact
    with the sentence it came from."""
    import json

    from .cache import load_patterns, load_rules
    from .casefile import case_from_data, dump_case
    from .extract import extract as extract_letter

    if Path(letter_file).is_dir():
        _fail(
            InputFileError(
                "is a folder: extract reads one letter (`imr-rules check FOLDER` checks many)", location(letter_file)
            )
        )
    try:
        library = load_rules(_rules_dir(rules_dir))
        data = extract_letter(letter_file, library, load_patterns(library.root))
        loaded = case_from_data(data, library, letter_file)  # what `evaluate` will accept, checked now
    except ImrError as exc:
        _fail(exc)
        return
    if output is not None and output != "-" and letter_file != "-" and isinstance(data.get("letter"), str):
        # relative to the case file, so `check case.yaml` finds the letter from any working directory
        data["letter"] = os.path.relpath(os.path.abspath(letter_file), os.path.dirname(os.path.abspath(output)))
        loaded = case_from_data(data, library, letter_file)
    if fmt == "json":
        text = json.dumps(loaded.case.model_dump(mode="json", exclude_defaults=True), indent=2) + "\n"
    else:
        text = dump_case(data)
    write_output(text, output)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--rules", "rules_dir", default=None, help="Rule library folder (default: the bundled rules/).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "jsonl", "html"]), default="text", show_default=True
)
@click.option("-o", "--output", default=None, help="Write the report to this file instead of standard output.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="The least severe finding that makes the exit code 1 (warning: warnings count too).",
)
def check(paths: tuple[str, ...], rules_dir: str | None, fmt: str, output: str | None, jobs: int, fail_on: str) -> None:
    """Check letters (or case files) for decisions their own documented facts and cited criteria contradict.

    Findings are errors (the documented facts decide the other outcome), warnings (worth a quality
    reviewer's look: undocumented criteria of a certified item, citations, skipped letter checks) or
    info. Exit code 0 when no finding reaches --fail-on, 1 when one does, 2 on bad input.
    """
    import json

    from .batch import check_many, list_inputs, write_atomic
    from .cache import load_rules
    from .check import Checker, Tally
    from .models import LetterCheck
    from .report import check_html, check_json, check_text, summary_json, summary_text

    try:
        checker = Checker.load(load_rules(_rules_dir(rules_dir)))
    except ImrError as exc:
        _fail(exc)
        return
    entries = list_inputs(paths, suffixes=LETTER_SUFFIXES)
    many = len(entries) > 1 or any(Path(p).is_dir() for p in paths)
    tally = Tally()
    kept: list[LetterCheck] = []  # only the JSON document and the HTML page need every result at the end
    failures = 0
    for folder in (Path(p) for p in paths if Path(p).is_dir()):
        if not any(e.path.is_relative_to(folder) for e in entries):
            failures += 1
            click.echo(f"error: {folder}: no letters (.txt, .pdf) or case files (.yaml) in this folder", err=True)
    for entry in entries:
        if entry.error is not None:
            failures += 1
            click.echo(f"error: {entry.error}", err=True)
    listed = [e for e in entries if e.error is None]

    def stream(handle: TextIO) -> None:
        nonlocal failures
        with click.progressbar(
            check_many(listed, checker.library, jobs=jobs),
            length=len(listed),
            label="checking",
            file=sys.stderr,
            hidden=not (many and sys.stderr.isatty()),
        ) as progress:
            for outcome in progress:
                if outcome.error is not None:
                    tally.add(outcome.error)
                    failures += 1
                    click.echo(f"error: {outcome.error}", err=True)
                    if fmt == "jsonl":
                        handle.write(json.dumps({"source": outcome.path, "error": str(outcome.error)}) + "\n")
                    continue
                result = outcome.check
                assert result is not None
                tally.add(result)
                if fmt == "text":
                    handle.write(check_text(result))
                elif fmt == "jsonl":
                    handle.write(json.dumps(check_json(result)) + "\n")
                else:
                    kept.append(result)
        summary = tally.summary()
        if fmt == "text" and many:
            handle.write("\n" + summary_text(summary))
        elif fmt == "html":
            handle.write(check_html(kept, summary if many else None))
        elif fmt == "json" and many:
            handle.write(
                json.dumps({"summary": summary_json(summary), "letters": [check_json(c) for c in kept]}, indent=2)
            )
        elif fmt == "json" and kept:
            handle.write(json.dumps(check_json(kept[0]), indent=2) + "\n")

    if output is None or output == "-":
        stream(sys.stdout)
    else:
        write_atomic(output, stream)
    if failures:
        if many:
            click.echo(f"{failures} file(s) failed", err=True)
        sys.exit(2)
    sys.exit(1 if tally.fails("warning" if fail_on == "warning" else "error") else 0)


@main.command()
@click.option("--rules", "rules_dir", default=None, help="Rule library folder (default: the bundled rules/).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: this computer).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--max-upload-mb", default=10.0, show_default=True, type=click.FloatRange(0.01, 200), help="Per request.")
def serve(rules_dir: str | None, host: str, port: int, max_upload_mb: float) -> None:
    """Start the web page (and JSON API) on this computer and print its address; Ctrl-C stops it."""
    try:
        from .serve import Settings
        from .serve import serve as run
    except ImportError as exc:
        click.echo(
            f"error: the web application needs the serve extra: pip install 'imr-rules[serve]' ({exc})", err=True
        )
        sys.exit(2)
    settings = Settings(rules_dir=_rules_dir(rules_dir), host=host, max_upload_bytes=int(max_upload_mb * 1024 * 1024))
    try:
        run(settings, port)
    except ImrError as exc:
        _fail(exc)
    except KeyboardInterrupt:  # pragma: no cover - uvicorn handles Ctrl-C itself
        pass


from .cli_author import register as _register_author_commands  # noqa: E402  (lint, test, schema, docs, rules)

_register_author_commands(main)

if __name__ == "__main__":  # pragma: no cover
    main()
