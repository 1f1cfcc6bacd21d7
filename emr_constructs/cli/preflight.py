"""``emr-platform preflight``: is the target account ready for an environment's first deploy?

The settings come from the synthesized assembly (``cdk.out``), so a team's own app is checked the same way as
the bundled one; the account is read with boto3. Every check says PASS or FAIL and, when it fails, what to do.
"""

from __future__ import annotations

import functools
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from emr_constructs.cli.assembly import Environment, StackTemplate
from emr_constructs.cli.cost.prices import PriceTable
from emr_constructs.cli.errors import CliError, explain
from emr_constructs.cli.locations import S3Location
from emr_constructs.discovery import BROUGHT_METADATA_PREFIX, JARS_METADATA
from emr_constructs.placeholders import is_placeholder

#: EC2 vCPU quotas (Service Quotas, service code ``ec2``) for the instance families EMR clusters use.
ON_DEMAND_QUOTA = "L-1216C47A"  # Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances
SPOT_QUOTA = "L-34B43A08"  # All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests
_STANDARD_FAMILIES = set("acdhimrtz")
#: The files EMR reads from a PEM certificate zip (trustedCertificates.pem is optional).
TLS_FILES = ("privateKey.pem", "certificateChain.pem")
#: The resource type the ``EmrBlockPublicAccess`` construct writes; its permitted ranges are the allowed ones.
BLOCK_PUBLIC_ACCESS_RESOURCE = "Custom::EmrBlockPublicAccess"


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str
    fix: str = ""
    """What to do when it fails."""

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "status": "PASS" if self.passed else "FAIL"}


@dataclass
class Context:
    """What the checks share: the environment's settings, the clients, the account and region in use."""

    environment: Environment
    client: Callable[[str], Any]
    region: str
    account: str | None = None
    _resolved: dict[str, Any] = field(default_factory=dict)


# -- reading values the templates only reference --------------------------------------------------------------


class Unresolved(Exception):
    """A template value that needs a stack that is not deployed (yet)."""


def resolve(context: Context, stack: StackTemplate, value: Any) -> str:
    """A deployed value of a template expression: literals, ``Fn::Join``, ``Fn::GetStackOutput``,
    ``Fn::ImportValue``, ``Ref``/``Fn::GetAtt`` of a resource in the same stack, the pseudo parameters."""
    if isinstance(value, str | int | float):
        return str(value)
    if not isinstance(value, dict) or len(value) != 1:
        raise Unresolved(json.dumps(value))
    ((function, argument),) = value.items()
    cloudformation = context.client("cloudformation")
    if function == "Fn::Join":
        separator, parts = argument
        return str(separator).join(resolve(context, stack, part) for part in parts)
    if function == "Fn::GetStackOutput":
        return _output(cloudformation, argument["StackName"], argument["OutputName"])
    if function == "Fn::ImportValue":
        name = resolve(context, stack, argument)
        for page in cloudformation.get_paginator("list_exports").paginate():
            for export in page["Exports"]:
                if export["Name"] == name:
                    return str(export["Value"])
        raise Unresolved(f"export {name} (is the stack that exports it deployed?)")
    if function == "Ref" and argument.startswith("AWS::"):
        pseudo = {"AWS::Region": context.region, "AWS::AccountId": context.account, "AWS::Partition": "aws"}
        found = pseudo.get(argument)
        if found is None:
            raise Unresolved(argument)
        return found
    if function == "Ref":
        return _physical_id(cloudformation, stack.name, argument)
    raise Unresolved(json.dumps(value))


def _output(cloudformation: Any, stack_name: str, output: str) -> str:
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as error:
        if "does not exist" in str(error):
            raise Unresolved(f"stack {stack_name} is not deployed") from None
        raise
    for item in stacks[0].get("Outputs", []):
        if item["OutputKey"] == output:
            return str(item["OutputValue"])
    raise Unresolved(f"stack {stack_name} has no output {output} (deploy it again)")


