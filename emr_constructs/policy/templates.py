"""The synthesized CloudFormation templates of a stage, as one graph the EMR rules can walk.

The rules read the templates CDK wrote, not the L1 constructs, so they see exactly what
CloudFormation gets: property overrides (``add_property_override``) included, raw
``CfnCluster`` resources included. References are followed through ``Ref``,
``Fn::GetAtt``, ``Fn::ImportValue`` (the exports CDK writes for cross-stack references)
and ``Fn::GetStackOutput`` (what it writes instead under the newer cross-stack feature
flags), so a cluster in one stack and its subnets or security groups in another are
checked together. Anything else (parameters, literal ids such as ``subnet-0abc``,
``Fn::If``, SSM lookups) cannot be followed from the templates and the rules say what
they do then.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

Template = Mapping[str, Any]


@dataclass(frozen=True)
class ResourceRef:
    """One resource of the set: the construct path of its stack and its logical id."""

    stack: str
    logical_id: str


class TemplateSet:
    """Templates keyed by the construct path of their stack (``dev/Data``).

    ``stack_names`` maps deployed stack names (``dev-Data``) to those paths, for
    ``Fn::GetStackOutput``; without it an output is found by its name, which CDK makes unique.
    """

    def __init__(self, templates: Mapping[str, Template], stack_names: Mapping[str, str] | None = None) -> None:
        self._templates = dict(templates)
        self._stack_names = dict(stack_names or {})

    @property
    def stacks(self) -> list[str]:
        return list(self._templates)

    def __contains__(self, stack: str) -> bool:
        return stack in self._templates

    def add(self, stack: str, template: Template) -> None:
        self._templates[stack] = template
        self.__dict__.pop("_exports", None)
        self.__dict__.pop("emr_security_groups", None)

    def resources(self, stack: str) -> Mapping[str, Any]:
        resources = self._templates.get(stack, {}).get("Resources", {})
        return resources if isinstance(resources, Mapping) else {}

    def resource(self, ref: ResourceRef) -> Mapping[str, Any]:
        found = self.resources(ref.stack).get(ref.logical_id, {})
        return found if isinstance(found, Mapping) else {}

    def type_of(self, ref: ResourceRef) -> str | None:
        kind = self.resource(ref).get("Type")
        return kind if isinstance(kind, str) else None

    def properties(self, ref: ResourceRef) -> Mapping[str, Any]:
        props = self.resource(ref).get("Properties", {})
        return props if isinstance(props, Mapping) else {}

    def of_type(self, resource_type: str) -> Iterator[ResourceRef]:
        for stack in self._templates:
            for logical_id, body in self.resources(stack).items():
                if isinstance(body, Mapping) and body.get("Type") == resource_type:
                    yield ResourceRef(stack, logical_id)

    def target(self, stack: str, value: Any) -> ResourceRef | None:
        """The resource ``value`` points at, or ``None`` when it cannot be followed in these templates."""
        if not isinstance(value, Mapping) or len(value) != 1:
            return None
        ((function, argument),) = value.items()
        if function == "Ref" and isinstance(argument, str):
            name = argument
        elif function == "Fn::GetAtt":
            if isinstance(argument, list) and argument and isinstance(argument[0], str):
                name = argument[0]
            elif isinstance(argument, str):
                name = argument.split(".", 1)[0]
            else:
                return None
        elif function == "Fn::ImportValue" and isinstance(argument, str):
            exported = self._exports.get(argument)
            return self.target(*exported) if exported else None
        elif function == "Fn::GetStackOutput" and isinstance(argument, Mapping):
            output = self._stack_output(argument.get("StackName"), argument.get("OutputName"))
            return self.target(*output) if output else None
        else:
            return None
        return ResourceRef(stack, name) if name in self.resources(stack) else None

    def refers_to(self, stack: str, value: Any, wanted: ResourceRef) -> bool:
        return self.target(stack, value) == wanted

    def _stack_output(self, stack_name: Any, output_name: Any) -> tuple[str, Any] | None:
        """(stack, value) of a named output; the stack by name if known, else the one stack having that output."""
        if not isinstance(output_name, str):
            return None
        named = self._stack_names.get(stack_name) if isinstance(stack_name, str) else None
        candidates = [named] if named is not None else list(self._templates)
        found = [
            (stack, outputs[output_name]["Value"])
            for stack in candidates
            if isinstance(outputs := self._templates.get(stack, {}).get("Outputs"), Mapping)
            and isinstance(outputs.get(output_name), Mapping)
        ]
        return found[0] if len(found) == 1 else None

    @cached_property
    def _exports(self) -> dict[str, tuple[str, Any]]:
        """Export name -> (exporting stack, exported value), for literal export names (what CDK writes)."""
        exports: dict[str, tuple[str, Any]] = {}
        for stack, template in self._templates.items():
            outputs = template.get("Outputs", {})
            if not isinstance(outputs, Mapping):
                continue
            for output in outputs.values():
                name = output.get("Export", {}).get("Name") if isinstance(output, Mapping) else None
                if isinstance(name, str):
                    exports[name] = (stack, output.get("Value"))
        return exports

    @cached_property
    def emr_security_groups(self) -> dict[ResourceRef, list[ResourceRef]]:
        """Security groups any EMR cluster of the set uses -> the clusters using them."""
        groups: dict[ResourceRef, list[ResourceRef]] = {}
        for cluster in self.of_type("AWS::EMR::Cluster"):
            instances = self.properties(cluster).get("Instances", {})
            if not isinstance(instances, Mapping):
                continue
            for value in security_group_values(instances):
                group = self.target(cluster.stack, value)
                if group is not None and self.type_of(group) == "AWS::EC2::SecurityGroup":
                    groups.setdefault(group, []).append(cluster)
        return groups


#: The ``Instances`` keys of ``AWS::EMR::Cluster`` that name security groups.
SINGLE_GROUP_KEYS = ("EmrManagedMasterSecurityGroup", "EmrManagedSlaveSecurityGroup", "ServiceAccessSecurityGroup")
GROUP_LIST_KEYS = ("AdditionalMasterSecurityGroups", "AdditionalSlaveSecurityGroups")


def security_group_values(instances: Mapping[str, Any]) -> Iterator[Any]:
    for key in SINGLE_GROUP_KEYS:
        if key in instances:
            yield instances[key]
    for key in GROUP_LIST_KEYS:
        values = instances.get(key)
        if isinstance(values, list):
            yield from values


def is_true(value: Any) -> bool:
    """CloudFormation booleans arrive as ``true`` or ``"true"``; anything else (incl. intrinsics) is not proven."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.lower() == "false")


def is_any_address(cidr: Any) -> bool:
    """True for ``0.0.0.0/0``, ``::/0`` and any other spelling of a zero-length prefix."""
    if not isinstance(cidr, str):
        return False
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False
