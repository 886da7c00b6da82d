"""Reading input files safely: text with clear errors, and YAML and JSON documents with a line for every
value (`YamlDocument`).

The YAML readers themselves are `imr_rules.yaml_reader`, imported on first use (`parse_yaml`), so that a
run that reads no YAML never imports PyYAML. JSON case files are read with `json.loads` and the same checks.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from pydantic import BaseModel, ValidationError

from imr_rules.errors import STDIN_NAME, InputFileError, SchemaError, SourceLocation, YamlSyntaxError, location

M = TypeVar("M", bound=BaseModel)

CASE_SUFFIXES = (".yaml", ".yml", ".json")
"""Case files: YAML, or JSON (read by json.loads: `imr-rules extract --format json` writes it)."""
LETTER_SUFFIXES = (".txt", ".pdf")
"""Letters: text, or a PDF (its text extracted). Every command and the web page read these names."""

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
# durable-rules 2.0.28 reads facts and rulesets as JSON with its own parser, which knows neither
# exponents (1e+16, 1e-05), Infinity nor NaN (read as null): such a number segfaults the process, is
# rejected as a ruleset, or silently matches nothing. Numbers are kept where Python prints them plainly.
MAX_NUMBER = 10**15
MIN_FRACTION = 1e-4

Path_ = tuple[str | int, ...]


def _read_bytes(path: str | Path, max_bytes: int) -> bytes:
    p = Path(path)
    try:
        if p.is_dir():
            raise InputFileError("is a directory, expected a file", location(p))
        size = p.stat().st_size
        if size > max_bytes:
            raise InputFileError(f"file is too large ({size} bytes, limit {max_bytes})", location(p))
        return p.read_bytes()
    except FileNotFoundError:
        raise InputFileError("no such file", location(p)) from None
    except PermissionError:
        raise InputFileError("permission denied", location(p)) from None
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror or exc}", location(p)) from None


def _decode(data: bytes, where: str | Path) -> str:
    if b"\x00" in data[:8192]:
        raise InputFileError("binary file, expected text", location(where))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError("file is not valid UTF-8 text", location(where, line)) from None


def read_text(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file ("-": standard input), turning every way it can fail into a one-line
    InputFileError."""
    data = read_stdin(max_bytes) if str(path) == STDIN else _read_bytes(path, max_bytes)
    if data.startswith(b"%PDF-"):
        raise InputFileError("this is a PDF, expected a text file", location(path))
    return _decode(data, path)


MAX_PDF_BYTES = 50 * 1024 * 1024
STDIN = "-"


def read_stdin(max_bytes: int, stdin: BinaryIO | None = None) -> bytes:
    """Standard input's bytes (`stdin`, else sys.stdin.buffer); InputFileError naming "<stdin>" past `max_bytes`."""
    import sys

    handle = stdin if stdin is not None else sys.stdin.buffer
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputFileError(f"input is too large (limit {max_bytes} bytes)", location(STDIN))
    return data


@dataclass(frozen=True)
class LetterSource:
    """A letter's text as the user gave it (for a PDF: as extracted) and, for a PDF, its sha256."""

    name: str
    text: str
    pdf_digest: str | None = None


def read_letter_source(path: str | Path, stdin: BinaryIO | None = None) -> LetterSource:
    """A letter from a text file, a PDF (its text layer, see `imr_rules.reading.pdf`) or standard input ("-").

    Raises InputFileError (one line, naming the file) for a file that cannot be read, a PDF without a
    text layer, an encrypted or damaged PDF, binary data or text that is not UTF-8.
    """
    from imr_rules.reading.pdf import is_pdf, pdf_text

    name = str(path)
    if name == STDIN:
        data = read_stdin(MAX_PDF_BYTES, stdin)
        name = STDIN_NAME
    else:
        data = _read_bytes(path, MAX_PDF_BYTES)
    if is_pdf(data):
        extracted = pdf_text(data, name)
        return LetterSource(name, extracted.text, extracted.digest)
    if name.lower().endswith(".pdf"):  # named a PDF but without the PDF signature: say so, not "not UTF-8"
        raise InputFileError("not a PDF (no %PDF- signature at its start) though it is named .pdf", location(name))
    if len(data) > MAX_FILE_BYTES:
        raise InputFileError(f"file is too large ({len(data)} bytes, limit {MAX_FILE_BYTES})", location(name))
    return LetterSource(name, _decode(data, name))


