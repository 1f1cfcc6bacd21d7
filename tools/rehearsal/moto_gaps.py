"""Where moto 5.2.5 falls short of CloudFormation and EMR, and what the rehearsal does about each gap.

Every gap is recorded, so the report says exactly what the rehearsal did not check:

- ``Fn::GetStackOutput`` (CDK's weak cross-stack references) is not a moto intrinsic: the rehearsal resolves it
  before creating the stack, from the referenced stack's outputs, as CloudFormation would at create time; a
  missing stack or output fails the stack.
- Resource types moto has no model for (``AWS::S3::BucketPolicy``, ``AWS::CDK::Metadata``, most Glue types, ...)
  are skipped by moto with a warning: they are listed per stack; the rest of the stack is still created. moto
  resolves a ``Ref`` to a skipped resource to nothing and crashes on its ``Fn::GetAtt``: those references get
  placeholders.
- ``AWS::KMS::Key`` tags: moto's model fails on CloudFormation's ``{Key, Value}`` tags; they are given to it in
  the KMS API's shape.
- Custom resources: moto runs their Lambda handler in Docker. The rehearsal does not run handlers; it checks that
  the provider function exists and marks the resource created without data. CDK's ``Custom::AWS`` resources
  (``AwsCustomResource``) are one SDK call each: the rehearsal makes that call against moto, as the handler
  would, and gives the resource the response fields it asks for (``outputPaths``), so ``Fn::GetAtt`` on it
  (a looked-up prefix list id, say) resolves to moto's answer.
- ``AWS::EMR::Cluster``: moto ignores ``Instances.KeepJobFlowAliveWhenNoSteps``, ``Applications``, instance
  fleets/groups and ``ManagedScalingPolicy``, so a long-running cluster comes up TERMINATED and empty. The
  rehearsal sets the cluster's state, applications and node groups from the template.
- ``emr:ListInstanceFleets`` and ``emr:GetManagedScalingPolicy`` are not implemented: the rehearsal answers them
  from the template (provisioned capacity = target capacity).
- ``AWS::EMRServerless::Application`` has no CloudFormation model, and the EMR Serverless backend keeps no
  architecture, monitoring, interactive or image configuration and starts applications at once: see
  ``rehearsal.serverless``, which creates them through the API.
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from moto.awslambda.utils import get_backend as lambda_backend
from moto.cloudformation.custom_model import CustomModel
from moto.cloudformation.models import cloudformation_backends
from moto.cloudformation.parsing import NULL_MODELS, get_model_map
from moto.emr.models import emr_backends

CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource"
EMR_CLUSTER = "AWS::EMR::Cluster"


class ReferenceProblem(Exception):
    """A cross-stack reference that would fail in CloudFormation too."""


@dataclass(frozen=True)
class ResolvedReference:
    stack: str
    output: str
    value: str


def resolve_stack_outputs(
    template: Any, describe_stack: Callable[[str, str], dict[str, Any] | None], region: str
) -> tuple[Any, list[ResolvedReference]]:
    """Replace every ``Fn::GetStackOutput`` with the referenced output's value.

    ``describe_stack(name, region)`` returns the DescribeStacks entry of a stack, or ``None`` when it does not
    exist. Raises :class:`ReferenceProblem` for a missing stack or output.
    """
    resolved: list[ResolvedReference] = []

    def literal(value: Any, what: str) -> str:
        if isinstance(value, str):
            return value
        if value == {"Ref": "AWS::Region"}:
            return region
        raise ReferenceProblem(f"Fn::GetStackOutput {what} is {value!r}: the rehearsal resolves literals only")

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"Fn::GetStackOutput"}:
                reference = node["Fn::GetStackOutput"]
                stack_name = literal(reference.get("StackName"), "StackName")
                output = literal(reference.get("OutputName"), "OutputName")
                where = literal(reference.get("Region", region), "Region")
                stack = describe_stack(stack_name, where)
                if stack is None:
                    raise ReferenceProblem(
                        f"Fn::GetStackOutput needs stack {stack_name} in {where}, which does not exist yet: "
                        "a missing stack dependency (deployment order) or a wrong stack name"
                    )
                outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
                if output not in outputs:
                    raise ReferenceProblem(
                        f"Fn::GetStackOutput needs output {output} of stack {stack_name}, which has none by that "
                        f"name (its outputs: {', '.join(sorted(outputs)) or 'none'})"
                    )
                reference_found = ResolvedReference(stack_name, output, outputs[output])
                if reference_found not in resolved:
                    resolved.append(reference_found)
                return outputs[output]
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(template), resolved


def adapt_for_moto(template: dict[str, Any], stack_name: str = "stack") -> list[str]:
    """Rewrite, in place, properties moto misreads although CloudFormation accepts them; one note per change.

    - ``AWS::KMS::Key`` ``Tags``: moto's model hands CloudFormation's ``{Key, Value}`` tags to the KMS API's
      tagger, which wants ``{TagKey, TagValue}``, and fails with ``KeyError: 'TagKey'``.
    - ``AWS::SSM::Parameter`` without ``Name``: CloudFormation generates one; moto fails with
      ``AttributeError: 'NoneType' object has no attribute 'lower'``. It gets ``/<stack>/<logical id>``. Its
      ``Tags`` (a map in CloudFormation) are given to moto as the API's ``[{Key, Value}]`` list. moto has no
      ``Fn::GetAtt <parameter>.Value`` (and then reports no outputs at all): it is replaced by the parameter's
      ``Value`` property, which is what CloudFormation returns.
    """
    notes = []
    for logical_id, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::KMS::Key" and properties.get("Tags"):
            properties["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in properties["Tags"]]
            notes.append(f"{logical_id} (AWS::KMS::Key): Tags given to moto as TagKey/TagValue")
        if resource["Type"] == "AWS::SSM::Parameter" and "Name" not in properties:
            properties["Name"] = f"/{stack_name}/{logical_id}"
            notes.append(f"{logical_id} (AWS::SSM::Parameter): named {properties['Name']} (moto needs a Name)")
        if resource["Type"] == "AWS::SSM::Parameter" and isinstance(properties.get("Tags"), dict):
            properties["Tags"] = [{"Key": k, "Value": v} for k, v in properties["Tags"].items()]
            notes.append(f"{logical_id} (AWS::SSM::Parameter): Tags given to moto as a Key/Value list")
    values = {
        logical_id: resource.get("Properties", {}).get("Value")
        for logical_id, resource in template.get("Resources", {}).items()
        if resource["Type"] == "AWS::SSM::Parameter"
    }

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            target = node.get("Fn::GetAtt") if len(node) == 1 else None
            if isinstance(target, list) and target[1:] == ["Value"] and target[0] in values:
                notes.append(f"Fn::GetAtt {target[0]}.Value (AWS::SSM::Parameter): its Value property given to moto")
                return values[target[0]]
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    if values:
        for section in ("Resources", "Outputs"):
            if section in template:
                template[section] = walk(template[section])
    return notes


_GROUP_ID_FIELDS = ("GroupId", "SourceSecurityGroupId", "DestinationSecurityGroupId")
_RULE_TYPES = ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")


def stand_in_brought_groups(template: dict[str, Any], ec2: Any) -> list[str]:
    """Security groups a setting brings (a team's database's ``sg-...``) exist in the account, not in moto: each
    literal group id of a rule that moto does not know is replaced, in place, by a stand-in group created in
    moto's default VPC for it (CloudFormation would refuse the rule just as moto does if the group were missing:
    the rehearsal cannot check that it exists). One note per group."""
    known = {g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    stand_ins: dict[str, str] = {}
    notes = []
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") not in _RULE_TYPES:
            continue
        properties = resource.get("Properties", {})
        for field in _GROUP_ID_FIELDS:
            group = properties.get(field)
            if not isinstance(group, str) or group in known:
                continue
            if group not in stand_ins:
                stand_ins[group] = ec2.create_security_group(
                    GroupName=f"rehearsal-brought-{group}", Description=f"stand-in for the brought group {group}"
                )["GroupId"]
                notes.append(f"brought security group {group}: stand-in {stand_ins[group]} created in moto")
            properties[field] = stand_ins[group]
    return notes


#: Types moto skips whose ``Ref`` is a secret's ARN.
_REF_IS_SECRET_ARN = ("AWS::SecretsManager::Secret", "AWS::SecretsManager::SecretTargetAttachment")


def placeholder_references(
    template: dict[str, Any],
    skipped: set[str],
    account: str,
    region: str,
    known: dict[str, dict[str | None, str]] | None = None,
) -> list[str]:
    """Rewrite, in place, ``Ref``/``Fn::GetAtt``/``Fn::Sub`` references to resources moto skips into placeholders.

    moto resolves a ``Ref`` to a skipped resource to nothing (dropping the property that held it) and crashes on a
    ``Fn::GetAtt`` of one. ``...Arn`` attributes get an ARN-shaped placeholder, because moto validates the
    resources of IAM policies. A skipped resource the rehearsal created another way gets its real values from
    ``known`` (logical id -> attribute, ``None`` for ``Ref`` -> value). A ``Ref`` that is a secret's ARN (a
    secret target attachment's) gets a secret-ARN-shaped placeholder, so CDK's parse of the secret name from it
    (``Fn::Split``/``Fn::Select``) resolves. Returns one note per distinct reference.
    """
    notes: dict[str, None] = {}
    resources = template.get("Resources", {})

    def placeholder(logical_id: str, attribute: str | None) -> str:
        real = (known or {}).get(logical_id, {}).get(attribute)
        if real is not None:
            value = real
        elif attribute and attribute.split(".")[-1].endswith("Arn"):
            value = f"arn:aws:rehearsal:{region}:{account}:placeholder/{logical_id}/{attribute}"
        elif attribute is None and resources.get(logical_id, {}).get("Type") in _REF_IS_SECRET_ARN:
            value = f"arn:aws:secretsmanager:{region}:{account}:secret:rehearsal-{logical_id}-AbCdEf"
        else:
            value = f"rehearsal-placeholder-{logical_id}" + (f"-{attribute}" if attribute else "")
        kind = f"Fn::GetAtt {logical_id}.{attribute}" if attribute else f"Ref {logical_id}"
        notes[f"{kind} -> {value}"] = None
        return value

    def sub(match: re.Match[str]) -> str:
        logical_id, _, attribute = match.group(1).partition(".")
        return placeholder(logical_id, attribute or None) if logical_id in skipped else match.group(0)

    def walk(node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            ((function, argument),) = node.items()
            if function == "Ref" and argument in skipped:
                return placeholder(argument, None)
            if function == "Fn::GetAtt":
                logical_id, attribute = argument if isinstance(argument, list) else str(argument).split(".", 1)
                if logical_id in skipped:
                    return placeholder(logical_id, attribute)
            if function == "Fn::Sub":
                text, variables = (argument, None) if isinstance(argument, str) else argument
                text = re.sub(r"\$\{(?!!)([^}]+)\}", sub, text)
                return {"Fn::Sub": text if variables is None else [text, walk(variables)]}
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    for section in ("Resources", "Outputs"):
        for logical_id, body in template.get(section, {}).items():
            if logical_id not in skipped:
                template[section][logical_id] = walk(body)
    return list(notes)


def is_custom_resource(resource_type: str) -> bool:
    return resource_type == CUSTOM_RESOURCE or resource_type.startswith("Custom::")


def unsupported_resources(template: dict[str, Any]) -> list[tuple[str, str]]:
    """``(logical id, type)`` of the resources moto skips: it has no CloudFormation model for their type."""
    models = get_model_map()
    return [
        (logical_id, resource["Type"])
        for logical_id, resource in template.get("Resources", {}).items()
        if not is_custom_resource(resource["Type"])
        and (resource["Type"] in NULL_MODELS or resource["Type"] not in models)
    ]


AWS_SDK_CALL = "Custom::AWS"


@dataclass(frozen=True)
class CustomResourceStandIn:
    stack_id: str
    logical_id: str
    resource_type: str
    sdk_call: str | None = None
    """``Service.action`` when the rehearsal made the resource's SDK call against moto."""


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """A response as the handler flattens it: ``{"PrefixLists.0.PrefixListId": ...}``."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, item in items:
        flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def sdk_call_data(properties: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    """Make a ``Custom::AWS`` resource's create call against moto; its call name and the fields it outputs."""
    call = json.loads(properties["Create"])
    service, action = call["service"], call["action"]
    # The handler takes SDK v3 names ("EC2", "describeManagedPrefixLists"); boto3 wants "ec2", snake_case.
    client = boto3.client(service.lower(), region_name=region)
    method = re.sub(r"(?<!^)(?=[A-Z])", "_", action.removesuffix("Command")).lower()
    response = getattr(client, method)(**call.get("parameters", {}))
    response.pop("ResponseMetadata", None)
    flat = _flatten(response)
    paths = call.get("outputPaths")
    data = {k: v for k, v in flat.items() if paths is None or any(k.startswith(p) for p in paths)}
    return f"{service}.{action}", data


