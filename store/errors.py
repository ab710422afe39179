"""The store's error types, importable without loading SQLite or sqlite-utils."""


class StoreError(Exception):
    """A problem with the database, worded for the person at the keyboard (one line)."""


class StoreBusy(StoreError):
    """Another program holds the database's write lock; trying again later may work."""


class DiskFull(StoreError):
    """The disk holding the database (or a file being written) has no space left."""


class ReadOnly(StoreError):
    """The database, or the folder it lives in, cannot be written."""
