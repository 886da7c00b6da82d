"""imr-rules: guideline criteria as YAML rules, compiled into durable-rules, that reproduce and
explain Independent Medical Review determinations.

Library use, without the CLI::

    from imr_rules import load_rules, load_case, evaluate
    library = load_rules("rules")
    result = evaluate(load_case("cases/001_dbfc6dcde667e7b2.yaml", library), library)

The names are imported on first use, so `imr-rules --help` does not pay for pydantic and the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imr_rules.lazy import lazy_getattr

__version__ = "0.1.0"

_LAZY = {
    "ImrError": ".errors",
    "LoadedCase": ".reading.casefile",
    "load_case": ".reading.casefile",
    "evaluate": ".engine.evaluation",
    "RuleLibrary": ".library.loading",
    "load_rules": ".library.loading",
}

if TYPE_CHECKING:
    from imr_rules.engine.evaluation import evaluate
    from imr_rules.errors import ImrError
    from imr_rules.library.loading import RuleLibrary, load_rules
    from imr_rules.reading.casefile import LoadedCase, load_case


__getattr__ = lazy_getattr(__name__, _LAZY)


__all__ = ["ImrError", "LoadedCase", "RuleLibrary", "__version__", "evaluate", "load_case", "load_rules"]
