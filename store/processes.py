"""Processes that must not outlive the one that started them."""

from __future__ import annotations

import os
import signal

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def end_with(parent: int, sent: signal.Signals) -> None:
    """Have the kernel send this process `sent` when `parent` (the pid of the process
    that started it) ends, however it ends, SIGKILL included (Linux's
    PR_SET_PDEATHSIG; elsewhere nothing is asked). When `parent` has ended already,
    before the request was made, this process ends at once (exit status 1)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, sent)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)
