"""Check a letter's decisions for consistency with its own facts and the criteria it cites.

Each check is one small function returning findings with a stable code, a severity and a message that
names the item and the evidence (in the manner of pySigma's validators). Every finding comes from the
rules, the extracted facts and the patterns in `rules/extraction/check.yaml`, never from a list of
known letters. Severity: `error` only where the letter's own documented facts, rules or words decide
the other outcome (a criterion documented as not met under a certified item; every criterion documented
as met under a denied one); `warning` for what a quality reviewer should look at (decisive criteria a
certified item's letter leaves undocumented, a citation that does not govern, letter checks skipped);
`info` for items no rule decides. A letter is consistent unless it has an error: an IMR reviewer decides
on the whole record, so a criterion the letter does not mention is a fact about the letter, not proof
that the decision contradicts the guideline. Dependent items are judged against their primary as the
same letter decided it; the engine's own view of the primary is reported beside it.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from imr_rules.cache import load_check_patterns as cached_check_patterns
from imr_rules.cache import load_patterns as cached_patterns
from imr_rules.engine.evaluation import evaluate
from imr_rules.errors import STDIN_NAME, ImrError, location
from imr_rules.library.language import at_least
from imr_rules.library.loading import EXTRACTION_DIR, RuleLibrary
from imr_rules.models import (
    CaseItem,
    CheckSummary,
    CriterionResult,
    Determination,
    Evidence,
    FactValue,
    Finding,
    ItemCheck,
    ItemDecision,
    Letter,
    LetterCheck,
    Status,
)
from imr_rules.models.extraction import CheckPatterns
from imr_rules.models.results import SEVERITIES, Severity, verdict_of, worst
from imr_rules.reading.casefile import LoadedCase, case_from_data, load_case
from imr_rules.reading.extract import extract_normalised
from imr_rules.reading.facts import read_fact
from imr_rules.reading.letter import parse_normalised
from imr_rules.reading.patterns import Patterns
from imr_rules.reading.sentences import Sentence, sentences
from imr_rules.reading.text import Normalised, normalise
from imr_rules.sources import CASE_SUFFIXES, load_yaml, read_letter_source, to_model

PRIMARY_STATUS = "primary_status"


@dataclass
class Checker:
    """Everything a check needs, loaded once: the rule library and the reading patterns."""

    library: RuleLibrary
    patterns: Patterns
    check: CheckPatterns

    @classmethod
    def load(cls, library: RuleLibrary) -> Checker:
        """The library's patterns and check patterns, read back from the cache (imr_rules.cache) when unchanged."""
        return cls(library, cached_patterns(library.root), cached_check_patterns(library.root))


def load_check_patterns(rules_root: str | Path) -> CheckPatterns:
    """`rules/extraction/check.yaml`, validated (each regular expression compiled: a bad one is a located
    error here, never an error while a letter is checked)."""
    return to_model(load_yaml(Path(rules_root) / EXTRACTION_DIR / "check.yaml"), CheckPatterns, "check pattern file")


@dataclass
class _Source:
    loaded: LoadedCase
    letter: Letter | None
    norm: Normalised | None  # the letter's text as given and as read (the letter's spans point into norm.text)
    skipped: str | None = None  # why the letter checks cannot run (a case file without its letter)

    @property
    def text(self) -> str | None:
        """The normalised text the letter was read from."""
        return self.norm.text if self.norm is not None else None


def letter_candidates(case_path: Path, letter: str) -> list[Path]:
    """Where a case file's `letter:` may be: relative to the case file (as `extract -o` writes it), else as
    given (relative to the working directory, as older case files and hand-written ones may have it)."""
    given = Path(letter)
    if given.is_absolute():
        return [given]
    return [Path(os.path.normpath(case_path.parent / given)), given]


