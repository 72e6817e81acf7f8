"""`annotty serve`: annotty in web browsers, through textual-serve, one annotty process per tab.

textual-serve starts the command for each websocket and relays the terminal to xterm.js in the
page; every process opens the same database, whose lock and re-reading keep the colleagues'
changes apart. What this module adds is safety and the command line:

- it listens on 127.0.0.1 unless told otherwise, and then only answers requests that name it by a
  loopback name (so a web page cannot reach it through DNS rebinding) and websockets opened from
  its own pages (so another site's page cannot drive a tab);
- on any other host it asks for a token: the printed URL carries it as ``?token=T``, the first page
  moves it into a cookie (HttpOnly, SameSite=Strict) for the websocket and the assets, and anything
  without it is refused with 403;
- each tab starts on the screen that asks who is annotating (``--annotators``).
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import ipaddress
import logging
import os
import secrets
import shlex
import signal
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from annotations import cli
from annotations.article import ArticleError, article_paths, load
from annotations.store import DatabaseError, open_db

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8566
COOKIE = "annotty_token"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
#: annotty's own page (app_index.html): textual-serve's links a web font from Google, which would tell a
#: third party whenever someone opens annotty; ours loads nothing from anywhere but this server.
PAGES = Path(__file__).resolve().parent / "web"


def port_number(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0 to 65535): {value!r}")
    return port


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="articles every tab opens: .txt, .md, .html files or folders of them "
                        "(default: the bundled sample article)")
    parser.add_argument("--db", default=cli.DEFAULT_DB, metavar="PATH",
                        help=f"the TinyDB file every tab saves to (default: ./{cli.DEFAULT_DB})")
    parser.add_argument("--host", default=DEFAULT_HOST, metavar="HOST",
                        help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only); "
                        "any other needs a token")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, metavar="N",
                        help=f"the port to listen on (default: {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--token", default=None, metavar="T",
                        help="the secret the URL must carry (default: none on 127.0.0.1, a new random one "
                        "on any other host, printed with the URL)")
    parser.add_argument("--annotators", type=cli.names, default=[], metavar="A,B,...",
                        help="names a tab offers on its first screen (a name can always be typed)")
    cli.add_model_argument(parser)
    cli.add_reading_arguments(parser)
    parser.add_argument("--threshold", type=cli.fraction, default=0.5, metavar="0..1",
                        help="show suggestions at or above this confidence (default: 0.5)")


def is_loopback(host: str) -> bool:
    """True if every address *host* names is this machine's loopback."""
    if host.strip("[]").lower() in LOOPBACK_NAMES:
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def tab_command(args: argparse.Namespace, paths: list[str]) -> str:
    """The shell command textual-serve runs for each tab (it runs it through a shell, so every part is quoted)."""
    # -P: the working directory is not put on the module path, so a folder named tui there is not imported.
    argv = [sys.executable, "-P", "-m", "tui", "--db", os.path.abspath(args.db),
            f"--annotators={','.join(args.annotators)}", "--model", args.model,
            "--max-size", str(args.max_size), "--threshold", str(args.threshold)]
    if args.encoding:
        argv += ["--encoding", args.encoding]
    return shlex.join([*argv, "--", *paths])


def url_of(host: str, port: int, token: str | None) -> str:
    """The URL to print: an address a browser can open, with the token if there is one."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()  # every address: the machine's name is what colleagues type
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/" + (f"?token={token}" if token else "")


class AnnottyServer(Server):
    """textual-serve's server with annotty's guard in front of every route."""

    def __init__(self, command: str, host: str, port: int, token: str | None) -> None:
        super().__init__(command, host=host, port=port, title="annotty", templates_path=PAGES)
        self.token = token
        self.loopback_only = token is None

    async def _make_app(self) -> web.Application:
        # textual-serve has no hook for authentication; a middleware sees every request first.
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        pass  # textual-serve prints its logo here; run_serve prints the URL instead

    async def handle_index(self, request: web.Request):
        # textual-serve puts absolute URLs (assets, websocket) in the page; build them from the
        # address the browser used, which works behind a tunnel and on a 0.0.0.0 bind too.
        self.public_url = f"http://{request.host}"
        return await super().handle_index(request)

    def _has_token(self, request: web.Request) -> tuple[bool, bool]:
        """(the request carries the token, it came in the query)."""
        expected = self.token.encode()
        query = request.query.get("token")
        if query is not None and hmac.compare_digest(query.encode(), expected):
            return True, True
        cookie = request.cookies.get(COOKIE)
        return cookie is not None and hmac.compare_digest(cookie.encode(), expected), False

    @web.middleware
    async def guard(self, request: web.Request, handler):
        if self.loopback_only and not self._names_loopback(request):
            raise web.HTTPForbidden(text="annotty serve: this server only answers to localhost\n")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="annotty serve: a websocket from another site\n")
        if self.token is None:
            return await handler(request)
        valid, in_query = self._has_token(request)
        if not valid:
            raise web.HTTPForbidden(text="annotty serve: open the URL with its token (printed when the server "
                                    "started)\n")
        if in_query and request.path == "/":
            # Into a cookie for the websocket and the assets, and out of the address bar and history.
            response = web.HTTPSeeOther(location=request.rel_url.without_query_params("token"))
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
            raise response
        return await handler(request)

    @staticmethod
    def _names_loopback(request: web.Request) -> bool:
        host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
        return host.lower() in LOOPBACK_NAMES


def check_input(args: argparse.Namespace) -> list[str]:
    """The absolute article paths, after checking what every tab would check; raises ArticleError/DatabaseError."""
    from .main import sample_path

    if "-" in args.paths:
        raise ArticleError("serve cannot read an article from standard input: give a file")
    paths = article_paths(args.paths) if args.paths else [str(sample_path())]
    load(paths[0], encoding=args.encoding, max_bytes=args.max_size)
    open_db(args.db)  # a file it must not touch is said now, not in every tab
    return [os.path.abspath(path) for path in paths]


def run_serve(args: argparse.Namespace) -> int:
    try:
        paths = check_input(args)
    except (ArticleError, DatabaseError) as exc:
        return cli.fail(str(exc))
    loopback = is_loopback(args.host)
    token = args.token
    if token is not None and not token.strip():
        return cli.fail("--token is empty")
    if token is None and not loopback:
        token = secrets.token_urlsafe(24)
    logging.basicConfig(level=logging.WARNING, format="annotty serve: %(message)s")
    server = AnnottyServer(tab_command(args, paths), args.host, args.port, token)
    try:
        return asyncio.run(serve(server, args.host, args.port))
    except KeyboardInterrupt:
        return 0


async def serve(server: AnnottyServer, host: str, port: int) -> int:
    app = await server._make_app()
    runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        reason = "the port is in use" if exc.errno in (98, 48) else (exc.strerror or str(exc))
        return cli.fail(f"cannot listen on {host} port {port}: {reason}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Before the URL is printed: whoever reads it may stop the server at once.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    bound_port = runner.addresses[0][1] if runner.addresses else port
    print(f"annotty serve: open {url_of(host, bound_port, server.token)}", flush=True)
    print("annotty serve: each tab is its own annotty process; ctrl+c stops the server", flush=True)
    await stop.wait()
    # Closing the websockets asks each tab's annotty to quit, which saves what is pending.
    await runner.cleanup()
    return 0
