"""The app draws frames on a tick of 120 a second (Textual's default of 60 made a key wait up to
16.7 ms for its frame), unless the user set TEXTUAL_FPS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What the `annotty` script imports first, then Textual's frame rate.
PROBE = "import tui.main, textual.constants; print(textual.constants.MAX_FPS)"


def frame_rate(**env: str) -> int:
    environ = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"} | env
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True, check=True)
    return int(out.stdout)


def test_the_app_draws_up_to_120_frames_a_second() -> None:
    assert frame_rate() == 120


def test_a_frame_rate_the_user_set_is_kept() -> None:
    assert frame_rate(TEXTUAL_FPS="30") == 30
