"""borax's own API: presets, policy files, the notation, reports, URLs,
errors, pickling."""

import copy
import pickle

import pytest

import borax
from borax import CleanError, Policy, PolicyError, Removal


def test_presets():
    assert Policy.PRESETS == ["comments", "basic", "relaxed", "text", "ammonia"]
    for name in Policy.PRESETS:
        # every preset of the library has its constructor here
        assert Policy.preset(name) == getattr(Policy, name)()
    c = Policy.comments()
    assert c.clean('<b onclick="x()">hi</b><script>alert(1)</script>') == "<b>hi</b>"
    assert c.clean('<a href="https://x">l</a>') == '<a href="https://x" rel="nofollow ugc">l</a>'
    assert Policy.basic().clean("<p>one<br>two</p>") == "<p>one<br>two</p>"
    assert Policy.relaxed().clean('<h2 id="intro">x</h2>') == '<h2 id="user-content-intro">x</h2>'
    assert Policy.text().clean("<b>x</b> &amp; y") == "x &amp; y"
    with pytest.raises(PolicyError, match="unknown preset"):
        Policy.preset("nope")


def test_policy_errors_are_value_errors():
    assert issubclass(PolicyError, ValueError)
    assert issubclass(CleanError, ValueError)


def test_notation_round_trip():
    c = Policy.comments()
    n = c.to_notation()
    assert n.startswith("Some HTML allowed: <a href=\"\" title=\"\">")
    assert Policy.from_notation(n) == c
    p = Policy.from_notation('<a href="" title=""> <b> <i>')
    assert p.clean('<a href="https://x" onclick="y">l</a><u>u</u>') == '<a href="https://x" rel="nofollow ugc">l</a>u'
    with pytest.raises(PolicyError, match="notation"):
        Policy.from_notation("<a href=")


@pytest.mark.parametrize("name", Policy.PRESETS)
def test_files_round_trip(name):
    p = Policy.preset(name)
    assert Policy.from_toml(p.to_toml()) == p
    assert Policy.from_json(p.to_json()) == p
    assert Policy.from_dict(p.to_dict()) == p
    assert Policy(p.to_dict()) == p


def test_toml_error_position():
    with pytest.raises(PolicyError) as e:
        Policy.from_toml('elements = ["b"]\nbogus = 1\n')
    err = e.value
    assert (err.line, err.column, err.key, err.format) == (2, 1, "bogus", "TOML")
    assert "line 2" in str(err)


def test_json_error_position():
    with pytest.raises(PolicyError) as e:
        Policy.from_json('{\n  "elements": ["b"],\n  "maxDepth": "deep"\n}')
    err = e.value
    assert err.format == "JSON" and err.line == 3 and err.key == "maxDepth"


def test_builder_errors_have_no_position():
    with pytest.raises(PolicyError, match="script") as e:
        Policy(elements=["script"])
    assert e.value.line is None and e.value.key is None


def test_keyword_constructor():
    p = Policy(extends="comments", elements=["p"], id_prefix="user-", max_depth=64)
    assert p.clean("<p><b>x</b><u>y</u></p>") == "<p><b>x</b>y</p>"
    assert p.id_prefix == "user-" and p.max_depth == 64
    assert Policy({"extends": "comments"}, removeElements=["aside"]).clean("a<aside>n</aside>") == "a"
    assert Policy() == Policy.from_json("{}")
    # Python's natural types: sets and tuples become lists
    assert Policy(elements={"b", "i"}, url_schemes=("https",)) == Policy(elements=["b", "i"], url_schemes=["https"])
    deep = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(PolicyError, match="deep"):
        Policy(elements=deep)
    assert Policy().clean("<b>x</b>") == "x"
    with pytest.raises(PolicyError, match="unknown field"):
        Policy(elementz=["b"])
    with pytest.raises(TypeError):
        Policy(["b"])


def test_properties():
    c = Policy.comments()
    assert c.max_input_bytes == 10 * 1024 * 1024
    assert c.max_depth == 256
    assert c.link_rel == "nofollow ugc"
    assert c.id_prefix is None
    assert c.url_schemes == ["http", "https", "mailto"]
    assert c.elements["a"] == ["href", "title"]
    assert c.global_attributes == []
    svg = Policy(elements=["svg", {"name": "svg:circle", "attributes": ["r"]}])
    assert set(svg.elements) == {"svg", "svg:circle"}


def test_report():
    html, removals = Policy.comments().clean_with_report(
        "<b onclick=x>a</b><script>y</script><script>z</script><a href='javascript:q'>l</a><!--c-->"
    )
    assert html == '<b>a</b><a rel="nofollow ugc">l</a>'
    by_name = {r.name: r for r in removals}
    assert by_name["script"] == Removal("element", "script", "dropped with content", 2)
    assert by_name["onclick"].kind == "attribute" and by_name["onclick"].reason == "not allowed"
    assert by_name["href"].kind == "url" and by_name["href"].reason == "bad scheme"
    assert by_name["#comment"].kind == "comment"
    assert by_name["script"].to_dict() == {"kind": "element", "name": "script", "reason": "dropped with content", "count": 2}
    assert "Removal(kind='element'" in repr(by_name["script"])
    assert hash(by_name["script"]) == hash(Removal("element", "script", "dropped with content", 2))
    assert pickle.loads(pickle.dumps(by_name["script"])) == by_name["script"]
    with pytest.raises(ValueError):
        Removal("bogus", "x", "not allowed", 1)
    # nothing removed: an empty list
    assert Policy.comments().clean_with_report("<b>ok</b>") == ("<b>ok</b>", [])


