"""The discovery tags reach a stage's resources, and a bad tag value fails at synth with the library's message."""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack, Stage
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Template

from emr_constructs.discovery import CLUSTER_TAG, ENVIRONMENT_TAG
from emr_constructs.discovery_tags import tag_platform_cluster, tag_platform_environment
from emr_constructs.errors import EmrConfigError


def test_environment_and_cluster_tags_reach_resources() -> None:
    app = App()
    stage = Stage(app, "sales")
    stack = Stack(stage, "Compute")
    cluster_scope = sns.Topic(stack, "Cluster")
    other = sns.Topic(stack, "Other")
    tag_platform_environment(stage, "sales")
    tag_platform_cluster(cluster_scope, "etl")
    template = Template.from_stack(stack)
    tags = {
        logical_id: {t["Key"]: t["Value"] for t in resource["Properties"]["Tags"]}
        for logical_id, resource in template.find_resources("AWS::SNS::Topic").items()
    }
    assert tags[stack.get_logical_id(cluster_scope.node.default_child)] == {  # type: ignore[arg-type]
        ENVIRONMENT_TAG: "sales",
        CLUSTER_TAG: "etl",
    }
    assert tags[stack.get_logical_id(other.node.default_child)] == {ENVIRONMENT_TAG: "sales"}  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "shown"), [("", "''"), ("a,b", "'a,b'")])
def test_fails_bad_environment_tag_value(value: str, shown: str) -> None:
    app = App()
    stage = Stage(app, "sales")
    with pytest.raises(EmrConfigError) as error:
        tag_platform_environment(stage, value)
    assert str(error.value) == (
        f"sales: environment={shown} is invalid: a discovery tag value is 1-256 letters, digits, spaces or "
        "'_ . : / = + - @'; allowed: e.g. 'prod', 'analytics'"
    )


def test_fails_bad_cluster_tag_value() -> None:
    stack = Stack(App(), "S")
    with pytest.raises(EmrConfigError, match=r"^S: cluster='x\*' is invalid: a discovery tag value"):
        tag_platform_cluster(stack, "x*")
