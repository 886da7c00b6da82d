"""Expand the Postsurgical Treatment Guidelines' table (`postsurgical-table.yaml`) into rules.

Each condition of the table becomes one rule in the ordinary rule language (so routing, the compiler,
explanations, coverage, `imr-rules test`, the catalog and the docs treat it like any rule file); each of
its procedure rows becomes one branch, criterion by criterion:

    <key>_course            the row: general course, initial course, period (any_of)
      <key>_initial           requested_visits <= initial course
      <key>_subsequent        a subsequent course (all_of)
        <key>_prior_course      prior_course_completed == true (applicability)
        <key>_requested_within_general   requested_visits <= general course
        <key>_functional_improvement     functional_improvement_from_prior == true
        <key>_total             treatment_visits_total <= general course

A condition with several rows puts them under `within_course` (any_of), each row an all_of of
`after_<key>` (primary_procedure, applicability) and `<key>_course_kind` (the any_of above).
`TableRuleDocument` locates a generated rule's problems at its condition or row in the table file.
"""

from __future__ import annotations

from typing import Any

from imr_rules.models.postsurgical import PostsurgicalCondition, PostsurgicalRow, PostsurgicalTable
from imr_rules.sources import Path_, YamlDocument

TABLE_FILE = "postsurgical-table.yaml"
SECTION = "General course, initial course and subsequent course of therapy"
_VISITS_ASKED = "the number of post-operative visits requested is not specified"


def _course_text(row: PostsurgicalRow) -> str:
    return (
        f"{row.procedure}: general course {row.general_course}, initial course {row.initial_visits} visits, "
        f"postsurgical physical medicine treatment period {row.period_months} months."
    )


def _course_kinds(row: PostsurgicalRow) -> list[dict[str, Any]]:
    """The initial course and the subsequent course of a row (the any_of's two children)."""
    k, general, initial, after = row.key, row.general_visits, row.initial_visits, row.surgery
    return [
        {
            "id": f"{k}_initial",
            "text": f"At most {initial} visits are requested (the initial course).",
            "fact": "requested_visits",
            "op": "<=",
            "value": initial,
            "met_text": f"the {{value}} visits requested are within the initial course of {initial} visits "
            f"after {after}",
            "not_met_text": f"the {{value}} visits requested exceed the initial course of {initial} visits "
            f"after {after}",
            "not_documented_text": _VISITS_ASKED,
        },
        {
            "id": f"{k}_subsequent",
            "text": "A subsequent course: functional improvement from the prior post-operative visits, and at most "
            f"{general} visits in all.",
            "all_of": [
                {
                    "id": f"{k}_prior_course",
                    "text": "Post-operative therapy was already given after this surgery.",
                    "fact": "prior_course_completed",
                    "op": "==",
                    "value": True,
                    "applicability": True,
                },
                {
                    "id": f"{k}_requested_within_general",
                    "text": f"At most {general} visits are requested (no request exceeds the general course).",
                    "fact": "requested_visits",
                    "op": "<=",
                    "value": general,
                    "met_text": f"the {{value}} visits requested are within the general course of {general} visits",
                    "not_met_text": f"the {{value}} visits requested exceed the general course of {general} visits "
                    f"after {after}",
                    "not_documented_text": _VISITS_ASKED,
                },
                {
                    "id": f"{k}_functional_improvement",
                    "text": "Functional improvement from the prior visits is documented (8 CCR 9792.20).",
                    "fact": "functional_improvement_from_prior",
                    "op": "==",
                    "value": True,
                    "met_text": "the prior post-operative therapy produced functional improvement",
                    "not_met_text": "the prior post-operative therapy did not produce functional improvement",
                    "not_documented_text": "there is no documentation of functional improvement from the prior "
                    "post-operative therapy",
                },
                {
                    "id": f"{k}_total",
                    "text": f"Prior and requested visits together are at most {general} (the general course).",
                    "fact": "treatment_visits_total",
                    "op": "<=",
                    "value": general,
                    "met_text": f"the {{value}} visits in total are within the general course of {general} visits",
                    "not_met_text": "the {value} visits in total would exceed the general course of "
                    f"{general} visits",
                    "not_documented_text": "the total number of post-operative visits, prior and requested, is not "
                    "documented",
                },
            ],
        },
    ]


