"""A relational source or sink (RDS / Aurora, PostgreSQL or MySQL), and the one grant compute needs to use it."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks
from emr_constructs.guard import GuardRule, acknowledge_guard, restrict_grants_to_aws_services
from emr_constructs.network.interfaces import IPlatformNetwork
from emr_constructs.policy.acknowledge import acknowledge
from emr_constructs.removal import safe_removal_policy
from emr_constructs.sources.common import IngressRules, record_brought
from emr_constructs.sources.compute import IDataCompute
from emr_constructs.sources.database_props import DEFAULT_PORTS, JDBC_SCHEMES, DatabaseEngine, RelationalDatabaseProps

#: Reading the credentials; the key is used only through Secrets Manager (``kms:ViaService``).
SECRET_READ_ACTIONS: tuple[str, ...] = ("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue")
#: Admin user of a created database; jobs read it, with the password, from the generated secret.
ADMIN_USERNAME = "platform_admin"
_LOG_EXPORTS: dict[DatabaseEngine, list[str]] = {
    DatabaseEngine.POSTGRES: ["postgresql", "upgrade"],
    DatabaseEngine.MYSQL: ["error", "general", "slowquery", "audit"],
}
_DEV_REASON = (
    "A database the library creates is a small development database (RelationalDatabaseProps.create): one AZ, "
    "no backup plan beyond RDS automated backups, no enhanced monitoring, no rotation Lambda. Production "
    "databases are brought (RelationalDatabaseProps.existing) and run by their owners."
)
_DESTROY_REASON = (
    "Deletion protection is off only because removal_policy=DESTROY was requested and the app runs with "
    "-c emr-platform:allow-destroy=true (a development environment torn down with its stack); it is on otherwise."
)
_PORT_REASON = (
    "The port is not a security control: the instance is private (no public access, private subnets) and its "
    "security group admits only the compute groups granted; drivers expect the engine's default port."
)


class RelationalDatabase(Construct):
    """A relational database jobs read from (a dimension) or write to, brought or (in dev) created.

    - ``props.existing``: the endpoint, port, security group and credentials secret of a database the team
      runs; nothing is created but the JDBC URL parameter and, per grant, ingress rules on its group.
    - ``props.create``: a single-AZ RDS instance in the network's private subnets, storage and generated
      credentials secret encrypted with its own KMS key (rotation on), TLS-capable, IAM authentication on,
      logs exported to CloudWatch. The instance, key and secret are RETAINed (deletion protection on) unless
      ``removal_policy=DESTROY`` is passed *and* the app runs with ``-c emr-platform:allow-destroy=true``.

    The JDBC URL (no credentials in it) is published as the SSM parameter :attr:`jdbc_url_parameter`;
    :meth:`grant_connect` gives one compute principal exactly what a job needs to connect.

    Example::

        db = RelationalDatabase(stack, "Products", props=RelationalDatabaseProps(existing=ExistingDatabaseProps(
            endpoint="products.abc.eu-west-1.rds.amazonaws.com", security_group_id="sg-0123abcd",
            secret_arn="arn:aws:secretsmanager:eu-west-1:111122223333:secret:products-AbCdEf")))
        db.grant_connect(DataCompute.of_cluster(cluster))
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: RelationalDatabaseProps,
        network: IPlatformNetwork | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        """
        :param props: the data part (settings JSON parses into it).
        :param network: where a created database goes (its cluster subnets); required with ``props.create``.
        :param removal_policy: of a created database, its key and secret; default RETAIN.
        """
        super().__init__(scope, id)
        checks = Checks()
        checks.extend(props.problems())
        if props.create is not None:
            checks.require(
                network is not None,
                "network",
                None,
                "a created database needs the network's private subnets",
                "network=<IPlatformNetwork>, or props.existing",
            )
        checks.raise_if_any(self.node.path)
        self.props = props
        self.engine = props.engine
        self.port = props.effective_port
        self.database_name = props.database_name
        self.key: kms.IKey | None = None
        self.instance: rds.DatabaseInstance | None = None
        self.generated_secret: secretsmanager.Secret | None = None
        self.secret_name_parameter: ssm.StringParameter | None = None

        if props.existing is not None:
            existing = props.existing
            self.endpoint = existing.endpoint
            self.security_group: ec2.ISecurityGroup = ec2.SecurityGroup.from_security_group_id(
                self, "SecurityGroup", existing.security_group_id, mutable=False
            )
            if existing.secret_key_arn is not None:
                self.key = kms.Key.from_key_arn(self, "Key", existing.secret_key_arn)
            self.secret: secretsmanager.ISecret = secretsmanager.Secret.from_secret_attributes(
                self, "Secret", secret_complete_arn=existing.secret_arn, encryption_key=self.key
            )
            record_brought(
                self,
                ("database-endpoint", existing.endpoint),
                ("security-group", existing.security_group_id),
                ("secret", existing.secret_arn),
                ("kms-key", existing.secret_key_arn),
            )
        else:
            assert network is not None and props.create is not None
            self._create(network, safe_removal_policy(self, removal_policy))

        self.jdbc_url = f"jdbc:{JDBC_SCHEMES[self.engine]}://{self.endpoint}:{self.port}/{self.database_name}"
        """``jdbc:<postgresql|mysql>://<endpoint>:<port>/<database>``: no user, no password."""
        self.jdbc_url_parameter = ssm.StringParameter(
            self,
            "JdbcUrl",
            string_value=self.jdbc_url,
            description=f"JDBC URL of {self.node.path} (credentials are in its Secrets Manager secret)",
        )
        self._ingress = IngressRules(self, self.security_group.security_group_id, self.port, "Database")

    @property
    def secret_name(self) -> str:
        """The credentials secret's name: what the workloads' ``--jdbc-secret-name`` takes. For a created
        database it is read from :attr:`secret_name_parameter`, so another stack receives a plain value rather
        than the ``Fn::Split`` of the secret's ARN (CDK's weak cross-stack references cannot be split)."""
        if self.secret_name_parameter is not None:
            return self.secret_name_parameter.string_value
        return self.secret.secret_name

    @property
    def ingress_rules(self) -> list[ec2.CfnSecurityGroupIngress]:
        """The rules :meth:`grant_connect` added, one per compute security group."""
        return list(self._ingress.rules)

    @property
    def egress_rules(self) -> list[ec2.CfnSecurityGroupEgress]:
        """The egress rules :meth:`grant_connect` added on compute groups that restrict outbound traffic."""
        return list(self._ingress.egress_rules)

    @checked_arguments
    def grant_connect(self, compute: IDataCompute) -> iam.Grant:
        """Everything ``compute`` needs to connect, and nothing more:

        - ingress on :attr:`port` of the database's group from each of ``compute.security_groups`` (and egress to
          it from a group that restricts its outbound traffic, e.g. an EMR Serverless application's);
        - ``secretsmanager:GetSecretValue`` and ``DescribeSecret`` on this one secret, and ``kms:Decrypt`` on its
          customer key (when it has one) only through Secrets Manager in this region;
        - read of the JDBC URL parameter.
        """
        for group in compute.security_groups:
            self._ingress.admit(group)
        grant = iam.Grant.add_to_principal(
            grantee=compute.role, actions=list(SECRET_READ_ACTIONS), resource_arns=[self.secret.secret_arn]
        )
        if self.key is not None:
            grant = grant.combine(
                iam.Grant.add_to_principal(
                    grantee=compute.role,
                    actions=["kms:Decrypt"],
                    resource_arns=[self.key.key_arn],
                    conditions={
                        "StringEquals": {"kms:ViaService": f"secretsmanager.{Stack.of(self).region}.amazonaws.com"}
                    },
                )
            )
        return grant.combine(self.jdbc_url_parameter.grant_read(compute.role))

    def _create(self, network: IPlatformNetwork, removal_policy: RemovalPolicy) -> None:
        create = self.props.create
        assert create is not None
        self.key = kms.Key(
            self,
            "Key",
            description=f"Relational database {self.node.path}: storage and credentials secret",
            enable_key_rotation=True,
            removal_policy=removal_policy,
        )
        restrict_grants_to_aws_services(self.key)
        group = ec2.SecurityGroup(
            self,
            "SecurityGroupResource",
            vpc=network.vpc,
            allow_all_outbound=False,
            description=f"Relational database {self.node.path}: granted compute on {self.port} only",
        )
        self.security_group = group
        engine = (
            rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16_9)
            if self.engine == DatabaseEngine.POSTGRES
            else rds.DatabaseInstanceEngine.mysql(version=rds.MysqlEngineVersion.VER_8_0_46)
        )
        destroy = removal_policy == RemovalPolicy.DESTROY
        instance = rds.DatabaseInstance(
            self,
            "Resource",
            engine=engine,
            instance_type=ec2.InstanceType(create.instance_type),
            vpc=network.vpc,
            vpc_subnets=ec2.SubnetSelection(subnets=list(network.cluster_subnets)),
            security_groups=[group],
            credentials=rds.Credentials.from_generated_secret(ADMIN_USERNAME, encryption_key=self.key),
            database_name=self.database_name,
            port=self.port,
            storage_encrypted=True,
            storage_encryption_key=self.key,
            storage_type=rds.StorageType.GP3,
            allocated_storage=create.allocated_storage_gib,
            multi_az=False,
            publicly_accessible=False,
            iam_authentication=True,
            auto_minor_version_upgrade=True,
            backup_retention=Duration.days(create.backup_retention_days),
            deletion_protection=not destroy,
            cloudwatch_logs_exports=_LOG_EXPORTS[self.engine],
            removal_policy=removal_policy,
        )
        assert instance.secret is not None
        # The generated secret is a child of the instance and defaults to DESTROY: the credentials must outlive a
        # retained instance, or nobody can log in to it again.
        generated = instance.node.find_child("Secret")
        assert isinstance(generated, secretsmanager.Secret)
        generated.apply_removal_policy(removal_policy)
        self.generated_secret = generated
        self.secret_name_parameter = ssm.StringParameter(
            self,
            "SecretName",
            string_value=instance.secret.secret_name,
            description=f"Name of the credentials secret of {self.node.path} (the secret holds the password)",
        )
        self.instance = instance
        self.endpoint = instance.db_instance_endpoint_address
        self.secret = instance.secret
        acknowledge(
            self,
            [
                "AwsSolutions-RDS3",
                "AwsSolutions-SMG4",
                "NIST.800.53.R5-RDSMultiAZSupport",
                "NIST.800.53.R5-RDSInBackupPlan",
                "NIST.800.53.R5-RDSEnhancedMonitoringEnabled",
                "NIST.800.53.R5-SecretsManagerRotationEnabled",
                "HIPAA.Security-RDSMultiAZSupport",
                "HIPAA.Security-RDSInBackupPlan",
                "HIPAA.Security-RDSEnhancedMonitoringEnabled",
                "HIPAA.Security-SecretsManagerRotationEnabled",
            ],
            _DEV_REASON,
        )
        if destroy:
            acknowledge(
                instance,
                [
                    "AwsSolutions-RDS10",
                    "NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled",
                    "HIPAA.Security-RDSInstanceDeletionProtectionEnabled",
                ],
                _DESTROY_REASON,
            )
        acknowledge_guard(instance, [GuardRule.RDS_MULTI_AZ, GuardRule.RDS_ENHANCED_MONITORING], _DEV_REASON)
        if self.port == DEFAULT_PORTS[self.engine]:
            acknowledge(instance, ["AwsSolutions-RDS11"], _PORT_REASON)
            acknowledge_guard(instance, [GuardRule.RDS_NO_DEFAULT_PORT], _PORT_REASON)
