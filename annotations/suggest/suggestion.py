"""What the suggesters hand to the reader: a span, a label, and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Suggestion:
    label: str  # "QUOTE" or "CLAIM"
    start: int
    end: int
    text: str
    speaker: dict | None  # {"text", "start", "end", "name"}
    cue: dict | None  # {"text", "start", "end"}
    kind: str | None  # "direct", "indirect", "mixed", "floating" for quotes; None for claims
    confidence: float
    reasons: tuple[str, ...]
    rule: str  # short rule name, the origin of an accepted suggestion: "suggest:quote-cue-after"

    def to_json(self, source: str) -> dict:
        return {
            "source": source,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker,
            "cue": self.cue,
            "kind": self.kind,
            "confidence": self.confidence,
            "reasons": list(self.reasons),
        }
