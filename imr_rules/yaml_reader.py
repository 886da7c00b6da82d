"""The YAML readers behind `sources.parse_yaml`: libyaml's events read straight into Python values (the
fast reader), and PyYAML's composer keeping every value's line and column (the position-keeping reader,
for files with anything unusual and for error messages).

Kept apart from `imr_rules.sources` so that PyYAML (~20 ms of CPU to import) is imported only by a run
that reads YAML: checking a letter reads none when the rule library comes from the cache.

YAML is composed with PyYAML's safe loader (no Python tags can be constructed) and then built into plain
Python values by hand, so that every mapping key and value keeps its line and column for error messages,
and so that aliases (the "billion laughs" bomb) and absurd nesting are refused up front.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from imr_rules.errors import ImrError, YamlSyntaxError, location
from imr_rules.sources import MAX_DEPTH, Path_, YamlDocument, _cut_off_line, number_error, unterminated_line


def parse_yaml(text: str, path: str | Path) -> YamlDocument:
    """Parse one YAML document from text; every failure becomes a YamlSyntaxError with a line.

    The data comes from libyaml's events in one pass (`_fast_data`), with no positions kept; any input
    that pass does not read plainly (an error, a tag, an anchor, a duplicate key, an ambiguous number,
    deep nesting) is read again by the position-keeping reader, which decides and locates the error.
    The data is the same either way (tests/test_hard_inputs.py compares them on every project file).
    """
    doc = None
    if _CParser is not None:
        data = _fast_data(text)
        if data is not _SLOW:
            doc = YamlDocument(str(path), data, text=text)
    if doc is None:
        doc = parse_located(text, path)
    _refuse_dangling_end(text, str(path))
    doc.unterminated_line = unterminated_line(text)
    return doc


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.constructor = yaml.constructor.SafeConstructor()  # for ints, floats, booleans, nulls

    def build(self, node: yaml.Node, at: Path_, depth: int) -> Any:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        self.positions[at] = (line, col)
        if depth > MAX_DEPTH:
            raise YamlSyntaxError(f"nesting deeper than {MAX_DEPTH} levels", location(self.path, line, col))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_COLLECTIONS:
            # a tag on a collection (!!python/object:..., !!set, !!omap) would otherwise be ignored silently
            raise YamlSyntaxError(f"YAML tag '{node.tag}' is not allowed", location(self.path, line, col))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlSyntaxError(
                        "mapping keys must be plain strings",
                        location(self.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                    )
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlSyntaxError("merge keys (<<) are not supported", location(self.path, line, col))
                key = str(key_node.value)
                if key in out:
                    raise YamlSyntaxError(
                        f"duplicate key '{key}'",
                        location(self.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                    )
                out[key] = self.build(value_node, (*at, key), depth + 1)
                # errors about an entry point at its key, where a reader looks for it
                key_at: Path_ = (*at, key)
                self.positions[key_at] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*at, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag.startswith("!") or not tag.startswith("tag:yaml.org,2002:"):
            raise YamlSyntaxError(
                f"YAML tag '{tag}' is not allowed",
                location(self.path, node.start_mark.line + 1, node.start_mark.column + 1),
            )
        # Timestamps stay strings: fact types, not YAML, decide what a date is.
        if tag == "tag:yaml.org,2002:binary":
            raise YamlSyntaxError(
                "YAML tag '!!binary' is not allowed",
                location(self.path, node.start_mark.line + 1, node.start_mark.column + 1),
            )
        if tag == "tag:yaml.org,2002:timestamp":
            return str(node.value)
        if tag == "tag:yaml.org,2002:str":
            return node.value
        where = location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)
        if tag in (_INT, _FLOAT) and not _PLAIN_NUMBER.match(node.value):
            # YAML 1.1 reads 012 as octal 10, 1:30 as sexagesimal 90, 0x1f as hex, 1_000 as 1000:
            # a reader of the file would see another number, so only plain decimals are numbers
            raise YamlSyntaxError(
                f"ambiguous number {node.value[:40]!r}: write it in plain decimals "
                "(without leading zeros, ':', '_', 0x, 0o or 0b), or quote it as text",
                where,
            )
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise YamlSyntaxError(f"YAML tag '{tag}' is not allowed: {exc.problem}", where) from None
        except ValueError:  # an integer longer than Python's int/str conversion limit (4300 digits)
            raise YamlSyntaxError("number is too large (the limit is 10^15 in magnitude)", where) from None
        problem = number_error(value)
        if problem:
            raise YamlSyntaxError(problem, where)
        return value


_PLAIN_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
# what YAML 1.2, JSON and a person all read as the same number (.inf and .nan are refused as not finite)
_PLAIN_NUMBER = re.compile(
    r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?\Z|[-+]?\.[0-9]+\Z|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)\Z"
)


class _NoAliases(yaml.composer.Composer):
    """Refuses anchors and aliases while composing: rule and case files never need them."""

    name: str
    # provided by the parser the composer is mixed with
    check_event: Callable[..., bool]
    peek_event: Callable[[], Any]

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlSyntaxError(
                "YAML aliases (*name) are not allowed",
                location(self.name, event.start_mark.line + 1, event.start_mark.column + 1),
            )
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlSyntaxError(
                "YAML anchors (&name) are not allowed",
                location(self.name, event.start_mark.line + 1, event.start_mark.column + 1),
            )
        return super().compose_node(parent, index)


class _PyComposer(_NoAliases, yaml.SafeLoader):
    """PyYAML's pure-Python scanner and parser."""


