"""app/schemas/loans.py: schemas of the loans resource.

Pydantic models of the contract's Loan, LoanInput. Routes validate request bodies with them
and services build responses with them; property names, constraints and formats are the
contract's.
"""

from __future__ import annotations

import datetime
import uuid

from pydantic import AwareDatetime, Field

from app.schemas.base import (
    ApiModel,
    ClosedApiModel,
    Integer,
)


class Loan(ApiModel):
    """A book lent to a member."""

    id: uuid.UUID

    member_id: Integer = Field(alias="memberId", ge=-9223372036854775808, le=9223372036854775807)
    """Id of the borrowing member (the one in the path)."""

    book_id: Integer = Field(alias="bookId", ge=1, le=9223372036854775807)

    loaned_at: AwareDatetime = Field(alias="loanedAt")
    """When the loan was recorded."""

    due_date: datetime.date = Field(alias="dueDate")

    returned_at: AwareDatetime | None = Field(alias="returnedAt")
    """When the book came back; null while the loan is open."""


class LoanInput(ClosedApiModel):
    """The fields of a new loan. The member is given by the path."""

    book_id: Integer = Field(alias="bookId", ge=1, le=9223372036854775807)
    """Id of the book lent."""

    due_date: datetime.date = Field(alias="dueDate")
    """Date by which the book must be returned; today or later."""
