"""Review of alerts by people: queue, assignment, decisions with four-eyes, suppression."""
