"""The ``propfee`` command line: one module a command.

Exit codes, the same for every command:

- 0: success;
- 1: bad input (a compound file, a plan, parameters): every problem is listed, named
  by its cell;
- 2: usage (a bad option value, or an output that cannot be written: the message says
  what to do), checked before any work;
- 3: an internal error, which is a bug in propfee: the message asks for a report
  (``PROPFEE_DEBUG=1`` shows the traceback);
- 130 or 143: stopped by Ctrl-C (SIGINT) or SIGTERM; temporary files are removed and
  every output is left as it was.

``--labels zh`` (or ``PROPFEE_LANG=zh``) makes tables, confirmations and errors Chinese.
No command prints a traceback.

The package imports only typer at start; pandas, the kernels and optional packages are
imported by the command that needs them, so ``propfee --help`` and usage errors appear
at once.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from propfee.cli import bundle, demo, evaluate, montecarlo, plans, project, reserve, schema
from propfee.cli import template as template_command
from propfee.cli._common import (
    Lang,
    current_language,
    env_language,
    language,
    not_utf8,
    printable,
    reset_language,
)
from propfee.cli._usage import detail_zh, option_of, usage_lines

__all__ = ["EXIT_BUG", "EXIT_INPUT", "EXIT_OK", "EXIT_USAGE", "app", "main"]

EXIT_OK = 0
"""Success."""
EXIT_INPUT = 1
"""Bad input: a file, a plan or parameters that propfee refuses (every problem listed)."""
EXIT_USAGE = 2
"""A bad option value or an output that cannot be written (checked before any work)."""
EXIT_BUG = 3
"""An internal error: a bug in propfee."""
_MAX_MESSAGE = 20_000
"""Longest error message printed. [characters]"""


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command is, so that every ``finally`` runs (temporary
    files are removed) as on Ctrl-C."""


def _message_language() -> Lang:
    """The language of messages before a command has parsed its options: ``--labels``
    on the command line, else ``PROPFEE_LANG``."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        value = None
        if arg == "--labels" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--labels="):
            value = arg.split("=", 1)[1]
        if value is not None:
            try:
                return language(value)
            except typer.BadParameter:
                return "en"
    return env_language()


def _echo(text: str) -> None:
    text = text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + " …"
    typer.echo(printable(text), err=True)


def _exit_code(exc: Exception, lang: Lang) -> int:
    """Print an error as a message (never a traceback) and return its exit status."""
    from propfee.errors import InputError, MissingExtraError, ParameterError, UsageError

    zh = lang == "zh"
    if isinstance(exc, UsageError):
        _echo(f"{'错误' if zh else 'Error'}: {exc}" if not zh else f"错误：{exc}")
        return EXIT_USAGE
    if isinstance(exc, InputError):
        _echo(exc.text(lang))
        return EXIT_INPUT
    if isinstance(exc, ParameterError):
        _echo(exc.text(lang))
        return EXIT_INPUT
    if isinstance(exc, MissingExtraError):
        _echo(f"缺少可选功能：{exc}" if zh else str(exc))
        return EXIT_INPUT
    if type(exc).__name__ == "ValidationError":  # pydantic: settings built from options
        errors = exc.errors()  # type: ignore[attr-defined]
        _echo("错误：选项的值有误：" if zh else "Error: bad option values:")
        for e in errors[:20]:
            got = repr(e.get("input"))[:80]
            where = ".".join(str(p) for p in e["loc"])
            if zh:
                _echo(f"  - {option_of(where)}：{detail_zh(str(e['msg']))}（实为 {got}）")
            else:
                _echo(f"  - {where}: {e['msg']} (got {got})")
        return EXIT_USAGE
    if isinstance(exc, BrokenPipeError):  # the reader went away (| head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    if isinstance(exc, ValueError) and str(exc).startswith("cannot round"):
        _echo(f"错误：金额过大，无法精确到分（{str(exc)[:200]}）；请检查方案和参数中的数值" if zh
              else f"Error: the amounts are too large to compute to the fen ({str(exc)[:200]});"
                   " check the values of the plan and the parameters")
        return EXIT_INPUT
    if isinstance(exc, MemoryError):
        _echo("错误：内存不足，无法处理这么大的输入；请把小区分成几个文件" if zh else
              "Error: not enough memory for an input this large; split the compounds "
              "into several files")
        return EXIT_INPUT
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        _echo(f"错误：无法访问{where}：{exc.strerror or exc}" if zh
              else f"Error: cannot access{where}: {exc.strerror or exc}")
        return EXIT_INPUT
    if os.environ.get("PROPFEE_DEBUG"):
        raise exc
    text = f"{type(exc).__name__}: {str(exc)[:500]}"
    _echo(f"内部错误（{text}）：这是 propfee 的缺陷，请连同所用命令一起报告；"
          "设置 PROPFEE_DEBUG=1 可显示调用栈" if zh else
          f"internal error ({text}); this is a bug in propfee, please report it with the "
          "command; PROPFEE_DEBUG=1 shows the traceback")
    return EXIT_BUG


class _Commands(TyperGroup):
    """The command group: every command's errors become a message and an exit status."""

    def invoke(self, ctx: Any) -> Any:
        reset_language()
        try:
            return super().invoke(ctx)
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            lang = current_language() or _message_language()
            raise typer.Exit(_exit_code(exc, lang)) from None


