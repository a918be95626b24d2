"""Package URLs (purl) for components, through packageurl-python."""

from __future__ import annotations

from packageurl import PackageURL
from packaging.utils import canonicalize_name

from assay.deps.model import Ecosystem

PURL_TYPES: dict[Ecosystem, str] = {
    Ecosystem.PYPI: "pypi",
    Ecosystem.NPM: "npm",
    Ecosystem.GO: "golang",
    Ecosystem.CARGO: "cargo",
    Ecosystem.RUBYGEMS: "gem",
    Ecosystem.PACKAGIST: "composer",
    Ecosystem.MAVEN: "maven",
    Ecosystem.NUGET: "nuget",
    Ecosystem.HEX: "hex",
    Ecosystem.PUB: "pub",
}


def _split(ecosystem: Ecosystem, name: str) -> tuple[str | None, str]:
    """Namespace and name as the purl type wants them."""
    if ecosystem is Ecosystem.NPM and name.startswith("@") and "/" in name:
        scope, _, rest = name.partition("/")
        return scope, rest
    if ecosystem is Ecosystem.MAVEN and ":" in name:
        group, _, artifact = name.partition(":")
        return group, artifact
    if ecosystem in (Ecosystem.GO, Ecosystem.PACKAGIST) and "/" in name:
        namespace, _, rest = name.rpartition("/")
        return namespace, rest
    return None, name


def make_purl(ecosystem: Ecosystem, name: str, version: str | None) -> str:
    """The purl of ``name`` at ``version`` (without a version when it is not fixed)."""
    namespace, short = _split(ecosystem, name)
    purl = PackageURL(
        type=PURL_TYPES[ecosystem], namespace=namespace, name=short, version=version or None
    )
    return str(purl.to_string())


def versionless(purl: str) -> str:
    """``purl`` without its version, qualifiers and subpath: the identity of a package."""
    parsed = PackageURL.from_string(purl)
    bare = PackageURL(type=parsed.type, namespace=parsed.namespace, name=parsed.name)
    return str(bare.to_string())


def package_key(ecosystem: Ecosystem, name: str) -> str:
    """The name under which an ecosystem's registry considers two spellings the same package."""
    if ecosystem is Ecosystem.PYPI:
        return canonicalize_name(name)
    if ecosystem is Ecosystem.CARGO:
        return name.lower().replace("_", "-")
    if ecosystem in (Ecosystem.NUGET, Ecosystem.PACKAGIST):
        return name.lower()
    return name
