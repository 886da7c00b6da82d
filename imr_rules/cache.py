"""A per-user cache of the loaded rule library and extraction patterns, keyed by the digest of their files.

Loading `rules/` (YAML parsing, schema validation, the engine-limit checks) and the extraction patterns
(fragment and lexicon expansion, compiling every regular expression, reducing each to its required
literals) is most of a one-letter run. `load_rules`, `load_patterns` and `load_check_patterns` here wrap
the loaders of imr_rules.library.loading, imr_rules.reading.extract and imr_rules.checking.consistency: the
first load writes the result to a pickle in the user cache folder (platformdirs' `user_cache_dir("imr-rules")`,
or `$IMR_RULES_CACHE_DIR`); later loads of the same files read it back. Inside `one_digest()` (one CLI
command) the files are digested once for all three.

The key is a SHA-256 over every file below the rule library folder (relative path and bytes), the folder's
resolved path, the source of this package and the Python and pydantic versions: editing any rule, pattern
or program file makes a new key. A cache file is used only when its header names that key and the
SHA-256 of its payload matches, and only when the current user owns it and nobody else may write it;
anything else (missing, truncated, corrupt, foreign, from another version) is ignored and rebuilt, never
an error. The stored patterns' code follows the payload and is read, and checked against its own digest,
only when a pattern is first rebuilt (`_Code`); a code that does not match is compiled from its source.
Files are written to a temporary name and renamed into place, so concurrent writers leave one whole file.
`IMR_RULES_NO_CACHE=1` turns the cache off.

Compiled regular expressions are stored compiled: pickle keeps only a `re.Pattern`'s source and flags and
recompiles it on load (CPython's `re` parser and code generator are Python: ~0.25 ms a pattern, most of
a cold `check`), so the cache's pickler stores the code `re` generated for each pattern instead, and
loading hands it to the C constructor `re` itself ends with (`_sre.compile`, ~6 us a pattern), which
validates it. A pattern is stored this way only if the code rebuilds an equal pattern (same source,
flags and code) when the cache is written; anything else, on any interpreter, is pickled as `re` does.
The patterns are stored with every pattern a letter can need compiled (`reading.extract.compile_all`;
only a drug's own `{drug}` patterns are compiled per letter), those of `Patterns.compiled` moved to
`Patterns.stored` and rebuilt when first used; files are kept least recently used last: a write removes
the files of its kind beyond the `KEEP` most recently used.

`prime_regexes` and `save_regexes` (called by the `imr-rules` program) do the same for `re`'s own cache:
a per-Python file holds the patterns a warm run compiled or looked up through `re.compile` / `re.search`
(the reader's and checker's module-level patterns, the check patterns), put back before anything else is
imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import re
import sys
import threading
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from imr_rules.library.loading import RuleLibrary
    from imr_rules.models.extraction import CheckPatterns
    from imr_rules.reading.patterns import Patterns

MAGIC = b"imr-rules-cache 3\n"
ENV_DISABLE = "IMR_RULES_NO_CACHE"
ENV_DIR = "IMR_RULES_CACHE_DIR"
T = TypeVar("T")
_SEEN: dict[str, Any] = {}  # loaded in this process already, by key
_KEYS: dict[Path, str | None] | None = None  # digests of folders' files, inside `one_digest`


def enabled() -> bool:
    """False when `$IMR_RULES_NO_CACHE` is set to anything but "", "0" or "false"."""
    return os.environ.get(ENV_DISABLE, "").strip().lower() in ("", "0", "false")


def cache_dir() -> Path:
    """`$IMR_RULES_CACHE_DIR`, else the platform's user cache folder for imr-rules (~/.cache/imr-rules)."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("imr-rules", appauthor=False))


def load_rules(root: str | Path) -> RuleLibrary:
    """imr_rules.library.loading.load_rules through the cache (same result, same errors)."""
    from imr_rules.library.loading import RuleLibrary
    from imr_rules.library.loading import load_rules as load

    return _cached("rules", Path(root), RuleLibrary, lambda: load(root))


