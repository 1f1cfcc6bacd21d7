"""EMR Serverless applications in the rehearsal: moto 5.2.5 has an EMR Serverless API but no CloudFormation model
for ``AWS::EMRServerless::Application`` (CreateStack skips it, and a ``Fn::GetAtt`` of it resolves to nothing).

The rehearsal creates each application through the API from its synthesized properties, as CloudFormation would:

1. before ``CreateStack``, with the properties that are literals (name, type, release, capacity, tags...); its
   ``Ref``/``Fn::GetAtt`` in the template (the exported id, the runtime role's trust condition on its ARN) then
   get the real id and ARN instead of placeholders;
2. after ``CreateStack``, ``UpdateApplication`` with the properties that reference the stack's own resources
   (network configuration, log group, keys), resolved by moto's own CloudFormation resolver.

Both calls go through botocore, so the converted properties are checked against the EMR Serverless API model.
What moto's backend then drops (architecture, monitoring, interactive and image configuration) is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError
from moto.cloudformation.models import cloudformation_backends
from moto.cloudformation.parsing import clean_json
from moto.emrserverless.models import emrserverless_backends

SERVERLESS_APPLICATION = "AWS::EMRServerless::Application"
#: What only CreateApplication takes; everything else can also be set by UpdateApplication.
_CREATE_ONLY = ("name", "type", "tags")
#: API fields moto 5.2.5's Application model keeps; the others are accepted by the API and dropped.
_KEPT_BY_MOTO = {
    "name",
    "releaseLabel",
    "type",
    "tags",
    "initialCapacity",
    "maximumCapacity",
    "autoStartConfiguration",
    "autoStopConfiguration",
    "networkConfiguration",
}
#: CloudFormation lists of ``{Key, Value}`` that the API takes as maps.
_KEY_VALUE_LISTS = {"Tags", "InitialCapacity", "LogTypeMap"}
#: CloudFormation property names the API spells differently (beyond the first letter's case).
_RENAMED = {"LogTypeMap": "logTypes"}
#: CloudFormation maps whose keys are names (worker types, Spark properties), not property names.
_NAMED_MAPS = {"WorkerTypeSpecifications", "Properties"}


class ApplicationProblem(Exception):
    """An application the rehearsal cannot create as CloudFormation would (the template is at fault)."""


@dataclass(frozen=True)
class ApplicationCreated:
    logical_id: str
    application_id: str
    arn: str
    deferred: tuple[str, ...]
    """API fields set after CreateStack (they reference the stack's own resources)."""
    dropped: tuple[str, ...]
    """API fields moto's backend does not keep."""

    @property
    def attributes(self) -> dict[str | None, str]:
        """What ``Ref`` (``None``) and ``Fn::GetAtt`` give for the application."""
        return {None: self.application_id, "ApplicationId": self.application_id, "Arn": self.arn}

    @property
    def note(self) -> str:
        parts = [f"created through the EMR Serverless API as {self.application_id}"]
        if self.deferred:
            parts.append(f"after the stack: {', '.join(self.deferred)}")
        if self.dropped:
            parts.append(f"accepted and dropped by moto: {', '.join(self.dropped)}")
        return "; ".join(parts)


def api_request(properties: dict[str, Any]) -> dict[str, Any]:
    """The CreateApplication/UpdateApplication request for a template's ``Properties`` (names lowerCamelCase,
    ``{Key, Value}`` lists as maps, the application type in capitals as the API documents it)."""

    def convert(value: Any, key: str | None = None) -> Any:
        if key in _KEY_VALUE_LISTS and isinstance(value, list):
            return {item["Key"]: convert(item["Value"]) for item in value}
        if key in _NAMED_MAPS and isinstance(value, dict):
            return {name: convert(inner) for name, inner in value.items()}
        if isinstance(value, dict) and len(value) == 1 and _is_intrinsic(next(iter(value))):
            return value  # resolved later, against the created stack
        if isinstance(value, dict):
            return {
                _RENAMED.get(name, name[:1].lower() + name[1:]): convert(inner, name) for name, inner in value.items()
            }
        if isinstance(value, list):
            return [convert(item) for item in value]
        return value

    request: dict[str, Any] = convert(properties)
    if isinstance(request.get("type"), str):
        request["type"] = request["type"].upper()
    return request


def _is_intrinsic(name: str) -> bool:
    return name == "Ref" or name.startswith("Fn::")


def _is_literal(value: Any) -> bool:
    if isinstance(value, dict):
        if any(_is_intrinsic(name) for name in value):
            return False
        return all(_is_literal(inner) for inner in value.values())
    if isinstance(value, list):
        return all(_is_literal(inner) for inner in value)
    return True


def create_applications(serverless: Any, template: dict[str, Any]) -> list[ApplicationCreated]:
    """Step 1: create the template's applications from their literal properties."""
    created = []
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") != SERVERLESS_APPLICATION:
            continue
        properties = resource.get("Properties", {})
        now = {name: value for name, value in properties.items() if _is_literal(value)}
        later = {name: value for name, value in properties.items() if name not in now}
        request = api_request(now)
        blocked = [name for name in _CREATE_ONLY if name in api_request(later)]
        if blocked:
            raise ApplicationProblem(
                f"{logical_id} ({SERVERLESS_APPLICATION}): {', '.join(blocked)} reference other resources; the "
                "rehearsal creates applications through the API and needs them as literals"
            )
        try:
            answer = serverless.create_application(**request)
        except (ParamValidationError, ClientError) as error:
            raise ApplicationProblem(
                f"{logical_id} ({SERVERLESS_APPLICATION}): CreateApplication refused: {error}"
            ) from None
        fields = set(request) | set(api_request(later))
        created.append(
            ApplicationCreated(
                logical_id=logical_id,
                application_id=answer["applicationId"],
                arn=answer["arn"],
                deferred=tuple(sorted(api_request(later))),
                dropped=tuple(sorted(fields - _KEPT_BY_MOTO)),
            )
        )
    return created


def complete_applications(
    serverless: Any,
    template: dict[str, Any],
    created: list[ApplicationCreated],
    *,
    account: str,
    region: str,
    stack_name: str,
) -> None:
    """Step 2: set what references the stack's resources, resolved against the created stack; then leave each
    application CREATED, as CloudFormation does (moto starts it at creation)."""
    stack = cloudformation_backends[account][region].get_stack(stack_name)
    backend = emrserverless_backends[account][region]
    for application in created:
        properties = template["Resources"][application.logical_id].get("Properties", {})
        later = {name: value for name, value in properties.items() if not _is_literal(value)}
        if later:
            resolved = clean_json(later, stack.resource_map)
            # moto updates only a CREATED or STOPPED application.
            serverless.stop_application(applicationId=application.application_id)
            try:
                serverless.update_application(applicationId=application.application_id, **api_request(resolved))
            except (ParamValidationError, ClientError) as error:
                raise ApplicationProblem(
                    f"{application.logical_id} ({SERVERLESS_APPLICATION}): UpdateApplication refused: {error}"
                ) from None
        backend.applications[application.application_id].state = "CREATED"
