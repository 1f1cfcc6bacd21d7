"""``emr-platform cost`` on a small hand-written assembly, against figures computed by hand.

The assembly (tests/cli/fixtures/small_app, stage ``demo``, eu-west-1) holds one fleet cluster with spot task
capacity and managed scaling, one NAT gateway, one Redshift Serverless workgroup; the price table
(tests/cli/fixtures/prices.json) has round numbers. With a 50% spot discount and 6 active hours a day:

EMR cluster, unit prices (EC2 + EMR) / weight:
  m5.xlarge  on-demand 0.20 + 0.05 = 0.25      spot 0.20 * 0.5 + 0.05 = 0.15
  m5.2xlarge on-demand (0.44 + 0.10) / 2 = 0.27  spot (0.22 + 0.10) / 2 = 0.16
  primary 1 on-demand m5.xlarge                 = 0.25 (every level)
  expected: core 2 x 0.25 + task 4 spot x 0.16 (dearest unit) = 0.50 + 0.64; with primary 1.39
  minimum:  2 units (MinimumCapacityUnits), on-demand first (targets 2) x cheapest 0.25 = 0.50; with primary 0.75
  maximum:  10 units, 4 on-demand x dearest 0.27 + 6 spot x dearest 0.16 = 1.08 + 0.96; with primary 2.29
NAT gateway: 0.05 at every level.
Workgroup: minimum 0; expected 8 RPU x 0.40 x 6/24 = 0.80; maximum 32 RPU x 0.40 = 12.80.
Totals per hour: 0.80 / 2.24 / 15.14; per 30 days (720 h): 576.00 / 1612.80 / 10900.80.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber

from emr_constructs.cli.assembly import load_assembly
from emr_constructs.cli.cost.estimate import Assumptions, estimate, runs_per_day
from emr_constructs.cli.cost.prices import PriceTable
from emr_constructs.cli.cost.refresh import refresh
from emr_constructs.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"
PRICES = FIXTURES / "prices.json"
HAND = ["--prices", str(PRICES), "--spot-discount", "0.5", "--active-hours", "6"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cdk_out(tmp_path: Path) -> Path:
    """A copy of the small assembly: ``cost`` writes its Markdown next to the templates."""
    return Path(shutil.copytree(FIXTURES / "small_app", tmp_path / "cdk.out"))


def cost(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["cost", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def by_resource(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (environment,) = report["environments"]
    return {item["resource"]: item for item in environment["items"]}


def test_json_matches_the_hand_computation(capsys: pytest.CaptureFixture[str], cdk_out: Path) -> None:
    code, out, _ = cost(capsys, str(cdk_out), "--json", *HAND)
    assert code == 0
    report = json.loads(out)
    (environment,) = report["environments"]
    assert (environment["environment"], environment["region"]) == ("demo", "eu-west-1")
    items = by_resource(report)
    expected = {
        "Analytics": (0.75, 1.39, 2.29),
        "Nat": (0.05, 0.05, 0.05),
        "Workgroup": (0.0, 0.80, 12.80),
    }
    assert set(items) == set(expected)
    for resource, (low, mid, high) in expected.items():
        hourly = items[resource]["hourly"]
        assert (hourly["min"], hourly["expected"], hourly["max"]) == pytest.approx((low, mid, high)), resource
    total = environment["total"]
    assert [total["hourly"][k] for k in ("min", "expected", "max")] == pytest.approx([0.80, 2.24, 15.14])
    assert [total["30_days"][k] for k in ("min", "expected", "max")] == pytest.approx([576.00, 1612.80, 10900.80])
    assert environment["stacks"]["demo-Compute"]["30_days"]["max"] == pytest.approx(1648.80)
    assert environment["missing"] == []
    assert report["prices"]["date"] == "2026-01-01"


def test_table_and_markdown(capsys: pytest.CaptureFixture[str], cdk_out: Path) -> None:
    code, out, _ = cost(capsys, str(cdk_out), "--env", "demo", *HAND)
    assert code == 0
    assert "Environment demo (eu-west-1), USD" in out
    total = next(line for line in out.splitlines() if "TOTAL" in line)
    for figure in ("$0.8000", "$2.24", "$15.14", "$576.00", "$1,612.80", "$10,900.80"):
        assert figure in total
    assert "spot EC2 at 50% off on-demand" in out
    written = (cdk_out / "cost-demo.md").read_text()
    assert written.startswith("# Cost of environment `demo` (eu-west-1)\n")
    assert (
        "| **TOTAL** | | | **$0.8000** | **$2.24** | **$15.14** | **$576.00** | **$1,612.80** | **$10,900.80** |"
        in written
    )
    assert "Prices: " in written and "dated 2026-01-01" in written


def test_default_spot_discount_is_stated_and_used(capsys: pytest.CaptureFixture[str], cdk_out: Path) -> None:
    code, out, _ = cost(capsys, str(cdk_out), "--json", "--prices", str(PRICES), "--active-hours", "6")
    assert code == 0
    report = json.loads(out)
    assert "spot EC2 at 60% off on-demand (EMR charge not discounted)" in report["assumptions"]
    # task spot units at 60% off: m5.2xlarge (0.44 * 0.4 + 0.10) / 2 = 0.138; expected 0.25 + 0.50 + 4 * 0.138
    assert by_resource(report)["Analytics"]["hourly"]["expected"] == pytest.approx(1.302)


def test_missing_instance_type_is_reported_not_priced_at_zero(
    capsys: pytest.CaptureFixture[str], cdk_out: Path
) -> None:
    template = cdk_out / "assembly-demo" / "demoCompute.template.json"
    data = json.loads(template.read_text())
    task = data["Resources"]["Analytics"]["Properties"]["Instances"]["TaskInstanceFleets"][0]
    task["InstanceTypeConfigs"].append({"InstanceType": "x9.huge", "WeightedCapacity": 1})
    template.write_text(json.dumps(data))
    code, out, _ = cost(capsys, str(cdk_out), "--json", *HAND)
    assert code == 0
    report = json.loads(out)
    item = by_resource(report)["Analytics"]
    assert item["complete"] is False
    assert item["missing"] == ["instance type x9.huge in eu-west-1"]
    assert report["environments"][0]["missing"] == ["instance type x9.huge in eu-west-1"]
    code, out, _ = cost(capsys, str(cdk_out), *HAND)
    assert "Analytics*" in out
    assert "Not priced (missing from the price table, left out of the figures, NOT zero): instance type x9.huge" in out


def test_compare_prints_base_and_head_with_the_difference(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = Path(shutil.copytree(FIXTURES / "small_app", tmp_path / "base"))
    head = Path(shutil.copytree(FIXTURES / "small_app", tmp_path / "head"))
    template = head / "assembly-demo" / "demoNetwork.template.json"
    data = json.loads(template.read_text())
    data["Resources"]["Nat2"] = data["Resources"]["Nat"]
    template.write_text(json.dumps(data))
    code, out, _ = cost(capsys, str(head), "--compare", str(base), *HAND)
    assert code == 0
    assert out == (head / "cost-diff.md").read_text()
    # one more NAT gateway: 0.05 x 720 = 36.00 a month more
    assert "| demo | demo-Network | $36.00 | $72.00 | +$36.00 | $36.00 | $72.00 | +$36.00 |" in out
    assert "| demo | **TOTAL** | $1,612.80 | $1,648.80 | +$36.00 | $10,900.80 | $10,936.80 | +$36.00 |" in out
    assert "| demo | demo-Compute | $1,000.80 | $1,000.80 | $0.00 |" in out


@pytest.mark.parametrize(
    ("expression", "runs"),
    [
        ("cron(0 2 * * ? *)", 1),
        ("cron(30 3 * * ? *)", 1),
        ("cron(0/15 * * * ? *)", 96),
        ("cron(0 8,20 ? * MON-FRI *)", 2 * 5 / 7),
        ("rate(6 hours)", 4),
        ("rate(1 day)", 1),
        ("rate(30 minutes)", 48),
    ],
)
def test_runs_per_day(expression: str, runs: float) -> None:
    assert runs_per_day(expression) == pytest.approx(runs)


def test_scheduled_glue_job_and_crawler(tmp_path: Path) -> None:
    """A G.1X job of 10 workers at 02:00 daily (0.48/DPU-h): per hour 10 x 0.48 / 60 / 24 per run minute,
    i.e. 1 / 10 / 60 minutes -> 0.00333 / 0.0333 / 0.2; a crawler every 6 hours, 4 runs of
    1 DPU x 10 min / 2 DPU x 10 min / 2 DPU x 60 min -> 0.01333 / 0.02667 / 0.16."""
    cdk_out = Path(shutil.copytree(FIXTURES / "small_app", tmp_path / "cdk.out"))
    template = cdk_out / "assembly-demo" / "demoWarehouse.template.json"
    data = json.loads(template.read_text())
    data["Resources"] = {
        "Job": {"Type": "AWS::Glue::Job", "Properties": {"WorkerType": "G.1X", "NumberOfWorkers": 10, "Timeout": 60}},
        "Nightly": {
            "Type": "AWS::Glue::Trigger",
            "Properties": {
                "Type": "SCHEDULED",
                "Schedule": "cron(0 2 * * ? *)",
                "Actions": [{"JobName": {"Ref": "Job"}}],
            },
        },
        "Crawler": {"Type": "AWS::Glue::Crawler", "Properties": {"Schedule": {"ScheduleExpression": "rate(6 hours)"}}},
        "Unscheduled": {"Type": "AWS::Glue::Job", "Properties": {"WorkerType": "G.2X", "NumberOfWorkers": 2}},
    }
    template.write_text(json.dumps(data))
    result = estimate(load_assembly(cdk_out)["demo"], PriceTable.read(PRICES), Assumptions())
    items = {i.resource: i.hourly for i in result.items}
    job, crawler = items["Job"], items["Crawler"]
    assert (job.minimum, job.expected, job.maximum) == pytest.approx((0.48 / 144, 0.48 / 14.4, 0.2))
    assert (crawler.minimum, crawler.expected, crawler.maximum) == pytest.approx((0.04 / 3, 0.08 / 3, 0.16))
    assert "Unscheduled" not in items
    assert any("Unscheduled: Glue job has no schedule" in note for note in result.notes)


def test_fails_no_assembly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cost(capsys, str(tmp_path / "nowhere"))
    assert code == 2
    assert err == (
        f"error: no cloud assembly at {tmp_path / 'nowhere'}: synthesize first (`cdk synth`, or `make synth` in this "
        "repository) or pass the cdk.out folder\n"
    )


def test_fails_unknown_environment(capsys: pytest.CaptureFixture[str], cdk_out: Path) -> None:
    code, _, err = cost(capsys, str(cdk_out), "--env", "prod")
    assert code == 2
    assert err == "error: no environment 'prod' in the cloud assembly; it has: demo\n"


def test_fails_region_not_in_price_table(capsys: pytest.CaptureFixture[str], cdk_out: Path) -> None:
    manifest = cdk_out / "assembly-demo" / "manifest.json"
    manifest.write_text(manifest.read_text().replace("eu-west-1", "ap-south-2"))
    code, _, err = cost(capsys, str(cdk_out), "--prices", str(PRICES))
    assert code == 2
    assert err == (
        f"error: the price table ({PRICES}) has no prices for region ap-south-2; it has: eu-west-1; "
        "run `emr-platform cost --refresh-prices --region ap-south-2`\n"
    )


def test_fails_bad_spot_discount(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["cost", "--spot-discount", "60"])
    assert exited.value.code == 2
    assert "60 is not a share between 0 and 1 (0.6 means 60% off)" in capsys.readouterr().err


# -- the packaged price table ---------------------------------------------------------------------------------


def config_regions_and_types() -> tuple[set[str], set[str], set[str]]:
    regions, instance_types, node_types = {"us-east-1"}, set(), set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == "instance_type":
                    instance_types.add(inner)
                elif key == "node_type":
                    node_types.add(inner)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for path in (ROOT / "config").glob("*.json"):
        settings = json.loads(path.read_text())
        if settings.get("region"):
            regions.add(settings["region"])
        walk(settings)
    return regions, instance_types, node_types


def test_packaged_table_prices_everything_the_bundled_app_uses() -> None:
    table = PriceTable.packaged()
    assert table.source and table.date and date.fromisoformat(table.date)
    regions, instance_types, node_types = config_regions_and_types()
    assert instance_types
    for region in regions:
        for instance_type in instance_types:
            assert table.price(region, "ec2", instance_type), (region, instance_type)
            assert table.price(region, "emr", instance_type), (region, instance_type)
            assert table.vcpus(instance_type), instance_type
        for node_type in node_types:
            assert table.price(region, "redshift_node_hour", node_type), (region, node_type)
        for key in ("nat_gateway_hour", "interface_endpoint_az_hour", "kms_key_month", "redshift_serverless_rpu_hour"):
            assert table.price(region, key), (region, key)


# -- --refresh-prices, with recorded Price List API answers ---------------------------------------------------


def product(instance_type: str, usd: str, vcpu: str | None = None) -> str:
    attributes = {"instanceType": instance_type, **({"vcpu": vcpu} if vcpu else {})}
    return json.dumps(
        {
            "product": {"attributes": attributes},
            "terms": {
                "OnDemand": {
                    "T1": {"priceDimensions": {"D1": {"unit": "Hrs", "pricePerUnit": {"USD": usd}}}},
                }
            },
        }
    )


def pricing_client() -> Any:
    session = botocore.session.Session()
    return session.create_client(
        "pricing", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def expect(stub: Stubber, service: str, region: str, instance_type: str, answer: list[str], **more: str) -> None:
    fields = {"regionCode": region, "instanceType": instance_type, **more}
    filters = [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in fields.items()]
    stub.add_response(
        "get_products",
        {"PriceList": answer, "FormatVersion": "aws_v1"},
        {"ServiceCode": service, "Filters": filters, "FormatVersion": "aws_v1", "MaxResults": 10},
    )


EC2_FILTERS = {"operatingSystem": "Linux", "tenancy": "Shared", "preInstalledSw": "NA", "capacitystatus": "Used"}


def test_refresh_prices_from_recorded_answers() -> None:
    pricing = pricing_client()
    stub = Stubber(pricing)
    expect(stub, "AmazonEC2", "eu-west-1", "m5.xlarge", [product("m5.xlarge", "0.2140000000", "4")], **EC2_FILTERS)
    expect(
        stub, "ElasticMapReduce", "eu-west-1", "m5.xlarge", [product("m5.xlarge", "0.0480000000")], softwareType="EMR"
    )
    expect(stub, "AmazonEC2", "eu-west-1", "z9.huge", [], **EC2_FILTERS)
    expect(stub, "ElasticMapReduce", "eu-west-1", "z9.huge", [], softwareType="EMR")
    with stub:
        fresh, missing = refresh(
            pricing, PriceTable.read(PRICES), "eu-west-1", ["z9.huge", "m5.xlarge"], date(2026, 11, 28)
        )
    stub.assert_no_pending_responses()
    assert missing == ["z9.huge"]
    assert fresh.price("eu-west-1", "ec2", "m5.xlarge") == 0.214
    assert fresh.price("eu-west-1", "emr", "m5.xlarge") == 0.048
    assert fresh.price("eu-west-1", "ec2", "m5.2xlarge") == 0.44  # kept
    assert fresh.price("eu-west-1", "ec2", "z9.huge") is None  # reported, never zero
    assert fresh.vcpus("m5.xlarge") == 4
    assert fresh.date == "2026-11-28"
    assert fresh.source.startswith("AWS Price List API")


def test_refresh_prices_command_writes_and_uses_the_table(
    capsys: pytest.CaptureFixture[str], cdk_out: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pricing = pricing_client()
    stub = Stubber(pricing)
    for instance_type, ec2, emr in (
        ("m5.2xlarge", "0.5400000000", "0.1000000000"),
        ("m5.xlarge", "0.3000000000", "0.0500000000"),
    ):
        expect(stub, "AmazonEC2", "eu-west-1", instance_type, [product(instance_type, ec2)], **EC2_FILTERS)
        expect(stub, "ElasticMapReduce", "eu-west-1", instance_type, [product(instance_type, emr)], softwareType="EMR")

    class Session:
        def client(self, service: str, **_: Any) -> Any:
            assert service == "pricing"
            return pricing

    target = tmp_path / "prices.json"
    shutil.copy(PRICES, target)
    with stub:
        code = main(
            ["cost", str(cdk_out), "--refresh-prices", "--prices", str(target), "--json", "--spot-discount", "0.5"],
            session=Session(),
        )  # type: ignore[arg-type]
    captured = capsys.readouterr()
    assert code == 0, captured.err
    stub.assert_no_pending_responses()
    assert f"prices refreshed into {target}" in captured.err
    assert json.loads(target.read_text())["regions"]["eu-west-1"]["ec2"]["m5.xlarge"] == 0.3
    # primary now 0.30 + 0.05 = 0.35
    assert by_resource(json.loads(captured.out))["Nat"]["hourly"]["expected"] == pytest.approx(0.05)
    primary_and_core = 3 * 0.35
    task = 4 * max(0.30 * 0.5 + 0.05, (0.54 * 0.5 + 0.10) / 2)
    assert by_resource(json.loads(captured.out))["Analytics"]["hourly"]["expected"] == pytest.approx(
        primary_and_core + task
    )


def test_pull_request_workflow_posts_base_vs_head_cost() -> None:
    """The workflow synthesizes the base branch and posts the head CLI's comparison into the job summary
    (its schema and zizmor checks are in tests/tools/gate/test_workflow.py)."""
    import yaml  # type: ignore[import-untyped]

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text())
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("with", {}).get("path") == "base")
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert checkout["with"]["persist-credentials"] is False
    runs = [s.get("run", "") for s in steps]
    synth = runs.index("make -C base synth")
    post = next(i for i, r in enumerate(runs) if "emr-platform cost cdk.out --compare base/cdk.out" in r)
    assert runs.index("make check") < synth < post
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs[post]


def test_stacks_outside_a_stage_form_the_app_environment(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A team app without Stages: its stacks are one environment, ``app``; agnostic stacks use --region."""
    flat = tmp_path / "cdk.out"
    shutil.copytree(FIXTURES / "small_app" / "assembly-demo", flat)
    manifest = flat / "manifest.json"
    manifest.write_text(
        manifest.read_text().replace("aws://123456789012/eu-west-1", "aws://unknown-account/unknown-region")
    )
    code, out, _ = cost(capsys, str(flat), "--json", "--region", "eu-west-1", *HAND)
    assert code == 0
    report = json.loads(out)
    (environment,) = report["environments"]
    assert (environment["environment"], environment["region"]) == ("app", "eu-west-1")
    assert environment["total"]["hourly"]["expected"] == pytest.approx(2.24)
    assert "environment-agnostic stacks priced in eu-west-1" in report["assumptions"]