def _load_source(path: Path, checker: Checker) -> _Source:
    """A letter (text or PDF) is extracted on the fly; a case file is used as reviewed, with its letter if
    readable."""
    if path.suffix.lower() in CASE_SUFFIXES:
        loaded = load_case(path, checker.library)
        if not loaded.case.letter:
            return _Source(loaded, None, None, "the case names no letter (`letter:`)")
        if loaded.case.letter == STDIN_NAME:
            why = "the case was extracted from standard input (`letter: <stdin>`), so its letter cannot be found"
            return _Source(loaded, None, None, f"{why}; `imr-rules extract LETTER -o case.yaml` records the path")
        candidates = letter_candidates(path, loaded.case.letter)
        for candidate in candidates:
            if candidate.is_file():
                norm = normalise(read_letter_source(candidate).text)
                letter = parse_normalised(norm, str(candidate))
                extraction = loaded.case.extraction
                if extraction is not None and extraction.letter_digest != letter.text_digest:
                    return _Source(
                        loaded, letter, norm, f"the letter {candidate} has changed since the case was extracted"
                    )
                return _Source(loaded, letter, norm)
        tried = " or ".join(str(c) for c in candidates)
        return _Source(loaded, None, None, f"its letter cannot be found (looked for {tried})")
    source = read_letter_source(path)
    norm = normalise(source.text)
    letter = parse_normalised(norm, source.name)
    data = extract_normalised(letter, norm, checker.library, checker.patterns, source.pdf_digest, only_used=True)
    return _Source(case_from_data(data, checker.library, source.name), letter, norm)


def as_the_letter_decided(loaded: LoadedCase) -> LoadedCase:
    """The case with each dependent item's primary_status stated as the same letter decided its primary.

    `check` asks whether the letter's decisions hold together: a pre-op test is judged against the
    surgery as the letter decided it, not as the engine would (that view is reported beside it).
    Items whose primary the letter did not decide keep the engine's link.
    """
    case = loaded.case
    decided = {item.item: item.decision for item in case.items if item.decision is not None}
    items = []
    changed = False
    for item in case.items:
        primary_decision = decided.get(item.primary or "")
        if primary_decision is None or item.primary == item.item or "primary_status" in item.facts:
            items.append(item)
            continue
        status = "certified" if primary_decision == "Overturned" else "non_certified"
        stated = FactValue(
            value=status,
            evidence=[
                Evidence(quote=f"'{item.primary}' is {primary_decision} in this letter", section="letter decision")
            ],
        )
        items.append(item.model_copy(update={"facts": {**item.facts, "primary_status": stated}}))
        changed = True
    if not changed:
        return loaded
    return replace(loaded, case=case.model_copy(update={"items": items}))


def check_path(path: str | Path, checker: Checker) -> LetterCheck:
    """Check one letter or case file; raises ImrError for bad input."""
    source = _load_source(Path(path), checker)
    case = source.loaded.case
    evaluation = evaluate(as_the_letter_decided(source.loaded), checker.library)
    letter_items: dict[str, ItemDecision] = {}
    if source.letter is not None:
        letter_items = {it.item: it for it in source.letter.items}
    dets = {d.item: d for d in evaluation.determinations}
    items: list[ItemCheck] = []
    letter_findings: list[Finding] = []
    if source.skipped is not None:
        letter_findings.append(_skipped(None, f"{source.skipped}: the letter checks were skipped"))
    letter_ctx = CheckContext(checker, source, dets)
    for case_item, det in zip(case.items, evaluation.determinations, strict=True):
        letter_item = letter_items.get(case_item.item)
        with_letter = letter_item is not None and source.text is not None and source.skipped is None
        ctx = ItemContext(checker, source, dets, det, case_item, letter_item if with_letter else None)
        found = [f for registered in CHECKS if registered.scope == "item" for f in registered.run(ctx)]
        if not with_letter and source.letter is not None and source.skipped is None:
            names = "; ".join(f"'{name}'" for name in letter_items)
            found.append(
                _skipped(
                    det.item,
                    f"'{det.item}' is not an item of the letter {source.letter.source} (its items: {names}): the "
                    "letter checks for it were skipped (in YAML, quote an item name holding ' #' or ': ')",
                )
            )
        if det.outcome == "Undetermined":
            found.append(Finding(code="NOT-GOVERNED", severity="info", item=det.item, message=f"{det.reason}."))
        primary = dets.get(case_item.primary or "")
        severities = [f.severity for f in found]
        items.append(
            ItemCheck(
                item=det.item,
                service=det.service,
                letter_decision=det.letter_decision,
                engine_decision=det.outcome,
                consistent="error" not in severities,
                severity=worst(severities),
                verdict=verdict_of(worst(severities), _compared(det)),
                findings=found,
                primary=case_item.primary,
                primary_letter_decision=primary.letter_decision if primary is not None else None,
                primary_engine_decision=primary.outcome if primary is not None else None,
                determination=det,
            )
        )
    letter_findings += [f for registered in CHECKS if registered.scope == "letter" for f in registered.run(letter_ctx)]
    all_findings = letter_findings + [f for i in items for f in i.findings]
    summary = None
    summary_start = 0
    if source.letter is not None and source.norm is not None:  # shown as the user gave it
        summary_start, summary_end = source.norm.span(source.letter.summary_span.start, source.letter.summary_span.end)
        summary = source.norm.original[summary_start:summary_end]
    severities = [f.severity for f in all_findings]
    return LetterCheck(
        source=location(path).path,  # "-" is named "<stdin>"
        case=case.case,
        consistent="error" not in severities,
        severity=worst(severities),
        verdict=verdict_of(worst(severities), any(_compared(d) for d in evaluation.determinations)),
        summary=summary,
        summary_start=summary_start,
        items=items,
        findings=all_findings,
        evaluation=evaluation,
    )


