"""The Statement of Applicability: every control of a standard, per product.

For each control: whether it applies to the product (and why not, with the
exclusion's justification), how far it is implemented, from the product's latest
stored audit and its attestations, and the evidence behind that. A control the
policy does not take from this standard is judged through the controls it relates
to in the audit (``via``): an ``equal`` control, or one that covers it whole, gives
its status; one that covers only a part (``intersects``, or a part of it) can show
it partially implemented at most.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from assay.attestations import Attestations
from assay.model import Audit, Verdict, VerdictStatus
from assay.policy.resolve import Resolved
from assay.standards.model import Catalog, CatalogControl, RelationType

IMPLEMENTED = "implemented"
PARTIAL = "partially implemented"
NOT_IMPLEMENTED = "not implemented"
NOT_ASSESSED = "not assessed"
NOT_APPLICABLE = "not applicable"
STATUSES = (IMPLEMENTED, PARTIAL, NOT_IMPLEMENTED, NOT_ASSESSED, NOT_APPLICABLE)

_FROM_VERDICT = {
    VerdictStatus.PASS: IMPLEMENTED,
    VerdictStatus.WARN: NOT_IMPLEMENTED,  # a warn control whose condition does not hold
    VerdictStatus.FAIL: NOT_IMPLEMENTED,
    VerdictStatus.ERROR: NOT_ASSESSED,
    VerdictStatus.MANUAL: NOT_ASSESSED,
}
# How much of the control a related control covers: "whole" or "part".
_COVERS_FROM_THIS = {  # a relation on the standard's control, to the audited one
    RelationType.EQUAL: "whole", RelationType.SUBSET: "whole",
    RelationType.SUPERSET: "part", RelationType.INTERSECTS: "part",
}  # fmt: skip
_COVERS_FROM_OTHER = {  # a relation on the audited control, to the standard's one
    RelationType.EQUAL: "whole", RelationType.SUPERSET: "whole",
    RelationType.SUBSET: "part", RelationType.INTERSECTS: "part",
}  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class SoaRow:
    product: str
    control: str
    title: str
    applicable: bool
    justification: str
    status: str
    reason: str
    via: str
    evidence: str
    date: str


@dataclass(frozen=True, kw_only=True)
class ProductSoa:
    product: str
    audit: Audit | None
    rows: list[SoaRow]


def product_soa(
    catalog: Catalog,
    *,
    product: str,
    resolved: Resolved,
    policy_hash: str,
    audit: Audit | None,
    attestations: Attestations,
    catalogs: Mapping[str, Catalog],
) -> ProductSoa:
    """Every assessable control of ``catalog`` for one product."""
    in_policy = {c.control.id: c for c in resolved.controls}
    verdicts = {v.control_id: v for v in audit.verdicts} if audit else {}
    if audit is not None and audit.policy.hash != policy_hash:
        # Judged under another version of the policy: say so beside every verdict.
        note = f" (audited under policy version {audit.policy.hash[:12]}; now {policy_hash[:12]})"
        verdicts = {
            key: v.model_copy(update={"reason": v.reason + note}) for key, v in verdicts.items()
        }
    rows = []
    for control in catalog.walk():
        if not control.assessable:
            continue
        qualified = f"{catalog.id}:{control.id}"
        resolved_control = in_policy.get(qualified)
        base = {"product": product, "control": control.id, "title": control.title}
        if resolved_control is not None and not resolved_control.applies:
            rows.append(SoaRow(**base, applicable=False, justification=resolved_control.why,
                               status=NOT_APPLICABLE, reason="", via="", evidence="",
                               date=_date(audit)))  # fmt: skip
            continue
        verdict, via, covers = verdicts.get(qualified), "", "whole"
        if resolved_control is None:
            verdict, via, covers = _related(catalog, control, verdicts, catalogs)
        rows.append(_row(base, verdict, via=via, covers=covers, audit=audit,
                         attestations=attestations,
                         in_policy=resolved_control is not None))  # fmt: skip
    return ProductSoa(product=product, audit=audit, rows=rows)


def _row(
    base: dict[str, str],
    verdict: Verdict | None,
    *,
    via: str,
    covers: str,
    audit: Audit | None,
    attestations: Attestations,
    in_policy: bool,
) -> SoaRow:
    if verdict is None:
        reason = (
            "no stored audit of the product" if audit is None and in_policy
            else "the policy does not include it, nor a control related to it"
            if not in_policy else "not in the product's latest audit"
        )  # fmt: skip
        return SoaRow(**base, applicable=True, justification="", status=NOT_ASSESSED,
                      reason=reason, via="", evidence="", date=_date(audit))  # fmt: skip
    if verdict.status is VerdictStatus.NOT_APPLICABLE:
        return SoaRow(**base, applicable=False, justification=verdict.reason,
                      status=NOT_APPLICABLE, reason="", via=via, evidence=_evidence(
                          verdict, audit, attestations), date=_date(audit))  # fmt: skip
    status = _FROM_VERDICT[verdict.status]
    if status == IMPLEMENTED and covers == "part":
        status = PARTIAL
    if verdict.status is VerdictStatus.MANUAL and verdict.evidence:
        status = PARTIAL  # checks that judged it passed; the attestation is still owed
    return SoaRow(**base, applicable=True, justification="", status=status,
                  reason=verdict.reason, via=via,
                  evidence=_evidence(verdict, audit, attestations), date=_date(audit))  # fmt: skip


def _related(
    catalog: Catalog,
    control: CatalogControl,
    verdicts: Mapping[str, Verdict],
    catalogs: Mapping[str, Catalog],
) -> tuple[Verdict | None, str, str]:
    """The audited control that best stands for ``control``: (verdict, via, covers)."""
    found: list[tuple[int, str, Verdict, str]] = []
    for relation in control.relations:
        qualified = f"{relation.standard}:{relation.control}"
        verdict = verdicts.get(qualified)
        if verdict is not None:
            covers = _COVERS_FROM_THIS[relation.type]
            found.append((covers == "part", qualified, verdict,
                          f"{qualified} ({relation.type.value})"))  # fmt: skip
    for other in catalogs.values():
        for entry in other.walk():
            qualified = f"{other.id}:{entry.id}"
            verdict = verdicts.get(qualified)
            if verdict is None:
                continue
            for relation in entry.relations:
                if relation.standard == catalog.id and relation.control == control.id:
                    covers = _COVERS_FROM_OTHER[relation.type]
                    found.append((covers == "part", qualified, verdict,
                                  f"{qualified} ({relation.type.value}, from it)"))  # fmt: skip
    if not found:
        return None, "", "whole"
    partial, _, verdict, via = min(found, key=lambda f: (f[0], f[1]))
    return verdict, via, "part" if partial else "whole"


def _evidence(verdict: Verdict, audit: Audit | None, attestations: Attestations) -> str:
    parts = []
    if verdict.evidence:
        parts.append("checks: " + ", ".join(verdict.evidence))
    if audit is not None:
        commit = f" at commit {audit.source.commit[:12]}" if audit.source.commit else ""
        parts.append(f"audit {audit.id[:12]}{commit}")
    found = attestations.get(verdict.control_id)
    if found is not None:
        a = found.attestation
        parts.append(f"attested by {a.attested_by} on {a.date}, until {a.expires}")
    return "; ".join(parts)


def _date(audit: Audit | None) -> str:
    return audit.started_at.date().isoformat() if audit is not None else ""


# --------------------------------------------------------------------------- renderers

COLUMNS = ("control", "title", "applicable", "justification", "status", "reason", "via",
           "evidence", "date")  # fmt: skip


def summary(products: Sequence[ProductSoa]) -> list[dict[str, Any]]:
    """Per product: how many controls in each status."""
    rows = []
    for soa in products:
        counts = Counter(row.status for row in soa.rows)
        rows.append({"product": soa.product, **{status: counts[status] for status in STATUSES}})
    return rows


def render_json(standard: Catalog, products: Sequence[ProductSoa]) -> str:
    return json.dumps(
        {
            "standard": {"id": standard.id, "version": standard.version, "title": standard.title},
            "summary": summary(products),
            "products": [
                {"product": p.product, "audit": p.audit.id if p.audit else None,
                 "controls": [asdict(row) for row in p.rows]}
                for p in products
            ],
        },
        indent=2,
    )  # fmt: skip


def render_csv(products: Sequence[ProductSoa]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("product", *COLUMNS))
    for soa in products:
        for row in soa.rows:
            cells = (row.product, *(_cell(row, column) for column in COLUMNS))
            writer.writerow([_csv_cell(cell) for cell in cells])
    return out.getvalue()


def render_markdown(standard: Catalog, products: Sequence[ProductSoa]) -> str:
    lines = [f"# Statement of Applicability: {standard.title} ({standard.id})", ""]
    lines += ["| product | " + " | ".join(STATUSES) + " |",
              "| --- |" + " --- |" * len(STATUSES)]  # fmt: skip
    lines += [f"| {_md(r['product'])} | " + " | ".join(str(r[s]) for s in STATUSES) + " |"
              for r in summary(products)]  # fmt: skip
    for soa in products:
        lines += ["", f"## {_md(soa.product)}", ""]
        lines += ["| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
        lines += ["| " + " | ".join(_md(_cell(row, c)) for c in COLUMNS) + " |"
                  for row in soa.rows]  # fmt: skip
    return "\n".join(lines) + "\n"


def write_xlsx(standard: Catalog, products: Sequence[ProductSoa], path: str) -> None:
    """One sheet per product and a summary sheet first, with a header row each."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Summary"
    _xlsx_text(sheet.cell(row=1, column=1), f"{standard.title} ({standard.id} {standard.version})")
    sheet["A1"].font = Font(bold=True)
    for column, name in enumerate(["product", *STATUSES], start=1):
        _xlsx_text(sheet.cell(row=2, column=column), name)
    for number, counts in enumerate(summary(products), start=3):
        _xlsx_text(sheet.cell(row=number, column=1), counts["product"])
        for column, status in enumerate(STATUSES, start=2):
            sheet.cell(row=number, column=column, value=counts[status])
    for soa in products:
        page = book.create_sheet(_sheet_title(soa.product, book.sheetnames))
        for column, name in enumerate(COLUMNS, start=1):
            _xlsx_text(page.cell(row=1, column=column), name)
            page.cell(row=1, column=column).font = Font(bold=True)
        for number, row in enumerate(soa.rows, start=2):
            for column, name in enumerate(COLUMNS, start=1):
                _xlsx_text(page.cell(row=number, column=column), _cell(row, name))
    book.save(path)


def _cell(row: SoaRow, column: str) -> str:
    value = getattr(row, column)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _md(text: str) -> str:
    flat = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return flat.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


# What a spreadsheet program reads as the start of a formula, in a CSV cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(text: str) -> str:
    # Text from repositories and policies: a leading quote keeps a spreadsheet from
    # evaluating it (CSV cannot mark a cell as text any other way).
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _xlsx_text(cell: Any, text: str) -> None:
    """Set a cell to ``text`` as text, never a formula, without characters XML refuses."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"


def _sheet_title(product: str, taken: Sequence[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ ; unique in the book.
    base = "".join("_" if c in "[]:*?/\\" else c for c in product)[:31] or "product"
    title, number = base, 2
    while title in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    return title
