"""The finance lane: payments and customers screened, rules for the financial intelligence
unit, reports, batch screening."""