@contextlib.contextmanager
def custom_resources_without_handlers() -> Iterator[list[CustomResourceStandIn]]:
    """While active, moto creates custom resources without invoking their Lambda handlers (which needs Docker).

    The provider function must exist, as CloudFormation requires; the resource is created without data, so a
    ``Fn::GetAtt`` on it resolves to nothing. Yields the list of resources created this way.
    """
    created: list[CustomResourceStandIn] = []
    original = CustomModel.__dict__["create_from_cloudformation_json"]

    def create(
        cls: type[CustomModel],
        /,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> CustomModel:
        properties = cloudformation_json["Properties"]
        lambda_backend(account_id, region_name).get_function(properties["ServiceToken"])
        resource = CustomModel(region_name, str(uuid.uuid4()), kwargs["LogicalId"], resource_name)  # type: ignore[abstract]
        sdk_call: str | None = None
        data: dict[str, Any] = {}
        if kwargs["ResourceType"] == AWS_SDK_CALL:
            sdk_call, data = sdk_call_data(properties, region_name)
        resource.set_data(data)
        stack = cloudformation_backends[account_id][region_name].get_stack(kwargs["StackId"])
        stack.add_custom_resource(resource)
        created.append(CustomResourceStandIn(kwargs["StackId"], kwargs["LogicalId"], kwargs["ResourceType"], sdk_call))
        return resource

    CustomModel.create_from_cloudformation_json = classmethod(create)  # type: ignore[method-assign,assignment]
    try:
        yield created
    finally:
        CustomModel.create_from_cloudformation_json = original  # type: ignore[method-assign]


@dataclass(frozen=True)
class ClusterSettled:
    cluster_id: str
    logical_id: str
    corrections: tuple[str, ...]


def settle_clusters(
    account: str, region: str, resources: dict[str, str], template: dict[str, Any]
) -> list[ClusterSettled]:
    """Give moto's clusters what their template says and moto dropped. ``resources``: logical id -> physical id."""
    backend = emr_backends[account][region]
    settled = []
    for logical_id, resource in template.get("Resources", {}).items():
        if resource["Type"] != EMR_CLUSTER or logical_id not in resources:
            continue
        properties = resource.get("Properties", {})
        instances = properties.get("Instances", {})
        cluster = backend.clusters[resources[logical_id]]
        corrections = []
        # CloudFormation's default for KeepJobFlowAliveWhenNoSteps is true.
        keep_alive = instances.get("KeepJobFlowAliveWhenNoSteps", True) in (True, "true")
        if keep_alive and cluster.state != "WAITING":
            cluster.keep_job_flow_alive_when_no_steps = True
            cluster.state, cluster.end_datetime = "WAITING", None
            corrections.append("state WAITING (moto ignores KeepJobFlowAliveWhenNoSteps)")
        applications = [a["Name"] for a in properties.get("Applications", []) if "Name" in a]
        if applications:
            cluster.applications = []
            cluster.add_applications([{"name": name} for name in applications])
            corrections.append(f"applications {', '.join(applications)} (moto drops Applications)")
        if _fleets(instances):
            cluster.instance_collection_type = "INSTANCE_FLEET"  # type: ignore[attr-defined]
            corrections.append("instance fleets (moto drops them; ListInstanceFleets answered from the template)")
        groups = _groups(instances)
        if groups and not cluster.instance_group_ids:
            backend.add_instance_groups(cluster.id, groups)
            cluster.instance_collection_type = "INSTANCE_GROUP"  # type: ignore[attr-defined]
            corrections.append(f"{len(groups)} instance groups (moto drops them)")
        settled.append(ClusterSettled(cluster.id, logical_id, tuple(corrections)))
    return settled


def _fleets(instances: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    fleets = [("MASTER", instances.get("MasterInstanceFleet")), ("CORE", instances.get("CoreInstanceFleet"))]
    fleets += [("TASK", fleet) for fleet in instances.get("TaskInstanceFleets", [])]
    return [(role, fleet) for role, fleet in fleets if fleet]


def _groups(instances: dict[str, Any]) -> list[dict[str, Any]]:
    groups = [("MASTER", instances.get("MasterInstanceGroup")), ("CORE", instances.get("CoreInstanceGroup"))]
    groups += [("TASK", group) for group in instances.get("TaskInstanceGroups", [])]
    return [
        {
            "instance_count": int(group.get("InstanceCount", 1)),
            "instance_role": role,
            "instance_type": group["InstanceType"],
            "market": group.get("Market", "ON_DEMAND"),
            "name": group.get("Name"),
            "bid_price": group.get("BidPrice"),
        }
        for role, group in groups
        if group
    ]


class EmrAnswers:
    """Answers the EMR calls moto does not implement, from the clusters' templates, for clients of one session."""

    OPERATIONS = ("ListInstanceFleets", "GetManagedScalingPolicy")

    def __init__(self) -> None:
        self.clusters: dict[str, dict[str, Any]] = {}
        self.answered: list[str] = []

    def add_cluster(self, cluster_id: str, properties: dict[str, Any]) -> None:
        self.clusters[cluster_id] = properties

    def install(self, session: boto3.Session) -> None:
        """Clients the session creates from now on get the answers; every other call still goes to moto."""
        for operation in self.OPERATIONS:
            session.events.register(f"before-call.emr.{operation}", self._answer, unique_id=f"rehearsal-{operation}")

    def _answer(self, model: Any, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        cluster_id = json.loads(params["body"])["ClusterId"]
        properties = self.clusters.get(cluster_id, {})
        self.answered.append(f"{model.name}({cluster_id})")
        if model.name == "ListInstanceFleets":
            body: dict[str, Any] = {"InstanceFleets": fleet_descriptions(cluster_id, properties)}
        else:
            limits = properties.get("ManagedScalingPolicy", {}).get("ComputeLimits")
            body = {"ManagedScalingPolicy": {"ComputeLimits": _ints(limits)}} if limits else {}
        return AWSResponse(f"rehearsal://{model.name}", 200, {}, None), body


def fleet_descriptions(cluster_id: str, properties: dict[str, Any]) -> list[dict[str, Any]]:
    """ListInstanceFleets entries for a cluster as its template defines it, fully provisioned."""
    described = []
    for index, (role, fleet) in enumerate(_fleets(properties.get("Instances", {}))):
        on_demand = int(fleet.get("TargetOnDemandCapacity", 0))
        spot = int(fleet.get("TargetSpotCapacity", 0))
        described.append(
            {
                "Id": f"if-{cluster_id[2:]}{index}",
                "Name": fleet.get("Name", role.title()),
                "Status": {"State": "RUNNING"},
                "InstanceFleetType": role,
                "TargetOnDemandCapacity": on_demand,
                "TargetSpotCapacity": spot,
                "ProvisionedOnDemandCapacity": on_demand,
                "ProvisionedSpotCapacity": spot,
                "InstanceTypeSpecifications": [
                    {"InstanceType": c["InstanceType"], "WeightedCapacity": int(c.get("WeightedCapacity", 1))}
                    for c in fleet.get("InstanceTypeConfigs", [])
                ],
            }
        )
    return described


def _ints(limits: dict[str, Any]) -> dict[str, Any]:
    return {key: (value if key == "UnitType" else int(value)) for key, value in limits.items()}
