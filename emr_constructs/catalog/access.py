"""Zone access for a compute principal: the lake folders it reads or writes and their Glue databases, together.

A Glue job and an EMR cluster need the same pair of grants for each folder they work on; granting one
without the other gives jobs that can read files but not the tables over them (or the reverse).
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_iam as iam

from emr_constructs.arguments import checked_arguments
from emr_constructs.catalog.catalog import DataCatalog
from emr_constructs.catalog.props import ZonePrefix
from emr_constructs.storage import DataLake


@checked_arguments
def grant_zone_access(
    lake: DataLake,
    catalog: DataCatalog,
    grantee: iam.IGrantable,
    *,
    read: Sequence[ZonePrefix] = (),
    write: Sequence[ZonePrefix] = (),
) -> None:
    """Grant S3 (with key usage) on each folder and Glue catalog access on each folder's zone database.

    ``read`` folders get read-only S3 and catalog access; ``write`` folders read-write. A zone both read and
    written gets read-write catalog access once. Spark and Hive look up the ``default`` database at start,
    so it is readable too.
    """
    for folder in read:
        lake.grant_read(folder.zone, grantee, prefix=folder.prefix)
    for folder in write:
        lake.grant_read_write(folder.zone, grantee, prefix=folder.prefix)
    write_zones = tuple(dict.fromkeys(f.zone for f in write))
    read_zones = tuple(dict.fromkeys(f.zone for f in read if f.zone not in write_zones))
    if read_zones:
        catalog.grant_read(grantee, read_zones, include_default_database=True)
    if write_zones:
        catalog.grant_read_write(grantee, write_zones, include_default_database=True)
