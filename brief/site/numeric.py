"""numpy, for the related scoring, with OpenBLAS's pool of threads left at one.

numpy's OpenBLAS starts a pool of threads as it loads, one per core, and they spin a
while: a process that imports numpy used 112 ms of CPU on 2 cores, against 65 ms with one
thread. The scoring uses no BLAS routine (no product of matrices: postings,
sums and sorts), and it is what a cached build's other core does while the build loads
its articles on this one (brief.site.scorer). A value the user set is kept.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # (read once, as the library loads)

import numpy as np  # noqa: E402 - after the setting above

__all__ = ["np"]
