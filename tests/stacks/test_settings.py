"""Settings: every environment file loads; every kind of mistake names the file, key, value and what is allowed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emr_constructs.errors import EmrConfigError
from stacks.settings import CONFIG_DIR, known_environments, load_environment, load_environments


def write_env(tmp_path: Path, name: str, data: Any) -> Path:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / f"{name}.json").write_text(json.dumps(data) if not isinstance(data, str) else data)
    return config


def base(**overrides: Any) -> dict[str, Any]:
    return {"termination_protection": False, "allow_destroy": False, **overrides}


def test_bundled_environments_in_promotion_order() -> None:
    assert known_environments() == ["dev", "staging", "prod"]
    assert [s.name for s in load_environments(None)] == ["dev", "staging", "prod"]
    assert [s.name for s in load_environments("prod")] == ["prod"]


def test_environments_differ_where_real_teams_make_them_differ() -> None:
    dev, staging, prod = (load_environment(n) for n in ("dev", "staging", "prod"))
    assert (dev.termination_protection, dev.allow_destroy) == (False, True)
    assert (staging.termination_protection, staging.allow_destroy) == (True, False)
    assert (prod.termination_protection, prod.allow_destroy) == (True, False)
    vpcs = [s.network.vpc for s in (dev, staging, prod)]
    assert all(v is not None for v in vpcs)
    assert [(v.max_azs, v.nat_gateways, v.flow_log_retention_days) for v in vpcs if v] == [
        (2, 1, 30),  # dev: cheap egress, short retention
        (2, 0, 90),  # staging: isolated, reaches AWS through interface endpoints
        (3, 3, 365),  # prod: three named AZs, a NAT gateway per AZ, a year of flow logs
    ]


def test_fails_unknown_environment_lists_known_ones() -> None:
    with pytest.raises(EmrConfigError) as raised:
        load_environment("qa", CONFIG_DIR)
    assert str(raised.value) == ("-c env=NAME: env='qa' is invalid: unknown environment; allowed: dev, staging, prod")


def test_fails_unknown_key_names_file_and_allowed_keys(tmp_path: Path) -> None:
    config = write_env(tmp_path, "dev", base(terminaton_protection=True))
    with pytest.raises(EmrConfigError) as raised:
        load_environment("dev", config)
    message = str(raised.value)
    assert message.startswith("config/dev.json: terminaton_protection=True is invalid: unknown key; allowed: ")
    assert "termination_protection" in message


def test_fails_wrong_type(tmp_path: Path) -> None:
    config = write_env(tmp_path, "dev", base(termination_protection="yes"))
    with pytest.raises(EmrConfigError) as raised:
        load_environment("dev", config)
    assert str(raised.value) == ("config/dev.json: termination_protection='yes' is invalid: wrong type; allowed: bool")


def test_fails_malformed_account_and_region_together(tmp_path: Path) -> None:
    config = write_env(tmp_path, "dev", base(account="12345", region="Europe"))
    with pytest.raises(EmrConfigError) as raised:
        load_environment("dev", config)
    assert str(raised.value).splitlines() == [
        "config/dev.json: account='12345' is invalid: not an AWS account id; "
        "allowed: 12 digits, or null for environment-agnostic stacks",
        "config/dev.json: region='Europe' is invalid: not an AWS region name; "
        "allowed: e.g. 'eu-west-1', or null for environment-agnostic stacks",
    ]


def test_fails_destroy_allowed_on_a_protected_environment(tmp_path: Path) -> None:
    config = write_env(tmp_path, "prod", base(termination_protection=True, allow_destroy=True))
    with pytest.raises(EmrConfigError) as raised:
        load_environment("prod", config)
    assert str(raised.value) == (
        "config/prod.json: allow_destroy=True is invalid: an environment whose stacks are termination-protected "
        "cannot allow destroying data; allowed: false, or set termination_protection to false (dev only)"
    )


def test_fails_invalid_json_names_line(tmp_path: Path) -> None:
    config = write_env(tmp_path, "dev", '{"account": null,\n "region": }')
    with pytest.raises(EmrConfigError) as raised:
        load_environment("dev", config)
    assert str(raised.value) == ("config/dev.json: (file)='line 2' is invalid: Expecting value; allowed: valid JSON")


def test_fails_name_that_contradicts_the_file(tmp_path: Path) -> None:
    config = write_env(tmp_path, "dev", base(name="prod"))
    with pytest.raises(EmrConfigError, match=r"config/dev.json: name='prod' is invalid: must match the file name"):
        load_environment("dev", config)


def test_fails_glue_job_script_that_is_not_in_the_repository(tmp_path: Path) -> None:
    job = {"script": "jobs/missing.py", "job": {"read": [{"zone": "raw", "prefix": "events/"}]}}
    config = write_env(tmp_path, "dev", base(catalog={"jobs": {"CurateEvents": job}}))
    with pytest.raises(EmrConfigError) as raised:
        load_environment("dev", config)
    assert str(raised.value) == (
        "config/dev.json: catalog.jobs.CurateEvents.script='jobs/missing.py' is invalid: no such PySpark file in the "
        "repository; allowed: the path of a .py file relative to the repository root, e.g. 'jobs/sessionize.py'"
    )


def test_fails_construct_problems_reported_with_the_settings_key(tmp_path: Path) -> None:
    config = write_env(
        tmp_path,
        "dev",
        base(network={"vpc": {"max_azs": 9}}, warehouse={"kind": "provisioned", "port": 80}),
    )
    with pytest.raises(EmrConfigError) as raised:
        load_environment("dev", config)
    lines = str(raised.value).splitlines()
    assert lines[0] == (
        "config/dev.json: network.vpc.max_azs=9 is invalid: number of Availability Zones out of range; allowed: 1-6"
    )
    assert any(line.startswith("config/dev.json: warehouse.port=80 is invalid: ") for line in lines), lines


def test_fails_cluster_and_job_keys_that_are_not_construct_ids(tmp_path: Path) -> None:
    job = {"script": "workloads/batch/job.py", "job": {"read": [{"zone": "raw", "prefix": "events/"}]}}
    config = write_env(
        tmp_path, "dev", base(catalog={"jobs": {"curate-events": job}}, compute={"clusters": {"analytics": {}}})
    )
    with pytest.raises(EmrConfigError) as raised:
        load_environment("dev", config)
    assert str(raised.value).splitlines() == [
        "config/dev.json: catalog.jobs.curate-events='curate-events' is invalid: not a usable construct id; "
        "allowed: letters and digits, starting with a capital letter (e.g. 'Analytics')",
        "config/dev.json: compute.clusters.analytics='analytics' is invalid: not a usable construct id; "
        "allowed: letters and digits, starting with a capital letter (e.g. 'Analytics')",
    ]
