"""A small company catalog shared by the catalog tests (pytest puts tests/ on sys.path)."""

COMPANY = """\
assay-catalog: 1
id: acme-secure-dev
version: "2026.1"
title: ACME secure development standard
source: ACME quality handbook, chapter 4
controls:
  - id: ACME-1
    title: Source code
    controls:
      - id: ACME-1.1
        title: No credentials in the repositories
        objective: Nobody finds a working credential in our code.
        severity: critical
        tags: [secrets]
        evidence:
          checks: [secrets.scan]
        relations:
          - {standard: acme-secure-dev, control: ACME-1.2, type: intersects,
             rationale: both keep secrets out}
      - id: ACME-1.2
        title: Secrets managed in the vault
        manual: true
      - id: ACME-1.3
        title: Reviewed changes
        evidence:
          checks: [process.review]
          condition: {measure: {name: process.reviewed_share, min: 90}}
        manual: true
"""
