"""app/api/__init__.py: the HTTP layer: routes, and the dependencies they are given.

app/api/router.py lists the routers of app/api/routes/; app.main includes each of them.
"""
