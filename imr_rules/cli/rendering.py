"""The evaluate formats applied in the worker process (batch.Rendering), so only text crosses the process
boundary. Imported by `evaluate` over many files only (it imports batch)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from imr_rules.cli import formats
from imr_rules.output.batch import Rendering

if TYPE_CHECKING:
    from imr_rules.models import Evaluation


@dataclass(frozen=True)
class FormatRendering(Rendering):
    """One evaluation through `formats.EVALUATE[fmt]` as `run` says (one-line or --explain text, JSON, JSON
    lines); a JSON list entry comes without its separator (the writer adds it: `formats.Format.rendered`)."""

    run: formats.Run = field(default_factory=formats.Run)

    def __call__(self, evaluation: Evaluation) -> str:
        buffer = io.StringIO()
        formats.EVALUATE[self.fmt](self.run).result(buffer, evaluation)
        return buffer.getvalue()
