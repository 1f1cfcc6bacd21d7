"""Per-account baseline: settings that belong to an account and region, not to one environment."""

from emr_constructs.baseline.block_public_access import (
    BlockPublicAccessOwner,
    EmrBlockPublicAccess,
    PortRange,
    check_single_owner,
    check_single_owner_in,
)

__all__ = ["BlockPublicAccessOwner", "EmrBlockPublicAccess", "PortRange", "check_single_owner", "check_single_owner_in"]
