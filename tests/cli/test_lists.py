"""The command line, end to end, on a private SQLite store."""

import functools
import json
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import BUNDLED_UN, FIXTURES

runner = CliRunner()


def test_load_ls_show(wk: "functools.partial[Result]") -> None:
    result = wk("lists", "load", str(BUNDLED_UN), "--format", "un-xml", "--name", "un")
    assert result.exit_code == 0, result.output
    assert "loaded un version 1: 1,003 entries (273 Organization, 730 Person)" in result.stdout

    listing = json.loads(wk("lists", "ls", "--format", "json").stdout)
    assert [(v["list_name"], v["number"], v["active"]) for v in listing] == [("un", 1, True)]
    assert listing[0]["schema_counts"] == {"Person": 730, "Organization": 273}

    shown = wk("lists", "show", "un-QDi.325", "--format", "json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    props = data["entity"]["properties"]
    names = props["name"] + props.get("alias", [])
    for expected in (
        "ABOU MOHAMED AL ADNANI",
        "Abu Mohammed al-Adnani",
        "Yaser Khalaf Nazzal Alrawi",
    ):
        assert expected in names
    assert props["nationality"] == ["iq"]
    sanctions = [e for e in data["related"] if e["schema"] == "Sanction"]
    assert sanctions[0]["properties"]["unscId"] == ["QDi.325"]

    table = wk("lists", "show", "un-QDi.325")
    assert "ABOU MOHAMED AL ADNANI" in table.stdout
    assert "Sanction" in table.stdout


def test_diff_between_loads(un: "functools.partial[Result]") -> None:
    assert un("lists", "load", str(BUNDLED_UN), "--format", "un-xml", "--name", "un").exit_code == 0
    result = un("lists", "diff", "un", "--from", "1", "--to", "2", "--format", "json")
    assert json.loads(result.stdout)["counts"] == {
        "added": 0,
        "removed": 0,
        "changed": 0,
        "unchanged": 1003,
    }
    assert (
        "0 added, 0 removed, 0 changed, 1,003 unchanged"
        in un("lists", "diff", "un", "--from", "1", "--to", "2").stdout
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["lists", "load", str(BUNDLED_UN), "--format", "un-pdf", "--name", "un"],
            2,
            "unknown list format 'un-pdf'; use one of: ftm, ofac-csv, profiles, sltd-csv, un-xml",
        ),
        (["lists", "show", "un-QDi.000"], 4, "no entity 'un-QDi.000' in any active list"),
        (["lists", "diff", "nope", "--from", "1", "--to", "2"], 4, "no list named 'nope'"),
    ],
)
def test_usage_errors(
    wk: "functools.partial[Result]", args: list[str], code: int, message: str
) -> None:
    result = wk(*args)
    assert result.exit_code == code
    assert message in " ".join(result.stderr.split())


