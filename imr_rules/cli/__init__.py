"""The `imr-rules` command line: a thin click layer over the library API.

- `group.py`: the `main` group (signals, output encoding) and the list of commands;
- `commands/`: one module per command or command group (evaluate, check, extract, serve; lint, test,
  schema, docs, rules), each importing the stages it runs only when it runs;
- `common.py`: the error decorator (any ImrError -> `error: path:line:col: message`, exit 2), the rule
  library folder, atomic output and the shared options;
- `formats.py`: the output formats of evaluate, check and lint, one registry entry each;
- `run` (here): the `imr-rules` console script and `python -m imr_rules.cli`.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
import types

from imr_rules.cli.group import main

__all__ = ["main", "run"]

GC_YOUNG_THRESHOLD = 100_000
"""Container allocations (net) between two young collections in the `imr-rules` program (Python's default
is 700). Nearly everything a run allocates lives to its end (modules, pydantic classes, the loaded rule
library and patterns): with the default, a one-letter `check` ran ~130 collections (one full) that walked
those objects for nothing, ~50 ms of its CPU (measured with `gc.callbacks`). At 100,000 a one-letter run
collects nothing, and a long folder run still collects its cyclic garbage, at most ~100,000 objects late."""


PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"
"""pydantic's documented switch for its plugins (third-party hooks found through installed packages' entry
points, such as tracing). The `imr-rules` program turns them off unless the environment sets it: a value
other than "__all__", "1" or "true" (say "0") loads them as pydantic always does."""


def _without_pydantic_plugins() -> None:
    """Default `PYDANTIC_DISABLE_PLUGINS` to "__all__" and, when it disables every plugin, give pydantic a
    plugin loader that answers as its own does then (no plugins), without importing `importlib.metadata`.

    pydantic imports its loader (`pydantic.plugin._loader`) when it builds the first validator, and that
    module imports `importlib.metadata` (email, zipfile, csv...) at its top whatever the setting: ~20-30 ms
    of CPU of a one-letter `check` or `evaluate`, plus ~5 ms scanning the installed packages' entry points
    when plugins are on (bench/RESULTS.md, seventh pass). With every plugin disabled its `get_plugins()`
    returns `()` without reading anything, which is all the stand-in does. Left alone when pydantic's
    loader is imported already.
    """
    os.environ.setdefault(PLUGINS_ENV, "__all__")
    if os.environ[PLUGINS_ENV] in ("__all__", "1", "true") and "pydantic.plugin._loader" not in sys.modules:
        loader = types.ModuleType("pydantic.plugin._loader", "imr-rules' stand-in: every plugin disabled")
        loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
        sys.modules["pydantic.plugin._loader"] = loader


def run() -> None:
    """Run `main` as the `imr-rules` program, then leave without tearing the interpreter down.

    An interpreter's normal exit walks and frees every object the run made (the loaded library, the
    patterns, pydantic's classes): ~90 M instructions of a ~1,800 M one-letter `check`, for nothing a user
    sees. When the run has finished cleanly in every way that exit could still matter -- no other thread,
    no exit handler registered (`atexit`, which also holds `weakref.finalize` and multiprocessing's
    clean-up), an exit code of 0-255, standard output and error flushed without error -- the process ends
    with `os._exit(code)`. Otherwise (a `--jobs` pool, a broken pipe, `sys.exit("message")`) the exit is
    Python's own, exactly as before. click's test runner (the suite, scripts/output_digests.py) calls `main`
    and never gets here.
    """
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    _without_pydantic_plugins()
    from imr_rules import cache  # standard library only: imported by every command anyway

    if _runs_a_command(sys.argv[1:]):
        cache.prime_regexes()
    try:
        main()  # click's standalone mode: always ends in SystemExit
    except SystemExit as done:
        cache.save_regexes()
        code = 0 if done.code is None else done.code
        if isinstance(code, int) and 0 <= code <= 255 and _nothing_left_at_exit() and _flushed():
            os._exit(code)
        raise


def _runs_a_command(args: list[str]) -> bool:
    """False for a run that only prints help or the version (it compiles no pattern worth priming: reading
    the regex file would be ~15 ms more on an ~90 ms `--help`)."""
    return bool(args) and not any(a in ("--help", "-h", "--version") for a in args)


def _nothing_left_at_exit() -> bool:
    """True when interpreter shutdown has nothing to run: one thread, no `atexit` handler (CPython's count;
    on an interpreter without it, False)."""
    count = getattr(atexit, "_ncallbacks", None)
    return count is not None and count() == 0 and threading.active_count() == 1


def _flushed() -> bool:
    """Flush standard output and error; False if that fails (a closed pipe: Python's exit reports it as it
    always has)."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:
        return False
    return True
