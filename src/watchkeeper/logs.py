"""Structured logging: events with fields (ids and counts), never names or document numbers."""

import logging
import sys

import structlog

from watchkeeper.settings import Settings


def configure_logging(settings: Settings) -> None:
    """Send structlog events to stderr, as console text or JSON lines per the settings."""
    level = getattr(logging, settings.log_level.upper())
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if settings.log_json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # Looked up per logger, not once: sys.stderr may be replaced (tests, embedding apps).
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )


def _stderr_logger(*_args: object) -> structlog.PrintLogger:
    return structlog.PrintLogger(file=sys.stderr)
