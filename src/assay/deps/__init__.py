"""Dependencies: manifests and lock files parsed into components, without executing anything.

One parser per format (``deps/formats``), each behind the ``LockfileParser``
Protocol and registered in the ``assay.deps.parsers`` entry-point group exactly
like a third-party parser. ``inventory.collect`` reads every file a parser
claims from a snapshot and rolls the results up into one ``Inventory`` that the
``deps.*``, ``vulns.*`` and ``license.*`` checks and ``assay sbom`` share.
"""
