"""What the JSON API of `imr-rules serve` answers (the shapes its OpenAPI page documents)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from imr_rules.models.case import Decision
from imr_rules.models.certify import Certification
from imr_rules.models.results import CriterionResult, Evaluation, Finding, Outcome, Severity, Verdict


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileError(_Out):
    """A file that could not be read, or a request that could not be served: one line."""

    file: str | None = Field(description="The file's name as uploaded (None: the request as a whole).")
    error: str


class ItemOut(_Out):
    """One item of a checked letter (as `imr-rules check --format json` gives it)."""

    item: str
    service: str | None
    letter_decision: Decision | None
    engine_decision: Outcome
    consistent: bool
    verdict: Verdict = Field(
        description="inconsistent, not_checked (the rules do not decide the item, or the letter gives no decision: "
        "neither confirmed nor contradicted), warnings, or consistent."
    )
    findings: list[Finding]
    rule: str | None
    criteria: list[CriterionResult]
    rationale: str


class LetterOut(_Out):
    """One checked letter or case file."""

    file: str = Field(description="The name the file was uploaded as.")
    kind: str = Field(description="letter, or case (a case file, checked with its letter when uploaded with it).")
    source: str
    case: str
    consistent: bool = Field(description="True unless a finding of severity error was made.")
    verdict: Verdict = Field(
        description="inconsistent, not_checked (the rules decide none of its items), warnings, or consistent."
    )
    severity: Severity | None = Field(description="The most severe finding: error, warning, info (None: none).")
    items: list[ItemOut]
    findings: list[Finding]
    certify: dict[str, Certification] = Field(description="Item -> what would certify it (Upheld items).")
    case_file: str = Field(description="The case file (YAML): read from the letter, or the uploaded case.")


class CheckResponse(_Out):
    letters: list[LetterOut]
    errors: list[FileError]


class EvaluationOut(Evaluation):
    file: str = Field(description="The name the file was uploaded as.")


class EvaluateResponse(_Out):
    evaluations: list[EvaluationOut]
    errors: list[FileError]


class ErrorResponse(_Out):
    errors: list[FileError]