def test_bad_files_name_file_and_fault(wk: "functools.partial[Result]", tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    result = wk("lists", "load", str(empty), "--format", "un-xml", "--name", "un")
    assert result.exit_code == 65
    assert "empty.xml: file: is empty" in result.stderr
    broken = tmp_path / "broken.xml"
    broken.write_text("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n", encoding="utf-8")
    result = wk("lists", "load", str(broken), "--format", "un-xml", "--name", "un")
    assert result.exit_code == 65
    assert "broken.xml" in result.stderr and "line" in result.stderr
    assert "nothing was changed" in result.stderr
    assert "no lists loaded yet" in wk("lists", "ls").stdout


@pytest.fixture
def un_server(tmp_path: Path, un_xml_bytes: bytes) -> Iterator[str]:
    """A local HTTP server publishing the UN list, as the UN's site does."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "consolidated.xml").write_bytes(un_xml_bytes)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_update_downloads_validates_and_loads(
    wk: "functools.partial[Result]", un_server: str
) -> None:
    result = wk("lists", "update", "un", "--url", f"{un_server}/consolidated.xml")
    assert result.exit_code == 0, result.output
    assert "loaded un version 1: 1,003 entries" in result.stdout
    missing = wk("lists", "update", "un", "--url", f"{un_server}/missing.xml")
    assert missing.exit_code == 69
    assert "answered HTTP 404" in missing.stderr
    listing = json.loads(wk("lists", "ls", "--format", "json").stdout)
    assert listing[0]["origin"] == f"{un_server}/consolidated.xml"
    assert len(listing) == 1


def test_update_offline_fails_clearly(wk: "functools.partial[Result]") -> None:
    with socket.socket() as sock:  # a port nobody listens on: what offline looks like
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = wk("lists", "update", "un", "--url", f"http://127.0.0.1:{port}/consolidated.xml")
    assert result.exit_code == 69
    assert "Is this machine offline?" in " ".join(result.stderr.split())
    assert "no lists loaded yet" in wk("lists", "ls").stdout


def active_versions(wk: "functools.partial[Result]") -> list[tuple[str, int, bool]]:
    listing = json.loads(wk("lists", "ls", "--format", "json").stdout)
    return [(v["list_name"], v["number"], v["active"]) for v in listing]


def flat(text: str) -> str:
    """Output with line breaks and runs of spaces made single spaces, whatever the width."""
    return " ".join(text.split())


@pytest.fixture
def ofac_loaded(wk: "functools.partial[Result]") -> None:
    sdn = FIXTURES / "ofac" / "sdn_small"
    result = wk("lists", "load", str(sdn), "--format", "ofac-csv", "--name", "ofac")
    assert result.exit_code == 0, result.output
    assert active_versions(wk) == [("ofac", 1, True)]


@pytest.mark.usefixtures("ofac_loaded")
def test_truncated_ofac_file_is_refused(wk: "functools.partial[Result]", tmp_path: Path) -> None:
    folder = tmp_path / "cut"
    shutil.copytree(FIXTURES / "ofac" / "sdn_small", folder)
    data = (folder / "sdn.csv").read_bytes()
    (folder / "sdn.csv").write_bytes(data[: data.index(b"Leader of JIHAD GROUP.")])
    result = wk("lists", "load", str(folder), "--format", "ofac-csv", "--name", "ofac")
    assert result.exit_code == 65
    assert flat(f"{folder / 'sdn.csv'}: line 3: the file ends inside a quoted field") in flat(
        result.stderr
    )
    assert "nothing was changed" in result.stderr
    assert active_versions(wk) == [("ofac", 1, True)]


@pytest.mark.usefixtures("ofac_loaded")
def test_ofac_main_file_alone_is_refused(wk: "functools.partial[Result]", tmp_path: Path) -> None:
    folder = tmp_path / "alone"
    folder.mkdir()
    shutil.copy(FIXTURES / "ofac" / "sdn_small" / "sdn.csv", folder)
    result = wk("lists", "load", str(folder / "sdn.csv"), "--format", "ofac-csv", "--name", "ofac")
    assert result.exit_code == 65
    assert f"{folder}: folder: lacks alt.csv, add.csv, sdn_comments.csv beside sdn.csv" in flat(
        result.stderr
    )
    assert active_versions(wk) == [("ofac", 1, True)]


def test_sharp_shrink_needs_allow_shrink(
    un: "functools.partial[Result]", tmp_path: Path, un_xml_bytes: bytes
) -> None:
    shorter = tmp_path / "shorter.xml"
    shorter.write_bytes(
        re.sub(rb"<INDIVIDUAL>.*?</INDIVIDUAL>", b"", un_xml_bytes, count=100, flags=re.S)
    )
    load = ("lists", "load", str(shorter), "--format", "un-xml", "--name", "un")
    refused = un(*load)
    assert refused.exit_code == 65
    assert flat(refused.stderr) == (
        "error: un: 903 entries against 1,003 in the active version (-10.0 %), over the 5 % "
        "allowed; nothing was changed, version 1 stays active; pass --allow-shrink to load "
        "it anyway"
    )
    assert active_versions(un) == [("un", 1, True)]
    allowed = un(*load, "--allow-shrink")
    assert allowed.exit_code == 0, allowed.output
    assert "loaded un version 2: 903 entries" in allowed.stdout


def test_ftm_not_utf8_is_a_located_fault(wk: "functools.partial[Result]", tmp_path: Path) -> None:
    lines = (FIXTURES / "ftm" / "yente_t1.ftm.json").read_bytes().splitlines(keepends=True)
    path = tmp_path / "latin1.ftm.json"
    path.write_bytes(
        b"".join(lines[:2]) + lines[2].replace(b"Tatiana", b"\xc0atiana", 1) + b"".join(lines[3:])
    )
    offset = len(b"".join(lines[:2])) + lines[2].index(b"Tatiana")
    result = wk("lists", "load", str(path), "--format", "ftm", "--name", "t1")
    assert result.exit_code == 65
    assert not isinstance(result.exception, UnicodeDecodeError)
    assert flat(result.stderr) == (
        "error: cannot load: 1 fault(s); nothing was changed "
        f"{path}: line 3, byte offset {offset:,}: not UTF-8 (invalid start byte: c0); "
        "save the file as UTF-8"
    )
    assert "no lists loaded yet" in wk("lists", "ls").stdout
