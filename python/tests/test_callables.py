"""nh3's keywords that reach into the library's hooks, CSS filter and
class lists: attribute_filter, a callable url_relative, rewrite_with_root,
filter_style_properties, allowed_classes per tag, set_tag_attribute_values;
with hostile callables, and what happens when a callable fails (the
README's `callable-errors` row)."""

import pickle
import sys
import threading

import nh3
import pytest

import borax

A = '<a href="https://ok.example/" title="t">a</a>'


def both(html, **kwargs):
    """borax.clean and Cleaner(...).clean: the same answer."""
    out = borax.clean(html, **kwargs)
    assert borax.Cleaner(**kwargs).clean(html) == out
    return out


# ---- attribute_filter ----


def test_filter_sees_tag_attribute_value():
    seen = []

    def f(tag, attr, value):
        seen.append((tag, attr, value))
        return value

    assert borax.clean(A, attribute_filter=f) == '<a href="https://ok.example/" title="t" rel="noopener noreferrer">a</a>'
    assert seen == [("a", "href", "https://ok.example/"), ("a", "title", "t")]


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:x",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_filter_cannot_bring_back_a_bad_url(value):
    out = both(A, attribute_filter=lambda tag, attr, v: value if attr == "href" else v)
    assert out == '<a title="t" rel="noopener noreferrer">a</a>'
    # and not on img src, blockquote cite either
    out = both('<img src="https://x/i.png"><blockquote cite="https://x">q</blockquote>', attribute_filter=lambda t, a, v: value)
    assert "script" not in out.lower() and "data:" not in out


def test_filter_output_is_escaped_not_parsed():
    out = both('<abbr title="t">a</abbr>', attribute_filter=lambda t, a, v: '"><script>alert(1)</script><b onclick="x')
    assert out == '<abbr title="&quot;&gt;<script>alert(1)</script><b onclick=&quot;x">a</abbr>'.replace(
        "<script>alert(1)</script><b", "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b"
    )
    assert "<script" not in out


def test_filter_is_not_asked_about_disallowed_attributes():
    seen = []

    def f(tag, attr, value):
        seen.append(attr)
        return value

    out = both('<b onclick="alert(1)" style="color:red" id="x">b</b>', attribute_filter=f)
    assert out == "<b>b</b>"
    assert seen == []  # only attributes the policy allows by name reach it


def test_filter_values_still_checked_against_lists():
    # tag_attribute_values and allowed_classes apply to what the filter returns
    out = both(
        '<div role="alert" class="a">x</div>',
        tag_attribute_values={"div": {"role": {"alert"}}},
        allowed_classes={"div": {"a"}},
        attribute_filter=lambda t, a, v: "banner" if a == "role" else "a b onclick",
    )
    assert out == '<div class="a">x</div>'


@pytest.mark.parametrize("bad", [5, b"bytes", ["list"], object()])
def test_filter_returning_non_str_is_a_type_error(bad):
    for call in (
        lambda: borax.clean(A, attribute_filter=lambda t, a, v: bad),
        lambda: borax.Cleaner(attribute_filter=lambda t, a, v: bad).clean(A),
    ):
        with pytest.raises(TypeError, match="attribute_filter must return str or None, not"):
            call()


def test_filter_exception_is_raised_from_clean():
    class Boom(Exception):
        pass

    calls = []

    def f(tag, attr, value):
        calls.append(attr)
        raise Boom(f"{tag} {attr}")

    with pytest.raises(Boom, match="a href"):
        borax.clean(A, attribute_filter=f)
    # the first error stops the calls for this input
    assert calls == ["href"]
    # the next input is cleaned afresh: no stale error
    ok = borax.Cleaner(attribute_filter=lambda t, a, v: v)
    assert ok.clean(A) == '<a href="https://ok.example/" title="t" rel="noopener noreferrer">a</a>'


def test_filter_exception_in_policy_clean_and_report():
    p = borax.Cleaner(attribute_filter=lambda t, a, v: 1 / 0).policy
    with pytest.raises(ZeroDivisionError):
        p.clean(A)
    with pytest.raises(ZeroDivisionError):
        p.clean_with_report(A)
    assert p.clean("<b>no attributes</b>") == "<b>no attributes</b>"


def test_filter_exception_in_clean_many_names_the_first_input():
    def f(tag, attr, value):
        if value.startswith("bad"):
            raise ValueError(f"refused {value}")
        return value

    c = borax.Cleaner(attribute_filter=f)
    htmls = ['<abbr title="ok">a</abbr>'] * 50 + ['<abbr title="bad1">b</abbr>'] + ['<abbr title="bad2">c</abbr>'] * 50
    for threads in (None, 1, 2):
        with pytest.raises(ValueError, match="refused bad1"):
            c.clean_many(htmls, threads=threads)
        with pytest.raises(ValueError, match="refused bad1"):
            borax.clean_many(htmls, policy=c, threads=threads)
    good = ['<abbr title="ok">a</abbr>'] * 100
    assert c.clean_many(good) == [c.clean(h) for h in good]


