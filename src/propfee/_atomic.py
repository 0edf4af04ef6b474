"""Atomic file writes: a temporary file in the target's folder, then :func:`os.replace`.

A reader (or a crash) never sees a half-written file: until the replace, the previous
file is untouched; after it, the new file is complete. The temporary file keeps the
target's suffix, so writers that choose a format by suffix behave the same.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from propfee.errors import UsageError

__all__ = ["atomic_path", "atomic_paths", "check_target"]


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")


@contextlib.contextmanager
def atomic_paths(*targets: Path) -> Iterator[tuple[Path, ...]]:
    """Temporary paths to write ``targets`` to; each replaces its target on success.

    On an exception every temporary file is removed and every target is left as it
    was. The targets are replaced one after the other, after all were written.

    Parameters
    ----------
    targets
        The files to write.

    Yields
    ------
    tuple of pathlib.Path
        One temporary path per target, in the same folder.
    """
    temps = tuple(_temporary(t) for t in targets)
    try:
        yield temps
        for temp in temps:
            if temp.exists():
                with open(temp, "rb") as handle:
                    os.fsync(handle.fileno())
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
    finally:
        for temp in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path to write ``target`` to; it replaces ``target`` on success.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "r.txt") as temp:
    ...     _ = temp.write_text("done", encoding="utf-8")
    >>> (folder / "r.txt").read_text(encoding="utf-8"), [p.name for p in folder.iterdir()]
    ('done', ['r.txt'])
    """
    with atomic_paths(target) as (temp,):
        yield temp


def check_target(target: Path, *, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output path that would fail or destroy an input, before any work.

    Parameters
    ----------
    target
        The file to be written.
    inputs
        Files the command reads; writing over one of them is refused.

    Raises
    ------
    propfee.errors.UsageError
        If the folder does not exist or is not writable, the target is a folder, or it
        is an input file.
    """
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {target}: the folder {folder} does not exist")
    if target.is_dir():
        raise UsageError(f"cannot write {target}: it is a folder")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write {target}: the folder {folder} is not writable")
    if not target.exists():
        return
    for source in inputs:
        with contextlib.suppress(OSError):
            if source.exists() and os.path.samefile(source, target):
                raise UsageError(
                    f"refusing to write over the input file {source}; choose another output")
