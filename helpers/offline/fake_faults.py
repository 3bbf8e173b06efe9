"""Fault injection for the loopback Reddit (helpers.offline.fake_reddit): the answers Reddit gives when things go
wrong, so
tests drive 06 through rate limits, 5xx that did or did not do the work, expired tokens, non-JSON answers and
timeouts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Fault:
    """Answer the next ``times`` requests to ``path`` (e.g. "/api/comment") with ``status`` (429, 500, 503) or,
    with status 200 and ``ratelimit_s``, a RATELIMIT API error. ``thing_id`` limits it to one target."""

    path: str
    status: int = 500
    times: int = 1
    retry_after_s: int = 1
    ratelimit_s: int = 0
    thing_id: str | None = None
    commit: bool = False  # a 5xx that Reddit answers AFTER doing the work (the comment exists; the client can't tell)
    html: bool = False  # answer ``status`` (e.g. 200) with an HTML page instead of JSON (a proxy's or CDN's error page)
    delay_s: float = 0.0  # do the work, then answer only after this long (a client timeout; the comment exists)


def api_error(code: str, message: str, field_: str = "parent") -> dict:
    return {"json": {"errors": [[code, message, field_]]}}


def fault_answer(faults: list[Fault], path: str, params: dict) -> tuple | None:
    """(status, body, headers) of the first armed fault for this request; ("commit", answer) when the work is done
    first; ("delay", seconds) to do the work and answer late; None: no fault."""
    for f in faults:
        if f.times > 0 and f.path == path and (f.thing_id is None or params.get("thing_id") == f.thing_id):
            f.times -= 1
            if f.delay_s:
                return "delay", f.delay_s
            if f.html:
                answer = f.status, b"<html><body><h1>upstream busy</h1></body></html>", {}
                return ("commit", answer) if f.commit else answer
            if f.status == 429:
                return 429, {"message": "Too Many Requests", "error": 429}, {
                    "Retry-After": str(f.retry_after_s), "x-ratelimit-remaining": "0",
                    "x-ratelimit-used": "600", "x-ratelimit-reset": str(f.retry_after_s)}
            if f.status == 200 and f.ratelimit_s:
                msg = f"Looks like you've been doing that a lot. Take a break for {f.ratelimit_s} seconds."
                return 200, api_error("RATELIMIT", msg, "ratelimit"), {}
            if f.status == 401:  # an expired token: not processed
                return 401, {"message": "Unauthorized", "error": 401}, {
                    "www-authenticate": 'Bearer realm="reddit", error="invalid_token"'}
            answer = f.status, {"message": "Internal Server Error", "error": f.status}, {}
            return ("commit", answer) if f.commit else answer
    return None
