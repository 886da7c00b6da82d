"""`imr-rules test`: run the case files that carry expectations through the real engine, and measure
which criteria they exercise.

A case file's `expect:` list says, per item, the outcome the rules should reach and optionally the status
of some criteria (by "rule-id/criterion-id"). Each expectation is one test. A case file that cannot be
loaded counts as one failed test (it is shown with its location) rather than stopping the run, so one
broken file never hides the others' results. Coverage counts, for every criterion node of the library,
the statuses the engine gave it across all items of the cases run: a criterion is covered once it has
been seen both met and not met, since only then do the tests show that it can decide both ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from imr_rules.engine.evaluation import evaluate
from imr_rules.errors import ImrError, InputFileError, SourceLocation, location
from imr_rules.library.loading import RuleLibrary, bundled_root, closest
from imr_rules.models import Criterion, Determination, Evaluation, Expectation
from imr_rules.reading.casefile import check_case_file
from imr_rules.sources import CASE_SUFFIXES

STATUS_TEXT = {"met": "met", "not_met": "not met", "not_documented": "not documented", None: "not evaluated"}


@dataclass(frozen=True)
class CriterionDiff:
    """A criterion whose status is not the one expected (actual None: the item has no such criterion)."""

    id: str
    expected: str
    actual: str | None


@dataclass(frozen=True)
class ExpectationResult:
    """One test: one expectation of one case file, against the engine's determination."""

    path: str
    location: SourceLocation
    case: str
    item: str
    expected: str
    actual: str
    differing: tuple[CriterionDiff, ...] = ()
    deciding: tuple[tuple[str, str], ...] = ()  # the actual deciding fact criteria (id, status)
    hints: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.expected == self.actual and not self.differing


@dataclass
class TestRun:
    """Everything one `imr-rules test` run found."""

    results: list[ExpectationResult] = field(default_factory=list)
    errors: list[ImrError] = field(default_factory=list)  # case files that could not be run
    without_expectations: list[str] = field(default_factory=list)
    seen: dict[str, set[str]] = field(default_factory=dict)  # "rule/criterion" -> statuses seen
    outcomes: dict[str, set[str]] = field(default_factory=dict)  # rule id -> outcomes of the items it governed

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        """Expectations the engine did not meet (a case file that could not be run is an error, not a failure)."""
        return sum(1 for r in self.results if not r.passed)

    def summary(self) -> str:
        """ "N passed, N failed", with ", N error(s)" when some case files could not be run (as pytest counts them)."""
        errors = f", {len(self.errors)} error{'s' if len(self.errors) != 1 else ''}" if self.errors else ""
        return f"{self.passed} passed, {self.failed} failed{errors}"


