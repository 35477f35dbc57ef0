"""The one error hierarchy of cpkg.

The CLI turns a :class:`CpkgError` into a single line on stderr and exit code 1; usage
problems are click's business (exit 2).  Every error names where the problem is (file,
line, field) so that a journalist can fix a YAML file without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path


class CpkgError(Exception):
    """A problem with input or state that the user can fix; exit code 1."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """``file:line: field: message (hint)`` with the parts that are known."""
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{field}{self.message}{hint}"


class InputError(CpkgError):
    """Malformed or inconsistent input data (YAML, Turtle, article text)."""


class ValidationError(CpkgError):
    """The graph does not conform to the SHACL shapes or integrity checks."""

    def __init__(self, message: str, report: str = "", **kw: object) -> None:
        self.report = report
        super().__init__(message, **kw)  # type: ignore[arg-type]


class QueryError(CpkgError):
    """A SPARQL query or named-query parameter that cannot be run."""


class NotBuiltError(CpkgError):
    """A command needs the built graph and there is none yet."""
