"""Warehouse: Serverless and provisioned resources, role and Data API statements, security-group rules,
nag, cfn-lint, snapshot, removal and every validation rule."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match

from emr_constructs.catalog import DataCatalog
from emr_constructs.catalog.permissions import CATALOG_READ_ACTIONS
from emr_constructs.errors import EmrConfigError
from emr_constructs.network import EmrSecurityGroups, ExistingNetwork, ExistingNetworkProps
from emr_constructs.policy.acknowledge import acknowledge_inline_policies
from emr_constructs.storage import DataLake, Zone
from emr_constructs.warehouse import (
    NodeType,
    ProvisionedProps,
    ServerlessProps,
    Warehouse,
    WarehouseKind,
    WarehouseProps,
)
from tests.catalog.policies import (
    arn,
    get_att,
    in_order,
    logical_id,
    ref,
    resources_of_type,
    role_statements,
    statement_with,
)
from tests.support import Built, cfn_lint, new_app, new_stack

AZS = ("us-east-1a", "us-east-1b", "us-east-1c")
SUBNETS = ("subnet-0a1b2c3d", "subnet-1a1b2c3d", "subnet-2a1b2c3d")

#: The Data API calls that accept no ARN, limited to the statements the caller itself ran (both warehouse kinds).
OWN_STATEMENTS = {
    "Effect": "Allow",
    "Action": [
        "redshift-data:CancelStatement",
        "redshift-data:DescribeStatement",
        "redshift-data:GetStatementResult",
        "redshift-data:ListStatements",
    ],
    "Resource": ["*"],
    "Condition": {"StringEquals": {"redshift-data:statement-owner-iam-userid": "${aws:userid}"}},
}


def network(stack: Stack, azs: int = 3) -> ExistingNetwork:
    return ExistingNetwork(
        stack,
        "Network",
        props=ExistingNetworkProps(
            vpc_id="vpc-0a1b2c3d",
            vpc_cidr="10.0.0.0/16",
            availability_zones=AZS[:azs],
            private_subnet_ids=SUBNETS[:azs],
        ),
    )


def instance_role(stack: Stack, id: str) -> iam.Role:
    """Stand-in for the EMR instance role; its inline policy is the cluster module's to acknowledge."""
    role = iam.Role(stack, id, assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    acknowledge_inline_policies(role, "Test stand-in for the EMR instance role.")
    return role


@dataclass
class WarehouseWorld:
    lake: DataLake
    groups: EmrSecurityGroups
    serverless: Warehouse
    serverless_template: dict[str, Any]
    emr_role: iam.Role
    emr_template: dict[str, Any]
    provisioned: Warehouse
    provisioned_role: iam.Role
    provisioned_template: dict[str, Any]
    destroy_stack: Stack
    destroy_template: dict[str, Any]
    findings: list[str]


@pytest.fixture(scope="module")
def built() -> WarehouseWorld:
    app = new_app()
    base = Stack(app, "Base")
    net = network(base)
    groups = EmrSecurityGroups(base, "EmrGroups", vpc=net.vpc)
    lake = DataLake(base, "Lake")
    catalog = DataCatalog(base, "Catalog", lake=lake)

    serverless_stack = Stack(app, "Serverless")
    serverless = Warehouse(
        serverless_stack,
        "Warehouse",
        network=net,
        lake=lake,
        catalog=catalog,
        client_security_groups=groups.cluster_groups,
    )
    emr_stack = Stack(app, "Emr")
    emr_role = instance_role(emr_stack, "InstanceRole")
    serverless.grant_data_api(emr_role)

    provisioned_stack = Stack(app, "Provisioned")
    provisioned = Warehouse(
        provisioned_stack,
        "Warehouse",
        network=net,
        lake=lake,
        catalog=catalog,
        client_security_groups=(groups.primary,),
        props=WarehouseProps(
            kind=WarehouseKind.PROVISIONED,
            name="sales-warehouse",
            analytics_prefix="redshift/",
            curated_prefix="sales/",
            spectrum_zones=(Zone.CURATED,),
            provisioned=ProvisionedProps(node_type=NodeType.RA3_4XLARGE, number_of_nodes=4),
        ),
    )
    provisioned_role = instance_role(provisioned_stack, "InstanceRole")
    provisioned.grant_data_api(provisioned_role)

    destroy_stack = Stack(app, "Destroy")
    Warehouse(destroy_stack, "Warehouse", network=net, lake=lake, removal_policy=RemovalPolicy.DESTROY)

    built = Built.of(app, serverless_stack, emr_stack, provisioned_stack, destroy_stack)
    templates = built.templates
    return WarehouseWorld(
        lake=lake,
        groups=groups,
        serverless=serverless,
        serverless_template=templates["Serverless"],
        emr_role=emr_role,
        emr_template=templates["Emr"],
        provisioned=provisioned,
        provisioned_role=provisioned_role,
        provisioned_template=templates["Provisioned"],
        destroy_stack=destroy_stack,
        destroy_template=templates["Destroy"],
        findings=built.findings,
    )


def imported(value: dict[str, Any]) -> bool:
    """A value another stack of the app provides (a cross-stack reference, weak or strong)."""
    text = json.dumps(value)
    return "Fn::GetStackOutput" in text or "Fn::ImportValue" in text


def resource(template: dict[str, Any], construct: Any) -> dict[str, Any]:
    found: dict[str, Any] = template["Resources"][logical_id(construct)]
    return found


# -- Serverless ---------------------------------------------------------------------------------------


def test_namespace_is_encrypted_logged_with_managed_admin_secret_and_default_role(built: WarehouseWorld) -> None:
    warehouse = built.serverless
    assert warehouse.namespace is not None
    namespace = resource(built.serverless_template, warehouse.namespace)
    key = get_att(warehouse.key, "Arn")
    assert namespace["Properties"] == {
        "NamespaceName": "serverless-warehouse-cc5a0c49",
        "DbName": "warehouse",
        "AdminUsername": "platform_admin",
        "ManageAdminPassword": True,
        "AdminPasswordSecretKmsKeyId": key,
        "KmsKeyId": key,
        "IamRoles": [get_att(warehouse.role, "Arn")],
        "DefaultIamRoleArn": get_att(warehouse.role, "Arn"),
        "LogExports": ["connectionlog", "userlog", "useractivitylog"],
    }
    assert (namespace["DeletionPolicy"], namespace["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_workgroup_is_private_tls_only_with_enhanced_vpc_routing(built: WarehouseWorld) -> None:
    warehouse = built.serverless
    workgroup = resource(built.serverless_template, warehouse.workgroup)
    properties = dict(workgroup["Properties"])  # a copy: the module's tests share the template
    subnets = properties.pop("SubnetIds")
    assert properties == {
        "WorkgroupName": "serverless-warehouse-cc5a0c49",
        "NamespaceName": ref(warehouse.namespace),
        "BaseCapacity": 8,
        "EnhancedVpcRouting": True,
        "PubliclyAccessible": False,
        "Port": 5439,
        "SecurityGroupIds": [get_att(warehouse.security_group, "GroupId")],
        "ConfigParameters": [
            {"ParameterKey": "require_ssl", "ParameterValue": "true"},
            {"ParameterKey": "enable_user_activity_logging", "ParameterValue": "true"},
        ],
    }
    assert subnets == list(SUBNETS)
    assert "DeletionPolicy" not in workgroup
    assert warehouse.cluster is None and warehouse.subnet_group is None


def test_stateful_logical_ids_are_pinned(built: WarehouseWorld) -> None:
    resources = built.serverless_template["Resources"]
    assert resources["WarehouseNamespace78ED5B58"]["Type"] == "AWS::RedshiftServerless::Namespace"
    assert resources["Warehouse50B5FE91"]["Type"] == "AWS::RedshiftServerless::Workgroup"
    assert resources["WarehouseKey8DE8541C"]["Type"] == "AWS::KMS::Key"
    assert built.provisioned_template["Resources"]["Warehouse50B5FE91"]["Type"] == "AWS::Redshift::Cluster"


def test_own_key_with_rotation_retained(built: WarehouseWorld) -> None:
    key = resource(built.serverless_template, built.serverless.key)
    assert key["Properties"]["EnableKeyRotation"] is True
    assert (key["DeletionPolicy"], key["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_serverless_role_is_trusted_by_redshift_and_redshift_serverless(built: WarehouseWorld) -> None:
    role = resource(built.serverless_template, built.serverless.role)
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": ["redshift-serverless.amazonaws.com", "redshift.amazonaws.com"]},
        }
    ]
    assert "ManagedPolicyArns" not in role["Properties"]


def test_serverless_role_statements_copy_unload_and_spectrum_only(built: WarehouseWorld) -> None:
    statements = role_statements(built.serverless_template, built.serverless.role)
    text = json.dumps(statements)
    # Lake and catalog live in the Base stack: their ARNs arrive as imports; the zones must be curated/analytics.
    assert "Raw" not in text and "Logs" not in text and "Artifacts" not in text
    spectrum = statement_with(statements, "glue:GetTables")
    assert spectrum == {
        "Effect": "Allow",
        "Action": sorted(CATALOG_READ_ACTIONS),
        "Resource": in_order(
            [
                arn("glue", "catalog"),
                arn("glue", "database/datalake_curated"),
                arn("glue", "database/datalake_analytics"),
                arn("glue", "table/datalake_curated/*"),
                arn("glue", "table/datalake_analytics/*"),
            ]
        ),
    }
    unload = statement_with(statements, "s3:PutObject")
    assert unload["Action"] == ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"]
    assert len(unload["Resource"]) == 1 and "Analytics" in json.dumps(unload["Resource"])
    read = statement_with(statements, "s3:GetObject")
    assert len(read["Resource"]) == 2
    assert "Curated" in json.dumps(read["Resource"]) and "Analytics" in json.dumps(read["Resource"])
    assert not any(a.startswith("glue:") and a not in CATALOG_READ_ACTIONS for s in statements for a in s["Action"])


def test_security_group_admits_the_emr_groups_on_the_port_only(built: WarehouseWorld) -> None:
    warehouse = built.serverless
    group = resource(built.serverless_template, warehouse.security_group)
    assert group["Properties"]["SecurityGroupEgress"] == [
        {
            "CidrIp": "0.0.0.0/0",
            "Description": "HTTPS to S3 (gateway endpoint), Glue, KMS and STS",
            "FromPort": 443,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]
    assert "SecurityGroupIngress" not in group["Properties"]
    ingress = resources_of_type(built.serverless_template, "AWS::EC2::SecurityGroupIngress")
    assert sorted(ingress) == ["WarehouseClient0Ingress53EC4449", "WarehouseClient1Ingress339DC5A5"]
    sources = []
    for rule in ingress.values():
        properties = dict(rule["Properties"])
        sources.append(properties.pop("SourceSecurityGroupId"))
        assert properties.pop("Description").startswith("Redshift clients in Base/EmrGroups/")
        assert properties == {
            "GroupId": get_att(warehouse.security_group, "GroupId"),
            "IpProtocol": "tcp",
            "FromPort": 5439,
            "ToPort": 5439,
        }
    assert all(imported(s) for s in sources)
    assert len({json.dumps(s) for s in sources}) == 2
    assert resources_of_type(built.serverless_template, "AWS::EC2::SecurityGroupEgress") == {}


def test_serverless_data_api_grant_is_scoped_to_the_workgroup(built: WarehouseWorld) -> None:
    statements = role_statements(built.emr_template, built.emr_role)
    workgroup_arn = statement_with(statements, "redshift-data:ExecuteStatement")["Resource"]
    assert imported(workgroup_arn[0])
    assert statements == [
        {
            "Effect": "Allow",
            "Action": [
                "redshift-data:BatchExecuteStatement",
                "redshift-data:ExecuteStatement",
                "redshift-serverless:GetCredentials",
                "redshift-serverless:GetWorkgroup",
            ],
            "Resource": workgroup_arn,
        },
        OWN_STATEMENTS,
    ]


def test_jdbc_url_and_secret(built: WarehouseWorld) -> None:
    stack = Stack.of(built.serverless)
    assert stack.resolve(built.serverless.jdbc_url) == {
        "Fn::Join": [
            "",
            [
                "jdbc:redshift:iam://",
                get_att(built.serverless.workgroup, "Workgroup.Endpoint.Address"),
                ":5439/warehouse",
            ],
        ]
    }
    assert stack.resolve(built.serverless.admin_secret_arn) == get_att(
        built.serverless.namespace, "Namespace.AdminPasswordSecretArn"
    )


# -- provisioned --------------------------------------------------------------------------------------


def test_cluster_is_private_encrypted_logged_with_managed_secret(built: WarehouseWorld) -> None:
    warehouse = built.provisioned
    cluster = resource(built.provisioned_template, warehouse.cluster)
    key = get_att(warehouse.key, "Arn")
    assert cluster["Properties"] == {
        "ClusterIdentifier": "sales-warehouse",
        "ClusterType": "multi-node",
        "NodeType": "ra3.4xlarge",
        "NumberOfNodes": 4,
        "DBName": "warehouse",
        "MasterUsername": "platform_admin",
        "ManageMasterPassword": True,
        "MasterPasswordSecretKmsKeyId": key,
        "Encrypted": True,
        "KmsKeyId": key,
        "Port": 5439,
        "PubliclyAccessible": False,
        "EnhancedVpcRouting": True,
        "ClusterSubnetGroupName": ref(warehouse.subnet_group),
        "ClusterParameterGroupName": ref(warehouse.parameter_group),
        "VpcSecurityGroupIds": [get_att(warehouse.security_group, "GroupId")],
        "IamRoles": [get_att(warehouse.role, "Arn")],
        "LoggingProperties": {
            "LogDestinationType": "cloudwatch",
            "LogExports": ["connectionlog", "userlog", "useractivitylog"],
        },
        "AllowVersionUpgrade": True,
        "AutomatedSnapshotRetentionPeriod": 7,
        "PreferredMaintenanceWindow": "sun:03:00-sun:03:30",
    }
    assert (cluster["DeletionPolicy"], cluster["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert warehouse.namespace is None and warehouse.workgroup is None


def test_parameter_group_requires_tls_and_logs_user_activity(built: WarehouseWorld) -> None:
    group = resource(built.provisioned_template, built.provisioned.parameter_group)
    assert group["Properties"]["ParameterGroupFamily"] == "redshift-1.0"
    assert group["Properties"]["Parameters"] == [
        {"ParameterName": "require_ssl", "ParameterValue": "true"},
        {"ParameterName": "enable_user_activity_logging", "ParameterValue": "true"},
    ]
    subnets = resource(built.provisioned_template, built.provisioned.subnet_group)
    assert len(subnets["Properties"]["SubnetIds"]) == 3


def test_single_node_cluster_has_no_node_count() -> None:
    stack = new_stack()
    warehouse = Warehouse(
        stack,
        "Warehouse",
        network=network(stack, azs=1),
        lake=DataLake(stack, "Lake"),
        props=WarehouseProps(kind=WarehouseKind.PROVISIONED, provisioned=ProvisionedProps(number_of_nodes=1)),
    )
    assert warehouse.cluster is not None
    assert stack.resolve(warehouse.cluster.cluster_type) == "single-node"
    assert warehouse.cluster.number_of_nodes is None


def test_provisioned_role_is_trusted_by_redshift_only_and_scoped_to_its_prefixes(built: WarehouseWorld) -> None:
    role = resource(built.provisioned_template, built.provisioned.role)
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "redshift.amazonaws.com"
    }
    statements = role_statements(built.provisioned_template, built.provisioned.role)
    text = json.dumps([s["Resource"] for s in statements if any(a.startswith("s3:") for a in s["Action"])])
    assert '"/sales/*"' in text and '"/redshift/*"' in text and '"/*"' not in text
    assert statement_with(statements, "glue:GetTables")["Resource"] == in_order(
        [arn("glue", "catalog"), arn("glue", "database/datalake_curated"), arn("glue", "table/datalake_curated/*")]
    )


def test_provisioned_data_api_grant_is_scoped_to_the_cluster_user_and_database(built: WarehouseWorld) -> None:
    statements = role_statements(built.provisioned_template, built.provisioned_role)
    cluster = ref(built.provisioned.cluster)

    def cluster_arn(kind: str, suffix: str = "") -> dict[str, Any]:
        parts = ["arn:", {"Ref": "AWS::Partition"}, ":redshift:", {"Ref": "AWS::Region"}, ":"]
        parts += [{"Ref": "AWS::AccountId"}, f":{kind}:", cluster] + ([suffix] if suffix else [])
        return {"Fn::Join": ["", parts]}

    assert in_order(statements) == in_order(
        [
            {
                "Effect": "Allow",
                "Action": ["redshift-data:BatchExecuteStatement", "redshift-data:ExecuteStatement"],
                "Resource": [cluster_arn("cluster")],
            },
            {
                "Effect": "Allow",
                "Action": ["redshift:GetClusterCredentials"],
                "Resource": in_order([cluster_arn("dbuser", "/emr_etl"), cluster_arn("dbname", "/warehouse")]),
            },
            OWN_STATEMENTS,
        ]
    )


def test_provisioned_security_group_admits_only_the_given_group(built: WarehouseWorld) -> None:
    ingress = resources_of_type(built.provisioned_template, "AWS::EC2::SecurityGroupIngress")
    assert len(ingress) == 1
    (rule,) = ingress.values()
    assert rule["Properties"]["FromPort"] == rule["Properties"]["ToPort"] == 5439


# -- policy packs, lint, snapshot, removal ------------------------------------------------------------


def test_no_unacknowledged_nag_findings(built: WarehouseWorld) -> None:
    assert built.findings == []


def test_default_port_and_data_api_acknowledgements_are_exact(built: WarehouseWorld) -> None:
    cluster_metadata = {k for m in built.provisioned.cluster.node.metadata if isinstance(m.data, dict) for k in m.data}
    assert "Annotation::AwsSolutions-RS4" in cluster_metadata
    role_metadata = {k for m in built.emr_role.node.metadata if isinstance(m.data, dict) for k in m.data}
    assert "Annotation::AwsSolutions-IAM5[Resource::*]" in role_metadata


@pytest.mark.parametrize("stack_name", ["serverless", "provisioned"])
def test_cfn_lint_clean(built: WarehouseWorld, stack_name: str) -> None:
    template = getattr(built, f"{stack_name}_template")
    assert cfn_lint(template) == []


def test_default_serverless_warehouse_snapshot(built: WarehouseWorld, template_snapshot: Any) -> None:
    assert template_snapshot == built.serverless_template


def test_destroy_is_reverted_without_the_flag(built: WarehouseWorld) -> None:
    for resource_type in ("AWS::RedshiftServerless::Namespace", "AWS::KMS::Key"):
        (found,) = resources_of_type(built.destroy_template, resource_type).values()
        assert found["DeletionPolicy"] == "Retain"
    Annotations.from_stack(built.destroy_stack).has_warning(
        "/Destroy/Warehouse", Match.string_like_regexp("RemovalPolicy.DESTROY was requested")
    )


# -- validation ---------------------------------------------------------------------------------------


def build(props: WarehouseProps, azs: int = 3) -> None:
    stack = new_stack()
    Warehouse(stack, "Warehouse", network=network(stack, azs), lake=DataLake(stack, "Lake"), props=props)


@pytest.mark.parametrize("capacity", [0, 12, 520, 1056, 2048])
def test_fails_base_capacity_redshift_serverless_rejects(capacity: int) -> None:
    with pytest.raises(EmrConfigError) as raised:
        build(WarehouseProps(serverless=ServerlessProps(base_capacity=capacity)))
    assert str(raised.value) == (
        f"Test/Warehouse: serverless.base_capacity={capacity} is invalid: not a Redshift Serverless base capacity; "
        "allowed: 4, 8-512 in steps of 8, or 544-1024 in steps of 32 (above 512 only in some regions)"
    )


@pytest.mark.parametrize("capacity", [4, 8, 128, 512, 544, 1024])
def test_base_capacities_redshift_serverless_takes(capacity: int) -> None:
    assert ServerlessProps(base_capacity=capacity).problems() == []


@pytest.mark.parametrize("maximum", [64, 5640])
def test_fails_max_capacity_below_base_or_above_ceiling(maximum: int) -> None:
    with pytest.raises(EmrConfigError) as raised:
        build(WarehouseProps(serverless=ServerlessProps(base_capacity=128, max_capacity=maximum)))
    assert str(raised.value) == (
        f"Test/Warehouse: serverless.max_capacity={maximum} is invalid: max capacity must be at least the base "
        "capacity and at most Redshift Serverless' ceiling; allowed: 128-5632, or null for no ceiling"
    )


@pytest.mark.parametrize(
    ("node_type", "nodes", "allowed"),
    [
        (NodeType.RA3_4XLARGE, 1, "2-32"),
        (NodeType.RA3_16XLARGE, 129, "2-128"),
        (NodeType.RA3_XLPLUS, 17, "1-16"),
        (NodeType.DC2_8XLARGE, 1, "2-128"),
        (NodeType.DC2_LARGE, 33, "1-32"),
    ],
)
def test_fails_node_type_and_count_the_cluster_does_not_accept(node_type: NodeType, nodes: int, allowed: str) -> None:
    with pytest.raises(EmrConfigError) as raised:
        build(
            WarehouseProps(
                kind=WarehouseKind.PROVISIONED,
                provisioned=ProvisionedProps(node_type=node_type, number_of_nodes=nodes),
            )
        )
    assert str(raised.value) == (
        f"Test/Warehouse: provisioned.number_of_nodes={nodes} is invalid: {node_type.value} clusters are created "
        f"with {allowed} nodes; allowed: {allowed} for {node_type.value}"
    )


def test_fails_ports_per_kind() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build(WarehouseProps(port=5460))
    assert str(raised.value) == (
        "Test/Warehouse: port=5460 is invalid: not a Redshift Serverless port; allowed: 5431-5455 or 8191-8215"
    )
    with pytest.raises(EmrConfigError) as raised:
        build(WarehouseProps(kind=WarehouseKind.PROVISIONED, port=1149))
    assert str(raised.value) == "Test/Warehouse: port=1149 is invalid: not a Redshift cluster port; allowed: 1150-65535"


def test_fails_names_and_users_reported_together() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build(WarehouseProps(name="Sales--DW", database_name="1st", admin_username="awsuser", data_api_db_user="Etl"))
    user_rule = (
        "is invalid: not a Redshift user name both Serverless and provisioned clusters accept ('public' is "
        "reserved, 'awsuser' is the well-known default); allowed: lowercase letters, digits and '_', starting "
        "with a letter, 1-128 characters"
    )
    assert str(raised.value).splitlines() == [
        "Test/Warehouse: name='Sales--DW' is invalid: not a name both Redshift Serverless and provisioned clusters "
        "accept; allowed: lowercase letters, digits and single hyphens, starting with a letter, not ending with "
        "'-', 3-63 characters",
        "Test/Warehouse: database_name='1st' is invalid: not a Redshift database name; allowed: lowercase letters, "
        "digits and '_', starting with a letter, 1-64 characters",
        f"Test/Warehouse: admin_username='awsuser' {user_rule}",
        f"Test/Warehouse: data_api_db_user='Etl' {user_rule}",
    ]


def test_fails_data_api_user_is_the_admin() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build(WarehouseProps(admin_username="etl", data_api_db_user="etl"))
    assert str(raised.value) == (
        "Test/Warehouse: data_api_db_user='etl' is invalid: jobs must not get temporary credentials of the admin "
        "user; allowed: a user other than 'etl'"
    )


def test_fails_maintenance_window_and_snapshot_retention() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build(
            WarehouseProps(
                kind=WarehouseKind.PROVISIONED,
                provisioned=ProvisionedProps(
                    automated_snapshot_retention_days=0, preferred_maintenance_window="sun:03:00-sun:03:15"
                ),
            )
        )
    assert str(raised.value).splitlines() == [
        "Test/Warehouse: provisioned.automated_snapshot_retention_days=0 is invalid: out of range (0 would turn "
        "automated snapshots off); allowed: 1-35",
        "Test/Warehouse: provisioned.preferred_maintenance_window='sun:03:00-sun:03:15' is invalid: not a "
        "maintenance window of 30 minutes to 24 hours; allowed: ddd:hh24:mi-ddd:hh24:mi in UTC with ddd one of "
        "mon-sun, e.g. 'sun:03:00-sun:03:30'",
    ]


def test_maintenance_window_may_cross_midnight_and_the_week() -> None:
    assert ProvisionedProps(preferred_maintenance_window="sun:23:30-mon:00:30").problems() == []


def test_fails_prefixes_and_spectrum_zone() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build(WarehouseProps(analytics_prefix="unload", spectrum_zones=(Zone.ARTIFACTS,)))
    assert str(raised.value).splitlines() == [
        "Test/Warehouse: analytics_prefix='unload' is invalid: a folder prefix without a trailing '/' also matches "
        "its sibling folders ('sales' matches 'sales-eu/'); allowed: '' (the whole bucket) or a key prefix ending "
        "in '/', like 'events/'",
        "Test/Warehouse: spectrum_zones[0]='artifacts' is invalid: only the data zones have a Glue database; "
        "allowed: raw, curated, analytics",
    ]


def test_fails_serverless_in_fewer_than_three_subnets() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build(WarehouseProps(), azs=2)
    assert str(raised.value) == (
        "Test/Warehouse: network.cluster_subnets=2 is invalid: Redshift Serverless needs at least 3 subnets in 3 "
        "availability zones; allowed: a network with 3 or more cluster subnets, or kind 'provisioned'"
    )
    build(WarehouseProps(kind=WarehouseKind.PROVISIONED), azs=2)