class _Command(TyperCommand):
    """A command whose text options must be UTF-8 (paths may be any bytes: the file
    system takes them as they are)."""

    def invoke(self, ctx: Any) -> Any:
        from pathlib import Path

        for param in self.params:
            value = ctx.params.get(param.name or "")
            if isinstance(value, Path) or not not_utf8(value):
                continue
            lang = _message_language()
            raise typer.BadParameter(
                "含有不是 UTF-8 文本的字节；请用 UTF-8 重新输入" if lang == "zh" else
                "holds bytes that are not UTF-8 text; type it again in UTF-8",
                param_hint=f"'{param.opts[0] if param.opts else param.name}'")
        return super().invoke(ctx)


app = typer.Typer(
    name="propfee",
    help="Budgets of old residential compounds: market baseline and the 4+1 model. "
         "Exit codes: 0 success, 1 bad input, 2 usage, 3 a bug in propfee.",
    no_args_is_help=True,
    add_completion=False,
    cls=_Commands,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

app.command(cls=_Command)(demo.demo)
app.command(cls=_Command)(plans.plans)
app.command(cls=_Command)(evaluate.evaluate)
app.command(cls=_Command)(bundle.bundle)
app.command(cls=_Command)(project.project)
app.command(cls=_Command)(montecarlo.montecarlo)
app.command(cls=_Command)(schema.schema)
app.command(cls=_Command)(template_command.template)
app.command(cls=_Command)(reserve.reserve)


_STOPPED: dict[str, int] = {}
"""The signal that stopped the command, if one did."""


def _terminate(signum: int, frame: Any) -> NoReturn:
    _STOPPED["signal"] = signum
    raise _Terminated


def main() -> None:
    """Run the command line; exit with the status of :data:`EXIT_OK`, :data:`EXIT_INPUT`,
    :data:`EXIT_USAGE` or :data:`EXIT_BUG` (see the module docstring)."""
    lang = _message_language()
    _STOPPED.clear()
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (an embedding program): leave signals alone
        previous = None
    try:
        result = app(standalone_mode=False)  # Ctrl-C and SIGTERM come back as 130
        code = result if isinstance(result, int) else EXIT_OK
    except KeyboardInterrupt:  # stopped outside the command itself
        code = 130
    except typer.Abort:  # end of input where a prompt waited
        code = EXIT_INPUT
    except typer.TyperException as exc:  # usage errors: options, arguments, commands
        _usage(exc, lang)
        code = int(getattr(exc, "exit_code", EXIT_USAGE))
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if code == 130:
        stopped = _STOPPED.get("signal", int(signal.SIGINT))
        code = 128 + stopped
        _echo("已中断：临时文件已删除，输出文件保持原样" if lang == "zh" else
              "stopped: temporary files removed, outputs left as they were")
    sys.exit(code)


def _usage(exc: Any, lang: Lang) -> None:
    """A usage error as click shows it, in the chosen language."""
    for line in usage_lines(exc, lang):
        _echo(line)


if __name__ == "__main__":
    main()
