"""The related scoring's numpy is loaded with OpenBLAS's thread pool at one thread
(brief.site.numeric): the scoring uses no BLAS routine, and the pool's threads spin on
the core that the build itself needs (a cached build scores in another process)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

THREADS = (
    "import os\n"
    "import brief.site.related\n"
    "print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')))\n"
)


def _run(env: dict[str, str]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", THREADS], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.skipif(not os.path.isdir("/proc/self/task") or (os.cpu_count() or 1) < 2, reason="needs 2 cores")
def test_the_scoring_loads_numpy_without_a_pool_of_threads():
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    assert _run(env) == ["1", "1"]  # one thread in all: the process's own


@pytest.mark.skipif(not os.path.isdir("/proc/self/task") or (os.cpu_count() or 1) < 2, reason="needs 2 cores")
def test_a_thread_count_the_user_set_is_kept():
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    setting, threads = _run({**env, "OPENBLAS_NUM_THREADS": "2"})
    assert setting == "2" and int(threads) == 2  # OpenBLAS's pool: the process's thread and one more
