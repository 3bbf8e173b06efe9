"""Kill means stop: a kernel the runner starts, and any process that kernel starts through helpers, ends with it.

jupyter_client already starts each kernel in its own session (its own process group). What it does not do: end that
group when the runner is interrupted (KeyboardInterrupt leaves nbclient's clean-up unrun), or end the kernel at once
when the runner is killed (ipykernel polls its parent once a second, then exits, leaving its own children running:
08's GPT-2 process wrote a round file after its runner was killed). Here:

- interrupted (SIGINT, or SIGTERM turned into KeyboardInterrupt by `sigterm_interrupts`): the runner kills the process
  group of every process it started during the stage (`end_new_groups`);
- killed (SIGKILL): Linux kills the kernel at once (PR_SET_PDEATHSIG, set by `kernel_launch_kwargs`), and a process the
  kernel started with `run_child` dies with the kernel the same way. Elsewhere than Linux only ipykernel's own
  parent polling applies.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import subprocess
import sys
from typing import Any, Callable

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def pdeathsig_setter(sig: int = signal.SIGKILL) -> Callable[[], Any] | None:
    """A preexec_fn asking Linux to send `sig` to the child when its parent (the forking thread) ends; None where
    prctl is not available. libc is looked up here, before the fork, so the child only makes the call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return functools.partial(prctl, PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def kernel_launch_kwargs(kw: dict[str, Any]) -> dict[str, Any]:
    """Popen keyword arguments for a kernel, so that it dies with the runner even when the runner is SIGKILLed."""
    setter = pdeathsig_setter()
    return {**kw, "preexec_fn": setter} if setter and "preexec_fn" not in kw else dict(kw)


def run_child(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess:
    """subprocess.run for a process a stage starts (08's GPT-2 generation): it dies with the kernel that started it,
    and subprocess.run kills it if the kernel is interrupted while waiting."""
    setter = pdeathsig_setter()
    return subprocess.run(cmd, **({"preexec_fn": setter} if setter else {}), **kw)


def child_pids() -> set[int]:
    """Every live descendant of this process."""
    import psutil

    return {p.pid for p in psutil.Process().children(recursive=True)}


def end_new_groups(before: set[int], grace_s: float = 3.0) -> list[int]:
    """Kill the process group of every descendant started since `before` (a kernel's group holds the kernel and the
    processes it started), SIGTERM first, SIGKILL after grace_s. Returns the groups signalled."""
    import psutil

    own = os.getpgid(0)
    procs, groups = [], set()
    for pid in child_pids() - before:
        with contextlib.suppress(ProcessLookupError, psutil.NoSuchProcess):  # it ended meanwhile: nothing to end
            groups.add(os.getpgid(pid))
            procs.append(psutil.Process(pid))
    groups.discard(own)  # never this process's own group
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for g in groups:
            with contextlib.suppress(ProcessLookupError):  # the group has already ended
                os.killpg(g, sig)
        for p in procs:  # a descendant in this process's own group is signalled by itself
            with contextlib.suppress(ProcessLookupError, psutil.NoSuchProcess):  # it has already ended
                if os.getpgid(p.pid) == own:
                    p.send_signal(sig)
        _, procs = psutil.wait_procs(procs, timeout=grace_s if sig == signal.SIGTERM else 1.0)
        if not procs:
            break
    return sorted(groups)


def sigterm_interrupts() -> None:
    """Make SIGTERM behave like Ctrl-C in the command line (the default ends Python without running any `finally`)."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)
