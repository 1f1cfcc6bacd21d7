"""DataLake grants: exact IAM statements, and exactly the cdk-nag findings they cause acknowledged,
for a grantee in the lake's stack and for one in another stack (before and after CDK resolves references)."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.iam import EmrRoles, acknowledge_inline_policies
from emr_constructs.storage import DataLake, Zone
from tests.support import nag_findings, new_app

LAKE = "LakeKey7B6C155C", "LakeArtifactsBucket1B9F5BC1", "LakeLogsBucket5F21DAB1", "LakeCuratedBucketB28F5F4C"
KEY, ARTIFACTS, LOGS, CURATED = LAKE


class Built:
    def __init__(self) -> None:
        self.app: App = new_app()
        self.lake_stack = Stack(self.app, "Lake")
        self.cluster_stack = Stack(self.app, "Cluster")
        self.lake = DataLake(self.lake_stack, "Lake")
        self.local_role = iam.Role(self.lake_stack, "Local", assumed_by=iam.ServicePrincipal("glue.amazonaws.com"))
        self.roles = EmrRoles(self.cluster_stack, "Roles")
        self.imported = iam.Role.from_role_arn(self.cluster_stack, "Imported", "arn:aws:iam::123456789012:role/x")
        self.grants: list[iam.Grant] = []
        for grantee in (self.local_role, self.roles.instance_role):
            self.grants.append(self.lake.grant_read(Zone.ARTIFACTS, grantee, prefix="bootstrap/"))
            self.grants.append(self.lake.grant_write(Zone.LOGS, grantee, prefix="emr/"))
            self.grants.append(self.lake.grant_read_write(Zone.CURATED, grantee))
        self.grants.append(self.lake.grant_read(Zone.RAW, self.imported, prefix="landing/"))
        # Whether a role may hold an inline (default) policy is its owner's call; EmrRoles makes it for its roles.
        for owner in (self.local_role, self.imported):
            acknowledge_inline_policies(owner, "test roles: grants land in CDK's default policy")
        # Findings before synthesis (cross-stack values still look like the producer's GetAtt) ...
        self.findings_before_synth = nag_findings(self.app)
        self.lake_template = dict(Template.from_stack(self.lake_stack).to_json())
        self.cluster_template = dict(Template.from_stack(self.cluster_stack).to_json())
        # ... and after (the lake's buckets and key are strong references: Fn::ImportValue of the Lake's exports).
        self.findings_after_synth = nag_findings(self.app)


@pytest.fixture(scope="module")
def built() -> Built:
    return Built()


def _default_policy(template: dict[str, Any], role_prefix: str) -> list[dict[str, Any]]:
    policies = [
        v["Properties"]["PolicyDocument"]["Statement"]
        for k, v in template["Resources"].items()
        if v["Type"] == "AWS::IAM::Policy" and k.startswith(role_prefix)
    ]
    assert len(policies) == 1
    statements: list[dict[str, Any]] = policies[0]
    return statements


def _arn(logical_id: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id, "Arn"]}


def _objects(logical_id: str, prefix: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [_arn(logical_id), f"/{prefix}*"]]}


def _key_statement(actions: str | list[str], bucket: str) -> dict[str, Any]:
    return {
        "Action": actions,
        "Condition": {
            "StringEquals": {
                "kms:ViaService": {"Fn::Join": ["", ["s3.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]},
                "kms:EncryptionContext:aws:s3:arn": _arn(bucket),
            }
        },
        "Effect": "Allow",
        "Resource": _arn(KEY),
    }


def test_grant_statements_are_exact(built: Built) -> None:
    # CDK's minimizePolicies flag merges statements that differ only in resources.
    assert _default_policy(built.lake_template, "LocalDefaultPolicy") == [
        {
            "Action": "s3:ListBucket",
            "Condition": {"StringLike": {"s3:prefix": ["bootstrap/*"]}},
            "Effect": "Allow",
            "Resource": _arn(ARTIFACTS),
        },
        {"Action": "s3:GetBucketLocation", "Effect": "Allow", "Resource": [_arn(ARTIFACTS), _arn(CURATED)]},
        {
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": [_objects(ARTIFACTS, "bootstrap/"), _objects(CURATED, "")],
        },
        _key_statement("kms:Decrypt", ARTIFACTS),
        {
            "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"],
            "Effect": "Allow",
            "Resource": [_objects(CURATED, ""), _objects(LOGS, "emr/")],
        },
        _key_statement(["kms:Decrypt", "kms:GenerateDataKey"], LOGS),
        # No prefix, so no s3:prefix condition: the grantee may list the whole curated bucket.
        {"Action": "s3:ListBucket", "Effect": "Allow", "Resource": _arn(CURATED)},
        _key_statement(["kms:Decrypt", "kms:GenerateDataKey"], CURATED),
    ]


def test_no_star_actions_and_no_star_resources(built: Built) -> None:
    for template, prefix in (
        (built.lake_template, "LocalDefaultPolicy"),
        (built.cluster_template, "RolesInstanceRoleDefaultPolicy"),
    ):
        for statement in _default_policy(template, prefix):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert all("*" not in a for a in actions), statement
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            assert "*" not in resources, statement


def test_grants_succeed_and_combine_every_statement(built: Built) -> None:
    assert all(g.success for g in built.grants)
    # read: ListBucket, GetBucketLocation, GetObject, key; write: objects, key; read-write: all five kinds.
    assert [len(g.principal_statements) for g in built.grants[:3]] == [4, 2, 5]


def test_zero_nag_findings_before_and_after_synth(built: Built) -> None:
    assert built.findings_before_synth == []
    assert built.findings_after_synth == []


def _acknowledged_iam5(construct: Any) -> list[str]:
    ids = []
    for entry in construct.node.metadata:
        if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
            ids += [k.split("::", 1)[1] for k in entry.data if "IAM5" in k]
    return sorted(ids)


def _output_name(built: Built, logical_id: str) -> str:
    """The name CDK gave the Lake stack output that publishes ``logical_id``'s ARN to other stacks."""
    outputs = built.lake_template["Outputs"]
    names = [str(name) for name, o in outputs.items() if o["Value"] == _arn(logical_id)]
    assert len(names) == 1
    return names[0]


