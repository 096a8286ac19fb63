"""Embeds (brief.render.embeds, brief.render.providers): which URLs are recognised, the
player and page URLs made from them, hostile URLs refused, the card's HTML, the hook for
raw <iframe>s and ``[embeds] allow`` in brief.toml. The block syntax is tested in
test_directives.py, the card in a real browser in tests/system/test_embeds_browser.py."""

from __future__ import annotations

import pytest
from helpers import article, make_site, read_output, run_build

from brief.config import Config, load_config
from brief.errors import BuildFailed
from brief.render.embeds import MAX_URL, embed_for_iframe, facade_html, find_embed
from brief.render.providers import PROVIDERS, parse_time

YT = "dQw4w9WgXcQ"
NOCOOKIE = f"https://www.youtube-nocookie.com/embed/{YT}?autoplay=1"
WATCH = f"https://www.youtube.com/watch?v={YT}"
TWEET = "https://platform.twitter.com/embed/Tweet.html?id=1234567890&dnt=true"
SPOTIFY_ID = "4uLU6hMCjMI75M1A2tKUQC"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"

# (pasted URL, provider key, iframe src, link for readers without JavaScript, shape)
RECOGNISED = [
    (WATCH, "youtube", NOCOOKIE, WATCH, "16:9"),
    (f"https://youtube.com/watch?v={YT}&feature=share", "youtube", NOCOOKIE, WATCH, "16:9"),
    (f"https://m.youtube.com/watch?v={YT}", "youtube", NOCOOKIE, WATCH, "16:9"),
    (f"https://youtu.be/{YT}?t=90", "youtube", NOCOOKIE + "&start=90", WATCH + "&t=90s", "16:9"),
    (f"https://www.youtube.com/watch?v={YT}&t=1m30s", "youtube", NOCOOKIE + "&start=90", WATCH + "&t=90s", "16:9"),
    (f"https://www.youtube.com/shorts/{YT}", "youtube", NOCOOKIE, WATCH, "9:16"),
    (f"https://www.youtube.com/embed/{YT}?start=5", "youtube", NOCOOKIE + "&start=5", WATCH + "&t=5s", "16:9"),
    (f"https://www.youtube-nocookie.com/embed/{YT}", "youtube", NOCOOKIE, WATCH, "16:9"),
    (f"HTTPS://WWW.YOUTUBE.COM/watch?v={YT}", "youtube", NOCOOKIE, WATCH, "16:9"),
    (
        "https://vimeo.com/76979871",
        "vimeo",
        "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1",
        "https://vimeo.com/76979871",
        "16:9",
    ),
    (
        "https://vimeo.com/76979871/8272103f6e#t=30s",
        "vimeo",
        "https://player.vimeo.com/video/76979871?h=8272103f6e&autoplay=1&dnt=1#t=30s",
        "https://vimeo.com/76979871/8272103f6e#t=30s",
        "16:9",
    ),
    (
        "https://player.vimeo.com/video/76979871?h=8272103f6e",
        "vimeo",
        "https://player.vimeo.com/video/76979871?h=8272103f6e&autoplay=1&dnt=1",
        "https://vimeo.com/76979871/8272103f6e",
        "16:9",
    ),
    ("https://x.com/jack/status/1234567890", "x", TWEET, "https://x.com/jack/status/1234567890", "4:5"),
    ("https://twitter.com/jack/status/1234567890/photo/1", "x", TWEET, "https://x.com/jack/status/1234567890", "4:5"),
    ("https://mobile.twitter.com/i/web/status/1234567890", "x", TWEET, "https://x.com/i/status/1234567890", "4:5"),
    (
        "https://platform.twitter.com/embed/Tweet.html?id=1234567890",
        "x",
        TWEET,
        "https://x.com/i/status/1234567890",
        "4:5",
    ),
    (
        "https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l",
        "bluesky",
        "https://embed.bsky.app/embed/bsky.app/app.bsky.feed.post/3l6oveex3ii2l",
        "https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l",
        "4:5",
    ),
    (
        f"https://embed.bsky.app/embed/{DID}/app.bsky.feed.post/3l6oveex3ii2l",
        "bluesky",
        f"https://embed.bsky.app/embed/{DID}/app.bsky.feed.post/3l6oveex3ii2l",
        f"https://bsky.app/profile/{DID}/post/3l6oveex3ii2l",
        "4:5",
    ),
    (
        "https://mastodon.social/@Gargron/109999999999999999",
        "mastodon",
        "https://mastodon.social/@Gargron/109999999999999999/embed",
        "https://mastodon.social/@Gargron/109999999999999999",
        "4:5",
    ),
    (
        "https://social.example.net/@ana@news.example.org/112233/embed",
        "mastodon",
        "https://social.example.net/@ana@news.example.org/112233/embed",
        "https://social.example.net/@ana@news.example.org/112233",
        "4:5",
    ),
    (
        "https://www.instagram.com/p/CAY_UEQlhf6/?utm_source=ig_web_copy_link",
        "instagram",
        "https://www.instagram.com/p/CAY_UEQlhf6/embed/",
        "https://www.instagram.com/p/CAY_UEQlhf6/",
        "3:4",
    ),
    (
        "https://instagram.com/reel/CkQkLziJY1y",
        "instagram",
        "https://www.instagram.com/reel/CkQkLziJY1y/embed/",
        "https://www.instagram.com/reel/CkQkLziJY1y/",
        "3:4",
    ),
    (
        "https://www.tiktok.com/@scout2015/video/6718335390845095173",
        "tiktok",
        "https://www.tiktok.com/embed/v2/6718335390845095173",
        "https://www.tiktok.com/@scout2015/video/6718335390845095173",
        "9:16",
    ),
    (
        "https://datawrapper.dwcdn.net/AbC12/3/",
        "datawrapper",
        "https://datawrapper.dwcdn.net/AbC12/3/",
        "https://datawrapper.dwcdn.net/AbC12/3/",
        "4:3",
    ),
    (
        "https://www.datawrapper.de/_/AbC12/",
        "datawrapper",
        "https://datawrapper.dwcdn.net/AbC12/",
        "https://datawrapper.dwcdn.net/AbC12/",
        "4:3",
    ),
    (
        "https://public.flourish.studio/visualisation/1234567/",
        "flourish",
        "https://flo.uri.sh/visualisation/1234567/embed",
        "https://public.flourish.studio/visualisation/1234567/",
        "4:3",
    ),
    (
        "https://flo.uri.sh/story/99/embed",
        "flourish",
        "https://flo.uri.sh/story/99/embed",
        "https://public.flourish.studio/story/99/",
        "4:3",
    ),
    (
        "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2482.9!2d-0.12!3d51.5",
        "google-maps",
        "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2482.9!2d-0.12!3d51.5",
        "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2482.9!2d-0.12!3d51.5",
        "4:3",
    ),
    (
        "https://soundcloud.com/forss/flickermood",
        "soundcloud",
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood",
        "https://soundcloud.com/forss/flickermood",
        "audio",
    ),
    (
        "https://soundcloud.com/forss/sets/soulhack",
        "soundcloud",
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fsets%2Fsoulhack",
        "https://soundcloud.com/forss/sets/soulhack",
        "player",
    ),
    (
        "https://w.soundcloud.com/player/?url=https%3A//soundcloud.com/forss/flickermood&color=%23ff5500",
        "soundcloud",
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood",
        "https://soundcloud.com/forss/flickermood",
        "audio",
    ),
    (
        f"https://open.spotify.com/track/{SPOTIFY_ID}?si=abc",
        "spotify",
        f"https://open.spotify.com/embed/track/{SPOTIFY_ID}",
        f"https://open.spotify.com/track/{SPOTIFY_ID}",
        "audio",
    ),
    (
        f"https://open.spotify.com/intl-de/playlist/{SPOTIFY_ID}",
        "spotify",
        f"https://open.spotify.com/embed/playlist/{SPOTIFY_ID}",
        f"https://open.spotify.com/playlist/{SPOTIFY_ID}",
        "player",
    ),
    (
        f"https://open.spotify.com/embed/episode/{SPOTIFY_ID}",
        "spotify",
        f"https://open.spotify.com/embed/episode/{SPOTIFY_ID}",
        f"https://open.spotify.com/episode/{SPOTIFY_ID}",
        "audio",
    ),
]


