"""Bearer-token auth, and the rule that a server reachable from other machines must have a token."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import HTTPException, Request, status
from pydantic import SecretStr

from pipeline.errors import ConfigError


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a hostname or a wildcard: assume reachable from elsewhere


def check_bind(host: str, token: SecretStr | None) -> None:
    """Refuse to serve beyond loopback without a token: the API accepts uploads and runs work for anyone."""
    if not is_loopback(host) and not (token and token.get_secret_value()):
        raise ConfigError(
            f"api_token: binding to {host} (reachable from other machines) needs a bearer token; "
            "set JUESUAN_API_TOKEN or bind to 127.0.0.1"
        )


class BearerAuth:
    """FastAPI dependency: when a token is configured, every request must carry it."""

    def __init__(self, token: SecretStr | None):
        self._token = token.get_secret_value().encode() if token and token.get_secret_value() else None

    def __call__(self, request: Request) -> None:
        if self._token is None:
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self._token):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, "missing or wrong bearer token",
                headers={"WWW-Authenticate": "Bearer"},
            )
