"""The `imr-rules` command: a thin click layer over the library API.

Every ImrError becomes one line on stderr and exit code 2; output files are written whole or not at all.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from . import __version__
from .errors import ImrError

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "rules"


def _rules_dir(value: str | None) -> Path:
    if value:
        return Path(value)
    env = os.environ.get("IMR_RULES_DIR")
    if env:
        return Path(env)
    return DEFAULT_RULES


def _fail(exc: ImrError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


def write_output(text: str, output: str | None) -> None:
    """Print, or write atomically: a temporary file renamed into place, never a partial file."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    target = Path(output)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.group()
@click.version_option(__version__, prog_name="imr-rules")
def main() -> None:
    """Guideline criteria as executable rules for California IMR determinations."""


@main.command()
@click.argument("case_file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--rules", "rules_dir", default=None, help="Rule library folder (default: the bundled rules/).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-o", "--output", default=None, help="Write to this file instead of standard output.")
def evaluate(case_file: str, rules_dir: str | None, fmt: str, output: str | None) -> None:
    """Evaluate a case file: a determination per item, explained criterion by criterion."""
    from .casefile import load_case
    from .evaluate import evaluate as run_evaluation
    from .library import load_rules
    from .report import render_json, render_text

    try:
        library = load_rules(_rules_dir(rules_dir))
        result = run_evaluation(load_case(case_file, library), library)
    except ImrError as exc:
        _fail(exc)
        return
    write_output(render_json(result) if fmt == "json" else render_text(result), output)


@main.command()
@click.argument("letter_file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--rules", "rules_dir", default=None, help="Rule library folder (default: the bundled rules/).")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("-o", "--output", default=None, help="Write the case to this file instead of standard output.")
def extract(letter_file: str, rules_dir: str | None, fmt: str, output: str | None) -> None:
    """Read a determination letter into a case file, every fact with the sentence it came from."""
    import json

    from .casefile import case_from_data, dump_case
    from .extract import extract as extract_letter
    from .library import load_rules

    try:
        library = load_rules(_rules_dir(rules_dir))
        data = extract_letter(letter_file, library)
        loaded = case_from_data(data, library, letter_file)  # what `evaluate` will accept, checked now
    except ImrError as exc:
        _fail(exc)
        return
    if fmt == "json":
        text = json.dumps(loaded.case.model_dump(mode="json", exclude_defaults=True), indent=2) + "\n"
    else:
        text = dump_case(data)
    write_output(text, output)


if __name__ == "__main__":  # pragma: no cover
    main()
