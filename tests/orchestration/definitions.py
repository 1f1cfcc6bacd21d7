"""Reading a pipeline's state machine out of a synthesized template (one helper for every orchestration test)."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Stack


def state_machine(template: dict[str, Any], pipeline: Any) -> dict[str, Any]:
    """The ``AWS::StepFunctions::StateMachine`` resource of ``pipeline`` in ``template``."""
    logical_id = Stack.of(pipeline).get_logical_id(pipeline.state_machine.node.default_child)
    resource: dict[str, Any] = template["Resources"][logical_id]
    return resource


def definition_parts(template: dict[str, Any], pipeline: Any) -> list[Any]:
    """The pieces CDK joins into the definition: strings and CloudFormation values (``Ref``, ``Fn::GetAtt``...)."""
    body = state_machine(template, pipeline)["Properties"]["DefinitionString"]
    return list(body["Fn::Join"][1]) if isinstance(body, dict) else [body]


def definition(template: dict[str, Any], pipeline: Any, *, values: str = "json") -> dict[str, Any]:
    """The parsed definition. CloudFormation values become ``<{...}>`` with their JSON (single-quoted) when
    ``values="json"``, or plain ``<ref>``."""

    def value(part: Any) -> str:
        if values == "json":
            return "<" + json.dumps(part, sort_keys=True).replace('"', "'") + ">"
        return "<ref>"

    parsed: dict[str, Any] = json.loads(
        "".join(p if isinstance(p, str) else value(p) for p in definition_parts(template, pipeline))
    )
    return parsed
