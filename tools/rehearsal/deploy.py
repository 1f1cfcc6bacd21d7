"""Create an environment's stacks in moto as CloudFormation would, then run the operator CLI against them."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
import botocore.session
from botocore.exceptions import ClientError
from botocore.loaders import create_loader
from moto import mock_aws
from moto.cloudformation.models import Stack as MotoStack
from moto.core.models import DEFAULT_ACCOUNT_ID

from emr_constructs.cli.main import main as cli_main
from tools.assembly import FileAsset, StackArtifact
from tools.rehearsal.checks import template_problems
from tools.rehearsal.moto_gaps import (
    ClusterSettled,
    CustomResourceStandIn,
    EmrAnswers,
    ReferenceProblem,
    ResolvedReference,
    adapt_for_moto,
    custom_resources_without_handlers,
    placeholder_references,
    resolve_stack_outputs,
    settle_clusters,
    stand_in_brought_groups,
    unsupported_resources,
)
from tools.rehearsal.serverless import (
    ApplicationCreated,
    ApplicationProblem,
    complete_applications,
    create_applications,
)

DEFAULT_REGION = "eu-west-1"
#: The default bootstrap qualifier and a current bootstrap stack version (templates require >= 6).
BOOTSTRAP_QUALIFIER = "hnb659fds"
BOOTSTRAP_VERSION = "30"
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
SMOKE_JOB = Path(__file__).resolve().parent / "jobs" / "smoke.py"

_LOADER = create_loader()


def new_session(**kwargs: Any) -> boto3.Session:
    """A boto3 session whose botocore data (service models, endpoints) is loaded once per process, not per session."""
    core = botocore.session.get_session()
    core.register_component("data_loader", _LOADER)
    session = boto3.Session(botocore_session=core, **kwargs)
    # boto3 adds its own data folder to the loader on every session: keep each folder once.
    _LOADER.search_paths[:] = list(dict.fromkeys(_LOADER.search_paths))
    return session


@dataclass
class StackResult:
    stack_name: str
    display_name: str
    status: str = "NOT_ATTEMPTED"
    reasons: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Resources moto has no model for: (logical id, type)."""
    custom_resources: list[tuple[str, str]] = field(default_factory=list)
    sdk_calls: list[tuple[str, str]] = field(default_factory=list)
    """``(logical id, Service.action)`` of the ``Custom::AWS`` resources whose call was made against moto."""
    references: list[ResolvedReference] = field(default_factory=list)
    clusters: list[ClusterSettled] = field(default_factory=list)
    applications: list[ApplicationCreated] = field(default_factory=list)
    """EMR Serverless applications created through the API (moto has no CloudFormation model for them)."""
    adaptations: list[str] = field(default_factory=list)
    """Properties rewritten because moto misreads them (see :func:`rehearsal.moto_gaps.adapt_for_moto`)."""
    resource_count: int = 0
    template_bytes: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "CREATE_COMPLETE"


@dataclass(frozen=True)
class CliRun:
    argv: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class AssetUpload:
    location: str
    note: str


