"""Time limits for checks, enforced with SIGALRM where the platform allows.

A check that loops forever is interrupted when it runs in the main thread of a
process (the CLI and every portfolio worker); elsewhere the engine still stops
calling a check once its cumulative time is spent.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any


class CheckTimeout(BaseException):
    """Raised inside a check that ran past its time limit.

    A BaseException, so that a check's own ``except Exception`` cannot swallow it.
    """


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise CheckTimeout


class TimeLimit:
    """Installs the alarm handler for its ``with`` block; ``budget`` arms it per call."""

    def __init__(self) -> None:
        self._can_alarm = (
            hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )
        self._previous: Callable[[int, FrameType | None], Any] | int | None = None

    def __enter__(self) -> TimeLimit:
        if self._can_alarm:
            self._previous = signal.signal(signal.SIGALRM, _on_alarm)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._can_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)

    def budget(self, seconds: float) -> _Budget:
        """Run the body with ``seconds`` left; raises CheckTimeout when they are spent."""
        if seconds <= 0:
            raise CheckTimeout
        return _Budget(seconds if self._can_alarm else None)


class _Budget:
    """The alarm armed for one call. A class, not a generator: it wraps every file scan."""

    __slots__ = ("_seconds",)

    def __init__(self, seconds: float | None) -> None:
        self._seconds = seconds

    def __enter__(self) -> None:
        if self._seconds is not None:
            signal.setitimer(signal.ITIMER_REAL, self._seconds)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._seconds is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
