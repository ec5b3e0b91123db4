"""Exceptions the core raises for things a user can fix."""

from __future__ import annotations


class CalmsError(Exception):
    """Base class: a problem with a clear, user-facing message."""


class ValidationError(CalmsError):
    """A document (workshop, questionnaire) is malformed.

    Attributes:
        source: the file (or other source) the document came from.
        where: a JSON path such as ``$.votes[3].score``; empty for a problem of the
            file itself (it does not exist), which names no place in it.
        problem: what is wrong there.
    """

    def __init__(self, where: str, problem: str, source: str = "") -> None:
        self.source = source
        self.where = where
        self.problem = problem
        super().__init__(self._message())

    def _message(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        where = f"{self.where}: " if self.where else ""
        return f"{prefix}{where}{self.problem}"

    def with_source(self, source: str) -> ValidationError:
        """Return the same error, naming the file it came from."""
        return ValidationError(self.where, self.problem, source)


class OperationError(CalmsError):
    """An operation cannot be applied to a workshop (unknown id, bad value)."""


class LibraryLocked(CalmsError):
    """Another process is writing to the same library."""


class NotFound(CalmsError):
    """No workshop with that id in the library."""


class LibraryUnavailable(CalmsError):
    """The library folder cannot be used: missing drive, read-only, no permission."""