def number_error(value: object) -> str | None:
    """Why a number cannot reach the rule engine (see MAX_NUMBER), or None for any other value."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    if abs(value) >= MAX_NUMBER:
        return "number is too large (the limit is 10^15 in magnitude)"
    if isinstance(value, float) and value != 0 and abs(value) < MIN_FRACTION:
        return f"{value!r} is too small (a non-zero number must be at least {MIN_FRACTION} in magnitude)"
    return None


class YamlDocument:
    """A parsed YAML document plus the source position of every value and mapping key in it.

    `positions` maps a path of keys and indices to (line, column). A document read by the fast reader
    (`parse_yaml`) keeps its text instead and finds the positions on first use, by reading the text
    again with the position-keeping reader: only a file with an error pays for them.
    """

    def __init__(
        self, path: str, data: Any, positions: dict[Path_, tuple[int, int]] | None = None, text: str | None = None
    ) -> None:
        self.path = path
        self.data = data
        self._positions = positions
        self._text = text
        self.unterminated_line: int | None = None
        """The file's last line when the file does not end with a newline (a sign it may be cut off)."""

    def cut_off_hint(self, line: int | None = None) -> str:
        """ "; the file looks cut off (ends at line N with no newline)" when the file does not end with a
        newline and the problem is at its last line (or anywhere, for `line` None: a missing key); else ""."""
        last = self.unterminated_line
        if last is None or (line is not None and line != last):
            return ""
        return f"; the file looks cut off (ends at line {last} with no newline)"

    @property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        if self._positions is None:
            if self._text is None:
                self._positions = {}
            else:
                from imr_rules import yaml_reader

                self._positions = yaml_reader.located_positions(self._text, self.path)
            self._text = None
        return self._positions

    def where(self, loc: Path_) -> tuple[int | None, int | None]:
        """Line and column of the value at `loc`, or of its closest ancestor that has one."""
        positions = self.positions
        probe = tuple(loc)
        while probe:
            if probe in positions:
                return positions[probe]
            probe = probe[:-1]
        return positions.get((), (None, None))

    def location(self, loc: Path_ = ()) -> SourceLocation:
        line, col = self.where(loc)
        return location(self.path, line, col)


def parse_yaml(text: str, path: str | Path) -> YamlDocument:
    """Parse one YAML document from text (`imr_rules.yaml_reader.parse_yaml`, imported here on first use:
    a run that reads no YAML, such as checking a letter, never imports PyYAML); every failure becomes a
    YamlSyntaxError with a line."""
    from imr_rules import yaml_reader

    return yaml_reader.parse_yaml(text, path)


def unterminated_line(text: str) -> int | None:
    """When the text does not end with a newline, the number of its last line that holds anything (spaces
    after the last newline count as no newline); else None."""
    if not text.strip() or text.endswith(("\n", "\r")):
        return None
    return _cut_off_line(text)


def _cut_off_line(text: str) -> int:
    """The last line of the text that holds anything: where a cut-off file ends."""
    return text.rstrip().count("\n") + 1


def _parse_located(text: str, path: str | Path) -> YamlDocument:
    """The position-keeping YAML reader (`imr_rules.yaml_reader.parse_located`)."""
    from imr_rules import yaml_reader

    return yaml_reader.parse_located(text, path)


