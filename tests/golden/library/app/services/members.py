"""app/services/members.py: your code for member: created once, never overwritten.

MemberService is what the routes use (app/api/routes/members.py): every operation
generated in app/services/generated/members.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.members import MemberServiceBase


class MemberService(MemberServiceBase):
    """The member operations: the generated ones, and yours."""
