"""``emr-platform``: see a deployed environment, run Spark jobs on its clusters and serverless applications, read
their logs.

    emr-platform status --env dev
    emr-platform submit --env dev --cluster analytics --wait jobs/daily.py --date 2024-06-01
    emr-platform steps  --env dev --cluster analytics
    emr-platform logs   --env dev --cluster analytics s-1234567890ABC
    emr-platform submit --env prod --app spark --wait jobs/daily.py -- --date 2024-06-01
    emr-platform logs   --env prod --app spark 00fabc123def4567

Exit codes: 0 success; 1 the job or a request failed (step FAILED/CANCELLED/INTERRUPTED, job run
FAILED/CANCELLED, log not there yet); 2 something to fix before retrying (credentials, region, environment not
deployed, cluster terminated, access denied, arguments).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from emr_constructs.cli import clusters, jobs, render, serverless
from emr_constructs.cli.errors import EXIT_FAILED, CliError, explain
from emr_constructs.cli.locations import step_logs
from emr_constructs.cli.logs import STREAMS, fetch_step_log
from emr_constructs.cli.platform import (
    APPLICATION_ID,
    ARTIFACTS_BUCKET,
    CLUSTER_ID,
    DATA_LAKE_KEY,
    ApplicationRef,
    ClusterRef,
    Platform,
    application_by_id,
    cluster_by_id,
    discover,
)
from emr_constructs.discovery import ENVIRONMENT_TAG

if TYPE_CHECKING:
    import boto3

# Standard retry mode backs off on throttling, which a --wait loop in a busy account can meet; the number of
# attempts stays the operator's (AWS_MAX_ATTEMPTS, default 3).
_BOTO_CONFIG = Config(retries={"mode": "standard"}, user_agent_extra="emr-platform-cli")


@dataclass
class _Run:
    """One invocation: its arguments, AWS clients made on first use, and where output goes."""

    args: argparse.Namespace
    session: boto3.Session
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    out: TextIO
    err: TextIO
    _clients: dict[str, Any] = field(default_factory=dict)
    _platforms: dict[tuple[str, bool], Platform] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, region_name=self.args.region, config=_BOTO_CONFIG)
        return self._clients[service]

    @property
    def region(self) -> str | None:
        region: str | None = self.args.region or self.session.region_name
        return region

    def platform(self, env: str | None = None, *, applications: bool = False) -> Platform:
        """The environment's stacks and clusters; its EMR Serverless applications too when ``applications``
        (only then does the CLI call EMR Serverless, so cluster-only operators need no access to it)."""
        env = env or self.args.env
        if not env:
            raise CliError("pass --env NAME (the environment, as its clusters are tagged) or --cluster j-... (an id)")
        if (env, applications) not in self._platforms:
            cloudformation = self.client("cloudformation")
            region = cloudformation.meta.region_name
            self._platforms[(env, applications)] = discover(
                cloudformation,
                env,
                region,
                emr=self.client("emr"),
                serverless=self.client("emr-serverless") if applications else None,
            )
        return self._platforms[(env, applications)]

    def application(self) -> ApplicationRef:
        selector: str = self.args.app
        if not self.args.env and APPLICATION_ID.match(selector):
            # An id names one application in the account and region, whatever app made it.
            return application_by_id(self.client("emr-serverless"), selector)
        return self.platform(applications=True).application(selector)

    def cluster(self) -> ClusterRef:
        selector: str | None = self.args.cluster
        if selector and CLUSTER_ID.match(selector):
            # An id names one cluster in the account and region, whatever app made it: no environment needed.
            return cluster_by_id(self.client("emr"), selector)
        return self.platform().cluster(selector)

    def artifacts(self, ref: ClusterRef | ApplicationRef) -> tuple[str, str | None]:
        """Where to upload scripts, and the KMS key to encrypt them with: the flags, else the environment's exports."""
        bucket: str | None = self.args.bucket
        key: str | None = self.args.kms_key
        if bucket:
            return bucket, key
        env = self.args.env or ref.environment
        if not env:
            what = f"cluster {ref.cluster_id}" if isinstance(ref, ClusterRef) else f"application {ref.application_id}"
            raise CliError(
                f"{what} has no {ENVIRONMENT_TAG} tag, so its environment's artifacts bucket is "
                f"unknown: pass --bucket BUCKET (and --kms-key ARN if the bucket requires SSE-KMS)"
            )
        platform = self.platform(env)
        return platform.require_export(ARTIFACTS_BUCKET), key or platform.optional_export(DATA_LAKE_KEY)

    def print(self, text: str = "") -> None:
        print(text, file=self.out)