_Composer: type = _PyComposer
_CLoader: type | None = None
try:
    from yaml._yaml import CParser

    _CLoader = yaml.CSafeLoader

    class _CComposer(_NoAliases, CParser, yaml.resolver.Resolver):
        """libyaml's scanner and parser (about 10x faster) under PyYAML's Python composer, so that the
        anchor and alias checks above still run; loading the rule library was mostly YAML scanning."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _Composer = _CComposer
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    pass


# libyaml's own composer recurses in C without a limit: 40,000 nested brackets crash the process
# (measured; 20,000 were fine, and 10,000 in a thread). It is used only where the nesting is provably
# shallower than this.
C_COMPOSER_MAX_DEPTH = 5_000


def _c_composer_safe(text: str) -> bool:
    """Whether libyaml may compose `text` itself: no anchors or aliases to refuse (they need `&` or `*`)
    and a nesting depth bound under C_COMPOSER_MAX_DEPTH. Each flow level needs a bracket; each block
    level a greater column, except a sequence at its parent key's column: so depth <= brackets + 2 x
    (longest line + 1). Case and rule files pass; the rest take the Python composer, which is bounded
    by Python's recursion limit."""
    if "&" in text or "*" in text:
        return False
    longest = max((len(line) for line in text.splitlines()), default=0)
    return text.count("[") + text.count("{") + 2 * (longest + 1) < C_COMPOSER_MAX_DEPTH


_DANGLING = re.compile(r"(?::|^[ \t]*-)[ \t]*(?:#.*)?\Z")


def _refuse_dangling_end(text: str, name: str) -> None:
    """A block mapping whose last key has no value, or a list whose last entry is empty, at the very end of
    the file: the way a file cut off mid-mapping or mid-list ends (a value left out on purpose is written
    `null`). Raises a YamlSyntaxError naming the key and the last line."""
    body = text.rstrip()
    last = body.rsplit("\n", 1)[-1]
    if not _DANGLING.search(last):  # cheap: only a last line ending in ':' or a lone '-' is read again
        return
    key: str | None = None
    final: Any = None
    scalar: Any = None
    try:
        for token in yaml.scan(body, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.BlockEndToken, yaml.StreamEndToken, yaml.DocumentEndToken)):
                continue
            if isinstance(token, yaml.ValueToken) and scalar is not None:
                key = str(scalar.value)
            scalar = token if isinstance(token, yaml.ScalarToken) else None
            final = token
    except yaml.YAMLError:  # pragma: no cover - the text was parsed already
        return
    line = _cut_off_line(text)
    if isinstance(final, yaml.ValueToken):
        what = f"'{key}' has no value" if key is not None else "the last key has no value"
    elif isinstance(final, yaml.BlockEntryToken):
        what = "the last list entry is empty"
    else:
        return
    column = final.start_mark.column + 1
    raise YamlSyntaxError(
        f"{what}: the file looks cut off (ends at line {line}); write `null` for no value", location(name, line, column)
    )


def located_positions(text: str, path: str) -> dict[Path_, tuple[int, int]]:
    try:
        return parse_located(text, path).positions
    except ImrError:  # pragma: no cover - the fast reader accepted this text, so the located one does too
        return {}


_OPEN_AT_END = (
    ("quoted scalar", "a quoted string", "quote"),
    ("flow mapping", "a '{'", "'}'"),
    ("flow sequence", "a '['", "']'"),
)
"""What a YAML error's context says was left open when the text ended, in words."""


def _cut_off_yaml(text: str, exc: yaml.MarkedYAMLError) -> str:
    """For a YAML error at the very end of the text: the file looks cut off, inside what was left open;
    a string or bracket opened on an earlier line may instead lack its closing quote or bracket."""
    last = _cut_off_line(text)
    opened, closer = next(((o, c) for kind, o, c in _OPEN_AT_END if kind in (exc.context or "")), (None, None))
    if opened is None or exc.context_mark is None:
        return f" (the file looks cut off: it ends at line {last})"
    start = exc.context_mark.line + 1
    if start == last:
        return f" (the file looks cut off inside {opened}: it ends at line {last})"
    return (
        f" ({opened} opened at line {start} is never closed: the file looks cut off at line {last}, or its "
        f"closing {closer} is missing)"
    )


