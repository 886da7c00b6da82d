"""The output formats, one registry per kind of result: a new format is one class and one entry.

`EVALUATE` and `CHECK` formats stream: `begin`, then `result` per case or letter as it is ready (or
`failure` for a file that could not be read), then `end` with the folder's summary (check only). A
format that needs every result (a JSON document, the HTML page) keeps them and writes at `end`. `LINT`
formats turn the whole list of findings into one text.

Only the standard library is imported at the top: `--help` lists the format names without loading the
models; each format imports its renderer (`imr_rules.output.report`) when it first writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

if TYPE_CHECKING:
    from imr_rules.authoring.lint import Check, Finding
    from imr_rules.errors import ImrError
    from imr_rules.models import CheckSummary, Evaluation, LetterCheck

T = TypeVar("T")


def _dumps(value: object, indent: int | None = None) -> str:
    """json.dumps with its defaults (ASCII escapes), imported when first used."""
    import json

    return json.dumps(value, indent=indent)


@dataclass(frozen=True)
class Run:
    """How a command was run: more than one input (a folder, several paths), the full criteria tree
    (`--explain`), and the text's width and colour (terminal_style: colour only on a terminal, never with
    NO_COLOR)."""

    many: bool = False
    explain: bool = False
    width: int = 100
    color: bool = False


class Format(Generic[T]):
    """Streams results of type T to a text handle. Subclasses override `result` and whatever else they need."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.kept: list[T] = []

    def begin(self, out: TextIO) -> None:
        """Before the first result."""

    def result(self, out: TextIO, result: T) -> None:
        raise NotImplementedError

    def rendered(self, out: TextIO, text: str) -> None:
        """A result `result` already rendered in a worker process (cli.rendering.FormatRendering)."""
        out.write(text)

    def failure(self, out: TextIO, path: str, error: ImrError) -> None:
        """A file that failed (already reported on stderr); most formats write nothing for it."""

    def end(self, out: TextIO, summary: CheckSummary | None) -> None:
        """After the last result; `summary` is the folder's tally (check only)."""


def render_one(writer: Format[T], result: T) -> str:
    """One result through a format, as one text (a single case or letter: written whole, or not at all)."""
    import io

    buffer = io.StringIO()
    writer.begin(buffer)
    writer.result(buffer, result)
    writer.end(buffer, None)
    return buffer.getvalue()


class _JsonLines(Format[T]):
    """One JSON object per line, streamed; a failed file is a line {"source", "error"}."""

    def failure(self, out: TextIO, path: str, error: ImrError) -> None:
        out.write(_dumps({"source": path, "error": str(error)}) + "\n")


# --- evaluate ----------------------------------------------------------------------------------------


class EvaluationText(Format["Evaluation"]):
    """For people: one line per item (the full criteria tree with --explain); a blank line between cases."""

    def result(self, out: TextIO, result: Evaluation) -> None:
        from imr_rules.output.report import brief_text, render_text

        run = self.run
        if run.explain:
            text = render_text(result, width=run.width, color=run.color)
        else:
            text = brief_text(result, width=run.width, color=run.color, hint=not run.many)
        out.write(text + ("\n" if run.many else ""))


class EvaluationJson(Format["Evaluation"]):
    """One case: its JSON document; several: a JSON array of them, streamed."""

    def begin(self, out: TextIO) -> None:
        if self.run.many:
            out.write("[\n")

    def result(self, out: TextIO, result: Evaluation) -> None:
        from imr_rules.output.report import render_json, to_json

        if not self.run.many:
            out.write(render_json(result))
            return
        out.write(("" if not self.kept else ",\n") + _dumps(to_json(result), indent=2))
        self.kept.append(result)

    written = 0

    def rendered(self, out: TextIO, text: str) -> None:
        out.write(("" if not self.written else ",\n") + text)
        self.written += 1

    def end(self, out: TextIO, summary: CheckSummary | None) -> None:
        if self.run.many:
            out.write("\n]\n")


class EvaluationJsonLines(_JsonLines["Evaluation"]):
    def result(self, out: TextIO, result: Evaluation) -> None:
        from imr_rules.output.report import to_json

        out.write(_dumps(to_json(result)) + "\n")


EVALUATE: dict[str, type[Format[Evaluation]]] = {
    "text": EvaluationText,
    "json": EvaluationJson,
    "jsonl": EvaluationJsonLines,
}
"""`imr-rules evaluate --format NAME`."""


# --- check -------------------------------------------------------------------------------------------