class Rehearsal:
    """One environment deployed into moto. Use :func:`rehearsal` to get one; moto's state lives until it exits."""

    def __init__(
        self, stacks: Sequence[StackArtifact], *, env: str, region: str, stand_ins: list[CustomResourceStandIn]
    ) -> None:
        self.stacks = list(stacks)
        self.env = env
        self.default_region = region
        self.results: list[StackResult] = []
        self.assets: list[AssetUpload] = []
        self.emr_answers = EmrAnswers()
        self.notes: list[str] = []
        """Other things the rehearsal did in moto's place (reported as moto gaps)."""
        self._stand_ins = stand_ins
        self._sessions: dict[tuple[str, str], boto3.Session] = {}
        self._clients: dict[tuple[str, str, str], Any] = {}
        self._created: dict[tuple[str, str, str], dict[str, Any]] = {}

    # -- where each stack goes -------------------------------------------------------------------------------
    def region_of(self, stack: StackArtifact) -> str:
        return stack.region or self.default_region

    def account_of(self, stack: StackArtifact) -> str:
        return stack.account or DEFAULT_ACCOUNT_ID

    @property
    def region(self) -> str:
        """The region the operator CLI talks to: the environment's (its first stack's)."""
        return self.region_of(self.stacks[0]) if self.stacks else self.default_region

    def session(self, account: str | None = None, region: str | None = None) -> boto3.Session:
        """Credentials for ``account`` (moto's default one unless a stack pins another) in ``region``."""
        key = (
            account or (self.account_of(self.stacks[0]) if self.stacks else DEFAULT_ACCOUNT_ID),
            region or self.region,
        )
        if key not in self._sessions:
            account_id, region_name = key
            if account_id == DEFAULT_ACCOUNT_ID:
                self._sessions[key] = new_session(region_name=region_name)
            else:
                # moto maps credentials from an assumed role to the role's account.
                sts = new_session(region_name=region_name).client("sts")
                role = f"arn:aws:iam::{account_id}:role/rehearsal"
                credentials = sts.assume_role(RoleArn=role, RoleSessionName="rehearsal")["Credentials"]
                self._sessions[key] = new_session(
                    aws_access_key_id=credentials["AccessKeyId"],
                    aws_secret_access_key=credentials["SecretAccessKey"],
                    aws_session_token=credentials["SessionToken"],
                    region_name=region_name,
                )
        return self._sessions[key]

    def client(self, service: str, account: str, region: str) -> Any:
        """One client per service, account and region: creating a botocore client costs milliseconds each time."""
        if (service, account, region) not in self._clients:
            self._clients[(service, account, region)] = self.session(account, region).client(service)
        return self._clients[(service, account, region)]

    def operator_session(self) -> boto3.Session:
        """A fresh session for the CLI whose clients get the template's answers to the EMR calls moto lacks."""
        base = self.session()
        credentials = base.get_credentials()
        session = new_session(
            aws_access_key_id=credentials.access_key,
            aws_secret_access_key=credentials.secret_key,
            aws_session_token=credentials.token,
            region_name=self.region,
        )
        self.emr_answers.install(session)
        return session

    # -- deploy -------------------------------------------------------------------------------------------------
    def deploy(self) -> list[StackResult]:
        """Bootstrap every account/region used, publish the assets, create the stacks in order."""
        for account, region in sorted({(self.account_of(s), self.region_of(s)) for s in self.stacks}):
            self._bootstrap(account, region)
        published: set[tuple[str, str]] = set()
        for stack in self.stacks:
            for asset in stack.assets:
                self._publish(stack, asset, published)
        failed: set[str] = set()
        with _quiet_moto():
            for stack in self.stacks:
                result = StackResult(stack.stack_name, stack.display_name)
                self.results.append(result)
                blocked = [
                    s.stack_name for s in self.stacks if s.artifact_id in stack.depends_on and s.artifact_id in failed
                ]
                if blocked:
                    result.reasons.append(f"not attempted: it depends on {', '.join(blocked)}, which failed")
                else:
                    self._create(stack, result)
                if not result.ok:
                    failed.add(stack.artifact_id)
        return self.results

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.ok for r in self.results)

    def _bootstrap(self, account: str, region: str) -> None:
        self.client("ssm", account, region).put_parameter(
            Name=f"/cdk-bootstrap/{BOOTSTRAP_QUALIFIER}/version", Value=BOOTSTRAP_VERSION, Type="String", Overwrite=True
        )
        bucket = f"cdk-{BOOTSTRAP_QUALIFIER}-assets-{account}-{region}"
        s3 = self.client("s3", account, region)
        if region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})

    def _publish(self, stack: StackArtifact, asset: FileAsset, published: set[tuple[str, str]]) -> None:
        account, region = self.account_of(stack), self.region_of(stack)
        bucket = _substitute(asset.bucket, account, region)
        key = _substitute(asset.key, account, region)
        if (bucket, key) in published:
            return
        published.add((bucket, key))
        location = f"s3://{bucket}/{key}"
        if not asset.source.exists():
            self.assets.append(AssetUpload(location, f"MISSING source {asset.source}"))
            return
        body = (
            _zip_directory(asset.source)
            if asset.packaging == "zip" and asset.source.is_dir()
            else asset.source.read_bytes()
        )
        self.client("s3", account, region).put_object(Bucket=bucket, Key=key, Body=body)
        self.assets.append(AssetUpload(location, f"{asset.packaging}, {len(body)} bytes"))

    def _create(self, stack: StackArtifact, result: StackResult) -> None:
        account, region = self.account_of(stack), self.region_of(stack)
        cloudformation = self.client("cloudformation", account, region)
        template = stack.template()
        result.resource_count = len(template.get("Resources", {}))
        result.template_bytes = stack.template_path.stat().st_size
        result.reasons += template_problems(template, result.template_bytes)
        try:
            template, result.references = resolve_stack_outputs(template, self._describe_stack(account), region)
        except ReferenceProblem as problem:
            result.reasons.append(str(problem))
        if result.reasons:
            result.status = "NOT_CREATED"
            return
        result.skipped = unsupported_resources(template)
        result.adaptations = adapt_for_moto(template, stack.stack_name)
        result.adaptations += stand_in_brought_groups(template, self.client("ec2", account, region))
        skipped = {logical_id for logical_id, _ in result.skipped}
        serverless = self.client("emr-serverless", account, region)
        try:
            result.applications = create_applications(serverless, template)
        except ApplicationProblem as problem:
            result.status = "NOT_CREATED"
            result.reasons.append(str(problem))
            return
        known = {a.logical_id: a.attributes for a in result.applications}
        result.adaptations += placeholder_references(template, skipped, account, region, known)
        before = len(self._stand_ins)
        try:
            cloudformation.create_stack(
                StackName=stack.stack_name,
                TemplateBody=json.dumps(template),
                Capabilities=CAPABILITIES,
                Tags=[{"Key": k, "Value": v} for k, v in sorted(stack.tags.items())],
            )
        except ClientError as error:
            result.status = "CREATE_FAILED"
            result.reasons.append(f"CreateStack refused: {error.response['Error'].get('Message', error)}")
            return
        except Exception as error:
            result.status = "CREATE_FAILED"
            result.reasons.append(f"moto failed creating the stack: {type(error).__name__}: {error}")
            return
        created = self._stand_ins[before:]
        result.custom_resources = [(s.logical_id, s.resource_type) for s in created if s.sdk_call is None]
        result.sdk_calls = [(s.logical_id, s.sdk_call) for s in created if s.sdk_call is not None]
        described = cloudformation.describe_stacks(StackName=stack.stack_name)["Stacks"][0]
        result.status = described["StackStatus"]
        if not result.ok:
            result.reasons += _event_reasons(cloudformation, stack.stack_name)
            return
        physical = {
            r["LogicalResourceId"]: r.get("PhysicalResourceId", "")
            for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack.stack_name)
            for r in page["StackResourceSummaries"]
            if "LogicalResourceId" in r
        }
        result.clusters = settle_clusters(account, region, physical, template)
        try:
            complete_applications(
                serverless, template, result.applications, account=account, region=region, stack_name=stack.stack_name
            )
        except ApplicationProblem as problem:
            result.status = "CREATE_FAILED"
            result.reasons.append(str(problem))
        for cluster in result.clusters:
            self.emr_answers.add_cluster(cluster.cluster_id, template["Resources"][cluster.logical_id]["Properties"])

    def _describe_stack(self, account: str) -> Any:
        def describe(name: str, region: str) -> dict[str, Any] | None:
            # A created stack's outputs do not change during the rehearsal; a template references them many times.
            if (account, region, name) not in self._created:
                try:
                    found = self.client("cloudformation", account, region).describe_stacks(StackName=name)["Stacks"]
                except ClientError as error:
                    if "does not exist" in error.response["Error"].get("Message", ""):
                        return None
                    raise
                if not found or found[0]["StackStatus"] != "CREATE_COMPLETE":
                    return None
                self._created[(account, region, name)] = found[0]
            return self._created[(account, region, name)]

        return describe

    # -- the operator CLI against the rehearsal ------------------------------------------------------------
    def run_cli(self, *argv: str, sleep: Callable[[float], None] = lambda _: None) -> CliRun:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(list(argv), session=self.operator_session(), sleep=sleep)
        return CliRun(tuple(argv), code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def rehearsal(stacks: Sequence[StackArtifact], *, env: str, region: str = DEFAULT_REGION) -> Iterator[Rehearsal]:
    """A moto world (in-process, fake credentials, no network) holding nothing yet; gone when the block exits."""
    with mock_aws(), custom_resources_without_handlers() as stand_ins, _json_templates_read_as_json():
        yield Rehearsal(stacks, env=env, region=region, stand_ins=stand_ins)


@contextlib.contextmanager
def _json_templates_read_as_json() -> Iterator[None]:
    """moto reads every template with PyYAML's pure-Python loader (~0.1 s per CDK stack, several times per stack);
    CDK writes JSON, which ``json`` reads to the same result far faster. YAML templates still go to moto's reader."""
    original = MotoStack.parse_template

    def parse(template: str) -> dict[str, Any]:
        try:
            parsed: dict[str, Any] = json.loads(template)
        except ValueError:
            return original(template)
        return parsed

    with mock.patch.object(MotoStack, "parse_template", staticmethod(parse)):
        yield


def _substitute(text: str, account: str, region: str) -> str:
    return (
        text.replace("${AWS::AccountId}", account).replace("${AWS::Region}", region).replace("${AWS::Partition}", "aws")
    )


def _zip_directory(directory: Path) -> bytes:
    """Zip a directory asset as the CDK CLI does (paths relative to it), with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(str(path.relative_to(directory)), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _event_reasons(cloudformation: Any, stack_name: str) -> list[str]:
    events = cloudformation.describe_stack_events(StackName=stack_name)["StackEvents"]
    failed = [e for e in events if e["ResourceStatus"].endswith("FAILED") or e["ResourceStatus"].startswith("ROLLBACK")]
    reasons = [
        f"{e['LogicalResourceId']} ({e['ResourceType']}): {e['ResourceStatus']} {e.get('ResourceStatusReason', '')}"
        for e in failed
    ]
    return [r.rstrip() for r in reasons] or ["the stack did not complete, and moto recorded no failed resource"]


@contextlib.contextmanager
def _quiet_moto() -> Iterator[None]:
    """moto warns about every resource it skips; the report lists them, so keep the console readable."""
    logger = logging.getLogger("moto")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
