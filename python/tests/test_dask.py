"""The Dask recipe (recipes/dask_clean.py) on a local cluster of two worker
processes gives exactly what clean_many gives in this process."""

import json
import pathlib
import sys

import pytest

import borax

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "recipes"))

db = pytest.importorskip("dask.bag", reason="dask is not installed (pip install 'dask[distributed]')")
distributed = pytest.importorskip("dask.distributed")

from dask_clean import clean_bag  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


def inputs(corpus):
    return [json.loads(line) for line in (corpus / "comments.ndjson").read_text(encoding="utf-8").splitlines()]


def test_dask_bag_two_workers(client, corpus):
    xs = inputs(corpus)
    assert len(client.scheduler_info()["workers"]) == 2
    bag = db.from_sequence(xs, npartitions=8)
    for policy in (None, borax.Policy.comments(), borax.Cleaner(tags={"b", "a"})):
        got = clean_bag(bag, policy=policy).compute()
        assert got == borax.clean_many(xs, policy=policy)
    # both worker processes did some of the work
    who = client.run(lambda: __import__("os").getpid())
    assert len(set(who.values())) == 2


def test_dask_dataframe(client, corpus):
    pd = pytest.importorskip("pandas", reason="pandas is not installed: dask.dataframe recipe not run")
    dd = pytest.importorskip("dask.dataframe")
    from dask_clean import clean_series

    xs = inputs(corpus)[:500]
    df = dd.from_pandas(pd.DataFrame({"body": xs}), npartitions=4)
    got = clean_series(df["body"], policy=borax.Policy.basic()).compute().tolist()
    assert got == borax.Policy.basic().clean_many(xs)