def _physical_id(cloudformation: Any, stack_name: str, logical_id: str) -> str:
    try:
        answer = cloudformation.describe_stack_resource(StackName=stack_name, LogicalResourceId=logical_id)
    except ClientError:
        raise Unresolved(f"stack {stack_name} (with {logical_id}) is not deployed") from None
    return str(answer["StackResourceDetail"]["PhysicalResourceId"])


# -- the checks -----------------------------------------------------------------------------------------------


def check_identity(context: Context) -> Check:
    identity = context.client("sts").get_caller_identity()
    context.account = str(identity["Account"])
    environment = context.environment
    accounts, regions = environment.accounts, environment.regions
    where = f"credentials are account {context.account} in {context.region}"
    fix_unset = (
        f"name the account and region of environment {environment.name!r} in its settings (config/<env>.json "
        "'account'/'region', or the Stage's env=Environment(account=..., region=...)), then synthesize again"
    )
    if not accounts or not regions:
        unset = " and ".join(n for n, v in (("account", accounts), ("region", regions)) if not v)
        return Check("account and region", False, f"{where}; the environment names no {unset}", fix_unset)
    problems = []
    if context.account not in accounts:
        problems.append(f"the environment deploys to account {', '.join(sorted(accounts))}")
    if context.region not in regions:
        problems.append(f"the environment deploys to region {', '.join(sorted(regions))}")
    if problems:
        fix = "use credentials of the environment's account (AWS_PROFILE / --profile) and pass its --region"
        return Check("account and region", False, f"{where}; " + "; ".join(problems), fix)
    return Check("account and region", True, where)


