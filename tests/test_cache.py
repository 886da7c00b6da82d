"""The rule-library cache (imr_rules.cache): a hit equals a cold load, any file edit invalidates, a bad
cache file is rebuilt without a word, concurrent writers leave a readable file."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from imr_rules import cache
from imr_rules.checking.consistency import Checker, check_path
from imr_rules.errors import ImrError
from imr_rules.library.loading import load_rules
from imr_rules.output.report import check_json
from imr_rules.reading.extract import compile_all
from imr_rules.reading.patterns import load_patterns

from .conftest import CASES, RULES, SHARED

CASE = CASES / "001_dbfc6dcde667e7b2.yaml"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(folder))
    monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
    monkeypatch.setattr(cache, "_SEEN", {})  # forget what this process loaded: read the files
    return folder


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    return Path(shutil.copytree(RULES, tmp_path / "rules"))


def _check(root: Path) -> str:
    """The JSON report of checking the bundled case, with a Checker loaded through the cache."""
    checker = Checker(cache.load_rules(root), cache.load_patterns(root), Checker.load(load_rules(root)).check)
    return json.dumps(check_json(check_path(str(CASE), checker)), sort_keys=True)


def _not_called(root: object) -> None:
    raise AssertionError("loaded from the files although the cache holds them")


def test_a_cache_hit_gives_what_a_cold_load_gives(
    cache_dir: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = load_rules(rules)
    first = cache.load_rules(rules)  # builds and writes
    assert sorted(p.name.split("-")[0] for p in cache_dir.iterdir()) == ["rules"]
    cache._SEEN.clear()
    with monkeypatch.context() as m:
        m.setattr("imr_rules.library.loading.load_rules", _not_called)
        hit = cache.load_rules(rules)  # read back from the file
    assert hit is not first
    assert hit.digest == cold.digest
    assert [lr.rule for lr in hit.rules] == [lr.rule for lr in cold.rules]
    assert hit.facts == cold.facts and hit.services == cold.services
    patterns_cold = load_patterns(rules)
    cache.load_patterns(rules)
    cache._SEEN.clear()
    with monkeypatch.context() as m:
        m.setattr("imr_rules.reading.patterns.load_patterns", _not_called)
        patterns_hit = cache.load_patterns(rules)
    # every pattern a letter can need, stored as the code `re` compiled it to (equal patterns compare
    # source, flags and code); read back, each is rebuilt only when first asked for
    every = compile_all(load_patterns(rules)).compiled
    assert len(patterns_hit.compiled) < len(every) // 20, "the stored patterns were rebuilt on load"
    assert patterns_hit.compiled.keys() | patterns_hit.stored.keys() == every.keys()
    assert len(every) > len(patterns_cold.compiled)
    assert all(patterns_hit.rx(k) == rx for k, rx in every.items())
    assert not patterns_hit.stored and patterns_hit.compiled.keys() == every.keys()
    assert patterns_hit.context.pseudo == patterns_cold.context.pseudo is not None
    assert patterns_hit.digest == patterns_cold.digest and patterns_hit.facts == patterns_cold.facts
    assert patterns_hit.requirements == patterns_cold.requirements
    check_cold = Checker.load(load_rules(rules)).check
    assert cache.load_check_patterns(rules) == check_cold
    cache._SEEN.clear()
    assert cache.load_check_patterns(rules) == check_cold  # read back from its file
    assert sorted(p.name.split("-")[0] for p in cache_dir.iterdir()) == ["check", "patterns", "rules"]
    cache._SEEN.clear()
    with_cache = _check(rules)
    os.environ[cache.ENV_DISABLE] = "1"
    try:
        assert _check(rules) == with_cache
    finally:
        del os.environ[cache.ENV_DISABLE]


def test_editing_a_rule_file_invalidates(cache_dir: Path, rules: Path) -> None:
    before = cache.load_rules(rules)
    rule_file = next(p for p in sorted(rules.rglob("*.yaml")) if "extraction" not in p.parts and p.parent != rules)
    text = rule_file.read_text()
    rule_file.write_text(text.replace("\n", "\n# an edit\n", 1))
    cache._SEEN.clear()
    after = cache.load_rules(rules)
    assert after.digest != before.digest
    assert after.digest == load_rules(rules).digest
    assert len(list(cache_dir.glob("rules-*.pickle"))) == 2
    rule_file.write_text(text.replace("id:", "id: [", 1))  # a broken rule is reported as without a cache
    cache._SEEN.clear()
    with pytest.raises(ImrError) as cached_error:
        cache.load_rules(rules)
    with pytest.raises(ImrError) as plain_error:
        load_rules(rules)
    assert str(cached_error.value) == str(plain_error.value)


def test_editing_an_extraction_pattern_invalidates(cache_dir: Path, rules: Path) -> None:
    before = cache.load_patterns(rules)
    facts = rules / "extraction" / "facts.yaml"
    facts.write_text(facts.read_text() + "\n# an edit\n")
    cache._SEEN.clear()
    cache.load_patterns(rules)
    assert len(list(cache_dir.glob("patterns-*.pickle"))) == 2
    assert before.digest == load_patterns(rules).digest  # a comment leaves the patterns as they were


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-100] + b"x" * 100,  # corrupt payload
        lambda b: b"",  # empty
        lambda b: b"not a cache at all",  # foreign
        lambda b: b.replace(cache.MAGIC, b"imr-rules-cache 0\n", 1),  # another format
    ],
)
def test_a_bad_cache_file_is_rebuilt_silently(cache_dir: Path, rules: Path, damage, capsys) -> None:  # type: ignore[no-untyped-def]
    good = cache.load_rules(rules)
    (path,) = cache_dir.glob("rules-*.pickle")
    whole = path.read_bytes()
    path.write_bytes(damage(whole))
    cache._SEEN.clear()
    again = cache.load_rules(rules)
    assert again.digest == good.digest
    assert path.read_bytes()[:100] == whole[:100] and len(path.read_bytes()) == len(whole)  # rewritten whole
    assert capsys.readouterr() == ("", "")


def test_a_cache_file_others_may_write_is_not_trusted(cache_dir: Path, rules: Path) -> None:
    cache.load_rules(rules)
    (path,) = cache_dir.glob("rules-*.pickle")
    path.chmod(0o666)
    assert cache._read(path, path.read_bytes().split(b"\n")[1].decode()) is None
    cache._SEEN.clear()
    assert cache.load_rules(rules).digest == load_rules(rules).digest


def test_two_processes_writing_at_once_leave_a_readable_cache(cache_dir: Path, rules: Path) -> None:
    code = (
        "import sys; from imr_rules import cache; "
        "print(cache.load_rules(sys.argv[1]).digest, cache.load_patterns(sys.argv[1]).digest)"
    )
    env = {**os.environ, cache.ENV_DIR: str(cache_dir)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(rules)], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outs = {p.communicate(timeout=120)[0] for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(outs) == 1
    assert sorted(p.name.split("-")[0] for p in cache_dir.iterdir()) == ["patterns", "rules"]  # no temp left
    for path in cache_dir.iterdir():
        key = path.read_bytes().split(b"\n")[1].decode()
        assert cache._read(path, key) is not None


def test_a_stored_patterns_code_is_read_when_first_used_and_compiled_from_source_if_damaged(
    cache_dir: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The patterns file holds each stored pattern's code after its payload: a hit reads and checks only
    the payload, and a code is read, and checked against its own digest, when its pattern is first
    rebuilt; a damaged code is compiled from the pattern's source (the same pattern), not an error."""
    cache.load_patterns(rules)  # builds and writes
    (path,) = cache_dir.glob("patterns-*.pickle")
    whole = path.read_bytes()
    body = whole.split(b"\n", 2)[2][32:]
    length = int.from_bytes(body[:8], "little")
    assert len(body) - 8 - length > 8 + length  # the codes are most of the file, after the payload
    every = compile_all(load_patterns(rules)).compiled
    path.write_bytes(whole[:-200_000] + bytes(200_000))  # the last codes zeroed; the payload untouched
    cache._SEEN.clear()
    with monkeypatch.context() as m:
        m.setattr("imr_rules.reading.patterns.load_patterns", _not_called)
        hit = cache.load_patterns(rules)  # still a hit: the payload and its digest are whole
    assert path.read_bytes()[-200_000:] == bytes(200_000)  # not rewritten
    codes = [p.args[2] for p in hit.stored.values()]  # type: ignore[attr-defined]
    assert all(type(c) is cache._Code for c in codes)
    assert all(hit.rx(k) == rx for k, rx in every.items())  # damaged or not, each pattern is the same
    damaged = [c for c in codes if c.data() is None]  # read again from the file: None when it does not match
    assert damaged and len(damaged) < len(codes)


