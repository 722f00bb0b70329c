"""The HTTP service: ``app`` assembles the API (``watchkeeper.api``) and the web pages
(``watchkeeper.web``); the other modules are what both use (typed dependencies, refusals,
audit, token checks, the lane-ingest use case) so that neither imports the other."""
