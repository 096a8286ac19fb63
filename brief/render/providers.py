"""The services brief can embed: how each one's URLs look, and the player and page URLs made from them.

Each matcher takes a URL's host (without ``www.``, ``m.`` or ``mobile.``) and parts, and
gives an :class:`Embed` when the URL is a single item of its service (a video, a post,
a chart), in its page form or its embed form; None otherwise. The URLs it gives are
rebuilt from the parts it matched (ids of known characters), never copied as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, quote, urlsplit

RATIOS = ("16:9", "4:3", "3:2", "1:1", "4:5", "3:4", "2:3", "9:16", "21:9")
"""Shapes an editor may give with ``ratio:``; the theme styles each (``.embed-frame[data-ratio]``)."""

_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"
_VIDEO_SANDBOX = _SANDBOX + " allow-presentation"
_VIDEO_ALLOW = "autoplay; encrypted-media; fullscreen; picture-in-picture"
_AUDIO_ALLOW = "autoplay; encrypted-media; clipboard-write"


@dataclass(frozen=True, slots=True)
class Provider:
    """A service whose pages can be embedded."""

    key: str
    """Short name, in the card's class: ``embed-youtube``."""
    name: str
    """As readers know it: "YouTube"."""
    noun: str
    """What is embedded: "video", "post", "chart"; the default iframe title is "YouTube video"."""
    link_text: str
    """The link to the provider's page: "Watch on YouTube"."""
    ratio: str
    """Default shape: one of :data:`RATIOS`, or "audio" (a one-track player) or "player" (a list)."""
    sandbox: str | None = _SANDBOX
    """The iframe's sandbox tokens; None for a provider whose player fails in a sandbox."""
    allow: str = ""
    """The iframe's ``allow`` (permissions its player asks for)."""
    timed: bool = False
    """Whether the player can start at a given second (``start:``)."""


@dataclass(frozen=True, slots=True)
class Embed:
    """A recognised URL: what to load on a click, and where the link without JavaScript goes."""

    provider: Provider
    src: str
    """The player's URL (the iframe's src)."""
    link: str
    """The provider's page for this item."""
    ratio: str
    start: int | None = None
    """Second the player starts at (YouTube, Vimeo)."""

    @property
    def host(self) -> str:
        """The host the player is loaded from."""
        return urlsplit(self.src).hostname or ""


YOUTUBE = Provider("youtube", "YouTube", "video", "Watch on YouTube", "16:9", _VIDEO_SANDBOX, _VIDEO_ALLOW, True)
VIMEO = Provider("vimeo", "Vimeo", "video", "Watch on Vimeo", "16:9", _VIDEO_SANDBOX, _VIDEO_ALLOW, True)
X = Provider("x", "X", "post", "View the post on X", "4:5")
BLUESKY = Provider("bluesky", "Bluesky", "post", "View the post on Bluesky", "4:5")
MASTODON = Provider("mastodon", "Mastodon", "post", "View the post on Mastodon", "4:5")
INSTAGRAM = Provider("instagram", "Instagram", "post", "View the post on Instagram", "3:4")
TIKTOK = Provider("tiktok", "TikTok", "video", "Watch on TikTok", "9:16", _VIDEO_SANDBOX, _VIDEO_ALLOW)
DATAWRAPPER = Provider("datawrapper", "Datawrapper", "chart", "Open the chart", "4:3")
FLOURISH = Provider("flourish", "Flourish", "chart", "Open the chart on Flourish", "4:3")
GOOGLE_MAPS = Provider("google-maps", "Google Maps", "map", "Open the map", "4:3", allow="fullscreen")
SOUNDCLOUD = Provider("soundcloud", "SoundCloud", "audio player", "Listen on SoundCloud", "audio", allow=_AUDIO_ALLOW)
SPOTIFY = Provider("spotify", "Spotify", "audio player", "Listen on Spotify", "audio", allow=_AUDIO_ALLOW)
PROVIDERS: tuple[Provider, ...] = (YOUTUBE, VIMEO, X, BLUESKY, MASTODON, INSTAGRAM, TIKTOK, DATAWRAPPER, FLOURISH)
PROVIDERS += (GOOGLE_MAPS, SOUNDCLOUD, SPOTIFY)


_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_TIME = re.compile(r"(?:(\d{1,2})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?")


def parse_time(text: str) -> int | None:
    """Seconds in a start time as YouTube writes it (``90``, ``90s``, ``1m30s``, ``1h2m3s``)
    or as a clock (``1:30``, ``1:02:03``); None when it is neither."""
    text = text.strip().lower()
    if re.fullmatch(r"\d{1,6}(:[0-5]\d){1,2}", text):
        seconds = 0
        for part in text.split(":"):
            seconds = seconds * 60 + int(part)
        return seconds
    match = _TIME.fullmatch(text)
    if not text or match is None:
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _youtube_src(video: str, start: int | None) -> str:
    return f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1" + (f"&start={start}" if start else "")