def check_bootstrap(context: Context) -> Check:
    required = 0
    parameter = "/cdk-bootstrap/hnb659fds/version"
    for stack in context.environment.stacks:
        required = max(required, int(stack.properties.get("requiresBootstrapStackVersion", 0)))
        parameter = stack.properties.get("bootstrapStackVersionSsmParameter", parameter)
    fix = f"run `cdk bootstrap aws://{context.account or 'ACCOUNT'}/{context.region}` (CDK CLI)"
    try:
        value = context.client("ssm").get_parameter(Name=parameter)["Parameter"]["Value"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ParameterNotFound":
            raise
        return Check("CDK bootstrap", False, f"no bootstrap stack in {context.region}: {parameter} is missing", fix)
    if int(value) < required:
        detail = f"bootstrap version {value} in {context.region}; the templates need {required} or newer"
        return Check("CDK bootstrap", False, detail, fix + " again to upgrade it")
    return Check("CDK bootstrap", True, f"bootstrap version {value} (templates need {required}+)")


def boundary_policies(environment: Environment) -> list[tuple[StackTemplate, str, Any]]:
    """(stack, role, boundary expression) of every role and user of the environment that sets a permissions
    boundary (CDK's ``PermissionsBoundary.of(...)``, or a Stage's ``permissions_boundary``)."""
    return [
        (stack, logical_id, props["PermissionsBoundary"])
        for stack, logical_id, props in environment.resources("AWS::IAM::Role", "AWS::IAM::User")
        if props.get("PermissionsBoundary")
    ]


def check_permissions_boundary(context: Context) -> Check:
    """Every boundary policy the roles name exists: CreateRole fails on a boundary that does not, in the first
    stack that creates a role."""
    found = boundary_policies(context.environment)
    if not found:
        return Check("permissions boundary", True, "no role of the environment has a permissions boundary")
    wanted: dict[str, int] = {}
    created_by_stack = 0
    for stack, _, expression in found:
        if (
            isinstance(expression, dict)
            and set(expression) == {"Ref"}
            and expression["Ref"] in stack.template.get("Resources", {})
        ):
            created_by_stack += 1  # an AWS::IAM::ManagedPolicy of the same stack: it exists when the role is made
            continue
        try:
            arn = resolve(context, stack, expression)
        except Unresolved as why:
            return Check(
                "permissions boundary",
                False,
                f"cannot tell which boundary policy {stack.name} names: {why}",
                "fix the check above (credentials of the environment's account) and run again",
            )
        wanted[arn] = wanted.get(arn, 0) + 1
    iam = context.client("iam")
    missing = []
    for arn in sorted(wanted):
        try:
            iam.get_policy(PolicyArn=arn)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NoSuchEntity":
                raise
            missing.append(arn)
    if missing:
        names = ", ".join(arn.rpartition("/")[2] for arn in missing)
        return Check(
            "permissions boundary",
            False,
            f"missing: {', '.join(missing)} (every role of the environment gets it as permissions boundary; "
            "CreateRole fails without it)",
            f"create the customer-managed IAM policy {names} in account {context.account or 'ACCOUNT'} before the "
            "first deploy (your organisation's boundary), or set permissions_boundary to an existing policy and "
            "synthesize again",
        )
    roles = sum(wanted.values()) + created_by_stack
    return Check(
        "permissions boundary", True, f"{', '.join(sorted(wanted)) or 'created by its stack'}: {roles} role(s)"
    )


def _email_subscribers(environment: Environment) -> list[tuple[str, str]]:
    """(construct, endpoint) of every email subscription: AWS::SNS::Subscription and a topic's own list."""
    found = []
    for stack, logical_id, props in environment.resources("AWS::SNS::Subscription"):
        if props.get("Protocol") in ("email", "email-json"):
            found.append((f"{stack.name}/{logical_id}", _text(props.get("Endpoint"))))
    for stack, logical_id, props in environment.resources("AWS::SNS::Topic"):
        for subscription in props.get("Subscription", []):
            if subscription.get("Protocol") in ("email", "email-json"):
                found.append((f"{stack.name}/{logical_id}", _text(subscription.get("Endpoint"))))
    return found


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def check_subscribers(context: Context) -> Check:
    subscribers = _email_subscribers(context.environment)
    topics = list(context.environment.resources("AWS::SNS::Topic"))
    if not topics:
        return Check("alarm subscribers", True, "the environment has no SNS topic")
    if not subscribers:
        return Check(
            "alarm subscribers",
            False,
            "alarm topics have no email subscriber: alarms reach nobody",
            "add real addresses to the monitoring settings (email_subscribers), then synthesize again",
        )
    placeholders = sorted({address or "<empty>" for _, address in subscribers if is_placeholder(address)})
    if placeholders:
        return Check(
            "alarm subscribers",
            False,
            f"placeholder subscribers: {', '.join(placeholders)} (nobody receives mail there)",
            "replace them with real addresses in the monitoring settings (email_subscribers), then synthesize again",
        )
    wanted = {address.lower() for _, address in subscribers}
    pending: set[str] = set()
    confirmed: set[str] = set()
    for page in context.client("sns").get_paginator("list_subscriptions").paginate():
        for subscription in page["Subscriptions"]:
            endpoint = str(subscription.get("Endpoint", "")).lower()
            if endpoint in wanted:
                arn = subscription.get("SubscriptionArn", "")
                (pending if arn in ("PendingConfirmation", "") else confirmed).add(endpoint)
    pending -= confirmed
    if pending:
        return Check(
            "alarm subscribers",
            False,
            f"not confirmed: {', '.join(sorted(pending))}",
            "each address must click the link in AWS's 'Subscription Confirmation' mail (resend by redeploying)",
        )
    unknown = wanted - confirmed
    note = f"; not subscribed yet (first deploy): {', '.join(sorted(unknown))}" if unknown else ""
    return Check("alarm subscribers", True, f"{len(wanted)} subscriber(s), none a placeholder{note}")


def tls_locations(context: Context) -> Iterator[tuple[str, Any, StackTemplate, Any]]:
    """(construct, S3 URI expression, stack, KMS key expression) of every PEM certificate zip EMR expects."""
    for stack, logical_id, props in context.environment.resources("AWS::EMR::SecurityConfiguration"):
        encryption = props.get("SecurityConfiguration", {}).get("EncryptionConfiguration", {})
        tls = encryption.get("InTransitEncryptionConfiguration", {}).get("TLSCertificateConfiguration", {})
        if tls.get("CertificateProviderType") == "PEM" and tls.get("S3Object"):
            s3 = encryption.get("AtRestEncryptionConfiguration", {}).get("S3EncryptionConfiguration", {})
            key = s3.get("AwsKmsKey") if s3.get("EncryptionMode") == "SSE-KMS" else None
            yield f"{stack.name}/{logical_id}", tls["S3Object"], stack, key


def read_tls_zip(path: Path) -> bytes:
    """The zip's bytes once it holds what EMR reads; a clear error otherwise (never its content)."""
    try:
        body = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"--upload-tls {path}: no such file") from None
    if not zipfile.is_zipfile(path):
        raise CliError(f"--upload-tls {path}: not a zip file; EMR expects a zip of {', '.join(TLS_FILES)}")
    with zipfile.ZipFile(path) as archive:
        names = {Path(n).name for n in archive.namelist()}
    absent = [n for n in TLS_FILES if n not in names]
    if absent:
        raise CliError(f"--upload-tls {path}: the zip lacks {', '.join(absent)}; EMR needs {', '.join(TLS_FILES)}")
    return body


