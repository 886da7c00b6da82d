"""Render evaluations for people (text) and scripts (JSON). Rendering only: no decisions here."""

from __future__ import annotations

import html
import json
from typing import Any

from .models import CheckSummary, Determination, Evaluation, Finding, ItemCheck, LetterCheck

MARK = {"met": "[met]", "not_met": "[NOT MET]", "not_documented": "[not documented]"}


def to_json(evaluation: Evaluation) -> dict[str, Any]:
    return evaluation.model_dump(mode="json")


def render_json(evaluation: Evaluation) -> str:
    return json.dumps(to_json(evaluation), indent=2, ensure_ascii=False) + "\n"


def render_text(evaluation: Evaluation) -> str:
    lines = [f"Case {evaluation.case}" + (f"  ({evaluation.source})" if evaluation.source else "")]
    prov = evaluation.provenance
    day = prov.case_date.isoformat() if prov.case_date else "not documented (every edition considered)"
    lines.append(f"Case date: {day}; rules digest {prov.rules_digest[:12]}; imr-rules {prov.imr_rules_version}")
    for n, det in enumerate(evaluation.determinations, 1):
        lines.append("")
        lines.extend(_determination(n, det))
    return "\n".join(lines) + "\n"


def _determination(n: int, det: Determination) -> list[str]:
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
    if det.outcome == "Undetermined":
        out.append(f"   Reason: {det.reason}")
        return out
    if det.primary:
        out.append(f"   Depends on: {det.primary}")
    for applied in det.rules:
        if applied.effect == "excludes":
            state = "applies: excludes the item" if applied.status == "met" else "does not apply"
        else:
            state = applied.status.replace("_", " ")
        out.append(f"   Rule {applied.id}: {applied.title}  -> {state}")
        out.append(f"     Citation: {applied.citation}")
        for crit in (c for c in det.criteria if c.rule == applied.id):
            indent = "     " + "  " * crit.depth
            flag = "" if crit.decisive else "  (not decisive)"
            cite = f" [{crit.cite}]" if crit.cite else ""
            out.append(f"{indent}{MARK[crit.status]} {crit.text}{cite}{flag}")
            for fact in crit.facts:
                out.append(f"{indent}    fact {fact.name} = {_value(fact.value)}")
                for ev in fact.evidence:
                    out.append(f'{indent}      "{ev.quote}"')
            if crit.test and not crit.facts:
                out.append(f"{indent}    fact {crit.test.split(' ')[0]}: not documented")
    out.append(f"   Rationale: {det.rationale}")
    return out


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
        "items": [
            {
                "item": i.item,
                "service": i.service,
                "letter_decision": i.letter_decision,
                "engine_decision": i.engine_decision,
                "consistent": i.consistent,
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


def check_text(result: LetterCheck) -> str:
    verdict = "consistent" if result.consistent else "INCONSISTENT"
    lines = [f"{result.source}: {verdict}"]
    for f in (f for f in result.findings if f.item is None):
        lines.append(f"  [{f.severity}] {f.code}: {f.message}")
    for item in result.items:
        mark = "ok " if item.consistent else "!! "
        lines.append(
            f"  {mark}{item.item}: letter {item.letter_decision or '-'}, engine {item.engine_decision}"
            + (f" ({item.determination.rule})" if item.determination.rule else "")
        )
        for f in item.findings:
            lines.append(f"      [{f.severity}] {f.code}: {f.message}")
            for ev in f.evidence[:2]:
                lines.append(f'        "{ev.quote}"')
    return "\n".join(lines) + "\n"


def summary_text(summary: CheckSummary) -> str:
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
    ]
    return "\n".join(lines) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
.ok{color:#11662a}.bad{color:#a11}.info{color:#555}
.item{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.finding{margin:.3rem 0;padding:.3rem .6rem;border-left:4px solid #a11;background:#fff4f4}
.finding.warning{border-color:#c80;background:#fffaf0}.finding.info{border-color:#888;background:#f6f6f6}
ul.crit{list-style:none;padding-left:1.2rem} ul.crit li{margin:.15rem 0}
.met{color:#11662a}.not_met{color:#a11}.not_documented{color:#c80}
.nd{opacity:.55} mark{background:#fff3a0} blockquote{margin:.2rem 0 .2rem 1.5rem;color:#444}
.summary{white-space:pre-wrap;background:#fafafa;padding:.6rem;border:1px solid #eee}
"""
_ICON = {"met": "&#10003;", "not_met": "&#10007;", "not_documented": "?"}


def check_html(results: list[LetterCheck], summary: CheckSummary | None = None) -> str:
    """A self-contained HTML report (one file, no network): checklists with evidence highlighted."""
    out = [
        "<!doctype html><html><head><meta charset='utf-8'><title>imr-rules check</title>",
        f"<style>{_CSS}</style></head><body><h1>imr-rules consistency check</h1>",
    ]
    if summary is not None:
        out.append(f"<pre>{html.escape(summary_text(summary))}</pre>")
    for result in results:
        cls = "ok" if result.consistent else "bad"
        verdict = "consistent" if result.consistent else "inconsistent"
        out.append(f"<h2>{html.escape(result.case)} <span class='{cls}'>{verdict}</span></h2>")
        out.append(f"<p class='info'>{html.escape(result.source)}</p>")
        out.extend(_finding_html(f) for f in result.findings if f.item is None)
        if result.summary:
            out.append("<h3>Clinical case summary</h3>")
            out.append(f"<div class='summary'>{_highlight(result)}</div>")
        for item in result.items:
            out.append(_item_html(item))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


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
        pieces.append(html.escape(text[pos:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    pieces.append(html.escape(text[pos:]))
    return "".join(pieces)


def _finding_html(f: Finding) -> str:
    quotes = "".join(f"<blockquote><mark>{html.escape(e.quote)}</mark></blockquote>" for e in f.evidence[:3])
    return (
        f"<div class='finding {f.severity}'><b>{html.escape(f.code)}</b> ({f.severity}): "
        f"{html.escape(f.message)}{quotes}</div>"
    )


def _item_html(item: ItemCheck) -> str:
    det = item.determination
    cls = "ok" if item.consistent else "bad"
    parts = [
        f"<div class='item'><b>{html.escape(item.item)}</b> "
        f"<span class='info'>[{html.escape(item.service or 'unclassified')}]</span><br>",
        f"Letter: <b>{item.letter_decision or '-'}</b> &middot; engine: <b>{item.engine_decision}</b> "
        f"<span class='{cls}'>{'consistent' if item.consistent else 'inconsistent'}</span>",
    ]
    parts.extend(_finding_html(f) for f in item.findings)
    for applied in det.rules:
        parts.append(f"<p><b>{html.escape(applied.title)}</b> ({html.escape(applied.citation)})</p><ul class='crit'>")
        for crit in (c for c in det.criteria if c.rule == applied.id):
            faded = "" if crit.decisive else " nd"
            quotes = "".join(
                f"<blockquote><mark>{html.escape(e.quote)}</mark></blockquote>" for f in crit.facts for e in f.evidence
            )
            parts.append(
                f"<li class='{crit.status}{faded}' style='margin-left:{crit.depth * 1.2}rem'>"
                f"{_ICON[crit.status]} {html.escape(crit.text)} <i>({crit.status.replace('_', ' ')})</i>{quotes}</li>"
            )
        parts.append("</ul>")
    if det.rationale:
        parts.append(f"<p><i>{html.escape(det.rationale)}</i></p>")
    parts.append("</div>")
    return "".join(parts)
