"""Bearer-token auth, and the rule that a server reachable from other machines must have a token."""

from __future__ import annotations

import hmac
import ipaddress

from pydantic import SecretStr
from starlette.types import Scope

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
    """When a token is configured, a request must carry it as ``Authorization: Bearer <token>``."""

    def __init__(self, token: SecretStr | None):
        self._token = token.get_secret_value().encode() if token and token.get_secret_value() else None

    def allows(self, scope: Scope) -> bool:
        """Checked on the ASGI scope, i.e. on the headers alone, before any of the body is read."""
        if self._token is None:
            return True
        header = next((v for k, v in scope.get("headers", ()) if k == b"authorization"), b"")
        scheme, _, given = header.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self._token)
