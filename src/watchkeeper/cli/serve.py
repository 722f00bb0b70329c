"""``watchkeeper serve``: the HTTP service on uvicorn."""

from typing import Annotated

import typer
import uvicorn

from watchkeeper.cli.common import errors, settings_of


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Serve the matching API (yente-compatible), reconciliation, travel ingestion and the
    review queue; OpenAPI documentation at /docs. Every endpoint but /healthz and /readyz
    needs a token (see 'watchkeeper users token')."""
    from watchkeeper.api.app import create_app  # FastAPI loads only for this command

    with errors():
        app = create_app(settings_of(ctx))
    uvicorn.run(app, host=host, port=port, log_level="warning")
