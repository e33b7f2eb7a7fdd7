"""app/api/routes/__init__.py: one module of routes per resource.

Each module holds an APIRouter for one area of the contract; app/api/router.py lists
them all, and app.main includes each.
"""
