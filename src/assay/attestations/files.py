"""Reading and writing attestation files: ``<folder>/<product>/<control>.yaml``.

The folder is the quality repository's ``attestations/`` (beside ``assay.yaml``).
A product's folder is read whole; a file is found by the control it names, not by
its name. Symlinks are never followed, and evidence files must lie below the
product's folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from assay.attestations.model import Attestation
from assay.errors import ConfigError

_HINT = "fix the attestation file; docs/attestations.md describes the format"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
MAX_ATTESTATION_BYTES = 256 * 1024


@dataclass(frozen=True, kw_only=True)
class Found:
    attestation: Attestation
    path: Path


@dataclass(frozen=True, kw_only=True)
class Attestations:
    """A product's attestations by control id, and the folder their evidence is in."""

    folder: Path | None
    by_control: dict[str, Found] = field(default_factory=dict)

    def get(self, control_id: str) -> Found | None:
        return self.by_control.get(control_id)


def attestation_path(folder: Path, product: str, control_id: str) -> Path:
    """Where ``assay attest`` writes the attestation of ``control_id`` for ``product``."""
    return folder / _safe(product) / f"{_safe(control_id)}.yaml"


def _safe(name: str) -> str:
    # "iso27001-2022:A.8.28" -> "iso27001-2022_A.8.28": a file name on every system,
    # and never one that climbs (".", "..").
    safe = _UNSAFE_NAME.sub("_", name)
    return "_" if safe.strip(".") == "" else safe


def load_attestations(folder: Path | None, product: str) -> Attestations:
    """Every attestation of ``product`` under ``folder``; a file that is not a valid
    attestation of this product is a ConfigError naming it (and the line)."""
    if folder is None:
        return Attestations(folder=None)
    product_folder = folder / _safe(product)
    if not _real_directory(product_folder):
        return Attestations(folder=product_folder)
    found: dict[str, Found] = {}
    for path in sorted(product_folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or not _regular_file(path):
            continue
        attestation = _read(path)
        if attestation.product != product:
            raise ConfigError(
                f"{path}: attests product {attestation.product!r}, but lies in the folder "
                f"of {product!r}", hint=_HINT,
            )  # fmt: skip
        if attestation.control in found:
            other = found[attestation.control].path
            raise ConfigError(
                f"{path}: a second attestation of {attestation.control!r} (the first: {other})",
                hint=_HINT,
            )
        found[attestation.control] = Found(attestation=attestation, path=path)
    return Attestations(folder=product_folder, by_control=found)


def _read(path: Path) -> Attestation:
    from pydantic import ValidationError

    from assay.config import describe_validation_error, parse_yaml_document, read_config_text

    if path.stat().st_size > MAX_ATTESTATION_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_ATTESTATION_BYTES} bytes", hint=_HINT)
    document = parse_yaml_document(read_config_text(path, hint=_HINT), str(path), hint=_HINT)
    try:
        return Attestation.model_validate(document.data)
    except ValidationError as error:
        raise ConfigError(
            describe_validation_error(document, Attestation, error), hint=_HINT
        ) from None


def evidence_digest(folder: Path, name: str) -> str | None:
    """SHA-256 of the evidence file ``name`` below ``folder``; None if it is not there
    as a regular file (missing, a symlink, outside the folder)."""
    relative = PurePosixPath(name)
    if (
        relative.is_absolute()
        or "\\" in name  # a Windows separator: ".." could hide in one "part"
        or ":" in name  # a Windows drive or stream
        or any(part in ("", ".", "..") for part in relative.parts)
    ):
        return None
    path = folder
    for part in relative.parts[:-1]:
        path = path / part
        if not _real_directory(path):
            return None
    return _digest_of_regular_file(path / relative.parts[-1])


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _digest_of_regular_file(path: Path) -> str | None:
    """Opened without following a symlink or waiting on a pipe, then checked to be a
    regular file: what was checked is what is read."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _real_directory(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def write_attestation(
    folder: Path, attestation: Attestation, evidence_files: list[Path], *, replace: bool
) -> Path:
    """Write ``attestation`` (with ``evidence_files`` copied beside it and hashed).

    A file already below the product's folder is recorded where it is; any other is
    copied into ``<control>/`` beside the attestation. Refuses to overwrite an
    existing attestation unless ``replace``.
    """
    import shutil

    from ruamel.yaml import YAML

    from assay.attestations.model import EvidenceFile

    path = attestation_path(folder, attestation.product, attestation.control)
    _check_target(folder, attestation, path, replace=replace)
    names = [source.name for source in evidence_files]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ConfigError(f"two evidence files are named {', '.join(twice)}; rename one")
    path.parent.mkdir(parents=True, exist_ok=True)
    recorded = []
    for source in evidence_files:
        if not _regular_file(source):
            raise ConfigError(f"{source}: no such file (or not a regular file)")
        kept = _below(source, path.parent)
        if kept is None:
            target = path.parent / path.stem / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            kept = PurePosixPath(path.stem, source.name).as_posix()
        digest = evidence_digest(path.parent, kept)
        assert digest is not None  # just written or checked as a regular file below it
        recorded.append(EvidenceFile(file=kept, sha256=digest))
    final = attestation.model_copy(update={"evidence": [*attestation.evidence, *recorded]})
    data = final.model_dump(mode="json", by_alias=True)
    data["date"], data["expires"] = final.date, final.expires  # written as YAML dates
    yaml = YAML()  # round-trip: keys in the model's order
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return path


def _check_target(folder: Path, attestation: Attestation, path: Path, *, replace: bool) -> None:
    """Refuse to write through a symlink, over an attestation without ``replace``, or a
    second attestation of a control that a file of another name already attests."""
    if path.is_symlink():
        raise ConfigError(f"{path}: a symlink; an attestation is never written through one")
    if path.exists() and not replace:
        raise ConfigError(f"{path}: an attestation is already there",
                          hint="give --replace to write a new one over it")  # fmt: skip
    known = load_attestations(folder, attestation.product).get(attestation.control)
    if known is not None and known.path != path:
        raise ConfigError(f"{known.path}: already attests {attestation.control}",
                          hint="edit or remove that file")  # fmt: skip


def _below(path: Path, folder: Path) -> str | None:
    """``path`` relative to ``folder`` (posix) if it lies below it, else None."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return None
