"""The service runs on uvicorn's C parser and the libuv loop (``service.server``), in
``serve`` and in the tests' servers alike."""

import asyncio

import httpx
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tests.api.conftest import served
from watchkeeper.service.server import options


def test_uvicorn_takes_the_c_parser() -> None:
    config = uvicorn.Config(FastAPI(), **options())
    config.load()
    assert config.http_protocol_class is HttpToolsProtocol


def test_requests_are_served_on_libuv() -> None:
    app = FastAPI()

    @app.get("/loop")
    async def loop() -> str:
        return type(asyncio.get_running_loop()).__module__

    with served(app) as port:
        assert httpx.get(f"http://127.0.0.1:{port}/loop").json().startswith("uvloop")
