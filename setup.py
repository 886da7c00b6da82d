"""Build steps pyproject.toml cannot declare: durable-rules' C engine, and the rule library as package data.

- The engine: durable-rules 2.0.28's C sources, copied unchanged into vendor/ (see its README.md), compiled
  into `imr_rules.durable_rules_engine`. On Python 3.13+, which removed `PyEval_CallObject`, the compiler
  defines it as `PyObject_CallObject` (the same call without keywords).
- The library: `rules/`, `cases/` and `tests/cases/` stay where authors edit them; a wheel carries a copy
  under `imr_rules/bundled/` (read with importlib.resources, see `imr_rules.library.loading.loading.bundled_root`). An
  editable install copies nothing, so it keeps reading the working tree.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
ENGINE = Path("vendor/durable-rules-2.0.28/src")  # relative: setuptools wants portable source paths
BUNDLED = ("rules", "cases", "tests/cases")  # copied into the wheel under imr_rules/bundled/


class BuildWithLibrary(build_py):
    """build_py, then copy the rule library and the example and rule-test cases into the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the working tree itself
        target = Path(self.build_lib) / "imr_rules" / "bundled"
        shutil.rmtree(target, ignore_errors=True)
        for folder in BUNDLED:
            shutil.copytree(HERE / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__", ".*"))


macros = [("_GNU_SOURCE", None)]
if sys.version_info >= (3, 13):
    macros.append(("PyEval_CallObject", "PyObject_CallObject"))

engine = Extension(
    "imr_rules.durable_rules_engine",
    sources=[str(ENGINE / "rules" / f"{name}.c") for name in ("json", "rete", "state", "events", "regex")]
    + [str(ENGINE / "rulespy" / "rules.c")],
    include_dirs=[str(ENGINE / "rules")],
    define_macros=macros,
    extra_compile_args=["-std=c99"] + (["-fcommon"] if sys.platform == "darwin" else []),
)

setup(ext_modules=[engine], cmdclass={"build_py": BuildWithLibrary})
