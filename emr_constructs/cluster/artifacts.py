"""Files the cluster nodes read from S3 (certificates, bootstrap scripts, step scripts), and exact-object grants.

Local files ship as CDK assets (``aws_s3_assets.Asset``) into the CDK bootstrap bucket, under a key made of
their content hash: a changed script is a new object, so a deploy is repeatable and never edits a file a
running cluster uses. Every grant here is ``s3:GetObject`` on exactly one object, never on a bucket or prefix.
"""

from __future__ import annotations

from typing import Self

from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.iam.keys import grant_key_through_s3, key_through_s3_statement

#: What the nodes need to download one object: S3 HEAD requests are authorised by s3:GetObject too.
_OBJECT_READ_ACTIONS = ("s3:GetObject",)
_KEY_READ_ACTIONS = ("kms:Decrypt",)


@checked_arguments
def grant_object_read(grantee: iam.IGrantable, bucket: s3.IBucket, object_key: str) -> iam.Grant:
    """``s3:GetObject`` on exactly ``bucket/object_key`` (and ``kms:Decrypt`` of the bucket's key through S3 for
    that bucket only, if it has a key)."""
    grant = iam.Grant.add_to_principal(
        grantee=grantee, actions=list(_OBJECT_READ_ACTIONS), resource_arns=[bucket.arn_for_objects(object_key)]
    )
    if bucket.encryption_key is not None:
        grant = grant.combine(grant_key_through_s3(bucket.encryption_key, grantee, bucket, *_KEY_READ_ACTIONS))
    return grant


def object_read_statements(bucket: s3.IBucket, object_key: str) -> list[iam.PolicyStatement]:
    """The statements :func:`grant_object_read` grants, for a policy of one's own (``iam.Policy``)."""
    statements = [
        iam.PolicyStatement(actions=list(_OBJECT_READ_ACTIONS), resources=[bucket.arn_for_objects(object_key)])
    ]
    if bucket.encryption_key is not None:
        statements.append(key_through_s3_statement(bucket.encryption_key, bucket, *_KEY_READ_ACTIONS))
    return statements


class S3File:
    """One object in S3 the cluster nodes read: ``s3_uri`` for EMR, :meth:`grant_read` for the instance role."""

    def __init__(self, *, bucket: s3.IBucket, object_key: str) -> None:
        self.bucket = bucket
        self.object_key = object_key

    @classmethod
    def from_bucket(cls, bucket: s3.IBucket, object_key: str) -> Self:
        """An object that exists (or will, before the cluster starts) in ``bucket``."""
        return cls(bucket=bucket, object_key=object_key)

    @classmethod
    def from_asset(cls, scope: Construct, id: str, path: str) -> Self:
        """A local file (or a directory, zipped) uploaded as a CDK asset at deploy time."""
        asset = s3_assets.Asset(scope, id, path=path)
        return cls(bucket=asset.bucket, object_key=asset.s3_object_key)

    @property
    def s3_uri(self) -> str:
        return self.bucket.s3_url_for_object(self.object_key)

    @checked_arguments
    def grant_read(self, grantee: iam.IGrantable) -> iam.Grant:
        return grant_object_read(grantee, self.bucket, self.object_key)


class TlsCertificates(S3File):
    """The zip of PEM files EMR uses for in-transit encryption (``privateKey.pem``, ``certificateChain.pem``,
    optionally ``trustedCertificates.pem``).

    Where it comes from:

    * Production: your PKI (or a script run once) writes the zip to a bucket you control, e.g. the lake's
      artifacts bucket, and you pass ``TlsCertificates.from_bucket(bucket, key)``. This is also what the cluster
      does by default: with an ``artifacts_bucket`` and no certificates given, it expects the zip at
      ``SecurityConfigurationProps.tls_certificates_key`` (``emr/tls/certificates.zip``) there. The object must
      exist before the cluster starts, or the cluster fails to launch.
    * Development only: ``TlsCertificates.from_asset(scope, id, "certs/")`` uploads a local folder or zip as a
      CDK asset. **The private key then sits in the CDK bootstrap bucket, readable by everyone who can read
      that bucket, and in your cloud assembly on disk.** Never use it with a key that protects real data.

    Either way the instance role gets ``s3:GetObject`` on exactly that object.
    """
