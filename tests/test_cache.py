"""The result cache: payloads by (check key, object id), skip reasons by blob id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assay.cache import ResultCache, cache_dir, check_key


def ids(count: int, prefix: str = "") -> list[str]:
    width = 40 - len(prefix)
    return [f"{prefix}{i:0{width}x}" for i in range(count)]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[ResultCache]:
    opened = ResultCache(tmp_path / "cache" / "results.sqlite3")
    yield opened
    opened.close()


def test_a_cache_without_a_file_remembers_nothing() -> None:
    nothing = ResultCache(None)
    nothing.store("k", {"a": "payload"})
    nothing.remember_skips({"a": "binary"})
    assert nothing.lookup("k", ["a"]) == {}
    assert nothing.skip_reasons(["a"]) == {}
    assert nothing.clear() == 0
    nothing.close()


def test_check_key_names_the_check_and_the_versions_results_depend_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata

    from assay import cache

    key = check_key("hygiene.readme", "2", "abc123")
    assert key == f"hygiene.readme@2#abc123~{cache.environment_salt()}"
    # Another version of identify (language tables) gives other keys.
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata,
        "version",
        lambda name: "999" if name == "identify" else real(name),
    )
    cache.environment_salt.cache_clear()
    try:
        assert check_key("hygiene.readme", "2", "abc123") != key
    finally:
        monkeypatch.undo()
        cache.environment_salt.cache_clear()


def test_store_and_lookup_more_ids_than_one_query_takes(cache: ResultCache) -> None:
    # Queried in chunks of 500 ids: two full chunks and a partial one.
    every = ids(1234)
    payloads = {object_id: f'{{"n":{n}}}' for n, object_id in enumerate(every)}
    cache.store("chk@1#p", payloads)
    asked = [*every[::-1], "f" * 40, every[0]]  # unknown and repeated ids too
    assert cache.lookup("chk@1#p", asked) == payloads
    middle = every[600:1100]
    assert cache.lookup("chk@1#p", iter(middle)) == {i: payloads[i] for i in middle}
    assert cache.lookup("chk@1#p", []) == {}


def test_keys_are_isolated(cache: ResultCache) -> None:
    cache.store(check_key("chk", "1", "p"), {"a": "one"})
    cache.store(check_key("chk", "2", "p"), {"a": "two"})
    cache.store(check_key("chk", "1", "q"), {"a": "three", "b": "four"})
    assert cache.lookup(check_key("chk", "1", "p"), ["a", "b"]) == {"a": "one"}
    assert cache.lookup(check_key("chk", "2", "p"), ["a", "b"]) == {"a": "two"}
    assert cache.lookup(check_key("chk", "1", "q"), ["a", "b"]) == {"a": "three", "b": "four"}
    assert cache.lookup(check_key("other", "1", "p"), ["a", "b"]) == {}


def test_a_later_store_replaces_the_payload(cache: ResultCache) -> None:
    cache.store("k", {"a": "old", "b": "kept"})
    cache.store("k", {"a": "new"})
    cache.store("k", {})
    assert cache.lookup("k", ["a", "b"]) == {"a": "new", "b": "kept"}


def test_skip_reasons(cache: ResultCache) -> None:
    blobs = ids(700, "b")
    assert blobs[0] == "b" + "0" * 39
    reasons = {blob: ("binary" if n % 2 else "undecodable") for n, blob in enumerate(blobs)}
    cache.remember_skips(reasons)
    cache.remember_skips({})
    assert cache.skip_reasons([*blobs, "0" * 40]) == reasons
    cache.remember_skips({blobs[0]: "binary"})
    assert cache.skip_reasons([blobs[0]]) == {blobs[0]: "binary"}
    # Skip reasons are facts about a blob, not results of a check.
    assert cache.lookup("k", blobs[:3]) == {}


def test_clear_counts_and_empties(cache: ResultCache) -> None:
    cache.store("k1", {"a": "1", "b": "2"})
    cache.store("k2", {"a": "3"})
    cache.remember_skips({"x": "binary", "y": "undecodable"})
    assert cache.clear() == 5
    assert cache.lookup("k1", ["a", "b"]) == {}
    assert cache.lookup("k2", ["a"]) == {}
    assert cache.skip_reasons(["x", "y"]) == {}
    assert cache.clear() == 0


def test_two_caches_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    first, second = ResultCache(path), ResultCache(path)
    first.store("k", {"a": "from first"})
    second.remember_skips({"blob": "binary"})
    assert second.lookup("k", ["a"]) == {"a": "from first"}
    assert first.skip_reasons(["blob"]) == {"blob": "binary"}
    assert second.clear() == 2
    assert first.lookup("k", ["a"]) == {}
    first.close()
    second.close()
    assert ResultCache(path).lookup("k", ["a"]) == {}


def test_the_cache_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "results.sqlite3"
    cache = ResultCache(path)
    cache.store("k", {"a": "kept"})
    cache.close()
    cache.close()  # closing twice is harmless
    again = ResultCache(path)
    assert again.lookup("k", ["a"]) == {"a": "kept"}
    again.close()


def test_cache_dir_honours_assay_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_dir() == tmp_path / "elsewhere"
    default = ResultCache.default()
    assert default.path == tmp_path / "elsewhere" / "results.sqlite3"
    default.store("k", {"a": "b"})
    default.close()
    assert (tmp_path / "elsewhere" / "results.sqlite3").is_file()


def test_cache_dir_without_the_variable_is_the_user_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import platformdirs

    monkeypatch.delenv("ASSAY_CACHE_DIR")
    assert cache_dir() == Path(platformdirs.user_cache_dir("assay"))
    monkeypatch.setenv("ASSAY_CACHE_DIR", "")
    assert cache_dir() == Path(platformdirs.user_cache_dir("assay"))