def parse_json(text: str, path: str | Path) -> YamlDocument:
    """Parse a JSON document (a case file written as JSON) with the YAML reader's checks: no duplicate
    keys, numbers the engine can read (`number_error`), nesting at most MAX_DEPTH. A syntax error is
    located by the JSON parser; the positions of values (for schema and vocabulary errors) are found on
    first use by reading the text as YAML, whose flow syntax JSON is (keys and values, not numbers).
    """
    name = str(path)
    try:
        data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        message, line, col = exc.msg, exc.lineno, exc.colno
        if message.startswith("Unterminated string"):  # json says "starting at" and leaves the place to the caller
            message = "unterminated string"
        to_the_end = message == "unterminated string" and "\n" not in text[exc.pos :].rstrip()
        if exc.pos >= len(text.rstrip()) or to_the_end:
            message += f" (the file looks cut off: it ends at line {_cut_off_line(text)})"
        raise YamlSyntaxError(f"malformed JSON: {message}", location(name, line, col)) from None
    except RecursionError:
        raise YamlSyntaxError("nesting too deep", location(name)) from None
    except _JsonProblem as exc:  # a duplicate key: the YAML reader finds its line
        where = location(name)
        if exc.duplicate:  # pragma: no branch
            try:
                _parse_located(text.replace("\t", " "), name)
            except YamlSyntaxError as located:
                where = located.location or where
        raise YamlSyntaxError(str(exc), where) from None
    except ValueError:  # an integer past Python's int/str conversion limit (4300 digits)
        raise YamlSyntaxError("number is too large (the limit is 10^15 in magnitude)", location(name)) from None
    as_yaml = text.replace("\t", " ")  # JSON's tabs are spaces; YAML's are not
    doc = YamlDocument(name, data, text=as_yaml)
    doc.unterminated_line = unterminated_line(text)
    try:
        _check_json(doc, data, (), 0)
    except YamlSyntaxError as exc:
        if exc.location is None or exc.location.line is None:  # no positions: the YAML reader refused the text
            try:
                _parse_located(as_yaml, name)
            except YamlSyntaxError as located:
                raise YamlSyntaxError(exc.message, located.location) from None
        raise
    return doc


class _JsonProblem(ValueError):
    """A duplicate key in a JSON file."""

    def __init__(self, message: str, duplicate: bool = False) -> None:
        super().__init__(message)
        self.duplicate = duplicate


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        duplicate = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _JsonProblem(f"duplicate key '{duplicate}'", duplicate=True)
    return out


class _JsonConstant(str):
    """NaN, Infinity or -Infinity in a JSON file, refused where it stands (`_check_json`)."""


def _json_constant(name: str) -> Any:
    return _JsonConstant(name)


