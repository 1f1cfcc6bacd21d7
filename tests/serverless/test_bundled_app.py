"""The bundled app's serverless applications and Studio: settings per environment and the synthesized stacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from emr_constructs.errors import EmrConfigError
from stacks.platform_stage import PlatformStage
from stacks.settings import load_environment


def write_env(tmp_path: Path, data: dict[str, Any]) -> Path:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "qa.json").write_text(json.dumps({"termination_protection": False, **data}))
    return config


def test_staging_has_no_pre_initialized_capacity_and_stops_after_15_minutes() -> None:
    spark = load_environment("staging").compute.serverless["Spark"].application
    assert (spark.driver, spark.executor, spark.auto_stop_idle_minutes) == (None, None, 15)


def test_prod_is_pre_initialized_and_has_a_studio() -> None:
    prod = load_environment("prod")
    spark = prod.compute.serverless["Spark"].application
    assert spark.driver is not None and spark.executor is not None
    assert (spark.driver.count, spark.executor.count, spark.studio_enabled) == (2, 10, True)
    assert prod.studio is not None
    assert load_environment("staging").studio is None and load_environment("dev").studio is None


def test_fails_serverless_id_used_by_a_cluster(tmp_path: Path) -> None:
    config = write_env(tmp_path, {"compute": {"clusters": {"Etl": {}}, "serverless": {"Etl": {}}}})
    with pytest.raises(EmrConfigError) as raised:
        load_environment("qa", config)
    assert str(raised.value) == (
        "config/qa.json: compute.serverless.Etl='Etl' is invalid: a cluster has this construct id already; "
        "allowed: an id no cluster uses"
    )


def test_fails_serverless_settings_name_file_key_and_rule(tmp_path: Path) -> None:
    config = write_env(
        tmp_path,
        {"compute": {"serverless": {"Spark": {"stack": "Jobs", "application": {"auto_stop_idle_minutes": 0}}}}},
    )
    with pytest.raises(EmrConfigError) as raised:
        load_environment("qa", config)
    lines = [line.split(": ", 1)[1] for line in str(raised.value).splitlines()]
    assert lines == [
        "compute.serverless.Spark.stack='Jobs' is invalid: not a compute stack id; allowed: 'Compute' followed by up "
        "to 32 letters or digits, e.g. 'Compute' or 'ComputeBatch'",
        "compute.serverless.Spark.application.auto_stop_idle_minutes=0 is invalid: idle timeout out of range; "
        "allowed: 1-10080 minutes, or null to never stop",
    ]


def test_fails_studio_settings(tmp_path: Path) -> None:
    config = write_env(tmp_path, {"studio": {"auth_mode": "SSO", "idc_instance_arn": "arn:aws:sso:::instance/x"}})
    with pytest.raises(EmrConfigError) as raised:
        load_environment("qa", config)
    fields = [line.split(": ", 1)[1].split("=")[0] for line in str(raised.value).splitlines()]
    assert fields == ["studio.idc_instance_arn", "studio.identity_store_id"]


def _template(stage: PlatformStage, stack_id: str) -> Template:
    stack = next(s for s in stage.stacks if s.node.id == stack_id)
    return Template.from_stack(stack)


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_serverless_application_in_the_private_subnets(platform: dict[str, PlatformStage], env: str) -> None:
    stage = platform[env]
    (application,) = stage.compute[0].applications.values()
    props = _template(stage, "Compute").find_resources("AWS::EMRServerless::Application")
    ((_, resource),) = props.items()
    subnets = resource["Properties"]["NetworkConfiguration"]["SubnetIds"]
    network = stage.network.network
    expected = [Stack.of(application).resolve(s.subnet_id) for s in network.cluster_subnets]
    assert subnets == expected
    assert all(s.node.path.split("/")[-1].startswith(("Private", "Isolated")) for s in network.cluster_subnets)


def test_dev_has_no_serverless_application(platform: dict[str, PlatformStage]) -> None:
    assert _template(platform["dev"], "Compute").find_resources("AWS::EMRServerless::Application") == {}


def test_prod_studio_in_its_own_stack(platform: dict[str, PlatformStage]) -> None:
    stage = platform["prod"]
    assert stage.studio is not None
    template = _template(stage, "Studio")
    template.resource_count_is("AWS::EMR::Studio", 1)
    template.has_output("StudioUrl", {"Export": {"Name": "emr-platform-prod-studio-url"}})
    assert platform["staging"].studio is None


def test_exports_the_cli_reads(platform: dict[str, PlatformStage]) -> None:
    outputs = _template(platform["staging"], "Compute").find_outputs("*")
    names = {o["Export"]["Name"] for o in outputs.values() if "Export" in o}
    assert {
        "emr-platform-staging-serverless-spark-id",
        "emr-platform-staging-serverless-spark-role-arn",
        "emr-platform-staging-serverless-spark-log-uri",
    } <= names
