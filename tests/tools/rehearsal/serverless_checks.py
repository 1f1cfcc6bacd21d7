"""What the rehearsal of an environment with an EMR Serverless application must show (staging and prod)."""

from __future__ import annotations

import re

from tools.rehearsal.report import Verdict
from tools.rehearsal.serverless import SERVERLESS_APPLICATION


def check_serverless_application(verdict: Verdict, env: str) -> None:
    """The application was created through the API from its template, completed after its stack, exported with its
    real id, and ``submit --app --wait`` ran a job run on it with its runtime role."""
    [(result, created)] = [(r, a) for r in verdict.rehearsal.results for a in r.applications]
    [stack] = [s for s in verdict.rehearsal.stacks if s.stack_name == result.stack_name]
    resource = stack.template()["Resources"][created.logical_id]
    assert resource["Type"] == SERVERLESS_APPLICATION
    properties = resource["Properties"]
    serverless = verdict.rehearsal.session().client("emr-serverless")
    application = serverless.get_application(applicationId=created.application_id)["application"]
    assert (application["name"], application["releaseLabel"], application["state"]) == (
        properties["Name"],
        properties["ReleaseLabel"],
        "CREATED",
    )
    assert application["maximumCapacity"]["cpu"] == properties["MaximumCapacity"]["Cpu"]
    assert {t["Key"]: t["Value"] for t in properties["Tags"]} == application["tags"]
    network = application["networkConfiguration"]
    assert len(network["subnetIds"]) == len(properties["NetworkConfiguration"]["SubnetIds"])
    assert all(s.startswith("subnet-") for s in network["subnetIds"]), network
    assert all(g.startswith("sg-") for g in network["securityGroupIds"]), network
    assert created.deferred == ("monitoringConfiguration", "networkConfiguration")
    exports = {
        e["Name"]: e["Value"] for e in verdict.rehearsal.session().client("cloudformation").list_exports()["Exports"]
    }
    assert exports[f"emr-platform-{env}-serverless-spark-id"] == created.application_id
    [job_run] = serverless.list_job_runs(applicationId=created.application_id)["jobRuns"]
    assert (job_run["state"], job_run["executionRole"]) == (
        "SUCCESS",
        exports[f"emr-platform-{env}-serverless-spark-role-arn"],
    )
    submit = next(r for r in verdict.cli_runs if "--app" in r.argv and r.argv[0] == "submit")
    assert f"job run {job_run['id']} SUCCESS\n" in submit.stdout
    assert re.search(r"created through the EMR Serverless API as \w{16}; after the stack: ", created.note)
    assert result.stack_name == f"{env}-Compute"


def check_emr_egress_to_prefix_lists(verdict: Verdict) -> None:
    """Staging's prefix-list lookups (``Custom::AWS``) were made against moto and found its S3 and DynamoDB lists.

    moto models neither inline nor separate security-group egress, so the rules themselves are proven at synth
    (tests/network/test_egress.py and the Guard egress rules), not here.
    """
    [network] = [r for r in verdict.rehearsal.results if r.stack_name.endswith("-Network")]
    assert sorted(call for _, call in network.sdk_calls) == ["EC2.describeManagedPrefixLists"] * 2
    assert sorted(lid.split("PrefixList")[0] for lid, _ in network.sdk_calls) == [
        "EmrSecurityGroupsDynamoDb",
        "EmrSecurityGroupsS3",
    ]
    region = verdict.rehearsal.region
    names = {
        p["PrefixListName"]
        for p in verdict.rehearsal.session().client("ec2").describe_managed_prefix_lists()["PrefixLists"]
    }
    assert {f"com.amazonaws.{region}.s3", f"com.amazonaws.{region}.dynamodb"} <= names


def check_pipeline_started(verdict: Verdict, env: str) -> None:
    """Each pipeline of the environment was started in moto on the compute moto created: the batch ETL with the
    rehearsal's day (the serverless application in staging, the Analytics cluster in prod), the streaming job
    (prod) on the Streaming cluster, undated."""
    runs = {run.state_machine.split("-")[2][: -len("45AC50FB")]: run for run in verdict.pipeline_runs}
    assert sorted(runs) == (["DailyEvents"] if env == "staging" else ["Backfill", "DailyEvents", "StreamingWindows"])
    run = runs["DailyEvents"]
    assert run.status == "RUNNING" and run.dated and run.problems == ()
    session = verdict.rehearsal.session()
    execution = session.client("stepfunctions").describe_execution(executionArn=run.execution_arn)
    assert execution["input"] == '{"date": "2026-11-27"}'
    if env == "staging":
        [application] = session.client("emr-serverless").list_applications()["applications"]
        assert run.targets == (f"application {application['id']}",)
        return
    clusters = {c["Name"]: c["Id"] for c in session.client("emr").list_clusters()["Clusters"]}
    [analytics] = [i for n, i in clusters.items() if "analytics" in n.lower()]
    [streaming] = [i for n, i in clusters.items() if "streaming" in n.lower()]
    assert run.targets == (f"cluster {analytics}",)
    # The transient cluster's RunJobFlow, made in moto with what the state names (all found there).
    backfill = runs["Backfill"]
    assert backfill.dated and backfill.problems == ()
    [created] = backfill.targets
    assert created.startswith("creates cluster (j-") and created.endswith(", terminated)")
    stream = runs["StreamingWindows"]
    assert stream.status == "RUNNING" and not stream.dated and stream.problems == ()
    assert stream.targets == (f"cluster {streaming}",)
