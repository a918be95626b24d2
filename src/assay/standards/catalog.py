"""Loading catalogs: the built-in ones shipped in the package, or a company's file."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

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
    kept = _kept_path(text)
    data = _read_kept(kept)
    if data is not None:
        with contextlib.suppress(ValidationError):
            return LoadedCatalog(catalog=Catalog.model_validate(data), source=source)
    document = parse_yaml_document(text, source, hint=_HINT)
    try:
        catalog = Catalog.model_validate(document.data)
    except ValidationError as error:
        raise CatalogError(
            describe_validation_error(document, Catalog, error), hint=_HINT
        ) from None
    _keep(kept, document.data)
    return LoadedCatalog(catalog=catalog, source=source)


# Parsing a catalog's YAML takes a tenth of a second or more (the built-in ISO/IEC 27001
# one), every time a policy that extends it is loaded. A valid catalog's data is kept
# as JSON in the cache folder, under its text's hash: the same text reads in
# milliseconds, any other text is parsed (and checked, with file:line) again.
_KEPT_FORMAT = 1


def _kept_path(text: str) -> Path | None:
    from assay.cache import cache_dir

    digest = hashlib.sha256(f"{_KEPT_FORMAT}\0{text}".encode()).hexdigest()[:24]
    try:
        return cache_dir() / "catalogs" / f"{digest}.json"
    except OSError:
        return None


def _read_kept(path: Path | None) -> Any:
    if path is None:
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _keep(path: Path | None, data: Any) -> None:
    if path is None:
        return
    from assay.cache import write_atomically

    # YAML can hold what JSON cannot (a date): such a catalog is simply parsed each time.
    with contextlib.suppress(TypeError, ValueError):
        write_atomically(path, json.dumps(data).encode())


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
