"""HTML for the page: the check report's own renderer (`report.py`) per item, plus what only the page
shows: the letter's text with every evidence sentence marked (decisive ones strongly), what would certify
each Upheld item, and the downloads (data: links, since nothing is kept on the server)."""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass

from imr_rules.models import Evidence, ItemCheck, LetterCheck
from imr_rules.models.certify import Certification, Requirement
from imr_rules.output.report import (
    _CSS,
    _counts,
    _finding_html,
    _item_html,
    _verdict_html,
    check_json,
    outcomes_chart,
    unchecked_note,
)
from imr_rules.serve.uploads import LetterResult, UploadError

CSS = _CSS
"""The check report's stylesheet (WCAG AA colours tested in tests/test_check_calibration.py)."""


@dataclass
class Span:
    start: int
    end: int
    decisive: bool


def _spans(check: LetterCheck, length: int) -> list[Span]:
    """Evidence spans in the letter, decisive where a decisive criterion used them; overlaps dropped."""
    found: dict[tuple[int, int], bool] = {}

    def add(ev: Evidence, decisive: bool) -> None:
        if ev.start is None or ev.end is None or not 0 <= ev.start < ev.end <= length:
            return
        key = (ev.start, ev.end)
        found[key] = found.get(key, False) or decisive

    for item in check.items:
        for crit in item.determination.criteria:
            for fact in crit.facts:
                for ev in fact.evidence:
                    add(ev, crit.decisive)
        for finding in item.findings:
            for ev in finding.evidence:
                add(ev, finding.severity == "error")
    out: list[Span] = []
    pos = 0
    for (start, end), decisive in sorted(found.items()):
        if start < pos:
            continue
        out.append(Span(start, end, decisive))
        pos = end
    return out


def letter_html(result: LetterResult, n: int, open_text: bool = False) -> str:
    """The letter's text with the evidence marked; each mark has an id so a quote can link to it."""
    if result.text is None:
        return ""
    text = result.text
    spans = _spans(result.check, len(text))
    shown = _single_spaced if _double_spaced(text) else html.escape
    pieces: list[str] = []
    pos = 0
    for k, span in enumerate(spans):
        pieces.append(shown(text[pos : span.start]))
        cls = " class='decisive'" if span.decisive else ""
        pieces.append(f"<mark id='ev-{n}-{k}'{cls}>{shown(text[span.start : span.end])}</mark>")
        pos = span.end
    pieces.append(shown(text[pos:]))
    decisive = sum(s.decisive for s in spans)
    unfolded = " open" if open_text else ""
    return (
        f"<details class='letter-text'{unfolded}><summary>The letter, with its evidence marked "
        f"({len(spans)} sentences; {decisive} decisive, marked <mark class='decisive'>like this</mark>)</summary>"
        f"<div class='text'>{''.join(pieces)}</div></details>"
    )


_BLANK_PAIR = re.compile(r"\n[ \t]*\n")


def _double_spaced(text: str) -> bool:
    """Letters converted from PDF often put a blank line after every line of text."""
    lines = text.count("\n")
    return lines > 10 and len(_BLANK_PAIR.findall(text)) > 0.4 * lines


def _single_spaced(text: str) -> str:
    """Each blank line after a line of text taken out (a paragraph break keeps one)."""
    return html.escape(_BLANK_PAIR.sub("\n", text))


def certify_html(found: Certification) -> str:
    """What would certify an Upheld item, rule by rule, in plain words with the guideline citation."""
    parts = ["<div class='certify'><h4>What would certify it</h4>"]
    for change in found.changes:
        if change.effect == "excludes":
            lead = "This exclusion applies; it would have to not apply"
        elif change.correction_needed:
            lead = "A criterion is documented the other way, so more documentation alone is not enough; it needs"
        else:
            lead = "The letter would need to document"
        parts.append(
            f"<p><b>{html.escape(change.title)}</b> <span class='cite'>({html.escape(change.citation)})</span><br>"
            f"{lead}:</p>"
        )
        if not change.paths:
            parts.append("<p class='muted'>No combination of facts satisfies this rule as written.</p>")
            continue
        # requirements every alternative shares are listed once; then what differs, as "one of"
        shared = [r for r in change.paths[0].requirements if all(r in p.requirements for p in change.paths)]
        rest = [[r for r in p.requirements if r not in shared] for p in change.paths]
        parts.append("<ul>" + "".join(_requirement_html(r) for r in shared))
        rest = [r for r in rest if r]
        if len(rest) == 1:
            parts.append("".join(_requirement_html(r) for r in rest[0]))
        elif rest:
            parts.append(f"<li>{'and one of' if shared else 'one of'}:<ul class='alternatives'>")
            parts.extend("<li>" + "; and ".join(_requirement_text(r) for r in reqs) + "</li>" for reqs in rest)
            parts.append("</ul></li>")
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _requirement_text(req: Requirement) -> str:
    was = ""
    if req.documented is not None:
        was = f" <span class='was'>(the letter documents: {html.escape(_value(req.documented))})</span>"
    return f"{html.escape(req.text)}{was}"


