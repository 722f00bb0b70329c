"""``watchkeeper share``: exchange watchlists and hash banks with partner agencies
(docs/sharing.md).

Keys and partners, the collections our TAXII server offers, following a partner's TAXII
collection, and signed bundle files. Every export, import and configuration change is
audited under ``cli:<operating-system user>``.
"""

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from watchkeeper.cli.common import (
    Fmt,
    FormatOpt,
    audit_cli,
    cli_actor,
    emit_json,
    engine_of,
    err,
    errors,
    out,
    settings_of,
)
from watchkeeper.errors import ConfigError, UsageError
from watchkeeper.render import print_table
from watchkeeper.sharing import config
from watchkeeper.sharing.keys import init_keys, load_agency, read_public_key

share_app = typer.Typer(
    no_args_is_help=True, help="Share watchlists and hash banks with partner agencies."
)
keys_app = typer.Typer(no_args_is_help=True, help="Our signing key and the keys we trust.")
partners_app = typer.Typer(no_args_is_help=True, help="Partner agencies.")
collections_app = typer.Typer(no_args_is_help=True, help="What our TAXII server shares.")
share_app.add_typer(keys_app, name="keys")
share_app.add_typer(partners_app, name="partners")
share_app.add_typer(collections_app, name="collections")

PartnersOpt = Annotated[
    str, typer.Option("--partners", help="Comma-separated partner names (AMBER goes only to these)")
]
BankOpt = Annotated[str | None, typer.Option("--bank", help="Our hash bank to share")]


def names(value: str) -> list[str]:
    """``a, b`` -> ``["a", "b"]``."""
    return [v.strip() for v in value.split(",") if v.strip()]


@keys_app.command("init")
def keys_init(
    ctx: typer.Context,
    agency: Annotated[str, typer.Option(help="Our agency's name as partners know it")],
) -> None:
    """Make our Ed25519 key pair (private key mode 0600) and print the public key file to
    send to partners."""
    with errors():
        path = init_keys(settings_of(ctx).data_dir, agency)
        audit_cli(engine_of(settings_of(ctx).db_url), "share.keys", ("agency", agency))
    out.print(f"key pair made for {agency}; send partners {path}", highlight=False)


@keys_app.command("trust")
def keys_trust(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Partner name, as it signs its bundles")],
    key_file: Annotated[Path, typer.Argument(help="The partner's public key (PEM)")],
) -> None:
    """Trust a partner's public key for its signed bundles (adds the partner if new)."""
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        key = read_public_key(key_file)
        config.save_partner(engine, name, public_key=key)
        audit_cli(engine, "share.trust", ("partner", name), {"key": key})
    out.print(f"trusting {name}'s key {key}", highlight=False)


@keys_app.command("ls")
def keys_ls(ctx: typer.Context, output: FormatOpt = Fmt.table) -> None:
    """Our agency and key, and the partner keys we trust."""
    settings = settings_of(ctx)
    with errors():
        try:
            agency = load_agency(settings.data_dir)
            ours: dict[str, str] | None = {"name": agency.name, "public_key": agency.public_key}
        except ConfigError:
            ours = None
        found = config.partners(engine_of(settings.db_url))
    if output is Fmt.json:
        emit_json({"agency": ours, "trusted": [p.as_dict() for p in found if p.public_key]})
        return
    if ours is None:
        err.print("no key of our own yet: run 'watchkeeper share keys init --agency NAME'")
    else:
        out.print(f"we are {ours['name']}, key {ours['public_key']}", highlight=False)
    for partner in found:
        if partner.public_key:
            out.print(f"trusted: {partner.name} {partner.public_key}", highlight=False)


@partners_app.command("add")
def partners_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Partner name, e.g. FR-DGSI")],
    user: Annotated[
        str | None, typer.Option(help="The user whose tokens the partner reads our server with")
    ] = None,
) -> None:
    """Add a partner agency, or bind it to the user its TAXII tokens belong to."""
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        config.save_partner(engine, name, username=user)
        audit_cli(engine, "share.partner", ("partner", name), {"user": user})
    out.print(f"partner {name} saved", highlight=False)


