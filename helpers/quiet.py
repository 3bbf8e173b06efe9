"""What a notebook cell shows: one progress bar per long step and what the step did; library chatter goes to the
kernel's log.

Why: TensorFlow prints C++ start-up lines (oneDNN, CUDA probes) straight to file descriptor 2, which ipykernel 6+
copies into the cell; its Python logger adds "Restoring parameters" and deprecation notes; a text progress bar saved by
papermill is one fragment per refresh. A person reading an executed notebook needs none of it, and a real warning
drowns in it. Nothing is dropped: all of it goes to the kernel's own stderr (`python -m helpers run`:
<drive>/executed/NN_name.kernel.log; Jupyter: the server's terminal; Colab: its runtime logs).
"""

from __future__ import annotations

import atexit
import functools
import io
import logging
import os
import re
import sys
from typing import Any, TextIO

BATCH_ENV = "REDDIT_BOT_BATCH"  # set by helpers.pipeline.runner for its kernels: nobody watches the cells
# Records of the libraries' Python loggers that are chatter at any level: deprecation notes about TF 1 code paths
DEPRECATION = re.compile(r"is deprecated|Instructions for updating|will be removed in a future version")
CHATTY_LOGGERS = ("tensorflow", "absl")


def batch() -> bool:
    """True in a kernel started by the runner (papermill): no one sees a widget or clicks a button there."""
    return os.environ.get(BATCH_ENV) == "1"


def _kernel_stderr_fd() -> int | None:
    """The kernel's own stderr: ipykernel keeps a duplicate of fd 2 from before it piped fd 2 into the cells, and
    hands it out as sys.stderr.fileno() (for subprocesses). None outside such a kernel."""
    if not type(sys.stderr).__module__.startswith("ipykernel"):
        return None
    try:
        return sys.stderr.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):  # ipykernel without fd capture: fd 2 is not in the cells
        return None


@functools.lru_cache(maxsize=1)
def log_stream() -> TextIO:
    """The kernel's log as a text stream (line-buffered); outside a kernel, this process's real stderr."""
    fd = _kernel_stderr_fd()
    if fd is None:
        return sys.__stderr__ or sys.stderr
    return open(os.dup(fd), "w", buffering=1, encoding="utf-8", errors="replace")


class _ToLog(logging.Filter):
    """On a library's logger: INFO and below, and deprecation notes, go to the kernel log instead of the cell."""

    def __init__(self, stream: TextIO):
        super().__init__()
        self.handler = logging.StreamHandler(stream)
        self.handler.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or DEPRECATION.search(record.getMessage()):
            self.handler.handle(record)
            return False
        return True


def quiet_kernel() -> None:
    """Send TensorFlow's C++ lines and its loggers' chatter to the kernel log; warnings and errors still show.

    Called at every stage's start (helpers.stage.open_stage), before any step imports TensorFlow; calling it again
    changes nothing. Subprocesses started later inherit the new fd 2 (the generation subprocesses capture theirs)."""
    fd = _kernel_stderr_fd()
    if fd is not None and not _same_file(2, fd):
        into_cells = os.dup(2)
        os.dup2(fd, 2)
        atexit.register(os.dup2, into_cells, 2)  # ipykernel's own shutdown expects its pipe back on fd 2
    for name in CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _ToLog) for f in logger.filters):
            logger.addFilter(_ToLog(log_stream()))


def _same_file(a: int, b: int) -> bool:
    sa, sb = os.fstat(a), os.fstat(b)
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def bar_class() -> Any:
    """The tqdm class for a step's bar: tqdm.auto (a widget in Colab and Jupyter, text in a terminal), or in a batch
    run a text bar that refreshes at each quarter (a saved notebook shows one line, not hundreds of fragments)."""
    if not batch():
        from tqdm.auto import tqdm

        return tqdm
    return _quarter_bar_class()


@functools.lru_cache(maxsize=1)
def _quarter_bar_class() -> type:
    from tqdm import tqdm as text_bar

    class QuarterBar(text_bar):
        """A text bar on stdout (stderr reads as an error in a saved notebook), refreshed at 0, 25, 50, 75, 100 %;
        with no total, at most once a minute."""

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("file", sys.stdout)
            kwargs.setdefault("maxinterval", float("inf"))  # tqdm's monitor would shrink miniters back to 1
            kwargs.setdefault("mininterval", 0 if kwargs.get("total") else 60)
            super().__init__(*args, **kwargs)
            self._quarters()

        def set_postfix(self, ordered_dict=None, refresh=True, **kwargs):  # shown at the next quarter
            super().set_postfix(ordered_dict, refresh=False, **kwargs)

        def set_postfix_str(self, s="", refresh=True):
            super().set_postfix_str(s, refresh=False)

        def reset(self, total=None):
            super().reset(total=total)
            self._quarters()

        def _quarters(self) -> None:
            self.dynamic_miniters = False
            self.miniters = max(1, -(-int(self.total) // 4)) if self.total else 1
            self.mininterval = 0 if self.total else 60

    return QuarterBar


def bar(**kwargs: Any):
    """A progress bar for one long step: bar(total=n, desc="scoring", unit="reply")."""
    return bar_class()(**kwargs)
