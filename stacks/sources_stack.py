"""Sources and sinks of one environment's data path: the dimension database, the aggregate table, the stream."""

from __future__ import annotations

from constructs import Construct

from emr_constructs.network import IPlatformNetwork
from emr_constructs.sources import DynamoTable, IDataCompute, KinesisStream, RelationalDatabase
from stacks.base import PlatformStack
from stacks.settings import EnvironmentSettings, Workload


class SourcesStack(PlatformStack):
    """Stateful (a created database, table and stream, and their keys): retained outside dev.

    Deployed before the compute stacks, which are granted here (:meth:`grant`): their roles read the secret, the
    table and the stream of this stack, and the rules admitting their groups to the database live here, or, for
    a group of a compute stack, beside that group (the compute stacks depend on this one)."""

    def __init__(self, scope: Construct, id: str, *, settings: EnvironmentSettings, network: IPlatformNetwork) -> None:
        super().__init__(scope, id, settings=settings, description="relational database, DynamoDB sink, stream")
        section = settings.sources
        policy = self.stateful_removal_policy
        self.database = (
            RelationalDatabase(self, "Database", props=section.database, network=network, removal_policy=policy)
            if section.database is not None
            else None
        )
        self.sink = DynamoTable(self, "Sink", props=section.sink, removal_policy=policy) if section.sink else None
        self.stream = (
            KinesisStream(self, "Stream", props=section.stream, removal_policy=policy) if section.stream else None
        )

    def uses_sink(self, compute_id: str) -> bool:
        """Whether the workloads running on ``compute_id`` write the DynamoDB sink."""
        return self.sink is not None and (
            compute_id in self.settings.sources.stream_readers or compute_id in self._batch_computes()
        )

    def grant(self, compute_id: str, compute: IDataCompute) -> None:
        """What the workloads that run on ``compute_id`` use: the batch ETL connects to the database and writes
        the sink; a stream reader reads the stream and writes the sink. Nothing for other compute."""
        if compute_id in self._batch_computes():
            assert self.database is not None  # the settings require it for a batch pipeline
            self.database.grant_connect(compute)
        if compute_id in self.settings.sources.stream_readers:
            assert self.stream is not None
            self.stream.grant_read(compute)
        if self.uses_sink(compute_id):
            assert self.sink is not None
            self.sink.grant_write(compute)

    def _batch_computes(self) -> set[str]:
        return {p.compute for p in self.settings.pipelines.values() if p.workload is Workload.BATCH_ETL}
