"""EmrSecurityConfiguration: the JSON for each option, sharing one configuration, and what it grants."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.cluster import (
    EmrCluster,
    EmrSecurityConfiguration,
    KerberosProps,
    S3EncryptionMode,
    SecurityConfigurationProps,
    TlsCertificates,
)
from emr_constructs.cluster.security_configuration import security_configuration_document
from tests.cluster.builders import platform
from tests.support import new_stack


def document(props: SecurityConfigurationProps, with_certificates: bool = True) -> dict[str, Any]:
    stack = new_stack()
    refs = platform(stack)
    certificates = TlsCertificates.from_bucket(refs.artifacts, "c.zip") if with_certificates else None
    resolved: dict[str, Any] = stack.resolve(
        security_configuration_document(props, encryption_key=refs.key, tls_certificates=certificates)
    )
    return resolved


def test_sse_s3_has_no_key_and_ebs_encryption_can_be_off() -> None:
    at_rest = document(SecurityConfigurationProps(s3_encryption=S3EncryptionMode.SSE_S3, ebs_encryption=False))[
        "EncryptionConfiguration"
    ]["AtRestEncryptionConfiguration"]
    assert at_rest["S3EncryptionConfiguration"] == {"EncryptionMode": "SSE-S3"}
    assert at_rest["LocalDiskEncryptionConfiguration"]["EnableEbsEncryption"] is False


def test_everything_off_is_still_a_valid_document() -> None:
    props = SecurityConfigurationProps(
        s3_encryption=None, local_disk_encryption=False, ebs_encryption=False, in_transit_encryption=False, imdsv2=False
    )
    assert props.problems() == []
    assert document(props, with_certificates=False) == {
        "EncryptionConfiguration": {"EnableAtRestEncryption": False, "EnableInTransitEncryption": False}
    }


def test_imds_hop_limit_and_kerberos_lifetime() -> None:
    props = SecurityConfigurationProps(
        imds_hop_limit=2, kerberos=KerberosProps(realm="R.EXAMPLE", ticket_lifetime_hours=8)
    )
    result = document(props)
    assert result["InstanceMetadataServiceConfiguration"]["HttpPutResponseHopLimit"] == 2
    kerberos = result["AuthenticationConfiguration"]["KerberosConfiguration"]
    assert kerberos["ClusterDedicatedKdcConfiguration"] == {"TicketLifetimeInHours": 8}


def test_one_configuration_shared_by_two_clusters() -> None:
    stack = new_stack()
    refs = platform(stack)
    shared = EmrSecurityConfiguration(
        stack,
        "Security",
        encryption_key=refs.key,
        tls_certificates=TlsCertificates.from_bucket(refs.artifacts, "emr/tls/shared.zip"),
    )
    args = {**refs.cluster_args(), "artifacts_bucket": None}
    first = EmrCluster(stack, "First", security_configuration=shared, **args)
    second = EmrCluster(stack, "Second", security_configuration=shared, **args)
    template = Template.from_stack(stack)
    assert len(template.find_resources("AWS::EMR::SecurityConfiguration")) == 1
    ref = stack.resolve(shared.security_configuration_name)
    for cluster in (first, second):
        assert stack.resolve(cluster.resource.security_configuration) == ref
        assert cluster.node.try_find_child("SecurityConfiguration") is None


def test_grants_nodes_the_key_and_the_certificate_object_only() -> None:
    stack = new_stack()
    refs = platform(stack)
    security = EmrSecurityConfiguration(
        stack,
        "Security",
        encryption_key=refs.key,
        tls_certificates=TlsCertificates.from_bucket(refs.artifacts, "emr/tls/c.zip"),
    )
    nodes = iam.Role(stack, "Nodes", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    service = iam.Role(stack, "Service", assumed_by=iam.ServicePrincipal("elasticmapreduce.amazonaws.com"))
    security.grant_nodes(nodes)
    assert security.grant_ebs_encryption(service) is not None
    statements = {
        logical: resource["Properties"]["PolicyDocument"]["Statement"]
        for logical, resource in Template.from_stack(stack).find_resources("AWS::IAM::Policy").items()
    }
    (node_statements,) = [v for k, v in statements.items() if k.startswith("Nodes")]
    key_arn = stack.resolve(refs.key.key_arn)
    assert node_statements == [
        # Local-disk encryption: direct use, but never for an S3 object (no aws:s3:arn encryption context).
        {
            "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
            "Condition": {"Null": {"kms:EncryptionContext:aws:s3:arn": "true"}},
            "Effect": "Allow",
            "Resource": key_arn,
        },
        {
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": stack.resolve(refs.artifacts.arn_for_objects("emr/tls/c.zip")),
        },
        # The certificate zip: the key only through S3 of the region, only for the artifacts bucket.
        {
            "Action": "kms:Decrypt",
            "Condition": {
                "StringEquals": {
                    "kms:ViaService": stack.resolve(f"s3.{stack.region}.amazonaws.com"),
                    "kms:EncryptionContext:aws:s3:arn": stack.resolve(refs.artifacts.bucket_arn),
                }
            },
            "Effect": "Allow",
            "Resource": key_arn,
        },
    ]


def test_grants_nodes_no_direct_key_use_without_local_disk_encryption() -> None:
    stack = new_stack()
    refs = platform(stack)
    security = EmrSecurityConfiguration(
        stack,
        "Security",
        props=SecurityConfigurationProps(
            local_disk_encryption=False, ebs_encryption=False, in_transit_encryption=False
        ),
        encryption_key=refs.key,
    )
    nodes = iam.Role(stack, "Nodes", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    assert security.grant_nodes(nodes) is None
    assert Template.from_stack(stack).find_resources("AWS::IAM::Policy") == {}


def test_no_ebs_grant_without_ebs_encryption() -> None:
    stack = new_stack()
    refs = platform(stack)
    security = EmrSecurityConfiguration(
        stack,
        "Security",
        props=SecurityConfigurationProps(ebs_encryption=False, in_transit_encryption=False),
        encryption_key=refs.key,
    )
    service = iam.Role(stack, "Service", assumed_by=iam.ServicePrincipal("elasticmapreduce.amazonaws.com"))
    assert security.grant_ebs_encryption(service) is None
    assert security.tls_certificates is None
