"""The rules of every language measured, by Assay's language name (identify's tags).

One module per language (or family sharing a grammar's shapes), each with a
``RULES`` mapping of language names to :class:`~assay.syntax.rules.LanguageRules`.
"""

from __future__ import annotations

from assay.syntax.languages import (
    c_family,
    csharp,
    go,
    java,
    javascript,
    kotlin,
    php,
    python,
    ruby,
    rust,
    swift,
)
from assay.syntax.rules import LanguageRules

RULES: dict[str, LanguageRules] = {}
for _module in (python, javascript, java, go, c_family, csharp, ruby, php, rust, kotlin, swift):
    RULES.update(_module.RULES)


def rules_for(language: str) -> LanguageRules | None:
    return RULES.get(language)
