"""`annotty serve` says what is wrong in one line and exits 2: a port in use, a host that does not
resolve, standard input, a database it must not touch; and stops cleanly on SIGTERM."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from browser_harness import ANNOTTY, Server


def serve(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(ANNOTTY), "serve", *args], capture_output=True, text=True, timeout=60, env=env)


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(("annotty: ", "annotty serve: ")), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_a_port_in_use(tmp_path: Path, app_env) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve("--db", str(tmp_path / "db.json"), "--port", str(port), env=app_env)
    one_line_error(result, f"port {port}", "in use")


def test_a_host_that_does_not_resolve(tmp_path: Path, app_env) -> None:
    one_line_error(serve("--db", str(tmp_path / "db.json"), "--host", "no-such-host.invalid", env=app_env),
                   "cannot listen on no-such-host.invalid")


def test_standard_input_and_a_corrupt_database(tmp_path: Path, app_env) -> None:
    one_line_error(serve("--db", str(tmp_path / "db.json"), "-", env=app_env), "standard input")
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text("{not json", encoding="utf-8")
    one_line_error(serve("--db", str(corrupt), env=app_env), "corrupt.json")
    assert corrupt.read_text(encoding="utf-8") == "{not json", "never touched"
    one_line_error(serve("--port", "70000", env=app_env), "not a port number")
    one_line_error(serve("--db", str(tmp_path / "db.json"), "--token", " ", "--host", "0.0.0.0", env=app_env),
                   "--token is empty")


def test_sigterm_stops_the_server(tmp_path: Path, app_env) -> None:
    server = Server("--db", str(tmp_path / "db.json"), env=app_env)
    out = server.stop()
    assert server.process.returncode == 0, out
    assert "Traceback" not in out


def test_the_page_loads_nothing_from_another_host(tmp_path: Path, app_env) -> None:
    import re
    import urllib.request

    server = Server("--db", str(tmp_path / "db.json"), env=app_env)
    try:
        base = f"http://127.0.0.1:{server.port}"
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            page = response.read().decode("utf-8")
        urls = re.findall(r"""(?:https?|wss?)://[^\s"'<>)]+""", page)
        assert urls, "the page names its assets and websocket by absolute URLs"
        foreign = [url for url in urls if not url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:"))
                   or f":{server.port}/" not in url]
        assert foreign == [], "everything the page loads comes from annotty's own server"
        assert "googleapis" not in page and "@import" not in page and "url(" not in page
        for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
            with urllib.request.urlopen(asset, timeout=10) as response:
                assert response.status == 200, asset
        assert 'class="textual-terminal"' in page and "data-session-websocket-url=\"ws://127.0.0.1:" in page
    finally:
        server.stop()