def check_tls(context: Context, upload: Path | None = None) -> Check:
    locations = list(tls_locations(context))
    if not locations:
        if upload:
            raise CliError("--upload-tls: no security configuration of the environment expects a PEM certificate zip")
        return Check("TLS certificate zip", True, "no security configuration expects a PEM certificate zip")
    body = read_tls_zip(upload) if upload else None
    s3 = context.client("s3")
    missing: list[str] = []
    found: list[str] = []
    for construct, expression, stack, key in locations:
        try:
            location = S3Location.parse(resolve(context, stack, expression))
        except Unresolved as why:
            return Check(
                "TLS certificate zip",
                False,
                f"{construct} reads its certificates from a bucket that does not exist yet: {why}",
                "deploy the stack that creates the bucket (the data lake) first, then run `emr-platform preflight "
                f"--env {context.environment.name} --upload-tls FILE` before deploying the compute stack",
            )
        if body is not None:
            extra: dict[str, str] = {}
            if key is not None:
                try:
                    extra = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": resolve(context, stack, key)}
                except Unresolved:
                    extra = {}
            s3.put_object(Bucket=location.bucket, Key=location.key, Body=body, **extra)
        (found if _exists(s3, location) else missing).append(str(location))
    if missing:
        return Check(
            "TLS certificate zip",
            False,
            f"missing: {', '.join(missing)} (the compute stack fails at cluster launch without it)",
            f"upload a zip of {', '.join(TLS_FILES)}: emr-platform preflight --env {context.environment.name} "
            "--upload-tls FILE",
        )
    action = "uploaded and found" if body is not None else "found"
    return Check("TLS certificate zip", True, f"{action}: {', '.join(found)}")


