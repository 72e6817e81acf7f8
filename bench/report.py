"""Figures the benchmarks report: one line each as they come, a markdown table at the end."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured number and, when it has one, the goal it must stay at or under."""

    name: str
    value: float
    unit: str
    goal: float | None = None

    @property
    def verdict(self) -> str:
        if self.goal is None:
            return "info"
        return "PASS" if self.value <= self.goal else "MISS"

    def _number(self, value: float) -> str:
        return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.2f}"

    def goal_text(self) -> str:
        return f"<= {self._number(self.goal)} {self.unit}" if self.goal is not None else "-"

    def line(self) -> str:
        return f"{self.name}: {self._number(self.value)} {self.unit}  (goal {self.goal_text()})  {self.verdict}"

    def row(self) -> str:
        return f"| {self.name} | {self._number(self.value)} {self.unit} | {self.goal_text()} | {self.verdict} |"


def show(figure: Figure) -> Figure:
    print(figure.line(), flush=True)
    return figure


def markdown_table(figures: list[Figure]) -> str:
    lines = ["| Measure | Latest | Goal | |", "|---|---|---|---|"]
    lines += [figure.row() for figure in figures]
    return "\n".join(lines)


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile of *samples* (fraction 0.95 for p95)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def median(samples: list[float]) -> float:
    return statistics.median(samples)
