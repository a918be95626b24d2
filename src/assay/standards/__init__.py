"""Standards as code: catalogs of controls (built-in or the company's), in Assay's YAML format.

A catalog is a standard: its id, version, title and source, and a tree of controls
(groups, and assessable controls at the leaves) with official identifiers kept
exactly, short titles and objectives in Assay's own words, a default severity, tags,
the evidence that checks give (checks, a pass condition, default parameters) or
``manual`` when a person must attest, and relations to controls of other standards.
"""

from assay.standards.catalog import (
    BUILTIN_CATALOGS,
    CatalogError,
    LoadedCatalog,
    builtin_catalog_ids,
    load_catalog,
)
from assay.standards.model import Catalog, CatalogControl, Evidence, Relation, RelationType

__all__ = [
    "BUILTIN_CATALOGS",
    "Catalog",
    "CatalogControl",
    "CatalogError",
    "Evidence",
    "LoadedCatalog",
    "Relation",
    "RelationType",
    "builtin_catalog_ids",
    "load_catalog",
]
