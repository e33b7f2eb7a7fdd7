"""tests/test_loans.py: the loan operations, over HTTP, against a real database.

For each operation of the contract on loans: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match
from tests.contract import assert_conforms, assert_error


def test_list_member_loans(client: TestClient, records: Records) -> None:
    first = records.loan()
    second = records.loan(within=first)
    response = client.get(first.url("/members/{memberId}/loans"))
    assert_conforms(response, "listMemberLoans")
    ids = [item["id"] for item in response.json()]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_member_loans_pages(client: TestClient, records: Records) -> None:
    first = records.loan()
    records.loan(within=first)
    response = client.get(first.url("/members/{memberId}/loans"), params={"limit": 1})
    assert_conforms(response, "listMemberLoans")
    assert len(response.json()) == 1
    assert int(response.headers["X-Total-Count"]) == 2
    response = client.get(first.url("/members/{memberId}/loans"), params={"limit": 1, "offset": 2})
    assert_conforms(response, "listMemberLoans")
    assert response.json() == []


def test_list_member_loans_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.loan()
    response = client.get(first.url("/members/{memberId}/loans"), params={"limit": "many"})
    assert_error(response, "listMemberLoans", 400)


def test_create_member_loan(client: TestClient, records: Records) -> None:
    member_id = records.member()
    payload = records.loan_payload()
    url = PREFIX + "/members/{memberId}/loans".format(
        memberId=member_id.body["id"],
    )
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    assert_conforms(response, "createMemberLoan")
    assert_fields_match(payload, response.json())


def test_create_member_loan_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    member_id = records.member()
    url = PREFIX + "/members/{memberId}/loans".format(
        memberId=member_id.body["id"],
    )
    response = client.post(url, json={})
    assert_error(response, "createMemberLoan", 400)


def test_create_member_loan_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    member_id = records.member()
    url = PREFIX + "/members/{memberId}/loans".format(
        memberId=member_id.body["id"],
    )
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "createMemberLoan", 415)


def test_create_member_loan_under_a_missing_member(client: TestClient, records: Records) -> None:
    payload = records.loan_payload()
    url = PREFIX + f"/members/{987654321}/loans"
    response = client.post(url, json=payload)
    assert_error(response, "createMemberLoan", 404)


def test_get_member_loan(client: TestClient, records: Records) -> None:
    made = records.loan()
    response = client.get(made.url("/members/{memberId}/loans/{loanId}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getMemberLoan")
    assert response.json() == made.body


def test_get_member_loan_not_found(client: TestClient, records: Records) -> None:
    made = records.loan()
    response = client.get(
        made.url(
            "/members/{memberId}/loans/{loanId}", loanId="00000000-0000-4000-8000-000000000000"
        )
    )
    assert_error(response, "getMemberLoan", 404)


def test_delete_member_loan(client: TestClient, records: Records) -> None:
    made = records.loan()
    response = client.delete(made.url("/members/{memberId}/loans/{loanId}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteMemberLoan")
    assert_error(client.get(made.url("/members/{memberId}/loans/{loanId}")), "getMemberLoan", 404)
    again = client.delete(made.url("/members/{memberId}/loans/{loanId}"))
    assert_error(again, "deleteMemberLoan", 404)
