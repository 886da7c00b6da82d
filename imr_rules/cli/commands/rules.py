"""`imr-rules rules ...`: what is in the rule library.

To add a subcommand: a function here decorated with `@rules.command("name")`, `@rules_option` and
`@reports_errors`, loading the library with `load_library(rules_dir)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from imr_rules.cli.common import fail, library_folder, reports_errors, rules_option
from imr_rules.errors import RuleLibraryError

if TYPE_CHECKING:
    from imr_rules.library.loading import RuleLibrary


def load_library(rules_dir: str | None) -> RuleLibrary:
    """The rule library of --rules / $IMR_RULES_DIR / the bundled one (an ImrError if it does not load)."""
    from imr_rules.library.loading import load_rules

    return load_rules(library_folder(rules_dir))


@click.group("rules")
def rules() -> None:
    """What is in the rule library."""


@rules.command("list")
@rules_option
@reports_errors
def rules_list(rules_dir: str | None) -> None:
    """Every rule: id, title, source, governed services, edition, effective dates."""
    from imr_rules.authoring.docs import rules_table

    click.echo(rules_table(load_library(rules_dir)), nl=False)


@rules.command("path")
@rules_option
@reports_errors
def rules_path(rules_dir: str | None) -> None:
    """Print the folder of the rule library in use (the bundled one unless --rules or $IMR_RULES_DIR).

    Start a library of your own from it: cp -r "$(imr-rules rules path)" my-rules
    """
    from imr_rules.errors import location

    root = library_folder(rules_dir).resolve()
    if not root.is_dir():
        fail(RuleLibraryError("rule library folder not found", location(root)))
    click.echo(str(root))


@rules.command("show")
@click.argument("rule_id")
@rules_option
@reports_errors
def rules_show(rule_id: str, rules_dir: str | None) -> None:
    """One rule as the checklist a reviewer reads (Markdown)."""
    from imr_rules.authoring.docs import render_rule
    from imr_rules.library.loading import closest

    library = load_library(rules_dir)
    for loaded in library.rules:
        if loaded.rule.id == rule_id:
            click.echo(render_rule(loaded, library), nl=False)
            return
    ids = [lr.rule.id for lr in library.rules]
    fail(RuleLibraryError(f"no rule '{rule_id}' in {library.root}{closest(rule_id, ids)}"))


@rules.command("catalog")
@rules_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("-o", "--output", default=None, help="Write to this file instead of standard output.")
@reports_errors
def rules_catalog(rules_dir: str | None, fmt: str, output: str | None) -> None:
    """Every MTUS topic (and the ODG sections reviewers cite) with the rules that encode it or why none does.

    Reads catalog.yaml of the rule library. Problems (a rule id the catalog names that does not exist, a
    rule no topic names) are printed on stderr as path:line:col: message, and the exit code is 1.
    docs/CATALOG.md is `imr-rules rules catalog --format markdown -o docs/CATALOG.md`.
    """
    import sys

    from imr_rules.cli.common import write_output
    from imr_rules.library.catalog import (
        check_catalog,
        load_catalog,
        render_json,
        render_markdown,
        render_text,
        table_rows,
    )

    library = load_library(rules_dir)
    loaded = load_catalog(library.root, table_rows(library))
    render = {"text": render_text, "json": render_json, "markdown": render_markdown}[fmt]
    write_output(render(loaded), output)
    problems = check_catalog(loaded, library)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(1 if problems else 0)
