"""Policy for EMR apps, the side a team imports: the rule packs, their registration, and acknowledgements.

- :mod:`emr_constructs.policy.emr_checks`: ``EmrChecks``, the library's cdk-nag pack (rules in ``rules.py``).
- :mod:`emr_constructs.policy.packs`: ``STANDARD_PACKS`` and ``add_policy_packs``, the one-call registration.
- :mod:`emr_constructs.policy.acknowledge`: precise acknowledgements constructs write for findings they cause by
  design. (The repository's gate that reads them back from ``cdk.out`` is ``tools/gate``, not part of the library.)

One line adds the EMR rules to any CDK app (also to clusters this library did not create)::

    from emr_constructs.policy import EmrChecks
    Validations.of(app).add_plugins(EmrChecks(app))

or all packs the policy gate expects, with acknowledgements written into the templates::

    from emr_constructs.policy import add_policy_packs
    add_policy_packs(app)
"""

from emr_constructs.policy.acknowledge import (
    INLINE_POLICY_RULES,
    acknowledge,
    acknowledge_inline_policies,
    acknowledge_managed_policy,
    acknowledge_wildcard_resources,
)
from emr_constructs.policy.emr_checks import EmrChecks
from emr_constructs.policy.packs import STANDARD_PACKS, add_policy_packs
from emr_constructs.policy.rules import PACK_NAME, RULES, Compliance, EmrRule
from emr_constructs.policy.templates import ResourceRef, TemplateSet

__all__ = [
    "INLINE_POLICY_RULES",
    "PACK_NAME",
    "RULES",
    "STANDARD_PACKS",
    "Compliance",
    "EmrChecks",
    "EmrRule",
    "ResourceRef",
    "TemplateSet",
    "acknowledge",
    "acknowledge_inline_policies",
    "acknowledge_managed_policy",
    "acknowledge_wildcard_resources",
    "add_policy_packs",
]