@partners_app.command("ls")
def partners_ls(ctx: typer.Context, output: FormatOpt = Fmt.table) -> None:
    """Partners, the users their tokens belong to, and whether we trust a key of theirs."""
    with errors():
        found = config.partners(engine_of(settings_of(ctx).db_url))
    if output is Fmt.json:
        emit_json([p.as_dict() for p in found])
        return
    table = Table(title="Partners", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("partner", "user", "key"):
        table.add_column(column, no_wrap=True)
    for p in found:
        table.add_row(p.name, p.username or "", "trusted" if p.public_key else "")
    print_table(out, table)


@collections_app.command("add")
def collections_add(
    ctx: typer.Context,
    tlp: Annotated[str, typer.Option(help="Highest TLP code served (RED never is)")] = "GREEN",
    list_name: Annotated[str | None, typer.Option("--list", help="Our list to share")] = None,
    bank: BankOpt = None,
    partners: PartnersOpt = "",
    inbound: Annotated[
        str | None, typer.Option(help="Title of a collection partners post to, instead")
    ] = None,
    writers: Annotated[str, typer.Option(help="Partners that may post (inbound)")] = "",
    output: FormatOpt = Fmt.table,
) -> None:
    """Share a list or a hash bank as a TAXII collection (no --partners: every partner,
    CLEAR and GREEN only), or open an inbound collection partners post to."""
    if [list_name, bank, inbound].count(None) != 2:
        err.print("[red]error:[/] give one of --list, --bank or --inbound")
        raise typer.Exit(2)
    with errors():
        engine = engine_of(settings_of(ctx).db_url)
        collection = config.add_collection(
            engine,
            list_name=list_name,
            bank_name=bank,
            tlp=tlp,
            partners=names(partners),
            writers=names(writers),
            title=inbound,
        )
        audit_cli(engine, "share.collection", ("collection", collection.id), collection.as_dict())
    if output is Fmt.json:
        emit_json(collection.as_dict())
    else:
        out.print(f"collection {collection.id}: {collection.title}", highlight=False)


@collections_app.command("ls")
def collections_ls(ctx: typer.Context, output: FormatOpt = Fmt.table) -> None:
    """Our TAXII collections: list or bank, TLP ceiling, partners and writers."""
    with errors():
        found = config.collections(engine_of(settings_of(ctx).db_url))
    if output is Fmt.json:
        emit_json([c.as_dict() for c in found])
        return
    table = Table(title="Collections", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("id", "title", "list", "bank", "tlp", "partners", "writers"):
        table.add_column(column, no_wrap=True)
    for c in found:
        table.add_row(
            c.id,
            c.title,
            c.list_name or "",
            c.bank_name or "",
            c.tlp,
            ",".join(c.partners) or "all",
            ",".join(c.writers),
        )
    print_table(out, table)


@share_app.command("follow")
def share_follow(
    ctx: typer.Context,
    url: Annotated[
        str, typer.Argument(help="The partner's TAXII API root, e.g. https://host/taxii2/api/")
    ],
    collection: Annotated[str, typer.Option(help="Collection id")],
    partner: Annotated[str | None, typer.Option(help="Partner name (default: host-port)")] = None,
    token: Annotated[
        str | None, typer.Option(envvar="WATCHKEEPER_SHARE_TOKEN", help="Bearer token")
    ] = None,
    user: Annotated[
        str | None, typer.Option(help="HTTP basic user (servers like medallion)")
    ] = None,
    password: Annotated[
        str | None, typer.Option(envvar="WATCHKEEPER_SHARE_PASSWORD", help="HTTP basic password")
    ] = None,
    list_name: Annotated[
        str | None, typer.Option("--list", help="Target list (default: partner-<partner>)")
    ] = None,
    once: Annotated[bool, typer.Option(help="One pass, then exit")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between passes")] = 60.0,
    page_size: Annotated[int, typer.Option(help="Objects per request")] = 500,
) -> None:
    """Follow a partner's TAXII 2.1 collection into a list of its own (identities) and
    copies of its hash banks (PDQ indicators, ``partner-<partner>-<bank>``), resuming where
    the last run stopped; new bank entries are matched against the images seen before."""
    # taxii2-client and stix2 load only for the commands that need them.
    from watchkeeper.sharing.follow import Feed, Followed, default_partner, follow, follow_once

    settings = settings_of(ctx)
    with errors():
        feed = Feed(
            url=url,
            collection=collection,
            partner=config.check_name(partner) if partner else default_partner(url),
            token=token,
            user=user,
            password=password,
            page_size=page_size,
            list_name=list_name or "",
        )
        engine = engine_of(settings.db_url)

        def report(done: Followed) -> None:
            if done.versions:
                detail = {
                    "partner": feed.partner,
                    "collection": feed.collection,
                    "versions": done.versions,
                    "changed": done.changed,
                    "withdrawn": done.withdrawn,
                }
                audit_cli(engine, "share.receive", ("list", feed.target), detail)
            banks = done.banks
            if banks.banks:
                detail = {
                    "partner": feed.partner,
                    "collection": feed.collection,
                    "added": banks.added,
                    "changed": banks.changed,
                    "removed": banks.removed,
                    "retroactive": banks.matched,
                    "alerts": banks.alerts,
                }
                target = ("image_bank", ",".join(banks.banks))
                audit_cli(engine, "share.receive", target, detail)
            for problem in done.problems:
                err.print(f"  skipped: {problem}", markup=False, highlight=False)
            out.print(
                f"{feed.target}: {done.objects} object(s) in {done.pages} page(s), "
                f"{done.changed} record(s) changed, {done.withdrawn} withdrawn, "
                f"new version(s): {', '.join(map(str, done.versions)) or 'none'}",
                highlight=False,
            )
            if banks.banks:
                out.print(banks.line(", ".join(banks.banks)), highlight=False)

        if once:
            report(follow_once(engine, feed))
            return
        if interval <= 0:
            raise UsageError("--interval must be greater than zero")
        follow(engine, feed, interval, report)


@share_app.command("export")
def share_export(
    ctx: typer.Context,
    tlp: Annotated[str, typer.Option(help="TLP code of the bundle: the highest it holds")],
    to: Annotated[Path, typer.Option("--to", help="Bundle file to write")],
    list_name: Annotated[str | None, typer.Option("--list", help="The list to export")] = None,
    bank: Annotated[str | None, typer.Option("--bank", help="The hash bank to export")] = None,
    since: Annotated[
        int | None, typer.Option(help="Only what changed since this list version")
    ] = None,
    partners: PartnersOpt = "",
) -> None:
    """Write a list or a whole hash bank as a signed STIX bundle for partners (RED never
    leaves; AMBER only with --partners; CLEAR and GREEN records redacted, see
    docs/sharing.md)."""
    # stix2 loads only when needed.
    from watchkeeper.sharing.bundle import export_bank_bundle, export_bundle

    settings = settings_of(ctx)
    with errors():
        if (list_name is None) == (bank is None):
            raise UsageError("give either --list or --bank")
        engine = engine_of(settings.db_url)
        agency = load_agency(settings.data_dir)
        if bank is not None:
            done = export_bank_bundle(
                engine,
                agency,
                bank_name=bank,
                tlp=tlp,
                partners=names(partners),
                to=to,
                actor=cli_actor(),
                since=since,
            )
            out.print(
                f"wrote {done.path}: bank {bank} revision {done.version}, {done.records} hash(es)",
                highlight=False,
            )
            return
        assert list_name is not None
        result = export_bundle(
            engine,
            agency,
            list_name=list_name,
            tlp=tlp,
            partners=names(partners),
            to=to,
            actor=cli_actor(),
            since=since,
        )
    out.print(
        f"wrote {result.path}: {list_name} version {result.version}, {result.records} record(s), "
        f"{result.withdrawn} withdrawn",
        highlight=False,
    )


@share_app.command("import")
def share_import(
    ctx: typer.Context, path: Annotated[Path, typer.Argument(help="Signed bundle file")]
) -> None:
    """Verify a partner's signed bundle and apply it to that partner's list, or to the copy
    of its hash bank (matching the images seen before against the new entries)."""
    from watchkeeper.sharing.bundle import import_bundle

    settings = settings_of(ctx)
    with errors():
        try:
            ours: str | None = load_agency(settings.data_dir).name
        except ConfigError:
            ours = None
        result = import_bundle(engine_of(settings.db_url), ours, path, cli_actor())
    for issue in result.applied.issues:
        err.print(f"  skipped: {issue}", markup=False, highlight=False)
    out.print(result.summary(), highlight=False)
