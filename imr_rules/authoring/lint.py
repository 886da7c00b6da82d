"""`imr-rules lint`: every problem of a rule library at once, each as `path:line:col: CODE message`.

Modelled on yamllint and pySigma's validators: one small function per check, each with a docstring saying
what it catches and why it matters, registered in `CHECKS` with a stable code. Codes starting with E are
errors (exit 1), W warnings (exit 1 only with --strict), I information (shown with --info). The per-file
checks (schema, unknown facts, fact types, duplicate ids, unknown services) are those `load_rules` makes,
taken from `library.read_library` / `check_rule` (each error carries its code, `ImrError.lint_code`) so
lint and loading can never disagree, and each file is parsed once; the others look at the library as a
whole (citations, satisfiability through `imr_rules.engine.witness`, dependencies, vocabulary use) and at the
reading patterns of `rules/extraction/` (E111).

A finding is silenced by a comment on its line: `# imr-lint: disable=W202` (several codes: `W202,E104`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal

from typing_extensions import assert_never

from imr_rules.engine.witness import first_witness
from imr_rules.errors import (
    DuplicateCriterionError,
    FactTypeError,
    ImrError,
    RuleLibraryError,
    SourceLocation,
    UnknownFactError,
    location,
)
from imr_rules.library.loading import (
    EXTRACTION_DIR,
    FACTS_FILE,
    SERVICES_FILE,
    LibraryRead,
    LoadedRule,
    check_rule,
    closest,
    read_library,
)
from imr_rules.models import (
    AllOf,
    AnyOf,
    AtLeast,
    Criterion,
    FactCriterion,
    FactDefinition,
    Not,
)
from imr_rules.models.rules import threshold
from imr_rules.sources import YamlDocument, parse_yaml, read_text

Severity = Literal["error", "warning", "info"]
_DISABLE = re.compile(r"#\s*imr-lint:\s*disable=([A-Z0-9, ]+)")


def severity(code: str) -> Severity:
    """E: error, W: warning, I: information."""
    return "error" if code.startswith("E") else "warning" if code.startswith("W") else "info"


@dataclass(frozen=True)
class Finding:
    """One problem at one place."""

    location: SourceLocation
    code: str
    message: str

    @property
    def severity(self) -> Severity:
        return severity(self.code)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line or 0, loc.column or 0, self.code, self.message)

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"


@dataclass(frozen=True)
class _Reach:
    met: bool
    fails: bool


@dataclass
class LintContext(LibraryRead):
    """What the checks look at: the library as far as it loads, and the problems loading found
    (`LibraryRead`: every file read once).

    `rules` holds every rule file that matches the schema (even one whose facts are wrong), so a
    misspelt fact does not also make its service look ungoverned; `sound` holds the rules whose facts
    are declared and comparisons typed, the only ones the witness search can reason about.
    """

    sound: list[LoadedRule] = field(default_factory=list)
    extraction: list[ImrError] = field(default_factory=list)  # problems of the reading patterns (E111)
    _reach: dict[int, _Reach] = field(default_factory=dict, repr=False)

    def reach(self, node: Criterion) -> _Reach:
        """Whether some fact values make `node` met, and some make it not met (memoised per node)."""
        known = self._reach.get(id(node))
        if known is None:
            known = _Reach(
                met=first_witness(node, "met", self.facts) is not None,
                fails=first_witness(node, "not_met", self.facts) is not None,
            )
            self._reach[id(node)] = known
        return known


CheckFunction = Callable[[LintContext], Iterable[tuple[SourceLocation, str]]]


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    run: CheckFunction

    @property
    def severity(self) -> Severity:
        return severity(self.code)

    @property
    def description(self) -> str:
        return " ".join((self.run.__doc__ or "").split())


CHECKS: list[Check] = []


def check(code: str, name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under a stable code (E error, W warning, I information) and a short name."""

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(code, name, function))
        return function

    return register


# --- loading -------------------------------------------------------------------------------------


