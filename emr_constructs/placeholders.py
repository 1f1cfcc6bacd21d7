"""Subscriber endpoints that reach nobody: the documentation domains that example settings use.

Plain Python (no CDK), so the synth-time warning on the notification topic and the operator CLI's
``preflight`` check judge an endpoint by the same rule.
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: Domains reserved for documentation (RFC 2606): mail and webhooks sent there reach nobody.
PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")


def is_placeholder(endpoint: str) -> bool:
    """True for an empty endpoint, or an e-mail address or URL on a :data:`PLACEHOLDER_DOMAINS` host."""
    text = endpoint.strip().lower()
    host = (urlsplit(text).hostname or "") if "://" in text else text.rpartition("@")[2]
    return not host or any(host == d or host.endswith("." + d) for d in PLACEHOLDER_DOMAINS)
