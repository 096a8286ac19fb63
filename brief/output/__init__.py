"""Stage 5, output: rendered bytes → files, atomically.

In: pages, feeds and copies from stage 4. Out: a complete site in the output folder
(or in memory, for the preview and ``brief check``). ``writers`` refuses unsafe or
doubled paths and writes into a staging folder; ``outdir`` owns the output folder's
lock and the swap of the new site into place; ``parallel`` renders and writes pages
in worker processes; ``search`` indexes the written article pages with Pagefind.
"""
