"""``watchkeeper users``: users, roles and tokens from the command line, each change audited."""

import functools
import getpass
import json
from pathlib import Path

from typer.testing import Result

from watchkeeper.auth import Actor, authenticate
from watchkeeper.settings import get_settings
from watchkeeper.store import open_engine

Wk = functools.partial[Result]


def test_add_list_role_and_disable(wk: Wk) -> None:
    added = wk("users", "add", "anna", "--role", "analyst", "--display-name", "Anna A.")
    assert added.exit_code == 0, added.output
    assert "added anna (analyst)" in added.stdout
    assert wk("users", "role", "anna", "supervisor").exit_code == 0
    assert wk("users", "disable", "anna").exit_code == 0
    (anna,) = json.loads(wk("users", "ls", "--format", "json").stdout)
    assert (anna["username"], anna["display_name"], anna["role"]) == (
        "anna",
        "Anna A.",
        "supervisor",
    )
    assert anna["disabled_at"] is not None and anna["tokens"] == 0
    table = wk("users", "ls").stdout
    assert "anna" in table and "supervisor" in table
    entries = json.loads(wk("audit", "--format", "json").stdout)
    actor = f"cli:{getpass.getuser()}"
    assert [(e["actor"], e["action"]) for e in reversed(entries)] == [
        (actor, "user.create"),
        (actor, "user.role"),
        (actor, "user.disable"),
    ]


def test_bad_role_duplicate_and_unknown_user(wk: Wk) -> None:
    assert wk("users", "ls").stdout.startswith("no users yet")
    bad = wk("users", "add", "anna", "--role", "boss")
    assert bad.exit_code == 2 and "unknown role" in bad.output
    assert wk("users", "add", "anna", "--role", "analyst").exit_code == 0
    again = wk("users", "add", "anna", "--role", "admin")
    assert again.exit_code == 2 and "exists" in again.output
    assert wk("users", "role", "nobody", "admin").exit_code == 4
    assert wk("users", "token", "nobody").exit_code == 4
    assert wk("users", "revoke", "nope").exit_code == 4


def test_token_is_shown_once_and_works_until_revoked(wk: Wk, tmp_path: Path) -> None:
    wk("users", "add", "anna", "--role", "analyst")
    issued = wk("users", "token", "anna", "--name", "laptop", "--expires-days", "30")
    assert issued.exit_code == 0, issued.output
    secret = issued.stdout.strip()
    assert secret.startswith("wk_")
    assert "will not be shown again" in issued.stderr
    token_id = issued.stderr.split()[1]
    engine = open_engine(get_settings(data_dir=tmp_path / "data").db_url)
    assert authenticate(engine, secret) == Actor("anna", "analyst")
    assert json.loads(wk("users", "ls", "-f", "json").stdout)[0]["tokens"] == 1
    revoked = wk("users", "revoke", token_id)
    assert revoked.exit_code == 0, revoked.output
    assert authenticate(engine, secret) is None
    actions = [e["action"] for e in json.loads(wk("audit", "-f", "json").stdout)]
    assert actions == ["token.revoke", "token.create", "user.create"]
    assert secret not in wk("audit", "-f", "json").stdout
    assert wk("users", "token", "anna", "--expires-days", "0").exit_code == 2
