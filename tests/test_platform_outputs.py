"""PlatformOutputs: the exports the CLI reads, with the names it looks up; a bad environment name fails."""

from __future__ import annotations

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from emr_constructs.cli.platform import ARTIFACTS_BUCKET, DATA_LAKE_KEY, LOGS_BUCKET, export_name
from emr_constructs.errors import EmrConfigError
from emr_constructs.platform_outputs import PlatformOutputs
from emr_constructs.storage import DataLake
from tests.support import assert_no_nag_findings, new_app


@pytest.fixture(scope="module")
def stack() -> Stack:
    stack = Stack(new_app(), "Lake")
    PlatformOutputs(stack, "PlatformOutputs", environment="sales", lake=DataLake(stack, "DataLake"))
    return stack


def test_exports_what_the_cli_reads(stack: Stack) -> None:
    outputs = Template.from_stack(stack).to_json()["Outputs"]
    exported = {o["Export"]["Name"]: o["Value"] for o in outputs.values()}
    assert set(exported) == {
        "emr-platform-sales-ArtifactsBucketName",
        "emr-platform-sales-LogsBucketName",
        "emr-platform-sales-DataLakeKeyArn",
    }
    # the same names the CLI builds
    assert {export_name("sales", k) for k in (ARTIFACTS_BUCKET, LOGS_BUCKET, DATA_LAKE_KEY)} == set(exported)
    (key,) = Template.from_stack(stack).find_resources("AWS::KMS::Key")
    assert exported["emr-platform-sales-DataLakeKeyArn"] == {"Fn::GetAtt": [key, "Arn"]}


def test_no_nag_findings(stack: Stack) -> None:
    assert_no_nag_findings(stack)


def test_fails_bad_environment() -> None:
    stack = Stack(new_app(), "Lake")
    with pytest.raises(EmrConfigError) as error:
        PlatformOutputs(stack, "Outputs", environment="a b,c", lake=DataLake(stack, "DataLake"))
    assert str(error.value) == (
        "Lake/Outputs: environment='a b,c' is invalid: the environment name becomes part of CloudFormation export "
        "names; allowed: 1-100 letters, digits and '-', e.g. 'prod'"
    )


def test_fails_wrong_lake_type() -> None:
    stack = Stack(new_app(), "Lake")
    with pytest.raises(TypeError, match=r"^Lake/Outputs: lake=<.*> is invalid: wrong type; allowed: DataLake"):
        PlatformOutputs(stack, "Outputs", environment="sales", lake="my-bucket")  # type: ignore[arg-type]
