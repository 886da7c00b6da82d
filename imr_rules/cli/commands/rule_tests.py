"""`imr-rules test`: the case files that carry `expect:`, run through the engine, with criteria coverage."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from imr_rules.cli.common import library_folder, reports_errors, rules_option


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@rules_option
@click.option("--coverage", "show_coverage", is_flag=True, help="Show which criteria were seen met and not met.")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    help="Fail (exit 1) when criteria coverage is below this percentage (implies --coverage).",
)
@click.option("-v", "--verbose", is_flag=True, help="List passing tests too.")
@reports_errors
def test(
    paths: tuple[str, ...], rules_dir: str | None, show_coverage: bool, fail_under: float | None, verbose: bool
) -> None:
    """Run the case files that carry `expect:` through the engine; one test per expectation.

    PATHS are case files or folders (default: the bundled cases/ and tests/cases/). The last line is
    "N passed, N failed" (", N errors" when case files could not be run: each is reported on its own line
    as ERROR path:line:column and the other files still run); exit 1 if any test failed, 2 if any case
    file could not be run (bad input, as for every command).
    """
    from imr_rules.authoring.testing import (
        coverage,
        coverage_percent,
        default_paths,
        render_coverage,
        render_error,
        render_failure,
        rule_outcomes,
    )
    from imr_rules.authoring.testing import run_tests as run_cases
    from imr_rules.library.loading import load_rules

    library = load_rules(library_folder(rules_dir))
    targets: list[str | Path] = list(paths) if paths else list(default_paths())
    run = run_cases(targets, library)
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
        outcomes = rule_outcomes(run, library)
        click.echo(render_coverage(rows, outcomes))
        percent = coverage_percent(rows)
        if fail_under is not None and percent < fail_under:
            click.echo(f"coverage {percent:.1f}% is under --fail-under {fail_under:g}%")
            failing = True
    click.echo(run.summary())
    sys.exit(2 if run.errors else 1 if failing else 0)
