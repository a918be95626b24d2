"""One module per manifest or lock-file format, each a ``LockfileParser``."""
