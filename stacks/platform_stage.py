"""One CDK Stage per environment: ``cdk deploy "prod/*"`` deploys exactly prod."""

from __future__ import annotations

from aws_cdk import Environment, Stage, Tags
from constructs import Construct

from stacks.settings import EnvironmentSettings


class PlatformStage(Stage):
    """The stacks of one environment, composed from its settings and wired by references."""

    def __init__(self, scope: Construct, *, settings: EnvironmentSettings) -> None:
        env = Environment(account=settings.account, region=settings.region)
        super().__init__(scope, settings.name, env=env)
        self.settings = settings
        for key, value in settings.tags.items():
            Tags.of(self).add(key, value)
