"""The EMR rules, as pure functions over synthesized templates.

Each rule looks at one resource (``ResourceRef``) of a :class:`TemplateSet` and answers
``Compliance`` or a list of findings (each becomes ``<rule id>[<finding>]`` and can be
acknowledged on its own, like ``AwsSolutions-IAM5[...]``). They need no CDK and no jsii,
so they are tested on plain template dicts; :mod:`emr_constructs.policy.emr_checks` runs them as
a cdk-nag pack.

Why these rules exist next to AwsSolutions-EMR2/4/5/6:

* AwsSolutions-EMR4/EMR5 look for ``EnableAtRestEncryption``/``EnableInTransitEncryption``
  at the top level of the security configuration, while EMR reads them under
  ``EncryptionConfiguration``: a correct configuration is flagged and a wrong one can pass.
* No stock rule requires a security configuration at all, log encryption, a private
  subnet, a way for the cluster to stop costing money, or closed EMR security groups.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from emr_constructs.policy.templates import ResourceRef, TemplateSet, is_any_address, is_false, is_true

CLUSTER = "AWS::EMR::Cluster"
SECURITY_CONFIGURATION = "AWS::EMR::SecurityConfiguration"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"
SECURITY_GROUP_INGRESS = "AWS::EC2::SecurityGroupIngress"

#: The pack's rule ids are ``EMR-<suffix>``.
PACK_NAME = "EMR"


class Compliance(enum.Enum):
    COMPLIANT = "COMPLIANT"
    NON_COMPLIANT = "NON_COMPLIANT"
    NOT_APPLICABLE = "NOT_APPLICABLE"


Outcome = Compliance | list[str]
Check = Callable[[TemplateSet, ResourceRef], Outcome]


@dataclass(frozen=True)
class EmrRule:
    """One rule: id suffix, the resource types it looks at, what a finding means, and the check."""

    suffix: str
    resource_types: tuple[str, ...]
    info: str
    explanation: str
    check: Check

    @property
    def rule_id(self) -> str:
        return f"{PACK_NAME}-{self.suffix}"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _present(value: Any) -> bool:
    """Set to something: a non-empty literal or any intrinsic (resolved at deploy time)."""
    return value not in (None, "", [], {})


def _security_configuration_document(value: Any) -> Mapping[str, Any] | None:
    """The ``SecurityConfiguration`` JSON, given as an object or a JSON string; ``None`` if not literal."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, Mapping):
        return None
    # An intrinsic such as {"Fn::Sub": ...} or {"Fn::Join": ...} is not a document we can read.
    if len(value) == 1 and next(iter(value)).startswith(("Fn::", "Ref")):
        return None
    return value


def check_security_configuration_encryption(templates: TemplateSet, ref: ResourceRef) -> Outcome:
    document = _security_configuration_document(templates.properties(ref).get("SecurityConfiguration"))
    if document is None:
        return ["AtRestS3", "AtRestLocalDisk", "InTransit"]
    encryption = _mapping(document.get("EncryptionConfiguration"))
    at_rest = is_true(encryption.get("EnableAtRestEncryption"))
    at_rest_config = _mapping(encryption.get("AtRestEncryptionConfiguration"))
    in_transit_config = _mapping(encryption.get("InTransitEncryptionConfiguration"))
    findings: list[str] = []
    if not (at_rest and _present(_mapping(at_rest_config.get("S3EncryptionConfiguration")).get("EncryptionMode"))):
        findings.append("AtRestS3")
    local_disk = _mapping(at_rest_config.get("LocalDiskEncryptionConfiguration"))
    if not (at_rest and _present(local_disk.get("EncryptionKeyProviderType"))):
        findings.append("AtRestLocalDisk")
    certificate = _mapping(in_transit_config.get("TLSCertificateConfiguration"))
    in_transit = is_true(encryption.get("EnableInTransitEncryption"))
    if not (in_transit and _present(certificate.get("CertificateProviderType"))):
        findings.append("InTransit")
    return findings


def _cluster(templates: TemplateSet, ref: ResourceRef) -> Mapping[str, Any]:
    return templates.properties(ref)


def check_has_security_configuration(templates: TemplateSet, ref: ResourceRef) -> Outcome:
    present = _present(_cluster(templates, ref).get("SecurityConfiguration"))
    return Compliance.COMPLIANT if present else Compliance.NON_COMPLIANT