def load_patterns(root: str | Path) -> Patterns:
    """imr_rules.reading.patterns.load_patterns through the cache (same result, same errors)."""
    from imr_rules.reading.extract import compile_all
    from imr_rules.reading.patterns import Patterns
    from imr_rules.reading.patterns import load_patterns as load

    # stored with every pattern a letter can need compiled (rebuilt from their code on load, see above)
    return _cached("patterns", Path(root), Patterns, lambda: compile_all(load(root)), _without_compiled)


def load_check_patterns(root: str | Path) -> CheckPatterns:
    """imr_rules.checking.consistency.load_check_patterns through the cache (same result, same errors)."""
    from imr_rules.checking.consistency import load_check_patterns as load
    from imr_rules.models.extraction import CheckPatterns

    return _cached("check", Path(root), CheckPatterns, lambda: load(root))


def _without_compiled(patterns: Patterns, recorded: dict[tuple[str, int], tuple[Any, ...]] | None = None) -> Patterns:
    """A shallow copy of `patterns` for the pickle, without what is built per letter (found literals,
    prepared targets, the literal index), each compiled pattern whose code can be stored moved to `stored`
    as a `partial(_compiled_regex, *state)`: read back, a pattern is rebuilt only when `Patterns.rx` first
    asks for it (a letter uses ~250 of the ~2,000; rebuilding them all was ~40 ms of a warm `check`), its
    code a `_Code`: written after the file's payload and read only then (see `_Code`). `recorded` as in
    `_regex_state`."""
    import dataclasses
    from functools import partial

    compiled: dict[str, re.Pattern[str]] = {}
    stored = dict(patterns.stored)
    for source, rx in patterns.compiled.items():
        state = _regex_state(rx, recorded)
        if state is None:
            compiled[source] = rx  # pickled as `re` does
        else:
            stored[source] = partial(_compiled_regex, state[0], state[1], _Code(state[2]), *state[3:])
    return dataclasses.replace(patterns, compiled=compiled, stored=stored, _found={}, _targets={}, _index=None)


def _cached(
    kind: str,
    root: Path,
    expected: type[T],
    build: Callable[[], T],
    for_disk: Callable[[T, dict[tuple[str, int], tuple[Any, ...]]], T] | None = None,
) -> T:
    """The value cached under the key of `root`'s files, else `build()` (written to the cache on success)."""
    if not enabled():
        return build()
    key = _key(kind, root)
    if key is None:  # the folder cannot be read: let the loader report it
        return build()
    seen = _SEEN.get(key)
    if isinstance(seen, expected):
        return seen
    path = cache_dir() / f"{kind}-{key[:32]}.pickle"
    found = _read(path, key)
    if isinstance(found, expected):  # anything else (None, a foreign object) is rebuilt
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the pruning below keeps the most recently used files
        _SEEN[key] = found
        return found
    global _BUILT
    _BUILT = True
    with _recording() as compiled:  # what `re` compiles while building, kept for the pickle (see `_recording`)
        value = build()  # errors propagate exactly as without the cache; nothing is written
        if _write(path, key, for_disk(value, compiled) if for_disk else value, compiled):
            _prune(path.parent, kind)
    _SEEN[key] = value
    return value


_RECORDING = threading.RLock()
_RECORDED: dict[tuple[str, int], tuple[Any, ...]] | None = None


def _recording_compile(real: Any, into: dict[tuple[str, int], tuple[Any, ...]]) -> Any:
    """`_sre.compile` wrapped to record, into `into`, what `re` hands it for each str pattern (see `_regex_state`),
    keyed by (source, flags)."""

    def compile(pattern: Any, flags: int, code: Any, *rest: Any) -> Any:
        rx = real(pattern, flags, code, *rest)
        if isinstance(pattern, str) and len(rest) == 3:
            with contextlib.suppress(Exception):
                groups, groupindex, indexgroup = rest
                state = (pattern, flags, array("I", code).tobytes(), groups, dict(groupindex), tuple(indexgroup))
                into[(pattern, rx.flags)] = state
        return rx

    return compile


