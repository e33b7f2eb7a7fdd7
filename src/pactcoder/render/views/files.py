"""The generated tests of uploads and downloads (``tests/test_files.py``), decided.

``file_cases(view)`` gives one :class:`UploadCase` per upload operation (what sample file
it accepts, the fields its record shows the file's name, size and type in, the download of
the same records, who else may not download them) for the template to spell.

Example::

    [case.upload.function for case in file_cases(view)]   # ['upload_document', ...]
"""

from __future__ import annotations

from dataclasses import dataclass

from pactcoder.ir.model import Endpoint, Kind
from pactcoder.render.views.cases import ServiceView
from pactcoder.render.views.file_samples import refused_sample, sample_of
from pactcoder.render.views.resource import ResourceView


@dataclass
class UploadCase:
    """What the tests of one upload send and check."""

    upload: Endpoint
    resource: ResourceView
    #: The form field of the file (``file`` when the form's one file part may be any).
    field: str
    sample: str
    media_type: str
    #: A sample of a type it refuses, and that type (None: it takes any).
    refused: tuple[str, str] | None
    #: The JSON names of the record's fields holding the name, size and type (None: hidden).
    name: str | None
    size: str | None
    media: str | None
    #: The record's key in the answer, and the path parameter naming it.
    key: str
    download: Endpoint | None
    delete: Endpoint | None
    #: Another account may not read the record (it answers 404 to them).
    private: bool
    #: Where the answer's record is: ``response.json()`` or inside its envelope.
    body: str

    @property
    def function(self) -> str:
        return self.upload.function


def file_cases(view: ServiceView) -> list[UploadCase]:
    """One case per implemented upload whose accepted types tests/files.py can make."""
    cases = []
    for resource in view.resources:
        files = resource.resource.files
        for endpoint in resource.endpoints:
            upload = endpoint.upload
            if endpoint.kind is not Kind.UPLOAD or not endpoint.implemented or not upload:
                continue
            sample = sample_of(upload.types)
            if files is None or sample is None:
                continue
            shown = {c.attr: c.api_name for c in resource.table.columns if c.exposed}
            cases.append(
                UploadCase(
                    upload=endpoint,
                    resource=resource,
                    field=upload.field or "file",
                    sample=sample[0],
                    media_type=sample[1],
                    refused=refused_sample(upload.types),
                    name=shown.get(files.name_column),
                    size=shown.get(files.size_column),
                    media=shown.get(files.type_column),
                    key=resource.key.api_name,
                    download=_one(resource, Kind.DOWNLOAD),
                    delete=_one(resource, Kind.DELETE),
                    private=resource.resource.private_reads and view.accounts is not None,
                    body=_answered(endpoint),
                )
            )
    return cases


def _answered(endpoint: Endpoint) -> str:
    wrapper = endpoint.response_envelope
    return "response.json()" + (f"[{wrapper[1]!r}]" if wrapper else "")


def _one(resource: ResourceView, kind: Kind) -> Endpoint | None:
    return next((e for e in resource.endpoints if e.kind is kind and e.implemented), None)
