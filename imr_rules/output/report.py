"""Render evaluations for people (text) and scripts (JSON). Rendering only: no decisions here."""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from typing import Any, TextIO

import click

from imr_rules.models import (
    CheckSummary,
    CriterionResult,
    Determination,
    Evaluation,
    Evidence,
    Finding,
    ItemCheck,
    LetterCheck,
)
from imr_rules.models.results import Verdict

MARK = {"met": "[met]", "not_met": "[NOT MET]", "not_documented": "[not documented]"}


def to_json(evaluation: Evaluation) -> dict[str, Any]:
    return evaluation.model_dump(mode="json")


def render_json(evaluation: Evaluation) -> str:
    return json.dumps(to_json(evaluation), indent=2, ensure_ascii=False) + "\n"


TEXT_WIDTH = 100
"""Lines of `render_text` are wrapped to this many columns unless the caller gives a width."""

_STYLES: dict[str, dict[str, Any]] = {
    "[NOT MET]": {"fg": "red", "bold": True},
    "[met]": {"fg": "green"},
    "[not documented]": {"fg": "yellow"},
    "[EXCLUDES]": {"fg": "red", "bold": True},
    "UPHELD": {"bold": True},
    "OVERTURNED": {"bold": True, "fg": "green"},
    "UNDETERMINED": {"bold": True, "fg": "yellow"},
    "(DIFFERS)": {"fg": "red", "bold": True},
    "(agrees)": {"fg": "green"},
    "INCONSISTENT": {"fg": "red", "bold": True},
    "consistent, with warnings": {"fg": "yellow"},
    "neither confirmed nor contradicted": {"fg": "yellow"},
    ": warning": {"fg": "yellow"},
    "consistent": {"fg": "green"},
    "!! ": {"fg": "red", "bold": True},
}
_STYLED = re.compile("|".join(re.escape(k) for k in sorted(_STYLES, key=len, reverse=True)))


def _colour(lines: list[str]) -> list[str]:
    """ANSI styles on the words that carry a status (click.style; the caller decides when: terminal_style)."""
    return [_STYLED.sub(lambda m: click.style(m.group(0), **_STYLES[m.group(0)]), line) for line in lines]


def render_text(evaluation: Evaluation, width: int = TEXT_WIDTH, color: bool = False) -> str:
    """The evaluation for people: a summary line, then per item its determination and each rule's criteria
    tree with facts and evidence. Lines are wrapped to `width` columns (hanging indent); a block identical
    to one printed under an earlier item (an excluding rule that does not apply, say) is printed once and
    referred to after that; `color` adds ANSI styles (statuses, outcomes) for a terminal."""
    lines = [f"Case {evaluation.case}" + (f"  ({evaluation.source})" if evaluation.source else "")]
    prov = evaluation.provenance
    day = prov.case_date.isoformat() if prov.case_date else "not documented (every edition considered)"
    lines.append(f"Case date: {day}; rules digest {prov.rules_digest[:12]}; imr-rules {prov.imr_rules_version}")
    lines.append(summary_line(evaluation))
    seen: dict[tuple[str, ...], int] = {}
    dets = {d.item: d for d in evaluation.determinations}
    for n, det in enumerate(evaluation.determinations, 1):
        lines.append("")
        lines.extend(_determination(n, det, seen, evaluation_primary_note(det, dets)))
    wrapped = [w for line in lines for w in _wrap(line, max(width, 40))]
    return "\n".join(_colour(wrapped) if color else wrapped) + "\n"


EXPLAIN_HINT = "(--explain: every rule's criteria with the facts and the letter's sentences)"


def brief_text(evaluation: Evaluation, width: int = TEXT_WIDTH, color: bool = False, hint: bool = True) -> str:
    """The evaluation in a few lines: the case, the summary line, then one line per item: the engine's
    outcome, the letter's decision and whether they agree, and the decisive criterion (`decisive_note`),
    cut to `width` columns. `hint` adds a last line pointing to --explain."""
    lines = [f"Case {evaluation.case}" + (f"  ({evaluation.source})" if evaluation.source else "")]
    lines.append(summary_line(evaluation))
    dets = {d.item: d for d in evaluation.determinations}
    for n, det in enumerate(evaluation.determinations, 1):
        head = f"{n:>2}. {det.item}: {det.outcome.upper()}"
        if det.letter_decision is not None:
            agree = {True: "agrees", False: "DIFFERS", None: "not compared"}[det.agrees_with_letter]
            head += f", letter {det.letter_decision} ({agree})"
        lines.append(_fit(head, *_decisive_parts(det), width=width))
        note = evaluation_primary_note(det, dets)
        if note:
            lines.extend(_wrap(f"      {note}", max(width, 40)))
    if hint:
        lines.append(EXPLAIN_HINT)
    return "\n".join(_colour(lines) if color else lines) + "\n"


