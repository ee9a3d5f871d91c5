"""Security headers on every response, and the newsroom session cookie's flags in one place.

The Content-Security-Policy allows scripts, styles and images from this site only (plus ``data:`` images,
used by the share QR code and drawn placeholders), forbids framing and foreign form targets, and has no
``'unsafe-inline'``: every script and style lives in ``/static``. A test renders the reader pages and checks
they contain no inline script, ``style=""`` or ``on…=`` handler that this policy would block.

The middleware is plain ASGI (no ``BaseHTTPMiddleware``) so streaming responses and the event beacon pay
nothing but a header merge.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsportal.config import Settings

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
))
HSTS = "max-age=31536000; includeSubDomains"

SESSION_COOKIE = "np_nr_session"
"""The newsroom login cookie (a random id; the database keeps only its hash)."""
SESSION_MAX_AGE = 12 * 3600


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-frame-options", b"DENY"),
    ]
    if settings.secure_cookies:
        headers.append((b"strict-transport-security", HSTS.encode()))
    return headers


class SecurityHeaders:
    """Add :func:`security_headers` to every HTTP response (a handler's own value is kept)."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.headers = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {k.lower() for k, _ in raw}
                raw.extend((k, v) for k, v in self.headers if k not in present)
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def set_session_cookie(response: Response, settings: Settings, session_id: str) -> None:
    """Log in: HttpOnly (no script reads it), SameSite=Lax, Secure when the site is https."""
    response.set_cookie(SESSION_COOKIE, session_id, max_age=SESSION_MAX_AGE, path="/", httponly=True,
                        samesite="lax", secure=settings.secure_cookies)


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=settings.secure_cookies)
