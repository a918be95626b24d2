"""Reading OSV records from JSON files, folders and zip exports, hostile ones included."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from vulndb_helpers import affected, record, span, write_zip

from assay.vulndb.load import Loaded, LoadError, LoadLimits, Skipped, load_paths
from assay.vulndb.osv import parse_record

ONE = record("PYSEC-2024-1", affected("PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0"))))
TWO = record("GHSA-aaaa-bbbb-cccc", affected("npm", "pkg", span("SEMVER", ("introduced", "0"))))


def summary(items: list[Loaded | Skipped]) -> list[str]:
    """Each item as text: ``source: record id`` or ``source: SKIPPED reason``."""
    return [
        f"{item.source}: {item.record.id}" if isinstance(item, Loaded)
        else f"{item.source}: SKIPPED {item.reason}"
        for item in items
    ]  # fmt: skip


def test_json_files_with_one_record_or_a_list(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps(ONE))
    several = tmp_path / "list.json"
    several.write_text(json.dumps([ONE, "oops", TWO]))
    assert summary(list(load_paths([single, several]))) == [
        f"{single}: PYSEC-2024-1",
        f"{several}, item 0: PYSEC-2024-1",
        f"{several}, item 1: SKIPPED not an OSV record: a JSON string, not an object",
        f"{several}, item 2: GHSA-aaaa-bbbb-cccc",
    ]


def test_the_record_model_is_lenient_about_nulls_and_unknown_fields() -> None:
    parsed = parse_record({
        "id": "GO-2024-1", "modified": "2024-05-01T00:00:00Z", "aliases": None,
        "summary": None, "affected": [{"package": {"ecosystem": "Go", "name": "m"},
                                       "ranges": None, "versions": None, "future": 1}],
        "brand_new_field": {"x": 1},
    })  # fmt: skip
    assert (parsed.id, parsed.aliases, parsed.summary, parsed.affected[0].ranges) == (
        "GO-2024-1",
        [],
        "",
        [],
    )


def test_folders_are_searched_for_json_and_zip_files(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "deep" / "one.json").write_text(json.dumps(ONE))
    write_zip(tmp_path / "a-all.zip", {"GHSA-aaaa-bbbb-cccc.json": TWO})
    (tmp_path / "README.md").write_text("not a record")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "hidden.json").write_text("{broken")
    assert summary(list(load_paths([tmp_path]))) == [
        f"{tmp_path / 'a-all.zip'}, member GHSA-aaaa-bbbb-cccc.json: GHSA-aaaa-bbbb-cccc",
        f"{tmp_path / 'b' / 'deep' / 'one.json'}: PYSEC-2024-1",
    ]


def test_bad_members_of_a_zip_are_reported_and_skipped(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "all.zip", {
        "PYSEC-2024-1.json": ONE,
        "broken.json": "{\"id\": ",
        "latin1.json": b"{\"id\": \"\xe9\"}",
        "array.json": "[]",
        "no-id.json": {"modified": "2024-05-01T00:00:00Z"},
        "bad-types.json": {**TWO, "affected": [{"versions": [1]}]},
        "GHSA-aaaa-bbbb-cccc.json": TWO,
        "notes.txt": "not JSON and not a .json member: not read",
    })  # fmt: skip
    where = f"{path}, member"
    assert summary(list(load_paths([path]))) == [
        f"{where} PYSEC-2024-1.json: PYSEC-2024-1",
        f"{where} broken.json: SKIPPED not valid JSON: Expecting value: line 1 column 8 (char 7)",
        f"{where} latin1.json: SKIPPED not valid JSON: 'utf-8' codec can't decode byte 0xe9 in "
        "position 8: invalid continuation byte",
        f"{where} no-id.json: SKIPPED record is not valid OSV: id: Field required",
        f"{where} bad-types.json: SKIPPED record GHSA-aaaa-bbbb-cccc is not valid OSV: "
        "affected.0.versions.0: Input should be a valid string",
        f"{where} GHSA-aaaa-bbbb-cccc.json: GHSA-aaaa-bbbb-cccc",
    ]


def test_json_nested_too_deeply_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert summary(list(load_paths([path]))) == [
        f"{path}: SKIPPED not valid JSON: nested too deeply"
    ]


def test_oversized_members_and_files_are_not_read(tmp_path: Path) -> None:
    limits = LoadLimits(max_json_bytes=1000)
    big = {**ONE, "details": "x" * 2000}
    path = write_zip(tmp_path / "all.zip", {"big.json": big, "PYSEC-2024-1.json": ONE})
    file = tmp_path / "big.json"
    file.write_text(json.dumps(big))
    size = len(json.dumps(big))
    assert summary(list(load_paths([path, file], limits=limits))) == [
        f"{path}, member big.json: SKIPPED not read: {size:,} bytes is over the 1,000-byte limit "
        "for one JSON document",
        f"{path}, member PYSEC-2024-1.json: PYSEC-2024-1",
        f"{file}: SKIPPED not read: {size:,} bytes is over the 1,000-byte limit for one JSON "
        "document",
    ]


def test_a_zip_bomb_member_is_refused_without_inflating_it(tmp_path: Path) -> None:
    path = tmp_path / "all.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.json", b"[" + b" " * (8 * 1024 * 1024) + b"]")
        archive.writestr("PYSEC-2024-1.json", json.dumps(ONE))
    with zipfile.ZipFile(path) as archive:
        packed = archive.getinfo("bomb.json").compress_size
    size = 8 * 1024 * 1024 + 2
    assert summary(list(load_paths([path]))) == [
        f"{path}, member bomb.json: SKIPPED refused as a zip bomb: {packed:,} bytes inflate to "
        f"{size:,} ({size // packed:,} times; JSON records inflate at most 200 times)",
        f"{path}, member PYSEC-2024-1.json: PYSEC-2024-1",
    ]


def test_a_zip_whose_members_add_up_past_the_limit_is_refused_whole(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "all.zip", {"a.json": ONE, "b.json": TWO, "c.json": ONE})
    first_two = len(json.dumps(ONE)) + len(json.dumps(TWO))
    limits = LoadLimits(max_total_bytes=first_two)
    with pytest.raises(LoadError) as caught:
        list(load_paths([path], limits=limits))
    assert str(caught.value) == (
        f"{path}: refused as a zip bomb: its JSON members inflate to more than {first_two:,} "
        "bytes (the limit is crossed at member c.json)"
    )


def test_a_truncated_zip_is_an_error_naming_the_file(tmp_path: Path) -> None:
    whole = write_zip(tmp_path / "whole.zip", {"a.json": ONE}).read_bytes()
    path = tmp_path / "all.zip"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(LoadError) as caught:
        list(load_paths([path]))
    assert str(caught.value) == f"{path}: not a readable zip file (File is not a zip file)"


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        list(load_paths([tmp_path / "nowhere.zip"]))
    assert str(caught.value) == f"{tmp_path / 'nowhere.zip'}: no such file or folder"
