"""What every stack of an environment shares: termination protection, removal intent, exported outputs."""

from __future__ import annotations

from aws_cdk import CfnOutput, RemovalPolicy, Stack
from constructs import Construct

from stacks.settings import EnvironmentSettings

#: Prefix of every CloudFormation export the platform writes; the operator CLI finds stacks through them.
EXPORT_PREFIX = "emr-platform"


class PlatformStack(Stack):
    """A stack of one environment; the CloudFormation stack is named ``<env>-<id>`` (e.g. ``prod-DataLake``)."""

    def __init__(self, scope: Construct, id: str, *, settings: EnvironmentSettings, description: str) -> None:
        super().__init__(
            scope,
            id,
            stack_name=f"{settings.name}-{id}",
            description=f"EMR data platform ({settings.name}): {description}",
            termination_protection=settings.termination_protection,
        )
        self.settings = settings

    @property
    def stateful_removal_policy(self) -> RemovalPolicy:
        """DESTROY where the environment allows it (still only with the context flag), RETAIN elsewhere."""
        return RemovalPolicy.DESTROY if self.settings.allow_destroy else RemovalPolicy.RETAIN

    def export(self, id: str, value: str, *, name: str, description: str) -> CfnOutput:
        """An output exported as ``emr-platform-<env>-<name>``: stable, so operators and scripts can rely on it."""
        return CfnOutput(
            self, id, value=value, export_name=f"{EXPORT_PREFIX}-{self.settings.name}-{name}", description=description
        )
