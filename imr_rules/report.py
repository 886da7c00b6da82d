"""Render evaluations for people (text) and scripts (JSON). Rendering only: no decisions here."""

from __future__ import annotations

import json
from typing import Any

from .models import Determination, Evaluation

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
        out.append(f"   Rule {applied.id}: {applied.title}  -> {applied.status.replace('_', ' ')}")
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
