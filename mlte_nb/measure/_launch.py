"""Start a command through a tiny launcher that reports the command's exact resource usage.

Why a launcher: on Linux a child's ``ru_maxrss`` is at least the peak RSS of the process
that started it (``exec`` keeps the old memory's high-water mark, and ``vfork`` shares
it), so a script started from a 2 GB notebook kernel reports a 2 GB peak, and a burst
of the script between two samples is hidden. The launcher is a bare ``python -I -S``;
it spawns the command, waits for it with ``wait4`` and writes the command's own CPU
seconds, ``ru_maxrss``, wall time and exit status to a pipe. The peak it reports is
exact whenever it is above the floor the launcher leaves (about 9 MB, reported too):
every Python script's is, since an interpreter alone takes that much.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mlte_nb.measure._procfs import LINUX, read_hwm_kb

# argv: FD COMMAND... It writes to FD "pid PID" once the command runs (or "error MESSAGE"),
# then "exit STATUS CPU_S MAXRSS_KB WALL_S FLOOR_KB". posix_spawn (vfork + exec) leaves
# the command a high-water mark of the launcher's own peak, so a ru_maxrss at or below
# FLOOR (the launcher's VmHWM after the spawn, about 9 MB) may be the launcher's. Forking
# instead lowers that floor to about 6 MB but charges the command for tearing down the
# forked memory at exec (+0.4 ms, +40 % on /bin/true), so spawn it is.
_LAUNCHER = """\
import os, sys, time
fd = int(sys.argv[1]); argv = sys.argv[2:]
os.set_inheritable(fd, False)
start = time.monotonic()
try:
    pid = os.posix_spawnp(argv[0], argv, os.environ)
except OSError as exc:
    os.write(fd, ("error %s\\n" % exc).encode()); sys.exit(127)
os.write(fd, b"pid %d\\n" % pid)
while True:
    try:
        _, status, ru = os.wait4(pid, 0); break
    except InterruptedError:
        continue
wall = time.monotonic() - start
s = os.open("/proc/self/status", os.O_RDONLY); text = os.read(s, 8192); os.close(s)
at = text.find(b"VmHWM:")
floor = int(text[at + 6:].split(None, 1)[0]) if at >= 0 else 0
cpu = ru.ru_utime + ru.ru_stime
os.write(fd, b"exit %d %r %d %r %d\\n" % (status, cpu, ru.ru_maxrss, wall, floor))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    import signal; signal.signal(-code, signal.SIG_DFL); os.kill(os.getpid(), -code)
sys.exit(code)
"""


@dataclass(frozen=True)
class Exit:
    """How a launched command ended, with the OS's exact accounting where known.

    ``maxrss_kb`` is exact when it is above ``launcher_peak_kb`` (otherwise it is only
    that bound); ``wall_s`` is None when the launcher could not time the command.
    """

    code: int
    cpu_s: float | None
    maxrss_kb: int | None
    launcher_peak_kb: int
    wall_s: float | None


class Launch:
    """A running command: ``pid`` is the command's own, ``popen`` owns its output pipes."""

    def __init__(self, argv: Sequence[str], **popen: Any) -> None:
        self.argv = list(argv)
        self.uses_launcher = LINUX and hasattr(os, "posix_spawnp")
        pipes: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        pipes.update(text=True, errors="replace", **popen)
        self.popen: subprocess.Popen[str]
        if not self.uses_launcher:
            self.launcher_peak_kb = read_hwm_kb("self") or 0
            self.popen = subprocess.Popen(self.argv, **pipes)
            self.launcher_peak_kb = max(self.launcher_peak_kb, read_hwm_kb("self") or 0)
            self.pid = self.popen.pid
            return
        self.launcher_peak_kb = 0
        read_fd, write_fd = os.pipe()
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(write_fd), *self.argv]
        try:
            self.popen = subprocess.Popen(launcher, pass_fds=(write_fd,), **pipes)
        finally:
            os.close(write_fd)
        self._report = os.fdopen(read_fd, "r", encoding="ascii", errors="replace")
        first = self._report.readline().split(None, 1)
        if first[:1] != ["pid"]:
            self.popen.wait()
            self._report.close()
            reason = first[1].strip() if len(first) > 1 else "the launcher did not start"
            raise OSError(reason)
        self.pid = int(first[1])

    def wait(self) -> Exit:
        """Wait for the command to exit and return its exit code and exact accounting."""
        if not self.uses_launcher:
            return self._wait_direct()
        line = self._report.readline().split()
        self._report.close()
        self.popen.wait()
        if len(line) != 6 or line[0] != "exit":  # the launcher itself was killed
            return Exit(int(self.popen.returncode), None, None, 0, None)
        status, cpu, maxrss, wall, floor = line[1:]
        code = os.waitstatus_to_exitcode(int(status))
        return Exit(code, float(cpu), int(maxrss), int(floor), float(wall))

    def _wait_direct(self) -> Exit:
        if not hasattr(os, "wait4"):  # pragma: no cover - Windows
            return Exit(self.popen.wait(), None, None, self.launcher_peak_kb, None)
        _, status, usage = os.wait4(self.pid, 0)
        self.popen.returncode = os.waitstatus_to_exitcode(status)
        scale = 1024 if sys.platform == "darwin" else 1  # ru_maxrss is bytes on macOS
        cpu = usage.ru_utime + usage.ru_stime
        return Exit(
            self.popen.returncode, cpu, usage.ru_maxrss // scale, self.launcher_peak_kb, None
        )

    def kill(self) -> None:
        """Kill the command (the launcher then reports it as killed)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