def _status(run: _Run) -> int:
    try:
        platform = run.platform(applications=True)
        apps = [serverless.describe(run.client("emr-serverless"), ref) for ref in platform.applications]
    except ClientError as error:
        # An operator of clusters only may have no EMR Serverless access: show the rest, say what is missing.
        explained = explain(error, region=run.region)
        if error.operation_name not in serverless.OPERATIONS or not str(explained).startswith("access denied"):
            raise
        print(f"note: EMR Serverless applications not listed: {explained}", file=run.err)
        platform, apps = run.platform(), []
    emr = run.client("emr")
    described = [clusters.describe(emr, ref) for ref in platform.clusters]
    show = render.status_json if run.args.json else render.status_text
    run.print(show(platform, described, apps))
    return 0


def _only_one_target(run: _Run) -> None:
    if run.args.app and run.args.cluster:
        raise CliError("pass --cluster (an EMR cluster) or --app (an EMR Serverless application), not both")


def _submit(run: _Run) -> int:
    _only_one_target(run)
    script = jobs.Script.read(Path(run.args.script))
    if run.args.app:
        return _submit_job_run(run, script)
    if run.args.role:
        raise CliError("--role is the job runtime role of an EMR Serverless application: pass it with --app")
    ref = run.cluster()
    emr = run.client("emr")
    state, reason, cluster = clusters.cluster_state(emr, ref.cluster_id)
    if state in {"TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS"}:
        because = f" ({reason})" if reason else ""
        raise CliError(
            f"cluster {ref.name} ({ref.cluster_id}) is {state}{because}: it cannot run steps; "
            f"redeploy the environment's compute stack to get a new cluster"
        )
    log_uri = ref.log_uri or cluster.get("LogUri")
    bucket, kms_key = run.artifacts(ref)
    location = jobs.upload(run.client("s3"), bucket, script, kms_key)
    run.print(f"uploaded {script.path} to {location}")
    step = jobs.spark_step(run.args.name or script.path.name, location, run.args.job_args)
    step_id = jobs.add_step(emr, ref.cluster_id, step)
    run.print(f"added step {step_id} to cluster {ref.name} ({ref.cluster_id})")
    logs_at = str(step_logs(log_uri, ref.cluster_id, step_id)) if log_uri else None
    if not run.args.wait:
        run.print(f"logs: {logs_at or 'the cluster has no log URI'}")
        return 0
    final = _follow(
        run,
        f"step {step_id}",
        lambda: jobs.describe_step(emr, ref.cluster_id, step_id),
        logs_at=logs_at,
        resume=f"emr-platform steps --cluster {ref.cluster_id}",
    )
    if isinstance(final, int):
        return final
    if final.state != jobs.COMPLETED:
        if final.failure:
            run.print(f"reason: {final.failure}")
        if final.failure_log:
            run.print(f"failure log: {final.failure_log}")
    run.print(f"logs: {logs_at or 'the cluster has no log URI'}")
    return 0 if final.state == jobs.COMPLETED else EXIT_FAILED


def _submit_job_run(run: _Run, script: jobs.Script) -> int:
    ref = run.application()
    client = run.client("emr-serverless")
    status = serverless.describe(client, ref)
    if status.state in {"TERMINATED", "TERMINATING"}:
        raise CliError(
            f"EMR Serverless application {ref.name} ({ref.application_id}) is {status.state}: it cannot run jobs; "
            f"redeploy the environment's compute stack"
        )
    role_arn = run.args.role or serverless.require_role(ref, run.args.env or ref.environment)
    bucket, kms_key = run.artifacts(ref)
    location = jobs.upload(run.client("s3"), bucket, script, kms_key)
    run.print(f"uploaded {script.path} to {location}")
    driver = serverless.job_driver(status.type, location, _job_args(run.args.job_args))
    run_id = serverless.start_job_run(
        client,
        ref,
        name=run.args.name or script.path.name,
        role_arn=role_arn,
        driver=driver,
        log_uri=ref.log_uri,
        kms_key_arn=kms_key,
    )
    run.print(f"started job run {run_id} on application {ref.name} ({ref.application_id})")
    logs_at = str(serverless.driver_logs(ref.log_uri, ref.application_id, run_id)) if ref.log_uri else None
    if not run.args.wait:
        run.print(f"logs: {logs_at or 'the application exports no log URI'}")
        return 0
    final = _follow(
        run,
        f"job run {run_id}",
        lambda: serverless.get_job_run(client, ref.application_id, run_id),
        logs_at=logs_at,
        resume=f"emr-platform steps --app {ref.name}",
    )
    if isinstance(final, int):
        return final
    if final.state != serverless.SUCCESS and final.details:
        run.print(f"reason: {final.details}")
    run.print(f"logs: {logs_at or 'the application exports no log URI'}")
    return 0 if final.state == serverless.SUCCESS else EXIT_FAILED