def _check_json(doc: YamlDocument, value: Any, at: Path_, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise YamlSyntaxError(f"nesting deeper than {MAX_DEPTH} levels", doc.location(at))
    if isinstance(value, dict):
        for key, item in value.items():
            _check_json(doc, item, (*at, key), depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_json(doc, item, (*at, i), depth + 1)
    else:
        problem = f"{value} is not a finite number" if isinstance(value, _JsonConstant) else number_error(value)
        if problem:
            raise YamlSyntaxError(problem, doc.location(at))


def load_yaml(path: str | Path) -> YamlDocument:
    """Read and parse a YAML file."""
    return parse_yaml(read_text(path), path)


def schema_errors(doc: YamlDocument, model: type[M], what: str) -> tuple[M | None, list[SchemaError]]:
    """Validate a document against a model; every pydantic error becomes a located SchemaError."""
    if doc.data is None:
        return None, [SchemaError(f"empty file, expected a {what}", doc.location())]
    if not isinstance(doc.data, dict):
        found = type(doc.data).__name__
        return None, [SchemaError(f"expected a mapping (a {what}), found {found}{doc.cut_off_hint()}", doc.location())]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        errors = []
        last = _last_path(doc.data)
        problems = [(_located(err["loc"]), err) for err in exc.errors(include_url=False)]
        missing: dict[tuple[Any, ...], list[str]] = {loc[:-1]: [] for loc, err in problems if err["type"] == "missing"}
        for loc, err in problems:
            if err["type"] == "missing":
                missing[loc[:-1]].append(str(loc[-1]))
        # an unknown key beside a missing one is most likely it misspelt: say that first
        problems.sort(key=lambda pair: not (pair[1]["type"] == "extra_forbidden" and pair[0][:-1] in missing))
        for loc, err in problems:
            where = _dotted(loc)
            msg = _schema_message(err)
            if err["type"] == "extra_forbidden":
                msg = f"unknown key '{loc[-1]}'"
                where = _dotted(loc[:-1])
            elif err["type"] == "missing":
                msg = f"missing required key '{loc[-1]}'"
                where = _dotted(loc[:-1])
            msg += _schema_hint(err, loc, missing, model)
            at_end = err["type"] == "missing" or tuple(loc) == last[: len(loc)]  # about the value the file stops in
            msg += doc.cut_off_hint() if at_end else ""
            errors.append(SchemaError(f"{where}: {msg}" if where else msg, doc.location(loc)))
        # where the file looks cut off, that is the likely cause of them all: say it first
        return None, sorted(errors, key=lambda e: "looks cut off" not in e.message)


def _located(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A pydantic error's path as keys of the document (a tagged union's tag, `<fact>`, is none)."""
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("<") and p.endswith(">")))


def _keys_at(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """The keys a document may have at `loc` under `model` (field names and aliases), following fields,
    list items and optional values; [] where the path leads to no single model (a union of models, a
    mapping of facts)."""
    current: Any = model
    for part in loc:
        if typing.get_origin(current) is dict:  # a mapping's key (a fact's name): on to its value's type
            current = typing.get_args(current)[1]
            continue
        current = _model_of(current)
        if current is None:
            return []
        if isinstance(part, int):
            continue  # a list's item: the element type was taken by _model_of
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if field is None:
            return []
        current = field.annotation
    current = _model_of(current)
    if current is None:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The one pydantic model an annotation holds: itself, `X | None`, or `list[X]`; else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    models = [m for m in (_model_of(a) for a in typing.get_args(annotation)) if m is not None]
    origin = typing.get_origin(annotation)
    if origin is dict:
        return None
    return models[0] if len(models) == 1 else None


_ID_PATTERN = "^[a-z][a-z0-9_]*$"


def _schema_hint(
    err: Any, loc: tuple[Any, ...], missing: dict[tuple[Any, ...], list[str]], model: type[BaseModel] | None = None
) -> str:
    """What a person most likely meant, for the errors hand-written files make: a misspelt key (a missing
    required key first, else any key the model has there), text after a comma inside { }, a date not
    written YYYY-MM-DD, a name that is no id."""
    kind, given = err["type"], err.get("input")
    if kind == "extra_forbidden":
        import difflib  # here: only an error message needs it

        near = difflib.get_close_matches(str(loc[-1]), missing.get(loc[:-1], []), n=1, cutoff=0.6)
        near = near or difflib.get_close_matches(str(loc[-1]), _keys_at(model, loc[:-1]), n=1, cutoff=0.75)
        if near:
            return f" (did you mean '{near[0]}'?)"
        if given is None and " " in str(loc[-1]):
            return " (text after a comma inside { } is read as a new key: put the whole text in quotes)"
    if kind.startswith("date") and isinstance(given, str):
        return " (write dates as YYYY-MM-DD, e.g. 2016-05-02)"
    return ""


def _schema_message(err: Any) -> str:
    """pydantic's message, in the words of the file for the errors people make by hand."""
    kind, given = err["type"], err.get("input")
    if kind == "string_pattern_mismatch" and (err.get("ctx") or {}).get("pattern") == _ID_PATTERN:
        as_id = re.sub(r"[^a-z0-9]+", "_", str(given).lower()).strip("_")
        written = f"; written as one: '{as_id}'" if re.fullmatch(_ID_PATTERN, as_id) else ""
        return f"'{str(given)[:80]}' is not an id (lower-case letters, digits and '_'{written})"
    if kind in ("model_type", "dict_type") and not isinstance(given, dict):
        shown = f"'{given[:80]}'" if isinstance(given, str) else type(given).__name__
        return f"expected a mapping (key: value), found {shown}"
    if kind in ("literal_error", "enum"):
        allowed = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
        if allowed:
            shown = f"'{str(given)[:80]}'" if isinstance(given, str) else repr(given)
            near = [a for a in allowed if isinstance(given, str) and a.lower() == given.strip().lower()]
            hint = f" (did you mean '{near[0]}'? write it with its capitals)" if near else ""
            return f"{shown} is not one of {', '.join(repr(a) for a in allowed)}{hint}"
    if kind == "too_short":
        ctx = err.get("ctx") or {}
        least, found = int(ctx.get("min_length", 1)), int(ctx.get("actual_length", 0))
        return f"needs at least {least} entr{'y' if least == 1 else 'ies'}, found {found or 'none'}"
    return str(err["msg"]).removeprefix("Value error, ")


def _last_path(data: Any) -> tuple[Any, ...]:
    """The path of keys and indices to the last value of a document (where a cut-off file stops)."""
    path: list[Any] = []
    while isinstance(data, (dict, list)) and data:
        key = next(reversed(data)) if isinstance(data, dict) else len(data) - 1
        path.append(key)
        data = data[key]
    return tuple(path)


def to_model(doc: YamlDocument, model: type[M], what: str) -> M:
    """Validate and return the model, raising the first located error."""
    value, errors = schema_errors(doc, model, what)
    if errors:
        raise errors[0]
    assert value is not None
    return value


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# --- files ---------------------------------------------------------------------------------------------


def walk_files(
    root: Path,
    enter: Callable[[Path, str], bool] = lambda folder, name: True,
    on_error: Callable[[Path, OSError], None] | None = None,
) -> Iterator[Path]:
    """Every file below `root` (not sorted), hidden entries (`.name`) skipped.

    Walked with an explicit stack (no recursion limit on deep trees); each folder is visited once by its
    real path, so folders reached through symlinks are listed once and a symlink loop ends. `enter(folder,
    name)` says whether to walk into a sub-folder; a folder that cannot be listed goes to `on_error`
    (skipped when None); an entry whose type cannot be read (a symlink to itself) is yielded as a file,
    so that reading it reports the problem.
    """
    visited: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in visited:
            continue
        visited.add(real)
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            if on_error is not None:
                on_error(folder, exc)
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            if is_dir:
                if enter(folder, entry.name):
                    stack.append(Path(entry.path))
            else:
                yield Path(entry.path)


class NoTemporaryFile(OSError):
    """`write_atomic` could not create its temporary file: the folder cannot be written."""


def write_atomic(
    path: Path,
    write: Callable[[Any], object],
    encoding: str | None = None,
    mode: int | None = None,
    sync: bool = False,
) -> None:
    """Write a file whole or not at all: into a temporary file beside it, then renamed over it.

    `write(handle)` writes the content to a binary handle, or to a text handle in `encoding` (newlines
    as written); `mode` sets the new file's permission bits (else the temporary file's, 0600); `sync`
    flushes it to disk before the rename. Any exception (KeyboardInterrupt included) removes the
    temporary file and leaves `path` as it was. Raises NoTemporaryFile, or OSError while writing.
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise NoTemporaryFile(exc.errno, exc.strerror) from exc
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding=encoding, newline="") if encoding else os.fdopen(fd, "wb") as handle:
            write(handle)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