@pytest.mark.parametrize(("url", "key", "src", "link", "ratio"), RECOGNISED, ids=[r[0][:60] for r in RECOGNISED])
def test_a_provider_url_gives_its_player_and_page(url, key, src, link, ratio):
    embed = find_embed(url)
    assert embed is not None
    assert (embed.provider.key, embed.src, embed.link, embed.ratio) == (key, src, link, ratio)


def test_every_provider_is_recognised_by_some_case():
    assert {p.key for p in PROVIDERS} == {case[1] for case in RECOGNISED}


NOT_EMBEDS = [
    "https://www.youtube.com/@SomeChannel",  # a channel, not a video
    "https://www.youtube.com/watch?v=tooShort",  # not a video id
    "https://www.youtube.com/playlist?list=PL123",
    "https://vimeo.com/channels/staffpicks",
    "https://x.com/jack",  # a profile
    "https://www.instagram.com/nasa/",
    "https://soundcloud.com/forss",
    "https://www.google.com/maps/place/London",  # a plain maps link stays a link
    "https://maps.app.goo.gl/abc",
    "https://open.spotify.com/artist/4uLU6hMCjMI75M1A2tKUQC",
    "http://mastodon.social/@Gargron/1",  # a Mastodon post only over https
    "https://mastodon.social/@Gargron",  # a profile
    "https://example.org/story",
    "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "www.youtube.com/watch?v=dQw4w9WgXcQ",  # no scheme: not a URL
    "https://charts.example.org/c/1",  # not allowed (the allowlist is empty here)
]