def _follow(
    run: _Run, what: str, describe: Callable[[], jobs.TrackedT], *, logs_at: str | None, resume: str
) -> jobs.TrackedT | int:
    """Follow ``what`` (a step or a job run) to its final state with progress on stderr, and print that state.

    Returns the exit code instead when it was still running at ``--timeout`` or the operator pressed Ctrl-C
    (it keeps running either way; ``resume`` says how to look at it again).
    """
    progress = _Progress(run.err, what.rsplit(" ", 1)[-1])
    try:
        final = jobs.follow_until_done(
            describe,
            sleep=run.sleep,
            clock=run.clock,
            max_poll_seconds=run.args.poll_seconds,
            timeout_seconds=run.args.timeout,
            on_poll=progress.update,
        )
    except jobs.FollowTimeout as stopped:
        progress.close()
        run.print(f"{what} is still {stopped.step.state} after {render.duration(run.args.timeout)}")
        run.print(f"logs: {logs_at}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        progress.close()
        run.print(f"stopped following {what}; it keeps running: {resume}")
        return 130
    progress.close()
    run.print(f"{what} {final.state}")
    return final


def _job_args(args: list[str]) -> list[str]:
    # `submit --app spark job.py -- --date x`: the separator is for the shell reader, not for the job.
    return args[1:] if args[:1] == ["--"] else args


def _steps(run: _Run) -> int:
    _only_one_target(run)
    if run.args.app:
        app = run.application()
        runs = serverless.list_job_runs(run.client("emr-serverless"), app.application_id, run.args.limit)
        show_runs = render.job_runs_json if run.args.json else render.job_runs_text
        run.print(show_runs(app.name, app.application_id, runs))
        return 0
    ref = run.cluster()
    found = jobs.list_steps(run.client("emr"), ref.cluster_id, run.args.limit)
    render_steps = render.steps_json if run.args.json else render.steps_text
    run.print(render_steps(ref.name, ref.cluster_id, found))
    return 0


def _logs(run: _Run) -> int:
    _only_one_target(run)
    if run.args.app:
        return _job_run_logs(run)
    ref = run.cluster()
    log_uri = ref.log_uri
    if not log_uri:
        _, _, cluster = clusters.cluster_state(run.client("emr"), ref.cluster_id)
        log_uri = cluster.get("LogUri")
    if not log_uri:
        raise CliError(f"cluster {ref.name} ({ref.cluster_id}) has no log URI: its step logs are not kept in S3")
    folder = step_logs(log_uri, ref.cluster_id, run.args.step)
    location, text = fetch_step_log(run.client("s3"), folder, run.args.stream)
    print(f"==> {location}", file=run.err)
    run.out.write(text)
    return 0


def _job_run_logs(run: _Run) -> int:
    ref = run.application()
    if run.args.stream not in serverless.DRIVER_STREAMS:
        streams = " and ".join(serverless.DRIVER_STREAMS)
        raise CliError(f"--stream {run.args.stream}: a job run's driver writes {streams}")
    if not ref.log_uri:
        raise CliError(
            f"EMR Serverless application {ref.name} ({ref.application_id}) has no S3 log location: its stack "
            f"exports no -log-uri and its monitoring configuration names none"
        )
    folder = serverless.driver_logs(ref.log_uri, ref.application_id, run.args.step)
    location, text = fetch_step_log(run.client("s3"), folder, run.args.stream)
    print(f"==> {location}", file=run.err)
    run.out.write(text)
    return 0


class _Progress:
    """A step's or job run's state and elapsed time: one line rewritten in place on a terminal, a line per change
    otherwise."""

    def __init__(self, stream: TextIO, ident: str) -> None:
        self.stream = stream
        self.ident = ident
        self.live = stream.isatty()
        self.last: str | None = None

    def update(self, item: jobs.Tracked, elapsed: float) -> None:
        line = f"[{render.duration(elapsed)}] {self.ident} {item.state}"
        if self.live:
            self.stream.write(f"\r{line}\033[K")
            self.stream.flush()
        elif item.state != self.last:
            print(line, file=self.stream)
        self.last = item.state

    def close(self) -> None:
        if self.live and self.last is not None:
            self.stream.write("\n")


def _cost(run: _Run) -> int:
    # Imported here, not at the top: `cost` is the only command that needs them.
    from emr_constructs.cli.assembly import load_assembly, select
    from emr_constructs.cli.cost import report
    from emr_constructs.cli.cost.estimate import Assumptions, estimate
    from emr_constructs.cli.cost.prices import PriceTable
    from emr_constructs.cli.cost.refresh import PRICING_REGION, refresh

    args = run.args
    cdk_out = Path(args.cdk_out)
    environments = select(load_assembly(cdk_out), args.env)
    assumptions = Assumptions(
        spot_discount=args.spot_discount,
        active_hours_per_day=args.active_hours,
        job_vcpu_hours_per_day=args.job_vcpu_hours,
        job_gb_hours_per_day=args.job_gb_hours,
        glue_run_minutes=args.glue_run_minutes,
        default_region=args.region or Assumptions.default_region,
    )
    prices_path = Path(args.prices) if args.prices else None
    table = PriceTable.read(prices_path) if prices_path and not args.refresh_prices else PriceTable.packaged()
    if args.refresh_prices:
        if prices_path and prices_path.exists():
            table = PriceTable.read(prices_path)
        pricing = run.session.client("pricing", region_name=PRICING_REGION, config=_BOTO_CONFIG)
        for region in sorted({r for e in environments for r in e.regions} or {assumptions.default_region}):
            used = _instance_types(environments)
            known = (table.data["regions"].get(region) or {}).get("ec2", {})
            table, missing = refresh(pricing, table, region, [*used, *known])
            if missing:
                print(f"no price from the Price List API for {', '.join(missing)} in {region}", file=run.err)
        target = prices_path or cdk_out / "prices.json"
        table.write(target)
        table = PriceTable.read(target)
        print(f"prices refreshed into {target}: pass --prices {target} to use them again", file=run.err)
    estimates = [estimate(e, table, assumptions) for e in environments]
    if args.compare:
        base_environments = load_assembly(Path(args.compare))
        names = {e.name for e in environments}
        base = [estimate(e, table, assumptions) for name, e in base_environments.items() if name in names]
        diff = report.compare(base, estimates)
        (cdk_out / "cost-diff.md").write_text(diff)
        run.out.write(diff)
        return 0
    for found in estimates:
        (cdk_out / f"cost-{found.environment}.md").write_text(report.markdown(found, table, assumptions))
    if args.json:
        run.print(render.to_json(report.to_json(estimates, table, assumptions)))
    else:
        run.out.write(report.text(estimates, table, assumptions))
    return 0


def _preflight(run: _Run) -> int:
    from emr_constructs.cli import preflight
    from emr_constructs.cli.assembly import load_assembly, select
    from emr_constructs.cli.cost.prices import PriceTable

    args = run.args
    environments = load_assembly(Path(args.cdk_out))
    if args.env is None and len(environments) != 1:
        raise CliError(f"pass --env NAME: the cloud assembly has environments {', '.join(environments) or 'none'}")
    (environment,) = select(environments, args.env)
    region = args.region or run.session.region_name or next(iter(sorted(environment.regions)), None)
    if not region:
        raise CliError("no AWS region: pass --region (e.g. --region eu-west-1) or set AWS_REGION")
    context = preflight.Context(
        environment=environment,
        client=lambda service: run.session.client(service, region_name=region, config=_BOTO_CONFIG),
        region=region,
    )
    upload = Path(args.upload_tls) if args.upload_tls else None
    results = preflight.run_checks(context, upload, PriceTable.packaged())
    if args.json:
        run.print(render.to_json(preflight.to_json(environment.name, region, results)))
    else:
        run.print(preflight.text(environment.name, region, results))
    return 0 if all(r.passed for r in results) else EXIT_FAILED


def _instance_types(environments: Sequence[Any]) -> set[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == "InstanceType" and isinstance(inner, str):
                    found.add(inner)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for environment in environments:
        for _, _, props in environment.resources("AWS::EMR::Cluster"):
            walk(props)
    return found


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1 (0.6 means 60% off)")
    return value


def _positive(kind: type[int] | type[float], low: float, high: float) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is out of range {low:g}-{high:g}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="emr-platform",
        description="Operate a deployed EMR platform environment: cluster status, Spark jobs, step logs.",
        epilog="Exit codes: 0 ok; 1 the job or a request failed; 2 fix something first (credentials, region, "
        "deployment, access, arguments).",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--env",
        help="environment name: its clusters are tagged emr-platform:environment=NAME (or its stacks are NAME-*); "
        "not needed with --cluster j-...",
    )
    common.add_argument("--region", help="AWS region of the environment (default: AWS_REGION or the profile's)")
    common.add_argument("--profile", help="AWS profile (default: AWS_PROFILE or the default credential chain)")
    with_cluster = argparse.ArgumentParser(add_help=False)
    with_cluster.add_argument(
        "--cluster", help="cluster name from the settings (e.g. analytics) or its j-... id; optional if only one"
    )
    with_cluster.add_argument(
        "--app",
        help="EMR Serverless application instead of a cluster: its name (e.g. spark) or its id",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    status = commands.add_parser(
        "status", parents=[common], help="stacks, exports, every cluster's capacity and every serverless application"
    )
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(handler=_status)

    submit = commands.add_parser(
        "submit",
        parents=[common, with_cluster],
        help="upload a PySpark script and run it as a step (or a job run with --app)",
        description="Upload SCRIPT to the artifacts bucket (jobs/<sha256>/<name>) and add a spark-submit step, or "
        "with --app start an EMR Serverless job run with the application's runtime role and log location. "
        "Options go before SCRIPT; everything after it (after an optional --) is passed to the job.",
    )
    submit.add_argument(
        "--role", help="job runtime role ARN with --app (default: the application's exported -role-arn)"
    )
    submit.add_argument("--name", help="step name (default: the script's file name)")
    submit.add_argument("--bucket", help="S3 bucket for the script (default: the environment's artifacts bucket)")
    submit.add_argument("--kms-key", help="KMS key ARN to encrypt the script with (default: the lake's, if exported)")
    submit.add_argument(
        "--wait", action="store_true", help="follow until it ends; exit 1 unless COMPLETED (job run: SUCCESS)"
    )
    submit.add_argument(
        "--poll-seconds",
        type=_positive(float, 1, 300),
        default=jobs.DEFAULT_MAX_POLL_SECONDS,
        help=f"longest wait between polls with --wait (1-300, default {jobs.DEFAULT_MAX_POLL_SECONDS:g})",
    )
    submit.add_argument(
        "--timeout", type=_positive(float, 1, 7 * 24 * 3600), help="stop following after this many seconds (exit 1)"
    )
    submit.add_argument("script", metavar="SCRIPT", help="the PySpark script to run")
    submit.add_argument("job_args", metavar="ARGS", nargs=argparse.REMAINDER, help="arguments for the script")
    submit.set_defaults(handler=_submit)

    steps = commands.add_parser(
        "steps", parents=[common, with_cluster], help="a cluster's recent steps (an application's job runs)"
    )
    steps.add_argument("--limit", type=_positive(int, 1, 1000), default=20, help="how many steps (default 20)")
    steps.add_argument("--json", action="store_true", help="machine-readable output")
    steps.set_defaults(handler=_steps)

    logs = commands.add_parser(
        "logs", parents=[common, with_cluster], help="print a step's (a job run's driver) log from S3"
    )
    logs.add_argument("step", metavar="STEP", help="step id (s-...), or job run id with --app")
    logs.add_argument("--stream", choices=STREAMS, default="stderr", help="which log (default stderr: Spark driver)")
    logs.set_defaults(handler=_logs)

    cost = commands.add_parser(
        "cost",
        help="hourly and 30-day cost of each environment, from the synthesized templates",
        description="Price every environment of a synthesized app (cdk.out) at minimum, expected and maximum "
        "capacity: EMR clusters, EMR Serverless, Redshift, NAT gateways, interface endpoints, KMS keys, scheduled "
        "Glue. Writes CDK_OUT/cost-<env>.md. Needs no AWS credentials unless --refresh-prices.",
    )
    cost.add_argument("cdk_out", metavar="CDK_OUT", nargs="?", default="cdk.out", help="cloud assembly (cdk.out)")
    cost.add_argument("--env", help="one environment (a Stage name); default every environment")
    cost.add_argument("--json", action="store_true", help="machine-readable output")
    cost.add_argument("--prices", help="price table file to use (default: the table in the package)")
    cost.add_argument(
        "--refresh-prices",
        action="store_true",
        help="fetch EC2/EMR prices from the AWS Price List API (needs credentials) into --prices "
        "(default CDK_OUT/prices.json), then use them",
    )
    cost.add_argument("--region", help="region for environment-agnostic stacks (default us-east-1)")
    cost.add_argument("--profile", help="AWS profile for --refresh-prices")
    cost.add_argument("--spot-discount", type=_share, default=0.6, help="spot EC2 discount, 0-1 (default 0.6)")
    cost.add_argument(
        "--active-hours", type=_positive(float, 0, 24), default=8.0, help="serverless hours in use a day (default 8)"
    )
    cost.add_argument("--job-vcpu-hours", type=_positive(float, 0, 1e9), default=0.0, help="EMR Serverless vCPU-h/day")
    cost.add_argument("--job-gb-hours", type=_positive(float, 0, 1e9), default=0.0, help="EMR Serverless GB-h/day")
    cost.add_argument(
        "--glue-run-minutes", type=_positive(float, 1, 2880), default=10.0, help="one Glue job run (default 10)"
    )
    cost.add_argument("--compare", metavar="BASE_CDK_OUT", help="print base vs this assembly (Markdown, 30 days)")
    cost.set_defaults(handler=_cost)

    check = commands.add_parser(
        "preflight",
        help="is the account ready for the environment? (credentials, bootstrap, subscribers, TLS zip, ...)",
        description="Check the target account against an environment of the synthesized app (CDK_OUT): credentials' "
        "account and region, CDK bootstrap, alarm subscribers, the TLS certificate zip, EMR block public access, "
        "vCPU quotas at the scaling maximums, instance types offered in the AZs. Exit 0 only when every check passes.",
    )
    check.add_argument("cdk_out", metavar="CDK_OUT", nargs="?", default="cdk.out", help="cloud assembly (cdk.out)")
    check.add_argument("--env", help="environment (Stage) name; optional when the assembly has one")
    check.add_argument("--region", help="AWS region (default: AWS_REGION, the profile's, else the environment's)")
    check.add_argument("--profile", help="AWS profile (default: AWS_PROFILE or the default credential chain)")
    check.add_argument("--json", action="store_true", help="machine-readable output (for CI)")
    check.add_argument(
        "--upload-tls",
        metavar="FILE",
        help="upload FILE (a zip of privateKey.pem, certificateChain.pem) where EMR expects it",
    )
    check.set_defaults(handler=_preflight)
    return parser


def _new_session(args: argparse.Namespace) -> boto3.Session:
    # Imported here, after argument parsing: boto3 takes a fifth of a second to import, which `--help` and
    # argument errors should not pay.
    import boto3

    return boto3.Session(profile_name=args.profile, region_name=args.region)


def main(
    argv: Sequence[str] | None = None,
    *,
    session: boto3.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run the CLI; returns the exit code. ``session``, ``sleep`` and ``clock`` are for tests and the rehearsal."""
    args = build_parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    run: _Run | None = None
    try:
        run = _Run(
            args=args,
            session=session or _new_session(args),
            sleep=sleep,
            clock=clock,
            out=out,
            err=err,
        )
        handler: Callable[[_Run], int] = args.handler
        return handler(run)
    except CliError as error:
        print(f"error: {error}", file=err)
        return error.exit_code
    except (BotoCoreError, ClientError) as error:
        explained = explain(error, region=run.region if run else args.region)
        print(f"error: {explained}", file=err)
        return explained.exit_code


if __name__ == "__main__":
    sys.exit(main())
