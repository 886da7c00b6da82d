"""JSON Schemas for rule, case, fact and service files, generated from the pydantic models.

An editor with a YAML language server completes and checks a file against them (modeline
`# yaml-language-server: $schema=rule.schema.json`). They are generated, never written by hand, so they
follow the models. Two things pydantic cannot see are added afterwards, both small and keyed by the
model names (a rename fails loudly here rather than drifting):

- the short forms the case model's before-validators accept: a fact written as a bare value
  (`age: 39`), and evidence as one string or one quote object instead of a list;
- optionally (`vocabulary=`), the library's declared fact names and service ids as enums, so the editor
  can complete them and flag a misspelling as you type.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel

from imr_rules.library.loading import RuleLibrary
from imr_rules.models import FILE_KINDS, Case, FactVocabulary, Rule, ServiceVocabulary
from imr_rules.models.postsurgical import PostsurgicalTable

KINDS: dict[str, tuple[type[BaseModel], str]] = dict(
    zip(
        FILE_KINDS,
        (
            (Rule, "An imr-rules guideline rule (one file under rules/)"),
            (Case, "An imr-rules case file (the facts a letter documents and the items it decides)"),
            (FactVocabulary, "The imr-rules fact vocabulary (rules/facts.yaml)"),
            (ServiceVocabulary, "The imr-rules service vocabulary (rules/services.yaml)"),
            (
                PostsurgicalTable,
                "The MTUS Postsurgical Treatment Guidelines' table (rules/physical-medicine/postsurgical-table.yaml)",
            ),
        ),
        strict=True,
    )
)
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: str, vocabulary: RuleLibrary | None = None) -> dict[str, Any]:
    """The JSON Schema of one kind of file; with `vocabulary`, fact and service names become enums."""
    if kind not in KINDS:
        raise ValueError(f"unknown schema kind '{kind}' (one of {', '.join(KINDS)})")
    model, title = KINDS[kind]
    schema = copy.deepcopy(model.model_json_schema(by_alias=True, mode="validation"))
    schema = {"$schema": DIALECT, "title": title, **{k: v for k, v in schema.items() if k != "title"}}
    if kind == "case":
        _case_short_forms(schema)
    if vocabulary is not None:
        _vocabulary(kind, schema, vocabulary)
    return schema


def render(kind: str, vocabulary: RuleLibrary | None = None) -> str:
    return json.dumps(json_schema(kind, vocabulary), indent=2, ensure_ascii=False) + "\n"


def _case_short_forms(schema: dict[str, Any]) -> None:
    """Accept what `FactValue._one_or_many` and `models.case._coerce_fact` accept before validation."""
    defs = schema["$defs"]
    evidence_ref = {"$ref": "#/$defs/Evidence"}
    one = {"anyOf": [{"type": "string"}, evidence_ref]}
    evidence = defs["FactValue"]["properties"]["evidence"]
    defs["FactValue"]["properties"]["evidence"] = {
        **{k: v for k, v in evidence.items() if k not in ("items", "type")},
        "anyOf": [one["anyOf"][0], evidence_ref, {"type": "array", "items": one}],
    }
    # a fact is either the long form (an object with 'value') or any bare value that is not such an object
    fact = {
        "anyOf": [
            {"$ref": "#/$defs/FactValue"},
            {"not": {"type": "object", "required": ["value"]}},
        ]
    }
    for facts in (schema["properties"]["facts"], defs["CaseItem"]["properties"]["facts"]):
        patterns = facts["patternProperties"]
        (pattern,) = patterns
        patterns[pattern] = fact
        facts["additionalProperties"] = False


def _vocabulary(kind: str, schema: dict[str, Any], library: RuleLibrary) -> None:
    facts = sorted(library.facts)
    services = sorted(library.services)
    defs = schema.get("$defs", {})
    if kind == "rules":
        _restrict(defs["FactCriterion"]["properties"]["fact"], facts)
        schema["properties"]["governs"]["items"]["enum"] = services
    elif kind == "case":
        for holder in (schema["properties"]["facts"], defs["CaseItem"]["properties"]["facts"]):
            holder["propertyNames"] = {"enum": facts}
        _restrict(defs["CaseItem"]["properties"]["service"], services)


def _restrict(prop: dict[str, Any], names: list[str]) -> None:
    """Add an enum to the string branch of an optional string property."""
    for branch in prop.get("anyOf", [prop]):
        if branch.get("type") == "string":
            branch["enum"] = names