@contextlib.contextmanager
def _recording() -> Iterator[dict[tuple[str, int], tuple[Any, ...]]]:
    """Inside, every pattern `re` compiles is recorded with the arguments it hands to `_sre.compile`
    (source, flags, code, groups, group index, index group), keyed by (source, flags), so that writing
    the cache stores a pattern's code without compiling it a second time to get it (`_regex_state`):
    ~0.5 s of the first run after an edit, ~1,200 patterns. `re.compile` ends in `_sre.compile`, looked up
    on the `_sre` module at each call; it is wrapped for the duration (one build at a time, nested builds
    share it) and put back after. A recording is only a shortcut: each stored pattern is still checked to
    rebuild an equal pattern, and a pattern not recorded (compiled before, or by `re`'s own cache) is
    compiled again as before."""
    global _RECORDED
    with _RECORDING:
        if _RECORDED is not None:  # a build inside a build: one recording
            yield _RECORDED
            return
        try:
            import _sre
        except ImportError:
            yield {}
            return
        real = _sre.compile
        recorded: dict[tuple[str, int], tuple[Any, ...]] = {}
        _sre.compile = _recording_compile(real, recorded)
        _RECORDED = recorded
        try:
            yield recorded
        finally:
            _sre.compile = real
            _RECORDED = None


KEEP = 8
"""Cache files kept per kind: every edit of a rule, pattern or program file makes a new key, so older
files are removed, least recently used first, when a new one is written (a few rule folders in use at
once each keep theirs)."""


def _prune(folder: Path, kind: str) -> None:
    with contextlib.suppress(OSError):
        used = []
        for path in folder.glob(f"{kind}-*.pickle"):
            with contextlib.suppress(OSError):
                used.append((path.stat().st_mtime_ns, path))
        for _, path in sorted(used, reverse=True)[KEEP:]:
            with contextlib.suppress(OSError):
                path.unlink()


@contextlib.contextmanager
def one_digest() -> Iterator[None]:
    """Inside, each folder's files are digested once (one command, whose files do not change while it runs:
    its rule library, patterns and check patterns share the digest of the same files). Outside, every load
    digests the files again, as a long-running process must to see an edit."""
    global _KEYS
    outer = _KEYS
    _KEYS = {} if outer is None else outer
    try:
        yield
    finally:
        _KEYS = outer


def _key(kind: str, root: Path) -> str | None:
    """The cache key of `kind` loaded from `root`: the digest of the files (once per folder inside
    `one_digest`) and the kind; None when the folder cannot be read."""
    if _KEYS is None:
        files = _files_digest(root)
    elif root in _KEYS:
        files = _KEYS[root]
    else:
        files = _KEYS[root] = _files_digest(root)
    return None if files is None else hashlib.sha256(f"{kind}\0{files}".encode()).hexdigest()


