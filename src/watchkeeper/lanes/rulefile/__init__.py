"""One engine for rule files, the YAML policy of the travel and finance lanes.

A rule file lists rules; each picks one predicate of its lane's vocabulary, gives its
parameters, a weight and a reason template. Predicates are code, tested one by one; which
run, with which parameters and weights, is policy and lives in the file. The engine reads
a file against a lane's ``Vocabulary``: parameters typed with their defaults and bounds,
the reason templates filled with each predicate's example findings, and every fault
(YAML syntax, a key given twice, an unknown predicate or parameter, a value of the wrong
type, a missing field, a placeholder no finding fills) reported at once with the file and
line, so a bad rule never surfaces halfway through a flight or a batch.

How to add a rule predicate (a lane's ``rules.py``):

1. Write the parameters as a frozen dataclass whose fields are the parameter names, and the
   function ``(params, subject) -> list[Finding]``, where the subject and the finding are
   the lane's (travel: a ``Subject``, one traveller or booking; finance: a ``Batch``).
   Test the function on its own with real inputs.
2. Add a ``Predicate`` to the lane's vocabulary: its name (the word rule files use), its
   parameters as kinds from ``rulefile.params`` (``Number("days")`` is required,
   ``Number("hours", 48.0)`` has a default; ``Count``, ``Codes``, ``Choice``,
   ``SetOrList``, or a lane's own ``Param`` subclass), ``make`` (the dataclass), ``find``
   (the function), ``example`` (one finding's fields with typical values: reasons may use
   exactly these, and every template is filled with them at load time), ``check`` for a
   fault across parameters, and ``scopes`` (travel) or ``kind`` (finance).
3. Document the predicate, its parameters and its fields in docs/<lane>_rules.md, and use
   it in the bundled rule file if it is part of the default policy.
"""

from watchkeeper.lanes.rulefile.params import (
    SETS,
    Choice,
    Codes,
    Context,
    Count,
    Fault,
    Listed,
    Number,
    Param,
    Section,
    SetOrList,
)
from watchkeeper.lanes.rulefile.reader import read_rules, rule_file_text
from watchkeeper.lanes.rulefile.vocabulary import (
    MAX_WEIGHT,
    Predicate,
    Rule,
    RuleFile,
    Vocabulary,
    check_reason,
)

__all__ = [
    "MAX_WEIGHT",
    "SETS",
    "Choice",
    "Codes",
    "Context",
    "Count",
    "Fault",
    "Listed",
    "Number",
    "Param",
    "Predicate",
    "Rule",
    "RuleFile",
    "Section",
    "SetOrList",
    "Vocabulary",
    "check_reason",
    "read_rules",
    "rule_file_text",
]
