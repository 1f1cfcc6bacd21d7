"""Settings of an EMR Studio: plain data, validated before any resource exists.

Sources: ``AWS::EMR::Studio`` (names, AuthMode, IdcInstanceArn) and the EMR Management Guide's EMR Studio pages
(https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-authentication.html). The rules are listed in
``docs/emr-serverless-rules.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps
from emr_constructs.storage.data_lake import grant_prefix_problems

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_IDC_INSTANCE_ARN = re.compile(r"^arn:aws[a-z-]*:sso:::instance/(sso)?ins-[a-f0-9]{16}$")
_IDENTITY_STORE_ID = re.compile(r"^d-[0-9a-f]{10}$")


class AuthMode(StrEnum):
    """How users sign in: with IAM (default), or with IAM Identity Center (``SSO`` in the EMR API)."""

    IAM = "IAM"
    IDENTITY_CENTER = "SSO"


@dataclass(frozen=True, kw_only=True)
class EmrStudioProps(ValidatedProps):
    """Data part of an :class:`~emr_constructs.studio.EmrStudio`."""

    auth_mode: AuthMode = AuthMode.IAM
    """``IAM`` (default): users sign in with IAM and assume :attr:`EmrStudio.user_role`. ``SSO``: IAM Identity
    Center users sign in; the Studio assumes the user role for them."""
    name: str | None = None
    """Studio name, 1-256 letters, digits, ``_`` or ``-``. Default: derived from the construct path."""
    description: str = "EMR Studio of the data platform"
    workspace_prefix: str = "emr-studio/"
    """Key prefix in the lake's artifacts bucket where Workspaces and notebooks are kept (encrypted with the lake
    key). Default ``emr-studio/``."""
    idc_instance_arn: str | None = None
    """IAM Identity Center instance (``arn:aws:sso:::instance/ssoins-<16 hex>``); required with ``SSO``."""
    identity_store_id: str | None = None
    """The Identity Center identity store (``d-<10 hex>``) whose users and groups are assigned to the Studio;
    required with ``SSO``. Written as the Studio's ``emr-platform:identity-store-id`` tag, so tools that assign
    users resolve names in the right store."""
    idc_user_assignment_required: bool = True
    """With ``SSO``: only users and groups assigned to the Studio may sign in (``REQUIRED``). Default True."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            self.name is None or _NAME.match(self.name) is not None,
            "name",
            self.name,
            "EMR Studio names are 1-256 letters, digits, '_' or '-'",
            "e.g. 'analytics-studio'",
        )
        checks.require(
            len(self.description) <= 256, "description", self.description, "too long", "at most 256 characters"
        )
        checks.extend(replace(p, field="workspace_prefix") for p in grant_prefix_problems(self.workspace_prefix))
        checks.require(
            self.workspace_prefix.endswith("/"),
            "workspace_prefix",
            self.workspace_prefix,
            "the Workspace storage location is a folder",
            "a prefix ending in '/', e.g. 'emr-studio/'",
        )
        if AuthMode(self.auth_mode) == AuthMode.IDENTITY_CENTER:
            checks.require(
                self.idc_instance_arn is not None and _IDC_INSTANCE_ARN.match(self.idc_instance_arn) is not None,
                "idc_instance_arn",
                self.idc_instance_arn,
                "IAM Identity Center authentication needs the Identity Center instance",
                "arn:aws:sso:::instance/ssoins-<16 hex digits>",
            )
            checks.require(
                self.identity_store_id is not None and _IDENTITY_STORE_ID.match(self.identity_store_id) is not None,
                "identity_store_id",
                self.identity_store_id,
                "IAM Identity Center authentication needs the identity store its users and groups come from",
                "d-<10 hex digits>",
            )
        else:
            for key, value in (
                ("idc_instance_arn", self.idc_instance_arn),
                ("identity_store_id", self.identity_store_id),
            ):
                checks.require(
                    value is None,
                    key,
                    value,
                    "Identity Center settings only apply with auth_mode 'SSO' (IAM Identity Center)",
                    "null, or auth_mode 'SSO'",
                )
        return checks.problems
