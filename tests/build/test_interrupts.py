"""Ctrl-C at any moment of ``brief build``: never a traceback, and the message tells the truth
about which site is in place (decided by whether the swap happened, not guessed).

The build runs in its own session and gets SIGINT the way a terminal sends it (to the whole
process group, workers included), at fixed moments from start-up to just after the swap."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import article, make_site

PREVIOUS = "Interrupted; the previous output is unchanged."
PLACED = "Interrupted after the new site was put in place: "


def _site(tmp_path: Path, n: int = 700) -> Path:
    words = "Words about ports, grids and harvests. " * 40
    files = {
        f"content/a{i}.md": article(words, title=f"Story {i}", takeaways=["One"], tags=[f"T{i % 20}"]) for i in range(n)
    }
    return make_site(tmp_path, files, 'title = "Interrupts"\nbase_url = "https://example.org/"\nsearch = false\n')


BRIEF = str(Path(sys.executable).with_name("brief"))
"""The installed command, as users run it (no runpy in between)."""


def _build(site: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [BRIEF, "build", "--site", str(site), "--no-cache"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _interrupt(proc: subprocess.Popen) -> tuple[int, str]:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def _yesterday() -> str:
    return (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0).isoformat()


def _marked(site: Path, text: str) -> None:
    """Change the newest article so the next build's front page says ``text``."""
    path = site / "content" / "a0.md"
    path.write_text(article("Body.\n", title=text, date=_yesterday()), encoding="utf-8")


def _shows(site: Path, text: str) -> bool:
    return text in (site / "public" / "index.html").read_text(encoding="utf-8")


def _starting_python(code: int, err: str) -> bool:
    """SIGINT while the interpreter itself starts (its first few milliseconds, before any of
    brief's code runs): Python dies of the signal or reports its own start-up failure. Nothing
    can have been read or written yet; README › Command line says so."""
    return (
        (code == -signal.SIGINT and not err)
        or (code == 1 and err.startswith("Fatal Python error: init_"))
        # CPython's report of a signal that lands before the script's first line runs (no frame
        # to show): seen with a script of one `import sys` as often as with brief's
        or (code == 1 and _BARE_REPORT.fullmatch(err) is not None)
        or (  # the pip-made `brief` script was still importing brief.launch, whose guard starts it all
            code == -signal.SIGINT
            and "from brief.launch import main" in err
            and err.rstrip().endswith("KeyboardInterrupt")
            and "brief/cli.py" not in err
        )
        or (  # ... or had not entered it yet (seen as "line 0"): the script's own frame alone
            code == -signal.SIGINT
            and err.rstrip().endswith("KeyboardInterrupt")
            and _LAUNCHER_ONLY.fullmatch(err.rstrip()) is not None
        )
    )


_BARE_REPORT = re.compile(r"KeyboardInterrupt:?\n")
"""CPython's own message when the interrupted work had no Python frame at all."""


_LAUNCHER_ONLY = re.compile(
    r'Traceback \(most recent call last\):\n  File "[^"\n]*/bin/brief", line \d+, in <module>\nKeyboardInterrupt'
)
"""A traceback of the `brief` script's frame alone: the signal landed before brief.launch ran."""


_STARTUP_REPORT = re.compile(
    r"\AFailed checking if argv\[0\] is an import path entry\nTraceback \(most recent call last\):\n.*?\nKeyboardInterrupt\n",
    re.S,
)
"""What CPython itself prints when the signal lands while it looks at its own script path, before
any of brief's code runs; it then goes on and runs the command as usual."""


def _check(code: int, err: str, site: Path, new: str) -> str:
    """The outcome's kind; fails on a traceback or a message that disagrees with public/."""
    startup = _STARTUP_REPORT.match(err)
    if startup and "brief" not in startup.group(0).replace(".venv/bin/brief", ""):
        err = err[startup.end() :]
    if _starting_python(code, err):
        assert not _shows(site, new)
        return "python"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    if code == 0:
        assert _shows(site, new), err  # the build finished before the signal
        return "finished"
    assert code == 130, err
    if PLACED in err:
        assert _shows(site, new), f"says the new site is in place, but public/ holds the old one:\n{err}"
        return "placed"
    assert PREVIOUS in err, err
    assert not _shows(site, new), f"says the previous output is unchanged, but public/ holds the new site:\n{err}"
    return "previous"


@pytest.mark.slow
def test_ctrl_c_at_any_moment_before_the_swap_never_prints_a_traceback(tmp_path):
    """From start-up (brief's imports: a traceback before) to the middle of the build."""
    site = _site(tmp_path, n=300)
    assert subprocess.run([sys.executable, "-m", "brief", "build", "--site", str(site), "-q"]).returncode == 0
    outcomes = []
    for n, delay in enumerate((0.0, 0.005, 0.01, 0.02, 0.03, 0.045, 0.06, 0.09, 0.12, 0.25, 0.5)):
        # A mark of its own for each try: once a build finishes before its signal, public/
        # shows that mark, and a later try's "unchanged" must be checked against its own.
        _marked(site, f"Second edition {n}")
        proc = _build(site)
        time.sleep(delay)
        code, err = _interrupt(proc)
        outcomes.append(_check(code, err, site, f"Second edition {n}"))
    assert set(outcomes) <= {"python", "previous", "finished"}, outcomes
    assert outcomes.count("previous") >= 3, outcomes  # most moments land in brief's own code (fewer on a busy machine)


