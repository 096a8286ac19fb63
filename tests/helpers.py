"""Scratch sites for tests: write files into ``tmp_path``, run the real CLI, read the result.

Not a conftest: import what you need, ``from helpers import make_site, run_build, article``.
:class:`ServeProcess` runs ``brief serve`` the same way (conftest's ``start_server`` fixture
starts and stops them).
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import yaml

TESTS = Path(__file__).resolve().parent  # tests/: conftest, helpers, the data folders sites/ and golden/
REPO = TESTS.parent
DEFAULT_TITLE = "A Quiet Week"
DEFAULT_DATE = "2024-01-02"


class Raw(str):
    """A front-matter value written exactly as given (``date=Raw("yesterday")``)."""


def article(body: str = "Body text.\n", **fields: Any) -> str:
    """The text of a minimal valid article, with ``fields`` added or overriding the defaults.

    ``title`` is always on line 2 and ``date`` on line 3; other fields follow from line 4
    in the order given. ``field=None`` leaves the field out; values are written with
    YAML's safe dumper unless wrapped in :class:`Raw`.
    """
    values = {"title": DEFAULT_TITLE, "date": DEFAULT_DATE, **fields}
    lines = ["---"]
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, Raw):
            lines.append(f"{key}: {value}")
        else:
            dumped = yaml.safe_dump(
                {key: value}, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
            )
            lines.append(dumped.rstrip("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def with_note(text: str, date: str, note: str, kind: str = "correction") -> str:
    """An article's text with one more note in ``corrections:``, kept as the last front-matter
    key (as :func:`article` writes it); ``note=""`` removes the notes instead."""
    head, sep, body = text.partition("\n---\n")
    if not sep or not head.startswith("---"):
        return text
    head = head.split("\ncorrections:\n", 1)[0]
    if note:
        kept = text.partition("\n---\n")[0].split("\ncorrections:\n", 1)
        head += "\ncorrections:\n" + (kept[1] + "\n" if len(kept) > 1 else "")
        head += f"- date: {date}\n  text: {note}\n  kind: {kind}"
    return head + sep + body


def make_site(tmp_path: Path, files: dict[str, str | bytes], config: str | None = None) -> Path:
    """Write a site under ``tmp_path/site`` and return its folder.

    ``files`` maps site-relative paths (``content/a.md``, ``static/images/x.svg``) to text
    (written as UTF-8 exactly, so ``\\r\\n`` stays) or bytes. ``config`` is brief.toml's text.
    content/ is always created, so a site without articles is still a site.
    """
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="")
    if config is not None:
        (site / "brief.toml").write_text(config, encoding="utf-8")
    return site


def run_build(site: Path, *args: str) -> tuple[int, str, str]:
    """Run ``python -m brief build --site SITE *args`` in a process of its own (:func:`run_brief`);
    return (exit code, stdout, stderr)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}
    proc = run_brief(["build", "--site", str(site), *args], env=env)
    return proc.returncode, proc.stdout, proc.stderr


# --- brief in a process of its own, without starting Python each time ------------------------


