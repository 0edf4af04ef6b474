"""``propfee template``: an empty compound sheet with the right columns and units."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from propfee.cli._common import LabelsOption, say, use_language

__all__ = ["template"]


def template(
    out: Annotated[Path, typer.Argument(help="The empty sheet to write: .xlsx or .csv.")],
    labels: LabelsOption = "en",
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the file if it exists (what is filled in it is lost).")
    ] = False,
) -> None:
    """Write an empty compounds sheet with the right columns and units.

    An existing file is never replaced without --force: a filled sheet is not lost.
    """
    lang = use_language(labels)
    from propfee.io import write_template

    write_template(out, labels=lang, overwrite=force)
    say(f"已写入模板：{out}" if lang == "zh" else f"wrote the template to {out}")
