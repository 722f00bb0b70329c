"""The numbers of ``weights`` as the kernels take them: one float64 array, ``CONSTANTS``."""

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit

from watchkeeper.matching.weights import (
    CIRCA_YEARS,
    COMMON_MASS,
    DOB_APART,
    DOB_CIRCA,
    DOB_DAY,
    DOB_FAR,
    DOB_MONTH,
    DOB_NEAR,
    DOB_YEAR,
    FAR_YEARS,
    FUZZY_FLOOR,
    GLUED_FLOOR,
    INITIAL_MATCH,
    INTERCEPT,
    KEY_MATCH,
    LISTED_EXTRA,
    NAME_CAP,
    SHORT_FUZZY,
    SHORT_TOKEN,
    W_BIRTH_DATE,
    W_COUNTRY,
    W_GENDER,
    W_IDENTIFIER,
    W_NAME_EXACT,
    W_NAME_SIMILARITY,
    W_NAME_SUBSTITUTION,
    WEAK_PENALTY,
)

Floats = npt.NDArray[np.float64]


class Constants(NamedTuple):
    """The numbers of ``weights`` the kernels compute with, by name. They are passed in
    (``CONSTANTS``) rather than read as globals: numba freezes globals into its disk cache,
    which notices changes to the kernel's own file only, so a weight refitted in ``weights``
    would go unseen until the cache was cleared (and the bounds would no longer bound the
    scores)."""

    circa_years: float
    common_mass: float
    dob_apart: float
    dob_circa: float
    dob_day: float
    dob_far: float
    dob_month: float
    dob_near: float
    dob_year: float
    far_years: float
    fuzzy_floor: float
    glued_floor: float
    initial_match: float
    intercept: float
    key_match: float
    listed_extra: float
    name_cap: float
    short_fuzzy: float
    short_token: float
    w_birth_date: float
    w_country: float
    w_gender: float
    w_identifier: float
    w_name_exact: float
    w_name_similarity: float
    w_name_substitution: float
    weak_penalty: float


CONSTANTS: Floats = np.array(
    Constants(
        circa_years=CIRCA_YEARS,
        common_mass=COMMON_MASS,
        dob_apart=DOB_APART,
        dob_circa=DOB_CIRCA,
        dob_day=DOB_DAY,
        dob_far=DOB_FAR,
        dob_month=DOB_MONTH,
        dob_near=DOB_NEAR,
        dob_year=DOB_YEAR,
        far_years=FAR_YEARS,
        fuzzy_floor=FUZZY_FLOOR,
        glued_floor=GLUED_FLOOR,
        initial_match=INITIAL_MATCH,
        intercept=INTERCEPT,
        key_match=KEY_MATCH,
        listed_extra=LISTED_EXTRA,
        name_cap=NAME_CAP,
        short_fuzzy=SHORT_FUZZY,
        short_token=SHORT_TOKEN,
        w_birth_date=W_BIRTH_DATE,
        w_country=W_COUNTRY,
        w_gender=W_GENDER,
        w_identifier=W_IDENTIFIER,
        w_name_exact=W_NAME_EXACT,
        w_name_similarity=W_NAME_SIMILARITY,
        w_name_substitution=W_NAME_SUBSTITUTION,
        weak_penalty=WEAK_PENALTY,
    ),
    dtype=np.float64,
)
"""``Constants`` as the kernels take them, in field order: a plain array is the cheapest
argument to pass to a compiled function (a named tuple costs some microseconds a call)."""


@njit(cache=True)
def named(constants: Any) -> Constants:
    """``Constants`` from the array the kernels take (``CONSTANTS``); one of another
    length raises."""
    (
        circa_years, common_mass, dob_apart, dob_circa, dob_day, dob_far, dob_month, dob_near,
        dob_year, far_years, fuzzy_floor, glued_floor, initial_match, intercept,
        key_match, listed_extra, name_cap, short_fuzzy, short_token, w_birth_date, w_country,
        w_gender, w_identifier, w_name_exact, w_name_similarity, w_name_substitution,
        weak_penalty,
    ) = constants  # fmt: skip
    return Constants(
        circa_years, common_mass, dob_apart, dob_circa, dob_day, dob_far, dob_month, dob_near,
        dob_year, far_years, fuzzy_floor, glued_floor, initial_match, intercept,
        key_match, listed_extra, name_cap, short_fuzzy, short_token, w_birth_date, w_country,
        w_gender, w_identifier, w_name_exact, w_name_similarity, w_name_substitution,
        weak_penalty,
    )  # fmt: skip