def _exists(s3: Any, location: S3Location) -> bool:
    try:
        s3.head_object(Bucket=location.bucket, Key=location.key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchKey", "NotFound"):
            raise
        return False
    return True


def jar_locations(environment: Environment) -> Iterator[tuple[str, Any, StackTemplate]]:
    """(construct, S3 URI expression, stack) of every jar a pipeline's jobs load with ``--jars``: the library's
    pipelines list them in their state machine's metadata (``JARS_METADATA``)."""
    for stack in environment.stacks:
        for logical_id, resource in stack.template.get("Resources", {}).items():
            for expression in resource.get("Metadata", {}).get(JARS_METADATA, []):
                yield f"{stack.name}/{logical_id}", expression, stack


def check_jars(context: Context) -> Check:
    """Every jar a job loads from S3 is there: nothing deploys it (a team uploads it), and a job run whose jar
    is missing fails only when it starts."""
    # CDK writes its asset locations as Fn::Sub of the bootstrap bucket: `cdk deploy` uploads those jars itself.
    locations = [found for found in jar_locations(context.environment) if "Fn::Sub" not in found[1]]
    if not locations:
        return Check("job jars", True, "no pipeline job loads jars from S3 beyond CDK assets")
    s3 = context.client("s3")
    wanted: dict[str, S3Location] = {}
    for construct, expression, stack in locations:
        try:
            location = S3Location.parse(resolve(context, stack, expression))
        except Unresolved as why:
            return Check(
                "job jars",
                False,
                f"{construct} loads jars from a bucket that does not exist yet: {why}",
                "deploy the stack that creates the bucket (the data lake) first, upload the jars, then run "
                "preflight again",
            )
        wanted[str(location)] = location
    missing = [uri for uri, location in wanted.items() if not _exists(s3, location)]
    if missing:
        return Check(
            "job jars",
            False,
            f"missing: {', '.join(missing)} (a job run that loads it fails at start)",
            f"upload each jar where the job expects it, e.g. `aws s3 cp {missing[0].rpartition('/')[2]} {missing[0]}` "
            "(download it where the internet is reachable, e.g. from Maven Central)",
        )
    return Check("job jars", True, f"found: {', '.join(wanted)}")


def brought_resources(environment: Environment) -> Iterator[tuple[str, str, str]]:
    """(construct path, kind, id) of everything the environment's constructs were given rather than created: the
    library lists them in the template ``Metadata`` of their stack (``BROUGHT_METADATA_PREFIX``)."""
    for stack in environment.stacks:
        for key, entries in stack.template.get("Metadata", {}).items():
            if key.startswith(BROUGHT_METADATA_PREFIX) and isinstance(entries, list):
                for entry in entries:
                    yield key.removeprefix(BROUGHT_METADATA_PREFIX), str(entry["kind"]), str(entry["id"])


#: The error codes of "there is no such thing" per kind of brought resource (anything else is raised).
_NOT_FOUND = {
    "ResourceNotFoundException",
    "InvalidGroup.NotFound",
    "InvalidGroupId.Malformed",
    "NotFoundException",
    "ValidationException",
}


def _database_endpoints(context: Context) -> set[str]:
    rds = context.client("rds")
    endpoints: set[str] = set()
    for page in rds.get_paginator("describe_db_instances").paginate():
        endpoints.update(i.get("Endpoint", {}).get("Address", "") for i in page["DBInstances"])
    for page in rds.get_paginator("describe_db_clusters").paginate():
        for cluster in page["DBClusters"]:
            endpoints.update((cluster.get("Endpoint", ""), cluster.get("ReaderEndpoint", "")))
    return endpoints - {""}


def _brought_exists(context: Context, kind: str, identifier: str, endpoints: Callable[[], set[str]]) -> bool:
    name = identifier.rpartition("/")[2]
    lookups: dict[str, Callable[[], Any]] = {
        "secret": lambda: context.client("secretsmanager").describe_secret(SecretId=identifier),
        "security-group": lambda: context.client("ec2").describe_security_groups(GroupIds=[identifier]),
        "dynamodb-table": lambda: context.client("dynamodb").describe_table(TableName=name),
        "kinesis-stream": lambda: context.client("kinesis").describe_stream_summary(StreamName=name),
        "kms-key": lambda: context.client("kms").describe_key(KeyId=identifier),
    }
    if kind == "database-endpoint":
        return identifier in endpoints()
    try:
        lookups[kind]()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in _NOT_FOUND:
            raise
        return False
    return True


def check_brought(context: Context) -> Check:
    """Everything the environment was given exists in its account and region: a brought database's endpoint,
    security group, secret and key, a brought table or stream. The deploy succeeds without them (imports are not
    looked up) and the first job run fails; placeholder values in settings are caught here."""
    brought = list(brought_resources(context.environment))
    if not brought:
        return Check("brought resources", True, "the environment brings no database, table or stream")
    endpoints = functools.cache(lambda: _database_endpoints(context))  # listed once, only if a database is brought
    missing = [
        f"{construct} {kind} {identifier}"
        for construct, kind, identifier in brought
        if not _brought_exists(context, kind, identifier, endpoints)
    ]
    if missing:
        return Check(
            "brought resources",
            False,
            f"not found in {context.region}: {'; '.join(missing)}",
            "put the real endpoint, security group, secret, table or stream of this account in the settings "
            "(for the bundled app: sources.database.existing, sources.sink.table_arn, sources.stream.stream_arn "
            "in config/<env>.json), or create them first; then synthesize again",
        )
    return Check("brought resources", True, f"found: {len(brought)} ({', '.join(sorted({k for _, k, _ in brought}))})")


def allowed_port_ranges(environment: Environment) -> set[tuple[int, int]]:
    """The port ranges the environment's ``EmrBlockPublicAccess`` permits (none when it has none)."""
    allowed: set[tuple[int, int]] = set()
    for _, _, props in environment.resources(BLOCK_PUBLIC_ACCESS_RESOURCE):
        for ranges in props.get("PermittedPortRanges", []):
            allowed.add((int(ranges["MinRange"]), int(ranges.get("MaxRange", ranges["MinRange"]))))
    return allowed


def check_block_public_access(context: Context) -> Check:
    answer = context.client("emr").get_block_public_access_configuration()
    configuration = answer.get("BlockPublicAccessConfiguration", {})
    fix = (
        "turn it on with only the ports the settings allow: deploy the EmrBlockPublicAccess construct in the "
        "account's baseline stack, or `aws emr put-block-public-access-configuration`"
    )
    if not configuration.get("BlockPublicSecurityGroupRules"):
        return Check("EMR block public access", False, f"off in {context.region} (Security Hub EMR.2)", fix)
    allowed = allowed_port_ranges(context.environment)
    permitted = [
        (int(r["MinRange"]), int(r.get("MaxRange", r["MinRange"])))
        for r in configuration.get("PermittedPublicSecurityGroupRuleRanges", [])
    ]
    extra = [r for r in permitted if not any(low <= r[0] and r[1] <= high for low, high in allowed)]
    if extra:
        shown = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in extra)
        allowed_text = ", ".join(f"{a}-{b}" for a, b in sorted(allowed)) or "none"
        return Check(
            "EMR block public access",
            False,
            f"on, but permits public ingress on port(s) {shown}; the settings allow: {allowed_text}",
            fix,
        )
    return Check("EMR block public access", True, f"on in {context.region}; permitted ports within the settings")