def test_disabled_cache_writes_nothing(cache_dir: Path, rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    assert cache.load_rules(rules).digest == load_rules(rules).digest
    assert not cache_dir.exists()


def test_clear_removes_the_cache_files(cache_dir: Path, rules: Path) -> None:
    cache.load_rules(rules)
    cache.load_patterns(rules)
    cache.load_check_patterns(rules)
    assert cache.clear() == 3
    assert list(cache_dir.iterdir()) == []


def test_a_stored_regex_whose_code_does_not_load_is_compiled_from_its_source() -> None:
    rx = re.compile(r"(?P<n>\d+) visits?", re.IGNORECASE)
    state = cache._regex_state(rx)
    if state is None:  # Python 3.10's re has no re._compiler: the cache stores every pattern as its source
        assert sys.version_info < (3, 11), "re._compiler exists here, so the compiled code should be stored"
        pytest.skip("this Python's re has no _compiler module: patterns are cached as source and compiled")
    assert cache._compiled_regex(*state) == rx
    broken = (state[0], state[1], b"\xff" * len(state[2]), *state[3:])  # code _sre refuses
    rebuilt = cache._compiled_regex(*broken)
    assert rebuilt == rx and rebuilt.search("12 visits").group("n") == "12"  # type: ignore[union-attr]


def test_one_command_digests_the_files_once(cache_dir: Path, rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    files_digest = cache._files_digest
    monkeypatch.setattr(cache, "_files_digest", lambda root: calls.append(root) or files_digest(root))
    with cache.one_digest():
        keys = [cache._key(kind, rules) for kind in ("rules", "patterns", "check")]
        cache.load_rules(rules)
        cache.load_patterns(rules)
        cache.load_check_patterns(rules)
    assert len(calls) == 1
    assert keys == [cache._key(kind, rules) for kind in ("rules", "patterns", "check")]  # the same keys outside
    assert len(calls) == 4  # outside a command every load digests the files again, so an edit is seen


def test_old_cache_files_are_pruned_least_recently_used_first(
    cache_dir: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    rule_file = next(p for p in sorted(rules.rglob("*.yaml")) if "extraction" not in p.parts and p.parent != rules)
    text = rule_file.read_text()
    digests, seen = [], set()
    for n in range(3):  # three versions of the library, each written to its own cache file
        rule_file.write_text(text + f"\n# edit {n}\n")
        cache._SEEN.clear()
        digests.append(cache.load_rules(rules).digest)
        (new,) = set(cache_dir.glob("rules-*.pickle")) - seen
        os.utime(new, ns=(n * 10**9, n * 10**9))  # distinct use times, in order
        seen.add(new)
    assert len(list(cache_dir.glob("rules-*.pickle"))) == 2  # the least recently used (edit 0) was removed
    rule_file.write_text(text + "\n# edit 1\n")  # back to a version still cached: a hit, nothing rebuilt
    cache._SEEN.clear()
    with monkeypatch.context() as m:
        m.setattr("imr_rules.library.loading.load_rules", _not_called)
        assert cache.load_rules(rules).digest == digests[1]


def test_the_cached_patterns_hold_every_pattern_a_letter_needs_but_a_drugs_own() -> None:
    from imr_rules.reading.extract import extract

    patterns = compile_all(load_patterns(RULES))
    before = set(patterns.compiled)
    library = load_rules(RULES)
    letters = sorted((RULES.parent / "tests" / "letters").rglob("*.txt")) + sorted((SHARED / "letters").glob("*.txt"))
    for letter in letters:
        with contextlib.suppress(ImrError):  # a letter without decisions, on purpose
            extract(letter, library, patterns)
    medication = patterns.requests.medication
    assert medication is not None
    # a drug's own patterns: `{drug}` filled with the names of the drug a letter requests
    per_drug = [
        re.compile(".+".join(map(re.escape, p.split("{drug}"))), re.S)
        for p in [*medication.continuing, *medication.new, *medication.never]
    ]
    added = set(patterns.compiled) - before
    assert all(any(rx.fullmatch(k) for rx in per_drug) for k in added), sorted(added)[:3]
    assert len(letters) > 10


def test_a_miss_stores_the_code_re_made_without_compiling_any_pattern_again(
    cache_dir: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing the patterns takes each one's code from what `re` compiled during the build (recorded),
    and the file holds exactly the bytes the slow way (each pattern compiled again) writes."""
    import importlib

    # re's parser: re._parser from Python 3.11, the top-level sre_parse module before
    _parser = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")

    from imr_rules.models import extraction

    # as in a new process: a pattern served from re's cache or the models' is not compiled, so not recorded
    re.purge()
    monkeypatch.setattr(extraction, "_COMPILED", {})
    parsed: list[str] = []
    parse = _parser.parse
    write = cache._write

    def counting_write(path: Path, key: str, value: object, compiled: object = None) -> bool:
        monkeypatch.setattr(_parser, "parse", lambda *a, **k: parsed.append(a[0]) or parse(*a, **k))
        try:
            return write(path, key, value, compiled)  # type: ignore[arg-type]
        finally:
            monkeypatch.setattr(_parser, "parse", parse)

    monkeypatch.setattr(cache, "_write", counting_write)
    patterns = cache.load_patterns(rules)
    for_disk = cache._without_compiled(patterns)
    stored = [cache._regex_state(rx) for rx in _regexes(for_disk)] + [p.args for p in for_disk.stored.values()]  # type: ignore[attr-defined]
    assert len(stored) > 500 and all(state is not None for state in stored)
    assert len(parsed) < len(stored) // 20, f"{len(parsed)} of {len(stored)} patterns compiled again"
    (path,) = cache_dir.glob("patterns-*.pickle")
    header = path.read_bytes().split(b"\n", 2)
    payload = header[2][32:]
    assert payload == cache._dumps(cache._without_compiled(patterns))  # recorded or not: the same bytes


def test_the_recording_ends_with_the_build_even_when_it_fails(tmp_path: Path, cache_dir: Path) -> None:
    import _sre

    real = _sre.compile
    with pytest.raises(ImrError):
        cache.load_patterns(tmp_path / "no-such-library")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "facts.yaml").write_text("facts: [\n")  # broken: the loader raises mid-build
    with pytest.raises(ImrError):
        cache.load_rules(tmp_path / "rules")
    assert _sre.compile is real and cache._RECORDED is None


def _regexes(value: object) -> list[re.Pattern[str]]:
    """Every compiled pattern reachable from `value` (as the pickler meets them)."""
    import io
    import pickle

    found: list[re.Pattern[str]] = []

    class Finder(pickle.Pickler):
        def reducer_override(self, obj: object) -> object:
            if type(obj) is re.Pattern:
                found.append(obj)
            return NotImplemented

    Finder(io.BytesIO(), protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return found


def test_the_patterns_a_run_compiled_through_re_are_primed_into_res_cache_by_the_next(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`save_regexes` stores what `re` compiled (as code); `prime_regexes` in a later run puts the same
    patterns back where `re.compile` and `re.search` look first; a run that built the library saves
    nothing; a damaged file primes nothing and raises nothing."""
    if not isinstance(getattr(re, "_cache", None), dict):
        pytest.skip("this Python's re keeps no _cache dict: nothing is primed")
    import _sre

    monkeypatch.setattr(re, "_cache", re._cache)  # type: ignore[attr-defined]  # put back after the test
    monkeypatch.setattr(_sre, "compile", _sre.compile)  # recorded while primed (`cache._record_run`)
    monkeypatch.setattr(cache, "_PRIMED", {})
    monkeypatch.setattr(cache, "_BUILT", False)
    monkeypatch.setattr(cache, "_BEFORE", frozenset())
    source = r"\bprimed (?:pattern|regex) number (?P<n>\d+)\b"
    cache.save_regexes()  # not primed (a run that prints help): nothing saved
    assert not cache_dir.exists()
    cache.prime_regexes()  # no file yet: records what `re` compiles from here
    compiled = re.compile(source, re.IGNORECASE)
    cache.save_regexes()
    (path,) = cache_dir.glob("regex-*.pickle")
    re.purge()
    cache.prime_regexes()
    primed = re._cache[(str, source, int(re.IGNORECASE))]  # type: ignore[attr-defined]
    assert primed is not compiled and primed == compiled  # same source, flags and code
    assert re.search(source, "Primed regex number 7", re.IGNORECASE).group("n") == "7"  # type: ignore[union-attr]
    assert (source, int(re.IGNORECASE)) in cache._PRIMED
    cache.save_regexes()  # the file holds what this run compiled or used
    # the body after the digest: the payload's length (8 bytes), then the payload (`cache._dumps`)
    assert [(s, f) for s, f, _ in pickle.loads(path.read_bytes().split(b"\n", 2)[2][40:])] == [
        (source, int(re.IGNORECASE))
    ]
    monkeypatch.setattr(cache, "_BUILT", True)
    path.unlink()
    cache.prime_regexes()
    re.compile(source + "x")
    cache.save_regexes()  # a run that built the patterns compiled all of them: not stored
    assert not path.exists()
    path.write_bytes(b"not a cache file")
    re.purge()
    monkeypatch.setattr(cache, "_PRIMED", {})
    cache.prime_regexes()
    assert not cache._PRIMED and (str, source, int(re.IGNORECASE)) not in re._cache  # type: ignore[attr-defined]


def test_a_pattern_whose_source_differs_in_every_process_is_not_saved_for_priming(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tokenize`'s token pattern is built from a set (its source is in hash order, so another process
    never asks for the same one): saved, it made every warm run rewrite the regex file."""
    if not isinstance(getattr(re, "_cache", None), dict):
        pytest.skip("this Python's re keeps no _cache dict: nothing is primed")
    import _sre
    import tokenize

    monkeypatch.setattr(re, "_cache", re._cache)  # type: ignore[attr-defined]  # put back after the test
    monkeypatch.setattr(_sre, "compile", _sre.compile)
    monkeypatch.setattr(cache, "_PRIMED", {})
    monkeypatch.setattr(cache, "_BUILT", False)
    monkeypatch.setattr(cache, "_BEFORE", frozenset())
    re.purge()
    cache.prime_regexes()
    # as tokenize compiles it (once per process: `tokenize._compile` is cached), when pydantic reads the
    # signature of a builtin default_factory (`inspect.signature(list)`)
    re.compile(tokenize.PseudoToken, re.UNICODE)
    other = re.compile(r"\bsaved (?:pattern|regex)\b")
    assert (str, tokenize.PseudoToken, int(re.UNICODE)) in re._cache  # type: ignore[attr-defined]
    cache.save_regexes()
    (path,) = cache_dir.glob("regex-*.pickle")
    saved = [s for s, _, _ in pickle.loads(path.read_bytes().split(b"\n", 2)[2][40:])]
    assert other.pattern in saved and tokenize.PseudoToken not in saved
