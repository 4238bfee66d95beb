//! The `ammonia` preset equals ammonia 4.2.5's defaults (the dev-dependency
//! is the reference), so migrating is one line.

use std::collections::{BTreeMap, BTreeSet};

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
