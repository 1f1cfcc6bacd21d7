"""Props of the EMR security configuration (data only; the construct is in ``security_configuration``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from emr_constructs.choices import require_member
from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps

#: Where the cluster looks for the PEM zip in the artifacts bucket when no certificate location is given.
DEFAULT_TLS_CERTIFICATES_KEY = "emr/tls/certificates.zip"


class S3EncryptionMode(StrEnum):
    """How EMRFS encrypts the objects it writes to S3."""

    SSE_KMS = "SSE-KMS"
    SSE_S3 = "SSE-S3"


@dataclass(frozen=True, kw_only=True)
class KerberosProps(ValidatedProps):
    """Kerberos with a KDC on the cluster's primary node (``ClusterDedicatedKdc``).

    The KDC admin password is not data: the cluster takes it as a Secrets Manager secret
    (``kdc_admin_password=``) and passes it as a dynamic reference, so it never appears in the template.
    """

    realm: str
    """Kerberos realm, e.g. ``EC2.INTERNAL`` (us-east-1) or ``EU-WEST-1.COMPUTE.INTERNAL``. Required."""
    ticket_lifetime_hours: int = 24
    """Lifetime of tickets the KDC issues. Default 24 hours."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            0 < len(self.realm) <= 256 and self.realm.strip() == self.realm,
            "realm",
            self.realm,
            "a Kerberos realm is required, at most 256 characters, without surrounding spaces",
            "e.g. 'EC2.INTERNAL'",
        )
        checks.require(
            self.ticket_lifetime_hours >= 1,
            "ticket_lifetime_hours",
            self.ticket_lifetime_hours,
            "ticket lifetime must be positive",
            ">= 1",
        )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class SecurityConfigurationProps(ValidatedProps):
    """What the EMR security configuration enables. Defaults: everything on, with the given KMS key.

    The defaults satisfy the at-rest, local-disk and in-transit encryption rules of the cdk-nag packs.
    """

    s3_encryption: S3EncryptionMode | None = S3EncryptionMode.SSE_KMS
    """EMRFS encryption of objects written to S3. Default SSE-KMS with the cluster's key; ``None`` leaves it to
    the buckets' default encryption."""
    local_disk_encryption: bool = True
    """Encrypt instance-store and EBS data volumes (LUKS) with a data key from the KMS key. Default on."""
    ebs_encryption: bool = True
    """Also encrypt EBS root and data volumes with the KMS key (EBS encryption, release 5.24.0+). Needs
    ``local_disk_encryption``. Default on."""
    in_transit_encryption: bool = True
    """TLS between cluster nodes and for application endpoints, with PEM certificates from S3. Default on; the
    certificates must exist before the cluster starts (see ``EmrSecurityConfiguration``)."""
    imdsv2: bool = True
    """Require IMDSv2 (session tokens) for instance metadata on every node. Default on."""
    imds_hop_limit: int = 1
    """HTTP PUT response hop limit of IMDSv2 tokens, 1-64. Default 1 (no container on a node can fetch the
    instance role's credentials); raise to 2 if containers on the nodes need instance metadata."""
    kerberos: KerberosProps | None = None
    """Kerberos authentication with a cluster-dedicated KDC. Default: off (operators use SSM, jobs use IAM)."""
    tls_certificates_key: str = DEFAULT_TLS_CERTIFICATES_KEY
    """Object key of the PEM zip in the artifacts bucket, used when the cluster is given an artifacts bucket
    but no explicit certificate location. Default ``emr/tls/certificates.zip``."""

    @property
    def at_rest_encryption(self) -> bool:
        return self.s3_encryption is not None or self.local_disk_encryption

    def _rules(self) -> list[Problem]:
        checks = Checks()
        if self.s3_encryption is not None:
            require_member(checks, S3EncryptionMode, "s3_encryption", self.s3_encryption)
        checks.require(
            not self.ebs_encryption or self.local_disk_encryption,
            "ebs_encryption",
            self.ebs_encryption,
            "EBS encryption is part of local-disk encryption",
            "false, or local_disk_encryption true",
        )
        if self.imdsv2:
            checks.require(
                1 <= self.imds_hop_limit <= 64,
                "imds_hop_limit",
                self.imds_hop_limit,
                "IMDSv2 hop limit out of range",
                "1-64",
            )
        key = self.tls_certificates_key
        checks.require(
            bool(key) and not key.startswith("/") and key.endswith(".zip"),
            "tls_certificates_key",
            key,
            "not an S3 object key of a zip file",
            "e.g. 'emr/tls/certificates.zip' (no leading '/')",
        )
        if self.kerberos is not None:
            checks.extend(self.kerberos.problems(), "kerberos")
        return checks.problems
