"""Built-in backends of core (SQLite, JSON files, memory).

Each module is imported only when its backend is used; the registry names them by
``"module:attr"`` strings.
"""
