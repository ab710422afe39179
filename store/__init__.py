"""factmark's database: articles, claims and the verdict log, on SQLite via sqlite-utils.

No Textual here: the CLI's fast commands and other tools can use the store alone.

Errors: StoreError (store/errors.py) is the store's own error, one line worded for the
person at the keyboard; each public function's docstring names the StoreErrors (and
others, such as ValueError) it raises of its own. A function that writes to the
database also raises what `Store.write` raises: ReadOnly (a store opened read-only, a
file or folder that cannot be written), StoreBusy (the write lock stayed taken),
DiskFull, or StoreError for any other database error. Reading a damaged file may raise
sqlite3.Error anywhere; `database.describe` words it as a StoreError, as the command
line does for every command.
"""
