"""Slowing down password guessing: failed logins per session and for the whole process.

After a few free failures each further failure doubles the wait before the next attempt is
even checked, up to a cap; after more failures the key is locked out for a longer window.
Two counters apply at once: one for the browser session (one person mistyping) and one for
the process (a guesser who opens a new session for every attempt). The clock is a
parameter, so tests advance time instead of sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

PROCESS_KEY = "*"  # the counter that every session's failures also count against


@dataclass(frozen=True)
class ThrottlePolicy:
    """How quickly failures slow down one counter."""

    free_failures: int = 3  # failures without any wait (typos)
    base_delay_s: float = 2.0  # the first wait; each further failure doubles it
    max_delay_s: float = 60.0  # the longest wait before the lockout
    lockout_failures: int = 10  # from this many failures on, each failure locks the key
    lockout_s: float = 900.0  # how long a lockout lasts
    forget_after_s: float = 3600.0  # a counter without failures for this long starts afresh

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after the given number of consecutive failures."""
        if failures >= self.lockout_failures:
            return self.lockout_s
        if failures < self.free_failures:
            return 0.0
        return min(self.max_delay_s, self.base_delay_s * 2 ** (failures - self.free_failures))


SESSION_POLICY = ThrottlePolicy()
# Many people share the process: more free failures, the same doubling, a lockout later.
PROCESS_POLICY = ThrottlePolicy(free_failures=10, base_delay_s=1.0, lockout_failures=30)


@dataclass
class _Counter:
    failures: int = 0
    last_failure: float = 0.0
    blocked_until: float = 0.0


@dataclass(frozen=True)
class LoginState:
    """Where one session stands: consecutive failures and the seconds it must still wait."""

    session_failures: int
    process_failures: int
    wait_s: float
    locked_out: bool


class LoginThrottle:
    """Counts failed logins per session and process-wide; safe to share between threads."""

    MAX_SESSIONS = 10_000  # counters kept; the oldest are dropped beyond this

    def __init__(
        self,
        session_policy: ThrottlePolicy = SESSION_POLICY,
        process_policy: ThrottlePolicy = PROCESS_POLICY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_policy = session_policy
        self.process_policy = process_policy
        self.clock = clock
        self._lock = threading.Lock()
        self._counters: dict[str, _Counter] = {}

    def _counter(self, key: str, policy: ThrottlePolicy, now: float) -> _Counter:
        counter = self._counters.get(key)
        if counter is None or (
            counter.failures and now - counter.last_failure > policy.forget_after_s
        ):
            counter = self._counters[key] = _Counter()
        return counter

    def _state(self, session: str, now: float) -> LoginState:
        own = self._counter(session, self.session_policy, now)
        shared = self._counter(PROCESS_KEY, self.process_policy, now)
        wait = max(0.0, own.blocked_until - now, shared.blocked_until - now)
        locked = (
            own.failures >= self.session_policy.lockout_failures and own.blocked_until > now
        ) or (
            shared.failures >= self.process_policy.lockout_failures and shared.blocked_until > now
        )
        return LoginState(own.failures, shared.failures, wait, locked)

    def check(self, session: str) -> LoginState:
        """The session's state now; a wait above zero means: do not check a password yet."""
        with self._lock:
            return self._state(session, self.clock())

    def failed(self, session: str) -> LoginState:
        """Count one wrong password for the session and the process; the state after it."""
        with self._lock:
            now = self.clock()
            for key, policy in (
                (session, self.session_policy),
                (PROCESS_KEY, self.process_policy),
            ):
                counter = self._counter(key, policy, now)
                counter.failures += 1
                counter.last_failure = now
                counter.blocked_until = now + policy.wait_after(counter.failures)
            self._prune(now)
            return self._state(session, now)

    def succeeded(self, session: str) -> None:
        """A right password clears the session's counter (not the process's: a guesser's
        failures still count while an admin logs in)."""
        with self._lock:
            self._counters.pop(session, None)

    def _prune(self, now: float) -> None:
        if len(self._counters) <= self.MAX_SESSIONS:
            return
        stale = [
            key
            for key, c in self._counters.items()
            if key != PROCESS_KEY and now - c.last_failure > self.session_policy.forget_after_s
        ]
        for key in stale:
            del self._counters[key]
        # Still too many: drop the least recently failed, never the process counter.
        extra = len(self._counters) - self.MAX_SESSIONS
        if extra > 0:
            oldest = sorted(
                (k for k in self._counters if k != PROCESS_KEY),
                key=lambda k: self._counters[k].last_failure,
            )
            for key in oldest[:extra]:
                del self._counters[key]
