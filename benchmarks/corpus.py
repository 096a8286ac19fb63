"""Generate a clustered news corpus for benchmarks: N articles in topic clusters.

Each topic has its own vocabulary and tag pool; every article also draws on a
shared general vocabulary, and some carry a tag from another topic (noise).
Sections are shared by several topics, so a section alone does not give the
topic away. The topic of each article is written to ``topics.json`` beside
``content/`` (not in the front matter), for measuring precision.

    python benchmarks/corpus.py OUT_DIR N [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

TOPICS = 40
SECTIONS = ("Economy", "Technology", "Climate", "Politics", "Health", "World")
TOPIC_WORDS = 60
TAGS_PER_TOPIC = 6
GENERAL_WORDS = 1500
SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "vor",
    "sel",
    "dun",
    "pa",
    "qui",
    "zer",
    "nol",
    "bri",
    "gat",
    "hem",
    "jus",
    "fro",
    "wen",
    "tal",
    "cor",
    "mus",
    "pey",
    "dra",
    "lin",
    "sov",
    "tre",
    "bax",
    "yul",
)


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def vocabulary(seed: int) -> tuple[list[list[str]], list[list[str]], list[str]]:
    """Per-topic words and tags, and the general vocabulary (deterministic for a seed)."""
    rng = random.Random(seed)
    seen: set[str] = set()

    def fresh(parts: int) -> str:
        while True:
            word = _word(rng, parts)
            if word not in seen:
                seen.add(word)
                return word

    general = [fresh(3) for _ in range(GENERAL_WORDS)]
    words = [[fresh(4) for _ in range(TOPIC_WORDS)] for _ in range(TOPICS)]
    tags = [[f"{fresh(3).title()} {fresh(3).title()}" for _ in range(TAGS_PER_TOPIC)] for _ in range(TOPICS)]
    return words, tags, general


def articles(n: int, seed: int = 7):
    """Yield (slug, topic, front matter dict, body) for n articles, newest last."""
    words, tags, general = vocabulary(seed)
    rng = random.Random(seed + 1)
    start = datetime(2020, 1, 1, 6, 0)
    step = timedelta(minutes=max(1, int(6 * 365 * 24 * 60 / max(n, 1))))
    for i in range(n):
        topic = rng.randrange(TOPICS)

        def text(count: int, share: float, topic: int = topic) -> str:
            return " ".join(
                rng.choice(words[topic]) if rng.random() < share else rng.choice(general) for _ in range(count)
            )

        article_tags = rng.sample(tags[topic], rng.randint(2, 3))
        if rng.random() < 0.25:  # noise: a tag of another topic
            article_tags.append(rng.choice(tags[rng.randrange(TOPICS)]))
        meta = {
            "title": text(7, 0.4).capitalize(),
            "dek": text(18, 0.3).capitalize() + ".",
            "date": (start + i * step).isoformat(timespec="minutes"),
            "authors": [f"Writer {rng.randrange(50)}"],
            "section": SECTIONS[topic % len(SECTIONS)],
            "tags": list(dict.fromkeys(article_tags)),
            "takeaways": [text(12, 0.3).capitalize() + "." for _ in range(2)],
        }
        paragraphs = [text(rng.randint(40, 70), 0.22).capitalize() + "." for _ in range(rng.randint(3, 5))]
        yield f"a{i:06d}", topic, meta, "\n\n".join(paragraphs) + "\n"


def write_corpus(out: Path, n: int, seed: int = 7) -> Path:
    """Write a brief site with n articles to ``out`` (content/, brief.toml, topics.json)."""
    import yaml

    content = out / "content"
    content.mkdir(parents=True, exist_ok=True)
    topics = {}
    for slug, topic, meta, body in articles(n, seed):
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
        (content / f"{slug}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        topics[slug] = topic
    (out / "topics.json").write_text(json.dumps(topics), encoding="utf-8")
    write_config(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_corpus(args.out, args.n, args.seed)


CONFIG = 'title = "Benchmark Brief"\nbase_url = "https://bench.example.org/"\nsearch = false\n'
"""No search index: Hugo and Pelican build none either (Pagefind adds about 14 s at 10,000 articles)."""


def write_config(out: Path) -> None:
    """brief.toml of a corpus (rewritten for corpora written by older versions of this script)."""
    path = out / "brief.toml"
    if not path.exists() or path.read_text(encoding="utf-8") != CONFIG:
        path.write_text(CONFIG, encoding="utf-8")


if __name__ == "__main__":
    main()
