"""Commands for rule authors: lint, test (with coverage), schema, docs, rules list / show.

`register(main)` adds them to the `imr-rules` group. Each command only parses arguments, calls the
library (`imr_rules.lint`, `testing`, `schema`, `docs`) and prints; an ImrError becomes one line
`error: <message>` on stderr and exit code 2, as for every imr-rules command. Helpers from `imr_rules.cli`
are imported inside the commands, so `cli` may import this module at its top without a cycle.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from .errors import ImrError, RuleLibraryError

if TYPE_CHECKING:
    from .library import RuleLibrary

KINDS = ("rules", "case", "facts", "services")


def register(main: click.Group) -> None:
    """Add the authoring commands to the main `imr-rules` group."""
    for command in (lint_command, test_command, schema_command, docs_command, rules_group):
        main.add_command(command)


def _fail(exc: ImrError) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


def _root(rules_dir: str | None) -> Path:
    from .cli import _rules_dir

    return _rules_dir(rules_dir)


def _library(rules_dir: str | None) -> RuleLibrary:
    from .library import load_rules

    try:
        return load_rules(_root(rules_dir))
    except ImrError as exc:
        _fail(exc)


RULES_OPTION = click.option(
    "--rules", "rules_dir", default=None, help="Rule library folder (default: $IMR_RULES_DIR, else the bundled rules/)."
)


@click.command("lint")
@click.argument("root", required=False, type=click.Path(path_type=str))
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--info", "show_info", is_flag=True, help="Also show information findings (I codes).")
@click.option("--list-checks", is_flag=True, help="List every check with its code and exit.")
def lint_command(root: str | None, strict: bool, show_info: bool, list_checks: bool) -> None:
    """Check a rule library and report every problem, as path:line:col: CODE message.

    Exit 1 if an error is found (with --strict, a warning too), 2 if ROOT is not a rule library folder.
    Silence one finding with a comment on its line: # imr-lint: disable=W202
    """
    from .lint import CHECKS, exit_code, lint, summary

    if list_checks:
        for check in CHECKS:
            click.echo(f"{check.code} {check.name} ({check.severity}): {check.description}")
        return
    try:
        findings = lint(_root(root))
    except ImrError as exc:
        _fail(exc)
    shown = [f for f in findings if show_info or f.severity != "info"]
    for finding in shown:
        click.echo(str(finding))
    hidden = len(findings) - len(shown)
    click.echo(summary(shown) + (f" ({hidden} info hidden, see --info)" if hidden else ""), err=True)
    sys.exit(exit_code(findings, strict))


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@RULES_OPTION
@click.option("--coverage", "show_coverage", is_flag=True, help="Show which criteria were seen met and not met.")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    help="Fail (exit 1) when criteria coverage is below this percentage (implies --coverage).",
)
@click.option("-v", "--verbose", is_flag=True, help="List passing tests too.")
def test_command(
    paths: tuple[str, ...], rules_dir: str | None, show_coverage: bool, fail_under: float | None, verbose: bool
) -> None:
    """Run the case files that carry `expect:` through the engine; one test per expectation.

    PATHS are case files or folders (default: the bundled cases/ and tests/cases/). The last line is
    "N passed, N failed"; exit 1 if any test failed.
    """
    from .testing import coverage, coverage_percent, default_paths, render_coverage, render_error, render_failure
    from .testing import run_tests as run_cases

    library = _library(rules_dir)
    targets: list[str | Path] = list(paths) if paths else list(default_paths())
    try:
        run = run_cases(targets, library)
    except ImrError as exc:
        _fail(exc)
    for error in run.errors:
        click.echo(render_error(error))
    for result in run.results:
        if not result.passed:
            click.echo(render_failure(result))
        elif verbose:
            click.echo(f"passed {result.location}: case {result.case}, item '{result.item}'")
    failing = run.failed > 0
    if not run.results and not run.errors:
        click.echo("no case file with expectations (expect:) was found")
        failing = True
    if show_coverage or fail_under is not None:
        rows = coverage(run, library)
        click.echo("")
        click.echo(render_coverage(rows))
        percent = coverage_percent(rows)
        if fail_under is not None and percent < fail_under:
            click.echo(f"coverage {percent:.1f}% is under --fail-under {fail_under:g}%")
            failing = True
    click.echo(run.summary())
    sys.exit(1 if failing else 0)


@click.command("schema")
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--vocabulary",
    is_flag=True,
    help="Add the library's fact names and service ids as enums, for completion (library from --rules).",
)
@RULES_OPTION
@click.option("-o", "--output", default=None, help="Write to this file instead of standard output.")
def schema_command(kind: str, vocabulary: bool, rules_dir: str | None, output: str | None) -> None:
    """Print the JSON Schema of a kind of file (rules, case, facts, services), generated from the models."""
    from .cli import write_output
    from .schema import render

    write_output(render(kind, _library(rules_dir) if vocabulary else None), output)


@click.command("docs")
@click.argument("root", required=False, type=click.Path(path_type=str))
@click.option("-o", "--output", "out_dir", required=True, help="Folder for the Markdown pages (e.g. docs/rules).")
def docs_command(root: str | None, out_dir: str) -> None:
    """Write the rule library as Markdown checklists, one page per rule plus index.md."""
    from .docs import write_docs

    library = _library(root)
    try:
        result = write_docs(library, out_dir)
    except ImrError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(ImrError(f"cannot write the pages: {exc.strerror or exc}"))
    for path in result.removed:
        click.echo(f"removed {path}")
    click.echo(f"wrote {len(result.written)} pages to {out_dir}")


@click.group("rules")
def rules_group() -> None:
    """What is in the rule library."""


@rules_group.command("list")
@RULES_OPTION
def rules_list(rules_dir: str | None) -> None:
    """Every rule: id, title, source, governed services, edition, effective dates."""
    from .docs import rules_table

    click.echo(rules_table(_library(rules_dir)), nl=False)


@rules_group.command("path")
@RULES_OPTION
def rules_path(rules_dir: str | None) -> None:
    """Print the folder of the rule library in use (the bundled one unless --rules or $IMR_RULES_DIR).

    Start a library of your own from it: cp -r "$(imr-rules rules path)" my-rules
    """
    from .errors import location

    root = _root(rules_dir).resolve()
    if not root.is_dir():
        _fail(RuleLibraryError("rule library folder not found", location(root)))
    click.echo(str(root))


@rules_group.command("show")
@click.argument("rule_id")
@RULES_OPTION
def rules_show(rule_id: str, rules_dir: str | None) -> None:
    """One rule as the checklist a reviewer reads (Markdown)."""
    from .docs import render_rule
    from .library import closest

    library = _library(rules_dir)
    for loaded in library.rules:
        if loaded.rule.id == rule_id:
            click.echo(render_rule(loaded, library), nl=False)
            return
    ids = [lr.rule.id for lr in library.rules]
    _fail(RuleLibraryError(f"no rule '{rule_id}' in {library.root}{closest(rule_id, ids)}"))


@rules_group.command("catalog")
@RULES_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("-o", "--output", default=None, help="Write to this file instead of standard output.")
def rules_catalog(rules_dir: str | None, fmt: str, output: str | None) -> None:
    """Every MTUS topic (and the ODG sections reviewers cite) with the rules that encode it or why none does.

    Reads catalog.yaml of the rule library. Problems (a rule id the catalog names that does not exist, a
    rule no topic names) are printed on stderr as path:line:col: message, and the exit code is 1.
    docs/CATALOG.md is `imr-rules rules catalog --format markdown -o docs/CATALOG.md`.
    """
    from .catalog import check_catalog, load_catalog, render_json, render_markdown, render_text
    from .cli import write_output

    library = _library(rules_dir)
    try:
        loaded = load_catalog(library.root)
    except ImrError as exc:
        _fail(exc)
    render = {"text": render_text, "json": render_json, "markdown": render_markdown}[fmt]
    write_output(render(loaded), output)
    problems = check_catalog(loaded, library)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(1 if problems else 0)
