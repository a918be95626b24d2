"""The attestation file format, validated by pydantic (``assay schema attestation``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class EvidenceLink(_Strict):
    link: str = Field(min_length=1, description="Where the evidence is (a URL, a ticket).")


class EvidenceFile(_Strict):
    file: str = Field(
        min_length=1, description="A file kept beside the attestation (relative path)."
    )
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="Its SHA-256 when attested; checked at audits."
    )


class Attestation(_Strict):
    assay_attestation: Literal[1] = Field(alias="assay-attestation", description="Format version.")
    product: str = Field(min_length=1)
    control: str = Field(min_length=1, description="The control's id in the policy.")
    statement: str = Field(min_length=1, description="What the attester states is in place.")
    attested_by: str = Field(min_length=1, description="Who attests it.")
    date: dt.date = Field(description="When it was attested.")
    expires: dt.date = Field(description="The last day it holds.")
    evidence: list[EvidenceLink | EvidenceFile] = Field(default_factory=list)

    @field_validator("expires")
    @classmethod
    def _expires_after_date(cls, expires: dt.date, info: ValidationInfo) -> dt.date:
        attested = info.data.get("date")
        if attested is not None and expires <= attested:
            raise ValueError(f"expires ({expires}) must come after date ({attested})")
        return expires
