"""``watchkeeper users``: add users, set roles, disable them, issue and revoke API tokens.

The CLI is run by whoever operates the server, so every change is audited under
``cli:<operating-system user>``.
"""

from typing import Annotated

import typer
from rich import box
from rich.table import Table

from watchkeeper import auth
from watchkeeper.cli.common import (
    Fmt,
    FormatOpt,
    cli_actor,
    emit_json,
    engine_of,
    err,
    errors,
    out,
)
from watchkeeper.cli.common import settings_of as _settings
from watchkeeper.render import print_table

users_app = typer.Typer(no_args_is_help=True, help="Manage users, roles and API tokens.")

RoleArg = Annotated[str, typer.Argument(help=f"One of: {', '.join(auth.ROLES)}")]


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(auth.ROLES)}")],
    display_name: Annotated[str | None, typer.Option(help="Full name, for people")] = None,
) -> None:
    """Add a user with a role."""
    with errors():
        engine = engine_of(_settings(ctx).db_url)
        auth.create_user(engine, name, role, display_name, by=cli_actor())
    out.print(f"added {name} ({role})", highlight=False)


@users_app.command("ls")
def users_ls(ctx: typer.Context, output: FormatOpt = Fmt.table) -> None:
    """Users, their roles and how many usable tokens they hold."""
    with errors():
        found = auth.list_users(engine_of(_settings(ctx).db_url))
    if output is Fmt.json:
        emit_json([user.as_dict() for user in found])
        return
    if not found:
        out.print("no users yet: try 'watchkeeper users add NAME --role analyst'")
        return
    table = Table(title="Users", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("user", "name", "role", "tokens", "created", "disabled"):
        table.add_column(column, no_wrap=True)
    for user in found:
        table.add_row(
            user.username,
            user.display_name or "",
            user.role,
            str(user.tokens),
            user.created_at.strftime("%Y-%m-%d"),
            user.disabled_at.strftime("%Y-%m-%d") if user.disabled_at else "",
        )
    print_table(out, table)


@users_app.command("role")
def users_role(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name")],
    role: RoleArg,
) -> None:
    """Give a user another role."""
    with errors():
        auth.set_role(engine_of(_settings(ctx).db_url), name, role, by=cli_actor())
    out.print(f"{name} is now {role}", highlight=False)


@users_app.command("disable")
def users_disable(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="User name")]
) -> None:
    """Disable a user: none of their tokens works any more. Users are never deleted."""
    with errors():
        auth.disable_user(engine_of(_settings(ctx).db_url), name, by=cli_actor())
    out.print(f"disabled {name}", highlight=False)


@users_app.command("token")
def users_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name")],
    token_name: Annotated[str | None, typer.Option("--name", help="What the token is for")] = None,
    expires_days: Annotated[
        int | None, typer.Option(min=1, help="Days until it expires (default: never)")
    ] = None,
) -> None:
    """Issue an API token; its secret is printed once and cannot be shown again."""
    with errors():
        engine = engine_of(_settings(ctx).db_url)
        token_id, secret = auth.create_token(engine, name, token_name, expires_days, by=cli_actor())
    err.print(
        f"[yellow]token {token_id} for {name}: copy the secret now, it will not be shown again[/]",
        highlight=False,
    )
    out.print(secret, markup=False, highlight=False, soft_wrap=True)


@users_app.command("revoke")
def users_revoke(
    ctx: typer.Context, token_id: Annotated[str, typer.Argument(help="Token id")]
) -> None:
    """Revoke an API token at once."""
    with errors():
        auth.revoke_token(engine_of(_settings(ctx).db_url), token_id, by=cli_actor())
    out.print(f"revoked token {token_id}", highlight=False)