def _criteria(condition: PostsurgicalCondition) -> dict[str, Any]:
    rows = condition.rows
    if len(rows) == 1:
        row = rows[0]
        return {"id": f"{row.key}_course", "text": _course_text(row), "any_of": _course_kinds(row)}
    branches = []
    for row in rows:
        values = row.procedures
        which: dict[str, Any] = (
            {"op": "in", "value": list(values)} if len(values) > 1 else {"op": "==", "value": values[0]}
        )
        branches.append(
            {
                "id": f"{row.key}_course",
                "text": _course_text(row),
                "all_of": [
                    {
                        "id": f"after_{row.key}",
                        "text": f"The surgery is {row.surgery}.",
                        "fact": "primary_procedure",
                        **which,
                        "applicability": True,
                    },
                    {
                        "id": f"{row.key}_course_kind",
                        "text": "An initial course, or a subsequent course after functional improvement within the "
                        "general course.",
                        "any_of": _course_kinds(row),
                    },
                ],
            }
        )
    return {
        "id": "within_course",
        "text": "The requested visits are within the initial course for the surgery, or a subsequent course is "
        "justified.",
        "any_of": branches,
    }


def _summary(table: PostsurgicalTable, condition: PostsurgicalCondition) -> str:
    courses = "; ".join(
        f"{row.general_course} after {row.surgery}, initial course {row.initial_visits} visits, within a "
        f"{row.period_months}-month postsurgical physical medicine treatment period"
        for row in condition.rows
    )
    return (
        f"The {table.source} {table.guideline} give {courses}. The initial course is one half of the general "
        "course; a subsequent course, up to the general course, requires documented functional improvement."
    )


def _notes(table: PostsurgicalTable, condition: PostsurgicalCondition) -> str:
    parts = [table.notes.strip()]
    if condition.notes:
        parts.append(condition.notes.strip())
    for row in condition.rows:
        line = f"Row '{row.procedure}' ({row.general_course}, initial {row.initial_visits}, period "
        line += f"{row.period_months} months): source {row.source.strip()}"
        parts.append(line + (f" {row.notes.strip()}" if row.notes else ""))
    return " ".join(parts)


def rule_data(table: PostsurgicalTable, condition: PostsurgicalCondition) -> dict[str, Any]:
    """The rule a condition of the table becomes, as the data of a rule file (validated by `Rule`)."""
    procedures = sorted({value for row in condition.rows for value in row.procedures})
    return {
        "id": f"{table.rule_prefix}{condition.id}",
        "title": f"Postsurgical physical medicine, {condition.title}",
        "source": table.source,
        "guideline": table.guideline,
        "chapter": f"{table.citation}: {condition.body_part}, {condition.condition}",
        "section": table.section,
        "edition": table.edition,
        "effective": table.effective.model_dump(by_alias=True),
        "governs": list(table.governs),
        "regions": [condition.region],
        "procedures": procedures,
        "postsurgical": True,
        "confidence": table.confidence,
        "criteria": _criteria(condition),
        "rationale": {
            "summary": _summary(table, condition),
            "not_met": "Therefore, the request is not medically necessary.",
        },
        "notes": _notes(table, condition),
    }


# a generated rule's top-level keys -> where the table file says it (a condition's key, else the table's)
_CONDITION_KEYS = {"id": "id", "title": "title", "chapter": "condition", "regions": "body_part", "notes": "notes"}
_TABLE_KEYS = {"source", "guideline", "section", "edition", "effective", "governs", "confidence"}


class TableRuleDocument(YamlDocument):
    """A rule generated from one condition of the table: its data, with every position read from the
    table file (a criterion's at its row, a key of the rule at the condition or table key it comes from)."""

    def __init__(self, table_doc: YamlDocument, index: int, data: dict[str, Any], rows: list[PostsurgicalRow]) -> None:
        super().__init__(table_doc.path, data, positions={})
        self.table_doc = table_doc
        self.base: tuple[str | int, ...] = ("conditions", index)
        self.rows = rows

    def _row(self, loc: tuple[Any, ...]) -> int | None:
        if loc[:1] == ("procedures",) and len(loc) > 1 and isinstance(loc[1], int):
            value = self.data["procedures"][loc[1]] if loc[1] < len(self.data["procedures"]) else None
            return next((j for j, row in enumerate(self.rows) if value in row.procedures), None)
        if loc[:1] != ("criteria",):
            return None
        if len(self.rows) == 1:
            return 0
        return loc[2] if len(loc) > 2 and isinstance(loc[2], int) else None

    def where(self, loc: Path_) -> tuple[int | None, int | None]:
        at = tuple(loc)
        row = self._row(at)
        if row is not None:
            return self.table_doc.where((*self.base, "rows", row))
        if at and at[0] in _CONDITION_KEYS:
            return self.table_doc.where((*self.base, _CONDITION_KEYS[str(at[0])]))
        if at and at[0] in _TABLE_KEYS:
            return self.table_doc.where(at)
        return self.table_doc.where(self.base)
