"""Fetch a step's log from the environment's log bucket."""

from __future__ import annotations

import gzip
from typing import Any

from botocore.exceptions import ClientError

from emr_constructs.cli.errors import EXIT_FAILED, CliError
from emr_constructs.cli.locations import S3Location

#: The files EMR writes for every step; stderr holds the Spark driver's output in cluster mode.
STREAMS = ("stderr", "stdout", "controller", "syslog")
_MISSING = {"NoSuchKey", "404"}


def fetch_step_log(s3: Any, folder: S3Location, stream: str) -> tuple[S3Location, str]:
    """The log's text and where it was read: ``<stream>.gz`` as EMR uploads it, else a plain ``<stream>``."""
    for name in (f"{stream}.gz", stream):
        location = folder.child(name)
        try:
            body: bytes = s3.get_object(Bucket=location.bucket, Key=location.key)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                continue
            raise
        # EMR's .gz logs are gzip files; check the magic number, not the name, in case one was uploaded plain.
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        return location, body.decode("utf-8", errors="replace")
    raise CliError(
        f"no {stream} log at {folder}: EMR uploads a step's logs about every five minutes once it has started",
        EXIT_FAILED,
    )