def _compared(det: Determination) -> bool:
    """Could the letter's decision be compared with the engine's (both decided)?"""
    return det.outcome != "Undetermined" and det.letter_decision is not None


def check_paths(paths: Iterable[Path], checker: Checker) -> Iterable[tuple[Path, LetterCheck | ImrError]]:
    """Check many files; a file that fails yields its error and the run goes on."""
    for path in paths:
        try:
            yield path, check_path(path, checker)
        except ImrError as exc:
            yield path, exc


class Tally:
    """Running figures over many checks, so a long run keeps no results in memory."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.codes: Counter[str] = Counter()
        self.severities: Counter[str] = Counter()
        self.with_error: list[str] = []
        self.consistent = True

    def fails(self, fail_on: Severity) -> bool:
        """Did any letter have a finding at least as severe as `fail_on` (error, or warning)?"""
        levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        return any(self.severities[s] for s in levels)

    def add(self, result: LetterCheck | ImrError) -> None:
        c = self.counts
        if isinstance(result, ImrError):
            c["failed"] += 1
            return
        c["letters"] += 1
        self.consistent = self.consistent and result.consistent
        if not result.consistent:
            self.with_error.append(result.source)
        self.codes.update(f.code for f in result.findings)
        self.severities.update(f.severity for f in result.findings)
        for item in result.items:
            c["items"] += 1
            c["letter_o"] += item.letter_decision == "Overturned"
            if item.engine_decision == "Undetermined":
                continue
            c["governed"] += 1
            c["agree"] += item.engine_decision == item.letter_decision
            if item.engine_decision == "Overturned":
                c["engine_o"] += 1
                c["both_o"] += item.letter_decision == "Overturned"

    def summary(self) -> CheckSummary:
        c = self.counts
        return CheckSummary(
            letters=c["letters"],
            failed=c["failed"],
            items=c["items"],
            governed=c["governed"],
            agree=c["agree"],
            letter_overturned=c["letter_o"],
            engine_overturned=c["engine_o"],
            overturned_both=c["both_o"],
            findings_by_code=dict(sorted(self.codes.items())),
            findings_by_severity={s: self.severities[s] for s in SEVERITIES},
            letters_with_error=list(self.with_error),
        )


def summarize(results: Iterable[LetterCheck | ImrError]) -> CheckSummary:
    tally = Tally()
    for result in results:
        tally.add(result)
    return tally.summary()


# --- the registry --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckContext:
    """What a letter-level check looks at: the loaded checker, the letter or case file as read (`source`),
    and every item's determination by item name (`dets`)."""

    checker: Checker
    source: _Source
    dets: dict[str, Determination]

    @property
    def letter_readable(self) -> bool:
        """The letter's text was read and matches its case (the letter checks can run)."""
        return self.source.letter is not None and self.source.norm is not None and self.source.skipped is None


@dataclass(frozen=True)
class ItemContext(CheckContext):
    """What an item check looks at: the letter-level context, one item of the case, its determination, and
    the letter's own reading of that item (`letter_item`; None when the letter checks cannot run for it)."""

    det: Determination
    item: CaseItem
    letter_item: ItemDecision | None

    @property
    def primary(self) -> Determination | None:
        """The determination of the item's primary procedure, when it is an item of the same case."""
        return self.dets.get(self.item.primary or "")


@dataclass(frozen=True)
class ConsistencyCheck:
    """A registered check: the finding codes it can give, whether it runs per item or per letter."""

    codes: tuple[str, ...]
    scope: Literal["item", "letter"]
    run: Callable[[Any], list[Finding]]

    @property
    def description(self) -> str:
        return " ".join((self.run.__doc__ or "").split())


