"""Progress bars for the command line: one bar across the phases of a command.

A command runs in phases (read the file, evaluate, optimise, write); :func:`phases` shows a
bar that advances as each phase ends, with the phase's name, the elapsed time and a
spinner while a long phase runs. Work inside a phase that reports its own progress (draws
of a Monte Carlo run, pieces of a district) calls ``advance(fraction)`` with the part of
the phase done. The bar appears only on a terminal and only once a command has run for
``delay_s``; elsewhere (logs, tests) nothing is printed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["phases"]


@contextmanager
def phases(names: Sequence[str], *, delay_s: float = 1.0,
           console: Any = None) -> Iterator[Callable[..., None]]:
    """A progress bar over named phases.

    Parameters
    ----------
    names
        The phases in order; the bar shows the one running.
    delay_s
        Show the bar only once this much time has passed. [s]
    console
        A :class:`rich.console.Console` (default: standard error).

    Yields
    ------
    callable
        ``advance()`` ends the current phase and starts the next;
        ``advance(fraction)`` reports a part of the current phase done. [1]

    Examples
    --------
    >>> with phases(["reading", "evaluating"]) as advance:
    ...     advance()
    ...     advance()
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    out = console if console is not None else Console(stderr=True)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TaskProgressColumn(), TimeElapsedColumn(), console=out,
                        transient=True, disable=not out.is_terminal)
    total = float(len(names))
    state = {"done": 0, "part": 0.0}
    with progress:
        task = progress.add_task(names[0] if names else "", total=total, visible=False)
        # Shown by a timer, so a long phase that reports nothing still gets its bar (the
        # spinner and the clock keep moving while it runs).
        timer = threading.Timer(delay_s, lambda: progress.update(task, visible=True))
        timer.daemon = True
        timer.start()

        def advance(fraction: float | None = None) -> None:
            if fraction is None:
                state["done"] += 1
                state["part"] = 0.0
            else:
                state["part"] = min(max(float(fraction), 0.0), 1.0)
            index = min(int(state["done"]), len(names) - 1)
            progress.update(task, completed=state["done"] + state["part"],
                            description=names[index] if names else "")

        try:
            yield advance
        finally:
            timer.cancel()
