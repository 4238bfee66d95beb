"""clean_many and threads: the batch API equals the one-by-one API, and
concurrent use of one policy is safe."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import borax
from borax import Policy


def sample():
    base = [
        "",
        "plain text",
        "<b>bold</b><script>x</script>",
        '<a href="javascript:alert(1)" onclick="y">l</a>',
        "<table><tr><td>1</table>",
        "<svg><circle></svg><math><mi>x</mi></math>",
        "<p>" * 300,
        "Zürich 😀 <i>日本</i>",
    ]
    return [f"{s} #{i}" for i in range(40) for s in base]


def test_clean_many_equals_clean():
    xs = sample()
    assert borax.clean_many(xs) == [borax.clean(x) for x in xs]
    for p in [Policy.comments(), Policy.relaxed(), Policy.text()]:
        expected = [p.clean(x) for x in xs]
        assert p.clean_many(xs) == expected
        assert p.clean_many(xs, threads=1) == expected
        assert p.clean_many(xs, threads=2) == expected
        assert p.clean_many(xs, threads=7) == expected
        assert borax.clean_many(xs, policy=p) == expected
    c = borax.Cleaner(tags={"b", "a"})
    assert c.clean_many(xs) == [c.clean(x) for x in xs]
    assert borax.clean_many(xs, policy=c) == c.clean_many(xs)


def test_clean_many_takes_any_iterable_and_empty():
    assert borax.clean_many([]) == []
    assert borax.clean_many(iter(["<b>x</b>", "<i>y</i>"])) == ["<b>x</b>", "<i>y</i>"]
    assert borax.clean_many(("<u>z</u>",)) == ["<u>z</u>"]
    assert borax.clean_many(x for x in ["<s>q</s>"]) == ["<s>q</s>"]


def test_clean_many_error_names_the_index():
    p = Policy(extends="comments", max_input_bytes=10)
    with pytest.raises(borax.CleanError) as e:
        p.clean_many(["short", "much too long for it", "ok"])
    assert e.value.index == 1 and "input 1" in str(e.value)
    with pytest.raises(TypeError, match="item 2"):
        p.clean_many(["a", "b", None])


def test_clean_many_on_the_corpus(corpus):
    xs = [json.loads(line) for line in (corpus / "comments.ndjson").read_text(encoding="utf-8").splitlines()]
    assert borax.clean_many(xs) == [borax.clean(x) for x in xs]
    c = Policy.comments()
    assert c.clean_many(xs, threads=2) == [c.clean(x) for x in xs]


def test_threads_share_one_policy():
    xs = sample()
    policies = [Policy.comments(), Policy.relaxed(), borax.Cleaner()]
    expected = {id(p): [p.clean(x) for x in xs] for p in policies}
    errors = []

    def work(k):
        p = policies[k % len(policies)]
        for _ in range(3):
            if [p.clean(x) for x in xs] != expected[id(p)]:
                errors.append(k)
            if k % 2 and borax.clean_many(xs, policy=p, threads=2) != expected[id(p)]:
                errors.append(-k)
        return True

    with ThreadPoolExecutor(max_workers=8) as ex:
        assert all(ex.map(work, range(16)))
    assert not errors


def test_module_clean_from_threads_with_and_without_arguments():
    results = []
    lock = threading.Lock()

    def work(i):
        out = borax.clean("<b>x</b><i>y</i>", tags={"b"} if i % 2 else None)
        with lock:
            results.append((i % 2, out))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(results)) == [(0, "<b>x</b><i>y</i>"), (1, "<b>x</b>y")]


def spin_while(work):
    """Run work() in a thread; return (spins of this thread meanwhile, seconds)."""
    done = threading.Event()
    spans = []

    def run():
        t = time.perf_counter()
        work()
        spans.append(time.perf_counter() - t)
        done.set()

    spins = 0
    th = threading.Thread(target=run)
    th.start()
    while not done.is_set():
        spins += 1
    th.join()
    return spins, spans[0]


@pytest.mark.parametrize(
    "name,call",
    [
        ("borax.clean", lambda big: borax.clean(big)),
        ("Policy.clean", lambda big: Policy.relaxed().clean(big)),
        ("Policy.clean_with_report", lambda big: Policy.relaxed().clean_with_report(big)),
        ("clean_many", lambda big: borax.clean_many([big[: len(big) // 4]] * 4, threads=1)),
    ],
)
def test_cleaning_releases_the_gil(name, call):
    """While another thread cleans a large input, this thread keeps running
    Python code at (nearly) its own speed: the GIL is released while
    cleaning. Held, this thread would only run at the call's start and end."""
    big = "<p>para <b>bold</b> <a href='https://x'>link</a> &amp; text</p>\n" * 120_000  # ~7 MB
    base_spins, base_time = spin_while(lambda: time.sleep(0.3))
    spins, took = spin_while(lambda: call(big))
    ratio = (spins / took) / (base_spins / base_time)
    assert ratio > 0.2, (name, spins, took, base_spins, base_time)


def test_clean_many_across_chunks_keeps_order_and_errors():
    # clean_many cleans in chunks (1024 inputs) while it reads the next ones
    # and builds the strings of the previous: order and the first error's
    # index must survive every chunk boundary.
    xs = [f"<b>{i}</b><script>{i}</script><i onclick=x>{i}</i>" if i % 3 else f"plain {i}" for i in range(3000)]
    expected = [borax.clean(x) for x in xs]
    assert borax.clean_many(xs) == expected
    assert borax.clean_many(iter(xs), threads=2) == expected
    assert borax.clean_many(xs, threads=3) == expected
    for bad in (0, 1023, 1024, 2047, 2048, 2999):
        ys = list(xs)
        ys[bad] = 42
        with pytest.raises(TypeError, match=f"item {bad}"):
            borax.clean_many(ys)
    p = Policy(extends="comments", max_input_bytes=40)
    with pytest.raises(borax.CleanError) as e:
        p.clean_many(["<b>short</b>"] * 1500 + ["x" * 41] + ["<b>short</b>"] * 1500)
    assert e.value.index == 1500
