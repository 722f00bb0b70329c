"""Name forms for matching: spellings of names across scripts."""