def test_serverless_application_endpoint_key_and_provisioned_redshift(tmp_path: Path) -> None:
    """By hand, with the test table (vCPU-h 0.05, GB-h 0.005), 6 active hours and 24 vCPU-h + 96 GB-h of jobs a day:
    EMR Serverless pre-initialized 1 + 2 workers of 4 vCPU/16 GB = 12 vCPU, 48 GB = 0.84/h while started;
    expected 0.84 x 6/24 + (24 x 0.05 + 96 x 0.005) / 24 = 0.21 + 0.07 = 0.28; maximum 40 vCPU/160 GB = 2.80.
    An interface endpoint in 3 subnets: 3 x 0.01; a KMS key: 0.73 / 730 h; 2 ra3.xlplus nodes: 2 x 1.0."""
    cdk_out = Path(shutil.copytree(FIXTURES / "small_app", tmp_path / "cdk.out"))
    template = cdk_out / "assembly-demo" / "demoWarehouse.template.json"
    worker = {"Cpu": "4 vCPU", "Memory": "16 GB"}
    data = {
        "Resources": {
            "Spark": {
                "Type": "AWS::EMRServerless::Application",
                "Properties": {
                    "Type": "SPARK",
                    "InitialCapacity": [
                        {"Key": "Driver", "Value": {"WorkerCount": 1, "WorkerConfiguration": worker}},
                        {"Key": "Executor", "Value": {"WorkerCount": 2, "WorkerConfiguration": worker}},
                    ],
                    "MaximumCapacity": {"Cpu": "40 vCPU", "Memory": "160 GB"},
                },
            },
            "Endpoint": {
                "Type": "AWS::EC2::VPCEndpoint",
                "Properties": {"VpcEndpointType": "Interface", "SubnetIds": ["a", "b", "c"], "ServiceName": "x.sts"},
            },
            "Key": {"Type": "AWS::KMS::Key", "Properties": {}},
            "Cluster": {"Type": "AWS::Redshift::Cluster", "Properties": {"NodeType": "ra3.xlplus", "NumberOfNodes": 2}},
        }
    }
    template.write_text(json.dumps(data))
    assumptions = Assumptions(active_hours_per_day=6, job_vcpu_hours_per_day=24, job_gb_hours_per_day=96)
    result = estimate(load_assembly(cdk_out)["demo"], PriceTable.read(PRICES), assumptions)
    items = {i.resource: (i.hourly.minimum, i.hourly.expected, i.hourly.maximum) for i in result.items}
    assert items["Spark"] == pytest.approx((0.0, 0.28, 2.80))
    assert items["Endpoint"] == pytest.approx((0.03, 0.03, 0.03))
    assert items["Key"] == pytest.approx((0.001, 0.001, 0.001))
    assert items["Cluster"] == pytest.approx((2.0, 2.0, 2.0))