def decisive_note(det: Determination) -> str:
    """What decided the item, in one phrase, as the --explain tree has it (`explain.telling_criteria`):
    the first criterion standing in the way of an Upheld item with its status, one documented NOT MET
    first, also from inside a group left undocumented ("[NOT MET] ...", else "[not documented] ..."),
    or "[EXCLUDES] ..." for an excluding rule that applies; for an Overturned item the criterion that
    carried it ("[met] ..."); "(+N more criteria)" when others decided too. For an Undetermined item,
    why no rule decides it."""
    note, more = _decisive_parts(det)
    return note + more


def _decisive_parts(det: Determination) -> tuple[str, str]:
    """decisive_note as (the phrase, the "(+N more criteria)" suffix that a cut line keeps)."""
    if det.outcome == "Undetermined":
        return det.reason or "", ""
    from imr_rules.engine.explain import telling_criteria

    deciding = telling_criteria(det)
    if not deciding:
        return "", ""
    first = deciding[0]
    others = len(deciding) - 1
    more = f" (+{others} more {'criterion' if others == 1 else 'criteria'})" if others else ""
    return f"{criterion_mark(det, first)} {first.text}", more


EXCLUDES_MARK = "[EXCLUDES]"


def criterion_mark(det: Determination, crit: CriterionResult) -> str:
    """A deciding criterion's mark: its status, or EXCLUDES_MARK for the criteria of an excluding rule
    that applies (they are met, and deny the item)."""
    effect = next((r.effect for r in det.rules if r.id == crit.rule), "supports")
    return EXCLUDES_MARK if effect == "excludes" and det.outcome == "Upheld" else MARK[crit.status]


NOTE_ROOM = 60
"""Columns a one-line view keeps for the decisive criterion however long the item's name is."""


def _fit(head: str, note: str, suffix: str = "", width: int = TEXT_WIDTH) -> str:
    """`head - note suffix` on one line, the note cut with "..." to end at `width` columns but never to
    fewer than NOTE_ROOM (a long item name makes a longer line); the head and the suffix are never cut."""
    if not note:
        return head
    room = max(width - len(head) - 3 - len(suffix), NOTE_ROOM)
    if len(note) > room:
        cut = note[: room - 3]
        word_end = cut.rfind(" ")
        # cut between words where one ends in the last 20 columns; a long unbroken word is cut inside
        note = (cut[:word_end] if word_end > len(cut) - 20 else cut).rstrip(" ,;:") + "..."
    return f"{head} - {note}{suffix}"


def terminal_style(stream: TextIO) -> dict[str, Any]:
    """`render_text` keyword arguments for a stream: on a terminal its width (60-120 columns) and colour
    unless NO_COLOR is set (https://no-color.org); elsewhere (a pipe, a file) TEXT_WIDTH and no colour."""
    if not stream.isatty():
        return {"width": TEXT_WIDTH, "color": False}
    columns = shutil.get_terminal_size((TEXT_WIDTH, 24)).columns
    return {"width": min(max(columns, 60), 120), "color": not os.environ.get("NO_COLOR")}


