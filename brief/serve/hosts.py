"""Which Host and Origin the preview answers: its guard against DNS rebinding.

A web page from anywhere can make the browser send requests to ``127.0.0.1``, and by
pointing its own name at ``127.0.0.1`` (DNS rebinding) even read the answers, because
the browser takes them for its own site's. Such requests name the other site in their
``Host`` header. So the preview answers only requests for its own address:
``127.0.0.1``, ``localhost`` or ``[::1]`` with its port, the address given with
``--host``, any IP address when it listens on all of them (a numeric address cannot be
rebound), and the names given with ``--allow-host`` (for tunnels and VMs). A request
that comes from a page of another origin (an ``Origin`` header) is refused as well.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from brief.errors import BriefError

log = logging.getLogger("brief.serve")

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
MAX_LOGGED = 10
"""Refused hosts named in the terminal, each once (then one line saying that more are not)."""
_AUTHORITY = re.compile(r"\[([0-9a-f:.]+)\](?::(\d{1,5}))?|([^\s:\[\]/@\\?#\x00-\x1f\x7f]+)(?::(\d{1,5}))?")
_ORIGIN = re.compile(r"([a-z][a-z0-9+.-]*)://([^/?#]*)")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Allowed:
    """One ``--allow-host``: a name (``.example.org`` also allows its subdomains) and maybe a port."""

    name: str
    port: int | None

    def matches(self, name: str, port: int | None) -> bool:
        if self.port is not None and port != self.port:
            return False
        if self.name.startswith("."):
            return name == self.name[1:] or name.endswith(self.name)
        return name == self.name

    def __str__(self) -> str:
        shown = f"[{self.name}]" if ":" in self.name else self.name
        shown = f"*{shown}" if shown.startswith(".") else shown
        return f"{shown}:{self.port}" if self.port is not None else shown


def split_authority(value: str) -> tuple[str, int | None] | None:
    """``'[::1]:8000'`` → ``('::1', 8000)``, ``'Example.org'`` → ``('example.org', None)``; None when malformed."""
    match = _AUTHORITY.fullmatch(value.strip().lower())
    if match is None:
        return None
    name = match.group(1) or match.group(3)
    port_text = match.group(2) or match.group(4)
    port = int(port_text) if port_text is not None else None
    if port is not None and port > 65535:
        return None
    if match.group(1) is not None and not _is_ip(name):
        return None
    return name, port


def parse_allowed(value: str) -> Allowed:
    """An ``--allow-host`` value: ``NAME``, ``NAME:PORT``, ``[IPv6]:PORT`` or ``*.DOMAIN``."""
    text = value.strip().lower()
    wildcard = text.startswith(("*.", "."))
    parts = split_authority(text[text.index(".") + 1 :] if wildcard else text) if text else None
    if parts is None or "*" in parts[0] or (wildcard and _is_ip(parts[0])):
        raise BriefError(
            f"--allow-host {value!r} is not a host name (expected e.g. preview.example.test, "
            "preview.example.test:8443 or *.example.test, without http:// or a path)"
        )
    return Allowed("." + parts[0] if wildcard else parts[0], parts[1])


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _shown(name: str, port: int | None = None) -> str:
    host = f"[{name}]" if ":" in name else name
    return f"{host}:{port}" if port is not None else host


class HostPolicy:
    """Decides whether a request's Host and Origin are the preview's own (:meth:`refusal`)."""

    def __init__(self, bind_host: str, port: int, allowed: Iterable[str] = ()) -> None:
        self.port = port
        bind = bind_host.strip("[]").lower()
        self.any_ip = bind in WILDCARDS
        self.names = list(LOOPBACK) + ([bind] if bind not in LOOPBACK and not self.any_ip else [])
        self.allowed = [parse_allowed(value) for value in allowed]
        self._logged: set[str] = set()

    def describe(self) -> str:
        """The hosts answered, as a message lists them."""
        shown = [_shown(name, self.port) for name in self.names]
        if self.any_ip:
            shown.append(f"any IP address with port {self.port}")
        shown.extend(str(entry) for entry in self.allowed)
        return ", ".join(shown[:-1]) + " or " + shown[-1]

    def _ok(self, name: str, port: int | None, any_ip: bool) -> bool:
        own_port = port == self.port or (port is None and self.port == 80)
        if own_port and (name in self.names or (any_ip and _is_ip(name))):
            return True
        return any(entry.matches(name, port) for entry in self.allowed)

    def refusal(self, host: str | None, origin: str | None) -> str | None:
        """None when the request may be answered, else the one-line reason to send back."""
        if host is None:
            return self._refuse("", f"the request has no Host header; this preview answers only {self.describe()}")
        parts = split_authority(host)
        if parts is None or not self._ok(*parts, any_ip=self.any_ip):
            return self._refuse(
                host,
                f"this preview answers only {self.describe()}, not Host {host!r} (a guard against DNS rebinding)",
                self._hint(*parts) if parts is not None else None,
            )
        if origin is None:
            return None
        match = _ORIGIN.fullmatch(origin.strip().lower())
        scheme = match.group(1) if match else ""
        found = split_authority(match.group(2)) if match and scheme in _DEFAULT_PORTS else None
        if found is not None:
            name, port = found
            port = _DEFAULT_PORTS[scheme] if port is None else port
            if (name == parts[0] and parts[1] in (None, port)) or self._ok(name, port, any_ip=False):
                return None
        return self._refuse(
            origin,
            f"a page from {origin!r} may not use this preview, only its own pages (a guard against other sites reading it)",
            self._hint(*found) if found is not None else None,
        )

    def _hint(self, name: str, port: int | None) -> str:
        """What to pass to --allow-host: the name, with the port when the name is allowed on another port."""
        known = name in self.names or any(entry.matches(name, entry.port) for entry in self.allowed)
        return _shown(name, port if known else None)

    def _refuse(self, what: str, reason: str, hint: str | None = None) -> str:
        message = f"Forbidden: {reason}"
        if hint is not None:
            message += f"; to allow it, start the preview with 'brief serve --allow-host {hint}'"
        if what not in self._logged and len(self._logged) <= MAX_LOGGED:
            if len(self._logged) < MAX_LOGGED:
                log.warning("Refused a request: %s", message.removeprefix("Forbidden: "))
            else:
                log.warning("Refused requests for more hosts (not shown one by one)")
            self._logged.add(what)
        return message
