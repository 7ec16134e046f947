"""What the vault holds of a person on a manifest, and the search terms it gives."""

from __future__ import annotations

from pydantic import Field

from mamar.domain.model import Value
from mamar.domain.text import Name, Prose, ProseLine
from mamar.manifests.names import name_terms, origin_terms
from mamar.persons.personal import PhoneNumber


class PersonDetails(Value):
    """A person's name, year of birth (rather than a date: few know it), origin, phones."""

    full_name: Name
    year_of_birth: int | None = Field(default=None, ge=1900, le=2100)
    origin: ProseLine | None = None  # the place they come from, as they say it, in its language
    relation: ProseLine | None = None  # to the group's first person: "son", "grandmother"
    phones: tuple[PhoneNumber, ...] = ()
    notes: Prose | None = None

    def search_terms(self) -> list[tuple[str, str]]:
        terms = name_terms(self.full_name)
        if self.year_of_birth is not None:
            terms.append(("y", str(self.year_of_birth)))
        if self.origin:
            terms.extend(origin_terms(self.origin.original))
        return terms
