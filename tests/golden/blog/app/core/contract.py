"""app/core/contract.py: the API contract this service implements, as served.

The OpenAPI document pactcoder built this service from (docs/ with overlays
applied, in one document), kept as the JSON it is served as. app.main serves
it at /api/openapi.json so that clients see exactly the contract,
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
    "openapi": "3.1.0",
    "info": {
        "title": "Blog API",
        "version": "1.0.0",
        "summary": "Writers, their articles, tags, favorites, comments and a feed.",
        "description": "A publishing platform in the style of the RealWorld \"Conduit\" API. Users\nregister and sign in, publish articles with tags, follow other writers,\nfavorite articles and comment on them. Signed-in readers get a feed of the\narticles of the writers they follow.\n\nConventions:\n\n* Request and response bodies are wrapped in an object named after their\n  content: `{\"article\": {...}}`, `{\"articles\": [...], \"articlesCount\": n}`.\n* Send the token from registration or sign-in as `Authorization: Token <jwt>`.\n* Articles are addressed by their slug, made from the title when the\n  article is published; it does not change when the title does.\n* Errors are `{\"errors\": {\"<field or 'body'>\": [\"message\", ...]}}`.\n"
    },
    "servers": [
        {
            "url": "http://localhost:8000/api"
        }
    ],
    "tags": [
        {
            "name": "users"
        },
        {
            "name": "profiles"
        },
        {
            "name": "articles"
        },
        {
            "name": "comments"
        },
        {
            "name": "tags"
        }
    ],
    "paths": {
        "/users": {
            "post": {
                "operationId": "register",
                "summary": "Register a new user",
                "tags": [
                    "users"
                ],
                "security": [],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/NewUserRequest"
                            }
                        }
                    }
                },
                "responses": {
                    "201": {
                        "description": "The new user, signed in.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/UserResponse"
                                }
                            }
                        }
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    },
                    "422": {
                        "$ref": "#/components/responses/Invalid"
                    }
                }
            }
        },
        "/users/login": {
            "post": {
                "operationId": "login",
                "summary": "Sign in",
                "tags": [
                    "users"
                ],
                "security": [],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/LoginUserRequest"
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "The user, signed in.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/UserResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "422": {
                        "$ref": "#/components/responses/Invalid"
                    }
                },
                "x-pact": {
                    "rate-limit": "10/minute"
                }
            }
        },
        "/user": {
            "get": {
                "operationId": "getCurrentUser",
                "summary": "The signed-in user",
                "tags": [
                    "users"
                ],
                "responses": {
                    "200": {
                        "description": "The signed-in user.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/UserResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    }
                }
            },
            "put": {
                "operationId": "updateCurrentUser",
                "summary": "Update the signed-in user",
                "tags": [
                    "users"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/UpdateUserRequest"
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "The updated user.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/UserResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "409": {
                        "$ref": "#/components/responses/Conflict"
                    },
                    "422": {
                        "$ref": "#/components/responses/Invalid"
                    }
                }
            }
        },
        "/profiles/{username}": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/Username"
                }
            ],
            "get": {
                "operationId": "getProfile",
                "summary": "A user's public profile",
                "tags": [
                    "profiles"
                ],
                "security": [
                    {},
                    {
                        "tokenAuth": []
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The profile.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/ProfileResponse"
                                }
                            }
                        }
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            }
        },
        "/profiles/{username}/follow": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/Username"
                }
            ],
            "post": {
                "operationId": "followUser",
                "summary": "Follow a user",
                "tags": [
                    "profiles"
                ],
                "responses": {
                    "200": {
                        "description": "The profile, now followed.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/ProfileResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            },
            "delete": {
                "operationId": "unfollowUser",
                "summary": "Stop following a user",
                "tags": [
                    "profiles"
                ],
                "responses": {
                    "200": {
                        "description": "The profile, no longer followed.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/ProfileResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            }
        },
        "/articles": {
            "get": {
                "operationId": "listArticles",
                "summary": "List articles, most recent first",
                "tags": [
                    "articles"
                ],
                "security": [
                    {},
                    {
                        "tokenAuth": []
                    }
                ],
                "parameters": [
                    {
                        "name": "tag",
                        "in": "query",
                        "description": "Only articles with this tag.",
                        "schema": {
                            "type": "string",
                            "maxLength": 64
                        }
                    },
                    {
                        "name": "author",
                        "in": "query",
                        "description": "Only articles by the user with this username.",
                        "schema": {
                            "type": "string",
                            "maxLength": 64
                        }
                    },
                    {
                        "name": "favorited",
                        "in": "query",
                        "description": "Only articles the user with this username has favorited.",
                        "schema": {
                            "type": "string",
                            "maxLength": 64
                        }
                    },
                    {
                        "$ref": "#/components/parameters/Limit"
                    },
                    {
                        "$ref": "#/components/parameters/Offset"
                    }
                ],
                "responses": {
                    "200": {
                        "description": "A page of articles.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/MultipleArticlesResponse"
                                }
                            }
                        }
                    },
                    "422": {
                        "$ref": "#/components/responses/Invalid"
                    }
                }
            },
            "post": {
                "operationId": "createArticle",
                "summary": "Publish an article",
                "tags": [
                    "articles"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/NewArticleRequest"
                            }
                        }
                    }
                },
                "responses": {
                    "201": {
                        "description": "The published article.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/SingleArticleResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "422": {
                        "$ref": "#/components/responses/Invalid"
                    }
                }
            }
        },
        "/articles/feed": {
            "get": {
                "operationId": "getArticlesFeed",
                "summary": "Articles by the users the caller follows, most recent first",
                "tags": [
                    "articles"
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
                        "description": "A page of the feed.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/MultipleArticlesResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "422": {
                        "$ref": "#/components/responses/Invalid"
                    }
                }
            }
        },
        "/articles/{slug}": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/Slug"
                }
            ],
            "get": {
                "operationId": "getArticle",
                "summary": "Read an article",
                "tags": [
                    "articles"
                ],
                "security": [
                    {},
                    {
                        "tokenAuth": []
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The article.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/SingleArticleResponse"
                                }
                            }
                        }
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            },
            "put": {
                "operationId": "updateArticle",
                "summary": "Change an article (its author only)",
                "tags": [
                    "articles"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/UpdateArticleRequest"
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "The changed article.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/SingleArticleResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "403": {
                        "$ref": "#/components/responses/Forbidden"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    },
                    "422": {
                        "$ref": "#/components/responses/Invalid"
                    }
                }
            },
            "delete": {
                "operationId": "deleteArticle",
                "summary": "Delete an article (its author only), with its comments",
                "tags": [
                    "articles"
                ],
                "responses": {
                    "204": {
                        "description": "The article is gone."
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "403": {
                        "$ref": "#/components/responses/Forbidden"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            }
        },
        "/articles/{slug}/favorite": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/Slug"
                }
            ],
            "post": {
                "operationId": "favoriteArticle",
                "summary": "Favorite an article",
                "tags": [
                    "articles"
                ],
                "responses": {
                    "200": {
                        "description": "The article, now a favorite of the caller.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/SingleArticleResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            },
            "delete": {
                "operationId": "unfavoriteArticle",
                "summary": "Remove an article from the caller's favorites",
                "tags": [
                    "articles"
                ],
                "responses": {
                    "200": {
                        "description": "The article, no longer a favorite of the caller.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/SingleArticleResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            }
        },
        "/articles/{slug}/comments": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/Slug"
                }
            ],
            "get": {
                "operationId": "getArticleComments",
                "summary": "An article's comments, oldest first",
                "tags": [
                    "comments"
                ],
                "security": [
                    {},
                    {
                        "tokenAuth": []
                    }
                ],
                "parameters": [
                    {
                        "name": "cursor",
                        "in": "query",
                        "description": "Where the previous page ended (its `nextCursor`); absent for the first page.",
                        "schema": {
                            "type": "string",
                            "maxLength": 200
                        }
                    },
                    {
                        "$ref": "#/components/parameters/Limit"
                    }
                ],
                "responses": {
                    "200": {
                        "description": "A page of comments.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/MultipleCommentsResponse"
                                }
                            }
                        }
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    },
                    "422": {
                        "$ref": "#/components/responses/Invalid"
                    }
                }
            },
            "post": {
                "operationId": "createArticleComment",
                "summary": "Comment on an article",
                "tags": [
                    "comments"
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/NewCommentRequest"
                            }
                        }
                    }
                },
                "responses": {
                    "201": {
                        "description": "The new comment.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/SingleCommentResponse"
                                }
                            }
                        }
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    },
                    "422": {
                        "$ref": "#/components/responses/Invalid"
                    }
                }
            }
        },
        "/articles/{slug}/comments/{id}": {
            "parameters": [
                {
                    "$ref": "#/components/parameters/Slug"
                },
                {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                        "type": "integer",
                        "minimum": 1
                    }
                }
            ],
            "delete": {
                "operationId": "deleteArticleComment",
                "summary": "Delete a comment (its author only)",
                "tags": [
                    "comments"
                ],
                "responses": {
                    "204": {
                        "description": "The comment is gone."
                    },
                    "401": {
                        "$ref": "#/components/responses/Unauthorized"
                    },
                    "403": {
                        "$ref": "#/components/responses/Forbidden"
                    },
                    "404": {
                        "$ref": "#/components/responses/NotFound"
                    }
                }
            }
        },
        "/tags": {
            "get": {
                "operationId": "getTags",
                "summary": "Every tag in use",
                "tags": [
                    "tags"
                ],
                "security": [],
                "responses": {
                    "200": {
                        "description": "The tags, in alphabetical order.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/TagsResponse"
                                }
                            }
                        }
                    }
                }
            }
        }
    },
    "security": [
        {
            "tokenAuth": []
        }
    ],
    "components": {
        "securitySchemes": {
            "tokenAuth": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "The JWT from registration or sign-in after the word \"Token\": `Authorization: Token <jwt>`."
            }
        },
        "parameters": {
            "Username": {
                "name": "username",
                "in": "path",
                "required": true,
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 64
                }
            },
            "Slug": {
                "name": "slug",
                "in": "path",
                "required": true,
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 300
                }
            },
            "Limit": {
                "name": "limit",
                "in": "query",
                "description": "How many to return (at most 100).",
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
                "description": "How many to skip.",
                "schema": {
                    "type": "integer",
                    "minimum": 0,
                    "default": 0
                }
            }
        },
        "responses": {
            "NotFound": {
                "description": "Nothing has this slug, username or id.",
                "content": {
                    "application/json": {
                        "schema": {
                            "$ref": "#/components/schemas/GenericErrorModel"
                        }
                    }
                }
            },
            "Unauthorized": {
                "description": "The token is missing, expired or not valid.",
                "content": {
                    "application/json": {
                        "schema": {
                            "$ref": "#/components/schemas/GenericErrorModel"
                        }
                    }
                }
            },
            "Forbidden": {
                "description": "Only the author may do this.",
                "content": {
                    "application/json": {
                        "schema": {
                            "$ref": "#/components/schemas/GenericErrorModel"
                        }
                    }
                }
            },
            "Conflict": {
                "description": "The username or email is taken.",
                "content": {
                    "application/json": {
                        "schema": {
                            "$ref": "#/components/schemas/GenericErrorModel"
                        }
                    }
                }
            },
            "Invalid": {
                "description": "The request is not valid; every problem is listed by field.",
                "content": {
                    "application/json": {
                        "schema": {
                            "$ref": "#/components/schemas/GenericErrorModel"
                        }
                    }
                }
            }
        },
        "schemas": {
            "User": {
                "type": "object",
                "description": "The signed-in user, with a fresh token.",
                "required": [
                    "email",
                    "token",
                    "username",
                    "bio",
                    "image"
                ],
                "properties": {
                    "email": {
                        "type": "string",
                        "format": "email",
                        "maxLength": 254
                    },
                    "token": {
                        "type": "string",
                        "readOnly": true
                    },
                    "username": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 64,
                        "pattern": "^[A-Za-z0-9_-]+$"
                    },
                    "bio": {
                        "type": [
                            "string",
                            "null"
                        ],
                        "maxLength": 2000
                    },
                    "image": {
                        "type": [
                            "string",
                            "null"
                        ],
                        "format": "uri",
                        "maxLength": 500
                    }
                }
            },
            "NewUser": {
                "type": "object",
                "required": [
                    "username",
                    "email",
                    "password"
                ],
                "properties": {
                    "username": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 64,
                        "pattern": "^[A-Za-z0-9_-]+$"
                    },
                    "email": {
                        "type": "string",
                        "format": "email",
                        "maxLength": 254
                    },
                    "password": {
                        "type": "string",
                        "format": "password",
                        "minLength": 8,
                        "maxLength": 128,
                        "writeOnly": true
                    }
                }
            },
            "LoginUser": {
                "type": "object",
                "required": [
                    "email",
                    "password"
                ],
                "properties": {
                    "email": {
                        "type": "string",
                        "format": "email",
                        "maxLength": 254
                    },
                    "password": {
                        "type": "string",
                        "format": "password",
                        "minLength": 1,
                        "maxLength": 128,
                        "writeOnly": true
                    }
                }
            },
            "UpdateUser": {
                "type": "object",
                "minProperties": 1,
                "properties": {
                    "email": {
                        "type": "string",
                        "format": "email",
                        "maxLength": 254
                    },
                    "username": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 64,
                        "pattern": "^[A-Za-z0-9_-]+$"
                    },
                    "bio": {
                        "type": [
                            "string",
                            "null"
                        ],
                        "maxLength": 2000
                    },
                    "image": {
                        "type": [
                            "string",
                            "null"
                        ],
                        "format": "uri",
                        "maxLength": 500
                    }
                }
            },
            "NewUserRequest": {
                "type": "object",
                "required": [
                    "user"
                ],
                "properties": {
                    "user": {
                        "$ref": "#/components/schemas/NewUser"
                    }
                }
            },
            "LoginUserRequest": {
                "type": "object",
                "required": [
                    "user"
                ],
                "properties": {
                    "user": {
                        "$ref": "#/components/schemas/LoginUser"
                    }
                }
            },
            "UpdateUserRequest": {
                "type": "object",
                "required": [
                    "user"
                ],
                "properties": {
                    "user": {
                        "$ref": "#/components/schemas/UpdateUser"
                    }
                }
            },
            "UserResponse": {
                "type": "object",
                "required": [
                    "user"
                ],
                "properties": {
                    "user": {
                        "$ref": "#/components/schemas/User"
                    }
                }
            },
            "Profile": {
                "type": "object",
                "description": "What anyone may see of a user.",
                "required": [
                    "username",
                    "bio",
                    "image",
                    "following"
                ],
                "properties": {
                    "username": {
                        "type": "string"
                    },
                    "bio": {
                        "type": [
                            "string",
                            "null"
                        ]
                    },
                    "image": {
                        "type": [
                            "string",
                            "null"
                        ],
                        "format": "uri"
                    },
                    "following": {
                        "type": "boolean",
                        "description": "Whether the caller follows this user (false when not signed in)."
                    }
                }
            },
            "ProfileResponse": {
                "type": "object",
                "required": [
                    "profile"
                ],
                "properties": {
                    "profile": {
                        "$ref": "#/components/schemas/Profile"
                    }
                }
            },
            "Article": {
                "type": "object",
                "required": [
                    "slug",
                    "title",
                    "description",
                    "body",
                    "tagList",
                    "createdAt",
                    "updatedAt",
                    "favorited",
                    "favoritesCount",
                    "commentsCount",
                    "author"
                ],
                "properties": {
                    "slug": {
                        "type": "string",
                        "readOnly": true
                    },
                    "title": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 200
                    },
                    "description": {
                        "type": "string",
                        "maxLength": 500
                    },
                    "body": {
                        "type": "string",
                        "maxLength": 100000
                    },
                    "tagList": {
                        "type": "array",
                        "uniqueItems": true,
                        "maxItems": 10,
                        "items": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 64
                        }
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
                    },
                    "favorited": {
                        "type": "boolean",
                        "readOnly": true,
                        "description": "Whether the caller has favorited it (false when not signed in)."
                    },
                    "favoritesCount": {
                        "type": "integer",
                        "readOnly": true,
                        "minimum": 0
                    },
                    "commentsCount": {
                        "type": "integer",
                        "readOnly": true,
                        "minimum": 0
                    },
                    "author": {
                        "$ref": "#/components/schemas/Profile"
                    }
                }
            },
            "NewArticle": {
                "type": "object",
                "required": [
                    "title",
                    "description",
                    "body"
                ],
                "properties": {
                    "title": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 200
                    },
                    "description": {
                        "type": "string",
                        "maxLength": 500
                    },
                    "body": {
                        "type": "string",
                        "maxLength": 100000
                    },
                    "tagList": {
                        "type": "array",
                        "uniqueItems": true,
                        "maxItems": 10,
                        "items": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 64
                        }
                    }
                }
            },
            "UpdateArticle": {
                "type": "object",
                "minProperties": 1,
                "properties": {
                    "title": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 200
                    },
                    "description": {
                        "type": "string",
                        "maxLength": 500
                    },
                    "body": {
                        "type": "string",
                        "maxLength": 100000
                    }
                }
            },
            "NewArticleRequest": {
                "type": "object",
                "required": [
                    "article"
                ],
                "properties": {
                    "article": {
                        "$ref": "#/components/schemas/NewArticle"
                    }
                }
            },
            "UpdateArticleRequest": {
                "type": "object",
                "required": [
                    "article"
                ],
                "properties": {
                    "article": {
                        "$ref": "#/components/schemas/UpdateArticle"
                    }
                }
            },
            "SingleArticleResponse": {
                "type": "object",
                "required": [
                    "article"
                ],
                "properties": {
                    "article": {
                        "$ref": "#/components/schemas/Article"
                    }
                }
            },
            "MultipleArticlesResponse": {
                "type": "object",
                "required": [
                    "articles",
                    "articlesCount"
                ],
                "properties": {
                    "articles": {
                        "type": "array",
                        "items": {
                            "$ref": "#/components/schemas/Article"
                        }
                    },
                    "articlesCount": {
                        "type": "integer",
                        "minimum": 0
                    }
                }
            },
            "Comment": {
                "type": "object",
                "required": [
                    "id",
                    "createdAt",
                    "updatedAt",
                    "body",
                    "author"
                ],
                "properties": {
                    "id": {
                        "type": "integer",
                        "readOnly": true
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
                    },
                    "body": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 10000
                    },
                    "author": {
                        "$ref": "#/components/schemas/Profile"
                    }
                },
                "x-pact": {
                    "delete-with-parent": true
                }
            },
            "NewComment": {
                "type": "object",
                "required": [
                    "body"
                ],
                "properties": {
                    "body": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 10000
                    }
                }
            },
            "NewCommentRequest": {
                "type": "object",
                "required": [
                    "comment"
                ],
                "properties": {
                    "comment": {
                        "$ref": "#/components/schemas/NewComment"
                    }
                }
            },
            "SingleCommentResponse": {
                "type": "object",
                "required": [
                    "comment"
                ],
                "properties": {
                    "comment": {
                        "$ref": "#/components/schemas/Comment"
                    }
                }
            },
            "MultipleCommentsResponse": {
                "type": "object",
                "required": [
                    "comments",
                    "nextCursor"
                ],
                "properties": {
                    "comments": {
                        "type": "array",
                        "items": {
                            "$ref": "#/components/schemas/Comment"
                        }
                    },
                    "nextCursor": {
                        "type": [
                            "string",
                            "null"
                        ],
                        "description": "Pass as `cursor` for the next page; null on the last page."
                    }
                }
            },
            "TagsResponse": {
                "type": "object",
                "required": [
                    "tags"
                ],
                "properties": {
                    "tags": {
                        "type": "array",
                        "items": {
                            "type": "string"
                        }
                    }
                }
            },
            "GenericErrorModel": {
                "type": "object",
                "required": [
                    "errors"
                ],
                "properties": {
                    "errors": {
                        "type": "object",
                        "description": "Messages by field name; `body` for the request as a whole.",
                        "additionalProperties": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            }
                        }
                    }
                }
            }
        }
    }
}
"""
)
