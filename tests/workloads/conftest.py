"""One local Spark session for every workload test that needs one (started on first use, once per worker)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyspark.sql import SparkSession

from workloads.spark import local_session


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    # One core and one shuffle partition: the test data is tiny, and the machine is shared.
    session = local_session("workloads-tests", cores=1, shuffle_partitions=1)
    yield session
    session.stop()
