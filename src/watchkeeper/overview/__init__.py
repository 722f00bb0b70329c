"""What the overview pages show, as use cases below the service: figures aggregated in the
store, charts drawn as SVG, the list freshness banner, the search form's screening, and the
listings of hash banks, partners, list versions and users. Nothing here knows of HTTP; every
function takes an ``Engine`` (and ``now`` where time matters) and returns frozen data."""
