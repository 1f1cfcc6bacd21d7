"""Typed AWS CDK constructs for Amazon EMR on EC2 data platforms.

Every construct validates its props when it is created, so a template that
EMR, S3, Glue or Redshift would reject at deploy time is never written.
"""

from emr_constructs.errors import Checks, EmrConfigError, Problem
from emr_constructs.removal import ALLOW_DESTROY_CONTEXT, safe_removal_policy

__all__ = [
    "ALLOW_DESTROY_CONTEXT",
    "Checks",
    "EmrConfigError",
    "Problem",
    "safe_removal_policy",
]