def _youtube_link(video: str, start: int | None) -> str:
    return f"https://www.youtube.com/watch?v={video}" + (f"&t={start}s" if start else "")


def _youtube(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    path = parts.path.rstrip("/")
    query = parse_qs(parts.query)
    if host == "youtu.be":
        video = path[1:]
    elif host in ("youtube.com", "music.youtube.com") and path == "/watch":
        video = query.get("v", [""])[0]
    elif host in ("youtube.com", "youtube-nocookie.com") and re.fullmatch(r"/(embed|shorts|live)/[^/]+", path):
        video = path.rsplit("/", 1)[1]
    else:
        return None
    if not _YOUTUBE_ID.fullmatch(video):
        return None
    if start is None:
        start = parse_time((query.get("t") or query.get("start") or [""])[0])
    ratio = "9:16" if path.startswith("/shorts/") else YOUTUBE.ratio
    return Embed(YOUTUBE, _youtube_src(video, start), _youtube_link(video, start), ratio, start or None)


def _vimeo(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    if host == "vimeo.com":
        match = re.fullmatch(r"/(\d{1,12})(?:/([0-9a-f]{6,20}))?/?", parts.path)
    elif host == "player.vimeo.com":
        match = re.fullmatch(r"/video/(\d{1,12})/?", parts.path)
    else:
        return None
    if match is None:
        return None
    video = match.group(1)
    secret = match.group(2) if host == "vimeo.com" else parse_qs(parts.query).get("h", [""])[0]
    if start is None:
        start = parse_time(parse_qs(parts.fragment).get("t", [""])[0])
    src = f"https://player.vimeo.com/video/{video}?"
    link = f"https://vimeo.com/{video}"
    if secret and re.fullmatch(r"[0-9a-f]{6,20}", secret):  # an unlisted video needs its hash
        src += f"h={secret}&"
        link += f"/{secret}"
    time = f"#t={start}s" if start else ""
    return Embed(VIMEO, src + "autoplay=1&dnt=1" + time, link + time, VIMEO.ratio, start or None)


def _x(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    if host == "platform.twitter.com" and parts.path == "/embed/Tweet.html":
        post, link = parse_qs(parts.query).get("id", [""])[0], ""
    elif host in ("x.com", "twitter.com"):
        match = re.fullmatch(r"/(?:([A-Za-z0-9_]{1,15})|i(?:/web)?)/status(?:es)?/(\d{1,20})(?:/.*)?", parts.path)
        if match is None:
            return None
        post = match.group(2)
        link = f"https://x.com/{match.group(1)}/status/{post}" if match.group(1) else ""
    else:
        return None
    if not re.fullmatch(r"\d{1,20}", post):
        return None
    src = f"https://platform.twitter.com/embed/Tweet.html?id={post}&dnt=true"
    return Embed(X, src, link or f"https://x.com/i/status/{post}", X.ratio)


_ACTOR = r"(did:[a-z]+:[A-Za-z0-9._:%-]{1,200}|[A-Za-z0-9][A-Za-z0-9.-]{0,252})"
_RKEY = r"([A-Za-z0-9._~-]{1,100})"


def _bluesky(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    if host == "bsky.app":
        match = re.fullmatch(rf"/profile/{_ACTOR}/post/{_RKEY}/?", parts.path)
    elif host == "embed.bsky.app":
        match = re.fullmatch(rf"/embed/{_ACTOR}/app\.bsky\.feed\.post/{_RKEY}/?", parts.path)
    else:
        return None
    if match is None:
        return None
    actor, post = match.groups()
    src = f"https://embed.bsky.app/embed/{actor}/app.bsky.feed.post/{post}"
    return Embed(BLUESKY, src, f"https://bsky.app/profile/{actor}/post/{post}", BLUESKY.ratio)


def _mastodon(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    # Any server: Mastodon is recognised by its path, /@user/123 (or /@user@other.server/123).
    match = re.fullmatch(r"/@([A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9.-]{1,253})?)/(\d{1,20})(/embed)?/?", parts.path)
    if match is None or parts.scheme.lower() != "https" or parts.port is not None:
        return None
    server = parts.hostname
    page = f"https://{server}/@{match.group(1)}/{match.group(2)}"
    return Embed(MASTODON, page + "/embed", page, MASTODON.ratio)


def _instagram(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    match = re.fullmatch(r"/(p|reel|tv)/([A-Za-z0-9_-]{5,40})(?:/embed(?:/captioned)?)?/?", parts.path)
    if host != "instagram.com" or match is None:
        return None
    kind, code = match.groups()
    page = f"https://www.instagram.com/{kind}/{code}/"
    return Embed(INSTAGRAM, page + "embed/", page, INSTAGRAM.ratio)


def _tiktok(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    if host != "tiktok.com":
        return None
    match = re.fullmatch(r"/@([A-Za-z0-9_.]{1,24})/video/(\d{1,25})/?", parts.path)
    if match is not None:
        user, video = match.groups()
        link = f"https://www.tiktok.com/@{user}/video/{video}"
    else:
        match = re.fullmatch(r"/embed(?:/v2)?/(\d{1,25})/?", parts.path)
        if match is None:
            return None
        video = match.group(1)
        link = f"https://www.tiktok.com/embed/v2/{video}"
    return Embed(TIKTOK, f"https://www.tiktok.com/embed/v2/{video}", link, TIKTOK.ratio)


def _datawrapper(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    path = parts.path.removesuffix("index.html")
    path += "" if path.endswith("/") else "/"
    if host == "datawrapper.dwcdn.net":
        match = re.fullmatch(r"/([A-Za-z0-9]{5})/(?:(\d{1,4})/)?", path)
    elif host == "datawrapper.de":
        match = re.fullmatch(r"/_/([A-Za-z0-9]{5})/()", path)
    else:
        return None
    if match is None:
        return None
    chart, version = match.groups()
    src = f"https://datawrapper.dwcdn.net/{chart}/" + (f"{version}/" if version else "")
    return Embed(DATAWRAPPER, src, src, DATAWRAPPER.ratio)


def _flourish(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    if host not in ("flo.uri.sh", "public.flourish.studio"):
        return None
    match = re.fullmatch(r"/(visualisation|story)/(\d{1,12})(?:/embed)?/?", parts.path)
    if match is None:
        return None
    kind, number = match.groups()
    src = f"https://flo.uri.sh/{kind}/{number}/embed"
    return Embed(FLOURISH, src, f"https://public.flourish.studio/{kind}/{number}/", FLOURISH.ratio)


def _google_maps(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    # Only the map Google's "Embed a map" gives (maps/embed?pb=…): a plain maps link stays a link.
    if host not in ("google.com", "maps.google.com") or not re.fullmatch(r"/maps/embed(/v1/[a-z]+)?", parts.path):
        return None
    if not parts.query or "#" in parts.query:
        return None
    src = f"https://www.google.com{parts.path}?{parts.query}"
    return Embed(GOOGLE_MAPS, src, src, GOOGLE_MAPS.ratio)


_SOUNDCLOUD_PATH = re.compile(r"/([A-Za-z0-9_-]{1,100})/(sets/)?([A-Za-z0-9_-]{1,200})/?")
_SOUNDCLOUD_API = re.compile(r"https://api\.soundcloud\.com/(tracks|playlists)/(\d{1,20})")


def _soundcloud(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    if host == "w.soundcloud.com" and parts.path.rstrip("/") == "/player":
        inner = parse_qs(parts.query).get("url", [""])[0]
        api = _SOUNDCLOUD_API.fullmatch(inner)
        if api is not None:  # the player of an API id has no page to link to but itself
            src = "https://w.soundcloud.com/player/?url=" + quote(inner, safe="")
            return Embed(SOUNDCLOUD, src, src, "audio" if api.group(1) == "tracks" else "player")
        inner_parts = urlsplit(inner)
        if inner_parts.scheme != "https" or (inner_parts.hostname or "").removeprefix("www.") != "soundcloud.com":
            return None
        return _soundcloud("soundcloud.com", inner_parts, None)
    match = _SOUNDCLOUD_PATH.fullmatch(parts.path)
    if host != "soundcloud.com" or match is None or match.group(3) == "sets":
        return None
    user, sets, name = match.groups()
    page = f"https://soundcloud.com/{user}/{sets or ''}{name}"
    src = "https://w.soundcloud.com/player/?url=" + quote(page, safe="")
    return Embed(SOUNDCLOUD, src, page, "player" if sets else "audio")


def _spotify(host: str, parts: SplitResult, start: int | None) -> Embed | None:
    match = re.fullmatch(
        r"(?:/intl-[a-z]{2}(?:-[A-Za-z]{2})?)?(/embed)?/(track|album|playlist|episode|show)/([A-Za-z0-9]{22})/?",
        parts.path,
    )
    if host != "open.spotify.com" or match is None:
        return None
    _, kind, item = match.groups()
    ratio = "audio" if kind in ("track", "episode") else "player"
    page = f"https://open.spotify.com/{kind}/{item}"
    return Embed(SPOTIFY, f"https://open.spotify.com/embed/{kind}/{item}", page, ratio)


MATCHERS = (
    _youtube,
    _vimeo,
    _x,
    _bluesky,
    _instagram,
    _tiktok,
    _datawrapper,
    _flourish,
    _google_maps,
    _soundcloud,
    _spotify,
    _mastodon,  # last: it looks at the path only
)
