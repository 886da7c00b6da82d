"""The `imr-rules` command group: every command registered in one list, run with clean signal handling and
output that never fails to encode."""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import threading

import click

from imr_rules import __version__
from imr_rules.cli.common import fail
from imr_rules.errors import ImrError


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
    """The command group: SIGTERM and SIGHUP stop a run cleanly; standard output that cannot encode a
    character (PYTHONIOENCODING=cp1252, a legacy console) shows it escaped (\\u2265) instead of failing.
    Commands report their own errors (common.reports_errors); an ImrError that escapes one anyway is
    reported the same way here."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*USER_COMMANDS, *AUTHOR_COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command's module is imported when the command is asked for (`COMMANDS`): a run imports
        its own command only; `--help` imports them all for their short help."""
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        command = getattr(importlib.import_module(f"imr_rules.cli.commands.{where}"), cmd_name)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in COMMANDS:
            # not a command: click's error suggests the closest of `self.commands`, so register them all
            for name in self.list_commands(ctx):
                command = self.get_command(ctx, name)
                if command is not None:
                    self.add_command(command, name)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands in two groups, those for letters and cases first (USER_COMMANDS, AUTHOR_COMMANDS)."""
        width = formatter.width - 6 - max(len(name) for name in COMMANDS)
        for title, names in (("Letters and cases", USER_COMMANDS), ("For rule authors", AUTHOR_COMMANDS)):
            commands = [(name, self.get_command(ctx, name)) for name in names]
            with formatter.section(title):
                formatter.write_dl([(n, c.get_short_help_str(max(width, 45))) for n, c in commands if c is not None])

    def invoke(self, ctx: click.Context) -> object:
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
        previous: dict[int, object] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in _STOP_SIGNALS:
                previous[sig] = signal.signal(sig, _stop)
        from imr_rules.cache import one_digest  # here, not at the top: `--help` never gets this far

        try:
            with one_digest():  # the rule files are digested once per command (imr_rules.cache)
                return super().invoke(ctx)
        except ImrError as exc:
            fail(exc)
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
    """Guideline criteria as executable rules for California IMR determinations.

    \b
    Start with:
      imr-rules check letter.txt       do the letter's facts bear out its decision?
      imr-rules extract letter.txt -o case.yaml   the facts, with their sentences
      imr-rules evaluate case.yaml -v  every item, criterion by criterion
      imr-rules serve                  the same on a web page

    `imr-rules COMMAND --help` explains each command."""


COMMANDS: dict[str, str] = {
    "evaluate": "evaluate",
    "check": "check",
    "extract": "extract",
    "serve": "serve",
    "lint": "lint",
    "test": "rule_tests",
    "schema": "schema",
    "docs": "docs",
    "rules": "rules",
}
"""Each command's name and its module in cli/commands/ (the command is the module's attribute of that name)."""
USER_COMMANDS: tuple[str, ...] = ("evaluate", "check", "extract", "serve")
"""Reading and checking letters and cases."""
AUTHOR_COMMANDS: tuple[str, ...] = ("lint", "test", "schema", "docs", "rules")
"""For rule authors. A new command: its module in cli/commands/, one entry in COMMANDS and one here."""