def summary_line(evaluation: Evaluation) -> str:
    """One line: items by outcome, and agreement with the letter where the case has its decisions."""
    dets = evaluation.determinations
    counts = [(sum(d.outcome == o for d in dets), o) for o in ("Upheld", "Overturned", "Undetermined")]
    line = f"Summary: {len(dets)} item{'' if len(dets) == 1 else 's'}: " + ", ".join(
        f"{k} {o}" for k, o in counts if k or o != "Undetermined"
    )
    compared = [d for d in dets if d.agrees_with_letter is not None]
    if compared:
        agree = sum(bool(d.agrees_with_letter) for d in compared)
        line += f"; agrees with the letter on {agree} of {len(compared)}"
        if agree < len(compared):
            line += (
                " (DIFFERS on "
                + ", ".join(f"item {dets.index(d) + 1}" for d in compared if not d.agrees_with_letter)
                + ")"
            )
    return line


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    indent = len(line) - len(line.lstrip(" "))
    body = line[indent:]
    # continuation lines align after a leading label or marker ("Rationale: ", "[NOT MET] ", 'fact x = ')
    label = re.match(r"(\[[^\]]+\] |[A-Z][a-z]+( [a-z]+)?: |\d+\. )", body)
    hang = indent + (len(label.group(0)) if label and len(label.group(0)) < 24 else 2)
    return textwrap.wrap(
        body,
        width=width,
        initial_indent=" " * indent,
        subsequent_indent=" " * hang,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _determination(
    n: int, det: Determination, seen: dict[tuple[str, ...], int], primary_note: str | None = None
) -> list[str]:
    necessary = {True: "medically necessary", False: "not medically necessary", None: "no rule decides it"}
    head = f"{n}. {det.item}"
    if det.service:
        head += f"  [{det.service}]"
    out = [head]
    verdict = f"   Determination: {det.outcome.upper()} ({necessary[det.medically_necessary]})"
    if det.letter_decision is not None:
        agree = {True: "agrees", False: "DIFFERS", None: "not compared"}[det.agrees_with_letter]
        verdict += f"   letter: {det.letter_decision} ({agree})"
    out.append(verdict)
    if det.basis:
        out.append(f"   Guideline: {det.basis}")
    if det.outcome == "Undetermined":
        out.append(f"   Reason: {det.reason}")
        return out
    if det.primary:
        out.append(f"   Depends on: {det.primary}")
        if primary_note:
            out.append(f"   Note: {primary_note}")
    for applied in det.rules:
        if applied.effect == "excludes":
            state = "applies: excludes the item" if applied.status == "met" else "does not apply"
        else:
            state = applied.status.replace("_", " ")
        head = f"   Rule {applied.id}: {applied.title}  -> {state}"
        block = [f"     Citation: {applied.citation}"]
        for crit in (c for c in det.criteria if c.rule == applied.id):
            indent = "     " + "  " * crit.depth
            notes = [] if crit.decisive else ["not decisive"]
            if crit.fact and not crit.facts:  # an undocumented fact: named on the criterion's own line
                notes.insert(0, f"fact {crit.fact}")
            flag = f"  ({'; '.join(notes)})" if notes else ""
            cite = f" [{crit.cite}]" if crit.cite else ""
            block.append(f"{indent}{MARK[crit.status]} {crit.text}{cite}{flag}")
            for fact in crit.facts:
                note = "  (inferred, not stated: check it)" if fact.inferred else ""
                block.append(f"{indent}    fact {fact.name} = {_value(fact.value)}{note}")
                quotes: list[str] = []
                for ev in fact.evidence:
                    if _quote(ev) not in quotes:  # the summary and the rationale often say it alike
                        quotes.append(_quote(ev))
                block.extend(f"{indent}      {q}" for q in quotes)
        key = (head, *block)
        if key in seen:
            out.append(f"   Rule {applied.id}  -> {state}, as under item {seen[key]}")
            continue
        seen[key] = n
        out.append(head)
        out.extend(block)
    said = seen.get(("rationale", det.rationale))
    if said is None:
        seen[("rationale", det.rationale)] = n
        out.append(f"   Rationale: {det.rationale}")
    else:
        out.append(f"   Rationale: as under item {said}.")
    return out


NOT_QUOTED = ("derived", "letter decision")
"""Evidence sections that are not the letter's words (a derived primary status, the letter's own decision)."""


def _quote(ev: Evidence) -> str:
    return f"({ev.quote})" if ev.section in NOT_QUOTED else f'"{ev.quote}"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)


# --- consistency check -------------------------------------------------------------------------------


def check_json(result: LetterCheck) -> dict[str, Any]:
    """One letter's check as JSON: the documented fields first, the full determination after."""
    return {
        "source": result.source,
        "case": result.case,
        "consistent": result.consistent,
        "verdict": result.verdict,
        "items": [
            {
                "item": i.item,
                "service": i.service,
                "letter_decision": i.letter_decision,
                "engine_decision": i.engine_decision,
                "consistent": i.consistent,
                "verdict": i.verdict,
                "findings": [f.model_dump(mode="json") for f in i.findings],
                "rule": i.determination.rule,
                "criteria": [c.model_dump(mode="json") for c in i.determination.criteria],
                "rationale": i.determination.rationale,
            }
            for i in result.items
        ],
        "findings": [f.model_dump(mode="json") for f in result.findings],
    }


def summary_json(summary: CheckSummary) -> dict[str, Any]:
    return {
        **summary.model_dump(mode="json"),
        "coverage": round(summary.coverage, 4),
        "agreement": round(summary.agreement, 4),
        "overturned_recall": _round(summary.overturned_recall),
        "overturned_precision": _round(summary.overturned_precision),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


VERDICT_WORDS: dict[Verdict, str] = {
    "consistent": "consistent",
    "warnings": "consistent, with warnings",
    "inconsistent": "INCONSISTENT",
    "not_checked": "neither confirmed nor contradicted",
}
"""not_checked: the engine cannot decide the item (or the letter gives no decision), so the check says
nothing either way about the letter's decision."""
ITEM_VERDICT_WORDS: dict[Verdict, str] = {**VERDICT_WORDS, "warnings": "warning"}


def verdict(value: Verdict) -> str:
    """A letter's or item's verdict (`LetterCheck.verdict`, `ItemCheck.verdict`) in words."""
    return VERDICT_WORDS[value]


def _differs(item: ItemCheck) -> bool:
    """The rules decide the item the other way from the letter, and the check finds no contradiction
    (the letter certifies an item whose criteria it leaves undocumented: a warning, not an error)."""
    return (
        item.verdict == "warnings"
        and item.engine_decision != "Undetermined"
        and item.letter_decision is not None
        and item.engine_decision != item.letter_decision
    )


def item_verdict(item: ItemCheck) -> str:
    """An item's verdict in words; "differs, not contradicted" where the rules' outcome differs from the
    letter's without a contradiction (what `evaluate` shows as DIFFERS)."""
    return "differs, not contradicted" if _differs(item) else ITEM_VERDICT_WORDS[item.verdict]


def unchecked_note(result: LetterCheck) -> str:
    """What a letter's verdict leaves out: its items whose decision could not be compared, if any."""
    unchecked = sum(item.verdict == "not_checked" for item in result.items)
    if not unchecked:
        return ""
    if unchecked == len(result.items):
        return "the rules decide none of its items"
    return (
        f"{unchecked} of {len(result.items)} items not checked (the rules do not decide "
        f"{'it' if unchecked == 1 else 'them'}: neither confirmed nor contradicted)"
    )


def _counts(findings: list[Finding]) -> str:
    counts = [(sum(f.severity == s for f in findings), s) for s in ("error", "warning", "info")]
    words = {"error": "error", "warning": "warning", "info": "note"}
    return ", ".join(f"{n} {words[s]}{'' if n == 1 else 's'}" for n, s in counts if n)


_MARK: dict[Verdict, str] = {"inconsistent": "!! ", "warnings": "?  ", "consistent": "ok ", "not_checked": "-- "}


def _primary_note(item: ItemCheck) -> str | None:
    if item.primary_letter_decision is None:
        return None
    note = f"judged with its primary '{item.primary}' as this letter decided it ({item.primary_letter_decision})"
    if _primary_differs(item):
        note += (
            f"; the rules find the primary {item.primary_engine_decision}, and `imr-rules evaluate` judges this "
            "item with that"
        )
    return note


def _primary_differs(item: ItemCheck) -> bool:
    """Whether the letter decided the item's primary otherwise than the rules do (then `check`, which judges
    the item with the letter's decision, and `evaluate`, with the rules', can differ on it)."""
    return item.primary_letter_decision is not None and item.primary_engine_decision not in (
        None,
        item.primary_letter_decision,
    )


def evaluation_primary_note(det: Determination, dets: dict[str, Determination]) -> str | None:
    """For a dependent item whose primary (an item of the same case) the rules decide otherwise than the
    letter did: `evaluate` judges it with the rules' decision, `check` with the letter's; said in one
    phrase, else None. `dets`: the case's determinations by item name."""
    primary = dets.get(det.primary or "")
    if primary is None or primary.letter_decision is None or primary.outcome == primary.letter_decision:
        return None
    return (
        f"judged with its primary '{det.primary}' as the rules decide it ({primary.outcome}); the letter decided "
        f"it {primary.letter_decision}, and `imr-rules check` judges this item with the letter's decision"
    )


def check_text(result: LetterCheck, explain: bool = False, width: int = TEXT_WIDTH, color: bool = False) -> str:
    """A letter's check for people: its verdict, its own findings, then one line per item (letter's
    decision, engine's, verdict and finding codes, the decisive criterion; cut to `width`). `explain`
    gives each item's findings with their evidence and every rule's criteria tree instead."""
    counts = _counts(result.findings)
    lines = [f"{result.source}: {verdict(result.verdict)}" + (f" ({counts})" if counts else "")]
    unchecked = unchecked_note(result)
    if unchecked:
        lines[0] += f"; {unchecked}"
    differ = sum(_differs(item) for item in result.items)
    if differ:
        lines[0] += (
            f"; {differ} item{'s' if differ > 1 else ''} the rules decide the other way, from undocumented "
            "criteria, not a contradiction"
        )
    for f in (f for f in result.findings if f.item is None):
        lines.append(f"  [{f.severity}] {f.code}: {f.message}")
    if explain:
        lines.extend(_check_items_explained(result, width))
    else:
        for item in result.items:
            head = f"  {_MARK[item.verdict]}{item.item}: letter {item.letter_decision or '-'}, engine "
            head += f"{item.engine_decision}: {item_verdict(item)}"
            codes = sorted({f.code for f in item.findings if f.severity != "info"})
            head += f" ({', '.join(codes)})" if codes else ""
            lines.append(_fit(head, *_decisive_parts(item.determination), width=width))
            if _primary_differs(item):
                lines.extend(_wrap(f"       {_primary_note(item)}", max(width, 40)))
    return "\n".join(_colour(lines) if color else lines) + "\n"


def _check_items_explained(result: LetterCheck, width: int) -> list[str]:
    lines: list[str] = []
    seen: dict[tuple[str, ...], int] = {}
    for n, item in enumerate(result.items, 1):
        lines.append(
            f"  {_MARK[item.verdict]}{n}. {item.item}: letter {item.letter_decision or '-'}, engine "
            f"{item.engine_decision}"
            + (f" ({item.determination.rule})" if item.determination.rule else "")
            + f": {item_verdict(item)}"
        )
        note = _primary_note(item)
        if note:
            lines.append(f"      {note}")
        for f in sorted(item.findings, key=lambda f: ("error", "warning", "info").index(f.severity)):
            lines.append(f"      [{f.severity}] {f.code}: {f.message}")
            for ev in f.evidence[:2]:
                lines.append(f"        {_quote(ev)}")
        tree = _determination(n, item.determination, seen)[2:]  # the item's name and outcome are said above
        said = {f"Reason: {f.message.rstrip('.')}" for f in item.findings if f.code == "NOT-GOVERNED"}
        tree = [
            f"   {line}" for line in tree if not line.lstrip().startswith("Determination") and line.strip() not in said
        ]
        lines.extend(w for line in tree for w in _wrap(line, max(width, 40)))
    return lines


def summary_text(summary: CheckSummary, failed: list[tuple[str, str]] | None = None) -> str:
    """The folder's figures for people; `failed`: the files that could not be read, (path, error), listed
    last."""

    def pct(v: float | None) -> str:
        return "n/a" if v is None else f"{100 * v:.1f}%"

    lines = [
        f"letters read: {summary.letters} ({summary.failed} failed)",
        f"items read: {summary.items}",
        f"items a rule governs: {summary.governed} ({pct(summary.coverage)})",
        f"agreement with the letter on governed items: {summary.agree}/{summary.governed} ({pct(summary.agreement)})",
        f"Overturned: letters {summary.letter_overturned}, engine {summary.engine_overturned}, both "
        f"{summary.overturned_both}; recall {pct(summary.overturned_recall)}, precision "
        f"{pct(summary.overturned_precision)}",
        "findings: " + (", ".join(f"{k} {v}" for k, v in summary.findings_by_code.items()) or "none"),
        "findings by severity: " + (", ".join(f"{k} {v}" for k, v in summary.findings_by_severity.items()) or "none"),
        f"letters with an error: {len(summary.letters_with_error)} of {summary.letters}",
        *(f"  {source}" for source in summary.letters_with_error),
    ]
    if failed:
        lines.append(f"files that could not be read: {len(failed)}")
        lines.extend(f"  {error}" if error.startswith(path) else f"  {path}: {error}" for path, error in failed)
    return "\n".join(lines) + "\n"


# Colours meet WCAG AA (4.5:1) for their text on their background; severity also shows as a word.
_CSS = """
body{font-family:system-ui,sans-serif;margin:1rem auto;padding:0 1rem;max-width:70rem;color:#1a1a1a;line-height:1.4}
h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #bbb}
.verdict{font-size:.9rem;padding:.1rem .5rem;border-radius:4px;margin-left:.5rem}
.sev-error{color:#9c1c13;background:#fdecea}.sev-warning{color:#6b4200;background:#fff4e0}
.sev-info,.sev-none{color:#1b5e20;background:#edf7ee}.sev-unchecked{color:#4a4a4a;background:#f2f2f2}
.muted{color:#4a4a4a}
.item{border:1px solid #ccc;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.finding{margin:.3rem 0;padding:.3rem .6rem;border-left:4px solid}
.finding.error{border-color:#9c1c13;background:#fdecea}.finding.warning{border-color:#6b4200;background:#fff4e0}
.finding.info{border-color:#4a4a4a;background:#f2f2f2}
ul.crit{list-style:none;padding-left:1.2rem} ul.crit li{margin:.15rem 0}
.met{color:#1b5e20}.not_met{color:#9c1c13}.not_documented{color:#6b4200}
mark{background:#fff3a0;color:#1a1a1a} blockquote{margin:.2rem 0 .2rem 1.5rem;color:#333}
.summary{white-space:pre-wrap;background:#fafafa;padding:.6rem;border:1px solid #ddd}
details summary{cursor:pointer;color:#333} pre{white-space:pre-wrap;overflow-wrap:anywhere}
"""
_ICON = {"met": "&#10003;", "not_met": "&#10007;", "not_documented": "?"}
_SEVERITY_WORD = {"error": "error", "warning": "warning", "info": "note"}


_VERDICT_CLASS: dict[Verdict, str] = {
    "inconsistent": "sev-error",
    "warnings": "sev-warning",
    "consistent": "sev-none",
    "not_checked": "sev-unchecked",
}


def _verdict_html(value: Verdict) -> str:
    return f"<span class='verdict {_VERDICT_CLASS[value]}'>{verdict(value)}</span>"


def _escape(text: str) -> str:
    """`html.escape` (quotes included), imported on first use: only the HTML views need it."""
    from html import escape

    return escape(text)


def check_html(
    results: list[LetterCheck], summary: CheckSummary | None = None, failed: list[tuple[str, str]] | None = None
) -> str:
    """A self-contained HTML report (one file, no network): the files that could not be read (`failed`:
    path and error, first, so a partial report says it is one), verdicts by severity, the decisive criteria
    first with their evidence highlighted, the rest folded."""
    title = f"imr-rules check: {results[0].case}" if len(results) == 1 else f"imr-rules check: {len(results)} letters"
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{_escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_escape(title)}</h1>",
    ]
    if failed:
        out.append(
            f"<h2 id='failed'>Files that could not be read ({len(failed)})</h2>"
            "<p>These files are not in this report; each line says why.</p><ul>"
        )
        out.extend(f"<li class='finding error'>{_escape(error)}</li>" for _, error in failed)
        out.append("</ul>")
    if summary is not None:
        out.append(f"<pre>{_escape(summary_text(summary))}</pre>")
        out.append(f"<h2>Outcomes per service</h2>{outcomes_chart(results)}")
        flagged = [(n, r) for n, r in enumerate(results) if r.severity in ("error", "warning")]
        if flagged:
            out.append("<h2>Letters with findings</h2><ul>")
            out.extend(
                f"<li><a href='#letter-{n}'>{_escape(r.case)}</a> {_verdict_html(r.verdict)} "
                f"<span class='muted'>{_counts(r.findings)}</span></li>"
                for n, r in sorted(flagged, key=lambda nr: (nr[1].severity != "error", nr[0]))
            )
            out.append("</ul>")
    rank = {"error": 0, "warning": 1}
    for n, result in sorted(enumerate(results), key=lambda nr: (rank.get(nr[1].severity or "", 2), nr[0])):
        out.append(f"<h2 id='letter-{n}'>{_escape(result.case)} {_verdict_html(result.verdict)}</h2>")
        out.append(f"<p class='muted'>{_escape(result.source)}</p>")
        if unchecked_note(result):
            out.append(f"<p class='muted'>{_escape(unchecked_note(result).capitalize())}.</p>")
        out.extend(_finding_html(f) for f in result.findings if f.item is None)
        for item in result.items:
            out.append(_item_html(item))
        if result.summary:
            out.append("<details><summary>Clinical case summary (evidence marked)</summary>")
            out.append(f"<div class='summary'>{_highlight(result)}</div></details>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


OUTCOME_COLOURS = {"Upheld": "#4a5a6e", "Overturned": "#1b5e20", "Undetermined": "#8a6d00"}
"""Bar colours of the outcomes chart (each at least 4.5:1 against white, so the counts read on them too)."""
CHART_ROWS = 12
"""At most this many categories get a row of their own; the rest are summed as 'other services'."""


def outcomes_chart(results: list[LetterCheck]) -> str:
    """Inline SVG (no script, no network): per service category (the item's service; the less frequent
    ones summed as 'other services'), a bar of the letters' decisions above a bar of the engine's, each
    split by outcome with its count, and how many items agree. Empty for no items."""
    rows: dict[str, list[ItemCheck]] = {}
    for result in results:
        for item in result.items:
            rows.setdefault(item.service or "unclassified", []).append(item)
    if not rows:
        return ""
    ranked = sorted(rows.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if len(ranked) > CHART_ROWS:
        rest = [i for _, items in ranked[CHART_ROWS - 1 :] for i in items]
        ranked = [*ranked[: CHART_ROWS - 1], (f"other services ({len(ranked) - CHART_ROWS + 1})", rest)]
    most = max(len(items) for _, items in ranked)
    label_w, bar_w, row_h, top = 200, 330, 44, 34
    width, height = label_w + bar_w + 110, top + row_h * len(ranked) + 6
    scale = bar_w / most
    out = [
        f"<svg class='chart' viewBox='0 0 {width} {height}' width='100%' style='max-width:{width}px' role='img' "
        "aria-labelledby='chart-title' font-family='system-ui,sans-serif' "
        "font-size='12'><title id='chart-title'>Outcomes per service: the letters' decisions and the "
        "engine's</title>"
    ]
    x = label_w
    for outcome, colour in OUTCOME_COLOURS.items():
        out.append(f"<rect x='{x}' y='8' width='12' height='12' fill='{colour}'/>")
        out.append(f"<text x='{x + 16}' y='18'>{outcome}</text>")
        x += 16 + 8 * len(outcome) + 14
    for n, (category, items) in enumerate(ranked):
        y = top + n * row_h
        agree = sum(i.letter_decision == i.engine_decision for i in items if i.letter_decision)
        decided = sum(1 for i in items if i.letter_decision)
        out.append(f"<text x='0' y='{y + 15}' font-weight='bold'>{_escape(category[:28])}</text>")
        counted = f"{len(items)} item{'' if len(items) == 1 else 's'}, agree {agree}/{decided}"
        out.append(f"<text x='0' y='{y + 31}' fill='#4a4a4a'>{counted}</text>")
        bars: list[tuple[str, list[str | None]]] = [
            ("letter", [i.letter_decision for i in items]),
            ("engine", [i.engine_decision for i in items]),
        ]
        for k, (who, decisions) in enumerate(bars):
            bar_y = y + 3 + k * 17
            out.append(f"<text x='{label_w - 4}' y='{bar_y + 11}' text-anchor='end' fill='#4a4a4a'>{who}</text>")
            x0 = float(label_w)
            for outcome, colour in OUTCOME_COLOURS.items():
                count = sum(d == outcome for d in decisions)
                if not count:
                    continue
                w = count * scale
                out.append(
                    f"<rect x='{x0:.1f}' y='{bar_y}' width='{w:.1f}' height='14' fill='{colour}'>"
                    f"<title>{_escape(category)}: {who} {outcome} {count}</title></rect>"
                )
                if w >= 18:
                    out.append(
                        f"<text x='{x0 + w / 2:.1f}' y='{bar_y + 11}' text-anchor='middle' fill='#fff'>{count}</text>"
                    )
                x0 += w
            shown = sum(d in OUTCOME_COLOURS for d in decisions)
            if shown < len(decisions):
                out.append(
                    f"<text x='{x0 + 4:.1f}' y='{bar_y + 11}' fill='#4a4a4a'>{len(decisions) - shown} none</text>"
                )
    out.append("</svg>")
    return "".join(out)


def _highlight(result: LetterCheck) -> str:
    """The summary with every evidence sentence the engine used marked."""
    assert result.summary is not None
    spans: list[tuple[int, int]] = []
    for item in result.items:
        for crit in item.determination.criteria:
            for fact in crit.facts:
                for ev in fact.evidence:
                    if ev.start is not None and ev.end is not None and ev.section == "summary":
                        spans.append((ev.start - result.summary_start, ev.end - result.summary_start))
    text = result.summary
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(set(spans)):
        if start < pos or start < 0 or end > len(text):
            continue
        pieces.append(_escape(text[pos:start]))
        pieces.append(f"<mark>{_escape(text[start:end])}</mark>")
        pos = end
    pieces.append(_escape(text[pos:]))
    return "".join(pieces)


def _evidence_html(ev: Evidence) -> str:
    if ev.section in NOT_QUOTED:
        return f"<blockquote class='muted'>({_escape(ev.quote)})</blockquote>"
    return f"<blockquote><mark>{_escape(ev.quote)}</mark></blockquote>"


def _finding_html(f: Finding) -> str:
    quotes = "".join(_evidence_html(e) for e in f.evidence[:3])
    return (
        f"<div class='finding {f.severity}'><b>{_SEVERITY_WORD[f.severity]}</b> {_escape(f.code)}: "
        f"{_escape(f.message)}{quotes}</div>"
    )


def _criterion_html(crit: CriterionResult, depth: int, word: str | None = None) -> str:
    quotes = "".join(
        ("<i class='muted'>inferred, not stated: check it</i>" if f.inferred and not k else "") + _evidence_html(e)
        for f in crit.facts
        for k, e in enumerate(f.evidence)
    )
    missing = (
        f" <span class='muted'>fact {_escape(crit.fact)}: not documented</span>" if crit.fact and not crit.facts else ""
    )
    return (
        f"<li class='{crit.status}' style='margin-left:{depth * 1.2}rem'>{_ICON[crit.status]} "
        f"{_escape(crit.text)} <i>({word or crit.status.replace('_', ' ')})</i>{missing}{quotes}</li>"
    )


def _deciding_html(det: Determination) -> str:
    """What decided the item, as the one-line view and the tree say it (`explain.deciding_criteria`):
    each deciding criterion, then the decisive facts under it with their evidence."""
    from imr_rules.engine.explain import deciding_criteria

    parts: list[str] = []
    for crit in deciding_criteria(det):
        at = det.criteria.index(crit)
        mark = criterion_mark(det, crit)
        word = "applies: excludes the item" if mark == EXCLUDES_MARK else crit.status.replace("_", " ")
        below: list[CriterionResult] = []
        for j in range(at + 1, len(det.criteria)):
            leaf = det.criteria[j]
            if leaf.rule != crit.rule or leaf.depth <= crit.depth:
                break
            if leaf.decisive and leaf.fact is not None:
                parent = next(c for c in reversed(det.criteria[:j]) if c.depth == leaf.depth - 1)
                if parent.kind == "not":  # said as the `not` says it (the item's way round), with the evidence
                    if parent is crit:
                        crit = crit.model_copy(update={"facts": leaf.facts, "fact": leaf.fact})
                        continue
                    leaf = parent.model_copy(update={"facts": leaf.facts, "fact": leaf.fact})
                below.append(leaf)
        parts.append(_criterion_html(crit, 0, word))
        parts.extend(_criterion_html(leaf, 1) for leaf in below)
    return "".join(parts)


def _item_html(item: ItemCheck) -> str:
    det = item.determination
    parts = [
        f"<div class='item'><b>{_escape(item.item)}</b> "
        f"<span class='muted'>[{_escape(item.service or 'unclassified')}]</span> "
        f"{_verdict_html(item.verdict)}<br>",
        f"Letter: <b>{item.letter_decision or '-'}</b> &middot; rules: <b>{item.engine_decision}</b>",
    ]
    note = _primary_note(item)
    if note:
        parts.append(f"<br><span class='muted'>{_escape(note)}</span>")
    if det.basis:
        parts.append(f"<br><span class='muted'>Guideline: {_escape(det.basis)}</span>")
    order = ("error", "warning", "info")
    parts.extend(_finding_html(f) for f in sorted(item.findings, key=lambda f: order.index(f.severity)))
    deciding = _deciding_html(det)
    if deciding:
        parts.append(f"<p>What decided it:</p><ul class='crit'>{deciding}</ul>")
    if det.criteria:
        parts.append(f"<details><summary>Every criterion of the rules in force ({len(det.criteria)})</summary>")
        for applied in det.rules:
            parts.append(f"<p><b>{_escape(applied.title)}</b> ({_escape(applied.citation)})</p><ul class='crit'>")
            parts.extend(_criterion_html(c, c.depth) for c in det.criteria if c.rule == applied.id)
            parts.append("</ul>")
        parts.append("</details>")
    if det.rationale:
        parts.append(f"<p><i>{_escape(det.rationale)}</i></p>")
    parts.append("</div>")
    return "".join(parts)