class _CheckFormat(Format["LetterCheck"]):
    """A check format that lists, with the folder's summary, the files that could not be read."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.failed: list[tuple[str, str]] = []  # (path, the one-line error)

    def failure(self, out: TextIO, path: str, error: ImrError) -> None:
        self.failed.append((path, str(error)))


class CheckText(_CheckFormat):
    """For people: per letter its verdict and one line per item (the findings with their evidence and the
    criteria tree with --explain); the folder's summary after several letters, with the files that failed."""

    def result(self, out: TextIO, result: LetterCheck) -> None:
        from imr_rules.output.report import check_text

        out.write(check_text(result, explain=self.run.explain, width=self.run.width, color=self.run.color))

    def end(self, out: TextIO, summary: CheckSummary | None) -> None:
        from imr_rules.output.report import summary_text

        if self.run.many and summary is not None:
            out.write("\n" + summary_text(summary, self.failed))


class CheckJson(_CheckFormat):
    """One letter: its JSON document; several: {"summary", "letters", "failed": [{"source", "error"}]}."""

    def result(self, out: TextIO, result: LetterCheck) -> None:
        self.kept.append(result)

    def end(self, out: TextIO, summary: CheckSummary | None) -> None:
        from imr_rules.output.report import check_json, summary_json

        if self.run.many and summary is not None:
            document = {
                "summary": summary_json(summary),
                "letters": [check_json(c) for c in self.kept],
                "failed": [{"source": path, "error": error} for path, error in self.failed],
            }
            out.write(_dumps(document, indent=2))
        elif self.kept:
            out.write(_dumps(check_json(self.kept[0]), indent=2) + "\n")


class CheckJsonLines(_JsonLines["LetterCheck"]):
    def result(self, out: TextIO, result: LetterCheck) -> None:
        from imr_rules.output.report import check_json

        out.write(_dumps(check_json(result)) + "\n")


class CheckHtml(_CheckFormat):
    """One self-contained page (no network): the files that could not be read, index of flagged letters,
    outcomes chart, every letter."""

    def result(self, out: TextIO, result: LetterCheck) -> None:
        self.kept.append(result)

    def end(self, out: TextIO, summary: CheckSummary | None) -> None:
        from imr_rules.output.report import check_html

        out.write(check_html(self.kept, summary if self.run.many else None, self.failed))


CHECK: dict[str, type[Format[LetterCheck]]] = {
    "text": CheckText,
    "json": CheckJson,
    "jsonl": CheckJsonLines,
    "html": CheckHtml,
}
"""`imr-rules check --format NAME`."""


# --- lint --------------------------------------------------------------------------------------------


def lint_text(findings: list[Finding], checks: list[Check]) -> str:
    """path:line:col: CODE message, one finding a line."""
    return "".join(f"{f}\n" for f in findings)


def lint_json(findings: list[Finding], checks: list[Check]) -> str:
    """A JSON array: {path, line, column, code, severity, message} per finding."""
    rows = [
        {
            "path": f.location.path,
            "line": f.location.line,
            "column": f.location.column,
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
        }
        for f in findings
    ]
    return _dumps(rows, indent=2) + "\n"


SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def lint_sarif(findings: list[Finding], checks: list[Check]) -> str:
    """SARIF 2.1.0 (one run; every check a reporting rule), for code-scanning tools and editors."""
    from pathlib import Path

    from imr_rules import __version__

    def location(f: Finding) -> dict[str, Any]:
        path = Path(f.location.path)
        uri = path.as_uri() if path.is_absolute() else path.as_posix()
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if f.location.line is not None:
            region = {"startLine": f.location.line}
            if f.location.column is not None:
                region["startColumn"] = f.location.column
            physical["region"] = region
        return {"physicalLocation": physical}

    known = {c.code for c in checks}
    rules = [
        {
            "id": c.code,
            "name": c.name,
            "shortDescription": {"text": c.description or c.name},
            "defaultConfiguration": {"level": SARIF_LEVEL[c.severity]},
        }
        for c in checks
    ]
    rules.extend(
        {"id": code, "defaultConfiguration": {"level": SARIF_LEVEL[f.severity]}}
        for code, f in {f.code: f for f in findings if f.code not in known}.items()
    )
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "imr-rules lint", "version": __version__, "rules": rules}},
                "results": [
                    {
                        "ruleId": f.code,
                        "level": SARIF_LEVEL[f.severity],
                        "message": {"text": f.message},
                        "locations": [location(f)],
                    }
                    for f in findings
                ],
            }
        ],
    }
    return _dumps(document, indent=2) + "\n"


LINT = {"text": lint_text, "json": lint_json, "sarif": lint_sarif}
"""`imr-rules lint --format NAME`: findings (and the registered checks) -> the whole output."""
