"""Clean HTML at scale with Dask: one ``borax.clean_many`` call per partition.

Each partition is cleaned by one call that releases the GIL and uses every
core of its worker; the policy travels to the workers pickled (as its JSON
policy file, a few KB) and is rebuilt there once per task.

    import dask.bag as db
    from dask.distributed import Client, LocalCluster
    import borax
    from dask_clean import clean_bag

    client = Client(LocalCluster(n_workers=2, processes=True))
    bag = db.read_text("comments-*.ndjson").map(json.loads)
    clean = clean_bag(bag, policy=borax.Policy.basic())
    clean.map(json.dumps).to_textfiles("clean-*.ndjson")

With dask.dataframe (needs pandas): ``clean_series(df["body"], policy)``.

Run this file to measure throughput with 1 and 2 worker processes:
``python recipes/dask_clean.py [comments.ndjson] [repeat]``.
"""

import json
import sys
import time

import borax


def clean_partition(htmls, policy=None, threads=None):
    """Clean one partition (any iterable of str) with one clean_many call."""
    return borax.clean_many(list(htmls), policy=policy, threads=threads)


def clean_bag(bag, policy=None, threads=None):
    """A dask.bag of HTML strings -> a bag of cleaned HTML, same order."""
    return bag.map_partitions(clean_partition, policy=policy, threads=threads)


def clean_series(series, policy=None, threads=None):
    """A dask.dataframe Series of HTML strings -> a Series of cleaned HTML."""
    import pandas as pd

    def part(s):
        return pd.Series(clean_partition(s.tolist(), policy, threads), index=s.index, name=s.name)

    return series.map_partitions(part, meta=(series.name, "object"))


def _measure(path, repeat):  # pragma: no cover - a benchmark, run by hand
    import dask.bag as db
    from dask.distributed import Client, LocalCluster, wait

    items = [json.loads(line) for line in open(path, encoding="utf-8")] * repeat
    size = sum(len(x.encode("utf-8")) for x in items) / 1e6
    policy = borax.Policy.nh3()
    expected = borax.clean_many(items, policy=policy)
    for workers in (1, 2):
        with LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster, Client(cluster):
            # the inputs live on the workers (as after read_text), and so do
            # the results (as before to_textfiles): what is timed is the
            # cleaning and Dask's scheduling, not the transfers to and from
            # this process
            bag = db.from_sequence(items, npartitions=8 * workers).persist()
            wait(bag)
            assert clean_bag(bag, policy, threads=1).compute() == expected
            best = float("inf")
            for run in range(5):
                t = time.perf_counter()
                # a new key per run, so no result is reused
                done = bag.map_partitions(clean_partition, policy=policy, threads=1, token=f"clean-{run}").persist()
                wait(done)
                best = min(best, time.perf_counter() - t)
                del done
        print(f"{workers} worker(s): {len(items)} docs, {size:.1f} MB in {best:.2f} s = {size / best:.1f} MB/s")


if __name__ == "__main__":  # pragma: no cover
    _measure(sys.argv[1] if len(sys.argv) > 1 else "comments.ndjson", int(sys.argv[2]) if len(sys.argv) > 2 else 10)
