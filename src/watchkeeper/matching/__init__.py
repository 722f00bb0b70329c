"""Name matching: turning list and query names into comparable forms."""

from watchkeeper.matching.native import use_source_if_stale

use_source_if_stale()
