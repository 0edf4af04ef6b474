"""Atomic file writes: a temporary file in the target's folder, then :func:`os.replace`.

A reader (or a crash) never sees a half-written file: until the replace, the previous
file is untouched; after it, the new file is complete. The temporary file keeps the
target's suffix, so writers that choose a format by suffix behave the same; its name
is short enough for the folder whatever the target's (a target name of 254 bytes gets
a short temporary name). Temporary files are removed on any exception, and on
``KeyboardInterrupt`` or ``SystemExit`` (the command line turns SIGTERM into one).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from propfee.errors import UsageError

__all__ = ["atomic_path", "atomic_paths", "check_target"]


_NAME_MAX = 255
"""Longest file name on the usual file systems when the folder does not say. [bytes]"""


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # not POSIX, or not known
        return _NAME_MAX


def _temporary(target: Path) -> Path:
    token = secrets.token_hex(4)
    name = f".{target.stem}.{token}.tmp{target.suffix}"
    folder = target.parent if str(target.parent) else Path(".")
    if len(os.fsencode(name)) > _name_max(folder):
        name = f".propfee.{token}.tmp{target.suffix[:16]}"
    return target.with_name(name)


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


def check_target(target: Path, *, inputs: Iterable[Path] = (), lang: str = "en") -> None:
    """Refuse an output path that would fail or destroy an input, before any work.

    Every message names the path as the user gave it.

    Parameters
    ----------
    target
        The file to be written.
    inputs
        Files the command reads; writing over one of them is refused.
    lang
        Language of the message, ``"en"`` or ``"zh"``.

    Raises
    ------
    propfee.errors.UsageError
        If the folder does not exist or is not writable, the target is a folder, its
        name is longer than the folder allows, or it is an input file.
    """
    zh = lang == "zh"
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder_ok = folder.is_dir()
    except OSError:  # a name too long, or a path the system cannot look at
        folder_ok = False
    if not folder_ok:
        raise UsageError(f"无法写入 {target}：文件夹 {folder} 不存在" if zh
                         else f"cannot write {target}: the folder {folder} does not exist")
    if len(os.fsencode(target.name)) > _name_max(folder):
        raise UsageError(
            f"无法写入 {target}：文件名有 {len(os.fsencode(target.name))} 字节，超过该文件夹允许的 "
            f"{_name_max(folder)} 字节" if zh else
            f"cannot write {target}: its name has {len(os.fsencode(target.name))} bytes and "
            f"the folder allows {_name_max(folder)}")
    if target.is_dir():
        raise UsageError(f"无法写入 {target}：这是文件夹" if zh
                         else f"cannot write {target}: it is a folder")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"无法写入 {target}：文件夹 {folder} 不可写" if zh
                         else f"cannot write {target}: the folder {folder} is not writable")
    if not target.exists():
        return
    for source in inputs:
        with contextlib.suppress(OSError):
            if source.exists() and os.path.samefile(source, target):
                raise UsageError(
                    f"不会覆盖输入文件 {source}；请换一个输出文件" if zh else
                    f"refusing to write over the input file {source}; choose another output")
