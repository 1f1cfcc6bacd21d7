"""Wrong argument types are clear errors at the construct path, never AttributeErrors from deep inside."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import SecretValue
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager

from emr_constructs.arguments import EmrTypeError, checked_arguments, conforms
from emr_constructs.catalog import grant_zone_access
from emr_constructs.cluster import ClusterProps, EmrCluster
from emr_constructs.errors import EmrConfigError
from emr_constructs.network import DataPlatformVpc, EmrSecurityGroups
from emr_constructs.storage import DataLake, Zone
from emr_constructs.warehouse import Warehouse
from tests.cluster.builders import platform
from tests.support import new_stack


def cluster_type_error(**overrides: Any) -> str:
    stack = new_stack()
    args = {**platform(stack).cluster_args(), **overrides}
    with pytest.raises(EmrTypeError) as caught:
        EmrCluster(stack, "Cluster", **args)
    return str(caught.value)


def test_fails_an_ec2_vpc_where_the_platform_network_is_expected() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Plain")
    assert cluster_type_error(network=vpc) == (
        "Test/Cluster: network=<aws_cdk.aws_ec2.Vpc> is invalid: wrong type; allowed: IPlatformNetwork "
        "(DataPlatformVpc, or ExistingNetwork for a VPC you bring)"
    )


def test_fails_a_list_of_security_groups_where_the_emr_groups_are_expected() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Plain")
    groups = [ec2.SecurityGroup(stack, "G", vpc=vpc)]
    assert cluster_type_error(security_groups=groups) == (
        "Test/Cluster: security_groups=<builtins.list> is invalid: wrong type; allowed: EmrSecurityGroups"
    )


def test_fails_a_bucket_name_where_a_bucket_is_expected() -> None:
    assert cluster_type_error(log_bucket="my-logs") == (
        "Test/Cluster: log_bucket=<builtins.str> is invalid: wrong type; allowed: IBucket"
    )


def test_fails_a_secret_string_without_echoing_it() -> None:
    message = cluster_type_error(kdc_admin_password="hunter2-not-a-secret-object")
    assert "hunter2" not in message
    assert message == (
        "Test/Cluster: kdc_admin_password=<builtins.str> is invalid: wrong type; allowed: ISecret or None"
    )


def test_fails_props_of_another_construct_and_reports_every_argument_at_once() -> None:
    message = cluster_type_error(props={"release_label": "emr-7.14.0"}, encryption_key="alias/lake")
    assert message.splitlines() == [
        "Test/Cluster: props=<builtins.dict> is invalid: wrong type; allowed: ClusterProps",
        "Test/Cluster: encryption_key=<builtins.str> is invalid: wrong type; allowed: IKey",
    ]


def test_a_type_error_is_both_a_type_error_and_the_library_error() -> None:
    stack = new_stack()
    with pytest.raises(TypeError):
        EmrCluster(stack, "Cluster", **{**platform(stack).cluster_args(), "network": "vpc-123"})
    assert issubclass(EmrTypeError, EmrConfigError)


def test_fails_a_missing_required_argument_at_the_construct_path() -> None:
    stack = new_stack()
    args = platform(stack).cluster_args()
    del args["network"]
    with pytest.raises(EmrTypeError, match=r"^Test/Cluster: \(arguments\)=<None> is invalid: missing a required"):
        EmrCluster(stack, "Cluster", **args)


def test_fails_wrong_types_in_grant_methods_at_the_owners_path() -> None:
    stack = new_stack()
    lake = DataLake(stack, "Lake")
    with pytest.raises(EmrTypeError) as caught:
        lake.grant_read(Zone.RAW, "arn:aws:iam::123456789012:role/x")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "Test/Lake.grant_read(): grantee=<builtins.str> is invalid: wrong type; allowed: IGrantable"
    )
    with pytest.raises(EmrTypeError, match=r"^grant_zone_access\(\): lake=<builtins.str> is invalid"):
        grant_zone_access("lake", None, lake.key)  # type: ignore[arg-type]


def test_fails_a_plain_vpc_for_the_warehouse_too() -> None:
    stack = new_stack()
    lake = DataLake(stack, "Lake")
    with pytest.raises(EmrTypeError, match=r"^Test/Warehouse: network=<aws_cdk.aws_ec2.Vpc> is invalid"):
        Warehouse(stack, "Warehouse", network=ec2.Vpc(stack, "Plain"), lake=lake)


def test_right_types_pass_including_imported_and_jsii_proxy_objects() -> None:
    stack = new_stack()
    network = DataPlatformVpc(stack, "Network")
    imported = s3.Bucket.from_bucket_name(stack, "Imported", "some-bucket")
    secret = secretsmanager.Secret(stack, "S", secret_string_value=SecretValue.unsafe_plain_text("x"))
    looked_up = ec2.Vpc.from_vpc_attributes(stack, "V", vpc_id="vpc-1", availability_zones=["eu-west-1a"])
    assert conforms(imported, s3.IBucket)
    assert conforms(secret, secretsmanager.ISecret | None)
    assert conforms(looked_up, ec2.IVpc)
    assert not conforms(looked_up, s3.IBucket)
    assert conforms((1, 2), tuple[int, ...]) and not conforms((1, "a"), tuple[int, ...])
    assert conforms({"a": "b"}, dict[str, str]) and not conforms({"a": 1}, dict[str, str])
    assert conforms(3, float) and not conforms(True, int)
    EmrSecurityGroups(stack, "Groups", vpc=network.vpc)


def test_plain_functions_name_themselves() -> None:
    @checked_arguments
    def scale(props: ClusterProps, factor: int) -> int:
        return factor

    with pytest.raises(EmrTypeError, match=r"scale\(\): factor=<builtins.str> is invalid: wrong type; allowed: int"):
        scale(ClusterProps(), "2")  # type: ignore[arg-type]
    assert scale(ClusterProps(), 2) == 2
