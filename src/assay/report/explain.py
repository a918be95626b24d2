"""``assay policy explain``: a policy as it applies to one product, with where each part comes from.

Rendered from the resolved policy (:mod:`assay.policy.resolve`), as a table of every
control, as one control's details, or as JSON with the same content.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assay.policy.resolve import ProductFacts, Resolved, ResolvedControl, Setting


def explain_document(
    resolved: Resolved, facts: ProductFacts, control_id: str | None = None
) -> dict[str, Any]:
    """The explanation as plain data: the product, and every (or one) control."""
    controls = [c for c in resolved.controls if control_id in (None, c.control.id)]
    return {
        "policy": {"id": resolved.loaded.policy.id, "source": resolved.loaded.source},
        "product": _product(facts),
        "controls": [_control(c, resolved) for c in controls],
    }


def _product(facts: ProductFacts) -> dict[str, Any]:
    return {
        "name": facts.name, "tier": facts.tier, "team": facts.team, "tags": sorted(facts.tags),
        "data_classification": facts.data_classification,
    }  # fmt: skip


def _control(control: ResolvedControl, resolved: Resolved) -> dict[str, Any]:
    checks = control.control.checks
    return {
        "id": control.control.id,
        "title": control.control.title,
        "standard": control.standard,
        "origin": control.origin,
        "applies": control.applies,
        "why": control.why,
        "attestation_required": control.needs_attestation or control.control.manual,
        "settings": [_setting(s) for s in control.settings],
        "checks": {
            check: [_setting(s) for s in resolved.check_settings.get(check, ())] for check in checks
        },
    }


def _setting(setting: Setting) -> dict[str, Any]:
    return {"name": setting.name, "value": setting.value, "source": setting.source}


def print_explanation(document: dict[str, Any], console: Console) -> None:
    """Every control in a table, or, for one control, all it says."""
    product = document["product"]
    facts = ", ".join(
        f"{key.replace('_', ' ')} {value}" for key, value in product.items()
        if key != "name" and value not in (None, [])
    )  # fmt: skip
    heading = f"Policy {document['policy']['id']} for product {product['name']}"
    console.print(Text(heading + (f" ({facts})" if facts else ""), style="bold"))
    controls = document["controls"]
    if len(controls) == 1:
        _print_one(controls[0], console)
        return
    table = Table()
    table.add_column("Control", no_wrap=True)
    table.add_column("Applies", no_wrap=True)
    table.add_column("Why")
    table.add_column("Severity", no_wrap=True)
    for control in controls:
        severity = next(s["value"] for s in control["settings"] if s["name"] == "severity")
        applies = "yes" if control["applies"] else "no"
        table.add_row(Text(control["id"]), applies, Text(control["why"]), str(severity))
    console.print(table)


def _print_one(control: dict[str, Any], console: Console) -> None:
    lines = [
        f"{control['id']}  {control['title']}",
        f"  from: {control['origin']}",
        f"  applies: {'yes' if control['applies'] else 'no'}: {control['why']}",
    ]
    if control["attestation_required"]:
        lines.append("  attestation: required")
    lines += [f"  {s['name']}: {s['value']}  ({s['source']})" for s in control["settings"]]
    for check, settings in control["checks"].items():
        lines.append(f"  check {check}:")
        lines += [f"    {s['name']} = {s['value']!r}  ({s['source']})" for s in settings]
        if not settings:
            lines.append("    (its default parameters)")
    for line in lines:
        console.print(Text(line))
