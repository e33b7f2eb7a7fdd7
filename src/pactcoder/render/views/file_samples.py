"""The sample files generated tests upload (tests/files.py makes them), by media type.

Example::

    sample_of(["image/png", "image/jpeg"])     # ("png", "image/png")
    refused_sample(["image/png"])              # ("text", "text/plain")
"""

from __future__ import annotations

from collections.abc import Iterable

from pactcoder.ir.model import Endpoint, Kind

#: The samples tests/files.py makes, by the media type they are read as.
SAMPLES = {
    "text/plain": "text",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "application/pdf": "pdf",
}


def sample_of(types: list[str]) -> tuple[str, str] | None:
    """(the sample of tests/files.py, its media type) an upload accepting ``types`` takes:
    text when it takes any; None when it takes nothing tests/files.py can make."""
    if not types:
        return "text", "text/plain"
    for media, sample in SAMPLES.items():
        if media in types or media.split("/")[0] + "/*" in types:
            return sample, media
    return None


def refused_sample(types: list[str]) -> tuple[str, str] | None:
    """A sample (and its type) an upload accepting ``types`` refuses, or None."""
    if not types:
        return None
    return next(
        (
            (s, m)
            for m, s in SAMPLES.items()
            if m not in types and m.split("/")[0] + "/*" not in types
        ),
        None,
    )


def uploaded_by(endpoints: Iterable[Endpoint]) -> tuple[Endpoint, str] | None:
    """The implemented upload a generated factory makes records with, and the sample of
    tests/files.py it sends; None when no upload takes a sample."""
    for endpoint in endpoints:
        if endpoint.kind is Kind.UPLOAD and endpoint.implemented and endpoint.upload:
            found = sample_of(endpoint.upload.types)
            if found is not None:
                return endpoint, found[0]
    return None
