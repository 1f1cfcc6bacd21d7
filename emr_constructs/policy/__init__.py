"""Policy checks for EMR apps: the ``EmrChecks`` cdk-nag pack and the standard pack set.

One line adds the EMR rules to any CDK app (also to clusters this library did not create)::

    from emr_constructs.policy import EmrChecks
    Validations.of(app).add_plugins(EmrChecks(app))

or all packs the policy gate expects, with acknowledgements written into the templates::

    from emr_constructs.policy import add_policy_packs
    add_policy_packs(app)
"""

from emr_constructs.policy.emr_checks import EmrChecks
from emr_constructs.policy.packs import STANDARD_PACKS, add_policy_packs
from emr_constructs.policy.rules import PACK_NAME, RULES, Compliance, EmrRule
from emr_constructs.policy.templates import ResourceRef, TemplateSet

__all__ = [
    "PACK_NAME",
    "RULES",
    "STANDARD_PACKS",
    "Compliance",
    "EmrChecks",
    "EmrRule",
    "ResourceRef",
    "TemplateSet",
    "add_policy_packs",
]
