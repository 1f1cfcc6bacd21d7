"""The job the deploy rehearsal submits: the smallest PySpark program that proves a cluster can run Spark."""

from pyspark.sql import SparkSession  # type: ignore[import-not-found]  # runs on the cluster, not here

if __name__ == "__main__":
    spark = SparkSession.builder.appName("emr-platform-smoke").getOrCreate()
    print(spark.range(1000).selectExpr("sum(id) AS total").first()["total"])
    spark.stop()
