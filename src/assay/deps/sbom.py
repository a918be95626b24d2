"""CycloneDX 1.6 JSON SBOM of an inventory, built with cyclonedx-python-lib.

The product is the BOM's metadata component; every component is a library
with its purl as bom-ref. The dependency graph Assay knows is one level deep:
the product depends on its direct components (lock files name the others but
not always who pulls them in), so only that level is written.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import datetime

from cyclonedx.factory.license import LicenseFactory
from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component as BomComponent
from cyclonedx.model.component import ComponentScope, ComponentType
from cyclonedx.model.tool import Tool
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from assay import __version__
from assay.deps.inventory import Inventory
from assay.deps.model import Component, Scope

_SCOPES = {
    Scope.RUNTIME: ComponentScope.REQUIRED,
    # CycloneDX: "excluded" marks components used for tests and other non-runtime purposes.
    Scope.DEV: ComponentScope.EXCLUDED,
    Scope.UNKNOWN: None,
}
_DIRECTNESS = {True: "true", False: "false", None: "unknown"}


def sbom_json(
    inventory: Inventory,
    *,
    product: str,
    version: str | None,
    timestamp: datetime | None = None,
) -> str:
    """The inventory as a CycloneDX 1.6 JSON document."""
    root = BomComponent(
        name=product, version=version, type=ComponentType.APPLICATION, bom_ref=f"product:{product}"
    )
    bom = Bom()
    bom.metadata.component = root
    if timestamp is not None:
        bom.metadata.timestamp = timestamp
    bom.metadata.tools.tools.add(Tool(vendor="Assay", name="assay", version=__version__))
    components = [_component(item) for item in _ordered(inventory.unique())]
    for component in components:
        bom.components.add(component)
    direct = [c for c, item in zip(components, _ordered(inventory.unique()), strict=True)
              if item.direct]  # fmt: skip
    bom.register_dependency(root, direct)
    for component in components:
        bom.register_dependency(component, [])
    with warnings.catch_warnings():
        # When no lock file says which components are direct, the product's own
        # dependency list is honestly empty; the library warns about that.
        warnings.filterwarnings("ignore", message=".*Dependency Graph is incomplete.*")
        return str(JsonV1Dot6(bom).output_as_string(indent=2))


def _ordered(components: Iterable[Component]) -> list[Component]:
    return sorted(components, key=lambda c: (c.purl, c.location or "", c.declared_in))


def _component(item: Component) -> BomComponent:
    purl = PackageURL.from_string(item.purl)
    properties = [
        Property(name="assay:declared_in", value=item.declared_in),
        Property(name="assay:direct", value=_DIRECTNESS[item.direct]),
        Property(name="assay:source", value=item.source.value),
    ]
    if item.requirement:
        properties.append(Property(name="assay:requirement", value=item.requirement))
    if item.location:
        properties.append(Property(name="assay:location", value=item.location))
    licenses = [LicenseFactory().make_from_string(item.license)] if item.license else []
    ref = item.purl if item.location is None else f"{item.purl}#{item.location}"
    return BomComponent(
        name=purl.name,
        group=purl.namespace,
        version=item.version,
        purl=purl,
        bom_ref=ref,
        scope=_SCOPES[item.scope],
        licenses=licenses,
        properties=properties,
    )
