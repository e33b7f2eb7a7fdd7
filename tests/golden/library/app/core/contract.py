"""app/core/contract.py: the API contract this service implements, as served.

The OpenAPI document pactcoder built this service from (docs/ with overlays
applied, in one document), kept as the JSON it is served as. app.main serves
it at /v1/openapi.json so that clients see exactly the contract,
app.core.errors looks up an operation's documented answers in it, and
tests/contract.py checks every response against it. Edit the contract in docs/
and rebuild rather than this file.
"""

from __future__ import annotations

import json
from typing import Any

CONTRACT: dict[str, Any] = json.loads(
    r"""
{
    "openapi": "3.0.3",
    "info": {
        "title": "Lending Library API",
        "version": "1.0.0",
        "description": "Public API of a small lending library: its catalogue of authors and books,\nits members, and the loans that members take out.\n\nConventions used throughout this contract:\n\n* JSON property names are camelCase.\n* Fields marked `readOnly` are set by the server; they are ignored if a\n  client sends them in a request body.\n* Collections are returned as plain JSON arrays. They are paged with\n  `limit` and `offset`; the `X-Total-Count` response header carries the\n  number of items matching the filters, regardless of paging.\n* Every error response has an `Error` body. Requests that fail validation\n  (malformed JSON, a missing or ill-formed field, an unknown property, an\n  out-of-range query parameter, a reference to a record that does not\n  exist) are answered with `400 Bad Request`.\n* Timestamps are RFC 3339 date-times in UTC; dates are RFC 3339 full-dates.\n",
        "contact": {
            "name": "Library Systems Team",
            "email": "systems@library.example.org"
        },
        "license": {
            "name": "Apache 2.0",
            "url": "https://www.apache.org/licenses/LICENSE-2.0.html"
        }
    },
    "servers": [
        {
            "url": "https://api.library.example.org/v1",
            "description": "Production"
        },
        {
            "url": "http://localhost:8000/v1",
            "description": "Local development"
        }
    ],
    "tags": [
        {
            "name": "authors",
            "description": "People who wrote the books in the catalogue."
        },
        {
            "name": "books",
            "description": "The library's catalogue. Each record is one lendable copy."
        },
        {
            "name": "members",
            "description": "People registered to borrow books."
        },
        {
            "name": "loans",
            "description": "Books lent to a member."
        }
    ],
    "paths": {
        "/authors": {
            "get": {
                "operationId": "listAuthors",
                "summary": "List authors",
                "description": "Returns authors ordered by name, then by id.",
                "tags": [
                    "authors"
                ],
                "parameters": [
                    {
                        "$ref": "#/components/parameters/Limit"
                    },
                    {
                        "$ref": "#/components/parameters/Offset"
                    },
                    {
                        "name": "name",
                        "in": "query",
                        "description": "Only authors whose name contains this text (case-insensitive).",
                        "required": false,
                        "schema": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 200
                        }
                    }
                ],
                "responses": {
                    "200": {
                        "description": "A page of authors.",
                        "headers": {
                            "X-Total-Count": {
                                "$ref": "#/components/headers/XTotalCount"
                            }
                        },
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {
                                        "$ref": "#/components/schemas/Author"
                                    }
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    }
                }
            },
            "post": {
                "operationId": "createAuthor",
                "summary": "Add an author",
                "tags": [
                    "authors"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/AuthorInput"
                            }
                        }
                    }
                },
                "responses": {
                    "201": {
                        "description": "The author was created.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Author"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    }
                }
            }
        },
        "/authors/{authorId}": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/AuthorId"
                }
            ],
            "get": {
                "operationId": "getAuthor",
                "summary": "Get an author",
                "tags": [
                    "authors"
                ],
                "responses": {
                    "200": {
                        "description": "The author.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Author"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            },
            "put": {
                "operationId": "replaceAuthor",
                "summary": "Replace an author",
                "description": "Replaces every writable field of the author. Optional fields left out of the request are cleared.\n",
                "tags": [
                    "authors"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/AuthorInput"
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "The updated author.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Author"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            },
            "delete": {
                "operationId": "deleteAuthor",
                "summary": "Delete an author",
                "description": "Deletes an author. An author who still has books in the catalogue cannot be deleted; delete or reassign those books first.\n",
                "tags": [
                    "authors"
                ],
                "responses": {
                    "204": {
                        "description": "The author was deleted."
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    }
                }
            }
        },
        "/books": {
            "get": {
                "operationId": "listBooks",
                "summary": "List books",
                "description": "Returns books matching every given filter, in the order set by `sort`.",
                "tags": [
                    "books"
                ],
                "parameters": [
                    {
                        "$ref": "#/components/parameters/Limit"
                    },
                    {
                        "$ref": "#/components/parameters/Offset"
                    },
                    {
                        "name": "genre",
                        "in": "query",
                        "description": "Only books of this genre.",
                        "required": false,
                        "schema": {
                            "$ref": "#/components/schemas/Genre"
                        }
                    },
                    {
                        "name": "authorId",
                        "in": "query",
                        "description": "Only books by this author.",
                        "required": false,
                        "schema": {
                            "type": "integer",
                            "format": "int64",
                            "minimum": 1
                        }
                    },
                    {
                        "name": "available",
                        "in": "query",
                        "description": "Only books that are (`true`) or are not (`false`) available for loan.",
                        "required": false,
                        "schema": {
                            "type": "boolean"
                        }
                    },
                    {
                        "name": "tag",
                        "in": "query",
                        "description": "Only books carrying this tag.",
                        "required": false,
                        "schema": {
                            "$ref": "#/components/schemas/Tag"
                        }
                    },
                    {
                        "name": "sort",
                        "in": "query",
                        "description": "Sort order. A leading `-` sorts descending. Ties are broken by id, so paging through the results is stable.\n",
                        "required": false,
                        "schema": {
                            "type": "string",
                            "enum": [
                                "title",
                                "-title",
                                "publishedYear",
                                "-publishedYear"
                            ],
                            "default": "title"
                        }
                    }
                ],
                "responses": {
                    "200": {
                        "description": "A page of books.",
                        "headers": {
                            "X-Total-Count": {
                                "$ref": "#/components/headers/XTotalCount"
                            }
                        },
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {
                                        "$ref": "#/components/schemas/Book"
                                    }
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    }
                }
            },
            "post": {
                "operationId": "createBook",
                "summary": "Add a book",
                "description": "Adds a book to the catalogue. `authorId` must refer to an existing author (otherwise 400). The ISBN must not already be in the catalogue (otherwise 409). A new book is available for loan.\n",
                "tags": [
                    "books"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/BookInput"
                            }
                        }
                    }
                },
                "responses": {
                    "201": {
                        "description": "The book was created.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Book"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    }
                }
            }
        },
        "/books/{bookId}": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/BookId"
                }
            ],
            "get": {
                "operationId": "getBook",
                "summary": "Get a book",
                "tags": [
                    "books"
                ],
                "responses": {
                    "200": {
                        "description": "The book.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Book"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            },
            "put": {
                "operationId": "replaceBook",
                "summary": "Replace a book",
                "description": "Replaces every writable field of the book. Omitted `tags` are cleared. The same rules as for creation apply to `authorId` and `isbn`.\n",
                "tags": [
                    "books"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/BookInput"
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "The updated book.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Book"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    }
                }
            },
            "delete": {
                "operationId": "deleteBook",
                "summary": "Delete a book",
                "description": "Removes a book from the catalogue, together with its past loans. A book that is currently on loan cannot be deleted.\n",
                "tags": [
                    "books"
                ],
                "responses": {
                    "204": {
                        "description": "The book was deleted."
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    }
                }
            }
        },
        "/members": {
            "get": {
                "operationId": "listMembers",
                "summary": "List members",
                "description": "Returns members ordered by the date they joined, oldest first.",
                "tags": [
                    "members"
                ],
                "parameters": [
                    {
                        "$ref": "#/components/parameters/Limit"
                    },
                    {
                        "$ref": "#/components/parameters/Offset"
                    },
                    {
                        "name": "email",
                        "in": "query",
                        "description": "Only the member with this email address (compared case-insensitively).",
                        "required": false,
                        "schema": {
                            "type": "string",
                            "format": "email",
                            "maxLength": 254
                        }
                    },
                    {
                        "name": "membershipTier",
                        "in": "query",
                        "description": "Only members of this tier.",
                        "required": false,
                        "schema": {
                            "$ref": "#/components/schemas/MembershipTier"
                        }
                    }
                ],
                "responses": {
                    "200": {
                        "description": "A page of members.",
                        "headers": {
                            "X-Total-Count": {
                                "$ref": "#/components/headers/XTotalCount"
                            }
                        },
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {
                                        "$ref": "#/components/schemas/Member"
                                    }
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    }
                }
            },
            "post": {
                "operationId": "createMember",
                "summary": "Register a member",
                "description": "Registers a new member. Email addresses are unique across members, compared case-insensitively; registering an address already in use returns 409.\n",
                "tags": [
                    "members"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/MemberInput"
                            }
                        }
                    }
                },
                "responses": {
                    "201": {
                        "description": "The member was registered.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Member"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    }
                }
            }
        },
        "/members/{memberId}": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/MemberId"
                }
            ],
            "get": {
                "operationId": "getMember",
                "summary": "Get a member",
                "tags": [
                    "members"
                ],
                "responses": {
                    "200": {
                        "description": "The member.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Member"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            },
            "patch": {
                "operationId": "updateMember",
                "summary": "Update a member",
                "description": "Changes only the fields present in the request; the others keep their values. Changing the email to one used by another member returns 409.\n",
                "tags": [
                    "members"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/MemberPatch"
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "The updated member.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Member"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    }
                }
            },
            "delete": {
                "operationId": "deleteMember",
                "summary": "Delete a member",
                "description": "Deletes a member and their loan history. A member who still has a book on loan cannot be deleted.\n",
                "tags": [
                    "members"
                ],
                "responses": {
                    "204": {
                        "description": "The member was deleted."
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    }
                }
            }
        },
        "/members/{memberId}/loans": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/MemberId"
                }
            ],
            "get": {
                "operationId": "listMemberLoans",
                "summary": "List a member's loans",
                "description": "Returns the member's loans, most recent first.",
                "tags": [
                    "loans"
                ],
                "parameters": [
                    {
                        "$ref": "#/components/parameters/Limit"
                    },
                    {
                        "$ref": "#/components/parameters/Offset"
                    }
                ],
                "responses": {
                    "200": {
                        "description": "A page of the member's loans.",
                        "headers": {
                            "X-Total-Count": {
                                "$ref": "#/components/headers/XTotalCount"
                            }
                        },
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {
                                        "$ref": "#/components/schemas/Loan"
                                    }
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            },
            "post": {
                "operationId": "createMemberLoan",
                "summary": "Lend a book to a member",
                "description": "Records that the member has borrowed a book. `bookId` must refer to an existing book (otherwise 400) and `dueDate` must not be in the past (otherwise 400). A book that is already on loan returns 409, as does a member who already holds as many books as their membership tier allows. While the loan is open the book's `available` flag is `false`.\n",
                "tags": [
                    "loans"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/LoanInput"
                            }
                        }
                    }
                },
                "responses": {
                    "201": {
                        "description": "The loan was recorded.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Loan"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    }
                }
            }
        },
        "/members/{memberId}/loans/{loanId}": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/MemberId"
                },
                {
                    "$ref": "#/components/parameters/LoanId"
                }
            ],
            "get": {
                "operationId": "getMemberLoan",
                "summary": "Get one of a member's loans",
                "description": "A loan that exists but belongs to another member is reported as not found.",
                "tags": [
                    "loans"
                ],
                "responses": {
                    "200": {
                        "description": "The loan.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Loan"
                                }
                            }
                        }
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            },
            "delete": {
                "operationId": "deleteMemberLoan",
                "summary": "Delete a loan",
                "description": "Deletes the loan record, for instance one recorded by mistake. If the loan was open, the book becomes available again.\n",
                "tags": [
                    "loans"
                ],
                "responses": {
                    "204": {
                        "description": "The loan was deleted."
                    },
                    "400": {
                        "$ref": "#/components/responses/BadRequest"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            }
        }
    },
    "components": {
        "parameters": {
            "Limit": {
                "name": "limit",
                "in": "query",
                "description": "Maximum number of items to return.",
                "required": false,
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 100,
                    "default": 20
                }
            },
            "Offset": {
                "name": "offset",
                "in": "query",
                "description": "Number of matching items to skip before the first one returned.",
                "required": false,
                "schema": {
                    "type": "integer",
                    "minimum": 0,
                    "default": 0
                }
            },
            "AuthorId": {
                "name": "authorId",
                "in": "path",
                "description": "Id of the author.",
                "required": true,
                "schema": {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 1
                }
            },
            "BookId": {
                "name": "bookId",
                "in": "path",
                "description": "Id of the book.",
                "required": true,
                "schema": {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 1
                }
            },
            "MemberId": {
                "name": "memberId",
                "in": "path",
                "description": "Id of the member.",
                "required": true,
                "schema": {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 1
                }
            },
            "LoanId": {
                "name": "loanId",
                "in": "path",
                "description": "Id of the loan.",
                "required": true,
                "schema": {
                    "type": "string",
                    "format": "uuid"
                }
            }
        },
        "headers": {
            "XTotalCount": {
                "description": "Number of items matching the request's filters, ignoring `limit` and `offset`.",
                "schema": {
                    "type": "integer",
                    "minimum": 0
                }
            }
        },
        "responses": {
            "BadRequest": {
                "description": "The request is malformed or fails validation.",
                "content": {
                    "application/json": {
                        "schema": {
                            "$ref": "#/components/schemas/Error"
                        },
                        "example": {
                            "code": 400,
                            "message": "isbn: must match pattern ^97[89][0-9]{10}$"
                        }
                    }
                }
            },
            "NotFound": {
                "description": "The resource, or a resource in its path, does not exist.",
                "content": {
                    "application/json": {
                        "schema": {
                            "$ref": "#/components/schemas/Error"
                        },
                        "example": {
                            "code": 404,
                            "message": "Book 42 not found"
                        }
                    }
                }
            },
            "Conflict": {
                "description": "The request conflicts with the current state of the library.",
                "content": {
                    "application/json": {
                        "schema": {
                            "$ref": "#/components/schemas/Error"
                        },
                        "example": {
                            "code": 409,
                            "message": "Book 42 is already on loan"
                        }
                    }
                }
            }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "description": "Body of every error response.",
                "required": [
                    "code",
                    "message"
                ],
                "properties": {
                    "code": {
                        "type": "integer",
                        "description": "The HTTP status code of the response, repeated for clients that only see the body.",
                        "minimum": 400,
                        "maximum": 599,
                        "example": 404
                    },
                    "message": {
                        "type": "string",
                        "description": "A human-readable explanation, in English, meant for developers rather than end users.",
                        "example": "Author 7 not found"
                    }
                }
            },
            "Genre": {
                "type": "string",
                "description": "Shelf classification of a book.",
                "enum": [
                    "fiction",
                    "non-fiction",
                    "mystery",
                    "science-fiction",
                    "fantasy",
                    "biography",
                    "history",
                    "poetry",
                    "children",
                    "reference"
                ]
            },
            "Tag": {
                "type": "string",
                "description": "A free-form keyword in lowercase letters, digits and hyphens.",
                "minLength": 1,
                "maxLength": 30,
                "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                "example": "space-opera"
            },
            "MembershipTier": {
                "type": "string",
                "description": "The member's subscription level. `student` and `standard` members may hold up to 3 books at once, `premium` members up to 10.\n",
                "enum": [
                    "student",
                    "standard",
                    "premium"
                ]
            },
            "AuthorInput": {
                "type": "object",
                "description": "The writable fields of an author.",
                "additionalProperties": false,
                "required": [
                    "name"
                ],
                "properties": {
                    "name": {
                        "type": "string",
                        "description": "The author's name as printed on the cover.",
                        "minLength": 1,
                        "maxLength": 200,
                        "example": "Ursula K. Le Guin"
                    },
                    "bio": {
                        "type": "string",
                        "nullable": true,
                        "description": "A short biography.",
                        "maxLength": 2000
                    },
                    "website": {
                        "type": "string",
                        "format": "uri",
                        "nullable": true,
                        "description": "The author's official website, if any.",
                        "maxLength": 2048,
                        "example": "https://www.ursulakleguin.com"
                    }
                }
            },
            "Author": {
                "type": "object",
                "description": "An author in the catalogue.",
                "required": [
                    "id",
                    "name",
                    "bio",
                    "website",
                    "createdAt",
                    "updatedAt"
                ],
                "properties": {
                    "id": {
                        "type": "integer",
                        "format": "int64",
                        "readOnly": true,
                        "example": 7
                    },
                    "name": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 200,
                        "example": "Ursula K. Le Guin"
                    },
                    "bio": {
                        "type": "string",
                        "nullable": true,
                        "maxLength": 2000
                    },
                    "website": {
                        "type": "string",
                        "format": "uri",
                        "nullable": true,
                        "maxLength": 2048
                    },
                    "createdAt": {
                        "type": "string",
                        "format": "date-time",
                        "readOnly": true
                    },
                    "updatedAt": {
                        "type": "string",
                        "format": "date-time",
                        "readOnly": true
                    }
                }
            },
            "BookInput": {
                "type": "object",
                "description": "The writable fields of a book.",
                "additionalProperties": false,
                "required": [
                    "authorId",
                    "isbn",
                    "title",
                    "publishedYear",
                    "genre"
                ],
                "properties": {
                    "authorId": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1,
                        "description": "Id of the book's author.",
                        "example": 7
                    },
                    "isbn": {
                        "type": "string",
                        "description": "The ISBN-13, digits only, without hyphens or spaces. Unique in the catalogue.",
                        "pattern": "^97[89][0-9]{10}$",
                        "example": "9780441478125"
                    },
                    "title": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 300,
                        "example": "The Left Hand of Darkness"
                    },
                    "publishedYear": {
                        "type": "integer",
                        "description": "Year of first publication of this edition.",
                        "minimum": 1450,
                        "maximum": 2100,
                        "example": 1969
                    },
                    "genre": {
                        "$ref": "#/components/schemas/Genre"
                    },
                    "tags": {
                        "type": "array",
                        "description": "Keywords to help members find the book. Defaults to no tags.",
                        "maxItems": 10,
                        "uniqueItems": true,
                        "default": [],
                        "items": {
                            "$ref": "#/components/schemas/Tag"
                        }
                    }
                }
            },
            "Book": {
                "type": "object",
                "description": "A book in the catalogue.",
                "required": [
                    "id",
                    "authorId",
                    "isbn",
                    "title",
                    "publishedYear",
                    "genre",
                    "tags",
                    "available",
                    "createdAt",
                    "updatedAt"
                ],
                "properties": {
                    "id": {
                        "type": "integer",
                        "format": "int64",
                        "readOnly": true,
                        "example": 42
                    },
                    "authorId": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1,
                        "example": 7
                    },
                    "isbn": {
                        "type": "string",
                        "pattern": "^97[89][0-9]{10}$",
                        "example": "9780441478125"
                    },
                    "title": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 300,
                        "example": "The Left Hand of Darkness"
                    },
                    "publishedYear": {
                        "type": "integer",
                        "minimum": 1450,
                        "maximum": 2100,
                        "example": 1969
                    },
                    "genre": {
                        "$ref": "#/components/schemas/Genre"
                    },
                    "tags": {
                        "type": "array",
                        "maxItems": 10,
                        "uniqueItems": true,
                        "items": {
                            "$ref": "#/components/schemas/Tag"
                        }
                    },
                    "available": {
                        "type": "boolean",
                        "readOnly": true,
                        "default": true,
                        "description": "`false` while the book has an open loan (one whose `returnedAt` is null), `true` otherwise. A new book is available."
                    },
                    "createdAt": {
                        "type": "string",
                        "format": "date-time",
                        "readOnly": true
                    },
                    "updatedAt": {
                        "type": "string",
                        "format": "date-time",
                        "readOnly": true
                    }
                }
            },
            "MemberInput": {
                "type": "object",
                "description": "The fields a member is registered with.",
                "additionalProperties": false,
                "required": [
                    "name",
                    "email"
                ],
                "properties": {
                    "name": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 200,
                        "example": "Ada Okafor"
                    },
                    "email": {
                        "type": "string",
                        "format": "email",
                        "maxLength": 254,
                        "description": "Contact address; unique across members, compared case-insensitively.",
                        "example": "ada.okafor@example.com"
                    },
                    "membershipTier": {
                        "description": "Defaults to `standard`.",
                        "default": "standard",
                        "allOf": [
                            {
                                "$ref": "#/components/schemas/MembershipTier"
                            }
                        ]
                    }
                }
            },
            "MemberPatch": {
                "type": "object",
                "description": "Any subset of a member's writable fields; at least one must be given.",
                "additionalProperties": false,
                "minProperties": 1,
                "properties": {
                    "name": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 200
                    },
                    "email": {
                        "type": "string",
                        "format": "email",
                        "maxLength": 254
                    },
                    "membershipTier": {
                        "$ref": "#/components/schemas/MembershipTier"
                    }
                }
            },
            "Member": {
                "type": "object",
                "description": "A registered member.",
                "required": [
                    "id",
                    "name",
                    "email",
                    "membershipTier",
                    "joinedAt",
                    "updatedAt"
                ],
                "properties": {
                    "id": {
                        "type": "integer",
                        "format": "int64",
                        "readOnly": true,
                        "example": 1001
                    },
                    "name": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 200,
                        "example": "Ada Okafor"
                    },
                    "email": {
                        "type": "string",
                        "format": "email",
                        "maxLength": 254,
                        "example": "ada.okafor@example.com"
                    },
                    "membershipTier": {
                        "$ref": "#/components/schemas/MembershipTier"
                    },
                    "joinedAt": {
                        "type": "string",
                        "format": "date-time",
                        "readOnly": true,
                        "description": "When the member registered."
                    },
                    "updatedAt": {
                        "type": "string",
                        "format": "date-time",
                        "readOnly": true
                    }
                }
            },
            "LoanInput": {
                "type": "object",
                "description": "The fields of a new loan. The member is given by the path.",
                "additionalProperties": false,
                "required": [
                    "bookId",
                    "dueDate"
                ],
                "properties": {
                    "bookId": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1,
                        "description": "Id of the book lent.",
                        "example": 42
                    },
                    "dueDate": {
                        "type": "string",
                        "format": "date",
                        "description": "Date by which the book must be returned; today or later.",
                        "example": "2025-07-01"
                    }
                }
            },
            "Loan": {
                "type": "object",
                "description": "A book lent to a member.",
                "required": [
                    "id",
                    "memberId",
                    "bookId",
                    "loanedAt",
                    "dueDate",
                    "returnedAt"
                ],
                "properties": {
                    "id": {
                        "type": "string",
                        "format": "uuid",
                        "readOnly": true,
                        "example": "3f0c7a52-8a6e-4f0b-9d0c-2a6a1f4de3b1"
                    },
                    "memberId": {
                        "type": "integer",
                        "format": "int64",
                        "readOnly": true,
                        "description": "Id of the borrowing member (the one in the path).",
                        "example": 1001
                    },
                    "bookId": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1,
                        "example": 42
                    },
                    "loanedAt": {
                        "type": "string",
                        "format": "date-time",
                        "readOnly": true,
                        "description": "When the loan was recorded."
                    },
                    "dueDate": {
                        "type": "string",
                        "format": "date",
                        "example": "2025-07-01"
                    },
                    "returnedAt": {
                        "type": "string",
                        "format": "date-time",
                        "nullable": true,
                        "readOnly": true,
                        "description": "When the book came back; null while the loan is open."
                    }
                }
            }
        }
    }
}
"""
)
