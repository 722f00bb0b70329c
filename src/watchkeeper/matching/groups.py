"""Screening results per person: the hits on linked listings of one person, as one result.

UN's QDi.325 and OFAC's 17066 are one man (``store.links``); a screening that hits both
should put him before an analyst once, with both listings, each with its own score and
explanation, and the facts that tie them. Grouping only gathers hits: it never changes a
score, and a listing linked to nothing is a group of one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from watchkeeper.matching.screener import Hit
from watchkeeper.store.links import Listing, Persons, active_links
from watchkeeper.store.models import EntityLink


@dataclass(frozen=True)
class Group:
    """One person (or organisation) and the hits on its listings, best first."""

    hits: tuple[Hit, ...]
    links: tuple[EntityLink, ...]
    """The facts that tie the group's listings (every listing of its lists, hit or not)."""
    also: tuple[Listing, ...]
    """Listings of the same person in the screened lists that scored no hit."""

    @property
    def best(self) -> Hit:
        """The hit the group is ranked and named by."""
        return self.hits[0]

    @property
    def alert(self) -> bool:
        """Whether any listing reaches the threshold: one alert for the person."""
        return any(h.alert for h in self.hits)

    @property
    def entity_ids(self) -> list[str]:
        """The ids of the hit listings, best first."""
        return [h.entity_id for h in self.hits]

    def links_as_dicts(self) -> list[dict[str, Any]]:
        """The tying facts per pair of listings, for JSON output."""
        pairs: dict[tuple[str, str], list[dict[str, str]]] = {}
        for link in self.links:
            fact = {"kind": link.kind, "value": link.value}
            pairs.setdefault((link.entity_a, link.entity_b), []).append(fact)
        return [{"entity_a": a, "entity_b": b, "facts": f} for (a, b), f in pairs.items()]

    def as_dict(self, listings: bool = True) -> dict[str, Any]:
        """Plain data for JSON output: the person's listings, each as ``Hit.as_dict``
        (left out with ``listings=False`` where the hits are written beside it)."""
        data: dict[str, Any] = {
            "entity_ids": self.entity_ids,
            "name": self.best.name,
            "score": round(self.best.score, 4),
            "alert": self.alert,
        }
        if listings:
            data["listings"] = [h.as_dict() for h in self.hits]
        data["also_listed"] = [entity_id for _, entity_id in self.also]
        data["links"] = self.links_as_dicts()
        return data


class Linker(Persons):
    """The links between listings, as groups of listings that are one person."""

    @classmethod
    def from_store(cls, engine: Engine, lists: Iterable[str] | None = None) -> "Linker":
        """The links between the active versions of ``lists`` (every list when None)."""
        return cls(active_links(engine, lists))

    def linked_ids(self, entity_ids: Iterable[str]) -> set[str]:
        """``entity_ids`` and the ids of every listing linked to one of them: all the
        listings of the persons they stand for."""
        wanted = set(entity_ids)
        listings = {n for link in self.links for n in _both(link) if n[1] in wanted}
        roots = {self.root(listing) for listing in listings}
        return wanted | {e for root in roots for _, e in self.members(root)}

    def group(self, hits: list[Hit], lists: frozenset[str] | None = None) -> list[Group]:
        """``hits`` (best first) gathered per person, in the order of each one's best hit;
        ``also`` keeps to ``lists`` when given (the lists screened)."""
        gathered: dict[Listing, list[Hit]] = {}
        for hit in hits:
            node = (hit.list_name, hit.entity_id)
            gathered.setdefault(self.root(node), []).append(hit)
        groups = []
        for key, members in gathered.items():
            listings = self.members(key)
            hit_nodes = {(h.list_name, h.entity_id) for h in members}
            also = tuple(
                n for n in listings if n not in hit_nodes and (lists is None or n[0] in lists)
            )
            groups.append(Group(tuple(members), tuple(self.facts(key)), also))
        return groups


def _both(link: EntityLink) -> tuple[Listing, Listing]:
    return (link.list_a, link.entity_a), (link.list_b, link.entity_b)
