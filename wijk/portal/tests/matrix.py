"""Authorization matrix rows of the portal: the residents' request form is open to everyone."""

from __future__ import annotations

from wijk.core.tests.matrix_kit import NO_ARGS, Kwargs, public

ROWS: dict[str, tuple[dict[str, str], Kwargs]] = {
    "portal:request_form": (public(), NO_ARGS),
    "portal:request_received": (public(), NO_ARGS),
}
