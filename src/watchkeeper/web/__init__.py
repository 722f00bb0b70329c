"""The analyst's web pages: the review queue, alerts, lists and their versions, search,
upload, entities, flights, the dashboard, hash banks, partners and users, rendered on
the server (Jinja2) with htmx for partial updates, so there is no front-end build to run or
audit. Templates and static files ship inside the package."""

from pathlib import Path

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
