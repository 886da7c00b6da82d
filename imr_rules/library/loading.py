"""Load the rule library: `facts.yaml`, `services.yaml` and one rule per `*.yaml` file below `rules/`
(`catalog.yaml`, the topic catalog, is read by `imr_rules.library.catalog`).

Loading validates each file against its pydantic model and then checks the library as a whole: rule
and criterion ids unique, every fact a criterion names declared (else the closest declared name is
suggested), every comparison typed as its fact, every governed service declared. The first problem
raises; `check_library` returns them all (for `imr-rules lint`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typing_extensions import assert_never

from imr_rules.engine.compiler import MAX_FACT_CRITERIA, MAX_KEYS, RESERVED_KEYS, engine_keys, fnv1_32, service_load
from imr_rules.errors import (
    DuplicateCriterionError,
    DuplicateIdError,
    EngineKeyError,
    EngineLimitError,
    FactTypeError,
    ImrError,
    RuleLibraryError,
    UnknownFactError,
    UnknownServiceError,
    location,
)
from imr_rules.library.language import OPERATORS, comparison_problem
from imr_rules.library.postsurgical import TABLE_FILE, TableRuleDocument, rule_data
from imr_rules.models import (
    AllOf,
    AnyOf,
    AtLeast,
    Criterion,
    FactCriterion,
    FactDefinition,
    FactVocabulary,
    Not,
    Rule,
    ServiceDefinition,
    ServiceVocabulary,
)
from imr_rules.models.postsurgical import PostsurgicalTable
from imr_rules.models.rules import MAX_CHILDREN
from imr_rules.sources import YamlDocument, parse_yaml, read_text, schema_errors, walk_files

FACTS_FILE = "facts.yaml"
SERVICES_FILE = "services.yaml"
CATALOG_FILE = "catalog.yaml"  # the topic catalog (imr_rules.library.catalog), not a rule
EXTRACTION_DIR = "extraction"  # letter-reading patterns (imr_rules.reading.extract), not rules


def bundled_root() -> Path:
    """The folder that holds the bundled `rules/`, `cases/` and `tests/cases/`.

    An installed wheel carries them as package data in `imr_rules/bundled/` (setup.py copies them there);
    a source checkout or an editable install has no such folder and reads the checkout itself, so rule
    authors see their edits at once. Raises nothing: a missing library is reported by `load_rules`.

    The folder is found next to the package's `__init__.py`, the path `importlib.resources.files` gives for
    a package in a folder, without importing `importlib.resources` (zipfile, shutil, tempfile...: ~5 ms of
    every command's start-up). A package not in a folder (a zip) has no such folder either way.
    """
    import imr_rules

    packaged = Path(imr_rules.__file__ or "").parent / "bundled"
    if imr_rules.__file__ and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]  # imr_rules/library/loading.py -> the checkout


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule with the document it came from (for error locations)."""

    rule: Rule
    doc: YamlDocument

    @property
    def path(self) -> str:
        return self.doc.path

    def node_paths(self) -> dict[str, tuple[str | int, ...]]:
        """Criterion id -> its path inside the document, the first node with that id (for locating errors)."""
        out: dict[str, tuple[str | int, ...]] = {}
        for node, at in self.nodes():
            out.setdefault(node.id, at)
        return out

    def nodes(self) -> list[tuple[Criterion, tuple[str | int, ...]]]:
        """Every criterion node, depth first in document order, with its path inside the document."""
        out: list[tuple[Criterion, tuple[str | int, ...]]] = []

        def visit(node: Criterion, at: tuple[str | int, ...]) -> None:
            out.append((node, at))
            match node:
                case FactCriterion():
                    pass
                case AllOf():
                    for i, child in enumerate(node.all_of):
                        visit(child, (*at, "all_of", i))
                case AnyOf():
                    for i, child in enumerate(node.any_of):
                        visit(child, (*at, "any_of", i))
                case AtLeast():
                    for i, child in enumerate(node.of):
                        visit(child, (*at, "of", i))
                case Not():
                    visit(node.not_, (*at, "not"))
                case _:
                    assert_never(node)

        visit(self.rule.criteria, ("criteria",))
        return out


@dataclass
class RuleLibrary:
    """The whole library, validated. `digest` identifies the exact rule text evaluated."""

    root: Path
    facts: dict[str, FactDefinition]
    services: dict[str, ServiceDefinition]
    rules: list[LoadedRule]
    digest: str
    facts_doc: YamlDocument | None = None
    services_doc: YamlDocument | None = None
    tables: list[PostsurgicalTable] = field(default_factory=list)  # the tables rules were generated from
    _by_service: dict[str, list[LoadedRule]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for loaded in self.rules:
            for service in loaded.rule.governs:
                self._by_service.setdefault(service, []).append(loaded)
        self._every = [lr for lr in self.rules if lr.rule.governs_every_service]

    def rule(self, rule_id: str) -> Rule:
        for loaded in self.rules:
            if loaded.rule.id == rule_id:
                return loaded.rule
        raise KeyError(rule_id)

    def governing(self, service: str, day: dt.date | None) -> list[Rule]:
        """Rules governing a service in force on `day` (every edition when the day is unknown).

        Cross-cutting rules (governs_every_service) join only when a supporting rule of the service's own
        governs it: an exclusion alone can never decide an item (it would certify whatever it does not
        exclude), whether it is cross-cutting or the service's own.
        """
        own = [lr.rule for lr in self._by_service.get(service, [])]
        if day is not None:
            own = [r for r in own if r.effective.in_force(day)]
        if all(r.effect == "excludes" for r in own):  # none, or exclusions only: nothing supports a decision
            return []
        every = [lr.rule for lr in self._every]
        if day is not None:
            every = [r for r in every if r.effective.in_force(day)]
        return own + every

    def rules_for_service(self, service: str) -> list[Rule]:
        return [lr.rule for lr in self._by_service.get(service, [])]


def load_rules(root: str | Path) -> RuleLibrary:
    """Load and check a rule library; raises the first problem as an ImrError."""
    library, problems = _load(Path(root))
    if problems:
        raise problems[0]
    assert library is not None
    return library


def check_library(root: str | Path) -> tuple[RuleLibrary | None, list[ImrError]]:
    """Load a rule library and return every problem found, not only the first."""
    return _load(Path(root))


@dataclass
class LibraryRead:
    """What reading a library folder found, as far as it loads (each file parsed once).

    `rules` holds every rule file that matches the schema, a duplicate id included; `library` is the
    checked library, None when any problem was found.
    """

    root: Path
    facts: dict[str, FactDefinition]
    services: dict[str, ServiceDefinition]
    facts_doc: YamlDocument | None
    services_doc: YamlDocument | None
    rules: list[LoadedRule]
    problems: list[ImrError]
    library: RuleLibrary | None
    tables: list[tuple[PostsurgicalTable, YamlDocument]] = field(default_factory=list)


def _rule_files(root: Path) -> list[Path]:
    """Every `*.yaml` below the library folder except the vocabularies and `extraction/`, sorted.

    A file reached twice through symlinks is listed once (see `sources.walk_files`).
    """
    files: list[Path] = []
    seen: set[str] = set()
    # an unreadable sub-folder holds no rule this library can load: skipped
    for path in walk_files(root, enter=lambda folder, name: not (folder == root and name == EXTRACTION_DIR)):
        if not path.name.endswith(".yaml") or path.name in (FACTS_FILE, SERVICES_FILE, CATALOG_FILE):
            continue
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            files.append(path)
    return sorted(files)


def _load(root: Path) -> tuple[RuleLibrary | None, list[ImrError]]:
    read = read_library(root)
    return read.library, read.problems


def read_library(root: Path) -> LibraryRead:
    """Read and check every file of the library at `root` once (see `LibraryRead`)."""
    if not root.is_dir():
        return LibraryRead(
            root, {}, {}, None, None, [], [RuleLibraryError("rule library folder not found", location(root))], None
        )
    problems: list[ImrError] = []
    digest = hashlib.sha256()

    def read(path: Path) -> YamlDocument | None:
        try:
            text = read_text(path)
            digest.update(str(path.relative_to(root)).encode() + b"\0" + text.encode() + b"\0")
            return parse_yaml(text, path)
        except ImrError as exc:
            problems.append(exc)
            return None

    facts: dict[str, FactDefinition] = {}
    services: dict[str, ServiceDefinition] = {}
    facts_doc = read(root / FACTS_FILE) if (root / FACTS_FILE).exists() else None
    if facts_doc is None and not (root / FACTS_FILE).exists():
        problems.append(RuleLibraryError(f"no {FACTS_FILE} (the fact vocabulary)", location(root / FACTS_FILE)))
    if facts_doc is not None:
        vocab, errs = schema_errors(facts_doc, FactVocabulary, "fact vocabulary")
        problems.extend(errs)
        if vocab is not None:
            facts = dict(vocab.facts)
    services_doc = read(root / SERVICES_FILE) if (root / SERVICES_FILE).exists() else None
    if services_doc is None and not (root / SERVICES_FILE).exists():
        problems.append(
            RuleLibraryError(f"no {SERVICES_FILE} (the service vocabulary)", location(root / SERVICES_FILE))
        )
    if services_doc is not None:
        svc, errs = schema_errors(services_doc, ServiceVocabulary, "service vocabulary")
        problems.extend(errs)
        if svc is not None:
            services = dict(svc.services)

    rules: list[LoadedRule] = []
    every_rule: list[LoadedRule] = []
    ids: dict[str, LoadedRule] = {}

    def add(loaded: LoadedRule) -> None:
        rule, doc = loaded.rule, loaded.doc
        every_rule.append(loaded)
        if rule.id in ids:
            problems.append(
                DuplicateIdError(
                    f"duplicate rule id '{rule.id}' (first defined in {ids[rule.id].path})",
                    doc.location(("id",)),
                )
            )
            return
        ids[rule.id] = loaded
        if facts or facts_doc is not None:
            problems.extend(check_rule(loaded, facts, services))
        rules.append(loaded)

    tables: list[tuple[PostsurgicalTable, YamlDocument]] = []
    for path in _rule_files(root):
        doc = read(path)
        if doc is None:
            continue
        generated: list[LoadedRule]
        if path.name == TABLE_FILE:
            generated, table = table_rules(doc, problems)
            if table is not None:
                tables.append((table, doc))
        else:
            rule, errs = schema_errors(doc, Rule, "rule")
            problems.extend(errs)
            generated = [] if rule is None else [LoadedRule(rule, doc)]
        for loaded in generated:
            add(loaded)

    by_service: dict[str, list[LoadedRule]] = {}
    for loaded in rules:
        for service in loaded.rule.governs:
            by_service.setdefault(service, []).append(loaded)
    every = [lr for lr in rules if lr.rule.governs_every_service]
    for service, governing in by_service.items():
        if len(governing) + len(every) > MAX_CHILDREN - 1:  # the decision joins the item and every root
            problems.append(
                RuleLibraryError(
                    f"service '{service}' is governed by {len(governing) + len(every)} rules; the engine "
                    f"decides an item from at most {MAX_CHILDREN - 1}",
                    governing[-1].doc.location(("governs",)),
                )
            )
    if facts_doc is not None:
        problems.extend(engine_key_problems(facts, facts_doc))
    problems.extend(engine_limit_problems(by_service, every))
    library = (
        None
        if problems
        else RuleLibrary(
            root, facts, services, rules, digest.hexdigest(), facts_doc, services_doc, [t for t, _ in tables]
        )
    )
    return LibraryRead(root, facts, services, facts_doc, services_doc, every_rule, problems, library, tables)


def table_rules(doc: YamlDocument, problems: list[ImrError]) -> tuple[list[LoadedRule], PostsurgicalTable | None]:
    """The rules the Postsurgical Treatment Guidelines' table (`postsurgical-table.yaml`) expands into, one
    per condition (`library.postsurgical`), and the table; its problems (a bad row, a duplicate row) are
    appended to `problems`, located at the row, and a table with any problem gives no rule."""
    table, errs = schema_errors(doc, PostsurgicalTable, "postsurgical table")
    problems.extend(errs)
    if table is None:
        return [], None
    duplicates = table.duplicates()
    for at, message in duplicates:
        problems.append(RuleLibraryError(message, doc.location(at)))
    if duplicates:
        return [], table
    out: list[LoadedRule] = []
    for i, condition in enumerate(table.conditions):
        data = rule_data(table, condition)
        view = TableRuleDocument(doc, i, data, condition.rows)
        rule, errs = schema_errors(view, Rule, "rule generated from the postsurgical table")
        problems.extend(errs)
        if rule is not None:
            out.append(LoadedRule(rule, view))
    return out, table


def engine_key_problems(facts: dict[str, FactDefinition], doc: YamlDocument) -> list[ImrError]:
    """Vocabularies durable-rules would confuse: a list or enum value declared twice, or two engine keys
    (compiler.engine_keys: a fact, a list's length, a list member) whose 32-bit FNV-1 hashes are equal,
    since durable-rules tells property names apart only by that hash (one fact would read the other's
    value). Every key the vocabulary can produce is checked, with the engine's own keys (t, i, sid...)."""
    problems: list[ImrError] = []
    owner: dict[int, tuple[str, str]] = {fnv1_32(k): (k, f"the engine's own key '{k}'") for k in RESERVED_KEYS}
    for name, definition in facts.items():
        values = definition.values or []
        for i, value in enumerate(values):
            if value in values[:i]:
                problems.append(
                    RuleLibraryError(
                        f"fact '{name}': value '{value}' is listed twice", doc.location(("facts", name, "values", i))
                    )
                )
        for key in dict.fromkeys(engine_keys(name, definition)):
            hashed = fnv1_32(key)
            if hashed in owner and owner[hashed][0] != key:
                problems.append(
                    EngineKeyError(
                        f"fact '{name}' (engine key '{key}') and {owner[hashed][1]} have the same 32-bit FNV-1 "
                        f"hash {hashed:#010x}: durable-rules would confuse them; rename one",
                        doc.location(("facts", name)),
                    )
                )
                continue
            owner.setdefault(hashed, (key, f"fact '{name}' (engine key '{key}')"))
    return problems


def engine_limit_problems(by_service: dict[str, list[LoadedRule]], every: list[LoadedRule]) -> list[ImrError]:
    """Services whose rules exceed durable-rules' fixed sizes (compiler.MAX_KEYS, MAX_FACT_CRITERIA), counted
    over every edition (an item meets at most those in force, never more). Located at the last rule."""
    problems: list[ImrError] = []
    for service, governing in sorted(by_service.items()):
        keys, leaves = service_load([lr.rule for lr in governing + every])
        doc = governing[-1].doc  # located only on a problem: a rule file's positions are read on first use
        if len(keys) > MAX_KEYS:
            problems.append(
                EngineLimitError(
                    f"the rules governing service '{service}' read {len(keys)} fact attributes (a list fact counts "
                    f"its length and each member tested); durable-rules holds at most {MAX_KEYS} in one item fact "
                    "(MAX_OBJECT_PROPERTIES 255: at most 254 attributes, 6 of them its own)",
                    doc.location(("governs",)),
                )
            )
        if len(leaves) > MAX_FACT_CRITERIA:
            problems.append(
                EngineLimitError(
                    f"the rules governing service '{service}' hold {len(leaves)} distinct fact conditions (a list "
                    f"tested with 'contains' counts one more); durable-rules matches at most {MAX_FACT_CRITERIA} "
                    "on one item fact (MAX_STACK_SIZE 64): split the service",
                    doc.location(("governs",)),
                )
            )
    return problems


def closest(name: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean X?)' hint, or nothing."""
    import difflib  # here: only an error message needs it

    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def check_rule(
    loaded: LoadedRule, facts: dict[str, FactDefinition], services: dict[str, ServiceDefinition]
) -> list[ImrError]:
    """Checks a rule file cannot make alone: facts declared and typed, ids unique, services known."""
    rule, doc = loaded.rule, loaded.doc
    problems: list[ImrError] = []
    for i, service in enumerate(rule.governs):
        if service not in services:
            problems.append(
                UnknownServiceError(
                    f"governs unknown service '{service}'{closest(service, services)}",
                    doc.location(("governs", i)),
                )
            )
    procedure = facts.get("primary_procedure")
    for i, value in enumerate(rule.procedures or []):
        if procedure is None or value not in (procedure.values or []):
            known = procedure.values or [] if procedure is not None else []
            problems.append(
                RuleLibraryError(
                    f"procedures lists '{value}', not a value of the fact 'primary_procedure'{closest(value, known)}",
                    doc.location(("procedures", i)),
                )
            )
    for i, service in enumerate(rule.governs if rule.regions is not None else []):
        region = services[service].region if service in services else None
        if region is not None and region not in (rule.regions or []):
            problems.append(
                RuleLibraryError(
                    f"governs '{service}' (region {region}) but lists regions {', '.join(rule.regions or [])}: "
                    "it could never apply",
                    doc.location(("governs", i)),
                )
            )
    paths = loaded.node_paths()
    seen: set[str] = set()
    for node in rule.criteria.walk():
        at = paths.get(node.id, ("criteria",))
        if node.id in seen:
            problems.append(
                DuplicateCriterionError(
                    f"duplicate criterion id '{node.id}' in rule '{rule.id}'", doc.location((*at, "id"))
                )
            )
        seen.add(node.id)
        if not isinstance(node, FactCriterion):
            continue
        definition = facts.get(node.fact)
        if definition is None:
            problems.append(
                UnknownFactError(f"unknown fact '{node.fact}'{closest(node.fact, facts)}", doc.location((*at, "fact")))
            )
            continue
        message = comparison_error(definition, node.op, node.value)
        if message:
            problems.append(FactTypeError(f"criterion '{node.id}': {message}", doc.location((*at, "value"))))
    return problems


def comparison_error(definition: FactDefinition, op: str, value: Any) -> str | None:
    """Why `fact op value` is ill-typed for this fact, or None when it is fine."""
    problem = comparison_problem(definition.type, op)
    if problem is not None:
        return problem
    shape = OPERATORS[op].value
    if shape == "member":
        return value_error(definition, value, member=True)
    if shape == "list":
        if not isinstance(value, list) or not value:
            return f"'{op}' needs a non-empty list of values"
        for i, v in enumerate(value):
            if v in value[:i]:
                return f"{_short(v)} is listed twice in the '{op}' list (durable-rules would test it twice)"
        for v in value:
            err = value_error(definition, v)
            if err:
                return err
        return None
    return value_error(definition, value)


def _short(value: Any, limit: int = 60) -> str:
    """A value for an error message, cut so that one bad value cannot make a huge line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def value_error(definition: FactDefinition, value: Any, member: bool = False) -> str | None:
    """Why `value` is not a valid value of this fact (or of one of its list members)."""
    kind = "enum" if member else definition.type
    if kind == "boolean":
        return None if isinstance(value, bool) else f"expected true or false, got {_short(value)}"
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"expected a whole number, got {_short(value)}"
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else f"expected a number, got {_short(value)}"
    if kind == "date":
        if isinstance(value, dt.date):
            return None
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return f"expected a date (YYYY-MM-DD), got {_short(value)}"
        return None
    if kind == "enum":
        allowed = definition.values or []
        if value in allowed:
            return None
        return f"{_short(value)} is not one of {', '.join(allowed)}{closest(str(value)[:80], allowed)}"
    if kind == "list":
        if not isinstance(value, list):
            return f"expected a list, got {_short(value)}"
        for v in value:
            err = value_error(definition, v, member=True)
            if err:
                return err
        return None
    if kind == "text":
        return None if isinstance(value, str) else f"expected text, got {_short(value)}"
    return f"unknown fact type {kind}"
