"""trailers(): the Key: value lines of a message's last paragraph, by git's rules."""

from __future__ import annotations

import pytest

from assay.history import trailers


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", ()),
        ("Reviewed-by: Ann <ann@example.com>", (("Reviewed-by", "Ann <ann@example.com>"),)),
        # Only the last paragraph holds trailers.
        ("Reviewed-by: Ann\n\nJust text.", ()),
        ("Text first.\n\nApproved-by: Bo\nReviewed-on: https://review.example/12",
         (("Approved-by", "Bo"), ("Reviewed-on", "https://review.example/12"))),
        # A line of prose in the block: not a trailer block...
        ("Reviewed-by: Ann\nthis line is prose", ()),
        # ...unless git wrote one of its lines and a quarter are trailers.
        ("Signed-off-by: Ann <a@x>\nprose one\nprose two\nprose three",
         (("Signed-off-by", "Ann <a@x>"),)),
        ("(cherry picked from commit abc)\nReviewed-by: Ann\nprose\nprose\nprose",
         (("Reviewed-by", "Ann"),)),
        # Continuation lines are folded into the trailer above them.
        ("Reviewed-by: Ann\n  and Bo", (("Reviewed-by", "Ann and Bo"),)),
        # Spaces around the colon; a key may hold digits and dashes.
        ("Co-authored-by2 :  Cy  ", (("Co-authored-by2", "Cy"),)),
        # Not a key: spaces inside, or nothing before the colon.
        ("Reviewed by: Ann", ()),
        (": Ann", ()),
        # Trailing blank lines and white space do not make an empty last paragraph.
        ("Reviewed-by: Ann\n\n   \n", (("Reviewed-by", "Ann"),)),
    ],
)  # fmt: skip
def test_trailers(body: str, expected: tuple[tuple[str, str], ...]) -> None:
    assert trailers(body) == expected
