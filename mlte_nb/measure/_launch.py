"""Start a command through a tiny launcher that reports the command's exact resource usage.

Why a launcher: on Linux a child's ``ru_maxrss`` is at least the peak RSS of the memory
it had before ``exec`` (``exec`` keeps the old memory's high-water mark, and ``vfork``
shares the parent's memory), so a script started from a 2 GB notebook kernel reports a
2 GB peak, and a burst of the script between two samples is hidden. The launcher sits
between the two: it spawns the command, waits for it with ``wait4`` and writes the
command's own CPU seconds, ``ru_maxrss``, wall time and exit status to a pipe, with its
own peak (``VmHWM``, the floor the command inherits). A ``ru_maxrss`` above that floor is
the command's own exact peak; one at or below it is only an upper bound.

Two launchers speak the same line protocol:

- ``_launcher.c``, compiled on first use with the system C compiler (``cc`` or ``gcc``)
  into ``$XDG_CACHE_HOME/mlte_nb/`` (or ``~/.cache/mlte_nb/``), statically linked where
  the C library allows it: a floor of about 0.7 MB, below even ``/bin/true``'s own peak.
- A bare ``python -I -S`` (the fallback when no compiler works, or with
  ``MLTE_NB_LAUNCHER=python``): a floor of about 9 MB, above which every Python script
  is, but tiny commands are not.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlte_nb.measure._procfs import LINUX, read_hwm_kb

LAUNCHER_ENV = "MLTE_NB_LAUNCHER"
"""Environment variable choosing the launcher: ``c`` (default, falls back to ``python``
when it cannot be built), ``python``."""

_C_SOURCE = Path(__file__).with_name("_launcher.c")
_COMPILE_TIMEOUT_S = 120.0
_built: dict[str, str | None] = {}
_build_lock = threading.Lock()
_c_failed = threading.Event()  # the built launcher would not start: Python from now on

# The Python launcher. argv: FD COMMAND...; the protocol is described in _launcher.c.
# posix_spawn (vfork + exec) leaves the command a high-water mark of the launcher's own
# peak, so a ru_maxrss at or below FLOOR (the launcher's VmHWM after the spawn, about
# 9 MB) may be the launcher's. Forking instead lowers that floor to about 6 MB but
# charges the command for tearing down the forked memory at exec (+0.4 ms, +40 % on
# /bin/true), so spawn it is.
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


def cache_dir() -> Path:
    """Return the per-user folder the C launcher is compiled into."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "mlte_nb"


def c_launcher() -> str | None:
    """Return the compiled C launcher's path, building it on first use; None if it cannot be.

    The binary's name holds a hash of the source and the platform, so a changed source or
    another machine sharing the home folder gets its own. It is built under a unique name
    and renamed into place, so processes building at the same time do not clash.
    """
    try:
        source = _C_SOURCE.read_bytes()
    except OSError:
        return None
    tag = "\0".join(
        (sys.platform, platform.machine(), *platform.libc_ver(), str(os.sysconf("SC_PAGE_SIZE")))
    )
    key = hashlib.sha256(source + b"\0" + tag.encode()).hexdigest()[:16]
    target = cache_dir() / f"launcher-{key}"
    with _build_lock:
        if str(target) not in _built:
            _built[str(target)] = _build(source, target)
        return _built[str(target)]


def _build(source: bytes, target: Path) -> str | None:
    if _works(target):
        return str(target)
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for flags in (["-static"], []):  # static: no dynamic loader, a smaller floor
            command = [compiler, "-O2", *flags, "-x", "c", "-o", str(partial), "-"]
            done = subprocess.run(
                command, input=source, capture_output=True, timeout=_COMPILE_TIMEOUT_S
            )
            if done.returncode == 0 and _works(partial):
                os.replace(partial, target)
                return str(target)
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return None


def _works(binary: Path) -> bool:
    """Return whether ``binary`` runs here (not on a noexec mount, not a broken build)."""
    if not os.access(binary, os.X_OK):
        return False
    try:
        done = subprocess.run([str(binary)], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 2 and b"usage" in done.stderr


def launcher_command() -> tuple[str, list[str]]:
    """Return which launcher to use (``c`` or ``python``) and the command that starts it."""
    wanted = os.environ.get(LAUNCHER_ENV, "c").strip().lower()
    if wanted != "python" and not _c_failed.is_set():
        binary = c_launcher()
        if binary is not None:
            return "c", [binary]
    return "python", [sys.executable, "-I", "-S", "-c", _LAUNCHER]


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
        self.kind = "none"  # which launcher: "c", "python", or none (started directly)
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
        self.kind, command = launcher_command()
        try:
            self._start(command, pipes)
        except OSError:  # the built launcher cannot run here after all (e.g. noexec)
            if self.kind == "python":
                raise
            _c_failed.set()  # for the rest of this process
            self.kind, command = launcher_command()
            self._start(command, pipes)
        first = self._report.readline().split(None, 1)
        if first[:1] != ["pid"]:
            self.popen.wait()
            self._report.close()
            reason = first[1].strip() if len(first) > 1 else "the launcher did not start"
            raise OSError(reason)
        self.pid = int(first[1])

    def _start(self, command: list[str], pipes: dict[str, Any]) -> None:
        read_fd, write_fd = os.pipe()
        try:
            launcher = [*command, str(write_fd), *self.argv]
            self.popen = subprocess.Popen(launcher, pass_fds=(write_fd,), **pipes)
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)
        self._report = os.fdopen(read_fd, "r", encoding="ascii", errors="replace")

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
