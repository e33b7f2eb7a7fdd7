"""tests/__init__.py: the test suite of the Blog API.

Run with `pytest`; conftest.py sets up the database and the client, contract.py
checks responses against the contract, one module per resource tests its routes.
"""
