"""Assay: the company's quality standard as code, audited against every product."""

__version__ = "0.1.0"
