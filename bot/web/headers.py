"""The browser security headers every page of the dashboard and the web chat gets."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request, Response

# No scripts, no frames, no third parties, nothing cached: the pages hold personal data.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def add_security_headers(app: FastAPI, applies_to: Callable[[str], bool]) -> None:
    """Give every response whose path `applies_to` accepts the headers (unless it set its own)."""

    @app.middleware("http")
    async def _security_headers(request: Request, call_next) -> Response:
        response = await call_next(request)
        if applies_to(request.url.path):
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
        return response