@dataclass(frozen=True)
class VcpuNeed:
    on_demand: int
    spot: int
    unknown: tuple[str, ...]
    """Instance types whose vCPU count is not in the table."""
    other_families: tuple[str, ...]
    """Instance types outside the standard families, whose quotas are not checked."""


def vcpu_need(environment: Environment, table: PriceTable) -> VcpuNeed:
    """vCPUs the environment's clusters can run at once at their managed-scaling maximums (targets where they
    do not scale): on-demand up to ``MaximumOnDemandCapacityUnits``, spot for the rest of the maximum. A unit is
    counted at the most vCPUs any instance type of the cluster gives per unit of weight (the worst case)."""
    on_demand = spot = 0.0
    unknown: set[str] = set()
    other: set[str] = set()
    for _, _, props in environment.resources("AWS::EMR::Cluster"):
        instances = props.get("Instances", {})
        fleets = _fleet_specs(instances)
        per_unit = 0.0
        for _, _, _, configs in fleets:
            for instance_type, weight in configs:
                if instance_type[0].lower() not in _STANDARD_FAMILIES:
                    other.add(instance_type)
                    continue
                vcpus = table.vcpus(instance_type)
                if vcpus is None:
                    unknown.add(instance_type)
                    continue
                per_unit = max(per_unit, vcpus / weight)
        primary = sum(od + sp for role, od, sp, _ in fleets if role == "primary")
        scaled_od = sum(od for role, od, _, _ in fleets if role != "primary")
        scaled_sp = sum(sp for role, _, sp, _ in fleets if role != "primary")
        limits = props.get("ManagedScalingPolicy", {}).get("ComputeLimits")
        if limits:
            high = float(limits.get("MaximumCapacityUnits", 0))
            high_od = min(float(limits.get("MaximumOnDemandCapacityUnits", high)), high)
            scaled_sp = max(high - scaled_od, 0.0) if scaled_sp or high_od < high else 0.0
            scaled_od = high_od
        on_demand += (primary + scaled_od) * per_unit
        spot += scaled_sp * per_unit
    return VcpuNeed(round(on_demand), round(spot), tuple(sorted(unknown)), tuple(sorted(other)))


