"""RelationalDatabase: the exact grant (ingress, secret, key, parameter), created and brought, nag, rules."""

from __future__ import annotations

import pytest
from aws_cdk import Stack

from emr_constructs.errors import EmrConfigError
from emr_constructs.sources import (
    DatabaseEngine,
    ExistingDatabaseProps,
    NewDatabaseProps,
    RelationalDatabase,
    RelationalDatabaseProps,
)
from tests.catalog.policies import get_att, ref, resources_of_type, role_statements
from tests.sources.conftest import KEY_ARN, SECRET_ARN, Sources
from tests.support import new_stack

VIA_SECRETS_MANAGER = {
    "StringEquals": {
        "kms:ViaService": {"Fn::Join": ["", ["secretsmanager.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}
    }
}
PARAMETER_READ = ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters"]


def parameter_arn(parameter: object) -> dict[str, object]:
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":ssm:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":parameter/",
                ref(parameter),  # type: ignore[arg-type]
            ],
        ]
    }


def ingress_of(sources: Sources, database: RelationalDatabase) -> list[dict[str, object]]:
    ids = {Stack.of(database).get_logical_id(rule) for rule in database.ingress_rules}
    rules = resources_of_type(sources.template, "AWS::EC2::SecurityGroupIngress")
    return [rules[i]["Properties"] for i in sorted(ids)]


def test_created_database_grant_is_exactly_secret_key_and_parameter(sources: Sources) -> None:
    db = sources.created_db
    assert role_statements(sources.template, sources.created_db_compute.role) == [
        {
            "Effect": "Allow",
            "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            "Resource": [ref(db.instance.node.find_child("Secret").node.find_child("Attachment"))],  # type: ignore[union-attr]
        },
        {
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": [get_att(db.key, "Arn")],  # type: ignore[arg-type]
            "Condition": VIA_SECRETS_MANAGER,
        },
        {"Effect": "Allow", "Action": PARAMETER_READ, "Resource": [parameter_arn(db.jdbc_url_parameter)]},
    ]


def test_created_database_admits_each_compute_group_once_on_its_port(sources: Sources) -> None:
    db = sources.created_db
    rules = ingress_of(sources, db)
    assert rules == [
        {
            "GroupId": get_att(db.security_group, "GroupId"),
            "SourceSecurityGroupId": get_att(group, "GroupId"),
            "IpProtocol": "tcp",
            "FromPort": 5432,
            "ToPort": 5432,
            "Description": f"Database clients in {group.node.path}",
        }
        for group in sources.groups.cluster_groups
    ]
    group = sources.template["Resources"][Stack.of(db).get_logical_id(db.security_group.node.default_child)]
    assert "SecurityGroupIngress" not in group["Properties"]
    assert group["Properties"]["SecurityGroupEgress"][0]["CidrIp"] == "255.255.255.255/32"  # CDK's "no egress" rule


def test_existing_database_grant_names_its_secret_and_key_only(sources: Sources) -> None:
    db = sources.existing_db
    assert role_statements(sources.template, sources.existing_db_compute.role) == [
        {
            "Effect": "Allow",
            "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            "Resource": [SECRET_ARN],
        },
        {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [KEY_ARN], "Condition": VIA_SECRETS_MANAGER},
        {"Effect": "Allow", "Action": PARAMETER_READ, "Resource": [parameter_arn(db.jdbc_url_parameter)]},
    ]
    assert [rule["GroupId"] for rule in ingress_of(sources, db)] == ["sg-0a1b2c3d", "sg-0a1b2c3d"]
    assert {rule["FromPort"] for rule in ingress_of(sources, db)} == {3306}


def test_jdbc_url_has_no_credentials_and_is_published(sources: Sources) -> None:
    existing = sources.existing_db
    assert existing.jdbc_url == "jdbc:mysql://crm.abc123.us-east-1.rds.amazonaws.com:3306/crm"
    parameter = sources.template["Resources"][
        Stack.of(existing).get_logical_id(existing.jdbc_url_parameter.node.default_child)
    ]
    assert parameter["Properties"]["Value"] == existing.jdbc_url
    created = sources.created_db
    assert Stack.of(created).resolve(created.jdbc_url) == {
        "Fn::Join": ["", ["jdbc:postgresql://", get_att(created.instance, "Endpoint.Address"), ":5432/platform"]]
    }
    assert "Password" not in str(sources.template) or "MasterUserPassword" in str(sources.template)
    instance = sources.template["Resources"][Stack.of(created).get_logical_id(created.instance.node.default_child)]  # type: ignore[union-attr]
    assert "{{resolve:secretsmanager:" in str(instance["Properties"]["MasterUserPassword"])


