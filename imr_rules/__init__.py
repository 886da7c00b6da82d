"""imr-rules: guideline criteria as YAML rules, compiled into durable-rules, that reproduce and
explain Independent Medical Review determinations.

Library use, without the CLI::

    from imr_rules import load_rules, load_case, evaluate
    library = load_rules("rules")
    result = evaluate(load_case("cases/001_dbfc6dcde667e7b2.yaml", library), library)
"""

__version__ = "0.1.0"

from .casefile import LoadedCase, load_case
from .errors import ImrError
from .evaluate import evaluate
from .library import RuleLibrary, load_rules

__all__ = ["ImrError", "LoadedCase", "RuleLibrary", "__version__", "evaluate", "load_case", "load_rules"]
