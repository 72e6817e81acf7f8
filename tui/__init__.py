"""The Textual app of annotty. Everything that is not UI lives in ``annotations``."""

import os

#: Textual draws the frames on a fixed tick, 60 a second by default: a key's frame waited up to
#: 16.7 ms for the next one, more than the whole key-to-frame goal. At 120 the wait is half that;
#: a frame is still drawn only when something changed. Set before Textual is imported (every
#: entry point imports this package first); a TEXTUAL_FPS of the user's own is kept.
FRAMES_PER_SECOND = "120"
os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
