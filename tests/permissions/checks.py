"""How one cell of a table is compared with an answer (shared by the page and API tests)."""

from __future__ import annotations

SIGN_IN = "/dang-nhap/"


def _where(response) -> str:
    return response.get("Location", "") if response.status_code in (301, 302, 303) else ""


def _got(response) -> str:
    location = _where(response)
    return f"{response.status_code} → {location}" if location else str(response.status_code)


def check_get(route, key, token, response) -> str | None:
    """The GET answer must be exactly the cell (302: to the sign-in page for anon only)."""
    status = response.status_code
    msg = f"{route} × {key} GET: got {_got(response)}, expected {token}"
    if token == "302":
        to_sign_in = SIGN_IN in _where(response)
        if status != 302 or to_sign_in != (key == "anon"):
            return msg + (" (to the sign-in page)" if key == "anon" else " (an expected redirect)")
        return None
    if str(status) != token:
        return msg
    return None


def refused(key, token) -> bool:
    return token in {"403", "404"} or (key == "anon" and token == "302")


def check_post(route, key, token, response, changed: str) -> str | None:
    """A refused POST answers the cell's 403/404 (anon: 302 to sign in) and changes
    nothing; an allowed one (200, 302 of a signed-in user, ok) is accepted: no 5xx, no
    401/403, no sign-in page (and for ``ok``, no 404/405: the object is the user's)."""
    status = response.status_code
    base = f"{route} × {key} POST: got {_got(response)}"
    if refused(key, token):
        expected = f"302 → {SIGN_IN}" if token == "302" else token
        problems = []
        if token == "302":
            if status != 302 or SIGN_IN not in _where(response):
                problems.append(f"expected {expected}")
        elif str(status) != token:
            if status in (200, 301, 302, 303):
                problems.append(
                    f"expected {expected} — a refused POST must not answer like a success"
                )
            else:
                problems.append(f"expected {expected}")
        if changed:
            problems.append(f"the refused POST changed the database: {changed}")
        return f"{base}; " + "; ".join(problems) if problems else None
    if status >= 500 or status in (401, 403) or SIGN_IN in _where(response):
        return f"{base}, expected it accepted (cell {token}: allowed, any answer but 5xx/401/403)"
    if token == "ok" and status in (404, 405):
        return f"{base}, expected it accepted (cell ok: the user may act on this object)"
    return None


def check_api(operation, key, token, response, changed: str, write: bool) -> str | None:
    status = response.status_code
    problems = []
    if str(status) != token:
        problems.append(f"got {status}, expected {token}")
    if write and token in {"401", "403", "404"} and changed:
        problems.append(f"the refused write changed the database: {changed}")
    if status >= 400:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict) or "code" not in body:
            problems.append("error answer without a JSON 'code'")
    return f"{operation} × {key}: " + "; ".join(problems) if problems else None
