"""The ``watchkeeper`` command: lists, match, screen, the lanes (and ``ingest`` into any of
them), and the demo."""

from pathlib import Path
from typing import Annotated

import typer

from watchkeeper.cli.audit import audit_app
from watchkeeper.cli.batch import batch_app
from watchkeeper.cli.common import errors, unwrap_when_piped
from watchkeeper.cli.demo import demo
from watchkeeper.cli.documents import documents_app
from watchkeeper.cli.finance import finance_app
from watchkeeper.cli.images import images_app
from watchkeeper.cli.ingest import ingest_files, list_lanes
from watchkeeper.cli.lists import lists_app
from watchkeeper.cli.screening import match, screen
from watchkeeper.cli.serve import serve
from watchkeeper.cli.share import share_app
from watchkeeper.cli.travel import travel_app
from watchkeeper.cli.users import users_app
from watchkeeper.logs import configure_logging
from watchkeeper.settings import get_settings

app = typer.Typer(no_args_is_help=True, help="Counter-terrorism screening on shared watchlists.")
app.add_typer(lists_app, name="lists")
app.add_typer(travel_app, name="travel")
app.add_typer(batch_app, name="batch")
app.add_typer(finance_app, name="finance")
app.add_typer(documents_app, name="documents")
app.add_typer(images_app, name="images")
app.add_typer(users_app, name="users")
app.add_typer(share_app, name="share")
app.add_typer(audit_app, name="audit")
app.command("match")(match)
app.command("screen")(screen)
app.command("demo")(demo)
app.command("serve")(serve)
app.command("ingest")(ingest_files)
app.command("lanes")(list_lanes)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(help="Database URL (default: WATCHKEEPER_DB or SQLite in the data folder)"),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Data folder (WATCHKEEPER_DATA_DIR)")
    ] = None,
) -> None:
    """Counter-terrorism screening on shared watchlists."""
    unwrap_when_piped()
    with errors():
        settings = get_settings(db_url=db, data_dir=data_dir)
    configure_logging(settings)
    ctx.obj = settings
