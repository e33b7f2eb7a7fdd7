"""app/api/router.py: every route of the service, in one router.

Includes the router of each module in app/api/routes/, and your own routes
(app/api/routes/custom.py); app.main mounts the result under the API prefix
(/v1).
"""

from __future__ import annotations

from fastapi import APIRouter

from app.api.routes import authors, books, custom, loans, members

api_router = APIRouter()
api_router.include_router(authors.router)
api_router.include_router(books.router)
api_router.include_router(loans.router)
api_router.include_router(members.router)
api_router.include_router(custom.router)