@pytest.mark.parametrize("url", NOT_EMBEDS)
def test_other_urls_are_not_embeds(url):
    assert find_embed(url) is None


HOSTILE = [
    "javascript:alert(1)//www.youtube.com/watch?v=dQw4w9WgXcQ",
    "JavaScript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ"onmouseover="alert(1)',
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ' onload='alert(1)",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=<script>",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n<script>",
    "https://evil.example/www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
    "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://evil.example#@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://ｙoutube.com/watch?v=dQw4w9WgXcQ",  # a full-width letter in the host
    "https://[::1/watch?v=dQw4w9WgXcQ",  # a broken host
    "https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&pad=" + "a" * MAX_URL,
    "https:///watch?v=dQw4w9WgXcQ",
    "//www.youtube.com/watch?v=dQw4w9WgXcQ",
]


@pytest.mark.parametrize("url", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_urls_are_never_embeds(url):
    assert find_embed(url) is None
    assert find_embed(url, allow=("www.youtube.com", "youtube.com")) is None


def test_a_url_of_an_allowed_host_is_embedded_as_written_and_https_only():
    allow = ("charts.example.org",)
    embed = find_embed("https://charts.example.org/c/1?theme=dark#top", allow)
    assert embed is not None and embed.provider.name == "charts.example.org"
    assert embed.src == embed.link == "https://charts.example.org/c/1?theme=dark#top"
    assert find_embed("http://charts.example.org/c/1", allow) is None  # blocked in an https page anyway
    assert find_embed("https://charts.example.org:8443/c/1", allow) is None
    assert find_embed("https://other.example.org/c/1", allow) is None
    assert find_embed("https://sub.charts.example.org/c/1", allow) is None  # a host is allowed, not its subdomains


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("90s", 90), ("1m30s", 90), ("1h2m3s", 3723), ("1:30", 90), ("1:02:03", 3723), ("0", 0)],
)
def test_start_times(text, seconds):
    assert parse_time(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "1:75", "-5", "1.5", "1m30x", "12:"])
def test_not_start_times(text):
    assert parse_time(text) is None


def test_start_overrides_the_url_s_own_and_only_for_videos():
    embed = find_embed(f"https://youtu.be/{YT}?t=10", start=75)
    assert embed is not None and embed.src == NOCOOKIE + "&start=75" and embed.link == WATCH + "&t=75s"
    vimeo = find_embed("https://vimeo.com/76979871", start=30)
    assert vimeo is not None and vimeo.src.endswith("#t=30s") and vimeo.link == "https://vimeo.com/76979871#t=30s"
    post = find_embed("https://x.com/jack/status/1", start=30)
    assert post is not None and post.start is None and "30" not in post.src


