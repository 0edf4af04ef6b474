"""Usage errors (missing arguments, unknown options, bad values) in the user's language.

click words its usage errors in English. With ``--labels zh`` (or ``PROPFEE_LANG=zh``)
:func:`usage_message` words them in Chinese from the exception's own fields (the option,
the argument, the value), so that nothing a Chinese user reads is half English; the
value the user typed is quoted as typed.
"""

from __future__ import annotations

import re
from typing import Any, Final

from propfee.cli._common import Lang

__all__ = ["detail_zh", "option_of", "usage_lines"]

ARGUMENT_NAMES_ZH: Final[dict[str, str]] = {
    "compounds_file": "小区文件",
    "out": "输出文件",
    "model": "数据结构名",
}
"""Chinese names of the commands' arguments (by their parameter name)."""

_DETAILS_ZH: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern, re.DOTALL), text) for pattern, text in (
        (r"^Input should be a valid integer.*$", "应为整数"),
        (r"^Input should be a valid number.*$", "应为数字"),
        (r"^Input should be a finite number.*$", "应为有限的数字"),
        (r"^Input should be greater than or equal to (.*)$", "应不小于 \\1"),
        (r"^Input should be less than or equal to (.*)$", "应不大于 \\1"),
        (r"^Input should be greater than (.*)$", "应大于 \\1"),
        (r"^Input should be less than (.*)$", "应小于 \\1"),
        (r"^'(.*)' is not a valid integer( range)?\.?$", "“\\1”不是整数"),
        (r"^'(.*)' is not a valid float( range)?\.?$", "“\\1”不是数字"),
        (r"^'(.*)' is not a valid boolean\.?$", "“\\1”不是 true 或 false"),
        (r"^'(.*)' is not one of (.*)\.$", "“\\1”不是可选值（\\2）之一"),
        (r"^'(.*)' is not (.*) or (.*)$", "“\\1”应为 \\2 或 \\3"),
        (r"^'(.*)' is not HEADER=COLUMN$", "“\\1”应写成 表头=列名"),
        (r"^(?:[Ff]ile|[Pp]ath|[Dd]irectory) '(.*)' does not exist\.?$", "文件“\\1”不存在"),
        (r"^(?:[Ff]ile|[Pp]ath) '(.*)' is a directory\.?$", "“\\1”是文件夹，应为文件"),
        (r"^(?:[Ff]ile|[Pp]ath|[Dd]irectory) '(.*)' is not readable\.?$", "无法读取“\\1”"),
        (r"^(.*) is not in the range (.*)\.$", "\\1 不在范围 \\2 之内"),
    ))
"""click's and propfee's English value messages, worded in Chinese."""


def detail_zh(message: str) -> str:
    """A value message of click or pydantic in Chinese (a message already Chinese, or one
    not known, as it is).

    Examples
    --------
    >>> detail_zh("Input should be greater than 0")
    '应大于 0'
    """
    for pattern, text in _DETAILS_ZH:
        if pattern.match(message):
            return pattern.sub(text, message)
    return message  # already Chinese (propfee's own messages take the language)


def option_of(field: str) -> str:
    """The command-line option of a settings field: its name without the unit, with
    dashes (``time_limit_s`` -> ``--time-limit``).

    Examples
    --------
    >>> option_of("max_distance_m"), option_of("draws")
    ('--max-distance', '--draws')
    """
    name = re.sub(r"_(s|m)$", "", field)
    return "--" + name.replace("_", "-")


def _kinds(thing: object) -> set[str]:
    """The class names of an object and its bases (typer ships its own copy of click, so
    click's classes are recognised by name)."""
    return {base.__name__ for base in type(thing).__mro__}


def _param_zh(param: Any, hint: object) -> str:
    if param is not None and {"Argument", "TyperArgument"} & _kinds(param):
        name = str(param.name or "")
        return ARGUMENT_NAMES_ZH.get(name, name)
    if param is not None and getattr(param, "opts", None):
        return str(param.opts[0])
    return (hint if isinstance(hint, str) else "").strip("'\"")


def _close(exc: Any) -> str:
    close = sorted(getattr(exc, "possibilities", None) or ())
    return f"（是否想用 {'、'.join(close)}？）" if close else ""


def _message_zh(exc: Any) -> str:
    """The message of a click usage error in Chinese."""
    kinds = _kinds(exc)
    if "MissingParameter" in kinds:
        kind = "选项" if {"Option", "TyperOption"} & _kinds(exc.param) else "参数"
        return f"缺少{kind} {_param_zh(exc.param, exc.param_hint)}"
    if "BadParameter" in kinds:
        where = _param_zh(exc.param, exc.param_hint)
        gap = " " if where.startswith("-") else ""  # an option stands apart, a name does not
        return f"{where}{gap}的值有误：{detail_zh(str(exc.message))}"
    if "NoSuchOption" in kinds:
        return f"没有选项 {exc.option_name}{_close(exc)}"
    if "NoSuchCommand" in kinds:
        return f"没有命令“{exc.command_name}”{_close(exc)}"
    message = str(getattr(exc, "message", exc))
    patterns = (
        (r"^Option '(.*)' requires an argument\.?$", "选项 \\1 后面需要一个值"),
        (r"^Option '(.*)' requires (\d+) arguments\.?$", "选项 \\1 后面需要 \\2 个值"),
        (r"^Option '(.*)' does not take a value\.?$", "选项 \\1 不带值"),
        (r"^Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", "多余的参数：\\1"),
        (r"^No such command '(.*)'\. Did you mean '(.*)'\?$", "没有命令“\\1”（是否想用“\\2”？）"),
        (r"^No such command '(.*)'\.$", "没有命令“\\1”"),
        (r"^Missing command\.?$", "缺少命令"),
    )
    for pattern, text in patterns:
        if re.match(pattern, message, re.DOTALL):
            return re.sub(pattern, text, message, flags=re.DOTALL)
    return detail_zh(message)


def usage_lines(exc: Any, lang: Lang) -> list[str]:
    """The lines that report a usage error: the usage, where to find help, the error.

    Parameters
    ----------
    exc
        A click usage error (it carries its command's context).
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    list of str
        What to print on standard error, in order.

    Examples
    --------
    >>> import typer
    >>> usage_lines(typer.BadParameter("'x' is not HEADER=COLUMN", param_hint="--column"), "zh")
    ['错误：--column 的值有误：“x”应写成 表头=列名']
    >>> usage_lines(typer.BadParameter("'x' is not HEADER=COLUMN", param_hint="--column"), "en")
    ["Error: Invalid value for --column: 'x' is not HEADER=COLUMN"]
    """
    zh = lang == "zh"
    lines: list[str] = []
    context = getattr(exc, "ctx", None)
    if context is not None and getattr(exc, "exit_code", 0) == 2:
        usage = context.get_usage()
        lines.append(re.sub(r"^Usage:", "用法：", usage) if zh else usage)
        hint = context.command_path
        lines.append(f"用 '{hint} --help' 查看帮助。" if zh else f"Try '{hint} --help' for help.")
    if zh:
        lines.append(f"错误：{_message_zh(exc)}")
    else:
        lines.append(f"Error: {exc.format_message()}")
    return lines