CHECKS: list[ConsistencyCheck] = []
"""Every check, in the order its findings are listed (registration order)."""


ItemCheckFunction = Callable[[ItemContext], list[Finding]]
LetterCheckFunction = Callable[[CheckContext], list[Finding]]


def item_check(*codes: str) -> Callable[[ItemCheckFunction], ItemCheckFunction]:
    """Register a check run on every item, under the finding codes it gives."""

    def register(function: ItemCheckFunction) -> ItemCheckFunction:
        CHECKS.append(ConsistencyCheck(codes, "item", function))
        return function

    return register


def letter_check(*codes: str) -> Callable[[LetterCheckFunction], LetterCheckFunction]:
    """Register a check run once per letter, under the finding codes it gives."""

    def register(function: LetterCheckFunction) -> LetterCheckFunction:
        CHECKS.append(ConsistencyCheck(codes, "letter", function))
        return function

    return register


# --- the checks ----------------------------------------------------------------------------------------


def _evidence_of(det: Determination) -> list[Evidence]:
    out: list[Evidence] = []
    for crit in det.criteria:
        if crit.decisive:
            for fact in crit.facts:
                out.extend(e for e in fact.evidence if e not in out)
    return out


def _skipped(item: str | None, message: str) -> Finding:
    """LETTER-CHECKS-SKIPPED: never a silent 'consistent' when the letter could not be compared."""
    return Finding(code="LETTER-CHECKS-SKIPPED", severity="warning", item=item, message=f"{message}.")


def combined_status(det: Determination) -> Status:
    """The item's status over every rule in force (Kleene all_of; an excluding rule met counts as not met)."""
    statuses = [("not_met" if r.status == "met" else "met") if r.effect == "excludes" else r.status for r in det.rules]
    return at_least(len(statuses), statuses)


def _leaves(det: Determination, status: Status) -> list[CriterionResult]:
    """The decisive fact criteria with this status, in the rules' order."""
    return [c for c in det.criteria if c.decisive and c.fact is not None and c.status == status]


def _named(crit: CriterionResult, with_rule: bool = True) -> str:
    """A criterion as a finding names it: the rule, its text, and the fact's value where documented."""
    if crit.facts:
        shown = crit.facts[0].value
        value = f" ({crit.fact} = {str(shown).lower() if isinstance(shown, bool) else shown})"
    else:
        value = f" ({crit.fact})"
    return (f"{crit.rule}: " if with_rule else "") + f"{crit.text.rstrip('.')}{value}"


@dataclass
class _Node:
    crit: CriterionResult
    children: list[_Node]


