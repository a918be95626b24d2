"""Syntax trees of source files (tree-sitter), and what is measured on them.

Parsing only: nothing here imports, compiles or runs the code it reads. The
grammars come from the tree-sitter grammar wheels (one per language), loaded on
first use; each language's rules say, as tree-sitter queries, what a function is,
which tokens are decisions and which statements nest.
"""
