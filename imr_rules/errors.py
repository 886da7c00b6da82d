"""Every error imr-rules raises on bad input, each carrying where it came from.

The CLI turns any `ImrError` into one line on stderr (`path:line:col: message`) and exit code 2, so
every check that can fail on a user's file raises one of these instead of a bare exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceLocation:
    """A place in an input file; line and column are 1-based, None where unknown."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class ImrError(Exception):
    """Base class: a problem with user input, reported as one line and exit code 2.

    `code` names the kind of problem; `lint_code` is the `imr-rules lint` check that reports it when it
    is found in a rule library (E100 schema unless a subclass says otherwise), so rewording a message
    never changes its code.
    """

    code = "imr-error"
    lint_code = "E100"

    def __init__(self, message: str, location: SourceLocation | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class InputFileError(ImrError):
    """The file cannot be read at all: missing, unreadable, binary, not UTF-8, too large."""

    code = "input-file"


class OutputFileError(ImrError):
    """An output file cannot be written where asked: a folder, a missing folder, no permission."""

    code = "output-file"


class YamlSyntaxError(ImrError):
    """The YAML is malformed, uses a forbidden tag or alias, or nests too deeply."""

    code = "yaml-syntax"


class SchemaError(ImrError):
    """The document does not match its pydantic model (missing key, wrong type, unknown key)."""

    code = "schema"


class UnknownFactError(ImrError):
    """A case or rule names a fact the vocabulary does not declare."""

    code = "unknown-fact"
    lint_code = "E101"


class FactTypeError(ImrError):
    """A fact's value (or a rule's comparison value) does not match the fact's declared type."""

    code = "fact-type"
    lint_code = "E102"


class RuleLibraryError(ImrError):
    """The rule library as a whole is inconsistent (duplicate ids, unknown services, cycles)."""

    code = "rule-library"


class DuplicateIdError(RuleLibraryError):
    """Two rules share an id, or two criteria of one rule do."""

    code = "duplicate-id"
    lint_code = "E103"


class DuplicateCriterionError(DuplicateIdError):
    """Two criteria of one rule share an id (located at the first of them; lint locates the second)."""


class UnknownServiceError(RuleLibraryError):
    """A rule governs a service the service vocabulary does not declare."""

    code = "unknown-service"
    lint_code = "E108"


class EngineLimitError(RuleLibraryError):
    """A service's rules exceed a fixed size of durable-rules (attributes per fact, criteria per fact)."""

    code = "engine-limit"
    lint_code = "E109"


class EngineKeyError(RuleLibraryError):
    """Two engine keys of the vocabulary are one property to durable-rules (equal 32-bit FNV-1 hashes)."""

    code = "engine-key"
    lint_code = "E110"


class CaseError(ImrError):
    """A case file is inconsistent (duplicate items, a primary that names no item)."""

    code = "case"


class LetterError(ImrError):
    """A text is not a readable IMR determination letter."""

    code = "letter"


class EngineError(ImrError):
    """durable-rules reported a failure while evaluating (an action raised, a session broke)."""

    code = "engine"


STDIN_NAME = "<stdin>"  # how messages name standard input, given on the command line as "-"


def location(path: str | Path, line: int | None = None, column: int | None = None) -> SourceLocation:
    """Shorthand used by the readers; "-" (standard input) is named "<stdin>"."""
    name = str(path)
    return SourceLocation(STDIN_NAME if name == "-" else name, line, column)