def _trees(det: Determination) -> list[_Node]:
    """The criteria trees of the rules in force, rebuilt from the flat list (parents first, with depth)."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    for crit in det.criteria:
        node = _Node(crit, [])
        while stack and (stack[-1].crit.depth >= crit.depth or stack[-1].crit.rule != crit.rule):
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _undocumented_phrase(node: _Node) -> str | None:
    """What a decisive undocumented node leaves out, alternatives kept as alternatives: "one of (a | b)",
    and two arms of a branch on one fact ("has had it" / "has not") named once as "which of"."""
    crit = node.crit
    if not crit.decisive or crit.status != "not_documented":
        return None
    if crit.fact is not None:
        return _named(crit, with_rule=False)
    kids = [k for k in (_undocumented_phrase(c) for c in node.children) if k is not None]
    kids = list(dict.fromkeys(kids))  # the same criterion reached twice is named once
    if not kids:
        return crit.text.rstrip(".")
    if len(kids) == 1 or crit.kind == "all_of":
        return "; ".join(kids)
    facts = {c.crit.fact for c in node.children if c.crit.fact} | {
        g.crit.fact for c in node.children for g in c.children if g.crit.decisive and g.crit.fact
    }
    if len(facts) == 1:
        (fact,) = facts
        texts = [c.crit.text.rstrip(".") for c in node.children if c.crit.decisive]
        return f"which of: {' / '.join(dict.fromkeys(texts))} ({fact})"
    return "one of (" + " | ".join(kids) + ")"


def _undocumented(det: Determination) -> list[str]:
    """Per rule whose undocumented criteria decided the item, what the letter leaves out."""
    out = []
    for root in _trees(det):
        phrase = _undocumented_phrase(root)
        if phrase is not None:
            out.append(f"{root.crit.rule}: {phrase}")
    return out


def _deepest(det: Determination, status: Status) -> list[str]:
    """The decisive criteria with this status that no decisive descendant with the same status explains,
    each named with the facts its own criteria read (e.g. the applicability a branch failed)."""
    out: list[str] = []

    def walk(node: _Node) -> None:
        crit = node.crit
        if not crit.decisive or crit.status != status:
            return
        deeper = [c for c in node.children if c.crit.decisive and c.crit.status == status]
        if deeper:
            for child in deeper:
                walk(child)
            return
        if crit.fact is not None:
            out.append(_named(crit))
            return
        facts = [c.crit for c in node.children if c.crit.fact is not None and c.crit.status == status]
        shown = ", ".join(_named(f, with_rule=False) for f in facts)
        out.append(f"{crit.rule}: {crit.text.rstrip('.')}" + (f" [{shown}]" if shown else ""))

    for root in _trees(det):
        walk(root)
    return list(dict.fromkeys(out))


@item_check("DECISION-CONTRADICTS-CRITERIA", "DECISION-RESTS-ON-INFERRED-FACTS", "CRITERIA-NOT-DOCUMENTED")
def _decision_vs_criteria(ctx: ItemContext) -> list[Finding]:
    """DECISION-CONTRADICTS-CRITERIA (error) only when the facts the letter states decide the other
    outcome; DECISION-RESTS-ON-INFERRED-FACTS (warning) when they would, but a deciding fact is inferred
    rather than stated (a therapy a treatment list leaves out, pain of three months from the dates: a
    person should confirm it before calling the letter wrong); CRITERIA-NOT-DOCUMENTED (warning) when a
    certified item's letter leaves decisive criteria undocumented.

    An Upheld item whose criteria are merely undocumented is consistent: IMR puts the burden of
    documentation on the request.
    """
    det = ctx.det
    if det.outcome == "Undetermined" or det.letter_decision is None or det.letter_decision == det.outcome:
        return []
    if det.outcome == "Overturned":  # denied by the letter, but the documented facts meet every criterion
        met = _leaves(det, "met")
        return _contradiction(
            det,
            f"'{det.item}' is Upheld in the letter, but the documented facts meet every criterion of the "
            f"rules in force, which gives Overturned: "
            + ("; ".join(_named(c) for c in met[:6]) or "no criterion")
            + ".",
        )
    if combined_status(det) == "not_met":  # certified by the letter, a decisive criterion documented not met
        not_met = _leaves(det, "not_met")
        if not_met and all(c.fact == PRIMARY_STATUS for c in not_met):
            return []  # the DEPENDENT-* findings say it, with the primary's name
        excluded = [r for r in det.rules if r.effect == "excludes" and r.status == "met"]
        named = _deepest(det, "not_met") + [f"{r.id}: {r.title} (applies, and excludes the item)" for r in excluded]
        return _contradiction(
            det,
            f"'{det.item}' is Overturned in the letter, but the letter documents as not met: "
            + "; ".join(named[:6])
            + ". That gives Upheld.",
        )
    undocumented = _undocumented(det)
    return [
        Finding(
            code="CRITERIA-NOT-DOCUMENTED",
            severity="warning",
            item=det.item,
            message=(
                f"'{det.item}' is Overturned in the letter, which does not document what the rules in force ask: "
                + ("; ".join(undocumented) or "none named")
                + ". The rationale does not show how these are met."
            ),
        )
    ]


def _contradiction(det: Determination, message: str) -> list[Finding]:
    """The DECISION-CONTRADICTS-CRITERIA error for `det`: its documented facts decide the other outcome;
    a DECISION-RESTS-ON-INFERRED-FACTS warning instead when a deciding fact is inferred, not stated."""
    inferred = sorted({f.name for c in det.criteria if c.decisive for f in c.facts if f.inferred})
    if inferred:
        return [
            Finding(
                code="DECISION-RESTS-ON-INFERRED-FACTS",
                severity="warning",
                item=det.item,
                message=f"{message} But {', '.join(inferred)} {'is' if len(inferred) == 1 else 'are'} inferred, "
                "not stated in the letter: confirm before calling the decision contradicted.",
                evidence=_evidence_of(det),
            )
        ]
    return [
        Finding(
            code="DECISION-CONTRADICTS-CRITERIA",
            severity="error",
            item=det.item,
            message=message,
            evidence=_evidence_of(det),
        )
    ]


@item_check("DEPENDENT-OVERTURNED-PRIMARY-DENIED")
def _dependency(ctx: ItemContext) -> list[Finding]:
    """DEPENDENT-OVERTURNED-PRIMARY-DENIED: an associated service certified without its procedure."""
    det, primary, external = ctx.det, ctx.item.primary, ctx.item.facts.get(PRIMARY_STATUS)
    if det.letter_decision != "Overturned" or primary is None:
        return []
    reason = None
    primary_det = ctx.primary
    if primary_det is not None and primary_det.letter_decision == "Upheld":
        reason = f"its primary procedure '{primary}' is Upheld in the same letter"
    status = external.value if external is not None else None
    if status in ("non_certified", "not_established"):
        reason = f"its primary procedure '{primary}' is {status.replace('_', '-')}"
    if reason is None:
        return []
    return [
        Finding(
            code="DEPENDENT-OVERTURNED-PRIMARY-DENIED",
            severity="error",
            item=det.item,
            message=f"'{det.item}' is Overturned although {reason}.",
        )
    ]


@item_check("RATIONALE-CONTRADICTS-DECISION")
def _conclusion(ctx: ItemContext) -> list[Finding]:
    """RATIONALE-CONTRADICTS-DECISION: the rationale's last conclusion says the opposite."""
    item, checker = ctx.letter_item, ctx.checker
    if item is None:
        return []
    said: tuple[str, str] | None = None
    for sentence in re.split(r"(?<=[.!?])\s+", item.rationale):
        negative = any(re.search(p, sentence, re.IGNORECASE) for p in checker.check.conclusion.not_necessary)
        positive = not negative and any(
            re.search(p, sentence, re.IGNORECASE) for p in checker.check.conclusion.necessary
        )
        if negative or positive:
            said = ("Upheld" if negative else "Overturned", sentence.strip())
    if said is None or said[0] == item.decision:
        return []
    meaning = "not medically necessary" if said[0] == "Upheld" else "medically necessary"
    return [
        Finding(
            code="RATIONALE-CONTRADICTS-DECISION",
            severity="error",
            item=item.item,
            message=f"'{item.item}' is {item.decision}, but its rationale concludes the request is {meaning}.",
            evidence=[Evidence(quote=said[1], section="rationale")],
        )
    ]


