"""``PlatformOutputs``: the exports ``emr-platform`` reads, for a team's own app, in one line.

Clusters are found by their tags (``emr_constructs.discovery``); what tags cannot carry is where ``submit`` uploads
scripts and with which key. This construct exports them under the names the CLI looks up in any stack::

    PlatformOutputs(stack, "PlatformOutputs", environment="sales", lake=lake)

after which ``emr-platform submit --env sales --cluster etl job.py`` needs no ``--bucket``.
"""

from __future__ import annotations

import re

from aws_cdk import CfnOutput
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.discovery import (
    ARTIFACTS_BUCKET,
    DATA_LAKE_KEY,
    LOGS_BUCKET,
    export_name,
)
from emr_constructs.errors import Checks
from emr_constructs.storage import DataLake, Zone

# CloudFormation export names allow letters, digits, '-' and ':'; the CLI splits names on '-' only.
_EXPORT_PART = re.compile(r"[A-Za-z0-9-]{1,100}")


class PlatformOutputs(Construct):
    """Exports ``emr-platform-<environment>-ArtifactsBucketName``, ``-LogsBucketName`` and ``-DataLakeKeyArn``.

    Export names are unique per account and region: one ``PlatformOutputs`` per environment. The outputs are
    ``artifacts_bucket``, ``logs_bucket`` and ``key_arn`` (``CfnOutput``).
    """

    @checked_arguments
    def __init__(self, scope: Construct, id: str, *, environment: str, lake: DataLake) -> None:
        super().__init__(scope, id)
        checks = Checks()
        checks.require(
            bool(_EXPORT_PART.fullmatch(environment)),
            "environment",
            environment,
            "the environment name becomes part of CloudFormation export names",
            "1-100 letters, digits and '-', e.g. 'prod'",
        )
        checks.raise_if_any(self.node.path)

        def export(output_id: str, value: str, key: str, description: str) -> CfnOutput:
            name = export_name(environment, key)
            return CfnOutput(self, output_id, value=value, export_name=name, description=description)

        self.artifacts_bucket = export(
            "ArtifactsBucketName",
            lake.bucket(Zone.ARTIFACTS).bucket_name,
            ARTIFACTS_BUCKET,
            "Bucket for job code (emr-platform submit uploads here)",
        )
        self.logs_bucket = export(
            "LogsBucketName",
            lake.bucket(Zone.LOGS).bucket_name,
            LOGS_BUCKET,
            "Bucket holding EMR cluster and step logs",
        )
        self.key_arn = export("DataLakeKeyArn", lake.key.key_arn, DATA_LAKE_KEY, "KMS key of the lake")