def _fleet_specs(instances: dict[str, Any]) -> list[tuple[str, float, float, list[tuple[str, float]]]]:
    specs = []
    for key, role in (("MasterInstanceFleet", "primary"), ("CoreInstanceFleet", "core")):
        if key in instances:
            specs.append(_fleet_spec(role, instances[key]))
    specs += [_fleet_spec("task", f) for f in instances.get("TaskInstanceFleets", [])]
    for key, role in (("MasterInstanceGroup", "primary"), ("CoreInstanceGroup", "core")):
        if key in instances:
            specs.append(_group_spec(role, instances[key]))
    specs += [_group_spec("task", g) for g in instances.get("TaskInstanceGroups", [])]
    return specs


def _fleet_spec(role: str, fleet: dict[str, Any]) -> tuple[str, float, float, list[tuple[str, float]]]:
    configs = [
        (str(c["InstanceType"]), float(c.get("WeightedCapacity", 1)) or 1.0) for c in fleet["InstanceTypeConfigs"]
    ]
    return role, float(fleet.get("TargetOnDemandCapacity", 0)), float(fleet.get("TargetSpotCapacity", 0)), configs


def _group_spec(role: str, group: dict[str, Any]) -> tuple[str, float, float, list[tuple[str, float]]]:
    count = float(group.get("InstanceCount", 1))
    spot = group.get("Market") == "SPOT"
    return role, 0.0 if spot else count, count if spot else 0.0, [(str(group["InstanceType"]), 1.0)]


def check_vcpu_quotas(context: Context, table: PriceTable) -> Check:
    need = vcpu_need(context.environment, table)
    quotas = context.client("service-quotas")
    have = {}
    for code in (ON_DEMAND_QUOTA, SPOT_QUOTA):
        have[code] = float(quotas.get_service_quota(ServiceCode="ec2", QuotaCode=code)["Quota"]["Value"])
    short = []
    if need.on_demand > have[ON_DEMAND_QUOTA]:
        short.append(f"on-demand needs {need.on_demand} vCPU, quota {have[ON_DEMAND_QUOTA]:g} ({ON_DEMAND_QUOTA})")
    if need.spot > have[SPOT_QUOTA]:
        short.append(f"spot needs {need.spot} vCPU, quota {have[SPOT_QUOTA]:g} ({SPOT_QUOTA})")
    notes = ""
    if need.unknown:
        notes += f"; vCPU count unknown, not counted: {', '.join(need.unknown)}"
    if need.other_families:
        notes += f"; other families not checked: {', '.join(need.other_families)}"
    if short:
        return Check(
            "vCPU quotas",
            False,
            "; ".join(short) + notes,
            f"request an increase in Service Quotas (EC2) for {context.region}, or lower the managed-scaling maximums",
        )
    detail = (
        f"on-demand {need.on_demand}/{have[ON_DEMAND_QUOTA]:g} vCPU, spot {need.spot}/{have[SPOT_QUOTA]:g} vCPU "
        f"at the scaling maximums{notes}"
    )
    return Check("vCPU quotas", True, detail)


def environment_azs(context: Context) -> list[str]:
    """The AZs the environment's subnets name, or the region's AZs when its templates leave them to CloudFormation."""
    named = {
        props["AvailabilityZone"]
        for _, _, props in context.environment.resources("AWS::EC2::Subnet")
        if isinstance(props.get("AvailabilityZone"), str)
    }
    if named:
        return sorted(named)
    zones = context.client("ec2").describe_availability_zones(
        Filters=[{"Name": "zone-type", "Values": ["availability-zone"]}]
    )["AvailabilityZones"]
    return sorted(z["ZoneName"] for z in zones if z.get("State", "available") == "available")


