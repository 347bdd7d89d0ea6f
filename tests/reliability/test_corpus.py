"""The bad-input corpus (corpus.py): each case is refused with exit 2 and one line naming the key or
file and what is allowed, leaves nothing on disk and touches no file that was there before.

Every case runs in a folder holding its input files (`in/`), a user's folder with files of their
own that the command is pointed at (`user/`: hydra.run.dir itself, or sweep.output inside it),
and an empty working directory (`cwd/`, where a default outputs/ would appear). Every path,
byte and modification time under it is compared before and after. A handful of cases run again
through `python -m experiments.<command>` in a child process.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from model.params import ConfigError

from .conftest import PYTHON
from .corpus import CASES, HISTORICAL, NUMERIC_KEYS, SUBPROCESS, TINY, Case, bad_values

QUIET_RUN = ("replications=1", "plots=false", "quiet=true")  # first, so that a case may override them
OLD = 1_000_000_000_000_000_000  # 2001-09-09 in ns: set on every prepared path, so a rewrite shows


def prepare(case: Case, root: Path) -> tuple[Path, Path, Path]:
    """The case's input files, a user's folder and an empty working directory under `root`."""
    inputs, user, cwd = root / "in", root / "user", root / "cwd"
    for folder in (inputs, user, cwd):
        folder.mkdir()
    for name, content in case.files.items():
        path = inputs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content() if callable(content) else content)
    (user / "notes.txt").write_text("my notes: do not lose them\n")
    (user / "earlier").mkdir()
    (user / "earlier" / "summary.json").write_text('{"an earlier run": true}\n')
    for path in [root, *root.rglob("*")]:
        os.utime(path, ns=(OLD, OLD))
    return inputs, user, cwd


def arguments(case: Case, inputs: Path, user: Path) -> list[str]:
    args = [a.replace("{in}", str(inputs)) for a in case.args]
    if case.command == "run":
        args = [*QUIET_RUN, *args]
        key = "hydra.sweep.dir" if "-m" in args else "hydra.run.dir"
        if not any(a.startswith(f"{key}=") for a in args):
            args.append(f"{key}={user}")
    elif case.command == "sweep" and not any(a.startswith("sweep.output=") for a in args):
        args.append(f"sweep.output={user / 'sweep'}")
    return args


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root with its kind, bytes and modification time."""
    out = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        out[path.relative_to(root).as_posix()] = (path.is_dir(), None if path.is_dir() else path.read_bytes(),
                                                  stat.st_mtime_ns)
    return out


@dataclass
class Outcome:
    code: object  # the exit status, or "traceback" when an exception escaped the command
    err: str
    out: str
    touched: list[str]  # paths created, removed or changed

    def verdict(self, case: Case) -> str:
        """refused (as the case expects), traceback, accepted (exit 0), or what else went wrong."""
        lines = self.err.strip().splitlines()
        if self.code == "traceback" or "Traceback (most recent call last)" in self.err:
            return "traceback"
        if self.code in (0, None):
            return "accepted"
        if self.code != case.exit:
            return f"exit {self.code}, not {case.exit}: {lines}"
        if len(lines) != 1 or not lines[0].startswith("error: ") or not lines[0][len("error: "):].strip():
            return f"not one 'error:' line: {lines}"
        missing = [f for f in case.fragments if f.lower() not in lines[0].lower()]
        if missing:
            return f"{missing} not in {lines[0]!r}"
        return "refused"


def attempt(case: Case, root: Path) -> Outcome:
    """Run one case in-process under `root`; restores the working directory and sys.argv."""
    from experiments import record, run, sweep

    main = {"run": run.main, "sweep": sweep.main, "record": record.main}[case.command]
    inputs, user, cwd = prepare(case, root)
    before = snapshot(root)
    err, out = io.StringIO(), io.StringIO()
    old_cwd, old_argv = os.getcwd(), sys.argv
    code: object = 0
    try:
        os.chdir(cwd)
        sys.argv = [f"experiments.{case.command}"]
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                main(arguments(case, inputs, user))
            except SystemExit as exit_:
                code = exit_.code
            except Exception:  # noqa: BLE001 - a bug: counted, and shown
                code = "traceback"
                err.write(traceback.format_exc())
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
    after = snapshot(root)
    touched = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return Outcome(code, err.getvalue(), out.getvalue(), touched)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_and_touches_nothing(case, tmp_path):
    result = attempt(case, tmp_path)
    assert result.verdict(case) == "refused", result.err[-3000:]
    assert result.out == "" or case.command == "sweep" and len(result.out.splitlines()) == 1  # a sweep's plan
    assert result.touched == []


def test_the_corpus_is_large_and_covers_every_command():
    assert len(CASES) >= 150
    assert {c.command for c in CASES} == {"run", "sweep", "record"}
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case_id", SUBPROCESS)
def test_bad_input_through_a_real_process(case_id, tmp_path):
    case = next(c for c in CASES if c.id == case_id)
    inputs, user, cwd = prepare(case, tmp_path)
    before = snapshot(tmp_path)
    proc = subprocess.run([PYTHON, "-m", f"experiments.{case.command}", *arguments(case, inputs, user)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    result = Outcome(proc.returncode, proc.stderr, proc.stdout, [])
    assert result.verdict(case) == "refused", proc.stderr[-3000:]
    assert proc.stdout == "" or case.command == "sweep" and len(proc.stdout.splitlines()) == 1
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------- every bad value on every numeric key


def typed(value: str):
    """A bad override value as the Python value a sweep, calibration or notebook would set."""
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value  # the wrong type: text


GRID = [(key, variant, value, base) for key, info, base in NUMERIC_KEYS for variant, value in bad_values(info).items()]


@pytest.fixture(scope="module")
def bases():
    from experiments.config import compose, to_experiment

    return {base: to_experiment(compose(None, list(base))) for base in (TINY, HISTORICAL)}


@pytest.mark.parametrize(("key", "variant", "value", "base"), GRID, ids=[f"{k}={v}" for k, v, _, _ in GRID])
def test_every_bad_value_of_every_numeric_key_is_refused_naming_the_key(key, variant, value, base, bases):
    from experiments.factory import with_values

    with pytest.raises(ConfigError) as info:
        with_values(bases[base], {key: typed(value)})
    assert str(info.value).startswith(f"{key}") and "\n" not in str(info.value), str(info.value)


def test_every_declared_number_has_finite_bounds_on_both_sides():
    """A number without an upper bound lets 1e300 through to the model (issue 12): every declared
    number is bounded above, unless +inf is itself a valid value (rationality: best response)."""
    open_ended = [key for key, info, _ in NUMERIC_KEYS
                  if info.low is None or (info.high is None and not info.allow_inf)]
    assert open_ended == []
