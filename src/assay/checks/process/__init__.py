"""Change-process checks (``process.*``): evidence from git history alone.

How changes reach the default branch (reviewed or direct), whether commits and tags
are signed, whether releases are tagged and come with a changelog, and how the work
is spread over people and files. Each check judges a window of history that ends
at the audited commit's committer time, not at the clock, so that auditing the
same commit again gives the same result.
"""
