"""factmark's domain: articles, their language, sentences and claims.

Pure Python: no SQLite, no Textual, and no I/O beyond decoding the bytes it is handed.
"""
