"""Part of pass 10 (keys): tokens and short codes the service makes, unguessable and unique.

A field is one when x-pact says so (``token: {length: 8, alphabet: uppercase}``), or when
the server makes it (read-only, or sent by no request), it is a plain string (no format,
no default) and its name says it (``token``, ``apiKey``, ``clientSecret``, ``code``,
``shortCode``, ``inviteCode``; not ``countryCode``, ``nextPageToken``, ``accessToken``
nor ``plexToken``). Its column
is then unique and never null; the service draws ``length`` characters of ``alphabet``
with ``secrets`` when it stores the record, and draws again when they are taken.

The length: x-pact's, else the default of its kind (a token 32 characters of
``urlsafe``, a code 8 of ``alphanumeric``) within the field's ``minLength`` and
``maxLength``. The alphabet: x-pact's, else a ``pattern`` of one character class
(``^[A-Z0-9]{6}$``), else the kind's. A pattern of any other form is left alone: the
field stays without a source, and the operations that make the record are stubs.

Example::

    minted_column(env, resource, "code", prop, column)
    column.source, column.minted     # Source.MINTED, Minted("ABC...xyz0...9", 8, "...")
"""

from __future__ import annotations

import re
import string

from pactcoder.ir.model import Column, Confidence, Inference, Minted, Resource, Source
from pactcoder.ir.names import snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.schemas import property_pact, unwrap
from pactcoder.ir.types import PyType, SqlKind
from pactcoder.ir.types import string as string_type
from pactcoder.oas.model import Schema

#: Named alphabets of x-pact ``token``.
ALPHABETS = {
    "urlsafe": string.ascii_letters + string.digits + "-_",
    "alphanumeric": string.ascii_letters + string.digits,
    "lowercase": string.ascii_lowercase + string.digits,
    "uppercase": string.ascii_uppercase + string.digits,
    "digits": string.digits,
    "hex": "0123456789abcdef",
}
#: (alphabet, length) of a token (secret, key) and of a short code, by default.
_TOKEN = ("urlsafe", 32)
_CODE = ("alphanumeric", 8)
#: The last word of a token (or a key, a secret) and of a short code a server makes.
_TOKENS = {"token", "secret", "key", "shortcode"}
#: The words that may come before it (``inviteCode``, ``apiKey``, ``webhookSecret``): not
#: another party's (``plexToken``), an access token (``accessToken``, issued by signing
#: in), a page's cursor (``nextPageToken``), nor a code of the world (``countryCode``).
_PURPOSES = {
    "short", "invite", "invitation", "referral", "share", "sharing", "join", "pairing",
    "verification", "confirmation", "activation", "redeem", "redemption", "claim",
    "coupon", "promo", "voucher", "gift", "recovery", "reset", "magic", "otp", "api",
    "client", "webhook", "signing", "shared", "download", "upload", "unsubscribe", "guest",
    "public", "private", "secret",
}  # fmt: skip
#: ``^[A-Z0-9]{6}$``, ``^[a-z]{4,12}$``, ``^[0-9a-f]+$``: one character class.
_ONE_CLASS = re.compile(r"^\^?\[([^\]\^\\]+)\](?:\{(\d+)(?:,(\d*))?\}|\+)\$?$")


def minted_column(env: Env, resource: Resource, key: str, prop: Schema, column: Column) -> None:
    """Makes ``column`` (the field ``key``) a token the service makes, where x-pact says so
    or its name and shape do; x-pact on a field that cannot be one is an error."""
    target = unwrap(prop)[0]
    pact = property_pact(prop).token
    server_made = column.source in (Source.UNKNOWN, Source.NULL)
    where = f"x-pact token on {resource.schema_name}.{key}"
    if pact is not None and not (server_made and target.type == "string"):
        why = "is sent by clients" if not server_made else "is not a string"
        env.problems.error(
            f"{where}, which {why}",
            hint="a token is a read-only string field the service makes",
            at=prop.location,
        )
        return
    kind = _kind(key)
    if pact is None and (kind is None or not server_made or not _plain(target, column)):
        return
    default = _CODE if kind == "code" else _TOKEN
    alphabet = _alphabet(pact.alphabet if pact else None) or _pattern_alphabet(target)
    if alphabet is None and target.pattern is not None and pact is None:
        return  # a pattern this cannot honour: left without a source (a stub says so)
    length = pact.length if pact and pact.length else _length(target, default[1])
    evidence = (
        "x-pact token"
        if pact is not None
        else f"a read-only string named '{key}' that no request sends"
    )
    _mint(column, Minted(alphabet or ALPHABETS[default[0]], length, evidence), pact is None)


def _kind(key: str) -> str | None:
    """``token`` for tokens, secrets and keys, ``code`` for short codes, or None."""
    *purpose, last = snake(key).split("_")
    if not set(purpose) <= _PURPOSES:
        return None
    if last in _TOKENS:
        return "token"
    return "code" if last == "code" else None


def _plain(target: Schema, column: Column) -> bool:
    """A string the service may choose freely: no format, enum, default or reference."""
    return (
        target.type == "string"
        and target.format is None
        and target.enum is None
        and not target.has_const
        and not column.primary_key
        and column.foreign_key is None
        and column.default is None
    )


def _alphabet(named: str | None) -> str | None:
    if named is None:
        return None
    return ALPHABETS.get(named, "".join(dict.fromkeys(named)))


def _pattern_alphabet(target: Schema) -> str | None:
    """The characters of a pattern of one character class (``^[A-Z0-9]{6}$``)."""
    found = _ONE_CLASS.match(target.pattern or "")
    if found is None:
        return None
    chars, body = [], found.group(1)
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            chars += [chr(c) for c in range(ord(body[i]), ord(body[i + 2]) + 1)]
            i += 3
        else:
            chars.append(body[i])
            i += 1
    alphabet = "".join(dict.fromkeys(chars))
    return alphabet if len(alphabet) >= 2 else None


def _length(target: Schema, default: int) -> int:
    """The default length, within the field's ``minLength`` and ``maxLength`` (and a
    pattern's ``{n}`` or ``{m,n}``)."""
    low, high = target.min_length, target.max_length
    found = _ONE_CLASS.match(target.pattern or "")
    if found is not None and found.group(2):
        low = max(low or 0, int(found.group(2)))
        if found.group(3) is None:
            high = int(found.group(2))
        elif found.group(3):
            high = min(high or 255, int(found.group(3)))
    length = default
    if high is not None:
        length = min(length, high)
    if low is not None:
        length = max(length, low)
    return length


def _mint(column: Column, minted: Minted, inferred: bool) -> None:
    column.source, column.minted = Source.MINTED, minted
    column.nullable, column.unique, column.python_type = False, True, PyType.STR
    if column.sa_type.kind is not SqlKind.STRING:
        column.sa_type = string_type(minted.length)
    shown = next((name for name, chars in ALPHABETS.items() if chars == minted.alphabet), None)
    column.notes = [n for n in column.notes if "server-made" not in n]
    column.notes.append(
        f"{minted.length} random characters of {shown or repr(minted.alphabet)}, made by the"
        " service (secrets) when the record is stored; drawn again when taken"
    )
    if inferred:
        column.inferences.append(
            Inference("a token the service makes", minted.evidence, Confidence.medium)
        )
