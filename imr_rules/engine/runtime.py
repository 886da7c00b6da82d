"""The durable-rules runtime: compiled rulesets registered in its C engine, one session per case stage.

This module drives durable-rules' C module (`durable_rules_engine`, the Rete network that matches the
compiled rules) directly instead of through its Python `Host`. Measured on the benchmark's cases, the
Host's per-action machinery (a Closure, a Promise, a JSON round trip of the session state and a
deprecated clock call for every firing) cost more than the matching itself: driving the same C calls
here took evaluation from about 1,000 to about 1,750 cases/s with identical results (bench/RESULTS.md).
It also removes two of durable-rules' traps at the root: there are no timer threads to race callers,
and an exception inside an action is raised at once instead of being stored in the session state.

The other guards answer measured failures of durable-rules 2.0.28 (../shared/durable-rules.md):
more than 1024 live sessions poison a ruleset (each session is deleted before the next starts, under a
lock); `delete_state` can segfault on a session where no action ran (the compiled `$done` rule always
fires, and a failed action is abandoned before its session is deleted); a batch durable refuses leaves
a session that cannot be deleted safely, so its whole ruleset is freed and registered again on next use.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from pydantic_core import from_json

from imr_rules.engine.compiler import CompiledRuleset, Firing
from imr_rules.errors import EngineError

_LOCK = threading.RLock()
# Compiled rulesets by routing key, least recently used first, with their handles in the C engine.
# Each registered ruleset holds about 2 MB of C memory, so a run over many combinations evicts the oldest.
MAX_RULESETS = 128
_BY_KEY: OrderedDict[Hashable, CompiledRuleset] = OrderedDict()
_HANDLES: dict[str, int] = {}
_SIDS = itertools.count(1)
_REFUSED = {1: "MessageNotHandled", 2: "MessageObserved"}  # durable's result codes for a refused fact


def _durable() -> Any:
    """durable-rules' C module, built by setup.py from vendor/, imported on first use (keeps `--help` fast)."""
    from imr_rules import durable_rules_engine

    return durable_rules_engine


def ruleset(key: Hashable, build: Callable[[], CompiledRuleset]) -> CompiledRuleset:
    """The registered ruleset for a routing key, compiled by `build` on first use (or after eviction)."""
    with _LOCK:
        found = _BY_KEY.get(key) or build()
        if found.name not in _HANDLES:  # new, or freed after a failure
            try:
                _HANDLES[found.name] = _durable().create_ruleset(found.name, json.dumps(found.definition))
            except Exception as exc:  # durable reports bad definitions as a generic error with a code
                raise EngineError(f"durable-rules rejected the compiled rules ({found.name}): {exc}") from None
        _BY_KEY[key] = found
        _BY_KEY.move_to_end(key)
        while len(_BY_KEY) > MAX_RULESETS:
            _, old = _BY_KEY.popitem(last=False)
            _unregister(old.name)
        return found


def registered() -> int:
    """How many rulesets are registered in durable-rules' C engine (for tests and the benchmark)."""
    with _LOCK:
        return len(_HANDLES)


def _unregister(name: str) -> None:
    """Free a ruleset's C memory (measured: 3,000 register/free cycles kept memory flat). durable's
    `delete_ruleset` frees the network and the session table without touching live sessions, so it is
    safe even for a ruleset whose session could not be deleted."""
    handle = _HANDLES.pop(name, None)
    if handle is not None:
        _durable().delete_ruleset(handle)


class _Collision(EngineError):
    """durable-rules refused a fact as already observed: two facts' ids met in its 32-bit hash index."""


ATTEMPTS = 3


def run(compiled: CompiledRuleset, facts: list[dict[str, Any]]) -> list[Firing]:
    """Assert one case stage's facts in a fresh session, run every action it triggers, delete the session.

    Returns the actions that fired, in order. Each action is a compiled function of the matched facts
    that returns what it derived and the fact to assert back into the session (see compiler.Action).
    Facts are unique by construction, so a MessageObserved refusal is a collision of durable's 32-bit
    hashes of fact ids (which include the session id): the session is run again under a new id, up to
    ATTEMPTS times, and only then reported as an EngineError.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _run_once(compiled, facts)
        except _Collision as exc:
            if attempt == ATTEMPTS:
                raise EngineError(f"{exc.message} in {ATTEMPTS} sessions in a row") from None
            with _LOCK:  # registered again (it was freed) before the next attempt
                if compiled.name not in _HANDLES:
                    _HANDLES[compiled.name] = _durable().create_ruleset(compiled.name, json.dumps(compiled.definition))
    raise AssertionError("unreachable")


def _run_once(compiled: CompiledRuleset, facts: list[dict[str, Any]]) -> list[Firing]:
    with _LOCK:
        durable = _durable()
        handle = _HANDLES.get(compiled.name)
        if handle is None:
            raise EngineError(f"the ruleset {compiled.name} is not registered (evicted while in use?)")
        sid = str(next(_SIDS))
        batch = json.dumps([dict(f, sid=sid) for f in facts] + [{"t": "$done", "sid": sid}])
        try:
            code, offset = durable.assert_facts(handle, batch)
        except Exception as exc:
            _quarantine(compiled.name)
            raise EngineError(f"durable-rules failed on a case: {exc}") from None
        if code in _REFUSED:
            # The compiled sink and unique item numbers make this impossible; if it happens the session's
            # actions never ran, and deleting it could crash the process: free the whole ruleset instead.
            _quarantine(compiled.name)
            kind = _Collision if code == 2 else EngineError
            raise kind(f"durable-rules refused a case's facts ({_REFUSED[code]})")
        started = durable.start_action_for_state(handle, offset)
        if started is None:  # the $done rule always fires, so no action at all means a broken ruleset
            _quarantine(compiled.name)
            raise EngineError("durable-rules did not run the case to completion")
        message: str | None = started[1]
        firings: list[Firing] = []
        try:
            while message is not None:
                ((name, matched),) = _parse(message).items()
                firing, derived = compiled.actions[name](matched)
                firings.append(firing)
                if derived is not None:
                    code, _ = durable.assert_fact(handle, derived)
                    if code in _REFUSED:
                        kind = _Collision if code == 2 else EngineError
                        raise kind(f"rule {name} derived a fact durable-rules refused ({_REFUSED[code]})")
                message = durable.complete_and_start_action(handle, offset)
        except Exception as exc:
            durable.abandon_action(handle, offset)  # frees the action context, so deleting is safe
            durable.delete_state(handle, sid)
            if isinstance(exc, EngineError):
                raise
            raise EngineError(f"a rule action failed inside durable-rules: {type(exc).__name__}: {exc}") from None
        durable.delete_state(handle, sid)
        if not any(f.node == "$done" for f in firings):
            raise EngineError("durable-rules did not run the case to completion")
        return firings


def _parse(message: str) -> Any:
    """A firing message as `json.loads` reads it, parsed by pydantic_core's `from_json` (jiter): ~3.4 against
    ~7.6 us for a ~215-character message, ~62 messages per bundled case (bench/RESULTS.md, seventh pass).
    The few texts jiter refuses and `json` reads (a lone surrogate escape) go to `json.loads`."""
    try:
        return from_json(message)
    except ValueError:
        return json.loads(message)


def _quarantine(name: str) -> None:
    """Drop a ruleset left with a session that cannot be deleted safely; the next case registers it anew."""
    _unregister(name)
