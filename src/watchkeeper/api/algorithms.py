"""The scoring algorithms a ``/match`` request may name, and the explanations they give.

``logic-wk`` is watchkeeper's matcher and the ``best``. yente's own algorithms (logic-v2,
name-based, name-qualified, logic-v1, regression-v1) are nomenklatura's, offered when it is
installed (``pip install watchkeeper[nomenklatura]``): they rescore the candidates
watchkeeper's index retrieves, so a client that asks for logic-v2 gets logic-v2's scores
and says so, never logic-wk's under another name. A name that is not installed is refused.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from followthemoney import EntityProxy

from watchkeeper.matching.native import doc
from watchkeeper.matching.score import LogicWK

BEST = "best"
YENTE = ("logic-v2", "name-based", "name-qualified", "logic-v1", "regression-v1")
"""yente's enabled algorithms (``yente/routers/util.py``), in its order."""
Config = Mapping[str, str | int | float | bool | None]
Explanations = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Algorithm:
    """A named algorithm: its docs in yente's shape, and how to score with it."""

    name: str
    description: str
    features: dict[str, dict[str, Any]]
    """Each feature's description, coefficient (weight) and url: yente's ``FeatureDocs``."""
    config: dict[str, dict[str, Any]]
    """Each configuration variable's type, description and default."""
    nomenklatura: Any = None
    """The nomenklatura class, for its algorithms; None for logic-wk."""

    def docs(self) -> dict[str, Any]:
        """yente's ``Algorithm`` entry of ``/algorithms``."""
        docs = {
            "name": self.name,
            "description": self.description,
            "config": self.config,
            "features": self.features,
        }
        return {
            "name": self.name,
            "description": self.description,
            "features": self.features,
            "docs": docs,
        }

    def compare(
        self,
        query: EntityProxy,
        result: EntityProxy,
        weights: Mapping[str, float],
        config: Config,
    ) -> tuple[float, Explanations]:
        """nomenklatura's score and explanations for one candidate."""
        from nomenklatura.matching import ScoringConfig

        scoring = ScoringConfig(weights=dict(weights), config=dict(config))
        found = self.nomenklatura.compare(query=query, result=result, config=scoring)
        explanations: Explanations = {
            str(name): {
                "score": float(ft.score),
                "detail": ft.detail,
                "query": ft.query,
                "candidate": ft.candidate,
            }
            for name, ft in found.explanations.items()
        }
        return float(found.score), explanations


def _first_line(text: str | None) -> str:
    return " ".join((text or "").split("\n\n")[0].split())


LOGIC_WK = Algorithm(
    name=LogicWK.NAME,
    description=_first_line(doc(LogicWK)),
    features={
        f.name: {"description": _first_line(doc(f.func)), "coefficient": f.weight, "url": ""}
        for f in LogicWK.FEATURES
    },
    config={},
)


def _installed() -> dict[str, Algorithm]:
    try:
        from nomenklatura.matching import ALGORITHMS
    except ImportError:  # the optional extra is not installed
        return {}
    found = {}
    for cls in ALGORITHMS:
        if cls.NAME not in YENTE:
            continue
        features = {
            str(name): {
                "description": doc.description,
                "coefficient": float(doc.coefficient),
                "url": str(doc.url),
            }
            for name, doc in cls.get_feature_docs().items()
        }
        config = {str(k): v.model_dump(mode="json") for k, v in cls.CONFIG.items()}
        description = _first_line(cls.__doc__)
        found[str(cls.NAME)] = Algorithm(str(cls.NAME), description, features, config, cls)
    return {name: found[name] for name in YENTE if name in found}


@cache
def installed_algorithms() -> dict[str, Algorithm]:
    """Every algorithm this installation runs, logic-wk first. Looked up at the first request
    that asks for more than logic-wk, not at import: importing nomenklatura's (scikit-learn,
    pandas, scipy) takes seconds, which every service process and CLI run would pay."""
    return {LOGIC_WK.name: LOGIC_WK, **_installed()}


def algorithm_named(name: str) -> Algorithm | None:
    """The algorithm a request names (``best`` is logic-wk; case and spaces aside)."""
    clean = name.lower().strip()
    if clean in (BEST, LOGIC_WK.name):
        return LOGIC_WK
    return installed_algorithms().get(clean)


def refusal(algorithm: Algorithm, weights: Mapping[str, float], config: Config) -> str | None:
    """Why ``weights`` or ``config`` cannot go to ``algorithm``: a weight for a feature it does
    not have, or a configuration variable it does not take; None when both can."""
    unknown = sorted(set(weights) - set(algorithm.features))
    if unknown:
        known = ", ".join(algorithm.features)
        return f"weights: {algorithm.name} has no feature {', '.join(unknown)}; it has {known}"
    for key in config:
        if key not in algorithm.config:
            return f"config: invalid configuration parameter {key} for algorithm {algorithm.name}"
    return None


def explanations(explanation: dict[str, Any]) -> Explanations:
    """yente's ``explanations`` from logic-wk's ``explanation`` (``MatchResult.as_dict``):
    each feature that found something, its value as the score, its detail, and the names
    compared for the name features. Read from the explanation, which the answer carries too,
    so that a result's features and names are written out once."""
    names = explanation["names"]
    out: Explanations = {}
    for line in explanation["features"]:
        value, detail, feature = line["value"], line["detail"], line["feature"]
        if not value and detail is None:
            continue
        compared: tuple[str | None, str | None] = (None, None)
        if names is not None and feature.startswith("name"):
            compared = (names["query_name"], names["result_name"])
        out[feature] = {
            "score": round(value, 4),
            "detail": detail,
            "query": compared[0],
            "candidate": compared[1],
        }
    return out
