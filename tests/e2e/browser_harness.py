"""`annotty serve` in a real browser: headless Chromium driven by selenium, for the tests and the bench.

The page draws the terminal on a canvas, so what the app shows is read from screenshots (counting
the pixels of a colour) and what it did from the database, never from the DOM.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import time
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANNOTTY = ROOT / ".venv" / "bin" / "annotty"
#: Debian's chromium and chromium-driver (.ci/run installs them).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
#: The browser window: room for the whole sample article's first screen.
WINDOW = (1200, 800)
#: The article's background ($surface of the default theme): most of the page once the article is up,
#: a few fields on the first screen.
ARTICLE_BACKGROUND = (0x1E, 0x1E, 0x1E)
#: The tints of an accepted quote, alone and overlapping another mark (tui/widgets/article_view.py).
QUOTE_TINTS = ((0x1D, 0x4A, 0x2C), (0x4D, 0x45, 0x16))


def article_visible(driver) -> bool:
    return share(screenshot(driver), ARTICLE_BACKGROUND) > 0.3


def quote_tint_share(png: bytes) -> float:
    return sum(share(png, tint) for tint in QUOTE_TINTS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`annotty serve ARGS` on a free port of *host*; :attr:`url` is the URL it prints."""

    def __init__(self, *args: str, host: str = "127.0.0.1", env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(ANNOTTY), "serve", *args, "--host", host, "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )
        first = self.process.stdout.readline()
        if not first.startswith("annotty serve: open "):
            self.stop()
            raise RuntimeError(f"annotty serve did not start: {first!r}")
        self.url = first.removeprefix("annotty serve: open ").strip()

    def stop(self) -> str:
        """Stop the server (SIGTERM, as a service manager would) and return what it printed."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out or ""


def chromium():
    """A headless Chromium of the system's own, through its chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 f"--window-size={WINDOW[0]},{WINDOW[1]}", "--no-first-run"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def typing_target(driver):
    """xterm.js's hidden text area, where the page takes keys (the only DOM the tests touch)."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, "textarea.xterm-helper-textarea")


ENTER = "\ue007"  # selenium's code for the enter key


def press(target, *keys: str, pause: float = 0.2) -> None:
    """Type each of *keys* (a key or a string) in turn: xterm.js can lose an enter sent in one burst with text."""
    for key in keys:
        target.send_keys(key)
        time.sleep(pause)


def wait_for(condition, what: str, timeout: float = 60.0, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


# ---- screenshots ---------------------------------------------------------------


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes) of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, data = 8, b""
    width = height = colour_type = 0
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        body = png[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour_type in (2, 6) and not interlace, "an unexpected PNG layout"
        elif kind == b"IDAT":
            data += body
        at += 12 + length
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(data)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        row = unfilter(line[0], bytearray(line[1:]), previous, channels)
        rows.append(bytes(row) if channels == 3 else bytes(b for i, b in enumerate(row) if i % 4 != 3))
        previous = row
    return width, height, rows


def unfilter(kind: int, row: bytearray, above: bytearray, bpp: int) -> bytearray:
    """Undo one PNG row filter (none, sub, up, average, Paeth)."""
    if kind == 0:
        return row
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up = above[i]
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 2:
            row[i] = (row[i] + up) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        else:
            corner = above[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            row[i] = (row[i] + predictor) & 0xFF
    return row


def screenshot(driver, scale: float = 0.25) -> bytes:
    """The page as a PNG at *scale* (a quarter is plenty for cell backgrounds, and quick to decode)."""
    import base64

    width, height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": scale}})
    return base64.b64decode(shot["data"])


def share(png: bytes, colour: tuple[int, int, int]) -> float:
    """The share of the page's pixels that are exactly *colour*."""
    counts = colours(png, step=1)
    return counts[colour] / max(1, sum(counts.values()))


def colours(png: bytes, step: int = 2) -> Counter[tuple[int, int, int]]:
    """How many pixels of each colour (every *step*-th pixel and row, which is plenty for cell backgrounds)."""
    width, _, rows = png_pixels(png)
    counts: Counter[tuple[int, int, int]] = Counter()
    for row in rows[::step]:
        for x in range(0, width * 3, 3 * step):
            counts[(row[x], row[x + 1], row[x + 2])] += 1
    return counts


def save_artifact(png: bytes, name: str) -> Path:
    """Keep a screenshot under artifacts/ (ignored by git) and return its path."""
    folder = Path(os.environ.get("ANNOTTY_ARTIFACTS", ROOT / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(png)
    return path
