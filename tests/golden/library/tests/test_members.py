"""tests/test_members.py: the member operations, over HTTP, against a real database.

For each operation of the contract on members: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match, query_value
from tests.contract import assert_conforms, assert_error


def test_list_members(client: TestClient, records: Records) -> None:
    first = records.member()
    second = records.member(within=first)
    response = client.get(first.url("/members"))
    assert_conforms(response, "listMembers")
    ids = [item["id"] for item in response.json()]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_members_pages(client: TestClient, records: Records) -> None:
    first = records.member()
    records.member(within=first)
    response = client.get(first.url("/members"), params={"limit": 1})
    assert_conforms(response, "listMembers")
    assert len(response.json()) == 1
    assert int(response.headers["X-Total-Count"]) == 2
    response = client.get(first.url("/members"), params={"limit": 1, "offset": 2})
    assert_conforms(response, "listMembers")
    assert response.json() == []


def test_list_members_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.member()
    response = client.get(first.url("/members"), params={"limit": "many"})
    assert_error(response, "listMembers", 400)


def test_list_members_filters_by_email(client: TestClient, records: Records) -> None:
    first = records.member()
    records.member(within=first)
    wanted = first.body["email"]
    response = client.get(first.url("/members"), params={"email": query_value(wanted)})
    assert_conforms(response, "listMembers")
    items = response.json()
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["email"] == wanted for item in items)


def test_list_members_filters_by_membership_tier(client: TestClient, records: Records) -> None:
    first = records.member()
    records.member(within=first)
    wanted = first.body["membershipTier"]
    response = client.get(first.url("/members"), params={"membershipTier": query_value(wanted)})
    assert_conforms(response, "listMembers")
    items = response.json()
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["membershipTier"] == wanted for item in items)


def test_create_member(client: TestClient, records: Records) -> None:
    payload = records.member_payload()
    url = PREFIX + "/members".format()
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    assert_conforms(response, "createMember")
    assert_fields_match(payload, response.json())


def test_create_member_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    url = PREFIX + "/members".format()
    response = client.post(url, json={})
    assert_error(response, "createMember", 400)


def test_create_member_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    url = PREFIX + "/members".format()
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "createMember", 415)


def test_create_member_refuses_a_duplicate_email(client: TestClient, records: Records) -> None:
    first = records.member()
    payload = records.member_payload({"email": first.body["email"]}, within=first)
    response = client.post(first.url("/members"), json=payload)
    assert_error(response, "createMember", 409)


def test_get_member(client: TestClient, records: Records) -> None:
    made = records.member()
    response = client.get(made.url("/members/{memberId}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getMember")
    assert response.json() == made.body


def test_get_member_not_found(client: TestClient, records: Records) -> None:
    made = records.member()
    response = client.get(made.url("/members/{memberId}", memberId=987654321))
    assert_error(response, "getMember", 404)


def test_delete_member(client: TestClient, records: Records) -> None:
    made = records.member()
    response = client.delete(made.url("/members/{memberId}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteMember")
    assert_error(client.get(made.url("/members/{memberId}")), "getMember", 404)
    again = client.delete(made.url("/members/{memberId}"))
    assert_error(again, "deleteMember", 404)


def test_update_member(client: TestClient, records: Records) -> None:
    made = records.member()
    fresh = records.member_payload(within=made)
    changes = {
        name: fresh[name]
        for name in ["name", "email", "membershipTier"]
        if name in fresh and fresh[name] != made.body.get(name)
    }
    assert changes, "the samples should differ in at least one field"
    name, value = next(iter(changes.items()))
    response = client.patch(made.url("/members/{memberId}"), json={name: value})
    assert response.status_code == 200, response.text
    assert_conforms(response, "updateMember")
    assert response.json()[name] == value
    unchanged = {
        k: v for k, v in made.body.items() if k != name and not k.lower().startswith("updated")
    }
    assert_fields_match(unchanged, response.json())


def test_update_member_not_found(client: TestClient, records: Records) -> None:
    made = records.member()
    fresh = records.member_payload(within=made)
    body = {name: fresh[name] for name in ["name", "email", "membershipTier"] if name in fresh}
    response = client.patch(made.url("/members/{memberId}", memberId=987654321), json=body)
    assert_error(response, "updateMember", 404)
