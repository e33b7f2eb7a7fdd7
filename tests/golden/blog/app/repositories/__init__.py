"""app/repositories/__init__.py: data access, one repository per resource.

Repositories are the only code that builds queries; they take and return
SQLAlchemy models (app/models) and turn database constraint failures into
the errors of app.core.errors. Services (app/services) use them.
"""
