"""The job the deploy rehearsal submits: the smallest PySpark program that proves a cluster can run Spark."""

from pyspark.sql import SparkSession  # type: ignore[import-not-found,unused-ignore]  # pyspark: a dev pin only

if __name__ == "__main__":
    spark = SparkSession.builder.appName("emr-platform-smoke").getOrCreate()
    row = spark.range(1000).selectExpr("sum(id) AS total").first()
    print(row["total"] if row is not None else 0)
    spark.stop()
