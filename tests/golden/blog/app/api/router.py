"""app/api/router.py: every route of the service, in one router.

Includes the router of each module in app/api/routes/, and your own routes
(app/api/routes/custom.py); app.main mounts the result under the API prefix
(/api).
"""

from __future__ import annotations

from fastapi import APIRouter

from app.api.routes import articles, auth, comments, custom, users

api_router = APIRouter()
api_router.include_router(articles.router)
api_router.include_router(auth.router)
api_router.include_router(comments.router)
api_router.include_router(users.router)
api_router.include_router(custom.router)
