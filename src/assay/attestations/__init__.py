"""Attestations: a person's signed-off statement that a manual control is met.

Files in the quality repository, ``attestations/<product>/*.yaml``, one per control,
written by ``assay attest`` or by hand, and judged at every audit: valid until they
expire, and only while the evidence files they name still hash as recorded.
"""

from assay.attestations.files import Attestations, attestation_path, load_attestations
from assay.attestations.judge import apply_attestations
from assay.attestations.model import Attestation, EvidenceFile, EvidenceLink

__all__ = [
    "Attestation",
    "Attestations",
    "EvidenceFile",
    "EvidenceLink",
    "apply_attestations",
    "attestation_path",
    "load_attestations",
]
