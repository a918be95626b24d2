"""SARIF 2.1.0 written by any analyzer, read into results Assay judges (:mod:`.ingest`)."""

from assay.sarif.ingest import SarifError, SarifLog, SarifResult, SarifRun, parse_sarif, read_sarif

__all__ = ["SarifError", "SarifLog", "SarifResult", "SarifRun", "parse_sarif", "read_sarif"]
