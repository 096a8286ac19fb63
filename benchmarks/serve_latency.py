"""Preview latency, end to end in a real browser: from saving an article to its new
text in the page, on the sample site and on a generated corpus.

    .venv/bin/python benchmarks/serve_latency.py            # sample site and 5,000 articles
    .venv/bin/python benchmarks/serve_latency.py 1000       # another corpus size

Starts `brief serve` on a copy of the site, opens an article in headless
Chromium (Debian's, through Playwright), saves the article atomically (temp
file + rename) five times, each after the previous rebuild finished, and prints
the median and worst time from the save to the new text in the DOM, and the
server's own times: rendering the edited page alone, and rebuilding the whole site. (On a large site the edited page is shown
first and the rest of the site follows when the full rebuild is done.)
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def measure(site: Path, article: Path, url_path: str, rounds: int = 5) -> tuple[list[float], list[float], list[float]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "brief", "serve", "--site", str(site), "--port", "0"], stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    url_ready = threading.Event()
    base = []

    def read() -> None:
        for line in proc.stderr:
            lines.append(line)
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            if found and not base:
                base.append(found.group(1))
                url_ready.set()

    threading.Thread(target=read, daemon=True).start()
    from playwright.sync_api import sync_playwright

    try:
        assert url_ready.wait(600), "server did not start"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            page.goto(base[0] + url_path.lstrip("/"))
            page.wait_for_function("window.__briefLive === true")
            latencies = []

            def rebuilds() -> int:
                return "".join(lines).count("Rebuilt in")

            for i in range(rounds):
                done = rebuilds()
                marker = f"Latency marker {i} {time.time_ns()}"
                text = article.read_text(encoding="utf-8") + f"\n{marker}\n"
                tmp = article.with_name(f".{article.name}.tmp")
                tmp.write_text(text, encoding="utf-8")
                page.wait_for_timeout(300)
                start = time.perf_counter()
                os.replace(tmp, article)
                page.wait_for_function(
                    f"document.body && document.body.innerText.includes({marker!r})", timeout=120_000
                )
                latencies.append((time.perf_counter() - start) * 1000)
                deadline = time.monotonic() + 120  # let the full rebuild finish: saves come seconds apart
                while rebuilds() <= done and time.monotonic() < deadline:
                    time.sleep(0.05)
            browser.close()
        log = "".join(lines)
        rebuilds = [float(m) for m in re.findall(r"Rebuilt in (\d+) ms", log)][1:]
        shown = [float(m) for m in re.findall(r"Showed the edited page in (\d+) ms", log)]
        return latencies, rebuilds, shown
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample"
        for name in ("content", "static", "templates", "brief.toml"):
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, sample / name)
        rows.append(
            ("sample site (9 articles)",)
            + measure(sample, sample / "content" / "grid-batteries-winter.md", "/2026/10/grid-batteries-winter/")
        )
        from corpus import write_corpus

        for n in sizes:
            site = write_corpus(Path(tmp) / f"corpus-{n}", n)
            last = sorted((site / "content").glob("*.md"))[-1]
            date = re.search(r"date: '?(\d{4})-(\d{2})", last.read_text()).groups()
            rows.append(
                (f"generated corpus ({n:,} articles)",) + measure(site, last, f"/{date[0]}/{date[1]}/{last.stem}/")
            )
    print(f"{'site':<34} {'save→DOM median':>16} {'worst':>8} {'edited page':>12} {'whole site':>11}")
    for name, latencies, rebuilds, shown in rows:
        print(
            f"{name:<34} {statistics.median(latencies):>13.0f} ms {max(latencies):>5.0f} ms "
            f"{_median(shown):>9} ms {_median(rebuilds):>8} ms"
        )


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.0f}" if values else "–"


if __name__ == "__main__":
    main()
