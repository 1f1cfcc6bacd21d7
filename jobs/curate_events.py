"""Glue job shipped with the bundled app: raw JSON events to partitioned Parquet in the curated zone.

Arguments, set by the GlueJob construct from the job's read/write folders: --raw_path (read) and
--curated_path (written). Job bookmarks make each run process only new objects.
"""

import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "raw_path", "curated_path"])
glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(args["JOB_NAME"], args)

events = glue_context.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [args["raw_path"]], "recurse": True},
    format="json",
    transformation_ctx="events",
)
glue_context.write_dynamic_frame.from_options(
    frame=events,
    connection_type="s3",
    connection_options={"path": args["curated_path"], "partitionKeys": ["event_date"]},
    format="parquet",
    transformation_ctx="curated",
)
job.commit()