class _Zygote:
    """tests/zygote.py: a Python process with brief imported, forking a child per command."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(TESTS / "zygote.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPO,
            bufsize=0,
        )
        self.lock = threading.Lock()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _answer(self, timeout: float | None) -> tuple:
        import pickle
        import select

        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()  # unbuffered (bufsize=0): select sees every byte not read yet
        if timeout is not None and not select.select([fd], [], [], timeout)[0]:
            raise TimeoutError
        head = self._exactly(fd, 8)
        return pickle.loads(self._exactly(fd, int.from_bytes(head, "little")))

    @staticmethod
    def _exactly(fd: int, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = os.read(fd, size - len(data))
            if not part:
                raise EOFError("the zygote ended")
            data += part
        return data

    def run(self, args: list[str], cwd: str, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
        import pickle
        import tempfile

        assert self.proc.stdin is not None
        with tempfile.TemporaryDirectory(prefix="brief-run-") as folder:
            out, err = os.path.join(folder, "stdout"), os.path.join(folder, "stderr")
            data = pickle.dumps((args, cwd, env, out, err))
            request = memoryview(len(data).to_bytes(8, "little") + data)
            while request:  # (unbuffered: a write may take only part)
                request = request[os.write(self.proc.stdin.fileno(), request) :]
            _, pid = self._answer(None)
            try:
                _, code = self._answer(timeout)
            except TimeoutError:
                os.kill(pid, signal.SIGKILL)
                self._answer(None)
                raise subprocess.TimeoutExpired(["brief", *args], timeout) from None
            stdout = Path(out).read_text(encoding="utf-8")
            stderr = Path(err).read_text(encoding="utf-8")
        return subprocess.CompletedProcess(["brief", *args], code, stdout, stderr)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


_zygotes: list[_Zygote] = []
_zygotes_lock = threading.Lock()
_turn = 0


def run_brief(
    args: list[str], *, cwd: Path | str | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run the ``brief`` command ``args`` as ``python -m brief`` would, in a process of its own,
    and return its exit code and output (text, UTF-8), as :func:`subprocess.run` does.

    The process is forked from one that has imported brief already (tests/zygote.py), so a
    command does not pay for starting Python and importing brief (~0.4 s). Two such
    processes take turns, each with its own hash seed, so that two commands in a row (a
    build and a rebuild) run with different set and dict orders of strings, as two real
    runs would. Tests of what happens before brief is imported (the launcher) run
    ``python -m brief`` themselves."""
    global _turn
    env = dict(os.environ if env is None else env)
    cwd = str(cwd or os.getcwd())
    with _zygotes_lock:
        if not _zygotes:
            import atexit

            _zygotes.extend(_Zygote() for _ in range(2))
            atexit.register(lambda: [zygote.close() for zygote in _zygotes])
        _turn += 1
        index = _turn % len(_zygotes)
        zygote = _zygotes[index]
        if not zygote.alive():
            zygote = _zygotes[index] = _Zygote()
    if not zygote.lock.acquire(blocking=False):  # another thread's command runs in it: start Python
        return subprocess.run(
            [sys.executable, "-m", "brief", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=cwd,
            env=env,
            timeout=timeout,
        )
    try:
        return zygote.run(list(args), cwd, env, timeout)
    finally:
        zygote.lock.release()


EXCERPT_ROW = re.compile(r"^  [ >] +\d+ \|(?: |$)")
"""A source line shown under an error in the terminal (brief/excerpts.py): ``  > 12 | text``."""


def problem_lines(text: str) -> list[str]:
    """The lines of a command's output without the source lines shown under its errors."""
    return [line for line in text.splitlines() if not EXCERPT_ROW.match(line)]


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) → SHA-256 of its bytes; folders → ``"dir"``.
    The search index is included: brief makes Pagefind's bundle the same for the same pages
    (brief.output.bundle)."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def read_output(site: Path, rel: str) -> str:
    return (site / "public" / rel).read_text(encoding="utf-8")


# --- a server in a subprocess ---------------------------------------------------------------

SERVING = re.compile(r"Serving .* at (http://(\S+?):(\d+)/) \(Ctrl-C to stop\)")


class ServeProcess:
    """``python -m brief serve`` with its stderr collected line by line."""

    def __init__(self, site: Path, *args: str, port: int = 0) -> None:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "brief", "serve", "--site", str(site), "--port", str(port), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._eof = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = self.host = ""
        self.port = 0

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    @property
    def stderr(self) -> str:
        with self._cond:
            return "\n".join(self.lines)

    def wait_for(self, pattern: str | re.Pattern, timeout: float = 15.0) -> re.Match:
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    match = regex.search(line)
                    if match:
                        return match
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    raise AssertionError(f"no line matching {regex.pattern!r} in stderr:\n" + "\n".join(self.lines))
                self._cond.wait(left)

    def wait_ready(self, timeout: float = 30) -> ServeProcess:
        match = self.wait_for(SERVING, timeout=timeout)
        self.url, self.host, self.port = match.group(1), match.group(2), int(match.group(3))
        return self

    def rebuilds(self) -> int:
        with self._cond:
            return sum("Rebuilt in" in line for line in self.lines)

    def wait_rebuilds(self, more_than: int, timeout: float = 15.0) -> int:
        deadline = time.monotonic() + timeout
        while self.rebuilds() <= more_than:
            assert time.monotonic() < deadline, f"no rebuild after {more_than}:\n{self.stderr}"
            time.sleep(0.02)
        return self.rebuilds()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._reader.join(5)


def atomic_write(path: Path, text: str) -> None:
    """Save as editors do: a temporary file in the same folder, renamed over the original."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def process_tree_state(pid: int) -> str:
    """What a process that did not end in time, and every process under it, is doing: each
    one's command, state and what its threads wait on in the kernel, and the Python stacks
    of the tree when py-spy is installed (for a failure message: a hang is then diagnosable)."""
    lines: list[str] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        proc = Path(f"/proc/{current}")
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            state = (proc / "stat").read_text().split(") ", 1)[1].split()[0]
            waits = sorted({(task / "wchan").read_text() or "-" for task in (proc / "task").iterdir()})
            children = [int(c) for task in (proc / "task").iterdir() for c in (task / "children").read_text().split()]
        except OSError:
            continue
        lines.append(f"{current} [{state}] waits on {', '.join(waits)}: {cmd[:160]}")
        todo.extend(children)
    spy = Path(sys.executable).with_name("py-spy")
    if spy.exists():
        dump = subprocess.run([str(spy), "dump", "--subprocesses", "--pid", str(pid)], capture_output=True, text=True)
        lines.append(dump.stdout[-6000:] + dump.stderr[-1000:])
    return "\n".join(lines)
