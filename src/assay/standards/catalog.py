"""Loading catalogs: the built-in ones shipped in the package, or a company's file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from assay.errors import ConfigError
from assay.standards.model import Catalog

_HINT = "fix the catalog; docs/standards.md describes the format (assay schema catalog)"


class CatalogError(ConfigError):
    """A catalog cannot be read, or its relations point at controls that do not exist."""


@dataclass(frozen=True, kw_only=True)
class LoadedCatalog:
    catalog: Catalog
    source: str  # "iso27001-2022 (built-in)" or the file's path


def builtin_catalog_ids() -> list[str]:
    """Ids of the catalogs shipped with Assay, sorted."""
    folder = resources.files("assay.standards.catalogs")
    return sorted(
        item.name.removesuffix(".yaml") for item in folder.iterdir() if item.name.endswith(".yaml")
    )


BUILTIN_CATALOGS = tuple(builtin_catalog_ids())


def load_catalog(location: str | Path) -> LoadedCatalog:
    """A built-in catalog by id, or a catalog file by path."""
    from assay.config import describe_validation_error, parse_yaml_document, read_config_text

    name = str(location)
    if name in BUILTIN_CATALOGS:
        text = (
            resources.files("assay.standards.catalogs").joinpath(f"{name}.yaml").read_text("utf-8")
        )
        source = f"{name} (built-in)"
    else:
        source = name
        text = read_config_text(Path(name), hint=_HINT)
    document = parse_yaml_document(text, source, hint=_HINT)
    try:
        catalog = Catalog.model_validate(document.data)
    except ValidationError as error:
        raise CatalogError(
            describe_validation_error(document, Catalog, error), hint=_HINT
        ) from None
    return LoadedCatalog(catalog=catalog, source=source)


def dangling_relations(catalogs: Mapping[str, Catalog]) -> list[str]:
    """Relations whose standard or control is not among ``catalogs`` (say which, in words)."""
    problems = []
    for catalog in catalogs.values():
        for control in catalog.walk():
            for relation in control.relations:
                other = catalogs.get(relation.standard)
                if other is None:
                    problems.append(f"{catalog.id} {control.id}: no catalog {relation.standard!r}")
                elif other.find(relation.control) is None:
                    problems.append(
                        f"{catalog.id} {control.id}: {relation.standard} has no control "
                        f"{relation.control!r}"
                    )
    return problems
