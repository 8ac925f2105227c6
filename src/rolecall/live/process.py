"""One agent process: started in its own process group, watched, and stopped with all its children.

CLI agents hang in known ways (no output at all, or no exit after their
final event), flood their output, or leave children behind. A process here is
watched by the caller's polling loop against three limits (wall clock, idle
output, output size); two reader threads copy its output to files as it comes,
so nothing is lost when it is killed and memory stays bounded.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rolecall.figures import duration

__all__ = ["AgentProcess", "Ended", "Limits"]

_CHUNK = 65536
_TERM_GRACE = 0.5
"""Seconds between SIGTERM and SIGKILL: a stopped agent must be gone within a second of its limit."""
_AFTER_FINAL = 2.0
"""Seconds an agent may take to exit after its final event before it is stopped (a known Claude Code hang)."""


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float
    idle_timeout: float
    output_cap: int


@dataclass(frozen=True, slots=True)
class Ended:
    """How a process ended: its exit code, or ``None`` with why rolecall stopped it."""

    exit_code: int | None
    stopped: str
    """Empty when it exited by itself, else why it was stopped (``"no output for 30s"``)."""
    seconds: float
    output_bytes: int
    final_seen: bool


class _Pump(threading.Thread):
    """Copies one pipe to a file, counting bytes and noting the time of the last output."""

    def __init__(self, source: IO[bytes], sink: IO[bytes], on_line: Callable[[str], None] | None, cap: int) -> None:
        super().__init__(daemon=True)
        self.source = source
        self.sink = sink
        self.cap = cap
        self.on_line = on_line
        self.count = 0
        self.last = time.monotonic()
        self._partial = b""

    def run(self) -> None:
        fd = self.source.fileno()
        try:
            while True:
                chunk = os.read(fd, _CHUNK)
                if not chunk:
                    break
                self.last = time.monotonic()
                room = self.cap - self.count
                self.count += len(chunk)
                if room <= 0:
                    continue  # past the cap: drain the pipe so the agent never blocks, keep nothing more
                chunk = chunk[:room]
                self.sink.write(chunk)
                self.sink.flush()
                if self.on_line is not None:
                    self._lines(chunk)
        except OSError:
            pass  # the pipe went away with the process
        finally:
            with contextlib.suppress(OSError):
                self.source.close()

    def _lines(self, chunk: bytes) -> None:
        assert self.on_line is not None
        data = self._partial + chunk
        *complete, self._partial = data.split(b"\n")
        if len(self._partial) > _CHUNK:
            self._partial = b""  # a line this long is not a final event; do not hold it
        for line in complete:
            self.on_line(line.decode("utf-8", "replace"))


class AgentProcess:
    """A started agent command. Call :meth:`check` from the run's loop until it returns :class:`Ended`."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        stdin: Path | None,
        stdout: Path,
        stderr: Path,
        limits: Limits,
        is_final: Callable[[str], bool] | None = None,
    ) -> None:
        self.limits = limits
        self._final_at: float | None = None
        self._is_final = is_final
        self._out = stdout.open("wb")
        self._err = stderr.open("wb")
        stdin_handle = stdin.open("rb") if stdin is not None else subprocess.DEVNULL
        self.started = time.monotonic()
        try:
            # A new session: the agent and every child it starts share a process group we can kill whole.
            self.popen = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=dict(env),
                stdin=stdin_handle,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except BaseException:
            self._out.close()
            self._err.close()
            raise
        finally:
            if not isinstance(stdin_handle, int):
                stdin_handle.close()
        assert self.popen.stdout is not None and self.popen.stderr is not None
        self._pumps = (
            _Pump(self.popen.stdout, self._out, self._line if is_final is not None else None, limits.output_cap),
            _Pump(self.popen.stderr, self._err, None, limits.output_cap),
        )
        for pump in self._pumps:
            pump.start()
        self._ended: Ended | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def _line(self, line: str) -> None:
        if self._final_at is None and self._is_final is not None and self._is_final(line):
            self._final_at = time.monotonic()

    def check(self) -> Ended | None:
        """``None`` while it runs within its limits; once it has exited or been stopped, how it ended."""
        if self._ended is not None:
            return self._ended
        now = time.monotonic()
        code = self.popen.poll()
        if code is not None:
            return self._finish(code, "")
        output = sum(p.count for p in self._pumps)
        last = max(p.last for p in self._pumps)
        limits = self.limits
        if self._final_at is not None and now - self._final_at > _AFTER_FINAL:
            return self._stop(f"did not exit within {_AFTER_FINAL:g}s of its final event")
        if now - self.started > limits.timeout:
            return self._stop(f"ran past its {_seconds(limits.timeout)} timeout")
        if now - last > limits.idle_timeout:
            return self._stop(f"printed nothing for {_seconds(limits.idle_timeout)} (idle timeout)")
        if output > limits.output_cap:
            return self._stop(f"printed more than {limits.output_cap:,} bytes (output cap)")
        return None

    def stop(self, why: str) -> Ended:
        """Stop it now (the run is interrupted)."""
        if self._ended is not None:
            return self._ended
        return self._stop(why)

    def _stop(self, why: str) -> Ended:
        _kill_group(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(_TERM_GRACE)
        except subprocess.TimeoutExpired:
            _kill_group(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        return self._finish(None, why)

    def _finish(self, code: int | None, why: str) -> Ended:
        # Children may outlive the agent and hold its pipes open; the group goes with it.
        _kill_group(self.popen.pid, signal.SIGKILL)
        for pump in self._pumps:
            pump.join(timeout=2.0)
        self._out.close()
        self._err.close()
        self._ended = Ended(
            exit_code=code,
            stopped=why,
            seconds=time.monotonic() - self.started,
            output_bytes=sum(p.count for p in self._pumps),
            final_seen=self._final_at is not None,
        )
        return self._ended


def _kill_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _seconds(value: float) -> str:
    """A limit as the views print seconds (``30s``, ``5m``); a fraction as written (``0.5s``)."""
    return duration(int(value), "seconds") if value == int(value) else f"{value:g}s"
