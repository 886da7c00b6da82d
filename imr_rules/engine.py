"""The durable-rules runtime: one quiet Host per process, one session per case, deleted after use.

Every guard here answers a measured failure of durable-rules 2.0.28 (../shared/durable-rules.md):
the Host's timer threads race callers and keep Hosts alive (QuietHost disables them); more than
1024 live sessions poison a ruleset (each case's session is deleted before the next starts, under a
lock); delete_state segfaults on a session where no action ran (the compiled `$done` rule always
fires); errors inside actions are stored in the state, never raised (checked after every case);
`set_rulesets` mutates its input (a deep copy is registered).
"""

from __future__ import annotations

import copy
import itertools
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from .compiler import CompiledRuleset, Firing
from .errors import EngineError

_LOCK = threading.RLock()
_HOST: Any = None
# Compiled rulesets by routing key, least recently used first. Each registered ruleset holds about 2 MB
# of C memory, so a run over many different combinations of services evicts the oldest.
MAX_RULESETS = 128
_BY_KEY: OrderedDict[Hashable, CompiledRuleset] = OrderedDict()
_SIDS = itertools.count(1)


def _host() -> Any:
    """The process's single durable-rules Host, created on first use (keeps `--help` fast)."""
    global _HOST
    if _HOST is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import durable.engine as durable_engine

        class QuietHost(durable_engine.Host):  # type: ignore[misc]
            """A Host without the background timer threads (they race callers and leak Hosts)."""

            def _run(self) -> None:
                pass

        _HOST = QuietHost()
    return _HOST


def ruleset(key: Hashable, build: Callable[[], CompiledRuleset]) -> CompiledRuleset:
    """The registered ruleset for a routing key, compiled by `build` on first use (or after eviction)."""
    with _LOCK:
        found = _BY_KEY.get(key)
        if found is not None:
            _BY_KEY.move_to_end(key)
        else:
            found = build()
            try:
                _host().set_rulesets({found.name: copy.deepcopy(found.definition)})
            except Exception as exc:  # durable reports bad definitions as a generic error with a code
                raise EngineError(f"durable-rules rejected the compiled rules ({found.name}): {exc}") from None
            _BY_KEY[key] = found
        while len(_BY_KEY) > MAX_RULESETS:
            _, old = _BY_KEY.popitem(last=False)
            _unregister(old.name)
        return found


def registered() -> int:
    """How many rulesets are registered in this process's Host (for tests and the benchmark)."""
    with _LOCK:
        return len(_host()._ruleset_list)


def _unregister(name: str) -> None:
    """Free a ruleset's C memory. durable-rules has no public API for this: its Host keeps rulesets in
    `_ruleset_directory` and `_ruleset_list`, and the C module's `delete_ruleset` frees one (measured:
    3,000 register/delete cycles kept memory flat, and a name can be registered again afterwards)."""
    host = _host()
    ruleset_obj = host._ruleset_directory.pop(name, None)
    if ruleset_obj is None:
        return
    host._ruleset_list.remove(ruleset_obj)
    import durable_rules_engine

    durable_rules_engine.delete_ruleset(ruleset_obj._handle)


def run(compiled: CompiledRuleset, facts: list[dict[str, Any]]) -> list[Firing]:
    """Assert one case's facts in a fresh session and return the actions that fired, in order."""
    with _LOCK:
        host = _host()
        sid = str(next(_SIDS))
        compiled.firings.clear()
        batch = [dict(f, sid=sid) for f in facts] + [{"t": "$done", "sid": sid}]
        try:
            with warnings.catch_warnings():
                # each action calls datetime.utcfromtimestamp; under -W error that would abort it
                warnings.simplefilter("ignore", DeprecationWarning)
                state = host.assert_facts(compiled.name, batch) or {}
        except Exception as exc:
            # The compiled sink and unique item numbers make NotHandled/Observed impossible; if one
            # happens anyway the session is left alone: deleting a session whose actions never ran
            # can crash the process.
            compiled.firings.clear()
            raise EngineError(f"durable-rules failed on a case: {type(exc).__name__}: {exc}") from None
        done = any(f.node == "$done" for f in compiled.firings)
        if done:
            host.delete_state(compiled.name, sid)
        if "exception" in state:
            compiled.firings.clear()
            raise EngineError(f"a rule action failed inside durable-rules: {state['exception']}")
        if not done:
            compiled.firings.clear()
            raise EngineError("durable-rules did not run the case to completion")
        firings = list(compiled.firings)
        compiled.firings.clear()
        return firings
