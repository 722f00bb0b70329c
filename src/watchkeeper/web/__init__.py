"""The analyst's web pages: the review queue, alerts, lists, search and upload, rendered on
the server (Jinja2) with htmx for partial updates, so there is no front-end build to run or
audit. Templates and static files ship inside the package."""

from pathlib import Path

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
