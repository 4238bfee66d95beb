//! The `ammonia` preset equals ammonia 4.2.5's defaults (the dev-dependency
//! is the reference), so migrating is one line.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use borax::{Namespace, Policy};

#[test]
fn ammonia_preset_equals_ammonia_defaults() {
    let amm = ammonia::Builder::default();
    let p = Policy::ammonia();

    // Tags and their attributes (ammonia lists attributes for `tfoot`,
    // which is not among its tags: they apply to nothing there either).
    let tags: BTreeSet<&str> = amm.clone_tags().into_iter().collect();
    let tag_attrs = amm.clone_tag_attributes();
    let expected: BTreeMap<&str, BTreeSet<&str>> = tags
        .iter()
        .map(|t| {
            let attrs = tag_attrs
                .get(t)
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default();
            (*t, attrs)
        })
        .collect();
    let ours: BTreeMap<&str, BTreeSet<&str>> = p
        .allowed_elements()
        .map(|(ns, name, attrs)| {
            assert_eq!(ns, Namespace::Html);
            (name, attrs.into_iter().collect())
        })
        .collect();
    assert_eq!(ours, expected);

    let generic: BTreeSet<&str> = amm.clone_generic_attributes().into_iter().collect();
    assert_eq!(p.global_attributes().collect::<BTreeSet<_>>(), generic);
    let schemes: BTreeSet<&str> = amm.clone_url_schemes().into_iter().collect();
    assert_eq!(p.url_schemes().collect::<BTreeSet<_>>(), schemes);
    assert_eq!(p.link_rel(), Some("noopener noreferrer"));
    assert_eq!(p.relative_urls(), &borax::RelativeUrls::Pass);
    // ammonia's defaults have no prefixes, values, forced values or classes.
    assert!(amm.clone_generic_attribute_prefixes().is_none());
    assert!(amm.clone_tag_attribute_values().is_empty());
    assert!(amm.clone_set_tag_attribute_values().is_empty());
    assert!(amm.clone_allowed_classes().is_empty());
}

/// On ordinary content the two give the same bytes.
#[test]
fn ammonia_preset_cleans_ordinary_content_like_ammonia() {
    let p = Policy::ammonia();
    for input in [
        "<p>Hello <b>world</b>, <a href=\"https://example.org/x?a=1&amp;b=2\">link</a>.</p>",
        "<ul><li>one</li><li lang=\"en\">two</li></ul><pre>code</pre>",
        "<table><thead><tr><th scope=\"col\">h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>",
        "<img src=\"https://example.org/i.png\" alt=\"i\" width=\"10\"><br>",
        "<blockquote cite=\"https://example.org/\">q</blockquote><script>x</script>",
    ] {
        assert_eq!(p.clean(input), ammonia::clean(input), "{input}");
    }
}

/// The CSS properties of the `style` comparisons.
const STYLE_PROPERTIES: &[&str] = &[
    "color",
    "background",
    "background-image",
    "text-align",
    "font-weight",
    "font-family",
    "width",
    "margin",
    "content",
];

fn style_span(style: &str) -> String {
    format!("<span style=\"{style}\">x</span>")
}

fn ammonia_style(style: &str) -> String {
    let mut b = ammonia::Builder::new();
    b.tags(HashSet::from(["span"]))
        .tag_attributes(HashMap::from([("span", HashSet::from(["style"]))]))
        .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(None);
    b.clean(&style_span(style)).to_string()
}

fn borax_style(style: &str) -> String {
    Policy::builder()
        .element("span", ["style"])
        .style_properties(STYLE_PROPERTIES.iter().copied())
        .build()
        .unwrap()
        .clean(&style_span(style))
}

/// Where both are right, `style_properties` gives ammonia's
/// `filter_style_properties` bytes (ammonia 4.2.5, the dev-dependency).
#[test]
fn style_filter_agrees_with_ammonia_where_both_are_right() {
    for style in [
        "color: red",
        "color:red",
        "color: red;",
        "color: red; text-align: center",
        "text-align: center;color: red",
        "font-weight: bold; position: fixed",
        "width: 10px; color: blue",
        "color:green; color; color:; color{;color:maroon}",
        "@import url(https://tracker.example/a.css); color: green",
        "@media screen { color: red }; color: green",
        "@charset 'utf-8'; color: green",
        "width: url(x'y); color: green",
        "--x: red; color: blue",
        "color: rgb(1, 2, 3)",
        "width: calc(100% - 10px)",
        "margin: 0 auto",
        "margin: 1px 2px 3px 4px",
        "color: #fff",
        "color: #FFF",
        "width: 50%",
        "width: 1.5em",
        "color: /* a */ red",
        r"col\6f r: red",
        r"color: re\64",
        "background: url(https://e.org/a.png)",
        "background: url(&quot;https://e.org/a.png&quot;)",
        "background: url(a.png)",
        "content: &quot;javascript:x&quot;",
    ] {
        let ours = borax_style(style);
        assert_eq!(ours, ammonia_style(style), "{style}");
        assert!(
            ours.contains("style="),
            "{style}: nothing kept, a weak comparison"
        );
    }
}