def _files_digest(root: Path) -> str | None:
    digest = hashlib.sha256()
    digest.update(f"{sys.version}\0".encode())
    try:
        import pydantic

        digest.update(pydantic.VERSION.encode())
        real = Path(os.path.realpath(root))
        digest.update(str(real).encode() + b"\0")
        if not real.is_dir():
            return None
        for base, files in ((real, _files(real)), (_PACKAGE, _files(_PACKAGE, ".py"))):
            for path in files:
                digest.update(str(path.relative_to(base)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return digest.hexdigest()


_PACKAGE = Path(__file__).resolve().parent


def _files(root: Path, suffix: str = "") -> list[Path]:
    """Every regular file below `root` (symlinked folders once each, hidden entries skipped), sorted.
    Raises OSError when a folder cannot be listed (the key cannot be computed)."""

    from imr_rules.sources import walk_files  # imported when used: this module is imported before a command needs yaml

    def unreadable(folder: Path, exc: OSError) -> None:
        raise exc

    found = walk_files(root, enter=lambda folder, name: name != "__pycache__", on_error=unreadable)
    return sorted(path for path in found if path.name.endswith(suffix) and path.is_file())


def _read(path: Path, key: str) -> object | None:
    """The cached value, or None when the file is missing or not a whole cache file of this key.

    A file is MAGIC, the key and a newline, the SHA-256 of the body's first part, then the body (`_dumps`):
    the payload's length (8 bytes, little-endian), the payload (a pickle) and the codes of the stored
    patterns (`_Code`). Only the header and the payload are read and checked here; each code is read and
    checked against its own digest when its pattern is first rebuilt."""
    header = MAGIC + key.encode() + b"\n"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    codes = _CodeFile(fd, 0)
    try:
        info = os.fstat(fd)
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
            return None  # someone else's file, or one others could have written: not trusted
        head = _read_at(fd, 0, len(header) + 40)
        if len(head) < len(header) + 40 or not head.startswith(header):
            return None
        check = head[len(header) : len(header) + 32]
        size = head[len(header) + 32 :]
        length = int.from_bytes(size, "little")
        if length > info.st_size:
            return None
        payload = _read_at(fd, len(header) + 40, length)
    except OSError:
        codes.close()
        return None
    if len(payload) != length or hashlib.sha256(size + payload).digest() != check:
        codes.close()
        return None
    codes.base = len(header) + 40 + length
    try:
        value: object = _Unpickler(io.BytesIO(payload), codes).load()
    except Exception:  # a payload written by other code under a colliding key: rebuild
        codes.close()
        return None
    if not codes.used:
        codes.close()  # nothing refers to the file's codes (a library, the check patterns, the regex file)
    return value


def _read_at(fd: int, offset: int, length: int) -> bytes:
    """`length` bytes of the file `fd` from `offset` (fewer at its end); leaves no file position behind
    where the platform can (`os.pread`)."""
    pread = getattr(os, "pread", None)
    if pread is not None:
        return bytes(pread(fd, length, offset))
    with _SEEK:
        os.lseek(fd, offset, os.SEEK_SET)
        chunks = []
        while length > 0 and (chunk := os.read(fd, length)):
            chunks.append(chunk)
            length -= len(chunk)
        return b"".join(chunks)


_SEEK = threading.Lock()  # `_read_at` without pread: one seek-and-read at a time


class _CodeFile:
    """An open cache file whose codes (`_Code`) are read when a pattern is first rebuilt; closed when
    nothing refers to it any more."""

    def __init__(self, fd: int, base: int) -> None:
        self.fd: int | None = fd
        self.base = base  # where the codes start
        self.used = False

    def read(self, offset: int, length: int, digest: bytes) -> bytes | None:
        """The code stored at `offset`, or None when it cannot be read whole or is not the code that was
        written (its digest differs)."""
        if self.fd is None:
            return None
        try:
            data = _read_at(self.fd, self.base + offset, length)
        except OSError:
            return None
        return data if len(data) == length and _code_digest(data) == digest else None

    def close(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def __del__(self) -> None:
        self.close()


def _code_digest(code: bytes) -> bytes:
    return hashlib.sha256(code).digest()[:16]


class _Code:
    """A stored pattern's code (`_without_compiled`). Written after the cache file's payload, so reading the
    file reads and hashes only the payload (the ~2,000 patterns' code is ~80% of the patterns file, ~8 MB,
    and a letter uses ~250 of them); read back, the code is read from the file, and checked against its
    own SHA-256 (16 bytes, stored in the payload), when `_compiled_regex` first needs it. A code that cannot
    be read or does not match makes `_compiled_regex` compile the pattern from its source. Pickled anywhere
    else (not by the cache's pickler), it carries its bytes."""

    __slots__ = ("_data", "_digest", "_file", "_length", "_offset")

    def __init__(
        self, data: bytes | None, file: _CodeFile | None = None, offset: int = 0, length: int = 0, digest: bytes = b""
    ) -> None:
        self._data = data
        self._file = file
        self._offset, self._length, self._digest = offset, length, digest

    def data(self) -> bytes | None:
        """The code, or None when it cannot be read back whole and unchanged."""
        if self._data is None and self._file is not None:
            self._data = self._file.read(self._offset, self._length, self._digest)
            self._file = None  # read once: the file may close when no other code needs it
        return self._data

    def __reduce__(self) -> tuple[Any, ...]:
        return _Code, (self.data(),)


class _Unpickler(pickle.Unpickler):
    """Reads a payload whose codes (`_Code`) were written after it, in the file `codes`."""

    def __init__(self, file: io.BytesIO, codes: _CodeFile) -> None:
        super().__init__(file)
        self.codes = codes

    def persistent_load(self, pid: Any) -> Any:
        if type(pid) is tuple and len(pid) == 4 and pid[0] == "code":
            _, offset, length, digest = pid
            self.codes.used = True
            return _Code(None, self.codes, offset, length, digest)
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


class _Pickler(pickle.Pickler):
    """pickle.Pickler storing each re.Pattern as the code `re` compiled it to (see the module docstring);
    `compiled` holds the code of patterns recorded as they were compiled (`_recording`)."""

    def __init__(self, file: io.BytesIO, compiled: dict[tuple[str, int], tuple[Any, ...]]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.compiled = compiled
        self.codes: list[bytes] = []  # the `_Code`s met, written after the payload
        self.size = 0

    def persistent_id(self, obj: object) -> Any:
        if type(obj) is not _Code:
            return None
        code = obj.data()
        if code is None:
            return None  # unreadable: pickled by `_Code.__reduce__` (None: compiled from source when loaded)
        self.codes.append(code)
        self.size += len(code)
        return ("code", self.size - len(code), len(code), _code_digest(code))

    def reducer_override(self, obj: object) -> Any:
        if type(obj) is re.Pattern:
            state = _regex_state(obj, self.compiled)
            if state is not None:
                return _compiled_regex, state
        return NotImplemented


def _regex_state(
    rx: re.Pattern[Any], compiled: dict[tuple[str, int], tuple[Any, ...]] | None = None
) -> tuple[Any, ...] | None:
    """(source, flags, code as bytes, groups, group index, index group): what `re` passes to `_sre.compile`,
    or None when this interpreter's `re` does not work that way or the code does not rebuild `rx`. Taken
    from `compiled` (recorded when `rx` was compiled) when it is there and rebuilds `rx`, else from `re`'s
    parser and code generator."""
    if compiled and isinstance(rx.pattern, str):
        state = compiled.get((rx.pattern, rx.flags))
        with contextlib.suppress(Exception):
            if state is not None and _compiled_regex(*state) == rx:
                return state
    try:
        import _sre

        try:
            from re import _compiler, _parser  # type: ignore[attr-defined]
        except ImportError:  # Python 3.10: the same functions, as top-level modules
            import sre_compile as _compiler
            import sre_parse as _parser

        if not isinstance(rx.pattern, str) or array("I").itemsize != _sre.CODESIZE:
            return None
        parsed = _parser.parse(rx.pattern, rx.flags)
        code = array("I", _compiler._code(parsed, rx.flags)).tobytes()
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        state = (rx.pattern, rx.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        return state if _compiled_regex(*state) == rx else None  # equal: same source, flags and code
    except Exception:
        return None


def _compiled_regex(
    pattern: str,
    flags: int,
    code: bytes | _Code,
    groups: int,
    groupindex: dict[str, int],
    indexgroup: tuple[str | None, ...],
) -> re.Pattern[str]:
    """The pattern rebuilt from its stored code (as `re.compile` ends); compiled from source if that fails
    (or a `_Code` cannot be read back unchanged)."""
    try:
        import _sre

        stored = code.data() if isinstance(code, _Code) else code
        if stored is None:
            return re.compile(pattern, flags)
        rx: re.Pattern[str] = _sre.compile(pattern, flags, array("I", stored).tolist(), groups, groupindex, indexgroup)
        return rx
    except Exception:
        return re.compile(pattern, flags)


def _dumps(value: object, compiled: dict[tuple[str, int], tuple[Any, ...]] | None = None) -> bytes:
    """A cache file's body: the payload's length (8 bytes, little-endian), the payload (the pickle of
    `value`) and the codes its `_Code`s refer to (see `_read`)."""
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, compiled or {})
    pickler.dump(value)
    payload = buffer.getvalue()
    return len(payload).to_bytes(8, "little") + payload + b"".join(pickler.codes)


def _write(path: Path, key: str, value: object, compiled: dict[tuple[str, int], tuple[Any, ...]] | None = None) -> bool:
    """Write atomically (temporary file, then rename); a cache that cannot be written is simply skipped
    (returns False)."""
    try:
        body = _dumps(value, compiled)
        path.parent.mkdir(parents=True, exist_ok=True)
        checked = body[: 8 + int.from_bytes(body[:8], "little")]  # the length and the payload (see `_read`)
        blob = MAGIC + key.encode() + b"\n" + hashlib.sha256(checked).digest() + body
        from imr_rules.sources import write_atomic

        write_atomic(path, lambda handle: handle.write(blob))
    except Exception:  # unwritable folder, full disk, an object that does not pickle: no cache this time
        return False
    return True


def clear() -> int:
    """Remove every cache file of imr-rules from the cache folder; returns how many were removed."""
    removed = 0
    folder = cache_dir()
    for path in folder.glob("*.pickle") if folder.is_dir() else []:
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    _SEEN.clear()
    return removed


_PRIMED: dict[tuple[str, int], tuple[Any, ...]] = {}  # (source, flags given) -> stored state, from the regex file
_BEFORE: frozenset[Any] = frozenset()  # the keys in `re`'s cache when `prime_regexes` ran
_BUILT = False  # this process built a library, patterns or check patterns (`_cached`): `re` compiled all of them


def _regex_file() -> tuple[Path, str]:
    """The regex file's path and key: one per Python build (a pattern's code depends on nothing else)."""
    key = hashlib.sha256(f"regex\0{sys.version}\0{sys.implementation.cache_tag}".encode()).hexdigest()
    return cache_dir() / f"regex-{key[:32]}.pickle", key


def _re_cache() -> dict[Any, Any] | None:
    """`re`'s own cache of compiled patterns (CPython 3.11: `re._cache`, keyed by (type, source, flags
    given)), or None when this `re` keeps no such dict."""
    cached = getattr(re, "_cache", None)
    return cached if isinstance(cached, dict) else None


def prime_regexes() -> None:
    """Fill `re`'s own cache with the patterns earlier runs compiled through it (`save_regexes`), each
    rebuilt from its stored code (~6 us) instead of parsed (~0.25 ms): the reader's and checker's
    module-level patterns and the check patterns `re.search` compiles, ~160 on a one-letter `check`.
    `re.compile(source, flags)` and `re.search(source, ...)` look a pattern up there first, by its source
    and the flags given; an entry is the pattern `re` itself compiles from that source and those flags
    (its code is checked to rebuild an equal pattern when stored, and rebuilt by `_sre.compile`, which
    validates it), whatever run stored it. Nothing happens when the cache is off, the file is missing or
    not whole, or this `re` keeps no such cache."""
    cached = _re_cache()
    if not enabled() or cached is None:
        return
    _record_run()
    path, key = _regex_file()
    found = _read(path, key)
    if not isinstance(found, list):
        return
    global _BEFORE
    _BEFORE = frozenset(cached)  # compiled before priming (by the modules `run` imports): never primed
    counting = _Counting(cached)
    for entry in found:
        with contextlib.suppress(Exception):
            source, flags, state = entry
            if type(source) is str and type(flags) is int and state[0] == source:
                counting.setdefault((str, source, flags), _compiled_regex(*state))
                _PRIMED[(source, flags)] = state
    re._cache = counting  # type: ignore[attr-defined]


_RUN_RECORDED: dict[tuple[str, int], tuple[Any, ...]] = {}  # what `re` compiled since `prime_regexes`


def _record_run() -> None:
    """Record, until `save_regexes`, the code of every pattern `re` compiles (as `_recording` does for a
    build, without its lock: a long-running command's threads may build while this records), so that
    saving parses nothing again."""
    try:
        import _sre
    except ImportError:
        return
    compile = _recording_compile(_sre.compile, _RUN_RECORDED)
    compile.real = _sre.compile  # put back by `save_regexes`
    _sre.compile = compile


def _stop_recording() -> bool:
    """Put `_sre.compile` back; False when `prime_regexes` did not record (nothing to save)."""
    with contextlib.suppress(Exception):
        import _sre

        real = getattr(_sre.compile, "real", None)
        if real is not None:
            _sre.compile = real
            return True
    return False


class _Counting(dict[Any, Any]):
    """`re`'s cache once primed: the same dict, noting which entries a lookup found (`save_regexes` keeps
    those and the patterns compiled since, so a pattern one run needed and the next did not is dropped)."""

    def __init__(self, entries: dict[Any, Any]) -> None:
        super().__init__(entries)
        self.found: set[Any] = set()

    def __getitem__(self, key: Any) -> Any:
        value = super().__getitem__(key)
        self.found.add(key)
        return value


def _per_process_sources() -> frozenset[str]:
    """Pattern sources that differ from one process to the next, so that no later run could be primed with
    them: `tokenize`'s token pattern (`PseudoToken`, built from a `set` of string prefixes, in hash order),
    compiled when pydantic reads a builtin `default_factory`'s signature (`inspect.signature(list)`).
    Stored, it made every warm run find one new pattern and one unused, and write the regex file again."""
    tokenize = sys.modules.get("tokenize")
    source = getattr(tokenize, "PseudoToken", None)
    return frozenset([source]) if isinstance(source, str) else frozenset()


def save_regexes() -> None:
    """Store for `prime_regexes` the string patterns in `re`'s cache (at most 512, as `re` keeps) that this
    run compiled or looked up, each as its code (recorded as `re` compiled it, `_record_run`), when that is
    not what the file holds and this run read the library from the cache; then stop recording. Never
    raises (an unwritable cache is skipped)."""
    primed = _stop_recording()
    cached = _re_cache()
    if not primed or not enabled() or cached is None or _BUILT:
        return  # a run that built the patterns compiled every one of them: not what a warm run needs
    with contextlib.suppress(Exception):
        found = cached.found if isinstance(cached, _Counting) else set(cached)
        keys = [(k[1], k[2]) for k in list(cached) if type(k) is tuple and len(k) == 3 and k[0] is str]
        # compiled in this run after priming, or primed and used
        keys = [k for k in keys if (str, *k) not in _BEFORE and (k not in _PRIMED or (str, *k) in found)]
        keys = [k for k in keys if k[0] not in _per_process_sources()]
        if set(keys) == _PRIMED.keys():
            return
        entries = []
        for source, flags in keys:
            state = _PRIMED.get((source, flags))
            if state is None:
                rx = cached.get((str, source, flags))
                state = _regex_state(rx, _RUN_RECORDED) if type(rx) is re.Pattern else None
            if state is not None:
                entries.append((source, flags, state))
        path, key = _regex_file()
        _write(path, key, entries)
