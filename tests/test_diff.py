"""Changed lines from git diff hunks: headers, content that looks like headers, odd paths."""

from __future__ import annotations

from typing import Any

from assay.diff import changed_lines, parse_unified_diff


def test_an_added_line_that_looks_like_a_header_is_content() -> None:
    output = (
        b"diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,0 +2,2 @@\n"
        b"+++ b/y.c\n+++ /dev/null\n@@ -9 +11 @@\n-a\n+b\n"
        b"diff --git a/my file.py b/my file.py\n--- a/my file.py\n+++ b/my file.py\t\n"
        b"@@ -0,0 +1 @@\n+x\n"
    )
    assert parse_unified_diff(output) == {"x.c": {2, 3, 11}, "my file.py": {1}}


def test_lines_changed_on_the_base_meanwhile_are_not_the_change_s(make_repo: Any) -> None:
    repo = make_repo("p", {"a.py": "".join(f"a{n}\n" for n in range(10)), "b.py": "b\n"})
    repo.git("switch", "-q", "-c", "feature")
    repo.commit_files({"b.py": "b\nb2\n"})
    repo.git("switch", "-q", "main")
    repo.commit_files({"a.py": "".join(f"a{n}\n" for n in range(10)).replace("a4", "A4")})
    repo.git("switch", "-q", "feature")
    head = repo.git("rev-parse", "HEAD").strip()
    assert changed_lines(repo.path, "main", head) == {"b.py": {2}}


def test_the_repository_cannot_widen_hunks_with_its_own_configuration(make_repo: Any) -> None:
    repo = make_repo("p", {"a.py": "".join(f"a{n}\n" for n in range(10))})
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("config", "diff.interHunkContext", "5")
    text = "".join(f"a{n}\n" for n in range(10)).replace("a1\n", "A1\n").replace("a4\n", "A4\n")
    repo.commit_files({"a.py": text})
    head = repo.git("rev-parse", "HEAD").strip()
    assert changed_lines(repo.path, base, head) == {"a.py": {2, 5}}
