"""Errors the domain raises when a command cannot be carried out."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A command was refused: ``code`` is stable, ``message`` says why (in English, for logs and
    developers), ``field`` names the input. ``params`` are the refusal's particulars as codes
    (a record's kind, statuses): people read the catalogue's sentence for ``code`` with these
    in the catalogue's words (``mamar.api.messages.domain_message``), in every language."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        params: Mapping[str, str | tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.params: dict[str, str | tuple[str, ...]] = dict(params or {})

    def __str__(self) -> str:
        return (
            f"{self.message} [{self.code}]"
            if self.field is None
            else (f"{self.field}: {self.message} [{self.code}]")
        )


class NotFound(DomainError):
    def __init__(self, kind: str, entity_id: str, *, field: str | None = None) -> None:
        super().__init__(
            "not_found", f"no {kind} with id '{entity_id}'", field=field, params={"kind": kind}
        )


class AlreadyExists(DomainError):
    def __init__(self, kind: str, entity_id: str) -> None:
        super().__init__(
            "already_exists", f"a {kind} with id '{entity_id}' already exists", field="id"
        )


class IllegalTransition(DomainError):
    def __init__(self, kind: str, current: str, wanted: str, allowed: list[str]) -> None:
        allowed_text = ", ".join(allowed) if allowed else "none (final state)"
        article = "an" if kind[:1] and kind[0] in "aeiou" else "a"  # "an incident", "an escalation"
        super().__init__(
            "illegal_transition",
            f"{article} {kind} that is '{current}' cannot become '{wanted}';"
            f" allowed next: {allowed_text}",
            field="status",
            params={"current": current, "wanted": wanted, "allowed": tuple(allowed)},
        )
        self.current = current
        self.wanted = wanted


class NotPermitted(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__("not_permitted", message)


class Conflict(DomainError):
    """Someone else appended to the same stream first (optimistic concurrency)."""

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        # Versions count events the caller may not see: they stay on the exception.
        super().__init__("conflict", f"'{stream}' changed meanwhile; retry")
        self.expected = expected
        self.actual = actual


class SaidIn(DomainError):
    """A refusal already written in a language (``language``): a surface answering in that
    language shows it as it is (a file's bad line and column, in the user's words)."""

    def __init__(self, code: str, message: str, *, language: str, field: str | None = None) -> None:
        super().__init__(code, message, field=field)
        self.language = language
