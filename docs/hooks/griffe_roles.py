"""Griffe extension: Sphinx roles in docstrings become cross-references.

propfee's docstrings use Sphinx roles (:func:`evaluate`, :class:`~propfee.errors.InputError`,
:data:`COMPOUND_COLUMNS`). mkdocstrings' numpy parser leaves them as text; this extension
rewrites each to an optional autorefs link (``<autoref identifier=... optional>``) to the
object it names, resolved against the loaded package, or to plain code when it names
nothing documented (a pandas or matplotlib name, a private helper).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:func|class|data|meth|attr|mod|obj|exc|const|py:\w+):`(?P<body>[^`]+)`")


_LITERAL = re.compile(r"(?<=\S)::(?=[ \t]*\n)")


def _walk(obj: Any, found: set[str]) -> None:
    found.add(obj.path)
    for member in obj.members.values():
        if member.is_alias:
            found.add(member.path)
            continue
        _walk(member, found)


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles in every docstring of the package."""

    def on_package(self, *, pkg: Any, **kwargs: Any) -> None:
        paths: set[str] = set()
        _walk(pkg, paths)
        self._rewrite(pkg, paths)

    def _rewrite(self, obj: Any, paths: set[str]) -> None:
        if obj.docstring is not None:
            text = _ROLE.sub(lambda m: self._link(m, obj, paths), obj.docstring.value)
            # A reST literal-block marker ("...::" before an indented block) reads as ":".
            obj.docstring.value = _LITERAL.sub(":", text)
        for member in obj.members.values():
            if not member.is_alias:
                self._rewrite(member, paths)

    @staticmethod
    def _link(match: re.Match[str], obj: Any, paths: set[str]) -> str:
        body = match.group("body").strip()
        short = body.startswith("~")
        name = body.lstrip("~.").removesuffix("()")
        shown = name.rsplit(".", 1)[-1] if short else name
        module = obj if obj.is_module else obj.module
        scopes = [obj.path, *(p.path for p in _parents(obj)), module.path, "propfee"]
        candidates = [name, *(f"{scope}.{name}" for scope in scopes)]
        target = next((c for c in candidates if c in paths), None)
        if target is None or any(part.startswith("_") for part in target.split(".")):
            return f"`{shown}`"
        return f'<autoref identifier="{target}" optional><code>{shown}</code></autoref>'


def _parents(obj: Any) -> list[Any]:
    out = []
    parent = obj.parent
    while parent is not None:
        out.append(parent)
        parent = parent.parent
    return out
