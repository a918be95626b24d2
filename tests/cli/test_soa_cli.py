"""``assay soa``: the Statement of Applicability of a small portfolio, compared whole."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from test_tailoring_cli import CATALOG, POLICY

OPS = """\
assay-catalog: 1
id: acme-ops
version: "1"
title: ACME operations standard
source: ACME handbook
controls:
  - id: OPS-1
    title: Credentials stay out of repositories
    manual: true
    relations:
      - {standard: acme-dev, control: DEV-1, type: equal}
  - id: OPS-2
    title: Incident drills twice a year
    manual: true
"""


def quality_repo(make_repo: Any, tmp_path: Path) -> Path:
    shop = make_repo("shop", {"README.md": "# Shop\nSells things.\nTo people.\n"})
    lab = make_repo("lab", {"README.md": "# Lab\n"})
    quality = tmp_path / "quality"
    (quality / "catalogs").mkdir(parents=True)
    (quality / "catalogs" / "acme-dev.yaml").write_text(CATALOG)
    (quality / "catalogs" / "acme-ops.yaml").write_text(OPS)
    (quality / "policy.yaml").write_text(POLICY)
    (quality / "assay.yaml").write_text(
        "assay-portfolio: 1\npolicy: policy.yaml\nproducts:\n"
        f"  - {{name: shop, path: {shop.path}, team: payments, tier: 1}}\n"
        f"  - {{name: lab, path: {lab.path}, team: web, tier: 2, tags: [sandbox]}}\n"
    )
    return quality


def audited(assay: Any, quality: Path) -> dict[str, dict[str, str]]:
    yesterday = dt.date.today() - dt.timedelta(days=1)
    attested = assay("attest", "shop", "acme-dev:DEV-3", "-s", "Threat model reviewed.",
                     "--by", "Jane Roe", "--date", yesterday.isoformat(), cwd=quality)  # fmt: skip
    assert attested.returncode == 0, attested.stderr
    result = assay("audit", "--portfolio", "assay.yaml", "--format", "json", cwd=quality)
    assert result.returncode in (0, 1), result.stderr
    return {a["product"]["name"]: {"id": a["id"], "commit": a["source"]["commit"],
                                   "date": a["started_at"][:10]}
            for a in json.loads(result.stdout)["audits"]}  # fmt: skip


def normalised(text: str, audits: dict[str, dict[str, str]]) -> str:
    for name, audit in audits.items():
        text = text.replace(audit["id"][:12], f"{{{name} audit}}")
        text = text.replace(audit["commit"][:12], f"{{{name} commit}}")
        text = text.replace(audit["date"], "{date}")
    return text.replace((dt.date.today() - dt.timedelta(days=1)).isoformat(), "{yesterday}")


def test_the_statement_of_applicability_in_markdown(
    assay: Any, make_repo: Any, tmp_path: Path
) -> None:
    quality = quality_repo(make_repo, tmp_path)
    audits = audited(assay, quality)
    done = assay("soa", "--standard", "catalogs/acme-dev.yaml", cwd=quality)
    assert done.returncode == 0, done.stderr
    until = (dt.date.today() + dt.timedelta(days=364)).isoformat()
    assert normalised(done.stdout, audits) == (
        "# Statement of Applicability: ACME development standard (acme-dev)\n"
        "\n"
        "| product | implemented | partially implemented | not implemented | not assessed | "
        "not applicable |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| shop | 2 | 1 | 0 | 0 | 0 |\n"
        "| lab | 0 | 0 | 1 | 0 | 2 |\n"
        "\n"
        "## shop\n"
        "\n"
        "| control | title | applicable | justification | status | reason | via | evidence | "
        "date |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| DEV-1 | No credentials in code | yes |  | implemented | no finding |  | "
        "checks: secrets.scan; audit {shop audit} at commit {shop commit} | {date} |\n"
        "| DEV-2 | A README that says what the product is | yes |  | partially implemented | "
        "no finding; an attestation is also required, and none is given |  | "
        "checks: hygiene.readme; audit {shop audit} at commit {shop commit} | {date} |\n"
        "| DEV-3 | Threat model kept current | yes |  | implemented | attested by Jane Roe on "
        f"{{yesterday}}, valid until {until} |  | audit {{shop audit}} at commit "
        f"{{shop commit}}; attested by Jane Roe on {{yesterday}}, until {until} | {{date}} |\n"
        "\n"
        "## lab\n"
        "\n"
        "| control | title | applicable | justification | status | reason | via | evidence | "
        "date |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| DEV-1 | No credentials in code | no | excluded: sandboxes hold no real credentials "
        "(approved by Jane Roe (CISO); policy.yaml:7) | not applicable |  |  |  | {date} |\n"
        "| DEV-2 | A README that says what the product is | yes |  | not implemented | "
        "README.md has 1 non-blank line; at least 2 required |  | "
        "checks: hygiene.readme; audit {lab audit} at commit {lab commit} | {date} |\n"
        "| DEV-3 | Threat model kept current | no | out of scope: applies only to tier 1 "
        "(policy.yaml:12) | not applicable |  |  |  | {date} |\n"
    )


def test_a_standard_outside_the_policy_is_judged_through_its_relations(
    assay: Any, make_repo: Any, tmp_path: Path
) -> None:
    quality = quality_repo(make_repo, tmp_path)
    audited(assay, quality)
    done = assay("soa", "--standard", "catalogs/acme-ops.yaml", "--product", "shop",
                 "--format", "csv", cwd=quality)  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert rows[0] == (
        "product,control,title,applicable,justification,status,reason,via,evidence,date"
    )
    assert rows[1].startswith(
        "shop,OPS-1,Credentials stay out of repositories,yes,,implemented,no finding,"
        "acme-dev:DEV-1 (equal),checks: secrets.scan; audit "
    )
    assert rows[2].startswith(
        "shop,OPS-2,Incident drills twice a year,yes,,not assessed,"
        '"the policy does not include it, nor a control related to it",,,'
    )
    assert len(rows) == 3


def test_the_spreadsheet_has_a_summary_and_a_sheet_per_product(
    assay: Any, make_repo: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    quality = quality_repo(make_repo, tmp_path)
    audited(assay, quality)
    refused = assay("soa", "--standard", "catalogs/acme-dev.yaml", "--format", "xlsx",
                    cwd=quality)  # fmt: skip
    assert refused.returncode == 2
    assert "--format xlsx writes a file: give it with --output FILE" in refused.stderr
    target = tmp_path / "soa.xlsx"
    done = assay("soa", "--standard", "catalogs/acme-dev.yaml", "--format", "xlsx",
                 "-o", target, cwd=quality)  # fmt: skip
    assert done.returncode == 0, done.stderr
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "shop", "lab"]
    summary = [[cell.value for cell in row] for row in book["Summary"].iter_rows()]
    assert summary == [
        ["ACME development standard (acme-dev 1)", None, None, None, None, None],
        ["product", "implemented", "partially implemented", "not implemented", "not assessed",
         "not applicable"],
        ["shop", 2, 1, 0, 0, 0],
        ["lab", 0, 0, 1, 0, 2],
    ]  # fmt: skip
    lab = [[cell.value for cell in row] for row in book["lab"].iter_rows()]
    assert lab[0] == ["control", "title", "applicable", "justification", "status", "reason",
                      "via", "evidence", "date"]  # fmt: skip
    assert lab[1][:5] == [
        "DEV-1", "No credentials in code", "no",
        "excluded: sandboxes hold no real credentials (approved by Jane Roe (CISO); "
        "policy.yaml:7)", "not applicable",
    ]  # fmt: skip
    assert book["shop"]["E4"].value == "implemented"  # DEV-3, attested


def test_text_from_the_portfolio_is_never_a_formula_or_markup() -> None:
    from openpyxl import load_workbook

    from assay.report.soa import ProductSoa, SoaRow, render_csv, render_markdown, write_xlsx
    from assay.standards.model import Catalog

    hostile = '=HYPERLINK("http://x")|<b>\r\nnext'
    row = SoaRow(product=hostile, control="C-1", title=hostile, applicable=True,
                 justification="", status="implemented", reason="-2+3", via="", evidence="",
                 date="2026-11-25")  # fmt: skip
    soa = [ProductSoa(product=hostile, audit=None, rows=[row])]
    catalog = Catalog.model_validate({
        "assay-catalog": 1, "id": "x", "version": "1", "title": "@SUM(1)", "source": "s",
        "controls": [{"id": "C-1", "title": "t", "manual": True}],
    })  # fmt: skip
    lines = render_csv(soa).splitlines()
    assert lines[1].startswith('"\'=HYPERLINK(""http://x"")|<b>')
    assert ",'-2+3," in render_csv(soa).replace("\r\n", " ")
    markdown = render_markdown(catalog, soa)
    assert '| =HYPERLINK("http://x")\\|&lt;b> next |' in markdown
    path = Path(__import__("tempfile").mkdtemp()) / "soa.xlsx"
    write_xlsx(catalog, soa, str(path))
    book = load_workbook(path)
    cells = [c for sheet in book.worksheets for r in sheet.iter_rows() for c in r]
    assert all(c.data_type != "f" for c in cells)
    assert book["Summary"]["A1"].value == "@SUM(1) (x 1)"
    assert book["Summary"]["A3"].value == hostile.replace("\r", "")
