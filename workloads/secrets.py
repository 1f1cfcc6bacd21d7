"""Database credentials read at run time from AWS Secrets Manager, never passed as job arguments.

The secret holds the JSON that RDS and Aurora write for a managed or generated secret
(``{"username": ..., "password": ..., ...}``); the job is given only the secret's name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class JdbcCredentials:
    """User name and password for a JDBC connection; the password never appears in ``repr``."""

    username: str
    password: str = field(repr=False)


def read_jdbc_credentials(secret_name: str, *, region: str | None = None, client: Any = None) -> JdbcCredentials:
    """Fetch ``username`` and ``password`` from the secret ``secret_name``.

    ``client`` is a Secrets Manager client (tests pass one; by default one is made for ``region``). A secret
    without both keys is an error that names the secret and the missing keys, never the values.
    """
    if client is None:
        import boto3  # the local run never needs it

        client = boto3.client("secretsmanager", region_name=region)
    payload = client.get_secret_value(SecretId=secret_name)["SecretString"]
    try:
        document = json.loads(payload)
    except json.JSONDecodeError:
        document = None
    if not isinstance(document, dict):
        raise ValueError(f"secret {secret_name!r} is invalid: not a JSON object; allowed: RDS secret JSON")
    missing = [key for key in ("username", "password") if not isinstance(document.get(key), str)]
    if missing:
        raise ValueError(
            f"secret {secret_name!r} is invalid: missing string key(s) {', '.join(missing)}; "
            "allowed: RDS secret JSON with username and password"
        )
    return JdbcCredentials(username=document["username"], password=document["password"])
