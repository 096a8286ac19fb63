"""brief: a static-site generator for news-brief publications."""

__version__ = "0.1.0"
