"""`annotty serve` through headless Chromium: page load to article, key to change, memory per tab.

- page load to first screen: from asking the browser for the page to the "who is annotating"
  screen drawn (a new annotty process per tab: interpreter, Textual, the app);
- name chosen to article visible: from enter on that screen to the article drawn;
- key to change, once the article is analysed: from a key sent to the page (q tags the quote under the cursor, u undoes it) to
  the database file holding the change, through the websocket, the tab's process and its saver;
- memory per tab: the proportional set size (PSS, shared pages split between the processes that
  map them) of each tab's processes once its article is analysed; the first tab loads the spaCy
  model, later tabs on the same article find its analysis in the cache. From the worst of them,
  how many tabs a 2-core, 24 GB server holds.

Needs Debian's chromium and chromium-driver (.ci/run installs them). Run: python -m bench.bench_serve
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "e2e"))

from browser_harness import (ARTICLE_BACKGROUND, CHROMEDRIVER, CHROMIUM, ENTER, Server,  # noqa: E402
                             article_visible, chromium, press, screenshot, share, typing_target, wait_for)

from .report import Figure, percentile, show  # noqa: E402

ROUNDS = 10
TABS = 3
SERVER_MEMORY_GB = 24
#: Kept for the system, the server itself and the page cache.
HEADROOM_GB = 2


def quote_count(db: Path) -> int:
    try:
        data = json.loads(db.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return -1
    return sum(1 for doc in data.get("annotations", {}).values() if doc["label"] == "QUOTE")


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def tree(pid: int) -> list[int]:
    found = [pid]
    for child in children(pid):
        found += tree(child)
    return found


def memory_mb(pid: int, field: str = "Pss:") -> float:
    """Fields of /proc/PID/smaps_rollup starting *field*, in MB: Rss: (all mapped), Pss: (shared pages split),
    Private_ (its own pages, clean and dirty)."""
    total = 0.0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith(field):
                    total += int(line.split()[1]) / 1024
    except OSError:
        pass
    return total


def tab_memory(tab: int, field: str) -> float:
    return sum(memory_mb(pid, field) for pid in tree(tab))


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def settled(pid: int, quiet: float = 1.5, timeout: float = 120) -> float:
    """Wait until the tab's processes use no CPU for *quiet* seconds (its analysis done); their CPU time."""
    deadline = time.monotonic() + timeout
    last = cpu_seconds(tree(pid))
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = cpu_seconds(tree(pid))
        if now - last < 0.02:
            return now
        last = now
    return last


def open_tab(driver, url: str) -> tuple[float, float]:
    """Open *url* in the current tab and pick the annotator; (seconds to first screen, to article)."""
    started = time.perf_counter()
    driver.get(url)
    keys = wait_for(lambda: typing_target(driver), "the terminal in the page")
    wait_for(lambda: 0.02 < share(screenshot(driver), ARTICLE_BACKGROUND) < 0.3, "the first screen", every=0.02)
    first = time.perf_counter() - started
    chosen = time.perf_counter()
    press(keys, ENTER, pause=0)
    wait_for(lambda: article_visible(driver), "the article", every=0.02)
    return first, time.perf_counter() - chosen


def main() -> list[Figure]:
    if not (CHROMIUM and CHROMEDRIVER):
        print("chromium and chromium-driver are not installed: bench_serve skipped")
        return []
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "team.json"
        env = dict(os.environ, XDG_CACHE_HOME=str(Path(tmp) / "cache"), XDG_CONFIG_HOME=str(Path(tmp) / "config"))
        server = Server("--db", str(db), "--annotators", "bench", env=env)
        driver = chromium()
        try:
            first, article = open_tab(driver, server.url)
            figures.append(show(Figure("serve: page load to first screen", first, "s")))
            figures.append(show(Figure("serve: name chosen to article visible", article, "s")))
            (tab_root,) = children(server.process.pid)
            load_cpu = settled(tab_root)  # keys are timed once the model has analysed the article
            keys = typing_target(driver)
            press(keys, "/", "For ten", ENTER)
            latencies: list[float] = []
            sending: list[float] = []  # how long selenium and the browser take to deliver the key to the page
            for _ in range(ROUNDS):
                for key, expected in (("q", 1), ("u", 0)):
                    sent = time.perf_counter()
                    keys.send_keys(key)
                    sending.append((time.perf_counter() - sent) * 1000)
                    wait_for(lambda: quote_count(db) == expected, f"{key} in the database", every=0.005)
                    latencies.append((time.perf_counter() - sent) * 1000)
            figures.append(show(Figure("serve: key to change in the database, median", statistics.median(latencies),
                                       "ms")))
            figures.append(show(Figure("serve: of which selenium delivering the key, median", statistics.median(sending),
                                       "ms")))
            after = [total - send for total, send in zip(latencies, sending)]
            figures.append(show(Figure("serve: key delivered to change in the database, median",
                                       statistics.median(after), "ms")))
            print(f"  p95 of that: {percentile(after, 0.95):.0f} ms")
            figures.append(show(Figure("serve: key to change in the database, p95", percentile(latencies, 0.95),
                                       "ms")))
            tabs = [tab_root]
            for _ in range(TABS - 1):
                driver.switch_to.new_window("tab")
                open_tab(driver, server.url)
                tabs.append(next(p for p in children(server.process.pid) if p not in tabs))
                settled(tabs[-1])
            per_tab = [tab_memory(tab, "Pss:") for tab in tabs]
            rss = [tab_memory(tab, "Rss:") for tab in tabs]
            private = [tab_memory(tab, "Private_") for tab in tabs]
            server_mb = memory_mb(server.process.pid)
            print(f"per tab, PSS: {', '.join(f'{mb:.0f}' for mb in per_tab)} MB; RSS: "
                  f"{', '.join(f'{mb:.0f}' for mb in rss)} MB; private: {', '.join(f'{mb:.0f}' for mb in private)} MB")
            print(f"the server: PSS {server_mb:.0f} MB; "
                  f"CPU to open the first tab and analyse its article: {load_cpu:.1f} s")
            worst = max(rss)  # every page a tab maps, shared or not: a bound that holds
            figures.append(show(Figure("serve: memory of a tab that loaded the model (RSS)", rss[0], "MB")))
            figures.append(show(Figure("serve: memory of a later tab, article cached (RSS)",
                                       statistics.mean(rss[1:]), "MB")))
            figures.append(show(Figure(f"serve: tabs a {SERVER_MEMORY_GB} GB server holds, each with the model",
                                       (SERVER_MEMORY_GB - HEADROOM_GB) * 1024 // worst, "tabs")))
            figures.append(show(Figure("serve: CPU to open a tab and analyse its article", load_cpu, "s")))
        finally:
            driver.quit()
            server.stop()
    return figures


if __name__ == "__main__":
    main()
