"""The code a person (or the scripted model of tests/test_agent_seam.py) writes into the two
stubs of tests/contracts/loans: a loan's monthly payment and a quote, by the annuity formula.

``written(path, stub)`` is the stub file's text with its ``raise NotWritten(...)`` replaced
by a real body, the rest (header, docstring with the contract, signature) kept.

Example::

    text = written("app/operations/quote_loan.py", stub_text)
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"    raise NotWritten\(\n(?:        .*\n)*    \)\n", re.MULTILINE)

_ANNUITY = '''def annuity(principal: float, annual_rate_percent: float, months: int) -> Payment:
    """The fixed monthly payment that repays ``principal`` over ``months``, and the interest.

    An annuity: principal * r * g / (g - 1), r the monthly rate and g = (1 + r) ** months;
    principal / months when g is 1 (no interest, or a rate too small to count).
    """
    rate = annual_rate_percent / 100 / 12
    growth = (1 + rate) ** months
    exact = principal / months if growth == 1 else principal * rate * growth / (growth - 1)
    monthly = round(exact, 2)
    # Rounding to cents can make the total a cent short of the principal: no negative interest.
    interest = max(0.0, round(monthly * months - principal, 2))
    return Payment(monthlyPayment=monthly, totalInterest=interest)


'''

_BODIES = {
    "app/operations/quote_loan.py": (
        "",
        "    return annuity(body.principal, body.annual_rate_percent, body.months)\n",
    ),
    "app/operations/get_loan_payment.py": (
        "from app.core.errors import NotFound\n"
        "from app.models.loans import Loan\n"
        "from app.operations.quote_loan import annuity\n",
        "    loan = await session.get(Loan, loan_id)\n"
        "    if loan is None:\n"
        '        raise NotFound(f"loan {loan_id} does not exist")\n'
        "    return annuity(loan.principal, loan.annual_rate_percent, loan.months)\n",
    ),
}


def written(path: str, stub: str) -> str:
    """The stub at ``path`` (its text ``stub``), written."""
    imports, body = _BODIES[path]
    text, replaced = _MARKER.subn(body, stub)
    assert replaced == 1, f"no `raise NotWritten(...)` in {path}"
    text = text.replace("from app.core.handwritten import NotWritten\n", imports)
    if path.endswith("quote_loan.py"):
        text = text.replace("\n\nasync def ", "\n\n" + _ANNUITY + "async def ", 1)
    return text
