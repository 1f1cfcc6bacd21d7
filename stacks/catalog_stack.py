"""The Glue Data Catalog of one environment: a database per data zone, crawlers and Glue jobs."""

from __future__ import annotations

from constructs import Construct

from emr_constructs.catalog import DataCatalog, GlueJob
from emr_constructs.storage import DataLake
from stacks.base import PlatformStack
from stacks.settings import REPOSITORY_ROOT, EnvironmentSettings


class CatalogStack(PlatformStack):
    """Stateful (the catalog's databases): retained outside dev."""

    def __init__(self, scope: Construct, id: str, *, settings: EnvironmentSettings, lake: DataLake) -> None:
        super().__init__(scope, id, settings=settings, description="Glue databases, crawlers and jobs")
        section = settings.catalog
        self.catalog = DataCatalog(
            self, "Catalog", props=section.catalog, lake=lake, removal_policy=self.stateful_removal_policy
        )
        # Jobs live beside the catalog so they run under its Glue security configuration.
        self.jobs = [
            GlueJob(self, name, props=job.job, script=REPOSITORY_ROOT / job.script, lake=lake, catalog=self.catalog)
            for name, job in section.jobs.items()
        ]
