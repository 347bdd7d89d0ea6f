"""One error guard for the command-line entry points (run, sweep, record, calibrate, theory).

What the user got wrong, or what stopped a run, is one line on stderr, `error: <key or file>: ...`,
with an exit status a script can test: 2 for bad input (a config key, a path, a file that cannot
be read), 1 for a run that started and failed, 130 for Ctrl-C or `kill` (SIGTERM is handled as
Ctrl-C: finished work is kept and the same command resumes). Anything else is a bug in the code,
not in the input, and still raises with its traceback.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from model.params import ConfigError

from .config import one_line

FAILED, BAD_INPUT, INTERRUPTED = 1, 2, 130
# Errors in what the user gave: a key, a value, a config group, an override's syntax.
INPUT_ERRORS = (ConfigError, HydraException, OmegaConfBaseException)


class RunFailed(Exception):
    """A run that started and could not finish; the message names the run (exit status 1)."""


class InputFileError(ConfigError):
    """A user's file that exists but cannot be read as what it should be; the message names it."""


@contextmanager
def reading(path: str | Path, what: str) -> Iterator[None]:
    """Read a user's file inside this block: a failure (unreadable, corrupt, not `what`) names the file."""
    import pyarrow as pa

    try:
        yield
    except (OSError, ValueError, pa.ArrowException) as err:  # pandas and Arrow parse errors are ValueErrors
        raise InputFileError(f"{path}: cannot be read as {what} ({type(err).__name__}: {one_line(err)})") from None


def message(err: BaseException) -> str:
    """The one line for an error the guard handles."""
    if isinstance(err, OSError) and err.filename is not None and not isinstance(err, INPUT_ERRORS):
        return f"{err.filename}: {err.strerror or one_line(err)}"
    return one_line(err)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Inside the block, SIGTERM (a plain `kill`, a scheduler's stop) stops the work as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


@contextmanager
def guard(*, checking: bool = False, interrupted: str | Callable[[], str] = "interrupted",
          raise_as: type[Exception] | None = None) -> Iterator[None]:
    """Report handled errors in one line and exit; let bugs raise.

    checking: the block only reads and checks input, so a failing path (OSError) is bad input (2);
        otherwise it is a failed run (1).
    interrupted: the note printed on Ctrl-C (or a function giving it), before exiting with 130.
    raise_as: after printing, raise this exception instead of exiting (a Hydra multirun job, whose
        siblings must go on); Ctrl-C then propagates unchanged.
    """
    try:
        with _terminate_as_interrupt():
            yield
    except KeyboardInterrupt:
        if raise_as is not None:
            raise
        print(f"\n{interrupted() if callable(interrupted) else interrupted}", file=sys.stderr)
        sys.exit(INTERRUPTED)
    except (*INPUT_ERRORS, RunFailed, OSError) as err:
        user_input = isinstance(err, INPUT_ERRORS)  # Hydra's MissingConfigException is an OSError too
        if not user_input and isinstance(err, OSError) and err.filename is None:
            raise  # not about a path the user gave: a bug or the machine, with its traceback
        code = BAD_INPUT if user_input or checking and isinstance(err, OSError) else FAILED
        text = message(err)
        print(f"error: {text}", file=sys.stderr)
        if raise_as is not None:
            raise raise_as(text) from None
        sys.exit(code)


# ---------------------------------------------------------------- one way to pass options, one help style

def usage(command: str, synopsis: str, what: str, options: list[tuple[str, str]], examples: list[str]) -> str:
    """The help text every command prints for --help, in one layout."""
    width = max((len(name) for name, _ in options), default=0) + 2
    lines = [f"usage: credential-race {command} {synopsis}", "", what, ""]
    if options:
        lines += ["options:", *(f"  {name:<{width}}{text}" for name, text in options), ""]
    lines += ["examples:", *(f"  credential-race {command} {e}" for e in examples),
              "", f"(the same as: python -m experiments.{command} ...; a bad option is one `error:` line, exit 2)"]
    return "\n".join(lines)


def key_values(argv: list[str], defaults: dict[str, str], command: str,
               positional: int = 0) -> tuple[dict[str, str], list[str]]:
    """`KEY=VALUE` options into `defaults` (unknown keys refused with a suggestion), and up to
    `positional` bare arguments. ConfigError naming the option on anything else."""
    import difflib

    values, bare = dict(defaults), []
    for arg in argv:
        key, sep, value = arg.partition("=")
        if not sep:
            if arg.startswith("-") or len(bare) >= positional:
                close = difflib.get_close_matches(arg.lstrip("-").split("=")[0], list(defaults), n=1)
                hint = f"; did you mean {close[0]}=...?" if close else ""
                raise ConfigError(f"{command}: unexpected argument '{arg}'{hint} (options: "
                                  f"{', '.join(f'{k}=' for k in defaults) or 'none'}; --help lists them)")
            bare.append(arg)
        elif key in defaults:
            values[key] = value
        else:
            close = difflib.get_close_matches(key, list(defaults), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ConfigError(f"{command}: unknown option '{key}'{hint} (known: {', '.join(defaults)})")
    return values, bare


def integer(values: dict[str, str], key: str, least: int = 0) -> int:
    try:
        number = int(float(values[key])) if float(values[key]).is_integer() else None
    except ValueError:
        number = None
    if number is None or number < least:
        raise ConfigError(f"{key} = {values[key]!r}: must be a whole number >= {least}")
    return number


def command_options(argv: list[str] | None, help_text: str, defaults: dict[str, str], command: str,
                    positional: int = 0) -> tuple[dict[str, str], list[str]] | None:
    """A command's options from argv (or sys.argv): None after printing the help for --help;
    one `error:` line and exit 2 for a bad option."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        print(help_text)
        return None
    with guard(checking=True):
        return key_values(argv, defaults, command, positional)
