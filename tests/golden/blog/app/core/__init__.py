"""app/core/__init__.py: cross-cutting infrastructure of the service.

Settings (config), the database engine (db), error responses (errors), the
served contract (contract) and structured logging (logging). Imported by
app.main and by the layers that need them; nothing here imports app.api.
"""
