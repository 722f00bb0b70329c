"""The finance lane: payments and customers screened, rules for the financial intelligence
unit, reports, batch screening."""

LANE = "finance"  # the alerts' lane, and the lane's key in the registry