def test_report_agrees_with_clean(corpus):
    import json

    p = Policy.basic()
    for line in (corpus / "comments.ndjson").read_text(encoding="utf-8").splitlines()[:300]:
        html = json.loads(line)
        out, _ = p.clean_with_report(html)
        assert out == p.clean(html)


def test_clean_url():
    c = Policy.comments()
    assert c.clean_url(" https://example.com/me ") == "https://example.com/me"
    assert c.clean_url("java\tscript:alert(1)") is None
    assert c.clean_url("tel:+1") is None
    assert borax.clean_url("tel:+1") == "tel:+1"  # nh3's schemes by default
    assert borax.clean_url("tel:+1", c) is None
    rewrite = Policy(extends="comments", relativeUrls={"rewrite": "https://blog.example/post/"})
    assert rewrite.clean_url("../about") == "https://blog.example/about"
    with pytest.raises(TypeError):
        borax.clean_url("x", "comments")


def test_clean_errors():
    small = Policy(extends="comments", max_input_bytes=4)
    assert small.clean("1234") == "1234"
    with pytest.raises(CleanError) as e:
        small.clean("12345")
    assert (e.value.length, e.value.limit, e.value.index) == (5, 4, None)
    with pytest.raises(CleanError) as e:
        Policy.comments().clean("<b " + " ".join(f"a{i}" for i in range(600)) + ">")
    assert e.value.offset is not None and e.value.limit == 512


def test_pickle_and_copy():
    for p in [Policy.comments(), Policy.relaxed(), Policy.nh3(), Policy(extends="basic", id_prefix="u-")]:
        q = pickle.loads(pickle.dumps(p))
        assert q == p and q.clean("<p id=x>a</p>") == p.clean("<p id=x>a</p>")
        assert copy.copy(p) is p and copy.deepcopy(p) is p
    cleaner = borax.Cleaner(tags={"b"})
    again = pickle.loads(pickle.dumps(cleaner))
    assert again.policy == cleaner.policy and again.clean("<b>x</b><i>y</i>") == "<b>x</b>y"


def test_equality_and_repr():
    assert Policy.comments() == Policy.comments()
    assert Policy.comments() != Policy.basic()
    assert Policy.comments() != "comments"
    assert repr(Policy.comments()).startswith("<borax.Policy Some HTML allowed: <a")
    with pytest.raises(TypeError):
        hash(Policy.comments())


def test_misc_functions():
    assert borax.escape_text('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    assert borax.to_plain_text("<p>a &amp; <b>b</b></p><p>c<br>d</p><script>x</script>") == "a & b\nc\nd"


@pytest.mark.parametrize(
    "call",
    [
        lambda: borax.clean(None),
        lambda: borax.clean(b"<b>x</b>"),
        lambda: borax.clean("x", tags={1}),
        lambda: borax.clean("x", attributes={"a": "href"}),
        lambda: borax.clean("x", strip_comments="yes"),
        lambda: borax.clean("x", link_rel=5),
        lambda: borax.clean("x", url_relative=5),
        lambda: borax.clean("x", url_relative=("rewrite_with_base",)),
        lambda: borax.clean("x", url_relative=("rewrite_with_base", 5)),
        lambda: borax.clean("x", bogus=1),
        lambda: borax.clean("x", id_prefix="a b"),
        lambda: borax.clean("x", tags={"no such tag"}),
        lambda: borax.clean("x", url_schemes={"ht tp"}),
        lambda: borax.clean("x", url_relative=("rewrite_with_base", "not a url")),
        lambda: borax.clean("\ud800"),
        lambda: Policy.comments().clean(3),
        lambda: Policy.from_toml(None),
        lambda: Policy.from_json("[1, 2"),
        lambda: Policy.from_dict([1]),
        lambda: Policy(max_depth=10**30),
        lambda: Policy(max_depth=-1),
        lambda: Policy(max_depth=0),
        lambda: Policy(relativeUrls={"rewrite": "relative/base"}),
        lambda: borax.clean_many("<b>x</b>"),
        lambda: borax.clean_many(["a", 1]),
        lambda: borax.clean_many(["a"], threads=0),
        lambda: borax.clean_many(["a"], threads=-1),
        lambda: borax.clean_many(["a"], policy="comments"),
        lambda: borax.clean_many(5),
        lambda: borax.is_html(None),
        lambda: borax.clean_text(1),
        lambda: borax.Cleaner(tags=["b"]),
    ],
)
def test_bad_arguments_raise_exceptions(call):
    with pytest.raises(Exception) as e:
        call()
    assert isinstance(e.value, (TypeError, ValueError, OverflowError, NotImplementedError)), repr(e.value)
