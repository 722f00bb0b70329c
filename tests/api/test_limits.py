"""Request bodies against a real uvicorn server: a body without credentials is refused before
it is read, a declared length over the limit at once, a streamed body at the limit; the
server's memory does not grow with what is sent. The client writes the body from one
reused chunk, so the test itself stays small."""

import select
import socket
from collections.abc import Iterator
from http.client import HTTPResponse
from pathlib import Path

from watchkeeper.service.limits import MAX_BODY, MAX_OPEN_BODY

CHUNK = b"x" * 65536
HUGE = 800 * 1024 * 1024  # the red team's POST


def rss() -> int:
    """This process's resident memory in bytes (the server runs in one of its threads)."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def chunks(total: int, *, framed: bool) -> Iterator[bytes]:
    """``total`` bytes of body in 64 KiB pieces, as HTTP chunks when ``framed``."""
    for _ in range(total // len(CHUNK)):
        yield b"10000\r\n" + CHUNK + b"\r\n" if framed else CHUNK
    if framed:
        yield b"0\r\n\r\n"


def stream(port: int, head: str, body: Iterator[bytes]) -> tuple[int, bytes, int]:
    """Send ``head`` then ``body`` until the server answers: the status, the answer's body,
    and how many body bytes went out before it came."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        sent = 0
        for piece in body:
            if select.select([sock], [], [], 0)[0]:
                break  # the answer is there: stop sending
            sock.sendall(piece)
            sent += len(piece)
        answer = HTTPResponse(sock)
        answer.begin()
        return answer.status, answer.read(), sent


def head(path: str, *lines: str) -> str:
    return "\n".join([f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *lines, ""])


def test_an_800_mb_post_without_a_token_is_refused_unread(server: int) -> None:
    before = rss()
    status, answer, sent = stream(
        server, head("/match/un", f"Content-Length: {HUGE}"), chunks(HUGE, framed=False)
    )
    assert status == 401 and b"a valid API token is required" in answer
    assert sent < HUGE // 10  # answered long before the body was sent whole
    assert rss() - before < 10 * 1024 * 1024


def test_a_streamed_post_without_a_token_is_refused_unread(server: int) -> None:
    before = rss()
    lines = ("Transfer-Encoding: chunked", "Authorization: Bearer not-a-token")
    status, _, sent = stream(server, head("/travel/messages", *lines), chunks(HUGE, framed=True))
    assert status == 401 and sent < HUGE // 10
    assert rss() - before < 10 * 1024 * 1024


def test_a_declared_length_over_the_limit_is_refused_at_once(
    server: int, tokens: dict[str, str]
) -> None:
    lines = (f"Content-Length: {MAX_BODY + 1}", f"Authorization: Bearer {tokens['sam']}")
    status, answer, sent = stream(server, head("/travel/messages", *lines), iter([]))
    assert (status, sent) == (413, 0) and f"limited to {MAX_BODY} bytes".encode() in answer


def test_a_streamed_body_is_stopped_at_the_limit(server: int, tokens: dict[str, str]) -> None:
    lines = ("Transfer-Encoding: chunked", f"Authorization: Bearer {tokens['sam']}")
    status, answer, sent = stream(
        server, head("/travel/messages", *lines), chunks(HUGE, framed=True)
    )
    assert status == 413 and f"limited to {MAX_BODY} bytes".encode() in answer
    assert MAX_BODY < sent < 2 * MAX_BODY  # socket buffers hold a little more


def test_the_sign_in_form_takes_a_small_body_only(server: int) -> None:
    lines = (f"Content-Length: {MAX_OPEN_BODY + 1}",)
    status, _, sent = stream(server, head("/web/signin", *lines), iter([]))
    assert (status, sent) == (413, 0)


def test_small_bodies_and_bodiless_posts_go_through(server: int, tokens: dict[str, str]) -> None:
    body = '{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Adnani"]}}}}'
    lines = (
        f"Authorization: Bearer {tokens['sam']}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: close",
    )
    status, answer, _ = stream(server, head("/match/un", *lines), iter([body.encode()]))
    assert status == 200 and b"un-QDi.325" in answer
    status, _, _ = stream(server, head("/match/un", "Connection: close"), iter([]))
    assert status == 401  # no body: the handler's own token check answers