def test_created_database_is_private_encrypted_retained(sources: Sources) -> None:
    db = sources.created_db
    instance = sources.template["Resources"][Stack.of(db).get_logical_id(db.instance.node.default_child)]  # type: ignore[union-attr]
    properties = instance["Properties"]
    assert properties["StorageEncrypted"] is True
    assert properties["KmsKeyId"] == get_att(db.key, "Arn")  # type: ignore[arg-type]
    assert properties["StorageType"] == "gp3" and properties["MultiAZ"] is False
    assert properties["PubliclyAccessible"] is False
    assert properties["DeletionProtection"] is True
    assert properties["EnableIAMDatabaseAuthentication"] is True
    assert properties["DBInstanceClass"] == "db.t4g.micro"
    assert properties["BackupRetentionPeriod"] == 7
    assert (instance["DeletionPolicy"], instance["UpdateReplacePolicy"]) == ("Retain", "Retain")
    # CDK overrides the generated secret's logical id (stack name + path + hash); the one secret of the stack.
    (secret,) = resources_of_type(sources.template, "AWS::SecretsManager::Secret").values()
    assert secret["Properties"]["KmsKeyId"] == get_att(db.key, "Arn")  # type: ignore[arg-type]
    assert secret["DeletionPolicy"] == "Retain"


def test_stateful_logical_ids_are_pinned(sources: Sources) -> None:
    resources = sources.template["Resources"]
    assert resources["Products0974EAE2"]["Type"] == "AWS::RDS::DBInstance"
    assert resources["ProductsKey443CBB9F"]["Type"] == "AWS::KMS::Key"
    assert resources["SourcesProductsSecret40842C243fdaad7efa858a3daf9490cf0a702aeb"]["DeletionPolicy"] == "Retain"


def test_destroy_with_the_flag_turns_deletion_protection_off(sources: Sources) -> None:
    instances = resources_of_type(sources.destroy_template, "AWS::RDS::DBInstance")
    (instance,) = instances.values()
    assert instance["Properties"]["DeletionProtection"] is False
    assert instance["DeletionPolicy"] == "Delete"


def test_no_unacknowledged_nag_findings(sources: Sources) -> None:
    assert [f for f in sources.findings if "/Products/" in f or "/Customers/" in f or "DbRole" in f] == []


# -- rules ------------------------------------------------------------------------------------------------


def existing(**overrides: object) -> ExistingDatabaseProps:
    values: dict[str, object] = {
        "endpoint": "db.example.com",
        "security_group_id": "sg-0a1b2c3d",
        "secret_arn": SECRET_ARN,
        **overrides,
    }
    return ExistingDatabaseProps(**values)  # type: ignore[arg-type]


def messages(props: RelationalDatabaseProps) -> list[str]:
    return [p.message("db") for p in props.problems()]


def test_fails_neither_existing_nor_create() -> None:
    assert messages(RelationalDatabaseProps()) == [
        "db: existing=None is invalid: bring a database or let the library create one, not both and not neither; "
        "allowed: exactly one of existing and create"
    ]


def test_fails_both_existing_and_create() -> None:
    assert messages(RelationalDatabaseProps(existing=existing(), create=NewDatabaseProps())) == [
        "db: existing='set' is invalid: bring a database or let the library create one, not both and not neither; "
        "allowed: exactly one of existing and create"
    ]


def test_fails_database_name() -> None:
    assert messages(RelationalDatabaseProps(create=NewDatabaseProps(), database_name="1x")) == [
        "db: database_name='1x' is invalid: not a database name both PostgreSQL and MySQL accept; "
        "allowed: a letter, then letters, digits or '_', 1-63 characters"
    ]


def test_fails_port() -> None:
    assert messages(RelationalDatabaseProps(create=NewDatabaseProps(), port=80)) == [
        "db: port=80 is invalid: not an RDS port; allowed: 1150-65535"
    ]


def test_fails_endpoint() -> None:
    assert messages(RelationalDatabaseProps(existing=existing(endpoint="jdbc:postgresql://db:5432/x"))) == [
        "db: existing.endpoint='jdbc:postgresql://db:5432/x' is invalid: not a host name (give the endpoint without "
        "scheme, port or database); allowed: a DNS name such as mydb.abc123.eu-west-1.rds.amazonaws.com"
    ]


