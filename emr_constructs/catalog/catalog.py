"""The Glue Data Catalog of the data lake: a database per data zone, crawlers, and the Glue security configuration."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Names, RemovalPolicy, Stack
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.catalog.permissions import (
    CATALOG_READ_ACTIONS,
    CATALOG_WRITE_ACTIONS,
    CRAWLER_CATALOG_ACTIONS,
    LOGS_SERVICE_KEY_ACTIONS,
    glue_log_groups_arn,
    grant_glue_logging,
)
from emr_constructs.catalog.props import CrawlerProps, DataCatalogProps
from emr_constructs.errors import Checks
from emr_constructs.policy.acknowledge import acknowledge_inline_policies, acknowledge_wildcard_resources
from emr_constructs.removal import safe_removal_policy
from emr_constructs.storage import DATA_ZONES, DataLake, Zone

# Construct ids are public API and fix the logical ids of the databases: never derive them from settings.
_DATABASE_IDS: dict[Zone, str] = {
    Zone.RAW: "RawDatabase",
    Zone.CURATED: "CuratedDatabase",
    Zone.ANALYTICS: "AnalyticsDatabase",
}

#: Log groups Glue writes: crawlers to ``/aws-glue/crawlers[-role/<role>-<security configuration>]``, jobs to
#: ``/aws-glue/jobs/...``: https://docs.aws.amazon.com/glue/latest/dg/console-crawlers-details.html
CRAWLER_LOG_PREFIX = "/aws-glue/crawlers"
JOB_LOG_PREFIX = "/aws-glue/jobs"
_GLUE_LOG_PREFIX = "/aws-glue/"

INLINE_POLICY_REASON = (
    "The role's inline default policy holds only the statements of its grants, each scoped to named buckets, "
    "prefixes, Glue databases and log groups; it is created, reviewed and deleted with the role."
)


class DataCatalog(Construct):
    """A Glue database per data zone (raw, curated, analytics), located in the zone's bucket, plus crawlers and
    the Glue security configuration (logs, job bookmarks and S3 output encrypted with the lake key).

    EMR uses these databases as its Hive and Spark metastore: grant the cluster's instance role
    :meth:`grant_read_write` (or :meth:`grant_read`) on the zones it works with, and turn the Glue metastore
    on in the cluster's configuration classifications. Grants name the catalog, the databases and their
    tables by ARN; nothing is granted on other databases.

    Databases are RETAINed unless ``removal_policy=RemovalPolicy.DESTROY`` is passed and the app runs with
    ``-c emr-platform:allow-destroy=true``: deleting a database deletes its table definitions.

    Example::

        catalog = DataCatalog(stack, "Catalog", lake=lake, props=DataCatalogProps(database_prefix="sales"))
        catalog.grant_read_write(cluster_instance_role, zones=(Zone.CURATED, Zone.ANALYTICS))
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: DataCatalogProps = DataCatalogProps(),  # noqa: B008 - frozen dataclass, safe to share
        lake: DataLake,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        props.raise_if_invalid(self.node.path)
        self.props = props
        self.lake = lake
        self.removal_policy = safe_removal_policy(self, removal_policy)
        stack = Stack.of(self)

        self._databases: dict[Zone, glue.CfnDatabase] = {}
        for zone in DATA_ZONES:
            database = glue.CfnDatabase(
                self,
                _DATABASE_IDS[zone],
                catalog_id=stack.account,
                database_input=glue.CfnDatabase.DatabaseInputProperty(
                    name=props.database_name(zone),
                    description=f"Tables of the {zone.value} zone of the data lake.",
                    location_uri=self._location(zone, props.location_prefix),
                ),
            )
            database.apply_removal_policy(self.removal_policy)
            self._databases[zone] = database

        key_arn = lake.key.key_arn
        self.security_configuration = glue.CfnSecurityConfiguration(
            self,
            "SecurityConfiguration",
            name=Names.unique_resource_name(self, max_length=128, separator="-"),
            encryption_configuration=glue.CfnSecurityConfiguration.EncryptionConfigurationProperty(
                cloud_watch_encryption=glue.CfnSecurityConfiguration.CloudWatchEncryptionProperty(
                    cloud_watch_encryption_mode="SSE-KMS", kms_key_arn=key_arn
                ),
                job_bookmarks_encryption=glue.CfnSecurityConfiguration.JobBookmarksEncryptionProperty(
                    job_bookmarks_encryption_mode="CSE-KMS", kms_key_arn=key_arn
                ),
                s3_encryptions=[
                    glue.CfnSecurityConfiguration.S3EncryptionProperty(
                        s3_encryption_mode="SSE-KMS", kms_key_arn=key_arn
                    )
                ],
            ),
        )
        self._allow_logs_service_to_use_key()

        self.encryption_settings: glue.CfnDataCatalogEncryptionSettings | None = None
        if props.encrypt_catalog:
            self.encryption_settings = glue.CfnDataCatalogEncryptionSettings(
                self,
                "EncryptionSettings",
                catalog_id=stack.account,
                data_catalog_encryption_settings=glue.CfnDataCatalogEncryptionSettings.DataCatalogEncryptionSettingsProperty(
                    encryption_at_rest=glue.CfnDataCatalogEncryptionSettings.EncryptionAtRestProperty(
                        catalog_encryption_mode="SSE-KMS", sse_aws_kms_key_id=key_arn
                    ),
                    connection_password_encryption=glue.CfnDataCatalogEncryptionSettings.ConnectionPasswordEncryptionProperty(
                        kms_key_id=key_arn, return_connection_password_encrypted=True
                    ),
                ),
            )

        self.crawlers: list[ZoneCrawler] = [
            ZoneCrawler(self, f"Crawler{index}", props=crawler, catalog=self)
            for index, crawler in enumerate(props.crawlers)
        ]

    # -- attributes -----------------------------------------------------------------------------------

    def database(self, zone: Zone) -> glue.CfnDatabase:
        """The Glue database of data zone ``zone``."""
        return self._databases[Zone(zone)]

    def database_name(self, zone: Zone) -> str:
        """The name of the database of ``zone`` (a plain string, known at synth time)."""
        self.database(zone)
        return self.props.database_name(zone)

    @property
    def catalog_arn(self) -> str:
        """``arn:<partition>:glue:<region>:<account>:catalog``: every Glue call names the catalog too."""
        return Stack.of(self).format_arn(service="glue", resource="catalog")

    def database_arn(self, zone: Zone) -> str:
        # Glue's L1 resources expose no ARN attribute, so the documented ARN format is the only source.
        return self._database_arn(self.database_name(zone))

    def tables_arn(self, zone: Zone) -> str:
        """``...:table/<database>/*``: the tables of one database (Glue has no narrower form for 'all tables')."""
        name = self.database_name(zone)
        return Stack.of(self).format_arn(service="glue", resource="table", resource_name=f"{name}/*")

    # -- grants ---------------------------------------------------------------------------------------

    @checked_arguments
    def grant_read(
        self,
        grantee: iam.IGrantable,
        zones: Sequence[Zone] = DATA_ZONES,
        *,
        include_default_database: bool = False,
    ) -> iam.Grant:
        """Let ``grantee`` read the catalog entries of ``zones``: their databases, tables, partitions and functions.

        ``include_default_database`` adds ``glue:GetDatabase`` on the catalog's ``default`` database, which Hive
        and Spark look up when they start a session.
        """
        grant = self._grant(grantee, zones, CATALOG_READ_ACTIONS, "read", key_actions=("kms:Decrypt",))
        if include_default_database:
            grant = grant.combine(
                iam.Grant.add_to_principal(
                    grantee=grantee,
                    actions=["glue:GetDatabase"],
                    resource_arns=[self.catalog_arn, self._database_arn("default")],
                )
            )
        return grant

    @checked_arguments
    def grant_read_write(
        self,
        grantee: iam.IGrantable,
        zones: Sequence[Zone] = DATA_ZONES,
        *,
        include_default_database: bool = False,
    ) -> iam.Grant:
        """:meth:`grant_read` plus creating, changing and deleting tables and partitions of ``zones``' databases.

        Databases themselves are never created or deleted through a grant: they belong to this construct.
        """
        grant = self.grant_read(grantee, zones, include_default_database=include_default_database)
        return grant.combine(
            self._grant(
                grantee, zones, CATALOG_WRITE_ACTIONS, "read-write", key_actions=("kms:Decrypt", "kms:GenerateDataKey")
            )
        )

    # -- helpers --------------------------------------------------------------------------------------

    def _location(self, zone: Zone, prefix: str) -> str:
        return f"s3://{self.lake.bucket(zone).bucket_name}/{prefix}"

    def _database_arn(self, name: str) -> str:
        return Stack.of(self).format_arn(service="glue", resource="database", resource_name=name)

    def _grant(
        self,
        grantee: iam.IGrantable,
        zones: Sequence[Zone],
        actions: Sequence[str],
        kind: str,
        *,
        key_actions: Sequence[str],
    ) -> iam.Grant:
        zones = tuple(dict.fromkeys(Zone(z) for z in zones))
        checks = Checks()
        allowed = ", ".join(z.value for z in DATA_ZONES)
        checks.require(bool(zones), "zones", [], "a catalog grant needs at least one data zone", allowed)
        for zone in zones:
            checks.require(zone in DATA_ZONES, "zones", zone.value, "only the data zones have a Glue database", allowed)
        checks.raise_if_any(self.node.path)
        tables = [self.tables_arn(zone) for zone in zones]
        resources = [self.catalog_arn, *(self.database_arn(zone) for zone in zones), *tables]
        grant = iam.Grant.add_to_principal(grantee=grantee, actions=list(actions), resource_arns=resources)
        if self.props.encrypt_catalog:
            # With catalog encryption on, Glue decrypts (and encrypts) metadata with the caller's credentials.
            grant = grant.combine(
                iam.Grant.add_to_principal(
                    grantee=grantee,
                    actions=list(key_actions),
                    resource_arns=[self.lake.key.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"glue.{Stack.of(self).region}.amazonaws.com"}},
                )
            )
        names = ", ".join(self.database_name(zone) for zone in zones)
        acknowledge_wildcard_resources(
            grantee,
            tables,
            f"Glue names the tables of a database only as table/<database>/*: this {kind} grant of {self.node.path} "
            f"covers the tables of the databases {names} and nothing else (explicit actions only).",
        )
        return grant

    def _allow_logs_service_to_use_key(self) -> None:
        """CloudWatch Logs encrypts the Glue log groups with the lake key only if the key policy lets it."""
        key = self.lake.key
        key_stack = Stack.of(key)
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="GlueLogGroupsEncryption",
                principals=[iam.ServicePrincipal(f"logs.{key_stack.region}.amazonaws.com")],
                actions=list(LOGS_SERVICE_KEY_ACTIONS),
                # In a key policy '*' is the key itself.
                resources=["*"],
                conditions={
                    "ArnLike": {"kms:EncryptionContext:aws:logs:arn": glue_log_groups_arn(key, _GLUE_LOG_PREFIX)}
                },
            )
        )


