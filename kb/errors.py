"""One exception type for user errors: its message is Danish and shown as is (CLI exit code 2)."""


class KbError(Exception):
    """A user-facing error. ``str(err)`` is a complete Danish sentence telling what to do."""
