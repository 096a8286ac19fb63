"""caption-mismatch (#19.4): a hero photo whose caption and alt text have nothing to do with
the story. The seed of the issue (a U.S.–Japan diplomacy brief under "Aerial shot of vibrant
rice fields in West Java") through a real ``brief check``; the rule's rates on the written pairs
of caption_pairs.yaml; and the cases around the edges (short captions, tags and names, word
forms, decorative images, tuning)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml
from helpers import article, make_site, run_brief

from brief.content.captions import caption_support
from brief.content.stopwords import stop_words
from brief.content.words import Vocabulary, content_words

PAIRS = yaml.safe_load((Path(__file__).parent / "caption_pairs.yaml").read_text(encoding="utf-8"))
STOPS = stop_words("en")
WIDE = '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"/>\n'
RICE = "Aerial shot of vibrant rice fields in West Java"


def brief(item: dict, caption: str | None, alt: str, **image_fields) -> str:
    """One of caption_pairs.yaml's briefs as an article file, under the given hero."""
    image = {"src": "hero.svg", "alt": alt, **({"caption": caption} if caption else {}), **image_fields}
    fields = {k: item[k] for k in ("title", "dek", "section", "tags", "takeaways")}
    return article(item["body"], **fields, image=image)


def check(tmp_path: Path, text: str, config: str = "") -> str:
    site = make_site(tmp_path, {"content/a.md": text, "content/hero.svg": WIDE}, 'title = "T"\n' + config)
    result = run_brief(["check", "--site", str(site)])
    return result.stdout


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(start))


# --- the seed ----------------------------------------------------------------------------------

SEED = PAIRS[0]  # Tokyo and Washington agree to deepen coast guard cooperation


def test_the_rice_fields_on_a_diplomacy_brief_are_flagged(tmp_path):
    assert SEED["topic"] == "diplomacy"
    text = brief(SEED, RICE, "Terraced green rice paddies seen from above.")
    out = check(tmp_path, text)
    assert (
        f"content/a.md:{line_of(text, 'caption:')}: warning: image.caption: the hero's caption and alt text share "
        f'no words with the article ("{RICE}"); check the photo belongs to this story [caption-mismatch]'
    ) in out.splitlines(), out


def test_the_same_brief_with_its_own_photo_is_not(tmp_path):
    text = brief(SEED, "Japanese and U.S. officials meet in Tokyo", "Two delegations seated at a long table.")
    out = check(tmp_path, text)
    assert "caption-mismatch" not in out, out
    assert "Check passed: 0 errors, 0 warnings" in out, out


def test_a_word_once_in_the_body_is_named(tmp_path):
    item = {**SEED, "body": SEED["body"] + "\nWestern allies welcomed the plan.\n"}
    text = brief(item, RICE, "Terraced green rice paddies seen from above.")
    assert (
        "warning: image.caption: the hero's caption and alt text share almost no words with the article "
        f"(only 'west', once in the body) (\"{RICE}\"); check the photo belongs to this story [caption-mismatch]"
    ) in check(tmp_path, text)


def test_alt_text_alone_is_checked_on_its_field(tmp_path):
    text = brief(SEED, None, "Terraced green rice paddies seen from above.")
    assert (
        f"content/a.md:{line_of(text, 'alt:')}: warning: image.alt: the hero's caption and alt text share no words "
        'with the article ("Terraced green rice paddies seen from above."); check the photo belongs to this story '
        "[caption-mismatch]"
    ) in check(tmp_path, text)


def test_caption_mismatch_can_be_turned_off_or_made_an_error(tmp_path):
    text = brief(SEED, RICE, "Rice paddies.")
    assert "caption-mismatch" not in check(tmp_path / "off", text, '[warnings]\ncaption-mismatch = "off"\n')
    out = check(tmp_path / "error", text, '[warnings]\ncaption-mismatch = "error"\n')
    assert "content/a.md:" in out and ": image.caption: the hero's caption" in out and "Check failed: 1 error" in out