def test_fails_security_group_id() -> None:
    assert messages(RelationalDatabaseProps(existing=existing(security_group_id="default"))) == [
        "db: existing.security_group_id='default' is invalid: not a security group id; "
        "allowed: sg- followed by 8 or 17 hex digits"
    ]


def test_fails_secret_arn_without_suffix() -> None:
    arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:products"
    assert messages(RelationalDatabaseProps(existing=existing(secret_arn=arn))) == [
        f"db: existing.secret_arn={arn!r} is invalid: not an ARN of this kind; allowed: the complete secret ARN, "
        "arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>"
    ]


def test_fails_secret_key_alias() -> None:
    alias = "alias/aws/secretsmanager"
    assert messages(RelationalDatabaseProps(existing=existing(secret_key_arn=alias))) == [
        f"db: existing.secret_key_arn={alias!r} is invalid: not an ARN of this kind; "
        "allowed: arn:aws:kms:<region>:<account>:key/<key id> (not an alias)"
    ]


def test_fails_instance_type_with_db_prefix() -> None:
    assert messages(RelationalDatabaseProps(create=NewDatabaseProps(instance_type="db.t4g.micro"))) == [
        "db: create.instance_type='db.t4g.micro' is invalid: not an instance type (the db. prefix is added by the "
        "library); allowed: family.size, e.g. t4g.micro or r7g.large"
    ]


def test_fails_storage_and_backups() -> None:
    assert messages(
        RelationalDatabaseProps(create=NewDatabaseProps(allocated_storage_gib=19, backup_retention_days=0))
    ) == [
        "db: create.allocated_storage_gib=19 is invalid: out of range for gp3; allowed: 20-65536",
        "db: create.backup_retention_days=0 is invalid: out of range (0 would turn automated backups off); "
        "allowed: 1-35",
    ]


def test_valid_edges() -> None:
    assert (
        messages(
            RelationalDatabaseProps(
                create=NewDatabaseProps(allocated_storage_gib=20, backup_retention_days=35),
                port=1150,
                database_name="a",
            )
        )
        == []
    )
    assert (
        messages(RelationalDatabaseProps(existing=existing(security_group_id="sg-0123456789abcdef0"), port=65535)) == []
    )
    assert RelationalDatabaseProps(engine=DatabaseEngine.MYSQL, create=NewDatabaseProps()).effective_port == 3306


def test_fails_created_database_without_network() -> None:
    stack = new_stack()
    with pytest.raises(EmrConfigError) as raised:
        RelationalDatabase(stack, "Db", props=RelationalDatabaseProps(create=NewDatabaseProps()))
    assert str(raised.value) == (
        "Test/Db: network=None is invalid: a created database needs the network's private subnets; "
        "allowed: network=<IPlatformNetwork>, or props.existing"
    )


def test_fails_props_problems_at_the_construct_path() -> None:
    with pytest.raises(EmrConfigError) as raised:
        RelationalDatabase(new_stack(), "Db", props=RelationalDatabaseProps())
    assert str(raised.value).startswith("Test/Db: existing=None is invalid")


def test_fails_grant_of_a_role_alone() -> None:
    db = RelationalDatabase(new_stack(), "Db", props=RelationalDatabaseProps(existing=existing()))
    with pytest.raises(TypeError) as raised:
        db.grant_connect("role")  # type: ignore[arg-type]
    assert "Test/Db.grant_connect(): compute=<builtins.str> is invalid: wrong type; allowed: IDataCompute" in str(
        raised.value
    )


def test_a_group_without_open_egress_also_gets_egress_to_the_database() -> None:
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_iam as iam

    from emr_constructs.sources import DataCompute

    stack = new_stack()
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-0a1b2c3d", availability_zones=["us-east-1a"])
    workers = ec2.SecurityGroup(stack, "Workers", vpc=vpc, allow_all_outbound=False)
    nodes = ec2.SecurityGroup(stack, "Nodes", vpc=vpc)
    role = iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("emr-serverless.amazonaws.com"))
    db = RelationalDatabase(stack, "Db", props=RelationalDatabaseProps(existing=existing()))
    db.grant_connect(DataCompute(role=role, security_groups=(workers, nodes)))
    assert len(db.ingress_rules) == 2
    (egress,) = db.egress_rules
    assert stack.resolve(egress.group_id) == {
        "Fn::GetAtt": [stack.get_logical_id(workers.node.default_child), "GroupId"]
    }
    assert (egress.destination_security_group_id, egress.from_port, egress.to_port) == ("sg-0a1b2c3d", 5432, 5432)