def check_log_uri(templates: TemplateSet, ref: ResourceRef) -> Outcome:
    uri = _cluster(templates, ref).get("LogUri")
    ok = uri.startswith(("s3://", "s3n://")) if isinstance(uri, str) else _present(uri)
    return Compliance.COMPLIANT if ok else Compliance.NON_COMPLIANT


def check_log_encryption(templates: TemplateSet, ref: ResourceRef) -> Outcome:
    cluster = _cluster(templates, ref)
    if not _present(cluster.get("LogUri")):
        # Nothing is written; EMR-LogUri already reports the missing logs.
        return Compliance.NOT_APPLICABLE
    return Compliance.COMPLIANT if _present(cluster.get("LogEncryptionKmsKeyId")) else Compliance.NON_COMPLIANT


def check_scaling_or_auto_termination(templates: TemplateSet, ref: ResourceRef) -> Outcome:
    cluster = _cluster(templates, ref)
    instances = _mapping(cluster.get("Instances"))
    stops_itself = _present(cluster.get("AutoTerminationPolicy")) or is_false(
        instances.get("KeepJobFlowAliveWhenNoSteps")
    )
    ok = stops_itself or _present(cluster.get("ManagedScalingPolicy"))
    return Compliance.COMPLIANT if ok else Compliance.NON_COMPLIANT


CDK_SUBNET_TYPE_TAG = "aws-cdk:subnet-type"


def _subnet_is_public(templates: TemplateSet, subnet: ResourceRef) -> bool:
    props = templates.properties(subnet)
    if is_true(props.get("MapPublicIpOnLaunch")):
        return True
    tags = props.get("Tags")
    if isinstance(tags, list) and any(
        _mapping(tag).get("Key") == CDK_SUBNET_TYPE_TAG and _mapping(tag).get("Value") == "Public" for tag in tags
    ):
        return True
    route_tables = [
        templates.target(association.stack, templates.properties(association).get("RouteTableId"))
        for association in templates.of_type("AWS::EC2::SubnetRouteTableAssociation")
        if templates.refers_to(association.stack, templates.properties(association).get("SubnetId"), subnet)
    ]
    for route in templates.of_type("AWS::EC2::Route"):
        route_props = templates.properties(route)
        table = templates.target(route.stack, route_props.get("RouteTableId"))
        if table is None or table not in route_tables:
            continue
        default_route = is_any_address(route_props.get("DestinationCidrBlock")) or is_any_address(
            route_props.get("DestinationIpv6CidrBlock")
        )
        if default_route and _is_internet_gateway(templates, route.stack, route_props.get("GatewayId")):
            return True
    return False


