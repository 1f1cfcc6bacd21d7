"""Template checks CloudFormation makes before it creates anything, where moto checks less (or crashes instead).

Quotas: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
"""

from __future__ import annotations

import re
from typing import Any

MAX_TEMPLATE_BYTES = 1_000_000
MAX_RESOURCES = 500
MAX_OUTPUTS = 200

_SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}.]+)(?:\.[^}]+)?\}")


def template_problems(template: dict[str, Any], size: int) -> list[str]:
    """What would make CloudFormation reject the template outright, one line each."""
    problems = []
    if size > MAX_TEMPLATE_BYTES:
        problems.append(f"template is {size} bytes; CloudFormation accepts at most {MAX_TEMPLATE_BYTES}")
    if len(template.get("Resources", {})) > MAX_RESOURCES:
        problems.append(f"{len(template['Resources'])} resources; a stack holds at most {MAX_RESOURCES}")
    if len(template.get("Outputs", {})) > MAX_OUTPUTS:
        problems.append(f"{len(template['Outputs'])} outputs; a stack has at most {MAX_OUTPUTS}")
    return problems + unresolved_references(template)


def unresolved_references(template: dict[str, Any]) -> list[str]:
    """``Ref``, ``Fn::GetAtt``, ``Fn::Sub`` variables and ``DependsOn`` naming nothing in the template."""
    resources = set(template.get("Resources", {}))
    referable = resources | set(template.get("Parameters", {}))
    problems: list[str] = []

    def check(name: Any, kind: str, where: str, allowed: set[str]) -> None:
        if isinstance(name, str) and not name.startswith("AWS::") and name not in allowed:
            problems.append(f"{where}: {kind} names {name}, which is not in the template")

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "Ref" in node and len(node) == 1:
                check(node["Ref"], "Ref", where, referable)
            elif "Fn::GetAtt" in node and len(node) == 1:
                target = node["Fn::GetAtt"]
                name = target[0] if isinstance(target, list) else str(target).split(".", 1)[0]
                check(name, "Fn::GetAtt", where, resources)
            elif "Fn::Sub" in node and len(node) == 1:
                text, variables = (node["Fn::Sub"], {}) if isinstance(node["Fn::Sub"], str) else node["Fn::Sub"]
                for name in _SUB_VARIABLE.findall(text if isinstance(text, str) else ""):
                    check(name, "Fn::Sub", where, referable | set(variables))
                walk(variables, where)
                return
            for value in node.values():
                walk(value, where)
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for logical_id, resource in template.get("Resources", {}).items():
        depends = resource.get("DependsOn", [])
        for name in [depends] if isinstance(depends, str) else depends:
            check(name, "DependsOn", f"Resources.{logical_id}", resources)
        walk(resource.get("Properties", {}), f"Resources.{logical_id}")
    for output_id, output in template.get("Outputs", {}).items():
        walk(output, f"Outputs.{output_id}")
    return problems