def default_paths() -> list[Path]:
    """The bundled `cases/` and `tests/cases/` folders that exist."""
    root = bundled_root()
    return [p for p in (root / "cases", root / "tests" / "cases") if p.is_dir()]


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Case files under the given files and folders (`*.yaml`, `*.yml`, `*.json`: `sources.CASE_SUFFIXES`,
    recursively), each once, in order."""
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = sorted(p for suffix in CASE_SUFFIXES for p in path.rglob(f"*{suffix}"))
        elif path.exists():
            candidates = [path]
        else:
            raise InputFileError("no such file or folder", location(path))
        for candidate in candidates:
            real = candidate.resolve()
            if real not in seen:
                seen.add(real)
                found.append(candidate)
    return found


def run_tests(paths: Iterable[str | Path], library: RuleLibrary) -> TestRun:
    """Evaluate every case file with expectations and compare; raises only if a path does not exist."""
    run = TestRun()
    for path in discover(paths):
        try:
            loaded, problems = check_case_file(path, library)
        except ImrError as exc:
            run.errors.append(exc)
            continue
        if problems or loaded is None:
            run.errors.extend(problems)
            continue
        if not loaded.case.expect:
            run.without_expectations.append(str(path))
            continue
        try:
            evaluation = evaluate(loaded, library)
        except ImrError as exc:
            run.errors.append(exc)
            continue
        _record_statuses(run, evaluation)
        by_item = {d.item: d for d in evaluation.determinations}
        for j, expectation in enumerate(loaded.case.expect):
            where = loaded.doc.location(("expect", j)) if loaded.doc is not None else location(path)
            run.results.append(_compare(str(path), where, loaded.case.case, expectation, by_item[expectation.item]))
    return run


def _record_statuses(run: TestRun, evaluation: Evaluation) -> None:
    for det in evaluation.determinations:
        for criterion in det.criteria:
            run.seen.setdefault(criterion.id, set()).add(criterion.status)
        for applied in det.rules:
            run.outcomes.setdefault(applied.id, set()).add(det.outcome)


def _compare(path: str, where: SourceLocation, case: str, exp: Expectation, det: Determination) -> ExpectationResult:
    actual = {c.id: c.status for c in det.criteria}
    differing = tuple(
        CriterionDiff(cid, want, actual.get(cid)) for cid, want in exp.criteria.items() if actual.get(cid) != want
    )
    hints = tuple(
        f"'{d.id}' is not a criterion of this item{closest(d.id, actual)}" for d in differing if d.actual is None
    )
    deciding = tuple((c.id, c.status) for c in det.criteria if c.decisive and c.kind == "fact")
    return ExpectationResult(path, where, case, exp.item, exp.outcome, det.outcome, differing, deciding, hints)


def render_failure(result: ExpectationResult) -> str:
    """Expected against actual, the criteria that differ, and what actually decided the item."""
    lines = [f"FAILED {result.location}: case {result.case}, item '{result.item}'"]
    mark = "" if result.expected == result.actual else "   <-- differs"
    lines.append(f"  outcome:  expected {result.expected}, got {result.actual}{mark}")
    if result.differing:
        lines.append("  criteria that differ:")
        width = max(len(d.id) for d in result.differing)
        for diff in result.differing:
            lines.append(
                f"    {diff.id:<{width}}  expected {STATUS_TEXT[diff.expected]}, got {STATUS_TEXT[diff.actual]}"
            )
        lines.extend(f"    note: {hint}" for hint in result.hints)
    if result.deciding:
        lines.append("  decided by:")
        lines.extend(f"    {cid}: {STATUS_TEXT[status]}" for cid, status in result.deciding)
    return "\n".join(lines)


def render_error(error: ImrError) -> str:
    return f"ERROR {error}"


# --- coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeCoverage:
    """The statuses one criterion node was seen with across the cases run."""

    rule: str
    node: str
    depth: int
    seen: frozenset[str]

    @property
    def id(self) -> str:
        return f"{self.rule}/{self.node}"

    @property
    def covered(self) -> bool:
        return "met" in self.seen and "not_met" in self.seen


def coverage(run: TestRun, library: RuleLibrary) -> list[NodeCoverage]:
    """Every criterion node of every rule, in document order, with the statuses the tests gave it."""
    rows: list[NodeCoverage] = []
    for loaded in library.rules:
        rule_id = loaded.rule.id
        for node, depth in _with_depth(loaded.rule.criteria, 0):
            seen = frozenset(run.seen.get(f"{rule_id}/{node.id}", ()))
            rows.append(NodeCoverage(rule_id, node.id, depth, seen))
    return rows


@dataclass(frozen=True)
class RuleOutcomes:
    """The outcomes of the items a rule governed across the cases run (a rule none reached Overturned
    cannot be shown to certify: a criterion no fact satisfies, or tests that never meet every rule of its
    services together)."""

    rule: str
    seen: frozenset[str]

    @property
    def covered(self) -> bool:
        return "Overturned" in self.seen and "Upheld" in self.seen


def rule_outcomes(run: TestRun, library: RuleLibrary) -> list[RuleOutcomes]:
    """Every rule of the library, in load order, with the outcomes of the items it governed in the tests."""
    return [RuleOutcomes(lr.rule.id, frozenset(run.outcomes.get(lr.rule.id, ()))) for lr in library.rules]


def _with_depth(node: Criterion, depth: int) -> Iterator[tuple[Criterion, int]]:
    yield node, depth
    for child in node.children:
        yield from _with_depth(child, depth + 1)


def coverage_percent(rows: list[NodeCoverage]) -> float:
    return 100.0 * sum(1 for r in rows if r.covered) / len(rows) if rows else 100.0


def render_coverage(rows: list[NodeCoverage], outcomes: list[RuleOutcomes] | None = None) -> str:
    """A table (criterion, then whether it was seen met / not met / not documented), the rules whose items
    were never seen Overturned or Upheld (when `outcomes` is given), and the percentage (last line)."""
    width = max([len("  " * (r.depth + 1) + r.node) for r in rows] + [len("criterion")]) + 2
    lines = ["Criteria coverage (seen met / not met / not documented by the test cases):", ""]
    lines.append(f"{'criterion':<{width}}{'met':<5}{'not met':<9}not doc")
    rule = None
    for row in rows:
        if row.rule != rule:
            rule = row.rule
            lines.append(row.rule)
        name = "  " * (row.depth + 1) + row.node
        cells = [("yes" if s in row.seen else "-") for s in ("met", "not_met", "not_documented")]
        missing = [STATUS_TEXT[s] for s in ("met", "not_met") if s not in row.seen]
        note = f"  <-- never seen {' or '.join(missing)}" if missing else ""
        lines.append(f"{name:<{width}}{cells[0]:<5}{cells[1]:<9}{cells[2]:<9}".rstrip() + note)
    covered = sum(1 for r in rows if r.covered)
    lines.append("")
    if outcomes is not None:
        for out in outcomes:
            if not out.covered:
                unseen = " or ".join(o for o in ("Overturned", "Upheld") if o not in out.seen)
                lines.append(f"{out.rule}  <-- never seen deciding an item {unseen}")
        both = sum(1 for o in outcomes if o.covered)
        lines.append(f"Rules: {both} of {len(outcomes)} seen deciding items both Overturned and Upheld")
    lines.append(
        f"Coverage: {covered} of {len(rows)} criteria seen both met and not met ({coverage_percent(rows):.1f}%)"
    )
    return "\n".join(lines)