def _cross_stack(built: Built, logical_id: str, suffix: str) -> str:
    # cdk-nag renders Fn::ImportValue as the export's name, which CDK makes "<stack>:<output>".
    return f"AwsSolutions-IAM5[Resource::Lake:{_output_name(built, logical_id)}{suffix}]"


def test_acknowledgements_are_exactly_the_grant_findings(built: Built) -> None:
    assert _acknowledged_iam5(built.local_role) == [
        f"AwsSolutions-IAM5[Resource::<{ARTIFACTS}.Arn>/bootstrap/*]",
        f"AwsSolutions-IAM5[Resource::<{CURATED}.Arn>/*]",
        f"AwsSolutions-IAM5[Resource::<{LOGS}.Arn>/emr/*]",
    ]
    assert _acknowledged_iam5(built.roles.instance_role) == sorted(
        [
            f"AwsSolutions-IAM5[Resource::<{ARTIFACTS}.Arn>/bootstrap/*]",
            f"AwsSolutions-IAM5[Resource::<{CURATED}.Arn>/*]",
            f"AwsSolutions-IAM5[Resource::<{LOGS}.Arn>/emr/*]",
            _cross_stack(built, ARTIFACTS, "/bootstrap/*"),
            _cross_stack(built, CURATED, "/*"),
            _cross_stack(built, LOGS, "/emr/*"),
        ]
    )


def test_imported_role_gets_its_policy_and_acknowledgement(built: Built) -> None:
    policies = [
        v
        for v in built.cluster_template["Resources"].values()
        if v["Type"] == "AWS::IAM::Policy" and v["Properties"]["Roles"] == ["x"]
    ]
    assert len(policies) == 1
    assert _acknowledged_iam5(built.imported) == sorted(
        [
            "AwsSolutions-IAM5[Resource::<LakeRawBucketDA76DCB0.Arn>/landing/*]",
            _cross_stack(built, "LakeRawBucketDA76DCB0", "/landing/*"),
        ]
    )