/// Where borax and ammonia differ, and why (the same list is in a comment
/// at the top of `tests/data/css.toml`): each entry is
/// `(style, borax, ammonia)`.
#[test]
fn style_filter_differences_from_ammonia() {
    let removed = "<span>x</span>";
    let empty = "<span style=\"\">x</span>";
    let kept = |s: &str| format!("<span style=\"{s}\">x</span>");
    for (style, ours, theirs) in [
        // 1. Nested functions: ammonia cuts the inner one short.
        (
            "color: rgb(calc(1 + 2), 0, 0)",
            kept("color:rgb(calc(1 + 2), 0, 0)"),
            kept("color:rgb(calc(, 0, 0)"),
        ),
        // 2. Property names are ASCII case-insensitive; ammonia drops them.
        ("COLOR: red", kept("color:red"), empty.into()),
        // 3. `!important` is one token pair; ammonia writes `! important`.
        (
            "color: red !important",
            kept("color:red !important"),
            kept("color:red ! important"),
        ),
        // 4. Nothing left: borax removes the attribute (reported as
        //    BadValue), ammonia keeps `style=""`.
        ("position: fixed", removed.into(), empty.into()),
        (
            "background: url(javascript:alert(1))",
            removed.into(),
            empty.into(),
        ),
        (
            r"background: url(\6a avascript:alert(1))",
            removed.into(),
            empty.into(),
        ),
        // 5. URLs: borax checks them with the rules of `href` and writes
        //    them as written; ammonia writes the URL parser's serialisation.
        (
            "background: url(https://e.org)",
            kept("background:url(&quot;https://e.org&quot;)"),
            kept("background:url(&quot;https://e.org/&quot;)"),
        ),
        // 6. Spacing: borax keeps the input's (runs collapsed); ammonia
        //    puts a space between all tokens but commas.
        (
            "background: no-repeat center/80% url(&quot;../img/image.png&quot;);",
            kept("background:no-repeat center/80% url(&quot;../img/image.png&quot;)"),
            kept("background:no-repeat center / 80% url(&quot;../img/image.png&quot;)"),
        ),
        (
            "font-family: Arial, sans-serif",
            kept("font-family:Arial, sans-serif"),
            kept("font-family:Arial , sans-serif"),
        ),
        // 7. Strings without escapes are written as they were; ammonia
        //    re-quotes them.
        (
            "content: ''",
            kept("content:''"),
            kept("content:&quot;&quot;"),
        ),
        // 8. Substitution functions: borax drops the declaration (the value
        //    is never judged, keyword lists would be bypassed); ammonia
        //    keeps it.
        ("color: var(--x)", removed.into(), kept("color:var(--x)")),
        // 9. Unknown functions: borax drops the declaration; ammonia keeps
        //    it, cut short.
        (
            "width: expression(alert(1))",
            removed.into(),
            kept("width:expression(alert()"),
        ),
        // 10. Strings, URLs and blocks left open at the end: borax drops
        //     the declaration; ammonia closes them.
        (
            "content: &quot;abc",
            removed.into(),
            kept("content:&quot;abc&quot;"),
        ),
        (
            "background: url(https://e.org/a.png",
            removed.into(),
            kept("background:url(&quot;https://e.org/a.png&quot;)"),
        ),
        (
            "color: rgb(1, 2, 3",
            removed.into(),
            kept("color:rgb(1, 2, 3)"),
        ),
        // 11. Image URLs in strings (`image-set()`, `src()`) pass the URL
        //     rules in borax; ammonia does not look at them.
        (
            "background-image: image-set(&quot;javascript:x&quot; 1x)",
            removed.into(),
            kept("background-image:image-set(&quot;javascript:x&quot; 1x)"),
        ),
    ] {
        assert_eq!(borax_style(style), ours, "borax: {style}");
        assert_eq!(ammonia_style(style), theirs, "ammonia: {style}");
    }
}

/// `Policy::allows_attribute` answers for attribute prefixes too (the
/// policy fuzzer's oracle asks it; found by the `policy` fuzz target).
#[test]
fn allows_attribute_knows_prefixes() {
    let p = borax::Policy::builder()
        .elements(["a"])
        .attribute_prefixes(["hre", "aria-"])
        .build()
        .unwrap();
    assert!(p.allows_attribute(Namespace::Html, "a", "href"));
    assert!(p.allows_attribute(Namespace::Html, "a", "aria-label"));
    assert!(!p.allows_attribute(Namespace::Html, "a", "title"));
    assert!(!p.allows_attribute(Namespace::Html, "b", "aria-label"));
}
