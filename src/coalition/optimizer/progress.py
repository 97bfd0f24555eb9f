"""The solve progress display on stderr: incumbent, bound, gap and elapsed time.

On a terminal one line is redrawn in place; otherwise (logs, CI) a line is written every
`every` seconds, so long runs show they are alive without flooding the log.
"""

import time
from typing import TextIO

from coalition.optimizer.builder import ProgressEvent


class ProgressLine:
    def __init__(self, stream: TextIO, live: bool, every: float = 10.0) -> None:
        self.stream = stream
        self.live = live
        self.every = every
        self.last = time.monotonic()
        self.width = 0

    def __call__(self, event: ProgressEvent) -> None:
        text = describe(event)
        if self.live:
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
            self.stream.flush()
        elif time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            self.stream.write(text + "\n")
            self.stream.flush()

    def close(self) -> None:
        """End the redrawn line so that what follows starts on a fresh one."""
        if self.live and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def describe(event: ProgressEvent) -> str:
    money = event.stage.endswith("cost")
    label = "cost" if money else "value"

    def fmt(number: float | None) -> str:
        if number is None:
            return "-"
        return f"{number:,.2f}" if money else f"{number:,.6g}"

    gap = "-" if event.gap is None else f"{100 * event.gap:.4f}%"
    return (
        f"[{event.stage}] {label} {fmt(event.incumbent)}  bound {fmt(event.bound)}  "
        f"gap {gap}  {event.elapsed:.1f}s"
    )
