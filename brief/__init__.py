"""brief: a static-site generator for news-brief publications.

Importing the package imports nothing else: the ``brief`` command's guard against Ctrl-C
(brief.launch) starts only once this has run, and brief.launch installs the dataclass method
cache (brief.methodcache) inside it."""

__version__ = "0.1.0"