class ZoneCrawler(Construct):
    """A Glue crawler over one zone prefix, with a role that reads only that prefix and writes only that zone's
    database, running under the catalog's security configuration.

    Tables are added and updated; a vanished folder is only logged (``DeleteBehavior: LOG``), never dropped.
    """

    @property
    def crawler_name(self) -> str:
        """The crawler's name (its ``Ref``): ``crawlerName`` in Glue's EventBridge events."""
        return self.resource.ref

    @checked_arguments
    def __init__(self, scope: Construct, id: str, *, props: CrawlerProps, catalog: DataCatalog) -> None:
        super().__init__(scope, id)
        props.raise_if_invalid(self.node.path)
        self.props = props
        zone = props.zone
        lake = catalog.lake

        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("glue.amazonaws.com"),
            description=f"Glue crawler of the {zone.value} zone prefix '{props.prefix}'",
        )
        lake.grant_read(zone, self.role, prefix=props.prefix)
        tables = catalog.tables_arn(zone)
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(CRAWLER_CATALOG_ACTIONS),
                resources=[catalog.catalog_arn, catalog.database_arn(zone), tables],
            )
        )
        grant_glue_logging(
            self.role,
            log_prefix=CRAWLER_LOG_PREFIX,
            key=lake.key,
            names=f"crawler log groups {CRAWLER_LOG_PREFIX}-role/<role>-<security configuration>",
        )
        acknowledge_wildcard_resources(
            self.role,
            [tables],
            f"Glue names the tables of a database only as table/<database>/*: the crawler writes tables of "
            f"{catalog.database_name(zone)} only.",
        )
        acknowledge_inline_policies(self.role, INLINE_POLICY_REASON)

        self.resource = glue.CfnCrawler(
            self,
            "Resource",
            role=self.role.role_arn,
            database_name=catalog.database(zone).ref,
            description=f"Crawls s3://<{zone.value} bucket>/{props.prefix} into {catalog.database_name(zone)}",
            targets=glue.CfnCrawler.TargetsProperty(
                s3_targets=[
                    glue.CfnCrawler.S3TargetProperty(path=f"s3://{lake.bucket(zone).bucket_name}/{props.prefix}")
                ]
            ),
            schedule=glue.CfnCrawler.ScheduleProperty(schedule_expression=props.schedule) if props.schedule else None,
            crawler_security_configuration=catalog.security_configuration.ref,
            schema_change_policy=glue.CfnCrawler.SchemaChangePolicyProperty(
                update_behavior="UPDATE_IN_DATABASE", delete_behavior="LOG"
            ),
            recrawl_policy=glue.CfnCrawler.RecrawlPolicyProperty(recrawl_behavior="CRAWL_EVERYTHING"),
        )
        # The first scheduled run must find the role's permissions in place.
        default_policy = self.role.node.try_find_child("DefaultPolicy")
        if default_policy is not None:
            self.resource.node.add_dependency(default_policy)