@item_check("NO-CITATION", "CITATION-NOT-GOVERNING")
def _citations(ctx: ItemContext) -> list[Finding]:
    """NO-CITATION and CITATION-NOT-GOVERNING: what the reviewer cites must govern the service."""
    item, det, primary, checker = ctx.letter_item, ctx.det, ctx.primary, ctx.checker
    if item is None:
        return []
    cited = [c for c in item.reviewer_citations if not c.no_evidence]
    if not cited:
        return [
            Finding(
                code="NO-CITATION",
                severity="info",  # common for ancillary items in published letters: a note, not a flag
                item=item.item,
                message=f"'{item.item}': the reviewer cites no guideline or medical evidence.",
            )
        ]
    if det.service is None:
        return []
    wanted = {det.service} | ({primary.service} if primary is not None and primary.service else set())
    findings = []
    for citation in cited:
        text = " ".join(p for p in (citation.chapter, citation.section, citation.pages) if p) or citation.text
        text = f"{citation.guideline or ''} {text}"
        scopes = [s for s in checker.check.citations if re.search(s.pattern, text, re.IGNORECASE)]
        if not scopes:
            continue
        governs = {svc for s in scopes for svc in s.services}
        if governs & wanted:
            continue
        labels = ", ".join(sorted(governs))
        findings.append(
            Finding(
                code="CITATION-NOT-GOVERNING",
                severity="warning",
                item=item.item,
                message=(
                    f"'{item.item}' is read as {' or '.join(sorted(wanted))} and cites {text.strip()}, which "
                    f"governs {labels}: either the citation does not fit the item, or the item is not "
                    f"{' or '.join(sorted(wanted))} (then set its `service:` in the case file)."
                ),
                evidence=[Evidence(quote=citation.text, section="citation")],
            )
        )
    return findings


