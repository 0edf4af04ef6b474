"""Import optional dependencies with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from propfee.errors import MissingExtraError

__all__ = ["require"]


def require(module: str, *, feature: str, extra: str) -> ModuleType:
    """Import ``module`` or raise :class:`~propfee.errors.MissingExtraError`.

    Parameters
    ----------
    module
        Module to import, e.g. ``"scipy.optimize"``.
    feature
        What the user asked for, for the message.
    extra
        The propfee extra that installs it.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(feature, extra, module.split(".")[0]) from None
