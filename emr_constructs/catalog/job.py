"""A PySpark Glue job shipped from a local script, with a role scoped to the zone prefixes it is given."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Stack
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.catalog.access import grant_zone_access
from emr_constructs.catalog.catalog import INLINE_POLICY_REASON, JOB_LOG_PREFIX, DataCatalog
from emr_constructs.catalog.permissions import (
    grant_glue_logging,
)
from emr_constructs.catalog.props import GlueJobKind, GlueJobProps
from emr_constructs.errors import Checks
from emr_constructs.policy.acknowledge import acknowledge_inline_policies
from emr_constructs.storage import DataLake, Zone

_KIND_WORDS = {GlueJobKind.ETL: "batch", GlueJobKind.STREAMING: "streaming"}


class GlueJob(Construct):
    """A Glue PySpark job (batch or streaming) running ``script``, a local ``.py`` file shipped as an asset.

    The job runs with job bookmarks on, continuous CloudWatch logging, the Glue Data Catalog as its Spark
    metastore and the catalog's security configuration (KMS for logs, bookmarks and S3 output). Its role may
    read the ``read`` zone prefixes, read and write the ``write`` ones (S3 and their Glue databases), use
    ``--TempDir`` in the artifacts bucket, read its own script object, and nothing else.

    The security configuration must be in the same stack as the job for cdk-nag's Glue rules to see it;
    keep jobs in the catalog's stack or pass a security configuration of the job's stack.

    Example::

        GlueJob(stack, "Sessionize", script="jobs/sessionize.py", lake=lake, catalog=catalog,
                props=GlueJobProps(read=(ZonePrefix(zone=Zone.RAW, prefix="clicks/"),),
                                   write=(ZonePrefix(zone=Zone.CURATED, prefix="sessions/"),)))
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: GlueJobProps,
        script: str | Path,
        lake: DataLake,
        catalog: DataCatalog,
        security_configuration: glue.CfnSecurityConfiguration | None = None,
    ) -> None:
        super().__init__(scope, id)
        checks = Checks.of(props)
        path = Path(script)
        checks.require(
            lambda: path.suffix == ".py" and path.is_file(),
            "script",
            str(script),
            "not a local PySpark file",
            "the path of an existing .py file",
        )
        checks.raise_if_any(self.node.path)
        self.props = props
        self.security_configuration = security_configuration or catalog.security_configuration

        self.script = s3_assets.Asset(self, "Script", path=str(path))
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("glue.amazonaws.com"),
            description=f"Glue job {self.node.path}",
        )
        # The script's one object, not the whole CDK asset bucket.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:GetObject"],
                resources=[self.script.bucket.arn_for_objects(self.script.s3_object_key)],
            )
        )
        grant_zone_access(lake, catalog, self.role, read=props.read, write=props.write)
        lake.grant_read_write(Zone.ARTIFACTS, self.role, prefix=props.temp_prefix)

        grant_glue_logging(
            self.role,
            log_prefix=JOB_LOG_PREFIX,
            key=lake.key,
            names=f"job log groups under {JOB_LOG_PREFIX} (continuous logging, per security configuration)",
        )
        acknowledge_inline_policies(self.role, INLINE_POLICY_REASON)

        temp_dir = f"s3://{lake.bucket(Zone.ARTIFACTS).bucket_name}/{props.temp_prefix}"
        # The script learns where its folders are from the job, never from hard-coded bucket names:
        # ``--<zone>_path`` is the S3 URI of the first folder of that zone it may read or write.
        zone_paths: dict[str, str] = {}
        for folder in (*props.write, *props.read):
            zone_paths.setdefault(
                f"--{folder.zone.value}_path", f"s3://{lake.bucket(folder.zone).bucket_name}/{folder.prefix}"
            )
        arguments = {
            **zone_paths,
            "--job-language": "python",
            "--job-bookmark-option": "job-bookmark-enable",
            "--enable-continuous-cloudwatch-log": "true",
            "--enable-continuous-log-filter": "true",
            "--enable-glue-datacatalog": "true",
            "--TempDir": temp_dir,
            **props.arguments,
        }
        self.resource = glue.CfnJob(
            self,
            "Resource",
            role=self.role.role_arn,
            command=glue.CfnJob.JobCommandProperty(
                name=props.kind.value, python_version="3", script_location=self.script.s3_object_url
            ),
            glue_version=props.glue_version,
            worker_type=props.worker_type.value,
            number_of_workers=props.number_of_workers,
            timeout=props.timeout_minutes,
            max_retries=props.max_retries,
            execution_property=glue.CfnJob.ExecutionPropertyProperty(max_concurrent_runs=props.max_concurrent_runs),
            default_arguments=arguments,
            security_configuration=self.security_configuration.ref,
            description=f"PySpark {_KIND_WORDS[props.kind]} job {self.node.path}",
        )
        # A run started right after deployment must find the role's permissions in place.
        default_policy = self.role.node.try_find_child("DefaultPolicy")
        if default_policy is not None:
            self.resource.node.add_dependency(default_policy)

    @property
    def job_name(self) -> str:
        """The job's name (generated by CloudFormation)."""
        return self.resource.ref

    @property
    def job_arn(self) -> str:
        return Stack.of(self).format_arn(service="glue", resource="job", resource_name=self.resource.ref)
