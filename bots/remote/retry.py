"""One retry policy for the layers that talk to GitHub and the Hub: how many tries, how long to
wait between them, and one injectable `sleep` (tests never wait).

A layer says which failures are worth another try (`classify` returns a `Retry`, with the wait
the server asked for in `Retry-After` when it did) and, for writes that may have landed before
the answer failed (a timeout, a dropped connection, a gateway error), how to find what landed
(`landed`, asked before each new try and once more before giving up: a write the server did
is never repeated, nor reported as failed). The policy does the rest: the server's wait is
honoured up to `max_wait`, otherwise the wait doubles from `base` (1 s, 2 s, 4 s …). When the
tries run out and nothing landed, the last failure is raised unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Retry:
    """A failure worth another try; `after` is the server's own wait in seconds, if it gave one."""

    after: float | None = None


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """The seconds of a `Retry-After: N` header (the HTTP-date form is not used by these APIs)."""
    if not headers:
        return None
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), "")
    value = str(value).strip()
    return float(value) if value.isdigit() else None


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    sleep: Sleep = time.sleep
    base: float = 1.0
    max_wait: float = 600.0

    def wait(self, retry: Retry, attempt: int) -> float:
        """The wait after failed try number `attempt` (1-based)."""
        if retry.after is not None:
            return min(retry.after, self.max_wait)
        return min(self.base * 2 ** (attempt - 1), self.max_wait)

    def run(
        self,
        action: Callable[[], T],
        classify: Callable[[Exception], Retry | None],
        landed: Callable[[], T | None] | None = None,
    ) -> T:
        """`action()`, tried again after each failure `classify` calls retryable. Before a new
        try, and before giving up, `landed()` (when given) may return what a failed try did
        after all."""
        for attempt in range(1, self.attempts + 1):
            try:
                return action()
            except Exception as exc:
                retry = classify(exc)
                if retry is None:
                    raise
                if attempt == self.attempts:
                    found = landed() if landed is not None else None
                    if found is None:
                        raise
                    return found
                self.sleep(self.wait(retry, attempt))
            if landed is not None:
                found = landed()
                if found is not None:
                    return found
        raise AssertionError("unreachable: the last try returns or raises")


def scaled_sleep(variable: str, environ: Mapping[str, str]) -> Sleep:
    """`time.sleep` with every wait multiplied by the number in `variable` (default 1; 0 retries
    at once, for local stand-ins and tests). Raises ValueError naming the variable."""
    try:
        scale = max(0.0, float(environ.get(variable, "1")))
    except ValueError as exc:
        raise ValueError(f"{variable} must be a number") from exc

    def sleep(seconds: float) -> None:
        if seconds * scale > 0:
            time.sleep(seconds * scale)

    return sleep
