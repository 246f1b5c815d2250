"""Uploads capped while they arrive, for views that take a file of a known largest size.

Django's own upload handlers keep a small file in memory and write a larger one to a
temporary file, whole, before the view can look at its size. `uploads_capped(limit=…)` gives
a view one handler instead (`CappedUploadHandler`): each file is kept in memory up to the
limit, and one that grows past it is dropped at that moment (`SkipFile`): nothing of it is
written to disk, and the rest of the form is still read, so that the page can say the file
is too large and keep everything else that was typed. The view asks which file fields were
dropped with `uploads_refused(request)`.

The handlers must be set before anything reads the request's body, and Django's CSRF
middleware reads it (for the token) before the view runs; so the decorator exempts the view
from the middleware and checks the token itself, after setting the handler (the Django
documentation, "Modifying upload handlers on the fly"). The body is still read to its end:
the reverse proxy limits how large it may be at all (the README, "Configuring for
production")."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect


class CappedUploadHandler(FileUploadHandler):
    """Each file of the request in memory, at most `limit` bytes; a larger one is dropped as
    soon as it passes the limit and its field name kept in `refused`."""

    def __init__(self, request: HttpRequest, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.refused: set[str] = set()
        self.file = io.BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.refused.add(str(self.field_name))
            raise SkipFile
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=str(self.field_name),
            name=str(self.file_name),
            content_type=str(self.content_type),
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def uploads_capped[V: Callable[..., HttpResponse]](*, limit: Callable[[], int]) -> Callable[[V], V]:
    """Decorate a view (outermost) so that each file posted to it is at most `limit()` bytes
    (read at every request, so a setting can change it) and never written to a temporary
    file; the CSRF token is still checked, after the handler is set."""

    def decorate(view: V) -> V:
        protected = csrf_protect(view)

        @wraps(view)
        def capped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            request.upload_handlers = [CappedUploadHandler(request, limit=limit())]
            return protected(request, *args, **kwargs)

        return cast(V, csrf_exempt(capped))

    return decorate


def uploads_refused(request: HttpRequest) -> frozenset[str]:
    """The file fields of this request that were dropped for being larger than the limit of
    `uploads_capped` (read after the form has read the request's files)."""
    for handler in request.upload_handlers:
        if isinstance(handler, CappedUploadHandler):
            return frozenset(handler.refused)
    return frozenset()
