"""ISO/IEC 25010:2023 ratings: a grade A-E per quality characteristic, from the audit's evidence.

The formula (``docs/ratings.md``): each sub-characteristic has evidence, either a
measure graded against four bounds or the findings of some checks graded by their
worst severity; a sub-characteristic takes the worst grade of its evidence that could
be assessed, and a characteristic the worst grade of its sub-characteristics. Evidence
that is missing (the check did not run, errored, or had nothing to judge) assesses
nothing: a characteristic without any evidence is "not assessed", never A.
"""

from assay.ratings.compute import rate
from assay.ratings.rules import CHARACTERISTICS, DEFAULT_RULES, Evidence, RatingRules

__all__ = ["CHARACTERISTICS", "DEFAULT_RULES", "Evidence", "RatingRules", "rate"]