def _requirement_html(req: Requirement) -> str:
    return f"<li>{_requirement_text(req)}</li>"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value).replace("_", " ")


def _download(label: str, filename: str, mime: str, text: str) -> str:
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f"<a class='button' download='{html.escape(filename)}' href='data:{mime};charset=utf-8;base64,{data}'>"
        f"{html.escape(label)}</a>"
    )


def result_html(result: LetterResult, n: int, open_text: bool = False) -> str:
    """One letter: verdict, downloads, letter-level findings, then each item (decisive criteria first, the
    full checklist folded, what would certify it), then the letter's text with the evidence marked (unfolded
    when `open_text`: the page shows one letter)."""
    check = result.check
    stem = result.file.rsplit(".", 1)[0]
    counts = _counts(check.findings)
    kind = "letter" if result.kind == "letter" else "case file"
    out = [
        f"<section class='letter' id='letter-{n}' aria-labelledby='letter-{n}-h'>",
        f"<h2 id='letter-{n}-h'>{html.escape(result.file)} {_verdict_html(check.verdict)}</h2>",
        f"<p class='muted'>{kind} · case {html.escape(check.case)} · {len(check.items)} item"
        f"{'' if len(check.items) == 1 else 's'}{' · ' + counts if counts else ''}"
        f"{' · ' + html.escape(unchecked_note(check)) if unchecked_note(check) else ''}</p>",
        "<p class='downloads'>",
        _download("Download the check (JSON)", f"{stem}.check.json", "application/json", _json(check)),
        _download("Download the case file (YAML)", f"{stem}.yaml", "application/yaml", result.case_yaml),
        "</p>",
    ]
    out.extend(_finding_html(f) for f in check.findings if f.item is None)
    for item in check.items:
        block = _item_html(_quoted_once(item))
        found = result.certify.get(item.item)
        if found is not None:
            assert block.endswith("</div>")
            block = block[: -len("</div>")] + certify_html(found) + "</div>"
        out.append(block)
    out.append(letter_html(result, n, open_text))
    out.append("</section>")
    return "\n".join(out)


def _quoted_once(item: ItemCheck) -> ItemCheck:
    """The item with each fact's evidence quoted once (a sentence the summary and the rationale repeat is
    shown once under its criterion; the letter's text still marks both places)."""
    criteria = []
    for crit in item.determination.criteria:
        facts = []
        for fact in crit.facts:
            kept: list[Evidence] = []
            for ev in fact.evidence:
                if all(ev.quote != k.quote for k in kept):
                    kept.append(ev)
            facts.append(fact.model_copy(update={"evidence": kept}))
        criteria.append(crit.model_copy(update={"facts": facts}))
    det = item.determination.model_copy(update={"criteria": criteria})
    return item.model_copy(update={"determination": det})


def _json(check: LetterCheck) -> str:
    return json.dumps(check_json(check), indent=2, ensure_ascii=False) + "\n"


def index_html(results: list[LetterResult]) -> str:
    """A table of the letters checked, the flagged ones linked, errors first; then the chart of outcomes
    per service (report.outcomes_chart)."""
    if len(results) < 2:
        return ""
    rows = []
    order = {"error": 0, "warning": 1, "info": 2, None: 3}
    for n, r in sorted(enumerate(results), key=lambda nr: (order[nr[1].check.severity], nr[0])):
        rows.append(
            f"<tr><td><a href='#letter-{n}'>{html.escape(r.file)}</a></td><td>{_verdict_html(r.check.verdict)}</td>"
            f"<td>{len(r.check.items)}</td><td>{_counts(r.check.findings) or 'none'}</td></tr>"
        )
    return (
        "<table class='index'><caption>Letters checked</caption><thead><tr><th scope='col'>File</th>"
        "<th scope='col'>Verdict</th><th scope='col'>Items</th><th scope='col'>Findings</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<section class='outcomes'><h2>Outcomes per service</h2>{outcomes_chart([r.check for r in results])}</section>"
    )


def errors_html(errors: list[UploadError]) -> str:
    if not errors:
        return ""
    lines = "".join(
        f"<li>{html.escape(e.error)}</li>"
        if e.error.startswith(e.file)
        else f"<li>{html.escape(e.file)}: {html.escape(e.error)}</li>"
        for e in errors
    )
    return f"<div class='finding error' role='alert'><b>Could not read</b><ul>{lines}</ul></div>"
