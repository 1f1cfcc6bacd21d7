"""IAM for EMR: the cluster roles and the permissions boundary Aspect.

The acknowledgement helpers live in :mod:`emr_constructs.policy.acknowledge`; they stay importable from here.
"""

from emr_constructs.iam.boundary import apply_permissions_boundary
from emr_constructs.iam.roles import EmrRoles, EmrRolesProps
from emr_constructs.policy.acknowledge import (
    INLINE_POLICY_RULES,
    acknowledge,
    acknowledge_inline_policies,
    acknowledge_managed_policy,
    acknowledge_wildcard_resources,
    managed_policy_finding,
    wildcard_resource_findings,
)

__all__ = [
    "INLINE_POLICY_RULES",
    "EmrRoles",
    "EmrRolesProps",
    "acknowledge",
    "acknowledge_inline_policies",
    "acknowledge_managed_policy",
    "acknowledge_wildcard_resources",
    "apply_permissions_boundary",
    "managed_policy_finding",
    "wildcard_resource_findings",
]
