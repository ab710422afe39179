"""The store's one error type, importable without loading SQLite or sqlite-utils."""


class StoreError(Exception):
    """A problem with the database, worded for the person at the keyboard."""
