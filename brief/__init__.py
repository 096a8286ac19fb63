"""brief: a static-site generator for news-brief publications."""

from brief.methodcache import install as _install_method_cache

_install_method_cache()  # (before any of brief's dataclasses is made: brief.methodcache)

__version__ = "0.1.0"
