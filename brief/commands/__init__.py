"""The commands besides the preview: consumers of the pipeline, never part of it.

In: the site's folder and the command's options. Out: what the command prints and its
exit code (``brief.cli`` prints); files only where the command's job is to write them.

``build`` is ``brief build`` around :func:`brief.build.build` (the "up to date"
check, the on-disk cache); ``check`` is ``brief check`` (builds in memory, then
reads every page back) and ``report`` prints its findings as text, JSON or GitHub
annotations; ``related`` explains related-article scores; ``scaffold`` writes new
sites and articles; ``progress`` is the terminal's progress bar.
"""