def test_filter_reentrant_clean():
    # a filter that cleans with borax itself: nested cleans keep their errors apart
    def f(tag, attr, value):
        inner = borax.clean(f"<b>{value}</b>", attribute_filter=lambda *a: a[2])
        return inner.replace("<b>", "").replace("</b>", "")

    assert borax.clean(A, attribute_filter=f) == '<a href="https://ok.example/" title="t" rel="noopener noreferrer">a</a>'

    def g(tag, attr, value):
        with pytest.raises(ZeroDivisionError):
            borax.clean('<abbr title="x">y</abbr>', attribute_filter=lambda *a: 1 / 0)
        return value.upper()

    assert borax.clean('<abbr title="t">a</abbr>', attribute_filter=g) == '<abbr title="T">a</abbr>'


def test_filter_from_many_threads():
    c = borax.Cleaner(attribute_filter=lambda t, a, v: v.upper() if a == "title" else v)
    want = '<abbr title="T">a</abbr>'
    errors = []

    def run():
        try:
            for _ in range(200):
                assert c.clean('<abbr title="t">a</abbr>') == want
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert c.clean_many(['<abbr title="t">a</abbr>'] * 500) == [want] * 500


def test_nh3_reports_callable_errors_as_unraisable(monkeypatch):
    """The `callable-errors` row: nh3 drops the attribute and reports to
    sys.unraisablehook; borax raises."""
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(u.exc_type))
    assert nh3.clean(A, attribute_filter=lambda t, a, v: 1 / 0) == "<a>a</a>"
    assert ZeroDivisionError in seen
    with pytest.raises(ZeroDivisionError):
        borax.clean(A, attribute_filter=lambda t, a, v: 1 / 0)


def test_policies_with_callables_are_not_picklable_or_cached_wrongly():
    f = lambda t, a, v: v.upper()  # noqa: E731
    c = borax.Cleaner(attribute_filter=f)
    for obj in (c, c.policy):
        with pytest.raises(TypeError, match="cannot pickle"):
            pickle.dumps(obj)
    with pytest.raises(TypeError, match="cannot pickle"):
        pickle.dumps(borax.Cleaner(url_relative=("rewrite_with_root", "https://r.example/", "p/")))
    # the module-level cache tells callables apart by identity
    g = lambda t, a, v: v.lower()  # noqa: E731
    assert borax.clean('<abbr title="Tt">a</abbr>', attribute_filter=f) == '<abbr title="TT">a</abbr>'
    assert borax.clean('<abbr title="Tt">a</abbr>', attribute_filter=g) == '<abbr title="tt">a</abbr>'
    assert borax.clean('<abbr title="Tt">a</abbr>', attribute_filter=f) == '<abbr title="TT">a</abbr>'
    for i in range(200):  # more distinct callables than the cache holds
        h = lambda t, a, v, i=i: f"{i}"  # noqa: E731
        assert borax.clean('<abbr title="x">a</abbr>', attribute_filter=h) == f'<abbr title="{i}">a</abbr>'


# ---- url_relative as a callable, rewrite_with_root ----


def test_url_callable_only_for_relative_urls():
    seen = []

    def f(url):
        seen.append(url)
        return "https://cdn.example" + url

    out = both('<img src="/a.png"><a href="https://x/">x</a><a href="mailto:a@b">m</a>', url_relative=f)
    assert out == (
        '<img src="https://cdn.example/a.png"><a href="https://x/" rel="noopener noreferrer">x</a>'
        '<a href="mailto:a@b" rel="noopener noreferrer">m</a>'
    )
    assert seen == ["/a.png"] * 2  # once per clean (borax.clean and the Cleaner)


@pytest.mark.parametrize("value", ["javascript:alert(1)", "  javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x"])
def test_url_callable_result_is_checked(value):
    assert both('<a href="/a">a</a><img src="i.png">', url_relative=lambda u: value) == '<a rel="noopener noreferrer">a</a><img>'


def test_url_callable_errors():
    with pytest.raises(TypeError, match="url_relative must return str or None, not int"):
        borax.clean('<a href="/a">a</a>', url_relative=lambda u: 5)
    with pytest.raises(KeyError):
        borax.clean('<a href="/a">a</a>', url_relative=lambda u: {}[u])
    # absolute URLs never reach it
    assert borax.clean('<a href="https://x/">a</a>', url_relative=lambda u: 1 / 0) == '<a href="https://x/" rel="noopener noreferrer">a</a>'


