"""S3 locations: job scripts by content, and where EMR writes a step's logs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from emr_constructs.cli.errors import CliError

# EMR reports log URIs as s3n:// on older releases; they are the same objects as s3://.
_S3_URI = re.compile(r"^s3[an]?://(?P<bucket>[^/]+)/?(?P<key>.*)$")


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str

    @classmethod
    def parse(cls, uri: str) -> S3Location:
        match = _S3_URI.match(uri)
        if not match:
            raise CliError(f"not an S3 URI: {uri!r}; expected s3://bucket/prefix/")
        return cls(bucket=match.group("bucket"), key=match.group("key"))

    def child(self, *parts: str) -> S3Location:
        """``parts`` joined under this location; a trailing ``/`` on the last part is kept (a prefix)."""
        key = self.key.rstrip("/")
        for part in parts:
            key = f"{key}/{part.strip('/')}" if key else part.strip("/")
        return S3Location(self.bucket, key + ("/" if parts and parts[-1].endswith("/") else ""))

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def script_key(sha256: str, filename: str) -> str:
    """Content-addressed: the same script is stored once, and a changed one never overwrites a running job's."""
    return f"jobs/{sha256}/{filename}"


def step_logs(log_uri: str, cluster_id: str, step_id: str) -> S3Location:
    """The folder EMR writes a step's ``controller``, ``stderr``, ``stdout`` and ``syslog`` (gzipped) into."""
    return S3Location.parse(log_uri).child(cluster_id, "steps", f"{step_id}/")
