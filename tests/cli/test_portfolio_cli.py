"""``assay audit --portfolio``: many products in parallel, failures isolated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

README = "# Product\n\n" + "".join(f"Line {i} of a useful README.\n" for i in range(12))


def _portfolio(folder: Path, products: str) -> Path:
    path = folder / "assay.yaml"
    path.write_text("assay-portfolio: 1\nproducts:\n" + products)
    return path


@pytest.fixture
def mixed_portfolio(make_repo: Any, tmp_path: Path) -> Path:
    make_repo("billing", {"README.md": README})
    make_repo("shop", {"README.md": "# shop\n"})
    (tmp_path / "plain").mkdir()
    broken = make_repo("broken", {"README.md": README})
    (broken.path / ".git" / "HEAD").unlink()
    return _portfolio(
        tmp_path,
        "  - {name: billing, path: billing, team: payments, tier: 1, tags: [pci]}\n"
        "  - {name: shop, path: shop, team: web, tier: 2}\n"
        "  - {name: ghost, path: never-cloned}\n"
        "  - {name: plain, path: plain}\n"
        "  - {name: broken, path: broken}\n",
    )


def test_portfolio_audits_all_products_and_reports_failures(
    mixed_portfolio: Path, assay: Any, tmp_path: Path
) -> None:
    result = assay("audit", "--portfolio", mixed_portfolio, "--jobs", "2", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["schema_version"] == "1"
    audited = {a["product"]["name"]: a for a in document["audits"]}
    assert sorted(audited) == ["billing", "shop"]
    assert audited["billing"]["product"] == {
        "name": "billing",
        "path": str(tmp_path / "billing"),
        "team": "payments",
        "tier": 1,
        "tags": ["pci"],
        "data_classification": None,
    }
    assert document["failures"] == [
        {"product": "ghost", "reason": f"{tmp_path / 'never-cloned'}: no such file or directory"},
        {"product": "plain", "reason": f"{tmp_path / 'plain'}: not a git repository"},
        {
            "product": "broken",
            "reason": f"{tmp_path / 'broken'}: corrupt git repository (fatal: not a git "
            "repository (or any of the parent directories): .git)",
        },
    ]
    history = json.loads(assay("history", "--format", "json").stdout)
    assert sorted(row["product"] for row in history) == ["billing", "shop"]


def test_portfolio_table_and_progress(mixed_portfolio: Path, assay: Any) -> None:
    result = assay("audit", "--portfolio", mixed_portfolio)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    names = {"billing", "shop", "ghost", "plain", "broken"}
    rows = {
        ln.split()[0]: ln.split()[1:] for ln in lines if ln.split()[:1] and ln.split()[0] in names
    }
    assert rows["billing"][-2:] == ["5", "failing"]
    assert rows["shop"][-2:] == ["6", "failing"]
    assert rows["ghost"] == rows["plain"] == rows["broken"] == ["not", "audited"]
    assert lines[-1] == "2 audited, 3 could not be audited"
    assert "ghost: " in result.stdout
    assert "5/5 products" in result.stderr


def test_plain_audit_in_a_folder_with_assay_yaml_audits_the_portfolio(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    make_repo("billing", {"README.md": README})
    _portfolio(tmp_path, "  - {name: billing, path: billing}\n")
    result = assay("audit", "--format", "json", cwd=tmp_path)
    document = json.loads(result.stdout)
    assert [a["product"]["name"] for a in document["audits"]] == ["billing"]
    assert document["failures"] == []


def test_portfolio_policy_is_taken_from_assay_yaml(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    make_repo("billing", {"README.md": README})
    (tmp_path / "policy.yaml").write_text(
        "assay-policy: 1\nid: mine\ntitle: Mine\ncontrols:\n"
        "  - {id: M-1, title: README, checks: [hygiene.readme]}\n"
    )
    path = tmp_path / "assay.yaml"
    path.write_text(
        "assay-portfolio: 1\npolicy: policy.yaml\nproducts:\n  - {name: billing, path: billing}\n"
    )
    result = assay("audit", "--portfolio", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    audit = json.loads(result.stdout)["audits"][0]
    assert audit["policy"]["id"] == "mine"
    assert [v["control_id"] for v in audit["verdicts"]] == ["M-1"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "assay-portfolio: 1\nproducts:\n  - {name: a, path: a, teem: x}\n",
            "{p}:3:24: products[0].teem: unknown key 'teem'; did you mean 'team'?",
        ),
        (
            "assay-portfolio: 1\nproducts:\n  - {name: a, path: a, tier: 7}\n",
            "{p}:3:30: products[0].tier: Input should be less than or equal to 3 (got 7)",
        ),
        (
            "assay-portfolio: 1\nproducts:\n  - {name: a, path: a}\n  - {name: a, path: b}\n",
            "{p}:4:12: products[1].name: duplicate product name 'a'",
        ),
    ],
    ids=["unknown-key", "tier-out-of-range", "duplicate-names"],
)
def test_bad_portfolio(assay: Any, tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "assay.yaml"
    path.write_text(content)
    result = assay("audit", "--portfolio", path)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {problem.replace('{p}', str(path))}\n"
        "hint: fix assay.yaml; docs/portfolio.md describes its keys\n"
    )


def test_missing_portfolio_file(assay: Any, tmp_path: Path) -> None:
    result = assay("audit", "--portfolio", tmp_path / "nope.yaml")
    assert result.returncode == 2
    assert result.stderr == f"error: {tmp_path / 'nope.yaml'}: no such portfolio file\n"


CRASH_POLICY = """\
assay-policy: 1
id: crash
title: Crash
controls:
  - {id: C-1, title: README, checks: [hygiene.readme]}
  - {id: C-2, title: Crash, checks: [tiny.crash]}
"""


def test_a_worker_that_dies_fails_only_its_own_product(
    make_repo: Any, assay: Any, tmp_path: Path, tiny_plugin: Path
) -> None:
    names = ["alpha", "bravo", "crash", "delta", "echo"]
    for name in names:
        make_repo(name, {"README.md": README})
    (tmp_path / "crash.yaml").write_text(CRASH_POLICY)
    path = tmp_path / "assay.yaml"
    path.write_text(
        "assay-portfolio: 1\npolicy: crash.yaml\nproducts:\n"
        + "".join(f"  - {{name: {n}, path: {n}}}\n" for n in names)
    )
    env = {"PYTHONPATH": str(tiny_plugin), "TINY_CRASH_ON": "crash"}
    result = assay("audit", "--portfolio", path, "--jobs", "2", "--format", "json", env=env)
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert sorted(a["product"]["name"] for a in document["audits"]) == [
        "alpha", "bravo", "delta", "echo",
    ]  # fmt: skip
    assert document["failures"] == [
        {
            "product": "crash",
            "reason": "the worker process auditing it died (killed, or out of memory)",
        }
    ]


def test_a_policy_naming_an_unknown_check_stops_the_portfolio_before_it_starts(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    make_repo("billing", {"README.md": README})
    (tmp_path / "bad.yaml").write_text(
        "assay-policy: 1\nid: bad\ntitle: Bad\ncontrols:\n"
        "  - {id: B-1, title: B, checks: [hygiene.readem]}\n"
    )
    path = _portfolio(tmp_path, "  - {name: billing, path: billing}\n")
    result = assay("audit", "--portfolio", path, "--policy", tmp_path / "bad.yaml")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {tmp_path / 'bad.yaml'}:5:34: controls[0].checks[0]: unknown check "
        "'hygiene.readem'; did you mean 'hygiene.readme'?\n"
        "hint: fix the file, then check it with `assay policy validate FILE`\n"
    )