def test_rewrite_with_root_matches_nh3():
    urls = ["/a", "//h/x", "/", "b/c", "../d", "?q", "#f", "", "https://abs/", "./e"]
    html = "".join(f'<a href="{u}">x</a>' for u in urls) + '<img src="i.png">'
    kw = {"url_relative": ("rewrite_with_root", "https://r.example/root/", "sub/dir/")}
    assert both(html, **kw) == nh3.clean(html, **kw)


# ---- filter_style_properties, allowed_classes, set_tag_attribute_values ----


@pytest.mark.parametrize(
    "css",
    [
        "width:expression(alert(1))",
        "background:url(javascript:alert(1))",
        "background:url( 'java\\09script:alert(1)' )",
        "background-image:image-set('javascript:alert(1)' 1x)",
        "color:red;}</style><script>alert(1)</script>",
        "behavior:url(x.htc)",
        "-moz-binding:url(x.xml#xss)",
        "color:var(--x)",
        "@import 'x.css'",
    ],
)
def test_style_filter_hostile_css(css):
    props = {"color", "width", "background", "background-image"}
    out = both(f'<p style="{css}">a</p>', attributes={"p": {"style"}}, filter_style_properties=props)
    low = out.lower()
    for bad in ("expression", "javascript", "script", "behavior", "binding", "var(", "@import"):
        assert bad not in low, out


def test_style_filter_keeps_allowed_properties_only():
    kw = {"attributes": {"*": {"style"}}, "filter_style_properties": {"color", "text-align"}}
    assert both('<p style="color: red; position: fixed; TEXT-ALIGN: center">a</p>', **kw) == '<p style="color:red;text-align:center">a</p>'
    assert both('<p style="background:url(https://x.example/i.png);color:blue">a</p>', **kw) == '<p style="color:blue">a</p>'
    with pytest.raises(borax.PolicyError, match="behavior"):
        borax.clean("x", attributes={"p": {"style"}}, filter_style_properties={"behavior"})


def test_allowed_classes_per_tag():
    kw = {"allowed_classes": {"p": {"a", "b"}, "span": {"c"}, "code": {"language-rust"}}}
    out = both('<p class="a b c">x</p><span class="a c">y</span><code class="language-rust evil">z</code>', **kw)
    assert out == '<p class="a b">x</p><span class="c">y</span><code class="language-rust">z</code>'


def test_set_tag_attribute_values():
    out = both('<a href="https://x" target="_self">a</a><img src="https://x/i.png">', set_tag_attribute_values={"a": {"target": "_blank"}, "img": {"loading": "lazy"}})
    assert out == '<a href="https://x" target="_blank" rel="noopener noreferrer">a</a><img src="https://x/i.png" loading="lazy">'
    for bad in ({"p": {"onclick": "x"}}, {"a": {"href": "javascript:x"}}, {"iframe": {"srcdoc": "<script>"}}):
        with pytest.raises(borax.PolicyError):
            borax.clean("x", set_tag_attribute_values=bad)


# ---- the ammonia preset and the nh3 constants ----


def test_ammonia_preset_is_nh3s_defaults():
    a = borax.Policy.ammonia()
    assert a == borax.Policy.preset("ammonia")
    assert set(a.elements) == borax.ALLOWED_TAGS == nh3.ALLOWED_TAGS
    assert set(a.url_schemes) == borax.ALLOWED_URL_SCHEMES
    assert set(a.global_attributes) == {"lang", "title"}
    # nh3's ALLOWED_ATTRIBUTES = the preset's tag attributes + tfoot's (a tag
    # ammonia does not allow by default: the preset leaves that entry out)
    own = {t: set(v) for t, v in a.elements.items() if v}
    assert {**own, "tfoot": {"align", "char", "charoff"}} == nh3.ALLOWED_ATTRIBUTES
    assert "tfoot" not in a.elements
    # the nh3 policy is the preset plus nh3's clean_content_tags, which
    # borax drops anyway: the same output
    html = '<a href="irc://x" onclick=y>a</a><script>s</script><style>t</style><u lang=en>c</u>'
    assert a.clean(html) == borax.Policy.nh3().clean(html) == borax.clean(html) == nh3.clean(html)


def test_cache_eviction_runs_finalizers_outside_the_lock():
    # a callable whose last reference is the cache's, with a finalizer that
    # cleans: evicting it must not deadlock on the cache's lock
    finalized = []

    class Filter:
        def __call__(self, tag, attr, value):
            return value

        def __del__(self):
            finalized.append(borax.clean('<abbr title="t">x</abbr>', attribute_filter=lambda t, a, v: v))

    for _ in range(150):
        borax.clean('<abbr title="t">x</abbr>', attribute_filter=Filter())
    assert finalized and all(f == '<abbr title="t">x</abbr>' for f in finalized)