def lint_context(root: str | Path) -> LintContext:
    """Load as much of the library as loads, with every problem `read_library` and `check_rule` find.

    Raises RuleLibraryError when `root` is not a folder at all (nothing to lint: exit 2).
    """
    base = Path(root)
    if not base.is_dir():
        raise RuleLibraryError("rule library folder not found", location(base))
    read = read_library(base)  # every file parsed once, for loading's checks and for lint's
    problems, facts, services, rules = read.problems, read.facts, read.services, read.rules
    sound: list[LoadedRule] = []
    for loaded in rules if read.facts_doc is not None else []:  # without a vocabulary no rule can be reasoned about
        # loading skips the file of a duplicate rule id; checking every rule here fills that gap
        own = check_rule(loaded, facts, services)
        problems.extend(own)
        if not any(isinstance(p, (UnknownFactError, FactTypeError)) for p in own):
            sound.append(loaded)
    extraction = extraction_problems(base, facts) if (base / EXTRACTION_DIR).is_dir() else []
    as_read = {f.name: getattr(read, f.name) for f in fields(LibraryRead)}
    return LintContext(**as_read, sound=sound, extraction=extraction)


def extraction_problems(root: Path, facts: dict[str, FactDefinition]) -> list[ImrError]:
    """What loading `rules/extraction/` finds: the first problem of the patterns (`extract.load_patterns`
    compiles every one), of check.yaml, and every fact pattern whose fact is not declared."""
    from imr_rules.checking.consistency import load_check_patterns
    from imr_rules.reading.patterns import load_patterns

    problems: list[ImrError] = []
    try:
        patterns = load_patterns(root)
    except ImrError as exc:
        problems.append(exc)
    else:
        for i, pattern in enumerate(patterns.facts.facts):
            if facts and pattern.fact not in facts:
                doc = _document(root / EXTRACTION_DIR / "facts.yaml")  # parsed again only to locate the problem
                where = doc.location(("facts", i, "fact")) if doc is not None else location(root / EXTRACTION_DIR)
                problems.append(
                    UnknownFactError(
                        f"fact pattern for undeclared fact '{pattern.fact}'{closest(pattern.fact, facts)}", where
                    )
                )
    try:
        load_check_patterns(root)
    except ImrError as exc:
        problems.append(exc)
    return problems


def _document(path: Path) -> YamlDocument | None:
    try:
        return parse_yaml(read_text(path), path)
    except ImrError:
        return None  # reported by whoever needed the file


def _from_library(ctx: LintContext, code: str) -> Iterator[tuple[SourceLocation, str]]:
    """The problems loading found whose error carries this lint code (`ImrError.lint_code`)."""
    for problem in ctx.problems:
        if problem.lint_code == code and not isinstance(problem, DuplicateCriterionError):
            yield problem.location or location(ctx.root), problem.message


# --- the checks ----------------------------------------------------------------------------------


