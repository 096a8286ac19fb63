"""A Python process with brief's modules imported that runs each ``brief`` command it is
sent in a child forked for it (tests/helpers.py's :func:`~helpers.run_brief`).

Each command still runs in a process of its own, with its own working folder,
environment, standard streams and exit code, as ``python -m brief`` would: only
starting Python and importing brief (~0.4 s, most of a small site's build) is done
once. Requests and answers are pickles, each after its length (8 bytes, little-endian),
on this process's standard input and output:

- request: ``(args, cwd, env, stdout path, stderr path)``;
- answers: ``("pid", pid)`` once the child runs, then ``("status", exit code)``
  (negative: killed by that signal), as :func:`os.waitstatus_to_exitcode` gives it.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import pickle
import runpy
import signal
import sys
import threading
import time
import traceback

import brief.methodcache

brief.methodcache.install()  # (as the command does first: brief.launch)

import brief.build  # noqa: E402, F401 - what commands import, imported before any fork
import brief.cache  # noqa: E402, F401
import brief.cli  # noqa: E402, F401
import brief.commands.build  # noqa: E402, F401
import brief.commands.check  # noqa: E402, F401
import brief.launch  # noqa: E402, F401


def _send(out, message: tuple) -> None:
    data = pickle.dumps(message)
    out.write(len(data).to_bytes(8, "little") + data)
    out.flush()


def _streams(env: dict[str, str]) -> None:
    """New ``sys`` streams on file descriptors 0–2, encoded as Python would for ``env``."""
    encoding, errors = sys.__stdout__.encoding, sys.__stdout__.errors
    setting = env.get("PYTHONIOENCODING", "")
    if setting:
        name, _, how = setting.partition(":")
        encoding, errors = name or encoding, how or "strict"
    sys.stdin = sys.__stdin__ = open(0, encoding=encoding, errors=errors, closefd=False)  # noqa: SIM115
    out = io.BufferedWriter(io.FileIO(1, "w", closefd=False))
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(out, encoding=encoding, errors=errors)
    err = io.BufferedWriter(io.FileIO(2, "w", closefd=False))
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        err, encoding=encoding, errors="backslashreplace", line_buffering=True
    )


def _exit_code(code: object) -> int:
    """What Python exits with for ``sys.exit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _child(args: list[str], cwd: str, env: dict[str, str], out_path: str, err_path: str) -> None:
    code = 1
    try:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        time.tzset()
        sys.path[0] = os.getcwd()  # as ``python -m`` puts it (here it was tests/)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, out_path), (2, err_path)):
            opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(opened, fd)
            os.close(opened)
        os.close(null)
        _streams(env)
        sys.argv = ["-m", *args]
        try:
            runpy.run_module("brief", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc.code)
        except KeyboardInterrupt:
            traceback.print_exc()
            sys.stderr.flush()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        except BaseException:  # noqa: BLE001 - printed as Python prints an uncaught exception
            traceback.print_exc()
            code = 1
        threading._shutdown()  # type: ignore[attr-defined]  # as Python does at exit: wait for threads
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    finally:
        os._exit(code)


def main() -> None:
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = requests.read(8)
        if len(head) < 8:
            return
        args, cwd, env, out_path, err_path = pickle.loads(requests.read(int.from_bytes(head, "little")))
        pid = os.fork()
        if pid == 0:
            _child(args, cwd, env, out_path, err_path)
        _send(answers, ("pid", pid))
        _, status = os.waitpid(pid, 0)
        _send(answers, ("status", os.waitstatus_to_exitcode(status)))


if __name__ == "__main__":
    main()