def _is_internet_gateway(templates: TemplateSet, stack: str, value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("igw-")
    gateway = templates.target(stack, value)
    return gateway is not None and templates.type_of(gateway) == "AWS::EC2::InternetGateway"


def check_private_subnet(templates: TemplateSet, ref: ResourceRef) -> Outcome:
    instances = _mapping(_cluster(templates, ref).get("Instances"))
    subnets: list[Any] = []
    if _present(instances.get("Ec2SubnetId")):
        subnets.append(instances["Ec2SubnetId"])
    listed = instances.get("Ec2SubnetIds")
    if isinstance(listed, list):
        subnets.extend(listed)
    elif _present(listed):
        return Compliance.COMPLIANT  # an intrinsic list: not checkable here, see the module docs
    if not subnets:
        # Without a subnet EMR launches into the default VPC, whose subnets are public.
        return Compliance.NON_COMPLIANT
    for value in subnets:
        subnet = templates.target(ref.stack, value)
        is_subnet = subnet is not None and templates.type_of(subnet) == "AWS::EC2::Subnet"
        if is_subnet and subnet is not None and _subnet_is_public(templates, subnet):
            return Compliance.NON_COMPLIANT
    return Compliance.COMPLIANT


def _open_rules(rules: Any) -> bool:
    return isinstance(rules, list) and any(_open_rule(rule) for rule in rules)


def _open_rule(rule: Any) -> bool:
    rule = _mapping(rule)
    return is_any_address(rule.get("CidrIp")) or is_any_address(rule.get("CidrIpv6"))


def check_no_open_ingress(templates: TemplateSet, ref: ResourceRef) -> Outcome:
    kind = templates.type_of(ref)
    props = templates.properties(ref)
    if kind == SECURITY_GROUP:
        if ref not in templates.emr_security_groups:
            return Compliance.NOT_APPLICABLE
        return Compliance.NON_COMPLIANT if _open_rules(props.get("SecurityGroupIngress")) else Compliance.COMPLIANT
    group = templates.target(ref.stack, props.get("GroupId"))
    if group is None or group not in templates.emr_security_groups:
        return Compliance.NOT_APPLICABLE
    return Compliance.NON_COMPLIANT if _open_rule(props) else Compliance.COMPLIANT


RULES: tuple[EmrRule, ...] = (
    EmrRule(
        suffix="SecurityConfigEncryption",
        resource_types=(SECURITY_CONFIGURATION,),
        info=(
            "The EMR security configuration does not enable at-rest encryption of S3 data (AtRestS3) and local disks "
            "(AtRestLocalDisk) and in-transit TLS (InTransit) under EncryptionConfiguration."
        ),
        explanation=(
            "EMR reads EnableAtRestEncryption, EnableInTransitEncryption, AtRestEncryptionConfiguration."
            "{S3EncryptionConfiguration,LocalDiskEncryptionConfiguration} and InTransitEncryptionConfiguration."
            "TLSCertificateConfiguration under EncryptionConfiguration; keys elsewhere are ignored and the data is "
            "stored or sent in clear. A value that is not a literal JSON document cannot be checked and is reported."
        ),
        check=check_security_configuration_encryption,
    ),
    EmrRule(
        suffix="SecurityConfiguration",
        resource_types=(CLUSTER,),
        info="The EMR cluster has no security configuration.",
        explanation=(
            "Without a security configuration EMR encrypts neither local disks nor traffic between nodes and has "
            "no Kerberos or Lake Formation integration."
        ),
        check=check_has_security_configuration,
    ),
    EmrRule(
        suffix="LogUri",
        resource_types=(CLUSTER,),
        info="The EMR cluster does not write its logs to S3 (LogUri is missing or not an s3:// URI).",
        explanation="Step, application and bootstrap logs are lost when the cluster terminates without a LogUri.",
        check=check_log_uri,
    ),
    EmrRule(
        suffix="LogEncryption",
        resource_types=(CLUSTER,),
        info="The EMR cluster writes logs to S3 without LogEncryptionKmsKeyId.",
        explanation=(
            "Logs can hold data and credentials; EMR 5.30.0+ (not 6.0.0) encrypts them with a customer KMS key "
            "only when LogEncryptionKmsKeyId is set."
        ),
        check=check_log_encryption,
    ),
    EmrRule(
        suffix="PrivateSubnet",
        resource_types=(CLUSTER,),
        info="The EMR cluster is not placed in a private subnet.",
        explanation=(
            "A cluster without Ec2SubnetId/Ec2SubnetIds runs in the default VPC's public subnets. A subnet defined in "
            "the app is public when it maps public IPs on launch, carries the aws-cdk:subnet-type=Public tag, or its "
            "route table sends 0.0.0.0/0 or ::/0 to an internet gateway. Subnets given as literal ids or parameters "
            "cannot be checked from the templates and pass."
        ),
        check=check_private_subnet,
    ),
    EmrRule(
        suffix="ScalingOrAutoTermination",
        resource_types=(CLUSTER,),
        info="The EMR cluster has neither managed scaling nor an auto-termination policy.",
        explanation=(
            "An idle long-running cluster keeps every node billed. Set ManagedScalingPolicy or AutoTerminationPolicy "
            "(or make the cluster transient with KeepJobFlowAliveWhenNoSteps: false)."
        ),
        check=check_scaling_or_auto_termination,
    ),
    EmrRule(
        suffix="NoOpenIngress",
        resource_types=(SECURITY_GROUP, SECURITY_GROUP_INGRESS),
        info="A security group used by an EMR cluster allows ingress from 0.0.0.0/0 or ::/0.",
        explanation=(
            "EMR primary, core/task, service-access and additional groups must not be reachable from the internet. "
            "Inline rules and separate AWS::EC2::SecurityGroupIngress resources on groups the clusters reference "
            "(through Ref, Fn::GetAtt or a CDK cross-stack export) are checked; groups given as literal ids are not."
        ),
        check=check_no_open_ingress,
    ),
)

# Rules of other resource kinds live in their own modules and join the pack here.
from emr_constructs.policy.serverless_rules import SERVERLESS_RULES  # noqa: E402 - needs the definitions above

RULES = (*RULES, *SERVERLESS_RULES)

RULES_BY_TYPE: dict[str, tuple[EmrRule, ...]] = {
    kind: tuple(rule for rule in RULES if kind in rule.resource_types)
    for kind in sorted({kind for rule in RULES for kind in rule.resource_types})
}
