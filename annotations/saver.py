"""The save queue: the UI hands over changes and never waits for the disk.

One writer thread per process drains everything pending into a single
:meth:`Store.apply`. When the disk refuses (full, read-only, no permission) the
changes stay in memory in order and the write is retried with growing pauses;
what was already saved is never touched.

A change based on a revision someone else has replaced is a conflict, not a
failure: it is taken out of the queue (retrying cannot mend it), the rest of the
batch is saved, and the result lists each conflict with what the file holds now
(:attr:`SaveResult.conflicts`), for the caller to show and resolve.
"""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .article import sanitise_line
from .store import Conflict, ConflictItem, DatabaseError, FolderChanged, Op, Store, coalesce


@dataclass(frozen=True)
class SaveResult:
    ok: bool  # True: everything this attempt covered is settled (saved, or refused as a conflict)
    tickets: tuple[int, ...]  # the submissions this attempt covered
    pending: int  # changes still unsaved after this attempt
    error: str | None  # one line fit for a status bar, when ok is False
    retrying: bool = True  # False when the failure is one a retry cannot mend: only quitting tries again
    #: The changes refused because someone else saved a newer revision first, each with what the
    #: file holds now; they are not retried. The other changes of the attempt were saved.
    conflicts: tuple[ConflictItem, ...] = ()
    #: The rev now stored for each annotation id this attempt saved.
    revs: dict[str, int] | None = None

    @property
    def outcome(self) -> str:
        """"saved", "conflict" (some changes refused, the rest saved) or "failed"."""
        return "failed" if not self.ok else "conflict" if self.conflicts else "saved"


def describe_error(exc: BaseException, path: str) -> str:
    """A one-line reason for a failed save, with no control character (it names a file, and is shown)."""
    return sanitise_line(_reason(exc, path))


def _reason(exc: BaseException, path: str) -> str:
    if isinstance(exc, OSError):
        reasons = {
            errno.ENOSPC: "disk full",
            errno.EDQUOT: "disk quota exceeded",
            errno.EROFS: "read-only file system",
            errno.EACCES: "permission denied",
            errno.EPERM: "permission denied",
        }
        reason = reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
        return f"{reason}: {path}"
    if isinstance(exc, DatabaseError):
        return str(exc)
    return f"cannot save to {path}: {' '.join(str(exc).split()) or type(exc).__name__}"


class SaveQueue:
    """A single writer thread that saves submitted ops in order, batching whatever piled up."""

    def __init__(
        self,
        store: Store,
        on_result: Callable[[SaveResult], None],
        *,
        first_retry: float = 0.5,
        max_retry: float = 5.0,
    ) -> None:
        self._store = store
        self._on_result = on_result
        self._first_retry = first_retry
        self._max_retry = max_retry
        self._cond = threading.Condition()
        self._pending: list[tuple[int, Op]] = []
        self._next_ticket = 1
        self._retry_now = False
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="annotty-save", daemon=True)
        self._thread.start()

    def submit(self, op: Op) -> int:
        """Queue *op* and return its ticket at once."""
        with self._cond:
            if self._closing:
                raise RuntimeError("the save queue is closed")
            ticket = self._next_ticket
            self._next_ticket += 1
            self._pending.append((ticket, op))
            self._cond.notify_all()
            return ticket

    @property
    def pending(self) -> int:
        """How many submitted ops are not on disk yet."""
        with self._cond:
            return len(self._pending)

    def pending_ops(self) -> list[Op]:
        """The submitted ops not on disk yet, oldest first."""
        with self._cond:
            return [op for _, op in self._pending]

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything submitted is on disk; ``False`` if *timeout* passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._retry_now = True  # at quit, try again now rather than after the pause
            self._cond.notify_all()
            while self._pending:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def close(self, timeout: float | None = None) -> bool:
        """Flush, then stop the writer thread, all within *timeout*; ``False`` if some changes could not be saved."""
        deadline = None if timeout is None else time.monotonic() + timeout
        saved = self.flush(timeout)
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        # A writer stuck in a write (a lock held elsewhere, a stalled disk) gets only what is left of
        # the time: quitting, and ending on a hang-up, must stay within the bound.
        self._thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return saved

    def _run(self) -> None:
        pause = self._first_retry
        while True:
            with self._cond:
                while not self._pending and not self._closing:
                    self._cond.wait()
                if self._closing:
                    # close() has flushed what it could and told its caller what is unsaved:
                    # nothing is written after that, so what it said stays true.
                    return
                batch = list(self._pending)
            try:
                revs, conflicts = self._apply(coalesce([op for _, op in batch]))
            except Exception as exc:  # any failure: keep the changes and retry later
                # A replaced folder stays replaced: retrying on a timer would only repeat the refusal.
                retrying = not isinstance(exc, FolderChanged)
                with self._cond:
                    left = len(self._pending)
                self._report(SaveResult(False, tuple(t for t, _ in batch), left, describe_error(exc, self._store.path), retrying))
                with self._cond:
                    if self._closing:
                        return  # close() gave up waiting; the caller was told nothing more is saved
                    self._cond.wait_for(lambda: self._retry_now or self._closing, timeout=pause if retrying else None)
                    self._retry_now = False
                pause = min(pause * 2, self._max_retry)
                continue
            pause = self._first_retry
            with self._cond:
                del self._pending[: len(batch)]
                left = len(self._pending)
                self._cond.notify_all()
            self._report(SaveResult(True, tuple(t for t, _ in batch), left, None, conflicts=conflicts, revs=revs))

    def _apply(self, ops: list[Op]) -> tuple[dict[str, int], tuple[ConflictItem, ...]]:
        """Save *ops*, leaving out those that conflict (each try is all or nothing, so try again
        without them); returns the stored revs and the conflicts."""
        refused: list[ConflictItem] = []
        while True:
            try:
                return self._store.apply(ops), tuple(refused)
            except Conflict as conflict:
                refused.extend(conflict.items)
                keys = {item.op.key for item in conflict.items}
                ops = [op for op in ops if op.key not in keys]

    def _report(self, result: SaveResult) -> None:
        try:
            self._on_result(result)
        except Exception:  # a broken callback must not stop saving
            pass