LAUNCHER = {"__future__", "brief", "brief.interrupts", "brief.launch"}
"""All the `brief` script imports before brief.launch's guard: a Ctrl-C while anything else
is imported there is a traceback (on Python 3.11, one that may end in a RuntimeError, as a
signal landing in a class's ``__set_name__`` does). Seen once when brief/__init__.py
installed the dataclass method cache (36 ms of imports) before the guard."""


def test_the_command_imports_nothing_before_its_guard_against_ctrl_c():
    code = "import sys; before = set(sys.modules); import brief.launch; print(*sorted(set(sys.modules) - before))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "brief.launch" in done.stdout.split()
    assert set(done.stdout.split()) <= LAUNCHER, done.stdout


@pytest.mark.slow
def test_ctrl_c_right_after_the_swap_says_the_new_site_is_in_place(tmp_path):
    """Three tries: SIGINT as soon as public/ is another folder (the swap), while the build is
    still saving its cache and removing the old site."""
    site = _site(tmp_path)
    assert subprocess.run([sys.executable, "-m", "brief", "build", "--site", str(site), "-q"]).returncode == 0
    outcomes = []
    for attempt in range(3):
        _marked(site, f"Edition {attempt}")
        before = (site / "public").stat().st_ino
        proc = subprocess.Popen(
            [BRIEF, "build", "--site", str(site)],  # with its cache: saved after the swap
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if (site / "public").stat().st_ino != before:
                    break
            except FileNotFoundError:
                pass
            time.sleep(0.0005)
        code, err = _interrupt(proc)
        outcomes.append(_check(code, err, site, f"Edition {attempt}"))
    assert "placed" in outcomes, outcomes


@pytest.mark.slow
def test_ctrl_c_during_the_write_phase_keeps_the_previous_site(tmp_path):
    site = _site(tmp_path)
    assert subprocess.run([sys.executable, "-m", "brief", "build", "--site", str(site), "-q"]).returncode == 0
    _marked(site, "Third edition")
    proc = _build(site)
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if any(site.glob(".public.tmp-*")):
            break
        time.sleep(0.002)
    time.sleep(0.05)
    code, err = _interrupt(proc)
    assert _check(code, err, site, "Third edition") in ("previous", "finished")
    assert not list(site.glob(".public.tmp-*")), "the staging folder is removed"


_WRAPPED_CTRL_C = """
import sys, types

class _Lands:  # Ctrl-C arriving while Python makes a class, as in any module's import
    def __set_name__(self, owner, name):
        raise KeyboardInterrupt

class _Finder:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            class Module:
                attribute = _Lands()
        return None

sys.meta_path.insert(0, _Finder())
sys.argv = ["brief", *{args!r}]
from brief.launch import main
main()
"""


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("brief.cli", ["build"]),  # while brief.launch imports the CLI
        ("brief.commands.scaffold", ["init", "new-site"]),  # while a command imports what it needs
    ],
)
def test_ctrl_c_that_python_wraps_in_a_runtime_error_still_ends_with_one_line(tmp_path, module, args):
    """On Python 3.11 a KeyboardInterrupt raised in ``__set_name__`` comes out as "RuntimeError:
    Error calling __set_name__", its cause the interrupt: still Ctrl-C, not a bug in brief."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPED_CTRL_C.format(module=module, args=args)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == PREVIOUS + "\n"
    assert not (tmp_path / "new-site").exists()


def test_an_error_that_is_not_ctrl_c_is_not_taken_for_one():
    from brief.interrupts import interrupted

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as stop:
            raise RuntimeError("Error calling __set_name__") from stop
    except RuntimeError as wrapped:
        assert interrupted(wrapped)
    loop = ValueError("a")
    loop.__context__ = ValueError("b")
    loop.__context__.__context__ = loop  # a cycle ends the walk
    assert not interrupted(loop)
    assert not interrupted(RuntimeError("Error calling __set_name__"))


SWALLOWED = """
import sys, time, weakref
from brief.launch import main

sys.argv = ["brief", "--version"]
try:
    main()
except SystemExit:
    pass  # (the hook main set stays, as for the whole command)


class Module:
    pass


def callback(_):  # as an import lock's weakref callback does when Ctrl-C lands in it
    raise KeyboardInterrupt


held = Module()
ref = weakref.ref(held, callback)
try:
    del held
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pass
    print("went on")
except KeyboardInterrupt:
    print("interrupted")
"""


def test_ctrl_c_swallowed_by_a_callback_is_delivered_again_once_the_hook_returned():
    """Python cannot raise Ctrl-C out of a weakref callback: it hands it to the unraisable
    hook, which must deliver it again to the main thread after it returns (asked from inside
    the hook, the interrupt was raised there and ignored in turn, and the command went on)."""
    result = subprocess.run([sys.executable, "-c", SWALLOWED], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "interrupted", result
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr, result.stderr
