"""Static analysis (SAST): adapters that run external analyzers on a product's files.

Each adapter is a product check (``sast.bandit``, ``sast.ruff``, ``sast.semgrep``) in a
module of its own. They share three things kept here in private modules: finding the
tool's executable (:mod:`._tools`), writing the product's wanted files from the
snapshot into a temporary folder the tool can read (:mod:`._materialize`), and turning
a tool's issues into findings whose identity survives edits elsewhere in the file
(:mod:`._issues`). The analyzers parse the files; nothing of the product is executed.
"""