def check_instance_offerings(context: Context) -> Check:
    fleets: list[tuple[str, list[str]]] = []
    for stack, logical_id, props in context.environment.resources("AWS::EMR::Cluster"):
        for role, _, _, configs in _fleet_specs(props.get("Instances", {})):
            fleets.append((f"{stack.name}/{logical_id} {role}", [t for t, _ in configs]))
    if not fleets:
        return Check("instance types offered", True, "the environment has no EMR cluster")
    azs = environment_azs(context)
    types = sorted({t for _, ts in fleets for t in ts})
    offered: dict[str, set[str]] = {}
    paginator = context.client("ec2").get_paginator("describe_instance_type_offerings")
    for page in paginator.paginate(
        LocationType="availability-zone", Filters=[{"Name": "instance-type", "Values": types}]
    ):
        for offering in page["InstanceTypeOfferings"]:
            offered.setdefault(offering["InstanceType"], set()).add(offering["Location"])
    failing = []
    for name, fleet_types in fleets:
        bare = [az for az in azs if not any(az in offered.get(t, set()) for t in fleet_types)]
        if bare:
            failing.append(f"{name} ({', '.join(fleet_types)}) has no type offered in {', '.join(bare)}")
    nowhere = [t for t in types if not offered.get(t, set()) & set(azs)]
    if failing:
        return Check(
            "instance types offered",
            False,
            "; ".join(failing),
            "add instance types offered in every AZ of the environment to those fleets "
            "(`aws ec2 describe-instance-type-offerings --location-type availability-zone`)",
        )
    note = f"; never offered here, EMR skips them: {', '.join(nowhere)}" if nowhere else ""
    return Check("instance types offered", True, f"every fleet has a type in {', '.join(azs)}{note}")


def run_checks(context: Context, upload: Path | None, table: PriceTable) -> list[Check]:
    """Every check in order (the identity check first: the others use the account it finds). A check whose
    AWS call fails (access denied, throttled) fails with the reason; the others still run."""
    checks: list[Callable[[], Check]] = [
        lambda: check_identity(context),
        lambda: check_bootstrap(context),
        lambda: check_permissions_boundary(context),
        lambda: check_subscribers(context),
        lambda: check_tls(context, upload),
        lambda: check_jars(context),
        lambda: check_brought(context),
        lambda: check_block_public_access(context),
        lambda: check_vcpu_quotas(context, table),
        lambda: check_instance_offerings(context),
    ]
    names = [
        "account and region",
        "CDK bootstrap",
        "permissions boundary",
        "alarm subscribers",
        "TLS certificate zip",
        "job jars",
        "brought resources",
        "EMR block public access",
        "vCPU quotas",
        "instance types offered",
    ]
    results = []
    for name, check in zip(names, checks, strict=True):
        try:
            results.append(check())
        except (BotoCoreError, ClientError) as error:
            explained = explain(error, region=context.region)
            results.append(Check(name, False, f"could not check: {explained}", "fix the error above and run again"))
    return results


def text(environment: str, region: str, results: list[Check]) -> str:
    lines = [f"Preflight of environment {environment} in {region}", ""]
    width = max(len(r.name) for r in results)
    for result in results:
        lines.append(f"{'PASS' if result.passed else 'FAIL'}  {result.name.ljust(width)}  {result.detail}")
        if not result.passed and result.fix:
            lines.append(f"      {''.ljust(width)}  -> {result.fix}")
    failed = sum(not r.passed for r in results)
    lines += ["", "ready to deploy" if not failed else f"{failed} of {len(results)} checks failed"]
    return "\n".join(lines)


_WORD = re.compile(r"\W+")


def to_json(environment: str, region: str, results: list[Check]) -> dict[str, Any]:
    return {
        "environment": environment,
        "region": region,
        "ready": all(r.passed for r in results),
        "checks": [{"id": _WORD.sub("-", r.name.lower()).strip("-"), **r.to_json()} for r in results],
    }
