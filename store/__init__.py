"""factmark's database: articles, claims and the verdict log, on SQLite via sqlite-utils.

No Textual here: the CLI's fast commands and other tools can use the store alone.
"""
