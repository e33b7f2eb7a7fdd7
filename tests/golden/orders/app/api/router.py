"""app/api/router.py: every route of the service, in one router.

Includes the router of each module in app/api/routes/, and your own routes
(app/api/routes/custom.py); app.main mounts the result under the API prefix
(/api/v1).
"""

from __future__ import annotations

from fastapi import APIRouter

from app.api.routes import custom, customers, jobs, orders, products

api_router = APIRouter()
api_router.include_router(customers.router)
api_router.include_router(jobs.router)
api_router.include_router(orders.router)
api_router.include_router(products.router)
api_router.include_router(custom.router)