# --- the rule's rates on written pairs ---------------------------------------------------------


@cache
def support(article_topic: str, caption_topic: str):
    item = next(p for p in PAIRS if p["topic"] == article_topic)
    photo = next(p for p in PAIRS if p["topic"] == caption_topic)
    head = "\n".join([item["title"], item["dek"], *item["takeaways"], item["section"], *item["tags"]])
    return caption_support(
        photo["caption"], photo["alt"], head, lambda: Vocabulary(content_words(item["body"], STOPS)), STOPS
    )


def test_rates_on_matched_and_mismatched_pairs():
    """Each brief under its own photo (matched) and under the photo of every brief on another
    topic (mismatched): at most 5% of the matched and at least 90% of the mismatched flagged.
    (31 briefs; the last 8 were written after the rule was tuned: 1 of their 8 matched pairs is
    flagged, a cashier photo on a minimum-wage brief that never says shop or supermarket.)"""
    topics = [p["topic"] for p in PAIRS]
    assert len(topics) == len(set(topics)) == 31
    matched = [t for t in topics if support(t, t).mismatched]
    mismatched = [(a, c) for a in topics for c in topics if a != c]
    flagged = [pair for pair in mismatched if support(*pair).mismatched]
    assert len(matched) <= 0.05 * len(topics), matched
    assert len(flagged) >= 0.90 * len(mismatched), (len(flagged), len(mismatched))
    assert (len(matched), len(flagged), len(mismatched)) == (1, 891, 930)  # the numbers the README gives


# --- around the edges --------------------------------------------------------------------------


def caption_flagged(caption: str, alt: str = "", title: str = "Dockworkers End Strike", tags=(), names=()) -> bool:
    """Whether a short brief (by ``names``) would flag this hero (the head as brief.content.editorial makes it)."""
    body = "Dockworkers returned to work on Saturday after a nine-day strike."
    head = "\n".join([title, "Business", *tags, *names])
    return caption_support(caption, alt, head, lambda: Vocabulary(content_words(body, STOPS)), STOPS).mismatched


@pytest.mark.parametrize(
    "caption, fields",
    [
        ("Dockworkers", {}),  # one word, in the headline
        ("Saturday's strike", {}),  # a possessive; a generic word ("Saturday") beside a specific one
        ("Container ships at anchor", {"tags": ["Container Ships"]}),  # the tags speak for the article
        ("Ana Ortiz", {"names": ["Ana Ortiz"]}),  # a portrait of the author
        ("Diplomats meet", {"title": "Diplomacy Resumes"}),  # word forms: diplomats, diplomacy
        ("Japan's coast guard", {"title": "Japanese Coast Guard Expands"}),
        ("The U.S. delegation", {"title": "U.S. Talks Resume"}),  # an acronym that spells a stop word
        ("Work resumes at the strike-hit docks", {}),  # "strike" and "docks" (of "dockworkers")
        ("*Striking* dockworkers", {}),  # Markdown in a caption
        ("Photo: aerial view", {}),  # no word of its own: nothing to check
    ],
)
def test_captions_that_fit(caption, fields):
    assert not caption_flagged(caption, **fields)


@pytest.mark.parametrize(
    "caption, alt",
    [
        ("Sunflowers", ""),  # one word, nowhere in the article
        ("Red maple leaves", ""),
        (RICE, ""),
        ("", "A yellow toy car on a shelf of books."),
        # one word from the headline in a long alt text
        ("", "A striking view of a ship's bow, gulls circling above grey water, cranes and containers, evening light."),
    ],
)
def test_captions_that_do_not(caption, alt):
    assert caption_flagged(caption, alt)


def test_a_decorative_image_is_not_checked(tmp_path):
    out = check(tmp_path, brief(SEED, None, "", decorative=True))
    assert "caption-mismatch" not in out and "Check passed: 0 errors" in out, out
