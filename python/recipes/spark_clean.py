"""Clean a column of HTML with PySpark: a pandas UDF calling
``borax.clean_many`` once per Arrow batch, with one Policy per Python worker.

    from pyspark.sql import SparkSession
    import borax
    from spark_clean import clean_column

    spark = SparkSession.builder.getOrCreate()
    spark.sparkContext.addPyFile("spark_clean.py")      # workers import it too
    df = spark.read.json("comments.jsonl")              # a "body" column
    udf = clean_column(borax.Policy.basic())             # or None: nh3's defaults
    df.withColumn("body", udf("body")).write.json("clean")

The policy is shipped as its JSON policy file and built once per Python
worker process (Spark reuses its workers), not once per row or batch. Nulls
stay null. Spark already runs one task per core, so each batch is cleaned on
one thread (``threads=1``); pass ``threads=None`` for all cores per task.

The command-line filter does the same job without Python on the workers, as a
Hadoop-streaming mapper or through ``RDD.pipe`` (one JSON string per line in,
one out, same order)::

    rdd = spark.sparkContext.textFile("comments.ndjson")      # JSON strings
    clean = rdd.pipe("borax --ndjson --preset comments -q -j 1")

Run this file to measure throughput with 1 and 2 local cores (needs pyspark,
pandas<3 with PySpark 4, pyarrow, and Java 17):
``python recipes/spark_clean.py [comments.ndjson] [repeat] [path/to/borax]``.
"""

import functools
import json
import sys
import tempfile
import time
from typing import Iterator

import borax


@functools.lru_cache(maxsize=8)
def _policy(policy_json):
    return borax.Policy.nh3() if policy_json is None else borax.Policy.from_json(policy_json)


def clean_column(policy=None, threads=1):
    """A pandas UDF (str -> str) cleaning with ``policy`` (a borax.Policy or
    Cleaner; None: nh3's defaults, as ``borax.clean``). Call it once a
    SparkSession exists."""
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    if isinstance(policy, borax.Cleaner):
        policy = policy.policy
    policy_json = None if policy is None else policy.to_json()

    @pandas_udf("string")
    def clean_html(batches: Iterator[pd.Series]) -> Iterator[pd.Series]:
        p = _policy(policy_json)  # once per worker process
        for s in batches:
            out = pd.Series([None] * len(s), index=s.index, dtype=object)
            mask = s.notna()
            if mask.any():
                out[mask] = p.clean_many(s[mask].tolist(), threads=threads)
            yield out

    return clean_html


def _measure(path, repeat, cli):  # pragma: no cover - run by hand
    import pandas as pd
    from pyspark.sql import SparkSession

    items = [json.loads(line) for line in open(path, encoding="utf-8")] * repeat
    size = sum(len(x.encode("utf-8")) for x in items) / 1e6
    expected = borax.clean_many(items)
    policy_file = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    policy_file.write(borax.Policy.nh3().to_toml())
    policy_file.close()

    for cores in (1, 2):
        spark = (
            SparkSession.builder.master(f"local[{cores}]")
            .config("spark.sql.shuffle.partitions", str(4 * cores))
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        # workers import this file as the module spark_clean (the policy
        # cache lives there: one Policy per worker process)
        spark.sparkContext.addPyFile(__file__)
        import spark_clean

        clean_html = spark_clean.clean_column(borax.Policy.nh3())  # after the session exists
        df = spark.createDataFrame(pd.DataFrame({"id": range(len(items)), "body": items})).repartition(8 * cores).cache()
        df.count()
        out = df.select("id", clean_html("body").alias("clean"))
        got = [r["clean"] for r in sorted(out.collect(), key=lambda r: r["id"])]
        assert got == expected
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            out.write.mode("overwrite").format("noop").save()
            best = min(best, time.perf_counter() - t)
        print(f"pandas_udf, local[{cores}]: {len(items)} docs, {size:.1f} MB in {best:.2f} s = {size / best:.1f} MB/s")
        if cli:
            rdd = spark.sparkContext.parallelize([json.dumps(x) for x in items], 8 * cores).cache()
            rdd.count()
            piped = rdd.pipe(f"{cli} --ndjson -q -j 1 --policy {policy_file.name}")
            assert [json.loads(x) for x in piped.collect()] == expected
            best = float("inf")
            for _ in range(3):
                t = time.perf_counter()
                piped.count()
                best = min(best, time.perf_counter() - t)
            print(f"RDD.pipe(borax --ndjson), local[{cores}]: {size:.1f} MB in {best:.2f} s = {size / best:.1f} MB/s")
        spark.stop()


if __name__ == "__main__":  # pragma: no cover
    _measure(
        sys.argv[1] if len(sys.argv) > 1 else "comments.ndjson",
        int(sys.argv[2]) if len(sys.argv) > 2 else 10,
        sys.argv[3] if len(sys.argv) > 3 else None,
    )
