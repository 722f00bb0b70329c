"""Name matching: turning list and query names into comparable forms."""