@check("E100", "schema")
def schema(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A file cannot be read, is not valid YAML, or does not match its model (a missing or unknown key, a
    wrong type, a criterion with two forms), or facts.yaml / services.yaml is missing. Such a file is
    left out of every other check, so fix these first."""
    return _from_library(ctx, "E100")


@check("E101", "unknown-fact")
def unknown_fact(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A criterion tests a fact facts.yaml does not declare (with the closest declared name): no case
    could ever document it, so the criterion would always be 'not documented'."""
    return _from_library(ctx, "E101")


@check("E102", "fact-type")
def fact_type(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A comparison does not fit its fact's type (`>` on a boolean, an enum value not declared, `contains`
    on a non-list): durable-rules would coerce silently and decide on nonsense."""
    return _from_library(ctx, "E102")


@check("E103", "duplicate-id")
def duplicate_id(ctx: LintContext) -> Iterator[tuple[SourceLocation, str]]:
    """Two rules share an id, or two criteria of one rule do: results, expectations and coverage are keyed
    by 'rule-id/criterion-id', so one would hide the other. Reported at the second occurrence."""
    # check_rule locates a duplicate criterion at the first node with that id (left out of _from_library);
    # located exactly below
    yield from _from_library(ctx, "E103")
    for loaded in ctx.rules:
        seen: set[str] = set()
        for node in loaded.rule.criteria.walk():
            if node.id in seen:
                yield _node_location(loaded, node), f"duplicate criterion id '{node.id}' in rule '{loaded.rule.id}'"
            seen.add(node.id)


@check("E104", "no-citation")
def no_citation(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A rule names no chapter, section or pages: a reviewer could not find the guideline text it encodes,
    and letters always cite at least one of them."""
    for loaded in ctx.rules:
        rule = loaded.rule
        if not (rule.chapter or rule.section or rule.pages):
            yield (
                loaded.doc.location(("guideline",)),
                f"rule '{rule.id}' has no citation: give its chapter, section or pages",
            )


@check("E105", "never-met")
def never_met(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """No fact values can make a criterion met (a contradiction such as `x == true` and `x == false` under
    all_of): every item the rule governs would be Upheld whatever the records say. Reported at the node
    where the contradiction starts, not at each ancestor it makes unmeetable."""
    for loaded, node, reach in _reachability(ctx):
        if not reach.met and not _implied_never(ctx, node, "met"):
            yield _node_location(loaded, node), f"criterion '{node.id}' of rule '{loaded.rule.id}' can never be met"


@check("E106", "never-fails")
def never_fails(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """No documented fact values can make a criterion not met (a tautology such as `x == true` or
    `x == false` under any_of): the criterion decides nothing and was probably mistyped."""
    for loaded, node, reach in _reachability(ctx):
        if not reach.fails and not _implied_never(ctx, node, "not_met"):
            yield _node_location(loaded, node), f"criterion '{node.id}' of rule '{loaded.rule.id}' can never fail"


@check("E107", "dependency")
def dependency(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A service marked `depends_on_primary` (pre-op labs, a hospital stay) is governed by rules none of
    which requires the fact `primary_status`: the add-on could be certified while its surgery is denied.
    The test must sit on a path every status goes through (the root, or under all_of only)."""
    for name, service in ctx.services.items():
        if not service.depends_on_primary:
            continue
        governing = [lr for lr in ctx.rules if name in lr.rule.governs and lr.rule.effect == "supports"]
        if governing and not any(_requires_fact(lr.rule.criteria, "primary_status") for lr in governing):
            where = _doc_location(ctx.services_doc, ctx.root / SERVICES_FILE, ("services", name, "depends_on_primary"))
            message = f"service '{name}' depends on a primary procedure; no rule governing it requires primary_status"
            yield where, message


@check("E108", "unknown-service")
def unknown_service(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A rule governs a service services.yaml does not declare (with the closest declared id): no item can
    be routed to it, so the rule never runs."""
    return _from_library(ctx, "E108")


@check("E109", "engine-limit")
def engine_limit(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A service's rules exceed a fixed size of durable-rules 2.0.28: more than 248 attributes in the item
    fact (MAX_OBJECT_PROPERTIES; one more crashes the process) or more than 64 distinct fact criteria
    matched on one item (MAX_STACK_SIZE; error 303 on every case). The message gives the count and limit."""
    return _from_library(ctx, "E109")


@check("E110", "engine-key")
def engine_key(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """Two facts (or a list's members) whose engine keys have equal 32-bit FNV-1 hashes, or a value declared
    twice: durable-rules tells properties apart only by that hash, so one fact would silently be read as the
    other and decide items wrongly. Rename one of them."""
    return _from_library(ctx, "E110")


@check("E111", "extraction")
def extraction(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A file of the letter-reading patterns (rules/extraction/) does not load: malformed YAML, a key its
    model does not know, a regular expression that does not compile, an unknown `@{lexicon}` entry or
    `{{fragment}}`, or a fact pattern for a fact facts.yaml does not declare. `extract` and `check` would
    stop on it for every letter."""
    for problem in ctx.extraction:
        yield problem.location or location(ctx.root / EXTRACTION_DIR), problem.message


@check("E112", "region-untold")
def region_untold(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A region-specific rule (`regions:`) governs a service whose items' region it cannot be told: the
    service names one region outside the rule's (the rule never applies to it), or the service's region
    varies by item and nothing could say it (facts.yaml declares neither `body_region` nor
    `treated_regions` as item facts, and the service does not follow a primary procedure whose region
    would do). Items of such a service would never reach the rule, or reach it by another region's words.
    Give the service its `region`, declare the routing facts, or widen the rule's `regions`."""
    told_by_facts = any(
        name in ctx.facts and ctx.facts[name].scope == "item" for name in ("body_region", "treated_regions")
    )
    for loaded in ctx.rules:
        rule = loaded.rule
        if not rule.regions:
            continue
        for service_name in rule.governs:
            service = ctx.services.get(service_name)
            if service is None:
                continue  # E108
            if service.region is not None:
                if service.region not in rule.regions:
                    yield (
                        loaded.doc.location(("regions",)),
                        f"rule '{rule.id}' covers regions {', '.join(rule.regions)} but governs service "
                        f"'{service_name}', whose items are all {service.region}: it can never apply to them",
                    )
            elif not told_by_facts and not service.depends_on_primary:
                yield (
                    loaded.doc.location(("regions",)),
                    f"rule '{rule.id}' covers regions {', '.join(rule.regions)} but governs service "
                    f"'{service_name}', whose region nothing can tell (the service names no region, facts.yaml "
                    "declares no item fact body_region or treated_regions, and it follows no primary procedure)",
                )


@check("W201", "ungoverned-service")
def ungoverned_service(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A declared service no rule governs: items of that kind are always Undetermined."""
    governed = {service for lr in ctx.rules for service in lr.rule.governs}
    for where, name in _unreferenced(ctx.services_doc, ctx.root / SERVICES_FILE, "services", ctx.services, governed):
        yield where, f"no rule governs service '{name}' (its items will be Undetermined)"


@check("W202", "unused-fact")
def unused_fact(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A declared fact no criterion tests and the routing does not read (`evaluation.ROUTING_FACTS`):
    either a rule is missing, or the vocabulary carries dead weight (facts cases only record, such as
    demographics, can be silenced with `# imr-lint: disable=W202`)."""
    from imr_rules.engine.evaluation import ROUTING_FACTS

    used = {node.fact for lr in ctx.rules for node in lr.rule.criteria.walk() if isinstance(node, FactCriterion)}
    used |= ROUTING_FACTS  # read by the routing to choose the rules, not by a criterion
    for where, name in _unreferenced(ctx.facts_doc, ctx.root / FACTS_FILE, "facts", ctx.facts, used):
        yield where, f"fact '{name}' is declared but no rule tests it"


@check("W203", "postsurgical-initial-course")
def postsurgical_initial_course(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A row of the Postsurgical Treatment Guidelines' table whose initial course is not one half of its
    general course (8 CCR 9792.24.3: "initial course of therapy means one half of the number of visits
    specified in the general course of therapy"), rounded either way: a typing slip, or a number the
    guideline gives otherwise, which the row's notes should then say."""
    for table, doc in ctx.tables:
        for i, condition in enumerate(table.conditions):
            for j, row in enumerate(condition.rows):
                if row.initial_visits not in (row.general_visits // 2, -(-row.general_visits // 2)):
                    yield (
                        doc.location(("conditions", i, "rows", j, "initial_visits")),
                        (
                            f"row '{row.key}': initial course {row.initial_visits} visits is not one half of the "
                            f"general course {row.general_visits}"
                        ),
                    )


@check("I301", "missing-phrase")
def missing_phrase(ctx: LintContext) -> Iterable[tuple[SourceLocation, str]]:
    """A fact criterion lacks the phrase the rationale uses when it decides the item (not_met_text and
    not_documented_text; met_text for an excluding rule): the rationale falls back to a generic sentence."""
    for loaded in ctx.rules:
        wanted = ("met_text",) if loaded.rule.effect == "excludes" else ("not_met_text", "not_documented_text")
        for node in loaded.rule.criteria.walk():
            if not isinstance(node, FactCriterion) or node.applicability:
                continue
            missing = [name for name in wanted if getattr(node, name) is None]
            if missing:
                yield _node_location(loaded, node), f"criterion '{node.id}' has no {' or '.join(missing)}"


# --- helpers -------------------------------------------------------------------------------------


def _reachability(ctx: LintContext) -> Iterator[tuple[LoadedRule, Criterion, _Reach]]:
    """Every node of every sound rule, with whether it can be met and can fail."""
    for loaded in ctx.sound:
        for node in loaded.rule.criteria.walk():
            yield loaded, node, ctx.reach(node)


def _implied_never(ctx: LintContext, node: Criterion, target: str) -> bool:
    """Whether a node's impossibility follows from its children's (so it is reported there instead)."""
    match node:
        case FactCriterion():
            return False
        case Not():
            child = ctx.reach(node.not_)
            return not (child.fails if target == "met" else child.met)
        case AllOf() | AnyOf() | AtLeast():
            children = [ctx.reach(child) for child in node.children]
            need = threshold(node) if target == "met" else len(children) - threshold(node) + 1
            able = sum(1 for c in children if (c.met if target == "met" else c.fails))
            return able < need
        case _:
            assert_never(node)


def _node_location(loaded: LoadedRule, node: Criterion) -> SourceLocation:
    path = _paths_by_identity(loaded).get(id(node), ("criteria",))
    return loaded.doc.location((*path, "id"))


def _paths_by_identity(loaded: LoadedRule) -> dict[int, tuple[str | int, ...]]:
    """Node (by identity) -> its path in the document; unlike node_paths, exact when ids repeat."""
    return {id(node): at for node, at in loaded.nodes()}


def _requires_fact(node: Criterion, fact: str) -> bool:
    """Whether every way to a status passes a criterion on `fact` (the node itself, or an all_of child)."""
    if isinstance(node, FactCriterion):
        return node.fact == fact
    if isinstance(node, AllOf):
        return any(_requires_fact(child, fact) for child in node.children)
    return False


def _doc_location(doc: YamlDocument | None, path: Path, at: tuple[str | int, ...]) -> SourceLocation:
    return doc.location(at) if doc is not None else location(path)


def _unreferenced(
    doc: YamlDocument | None, path: Path, section: str, declared: Iterable[str], referenced: set[str]
) -> Iterator[tuple[SourceLocation, str]]:
    """Each name declared in `section` of a vocabulary file (facts.yaml, services.yaml) that no rule refers
    to, in declaration order, located at its entry."""
    for name in declared:
        if name not in referenced:
            yield _doc_location(doc, path, (section, name)), name


# --- running -------------------------------------------------------------------------------------


def library_scope(path: str | Path) -> tuple[Path, Path | None]:
    """The library folder to lint for `path`, and the part of it to report (None: all of it).

    A library folder is itself; a rule file or a sub-folder of a library (`rules/low-back`) is linted with
    its library (the nearest folder above holding facts.yaml), reporting only what lies in it. A folder
    in no library is linted as it is (its missing facts.yaml is reported); a file in none is an error.
    """
    given = Path(path)
    if given.is_dir() and (given / FACTS_FILE).exists():
        return given, None
    start = given if given.is_dir() else given.parent
    for folder in [start, *start.resolve().parents]:
        if (folder / FACTS_FILE).is_file():
            return folder, given
    if given.is_file():
        raise RuleLibraryError(f"not in a rule library (no {FACTS_FILE} in its folder or above)", location(given))
    return given, None


def _within(path: str, part: Path) -> bool:
    here, scope = Path(path).resolve(), part.resolve()
    return here == scope or scope in here.parents


def lint(root: str | Path, checks: list[Check] | None = None) -> list[Finding]:
    """Every finding for the library at `root` (or for one rule file or sub-folder of a library, see
    `library_scope`), sorted by file and position, silenced ones left out."""
    base, part = library_scope(root)
    ctx = lint_context(base)
    seen: set[tuple[str, str, str]] = set()
    findings: list[Finding] = []
    for registered in checks if checks is not None else CHECKS:
        for where, message in registered.run(ctx):
            finding = Finding(where, registered.code, message)
            key = (str(where), finding.code, message)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    if part is not None:
        findings = [f for f in findings if _within(f.location.path, part)]
    texts: dict[str, list[str]] = {}
    return sorted((f for f in findings if not _silenced(f, texts)), key=Finding.sort_key)


def _silenced(finding: Finding, texts: dict[str, list[str]]) -> bool:
    """Whether the finding's line carries `# imr-lint: disable=CODE`."""
    loc = finding.location
    if loc.line is None:
        return False
    lines = texts.get(loc.path)
    if lines is None:
        try:
            lines = read_text(loc.path).splitlines()
        except ImrError:
            lines = []
        texts[loc.path] = lines
    if loc.line > len(lines):
        return False
    match = _DISABLE.search(lines[loc.line - 1])
    return match is not None and finding.code in {c.strip() for c in match.group(1).split(",")}


def summary(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    infos = sum(1 for f in findings if f.severity == "info")
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return text + (f", {infos} info" if infos else "")


def exit_code(findings: list[Finding], strict: bool = False) -> int:
    """1 when an error was found (or, with strict, a warning); else 0."""
    failing = ("error", "warning") if strict else ("error",)
    return 1 if any(f.severity in failing for f in findings) else 0
