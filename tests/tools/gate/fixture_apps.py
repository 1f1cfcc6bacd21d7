"""Small apps the gate's tests synthesize: one deliberately insecure, one clean with acknowledgements.

Each insecure case is its own Stage, so one synth produces all of them and the findings of
each case are told apart by environment (the stage name).
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Acknowledgment, App, Stack, Stage, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from emr_constructs.policy import add_policy_packs
from tests.support import CDK_CONTEXT

#: The gate reads the report instead of letting synth raise on findings (what `make check` does too).
GATE_CONTEXT = {**CDK_CONTEXT, "@aws-cdk/core:failSynthOnValidationErrors": False}


def _cluster(scope: Stack, instances: emr.CfnCluster.JobFlowInstancesConfigProperty) -> emr.CfnCluster:
    """A raw L1 cluster, as a team that does not use this library would write it."""
    return emr.CfnCluster(
        scope,
        "Cluster",
        name="raw",
        release_label="emr-7.5.0",
        job_flow_role="EMR_EC2_DefaultRole",
        service_role="EMR_DefaultRole",
        instances=instances,
    )


def insecure_app(outdir: Path) -> App:
    app = App(outdir=str(outdir), context=GATE_CONTEXT)

    bucket_stack = Stack(Stage(app, "bucket"), "Data")
    s3.Bucket(
        bucket_stack,
        "Public",
        public_read_access=True,
        block_public_access=s3.BlockPublicAccess(
            block_public_acls=False, block_public_policy=False, ignore_public_acls=False, restrict_public_buckets=False
        ),
    )
    Validations.of(bucket_stack).acknowledge(Acknowledgment(id="AwsSolutions-S10", reason="stack-wide, on purpose"))
    Validations.of(app).acknowledge(Acknowledgment(id="AwsSolutions-S1", reason="app-wide, on purpose"))

    cluster_stack = Stack(Stage(app, "cluster"), "Data")
    _cluster(cluster_stack, emr.CfnCluster.JobFlowInstancesConfigProperty(ec2_subnet_id="subnet-0123456789abcdef0"))

    iam_stack = Stack(Stage(app, "iam"), "Data")
    role = iam.Role(iam_stack, "Role", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["*"], resources=["*"]))

    ingress_stage = Stage(app, "ingress")
    network = Stack(ingress_stage, "Network")
    vpc = ec2.Vpc(network, "Vpc", max_azs=1, nat_gateways=0)
    primary = ec2.SecurityGroup(network, "Primary", vpc=vpc, description="EMR primary")
    primary.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(8443), "open to the internet")
    workers = ec2.SecurityGroup(network, "Workers", vpc=vpc, description="EMR core and task")
    data = Stack(ingress_stage, "Data")
    cluster = _cluster(
        data,
        emr.CfnCluster.JobFlowInstancesConfigProperty(
            ec2_subnet_id=vpc.isolated_subnets[0].subnet_id,
            emr_managed_master_security_group=primary.security_group_id,
            emr_managed_slave_security_group=workers.security_group_id,
        ),
    )
    ec2.CfnSecurityGroupIngress(
        data, "OpenWorkers", group_id=workers.security_group_id, ip_protocol="tcp", from_port=8443, to_port=8443,
        cidr_ipv6="::/0", description="open to the internet",
    )  # fmt: skip
    cluster.add_dependency(primary.node.default_child)  # type: ignore[arg-type]

    lint_stack = Stack(Stage(app, "lint"), "Data")
    broken = s3.CfnBucket(lint_stack, "Broken")
    broken.add_property_override("NotAProperty", True)

    add_policy_packs(app)
    return app


#: The acknowledgements the clean app makes: (construct path below the stage, rule, reason).
CLEAN_ACKNOWLEDGEMENTS = (
    ("Logs", "AwsSolutions-S1", "fixture: this bucket is the access-log target itself"),
    ("Logs", "NIST.800.53.R5-S3BucketLoggingEnabled", "fixture: this bucket is the access-log target itself"),
    ("Logs", "HIPAA.Security-S3BucketLoggingEnabled", "fixture: this bucket is the access-log target itself"),
    ("Logs", "PCI.DSS.321-S3BucketLoggingEnabled", "fixture: this bucket is the access-log target itself"),
    ("Logs", "NIST.800.53.R5-S3BucketReplicationEnabled", "fixture: single-region test data"),
    ("Logs", "HIPAA.Security-S3BucketReplicationEnabled", "fixture: single-region test data"),
    ("Logs", "PCI.DSS.321-S3BucketReplicationEnabled", "fixture: single-region test data"),
    ("Logs", "NIST.800.53.R5-S3DefaultEncryptionKMS", "fixture: access-log delivery needs SSE-S3"),
    ("Logs", "HIPAA.Security-S3DefaultEncryptionKMS", "fixture: access-log delivery needs SSE-S3"),
    ("Logs", "PCI.DSS.321-S3DefaultEncryptionKMS", "fixture: access-log delivery needs SSE-S3"),
)

#: checkov skips file of the clean app.
CLEAN_CHECKOV_SKIPS = """
skips:
  - check: CKV_AWS_18
    resources: ["*/Data/Logs/Resource"]
    reason: "fixture: the access-log bucket does not log to itself"
"""


def clean_app(outdir: Path) -> App:
    app = App(outdir=str(outdir), context=GATE_CONTEXT)
    for environment in ("dev", "prod"):
        stack = Stack(Stage(app, environment), "Data")
        logs = s3.Bucket(
            stack,
            "Logs",
            enforce_ssl=True,
            versioned=True,
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        )
        for _, rule, reason in CLEAN_ACKNOWLEDGEMENTS:
            Validations.of(logs).acknowledge(Acknowledgment(id=rule, reason=reason))
    add_policy_packs(app)
    return app
