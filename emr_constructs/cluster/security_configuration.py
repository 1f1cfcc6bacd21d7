"""The EMR security configuration: encryption at rest and in transit, IMDSv2, optional Kerberos.

The JSON uses the nesting EMR requires: the encryption switches sit under ``EncryptionConfiguration``
(https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html). cdk-nag 3.0.2
(AwsSolutions-EMR4/EMR5) looks for them at the top level instead and flags a correct configuration; the
cluster acknowledges those two findings, and the library's tests check the real shape.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_emr as emr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.cluster.artifacts import TlsCertificates
from emr_constructs.cluster.security_props import S3EncryptionMode, SecurityConfigurationProps
from emr_constructs.errors import Checks
from emr_constructs.iam.keys import grant_key_outside_s3

#: What the nodes do with the key themselves, for local-disk encryption (the LUKS data keys). Their S3 use of the
#: key (EMRFS SSE-KMS) is not here: it comes with each bucket grant (``DataLake.grant_*``, the log and certificate
#: grants), through S3 and for that bucket only (``emr_constructs.iam.keys.grant_key_through_s3``).
NODE_KEY_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey")
#: What EMR's service role needs to create KMS-encrypted EBS volumes for the nodes (emr-encryption-enable,
#: "EBS encryption"): use of the key, and grants limited to AWS resources (EBS).
EBS_SERVICE_KEY_ACTIONS = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
)
EBS_SERVICE_GRANT_ACTIONS = ("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant")


def security_configuration_document(
    props: SecurityConfigurationProps, *, encryption_key: kms.IKey, tls_certificates: TlsCertificates | None
) -> dict[str, Any]:
    """The ``SecurityConfiguration`` JSON (with CDK tokens for the key ARN and certificate location)."""
    encryption: dict[str, Any] = {
        "EnableAtRestEncryption": props.at_rest_encryption,
        "EnableInTransitEncryption": props.in_transit_encryption,
    }
    at_rest: dict[str, Any] = {}
    if props.s3_encryption is not None:
        s3_config: dict[str, Any] = {"EncryptionMode": props.s3_encryption.value}
        if props.s3_encryption == S3EncryptionMode.SSE_KMS:
            s3_config["AwsKmsKey"] = encryption_key.key_arn
        at_rest["S3EncryptionConfiguration"] = s3_config
    if props.local_disk_encryption:
        at_rest["LocalDiskEncryptionConfiguration"] = {
            "EncryptionKeyProviderType": "AwsKms",
            "AwsKmsKey": encryption_key.key_arn,
            "EnableEbsEncryption": props.ebs_encryption,
        }
    if at_rest:
        encryption["AtRestEncryptionConfiguration"] = at_rest
    if props.in_transit_encryption and tls_certificates is not None:
        encryption["InTransitEncryptionConfiguration"] = {
            "TLSCertificateConfiguration": {"CertificateProviderType": "PEM", "S3Object": tls_certificates.s3_uri}
        }
    document: dict[str, Any] = {"EncryptionConfiguration": encryption}
    if props.imdsv2:
        document["InstanceMetadataServiceConfiguration"] = {
            "MinimumInstanceMetadataServiceVersion": 2,
            "HttpPutResponseHopLimit": props.imds_hop_limit,
        }
    if props.kerberos is not None:
        document["AuthenticationConfiguration"] = {
            "KerberosConfiguration": {
                "Provider": "ClusterDedicatedKdc",
                "ClusterDedicatedKdcConfiguration": {"TicketLifetimeInHours": props.kerberos.ticket_lifetime_hours},
            }
        }
    return document


class EmrSecurityConfiguration(Construct):
    """An ``AWS::EMR::SecurityConfiguration`` built from :class:`SecurityConfigurationProps`.

    Defaults: S3 (SSE-KMS), local-disk and EBS encryption with ``encryption_key``; TLS in transit with the PEM
    zip at ``tls_certificates``; IMDSv2 required. Share one configuration between clusters by passing it to
    each ``EmrCluster(security_configuration=...)``; the nodes' access is granted by each cluster through
    :meth:`grant_nodes` and :meth:`grant_ebs_encryption`.

    CloudFormation replaces a security configuration whose JSON changes, and with it every cluster using it.

    Example::

        certs = TlsCertificates.from_bucket(lake.bucket(Zone.ARTIFACTS), "emr/tls/certificates.zip")
        security = EmrSecurityConfiguration(stack, "Security", encryption_key=lake.key, tls_certificates=certs)
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: SecurityConfigurationProps = SecurityConfigurationProps(),  # noqa: B008 - frozen dataclass
        encryption_key: kms.IKey,
        tls_certificates: TlsCertificates | None = None,
    ) -> None:
        super().__init__(scope, id)
        checks = Checks()
        checks.extend(props.problems())
        if props.in_transit_encryption:
            checks.require(
                tls_certificates is not None,
                "tls_certificates",
                None,
                "in-transit encryption needs the S3 location of a PEM certificate zip",
                "tls_certificates=TlsCertificates.from_bucket(bucket, key), or props.in_transit_encryption=False",
            )
        checks.raise_if_any(self.node.path)
        self.props = props
        self.encryption_key = encryption_key
        self.tls_certificates = tls_certificates if props.in_transit_encryption else None
        self.document = security_configuration_document(
            props, encryption_key=encryption_key, tls_certificates=self.tls_certificates
        )
        self.resource = emr.CfnSecurityConfiguration(self, "Resource", security_configuration=self.document)

    @property
    def security_configuration_name(self) -> str:
        """The name EMR knows the configuration by (``Ref``)."""
        return self.resource.ref

    @property
    def kerberos_enabled(self) -> bool:
        return self.props.kerberos is not None

    @checked_arguments
    def grant_nodes(self, instance_role: iam.IGrantable) -> iam.Grant | None:
        """What the cluster nodes need: direct use of the key for local-disk encryption, never for an S3 object
        (no ``aws:s3:arn`` encryption context), and read of exactly the certificate zip.

        The key grants no S3 access by itself: with SSE-KMS, the nodes may use the key through S3 only for the
        buckets (and prefixes) they were granted, e.g. ``DataLake.grant_read_write`` or ``grant_zone_access``.
        Returns ``None`` when local-disk encryption and in-transit encryption are both off (nothing to grant).
        """
        grants: list[iam.Grant] = []
        if self.props.local_disk_encryption:
            grants.append(grant_key_outside_s3(self.encryption_key, instance_role, *NODE_KEY_ACTIONS))
        if self.tls_certificates is not None:
            grants.append(self.tls_certificates.grant_read(instance_role))
        if not grants:
            return None
        combined = grants[0]
        for grant in grants[1:]:
            combined = combined.combine(grant)
        return combined

    @checked_arguments
    def grant_ebs_encryption(self, service_role: iam.IGrantable) -> iam.Grant | None:
        """What EMR's service role needs to launch nodes with KMS-encrypted EBS volumes (``None`` when off)."""
        if not (self.props.local_disk_encryption and self.props.ebs_encryption):
            return None
        grant = self.encryption_key.grant(service_role, *EBS_SERVICE_KEY_ACTIONS)
        return grant.combine(
            iam.Grant.add_to_principal(
                grantee=service_role,
                actions=list(EBS_SERVICE_GRANT_ACTIONS),
                resource_arns=[self.encryption_key.key_arn],
                conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}},
            )
        )