def test_the_card():
    embed = find_embed(f"https://youtu.be/{YT}")
    assert embed is not None
    html = str(facade_html(embed, 'The minister\'s "statement" <live>'))
    assert html == (
        '<figure class="embed embed-youtube">\n'
        '<div class="embed-frame" data-ratio="16:9" '
        f'data-embed-src="https://www.youtube-nocookie.com/embed/{YT}?autoplay=1" '
        'data-embed-title="The minister&#39;s &#34;statement&#34; &lt;live&gt;" '
        'data-embed-allow="autoplay; encrypted-media; fullscreen; picture-in-picture" '
        'data-embed-sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation">\n'
        '<div class="embed-facade" data-pagefind-ignore>\n'
        '<p class="embed-provider">YouTube</p>\n'
        '<p class="embed-title">The minister&#39;s &#34;statement&#34; &lt;live&gt;</p>\n'
        '<p class="embed-actions"><button type="button" class="embed-load" hidden>Load the video here</button> '
        f'<a class="embed-link" href="{WATCH}">Watch on YouTube</a></p>\n'
        '<p class="embed-note" hidden>Loading it here connects to www.youtube-nocookie.com.</p>\n'
        "</div>\n</div>\n</figure>\n"
    )
    # No title given: the iframe is still named, after the provider; no heading on the card.
    plain = str(facade_html(embed))
    assert 'data-embed-title="YouTube video"' in plain and "embed-title" not in plain.replace("data-embed-title", "")


def test_an_allowed_url_with_a_quote_stays_inside_its_attributes():
    embed = find_embed("https://charts.example.org/a'b&c=1", ("charts.example.org",))
    assert embed is not None
    html = str(facade_html(embed))
    assert 'data-embed-src="https://charts.example.org/a&#39;b&amp;c=1"' in html
    assert 'href="https://charts.example.org/a&#39;b&amp;c=1"' in html


def test_embed_for_iframe(tmp_path):
    config = Config(root=tmp_path, embeds_allow=("charts.example.org",))
    card = embed_for_iframe(f" https://www.youtube.com/embed/{YT} ", "Budget speech", config)
    assert card is not None and card.startswith('<figure class="embed embed-youtube">')
    assert 'data-embed-title="Budget speech"' in card and '<p class="embed-title">Budget speech</p>' in card
    assert embed_for_iframe("https://datawrapper.dwcdn.net/AbC12/1/", None, config) is not None
    assert embed_for_iframe("https://charts.example.org/c/1", "", config) is not None
    assert embed_for_iframe("https://tracker.example.com/frame", "Ad", config) is None
    assert embed_for_iframe("javascript:alert(1)", None, config) is None
    assert embed_for_iframe("https://charts.example.org/c/1", None, Config(root=tmp_path)) is None


# --- [embeds] allow in brief.toml --------------------------------------------------------------


def test_allow_is_read_lowercased(tmp_path):
    site = make_site(
        tmp_path, {}, '[embeds]\nallow = ["Charts.Example.org", "maps.example.net", "charts.example.org"]\n'
    )
    assert load_config(site).embeds_allow == ("charts.example.org", "maps.example.net")
    assert load_config(make_site(tmp_path / "b", {}, "")).embeds_allow == ()


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            '[embeds]\nallow = "charts.example.org"\n',
            "brief.toml:2: embeds.allow: expected a list of host names, got a string ('charts.example.org')",
        ),
        (
            "[embeds]\nallow = [1, 2]\n",
            "brief.toml:2: embeds.allow: expected a list of host names, got an array ([1, 2])",
        ),
        (
            '[embeds]\nallow = ["https://charts.example.org/"]\n',
            "brief.toml:2: embeds.allow: 'https://charts.example.org/' is not a host name "
            "(expected a name such as charts.example.org, without https://, a path or a port)",
        ),
        (
            '[embeds]\nallow = ["*.example.org"]\n',
            "brief.toml:2: embeds.allow: '*.example.org' is not a host name "
            "(expected a name such as charts.example.org, without https://, a path or a port)",
        ),
        ("[embeds]\nalow = []\n", "brief.toml:2: embeds.alow: unknown configuration key; did you mean 'allow'?"),
    ],
)
def test_allow_problems(tmp_path, toml, expected):
    site = make_site(tmp_path, {}, toml)
    with pytest.raises(BuildFailed) as info:
        load_config(site)
    assert [p.format() for p in info.value.problems] == [expected]


def test_allowed_host_end_to_end(tmp_path):
    body = "Intro.\n\nhttps://charts.example.org/c/1\n\nhttps://other.example.org/c/1\n"
    files = {"content/a.md": article(body, takeaways=["One"])}
    site = make_site(tmp_path, files, '[embeds]\nallow = ["charts.example.org"]\n')
    code, _, err = run_build(site)
    assert code == 0, err
    html = read_output(site, "2024/01/a/index.html")
    assert 'data-embed-src="https://charts.example.org/c/1"' in html
    assert "<p>https://other.example.org/c/1</p>" in html  # not allowed: the text as written
    assert 'src="/js/embeds.' in html  # the page links the script that loads the frame
