"""One exception tree. Every message names the thing at fault and says what to do."""

from __future__ import annotations


class CablegramError(Exception):
    """Base of every error Cablegram reports to a user (never shown as a traceback)."""

    code = "E000"
    http_status = 500
    exit_code = 1

    def __str__(self) -> str:
        """Prefix the message with its code."""
        return f"[{self.code}] {super().__str__()}"


class InputError(CablegramError):
    """A file that cannot be read, decoded or split."""

    code = "E100"
    http_status = 400


class UnreadableFileError(InputError):
    """The file cannot be opened or decoded."""

    code = "E101"


class UnsupportedFormatError(InputError):
    """No reader handles this kind of file."""

    code = "E102"


class ArchiveError(CablegramError):
    """An archive that is missing, damaged or of another version."""

    code = "E200"
    exit_code = 2


class ArchiveNotFoundError(ArchiveError):
    """No archive at the given directory."""

    code = "E201"


class NotFoundError(CablegramError):
    """A document or page that does not exist."""

    code = "E300"
    http_status = 404
    exit_code = 2


class QueryError(CablegramError):
    """A search query that cannot be understood."""

    code = "E400"
    http_status = 400
    exit_code = 2
