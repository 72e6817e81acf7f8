"""`annotty serve` in headless Chromium: a tab asks who is annotating, shows the article, tags a quote
from the keyboard under that name; and the server refuses whatever comes without its token.

The terminal is drawn on a canvas: the tests read the screen from screenshots and the result from
the database. A screenshot of the tagged article is kept under artifacts/ (its path is printed).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from browser_harness import (ARTICLE_BACKGROUND, CHROMEDRIVER, ENTER, CHROMIUM, Server, article_visible, chromium, quote_tint_share,
                             press, save_artifact, screenshot, share, typing_target, wait_for)

pytestmark = pytest.mark.slow


def need_chromium() -> None:
    if CHROMIUM and CHROMEDRIVER:
        return
    if os.environ.get("CI"):
        pytest.fail("chromium and chromium-driver must be installed on CI (.ci/run installs them)")
    pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")


def annotations_in(db: Path) -> list[dict]:
    try:
        data = json.loads(db.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return []  # not written yet
    return list(data.get("annotations", {}).values())


def local(url: str, port: int) -> tuple[str, str]:
    """The printed URL pointed at 127.0.0.1 (the machine's name may not resolve here), and its token."""
    token = parse_qs(urlsplit(url).query)["token"][0]
    return f"http://127.0.0.1:{port}/?token={token}", token


def test_a_browser_tab_tags_a_quote_under_the_annotator_it_chose(tmp_path: Path, app_env) -> None:
    need_chromium()
    db = tmp_path / "team.json"
    # A non-loopback bind, so the page, its assets and its websocket all go through the token.
    server = Server("--db", str(db), "--annotators", "alice,bob", host="0.0.0.0", env=app_env)
    driver = None
    try:
        url, _ = local(server.url, server.port)
        driver = chromium()
        driver.get(url)
        assert "token" not in driver.current_url, "the token moves from the address bar into a cookie"
        keys = wait_for(lambda: typing_target(driver), "the terminal in the page")
        # The first screen: its fields have the article's background, a few per cent of the page.
        wait_for(lambda: 0.02 < share(screenshot(driver), ARTICLE_BACKGROUND) < 0.3, "the first screen")
        press(keys, ENTER)  # the first name offered: alice
        wait_for(lambda: article_visible(driver), "the article")
        before = screenshot(driver, scale=1)
        press(keys, "/", "For ten", ENTER, "q")  # find inside the mayor's quotation, tag it
        quotes = wait_for(lambda: [a for a in annotations_in(db) if a["label"] == "QUOTE"], "the quote in the database")
        assert [(a["text"], a["annotator"]) for a in quotes] == [
            ("For ten years people in Wester Quay have been told to wait,", "alice")]

        def tagged_page() -> bytes | None:
            shot = screenshot(driver, scale=1)
            return shot if quote_tint_share(shot) > quote_tint_share(before) else None

        tagged = wait_for(tagged_page, "the quote's tint on the page")
        path = save_artifact(tagged, "serve-tagged-article.png")
        print(f"screenshot of the tagged article: {path}")
        tab = processes_under(server.process.pid)
        assert tab, "the tab runs in a process of its own"
    except AssertionError:
        if driver is not None:  # what the page showed, to see why
            print(f"the page when it failed: {save_artifact(screenshot(driver, scale=1), 'serve-failure.png')}")
        raise
    finally:
        if driver is not None:
            driver.quit()
        out = server.stop()
    assert "Traceback" not in out, out
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in tab), "the tab's process to end", timeout=30)


def processes_under(pid: int) -> list[int]:
    try:
        children = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [pid for child in children for pid in [child, *processes_under(child)]]


def status(url: str, opener=None, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_without_the_token_a_non_loopback_bind_refuses_every_request(tmp_path: Path, app_env) -> None:
    server = Server("--db", str(tmp_path / "team.json"), host="0.0.0.0", env=app_env)
    try:
        url, token = local(server.url, server.port)
        base = f"http://127.0.0.1:{server.port}"
        assert len(token) >= 32, server.url
        for path in ("/", "/ws", "/static/js/textual.js"):
            assert status(base + path) == 403, path
        assert status(f"{base}/?token={token[:-1]}x") == 403
        assert status(f"{base}/", headers={"Cookie": "annotty_token=wrong"}) == 403
        # With it: the page, then (by the cookie it set) the assets.
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        assert status(url, opener) == 200
        assert status(base + "/static/js/textual.js", opener) == 200
    finally:
        server.stop()


def test_a_given_token_is_the_one_asked_for(tmp_path: Path, app_env) -> None:
    server = Server("--db", str(tmp_path / "team.json"), "--token", "s3cret-word", host="0.0.0.0", env=app_env)
    try:
        assert server.url.endswith("/?token=s3cret-word")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        assert status(f"http://127.0.0.1:{server.port}/?token=s3cret-word", opener) == 200
        assert status(f"http://127.0.0.1:{server.port}/") == 403
    finally:
        server.stop()


def test_a_loopback_bind_answers_only_its_own_names_and_pages(tmp_path: Path, app_env) -> None:
    server = Server("--db", str(tmp_path / "team.json"), env=app_env)
    try:
        base = f"http://127.0.0.1:{server.port}"
        assert server.url == base + "/", "no token on 127.0.0.1"
        assert status(base + "/") == 200
        # A page of another site, through DNS rebinding or a websocket of its own, is refused.
        assert status(base + "/", headers={"Host": f"attacker.example:{server.port}"}) == 403
        assert status(base + "/ws", headers={"Origin": "http://attacker.example"}) == 403
    finally:
        server.stop()
