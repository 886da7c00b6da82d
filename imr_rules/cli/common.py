"""What every command shares: the error decorator, the rule library folder, atomic output and the shared
options (`--rules`, `--format`, `-o`, `--jobs`, `--fail-on`, `--explain`).

Only click and the standard library are imported here, so `imr-rules --help` stays cheap; a command
imports the stages it needs inside its own function.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import click

from imr_rules.errors import ImrError

if TYPE_CHECKING:
    from imr_rules.output.batch import InputFile

P = ParamSpec("P")
R = TypeVar("R")
Decorator = Callable[[Callable[..., object]], Callable[..., object]]


def fail(exc: ImrError) -> NoReturn:
    """One line on stderr, `error: path:line:col: message`, and exit code 2."""
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


def reports_errors(function: Callable[P, R]) -> Callable[P, R]:
    """The error decorator of every command: an ImrError (bad input, an output file that cannot be
    written) becomes one line naming the file and line, and exit code 2; never a traceback."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except ImrError as exc:
            fail(exc)

    return wrapper


def library_folder(value: str | None) -> Path:
    """--rules, else $IMR_RULES_DIR, else the bundled library (imr_rules.library.loading.bundled_root)."""
    if value:
        return Path(value)
    env = os.environ.get("IMR_RULES_DIR")
    if env:
        return Path(env)
    from imr_rules.library.loading import bundled_root

    return bundled_root() / "rules"


def to_stdout(output: str | None) -> bool:
    """True when `-o` names no file (absent or "-")."""
    return output is None or output == "-"


def text_style(output: str | None) -> tuple[int, bool]:
    """Width and colour of text output: the terminal's when printing to one (report.terminal_style: colour
    unless NO_COLOR is set), else 100 columns and no colour."""
    from imr_rules.output.report import TEXT_WIDTH, terminal_style

    if not to_stdout(output):
        return TEXT_WIDTH, False
    style = terminal_style(sys.stdout)
    return int(style["width"]), bool(style["color"])


def write_output(text: str, output: str | None) -> None:
    """Print, or write atomically: a temporary file renamed into place, never a partial file."""
    if to_stdout(output):
        click.echo(text, nl=False)
        return
    from imr_rules.output.batch import write_atomic

    write_atomic(output, lambda handle: handle.write(text))  # type: ignore[arg-type]


def _compose(*decorators: Decorator) -> Decorator:
    def apply(function: Callable[..., object]) -> Callable[..., object]:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


rules_option = click.option(
    "--rules", "rules_dir", default=None, help="Rule library folder (default: $IMR_RULES_DIR, else the bundled rules/)."
)


def output_option(what: str = "the output") -> Decorator:
    return click.option("-o", "--output", default=None, help=f"Write {what} to this file instead of standard output.")


def format_option(
    names: Iterable[str], default: str = "text", help: str | None = None, from_output: bool = False
) -> Decorator:
    """--format, its choices the names a command's format registry holds (cli.formats). `from_output`:
    no default here; the command resolves it with `format_for_output` (from -o's extension)."""
    if from_output:
        said = f"Default: the format -o's extension names (.json, .html, ...), else {default}."
        return click.option(
            "--format", "fmt", type=click.Choice(list(names)), default=None, help=f"{help} {said}" if help else said
        )
    return click.option(
        "--format", "fmt", type=click.Choice(list(names)), default=default, show_default=True, help=help
    )


def format_for_output(fmt: str | None, output: str | None, names: Iterable[str], default: str = "text") -> str:
    """The format asked for, else the one the output file's extension names (`-o report.html`: html;
    `.yml`: yaml), else `default`: an `-o case.json` never holds YAML, nor `-o report.html` plain text."""
    if fmt is not None:
        return fmt
    if output and not to_stdout(output):
        suffix = Path(output).suffix.lower().lstrip(".")
        suffix = {"yml": "yaml"}.get(suffix, suffix)
        if suffix in list(names):
            return suffix
    return default


jobs_option = click.option(
    "--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes."
)

fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="The least severe finding that makes the exit code 1 (warning: warnings count too).",
)

explain_option = click.option(
    "--explain",
    "-v",
    "explain",
    is_flag=True,
    help="Text: every item's full criteria tree with facts and evidence (default: one line per item).",
)

recursive_option = click.option(
    "--recursive",
    "-r",
    is_flag=True,
    help="A folder: read its sub-folders too (default: only the files directly in it).",
)

batch_options = _compose(output_option("the report"), jobs_option, recursive_option)


def folder_inputs(paths: Iterable[str], suffixes: tuple[str, ...], recursive: bool) -> list[InputFile]:
    """The inputs as the command line lists them (`batch.list_inputs`): a folder's own files, and its
    sub-folders' with `recursive`; without it, a note on stderr counts the files the sub-folders hold."""
    from imr_rules.output.batch import list_inputs, nested_inputs

    paths = list(paths)
    if "-" in paths and len(paths) > 1:
        from imr_rules.errors import InputFileError, location

        raise InputFileError("standard input ('-') must be the only input", location("-"))
    entries = list_inputs(paths, suffixes, recursive=recursive)
    if not recursive:
        for folder in (Path(p) for p in paths if Path(p).is_dir()):
            nested = nested_inputs(folder, suffixes)
            if nested:
                click.echo(
                    f"note: {folder}: {nested} file{'s' if nested > 1 else ''} in sub-folders not read "
                    "(--recursive reads them)",
                    err=True,
                )
    return entries