def parse_located(text: str, path: str | Path) -> YamlDocument:
    """The position-keeping reader: every value's line and column, and every failure a YamlSyntaxError
    with a line."""
    name = str(path)
    loader = _CLoader(text) if _CLoader is not None and _c_composer_safe(text) else _Composer(text)
    loader.name = name
    try:
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except YamlSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        if exc.problem_mark is not None and exc.problem_mark.index >= len(text.rstrip()):
            problem += _cut_off_yaml(text, exc)
            line = _cut_off_line(text)
            col = len(text.rstrip().rsplit("\n", 1)[-1]) + 1  # where the text stops, not past it
        raise YamlSyntaxError(f"malformed YAML: {problem}", location(name, line, col)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"malformed YAML: {exc}", location(name)) from None
    except RecursionError:
        raise YamlSyntaxError("nesting too deep", location(name)) from None
    if node is None:
        return YamlDocument(name, None, {})
    builder = _Builder(name)
    data = builder.build(node, (), 0)
    return YamlDocument(name, data, builder.positions)


# -- the fast reader: libyaml's events straight into Python values ----------------------------------------
_SLOW: Any = object()  # the fast reader's answer for "read this text with the position-keeping reader"
_NO_KEY: Any = object()
_CParser: Any = None
with contextlib.suppress(ImportError):  # PyYAML built without libyaml: the located reader reads everything
    from yaml._yaml import CParser as _CParser


class _Slow(Exception):
    """Raised inside the fast reader for anything it leaves to the position-keeping reader."""


_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _fast_data(text: str) -> Any:
    """The document's data as `_parse_located` builds it, or _SLOW. One pass over libyaml's events (no
    nodes, no positions, no recursion); each plain scalar is resolved by PyYAML's own implicit resolvers,
    as its composer does, and built as `_Builder._scalar` builds it."""
    parser = _CParser(text)
    try:
        return _from_events(parser.get_event)
    except Exception:  # malformed YAML or anything unusual: the located reader reads it and reports it
        return _SLOW
    finally:
        parser.dispose()


def _from_events(next_event: Callable[[], Any]) -> Any:
    if type(next_event()) is not yaml.StreamStartEvent:
        raise _Slow
    event = next_event()
    if type(event) is yaml.StreamEndEvent:
        return None
    if type(event) is not yaml.DocumentStartEvent:
        raise _Slow
    containers: list[Any] = []  # the open mappings and sequences, innermost last
    keys: list[Any] = []  # for each: the key waiting for its value (_NO_KEY: the next scalar is a key)
    scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    value: Any
    while True:
        event = next_event()
        kind = type(event)
        if kind is scalar:
            if event.anchor is not None or event.tag is not None:
                raise _Slow
            plain = event.implicit[0]
            if containers and keys[-1] is _NO_KEY and type(containers[-1]) is dict:
                key = event.value
                if key in containers[-1] or (plain and key[:1] == "<"):  # a duplicate, or a merge key (<<)
                    raise _Slow
                keys[-1] = key
                continue
            value = _plain_scalar(event.value) if plain else event.value
        elif kind is mapping or kind is sequence:
            if event.anchor is not None or event.tag is not None or len(containers) >= MAX_DEPTH:
                raise _Slow
            if containers and keys[-1] is _NO_KEY and type(containers[-1]) is dict:
                raise _Slow  # a mapping or sequence as a key
            containers.append({} if kind is mapping else [])
            keys.append(_NO_KEY)
            continue
        elif kind in ends:
            value = containers.pop()
            keys.pop()
        else:  # an alias, or an event out of place
            raise _Slow
        if not containers:
            break
        parent = containers[-1]
        if type(parent) is dict:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY
        else:
            parent.append(value)
    if type(next_event()) is not yaml.DocumentEndEvent or type(next_event()) is not yaml.StreamEndEvent:
        raise _Slow  # more than one document
    return value


def _implicit_tag(value: str) -> str | None:
    """The tag PyYAML's resolver gives a plain scalar (Resolver.resolve), None for a string."""
    for tag, regexp in _IMPLICIT.get(value[0] if value else "", ()):
        if regexp.match(value):
            return str(tag)
    for tag, regexp in _IMPLICIT.get(None, ()):
        if regexp.match(value):
            return str(tag)
    return None


def _plain_scalar(value: str) -> Any:
    """A plain scalar's value, as `_Builder._scalar` builds it."""
    tag = _implicit_tag(value)
    if tag is None:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _CONSTRUCTOR.bool_values[value.lower()]
    if tag == _TIMESTAMP:
        return value
    if tag in (_INT, _FLOAT):
        if not _PLAIN_NUMBER.match(value):
            raise _Slow
        node = yaml.ScalarNode(tag, value)
        number = _CONSTRUCTOR.construct_yaml_int(node) if tag == _INT else _CONSTRUCTOR.construct_yaml_float(node)
        if number_error(number):
            raise _Slow
        return number
    raise _Slow
