"""``watchkeeper serve``: the HTTP service on uvicorn."""

import os
from typing import Annotated

import typer
import uvicorn

from watchkeeper.cli.common import errors, settings_of
from watchkeeper.service.server import options
from watchkeeper.store import open_engine


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes; each builds its own index, so each needs its own memory "
            "(see the README)",
        ),
    ] = 1,
) -> None:
    """Serve the matching API (yente-compatible), reconciliation, travel ingestion and the
    review queue; OpenAPI documentation at /docs. Every endpoint but /healthz and /readyz
    needs a token (see 'watchkeeper users token')."""
    settings = settings_of(ctx)
    if workers == 1:
        from watchkeeper.service.app import create_app  # FastAPI loads only for this command

        with errors():
            app = create_app(settings)
        uvicorn.run(app, host=host, port=port, **options())
        return
    with errors():  # migrate once, and fail here rather than in every worker
        open_engine(settings.db_url).dispose()
    # The workers are new processes: they read the store's place from the environment.
    os.environ["WATCHKEEPER_DATA_DIR"] = str(settings.data_dir)
    os.environ["WATCHKEEPER_DB"] = settings.db_url
    uvicorn.run(
        "watchkeeper.service.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **options(),
    )
