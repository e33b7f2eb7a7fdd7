"""app/schemas/__init__.py: Pydantic models of the contract's request and response bodies.

app/schemas/base.py holds the shared base class and value types; one module per
resource holds its models; common.py holds models several resources share.
Routes validate requests with them; services build responses with them.
"""