@item_check("CRITERION-RATIONALE-VS-SUMMARY")
def _rationale_vs_summary(ctx: ItemContext) -> list[Finding]:
    """CRITERION-RATIONALE-VS-SUMMARY: the rationale and the summary document a criterion differently."""
    item, det, source, checker = ctx.letter_item, ctx.det, ctx.source, ctx.checker
    if item is None or source.letter is None or source.text is None:
        return []
    used = {c.fact for c in det.criteria if c.fact}
    summary = sentences(source.text, source.letter.summary_span.start, source.letter.summary_span.end, "summary")
    rationale = sentences(source.text, item.rationale_span.start, item.rationale_span.end, "rationale")
    findings = []
    for pattern in checker.patterns.facts.facts:
        if pattern.fact not in used or checker.library.facts[pattern.fact].scope != "case":
            continue
        in_summary = read_fact(pattern, checker.patterns, summary, [], "")
        in_rationale = read_fact(pattern, checker.patterns, rationale, [], "")
        if in_summary is None or in_rationale is None or in_summary[0] == in_rationale[0]:
            continue
        findings.append(
            Finding(
                code="CRITERION-RATIONALE-VS-SUMMARY",
                severity="warning",
                item=item.item,
                message=(
                    f"'{item.item}': the rationale reads {pattern.fact} as {in_rationale[0]!r} but the clinical "
                    f"summary documents {in_summary[0]!r}."
                ),
                evidence=[_as_evidence(s, source.norm) for s in (in_summary[1][0], in_rationale[1][0])],
            )
        )
    return findings


@item_check("DEPENDENT-UPHELD-PRIMARY-CERTIFIED")
def _dependency_reason(ctx: ItemContext) -> list[Finding]:
    """DEPENDENT-UPHELD-PRIMARY-CERTIFIED: upheld 'because the primary was denied' when it was not."""
    item, primary = ctx.letter_item, ctx.item.primary
    if item is None or item.decision != "Upheld" or primary is None:
        return []
    certified = False
    primary_det = ctx.primary
    if primary_det is not None and primary_det.letter_decision == "Overturned":
        certified = True
    stated = ctx.item.facts.get(PRIMARY_STATUS)
    if stated is not None and stated.value == "certified":
        certified = True
    if not certified:
        return []
    for pattern in ctx.checker.check.dependency_reason:
        m = re.search(pattern, item.rationale, re.IGNORECASE)
        if m:
            return [
                Finding(
                    code="DEPENDENT-UPHELD-PRIMARY-CERTIFIED",
                    severity="error",
                    item=item.item,
                    message=(
                        f"'{item.item}' is Upheld because its primary procedure is not necessary, but "
                        f"'{primary}' is certified."
                    ),
                    evidence=[Evidence(quote=m.group(0), section="rationale")],
                )
            ]
    return []


def _as_evidence(sentence: Sentence, norm: Normalised | None) -> Evidence:
    """A sentence of the normalised text as evidence: its offsets point into the text as given."""
    start, end = norm.span(sentence.start, sentence.end) if norm is not None else (sentence.start, sentence.end)
    return Evidence(quote=sentence.text, start=start, end=end, section=sentence.section)


@letter_check("REGION-MISMATCH")
def _regions(ctx: CheckContext) -> list[Finding]:
    """REGION-MISMATCH: an imaging study of one body region reporting the levels of another."""
    letter, norm, checker = ctx.source.letter, ctx.source.norm, ctx.checker
    if letter is None or norm is None or not ctx.letter_readable:
        return []
    text = norm.text
    findings = []
    regions = checker.check.regions
    imaging = re.compile(checker.check.imaging_words, re.IGNORECASE)
    for sentence in sentences(text, letter.summary_span.start, letter.summary_span.end, "summary"):
        if not imaging.search(sentence.text):
            continue
        named = [
            r
            for r, spec in regions.items()
            if any(
                re.search(rf"\b{n}\b[^.]{{0,20}}{checker.check.imaging_words}", sentence.text, re.I) for n in spec.names
            )
        ]
        levels = {r for r, spec in regions.items() if any(re.search(p, sentence.text) for p in spec.levels)}
        if len(named) == 1 and levels and named[0] not in levels:
            findings.append(
                Finding(
                    code="REGION-MISMATCH",
                    severity="warning",
                    item=None,
                    message=(
                        f"the summary names a {named[0]} study but reports {', '.join(sorted(levels))} levels: "
                        f'"{sentence.text}"'
                    ),
                    evidence=[_as_evidence(sentence, norm)],
                )
            )
    return findings
