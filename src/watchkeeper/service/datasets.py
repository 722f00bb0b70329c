"""Dataset names for the yente-compatible API: each list under a name FtM accepts.

FtM (and so yente and its clients) takes a dataset name only when ``slugify(name, "_")``
leaves it unchanged: lower-case letters, digits and underscores. Our list names may carry
hyphens (``ofac-cons``, ``partner-<name>``), so the API shows each list as its slug with
hyphens turned into underscores (``ofac_cons``, ``partner_acme``) and reads either spelling
back. Should two lists slug to one name (``a-b`` and ``a_b``), the later one in name order
gets ``_2``, ``_3``... so every dataset name still stands for exactly one list.
"""

from collections.abc import Iterable

from followthemoney.dataset.util import dataset_name_check
from normality import slugify_text


class DatasetNames:
    """The dataset name of each list, and the list of each name or list name."""

    def __init__(self, list_names: Iterable[str]) -> None:
        self.of_list: dict[str, str] = {}
        for name in sorted(list_names):
            base = slugify_text(name, sep="_") or "list"
            slug, n = base, 1
            while slug in self.of_list.values():
                n += 1
                slug = f"{base}_{n}"
            self.of_list[name] = dataset_name_check(slug)
        self._lists = {slug: name for name, slug in self.of_list.items()}

    def dataset(self, list_name: str) -> str:
        """The dataset name of a list (the list name itself for one not loaded)."""
        return self.of_list.get(list_name, list_name)

    def list_of(self, name: str) -> str | None:
        """The list a dataset name, or a list name, stands for; None for neither."""
        if name in self.of_list:
            return name
        return self._lists.get(name)
