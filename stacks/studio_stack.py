"""EMR Studio of one environment, in its own stack: deployed and destroyed apart from the data and the compute."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct

from emr_constructs.cluster import EmrCluster
from emr_constructs.network import IPlatformNetwork
from emr_constructs.serverless import EmrServerlessApplication
from emr_constructs.storage import DataLake
from emr_constructs.studio import EmrStudio, EmrStudioProps
from stacks.base import PlatformStack
from stacks.settings import EnvironmentSettings


class StudioStack(PlatformStack):
    """Not stateful: Workspaces are kept in the lake's artifacts bucket."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: EnvironmentSettings,
        props: EmrStudioProps,
        network: IPlatformNetwork,
        lake: DataLake,
        clusters: Sequence[EmrCluster],
        applications: Sequence[EmrServerlessApplication],
    ) -> None:
        super().__init__(scope, id, settings=settings, description="EMR Studio")
        self.studio = EmrStudio(
            self, "Studio", props=props, network=network, lake=lake, clusters=clusters, applications=applications
        )
        self.export("StudioUrl", self.studio.url, name="studio-url", description="EMR Studio URL")
