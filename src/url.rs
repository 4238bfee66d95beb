//! The URL stage: which attributes hold URLs, and whether a URL is allowed.
//!
//! Scheme detection follows the browser's URL parser: leading and trailing C0
//! controls and spaces are stripped, tab, LF and CR are removed anywhere, and
//! the scheme is an ASCII letter followed by letters, digits, `+`, `-` or `.`
//! up to the first `:`, compared case-insensitively. Character references
//! were already decoded by the HTML parser, so `&#106;avascript:` and
//! `java&Tab;script:` arrive here as `javascript:` and `java\tscript:`.

use std::borrow::Cow;

/// Attributes whose value is one URL, whatever the element.
const URL_ATTRIBUTES: &[&str] = &[
    "action",
    "archive",
    "background",
    "cite",
    "classid",
    "codebase",
    "data",
    "dynsrc",
    "formaction",
    "href",
    "icon",
    "itemid",
    "itemtype",
    "longdesc",
    "lowsrc",
    "manifest",
    "poster",
    "profile",
    "src",
    "usemap",
    "xlink:href",
    "xml:base",
];

/// Attributes whose value is a list of URLs.
const URL_LIST_ATTRIBUTES: &[&str] = &["ping", "srcset", "imagesrcset"];

/// How an attribute's value is read as URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UrlKind {
    /// One URL.
    Single,
    /// Space-separated URLs (`ping`).
    SpaceList,
    /// A `srcset` candidate list.
    Srcset,
}

/// Is `name` (as serialized: `xlink:href` for the namespaced one) a URL
/// attribute, and of which kind?
pub(crate) fn url_kind(name: &str) -> Option<UrlKind> {
    if URL_ATTRIBUTES.contains(&name) {
        Some(UrlKind::Single)
    } else if name == "ping" {
        Some(UrlKind::SpaceList)
    } else if URL_LIST_ATTRIBUTES.contains(&name) {
        Some(UrlKind::Srcset)
    } else {
        None
    }
}

/// Every attribute name borax treats as a URL (single or list).
pub(crate) fn url_attribute_names() -> impl Iterator<Item = &'static str> {
    URL_ATTRIBUTES
        .iter()
        .chain(URL_LIST_ATTRIBUTES.iter())
        .copied()
}

/// The URL as the browser's URL parser sees it before parsing: leading and
/// trailing C0 controls and spaces stripped, tab/LF/CR removed.
pub(crate) fn browser_trim(value: &str) -> Cow<'_, str> {
    let trimmed = value.trim_matches(|c: char| c <= ' ');
    if memchr::memchr3(b'\t', b'\n', b'\r', trimmed.as_bytes()).is_some() {
        Cow::Owned(
            trimmed
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The scheme of a URL, lowercased, or `None` for a relative URL.
pub(crate) fn scheme(value: &str) -> Option<String> {
    scheme_of(&browser_trim(value)).map(str::to_ascii_lowercase)
}

/// The scheme of an already trimmed URL, as written (any case).
fn scheme_of(v: &str) -> Option<&str> {
    let bytes = v.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    // Scheme characters, then a `:`.
    let end = bytes.iter().position(|&b| !SCHEME_BYTE[usize::from(b)])?;
    (bytes[end] == b':').then(|| &v[..end])
}

/// The bytes of a scheme after its first letter: ASCII alphanumerics, `+`,
/// `-`, `.`.
static SCHEME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.');
        c += 1;
    }
    t
};

/// What the policy says about relative URLs.
///
/// ```
/// use borax::{Policy, RelativeUrls};
/// let p = Policy::builder()
///     .element("a", ["href"])
///     .relative_urls(RelativeUrls::Rewrite("https://blog.example/post/".into()))
///     .build()
///     .unwrap();
/// assert_eq!(p.clean(r#"<a href="../about">a</a>"#), r#"<a href="https://blog.example/about">a</a>"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RelativeUrls {
    /// Drop attributes holding relative URLs.
    Deny,
    /// Keep relative URLs as they are.
    #[default]
    Pass,
    /// Resolve every URL against this absolute base URL, as a browser's URL
    /// parser would (so `https:x`, `//host` and `\\host` too), and write the
    /// resolved URL's serialisation; the result must have an allowed scheme,
    /// and a URL that does not parse is dropped.
    Rewrite(String),
}

impl std::fmt::Display for RelativeUrls {
    /// As the CLI and policy files write it: `deny`, `pass`, or the base URL.
    ///
    /// ```
    /// use borax::RelativeUrls;
    /// assert_eq!(RelativeUrls::Deny.to_string(), "deny");
    /// assert_eq!(RelativeUrls::Rewrite("https://e.org/".into()).to_string(), "https://e.org/");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RelativeUrls::Deny => f.write_str("deny"),
            RelativeUrls::Pass => f.write_str("pass"),
            RelativeUrls::Rewrite(base) => f.write_str(base),
        }
    }
}

impl std::str::FromStr for RelativeUrls {
    type Err = crate::PolicyError;

    /// `deny`, `pass`, or an absolute base URL to rewrite against (checked
    /// when the policy is built).
    ///
    /// ```
    /// use borax::RelativeUrls;
    /// assert_eq!("deny".parse::<RelativeUrls>().unwrap(), RelativeUrls::Deny);
    /// assert_eq!(
    ///     "https://e.org/".parse::<RelativeUrls>().unwrap(),
    ///     RelativeUrls::Rewrite("https://e.org/".into())
    /// );
    /// assert!("sometimes".parse::<RelativeUrls>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<RelativeUrls, crate::PolicyError> {
        match text {
            "deny" => Ok(RelativeUrls::Deny),
            "pass" => Ok(RelativeUrls::Pass),
            _ if text.contains(':') => Ok(RelativeUrls::Rewrite(text.to_owned())),
            _ => Err(crate::PolicyError::Invalid {
                what: "relative URL rule (deny, pass, or a base URL)",
                value: text.to_owned(),
            }),
        }
    }
}

/// Outcome of checking one URL.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict<'a> {
    Keep(Cow<'a, str>),
    BadScheme,
    Relative,
}

/// Check one URL against the allowed schemes and the relative-URL rule.
///
/// With a rewrite base every URL, relative or not, is resolved against the
/// base as the WHATWG URL parser does (`base.join`) and replaced by the
/// serialisation, whose scheme must be allowed; a URL that does not parse is
/// dropped. Only resolving all of them makes the output mean what it says:
/// `https:evil.example` or `http:/x` have a scheme, yet a browser resolves
/// them against the *page* when the page's scheme is the same (a special
/// scheme not followed by `//` is relative then), so left as written they
/// would escape the base. The serialisation is a fixed point of the parser,
/// so cleaning the output again gives it back.
pub(crate) fn check<'a>(
    value: &'a str,
    schemes: &[String],
    relative: &RelativeUrls,
    base: Option<&::url::Url>,
) -> Verdict<'a> {
    if let (RelativeUrls::Rewrite(_), Some(base)) = (relative, base) {
        return resolve(value, schemes, base);
    }
    let trimmed = browser_trim(value);
    match scheme_of(&trimmed) {
        // `https:x` and `http:/x` take the page's host when the page has the
        // same scheme (the URL parser's "special relative or authority"
        // state): relative, as far as denying relative URLs goes.
        Some(_) if matches!(relative, RelativeUrls::Deny) && special_without_authority(value) => {
            Verdict::Relative
        }
        Some(s) => {
            // Policy schemes are lowercase; no lowercased copy needed.
            if schemes.iter().any(|a| a.eq_ignore_ascii_case(s)) {
                Verdict::Keep(Cow::Borrowed(value))
            } else {
                Verdict::BadScheme
            }
        }
        None => match relative {
            RelativeUrls::Pass => {
                // A "relative" URL starting with `//` is protocol-relative: it
                // takes the page's scheme, which is http(s) on the web; allow
                // it only when both are allowed.
                let v = &trimmed;
                if (v.starts_with("//")
                    || v.starts_with("\\\\")
                    || v.starts_with("/\\")
                    || v.starts_with("\\/"))
                    && !(schemes.iter().any(|s| s == "http")
                        && schemes.iter().any(|s| s == "https"))
                {
                    return Verdict::BadScheme;
                }
                Verdict::Keep(Cow::Borrowed(value))
            }
            RelativeUrls::Deny => Verdict::Relative,
            // No base (a policy never builds so): nothing to resolve against.
            RelativeUrls::Rewrite(_) => Verdict::Relative,
        },
    }
}

/// A special scheme (`http`, `https`, `ws`, `wss`, `ftp`, `file`) not
/// followed by two slashes (`/` or `\\`).
fn special_without_authority(value: &str) -> bool {
    let v = browser_trim(value);
    let Some((scheme, rest)) = v.split_once(':') else {
        return false;
    };
    let special = ["http", "https", "ws", "wss", "ftp", "file"]
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s));
    let slashes = rest
        .bytes()
        .take(2)
        .filter(|b| matches!(b, b'/' | b'\\'))
        .count();
    special && slashes < 2
}

/// Resolve `value` against `base` (the URL parser strips the same C0
/// controls, spaces, tabs and newlines as [`browser_trim`]) and check the
/// result's scheme.
fn resolve<'a>(value: &str, schemes: &[String], base: &::url::Url) -> Verdict<'a> {
    match base.join(value) {
        Ok(joined) => {
            if schemes.iter().any(|s| s == joined.scheme()) {
                Verdict::Keep(Cow::Owned(joined.into()))
            } else {
                Verdict::BadScheme
            }
        }
        // Unparseable: `https://exa mple/` has a scheme, `//exa mple/` not.
        Err(_) if scheme(value).is_some() => Verdict::BadScheme,
        Err(_) => Verdict::Relative,
    }
}

/// Check an attribute value of the given kind; every URL in a list must pass.
/// Returns the value to emit (rewritten when relative URLs are rewritten).
pub(crate) fn check_value<'a>(
    kind: UrlKind,
    value: &'a str,
    schemes: &[String],
    relative: &RelativeUrls,
    base: Option<&::url::Url>,
) -> Verdict<'a> {
    match kind {
        UrlKind::Single => check(value, schemes, relative, base),
        UrlKind::SpaceList => {
            let mut out = String::new();
            let mut changed = false;
            for part in value.split_ascii_whitespace() {
                match check(part, schemes, relative, base) {
                    Verdict::Keep(v) => {
                        changed |= matches!(v, Cow::Owned(_));
                        if !out.is_empty() {
                            out.push(' ');
                        }
                        out.push_str(&v);
                    }
                    other @ (Verdict::BadScheme | Verdict::Relative) => return other,
                }
            }
            if changed {
                Verdict::Keep(Cow::Owned(out))
            } else {
                Verdict::Keep(Cow::Borrowed(value))
            }
        }
        UrlKind::Srcset => {
            let mut out = String::new();
            let mut changed = false;
            for (url, descriptors) in srcset_candidates(value) {
                match check(url, schemes, relative, base) {
                    Verdict::Keep(v) => {
                        changed |= matches!(v, Cow::Owned(_));
                        if !out.is_empty() {
                            out.push_str(", ");
                        }
                        out.push_str(&v);
                        if !descriptors.is_empty() {
                            out.push(' ');
                            out.push_str(descriptors);
                        }
                    }
                    other @ (Verdict::BadScheme | Verdict::Relative) => return other,
                }
            }
            if changed {
                Verdict::Keep(Cow::Owned(out))
            } else {
                Verdict::Keep(Cow::Borrowed(value))
            }
        }
    }
}

/// Split a `srcset` value into (url, descriptors) candidates, following the
/// HTML spec's "parse a srcset attribute" closely enough to find every URL.
pub(crate) fn srcset_candidates(value: &str) -> Vec<(&str, &str)> {
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r');
    let mut out = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| is_ws(c) || c == ',');
        if rest.is_empty() {
            return out;
        }
        let end = rest.find(is_ws).unwrap_or(rest.len());
        let mut url = &rest[..end];
        rest = &rest[end..];
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
            out.push((url, ""));
            continue;
        }
        // Descriptors run to the next comma outside parentheses. The
        // spec's descriptor tokenizer does not nest them: `(` enters "in
        // parens" (another `(` there changes nothing) and the first `)`
        // leaves it. Counting depth instead would hide the candidates after
        // `x(y(z)w,` from the check while a browser loads them.
        let mut in_parens = false;
        let mut stop = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '(' => in_parens = true,
                ')' => in_parens = false,
                ',' if !in_parens => {
                    stop = i;
                    break;
                }
                _ => {}
            }
        }
        let descriptors = rest[..stop].trim_matches(is_ws);
        out.push((url, descriptors));
        rest = rest.get(stop + 1..).unwrap_or("");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// The table-driven scheme reader reads what the URL parser's
        /// scheme state does: a letter, then letters, digits, `+ - .`, up
        /// to a `:` (anything else first: no scheme).
        #[test]
        fn scheme_of_reads_as_the_scheme_state(
            s in proptest::collection::vec(proptest::sample::select(
                vec!['a', 'Z', '0', '9', '+', '-', '.', ':', '/', ' ', '\t', 'é', '_', '%']), 0..12)
                .prop_map(|v| v.into_iter().collect::<String>())
        ) {
            let reference = (|| {
                let b = s.as_bytes();
                if !b.first()?.is_ascii_alphabetic() {
                    return None;
                }
                for (i, &c) in b.iter().enumerate() {
                    match c {
                        b':' => return Some(&s[..i]),
                        c if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.') => {}
                        _ => return None,
                    }
                }
                None
            })();
            proptest::prop_assert_eq!(scheme_of(&s), reference);
        }
    }

    #[test]
    fn deny_treats_special_schemes_without_slashes_as_relative() {
        let schemes = vec!["http".to_owned(), "https".to_owned()];
        for v in ["https:evil.example", "http:/x", " HTTPS:\\x", "https:\t/x"] {
            assert!(
                matches!(
                    check(v, &schemes, &RelativeUrls::Deny, None),
                    Verdict::Relative
                ),
                "{v:?}"
            );
        }
        for v in ["https://ok.example/", "HTTP:\\\\ok", "mailto:x"] {
            assert!(
                !matches!(
                    check(v, &schemes, &RelativeUrls::Deny, None),
                    Verdict::Relative
                ),
                "{v:?}"
            );
        }
    }

    fn schemes() -> Vec<String> {
        vec!["http".into(), "https".into(), "mailto".into()]
    }

    #[test]
    fn scheme_follows_browser_rules() {
        assert_eq!(scheme("javascript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(scheme("  \u{1}JaVaScRiPt:x").as_deref(), Some("javascript"));
        assert_eq!(scheme("java\tscr\nipt:x").as_deref(), Some("javascript"));
        assert_eq!(scheme("/relative:path"), None);
        assert_eq!(scheme("foo/bar:baz"), None);
        assert_eq!(scheme("https://x").as_deref(), Some("https"));
        assert_eq!(scheme(""), None);
        assert_eq!(scheme("\u{b}vbscript:x").as_deref(), Some("vbscript"));
    }

    #[test]
    fn check_applies_schemes_and_relative_rules() {
        let s = schemes();
        assert_eq!(
            check("javascript:x", &s, &RelativeUrls::Pass, None),
            Verdict::BadScheme
        );
        assert_eq!(
            check("/a", &s, &RelativeUrls::Deny, None),
            Verdict::Relative
        );
        assert!(matches!(
            check("/a", &s, &RelativeUrls::Pass, None),
            Verdict::Keep(_)
        ));
        let only_https = vec!["https".to_owned()];
        assert_eq!(
            check("//evil", &only_https, &RelativeUrls::Pass, None),
            Verdict::BadScheme
        );
        let base = ::url::Url::parse("https://example.com/blog/").unwrap();
        let rw = RelativeUrls::Rewrite(base.to_string());
        assert_eq!(
            check("post?x=1", &s, &rw, Some(&base)),
            Verdict::Keep(Cow::Owned("https://example.com/blog/post?x=1".into()))
        );
    }

    /// `check` with a rewrite base; `None` when dropped.
    fn rewrite(value: &str, base: &str, schemes: &[&str]) -> Option<String> {
        let base = ::url::Url::parse(base).unwrap();
        let schemes: Vec<String> = schemes.iter().map(|s| s.to_string()).collect();
        let rw = RelativeUrls::Rewrite(base.to_string());
        let out = match check(value, &schemes, &rw, Some(&base)) {
            Verdict::Keep(v) => v.into_owned(),
            Verdict::BadScheme | Verdict::Relative => return None,
        };
        // Idempotent: the rewritten URL rewrites to itself.
        assert_eq!(
            check(&out, &schemes, &rw, Some(&base)),
            Verdict::Keep(Cow::Owned(out.clone())),
            "{value:?} -> {out:?} is not a fixed point"
        );
        Some(out)
    }

    const WEB: &[&str] = &["http", "https", "mailto"];
    const HTTPS_BASE: &str = "https://blog.example/post/";
    const HTTP_BASE: &str = "http://blog.example/post/";

    #[test]
    fn rewrite_resolves_special_scheme_without_slashes_like_a_browser() {
        // Same scheme as the base: relative, so it stays on the base's host.
        assert_eq!(
            rewrite("https:evil.example", HTTPS_BASE, WEB).as_deref(),
            Some("https://blog.example/post/evil.example")
        );
        // Another scheme: absolute, the host is what follows the colon.
        assert_eq!(
            rewrite("https:evil.example", HTTP_BASE, WEB).as_deref(),
            Some("https://evil.example/")
        );
        assert_eq!(
            rewrite("http:/x", HTTP_BASE, WEB).as_deref(),
            Some("http://blog.example/x")
        );
        assert_eq!(
            rewrite("http:/x", HTTPS_BASE, WEB).as_deref(),
            Some("http://x/")
        );
        assert_eq!(
            rewrite("HTTP://ok", HTTPS_BASE, WEB).as_deref(),
            Some("http://ok/")
        );
        assert_eq!(
            rewrite("HtTpS://OK.example:443/a/../b?q#f", HTTP_BASE, WEB).as_deref(),
            Some("https://ok.example/b?q#f")
        );
    }

    #[test]
    fn rewrite_resolves_protocol_relative_and_backslashes() {
        assert_eq!(
            rewrite("//evil", HTTPS_BASE, WEB).as_deref(),
            Some("https://evil/")
        );
        assert_eq!(
            rewrite("//evil", HTTP_BASE, WEB).as_deref(),
            Some("http://evil/")
        );
        assert_eq!(
            rewrite("\\\\evil\\x", HTTPS_BASE, WEB).as_deref(),
            Some("https://evil/x")
        );
        assert_eq!(
            rewrite("/\\evil", HTTPS_BASE, WEB).as_deref(),
            Some("https://evil/")
        );
        // Protocol-relative takes the base's scheme, which must be allowed.
        assert_eq!(rewrite("//evil", HTTP_BASE, &["https"]), None);
    }

    #[test]
    fn rewrite_removes_tabs_and_newlines_and_trims() {
        assert_eq!(
            rewrite(" \u{1}ht\ttp:/\n/ex\rample.com/a b\t ", HTTPS_BASE, WEB).as_deref(),
            Some("http://example.com/a%20b")
        );
        assert_eq!(
            rewrite("\tpa\nge\r", HTTPS_BASE, WEB).as_deref(),
            Some("https://blog.example/post/page")
        );
        assert_eq!(
            rewrite("java\tscript:alert(1)", HTTPS_BASE, WEB),
            None,
            "tab inside the scheme"
        );
    }

    #[test]
    fn rewrite_checks_the_scheme_of_the_result() {
        for js in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\nscript:alert(1)",
            "\u{0}javascript:alert(1)",
            "vbscript:x",
            "data:text/html,<script>alert(1)</script>",
        ] {
            assert_eq!(rewrite(js, HTTPS_BASE, WEB), None, "{js:?}");
        }
        // Allowed non-special schemes are serialised too (the scheme
        // lowercased; an opaque path keeps its inner spaces).
        assert_eq!(
            rewrite("MAILTO:a b@example.com", HTTPS_BASE, WEB).as_deref(),
            Some("mailto:a b@example.com")
        );
        // A relative URL under a base whose scheme is not allowed.
        assert_eq!(rewrite("x", "ftp://files.example/", WEB), None);
    }

    #[test]
    fn rewrite_drops_what_does_not_parse() {
        let s = schemes();
        let base = ::url::Url::parse(HTTPS_BASE).unwrap();
        let rw = RelativeUrls::Rewrite(HTTPS_BASE.into());
        assert_eq!(
            check("https://exa mple/", &s, &rw, Some(&base)),
            Verdict::BadScheme
        );
        assert_eq!(
            check("//exa mple/", &s, &rw, Some(&base)),
            Verdict::Relative
        );
        assert_eq!(
            check("http://[::1", &s, &rw, Some(&base)),
            Verdict::BadScheme
        );
    }

    #[test]
    fn rewrite_applies_to_every_url_of_a_list() {
        let s = schemes();
        let base = ::url::Url::parse(HTTPS_BASE).unwrap();
        let rw = RelativeUrls::Rewrite(HTTPS_BASE.into());
        let srcset = check_value(
            UrlKind::Srcset,
            "a.png 1x,https:b.png 2x",
            &s,
            &rw,
            Some(&base),
        );
        let Verdict::Keep(out) = srcset else {
            panic!("{srcset:?}")
        };
        assert_eq!(
            out,
            "https://blog.example/post/a.png 1x, https://blog.example/post/b.png 2x"
        );
        assert_eq!(
            check_value(UrlKind::Srcset, &out, &s, &rw, Some(&base)),
            Verdict::Keep(Cow::Owned(out.to_string()))
        );
        assert_eq!(
            check_value(UrlKind::SpaceList, "/p HTTP://q", &s, &rw, Some(&base)),
            Verdict::Keep(Cow::Owned("https://blog.example/p http://q/".into()))
        );
    }

    /// A `(` inside parentheses does not nest (the spec's descriptor
    /// tokenizer, "in parens" state): the first `)` ends them, and the comma
    /// after it ends the candidate. Found by the `clean` fuzz target.
    #[test]
    fn srcset_parentheses_do_not_nest() {
        assert_eq!(
            srcset_candidates("a.png x(y(z)w, http://evil.example/b 2x"),
            [("a.png", "x(y(z)w"), ("http://evil.example/b", "2x")]
        );
        assert_eq!(
            srcset_candidates("a.png (x, (y), z) 1x, b.png"),
            [("a.png", "(x, (y)"), ("z)", "1x"), ("b.png", "")]
        );
    }

    #[test]
    fn srcset_finds_every_url() {
        assert_eq!(
            srcset_candidates("a.png 1x, b.png 2x,c.png,, d.png (x, y) 3w"),
            vec![
                ("a.png", "1x"),
                ("b.png", "2x"),
                ("c.png", ""),
                ("d.png", "(x, y) 3w")
            ]
        );
        let s = schemes();
        assert_eq!(
            check_value(
                UrlKind::Srcset,
                "https://a/x 1x, javascript:y 2x",
                &s,
                &RelativeUrls::Pass,
                None
            ),
            Verdict::BadScheme
        );
        assert_eq!(
            check_value(
                UrlKind::SpaceList,
                "https://a javascript:b",
                &s,
                &RelativeUrls::Pass,
                None
            ),
            Verdict::BadScheme
        );
    }
}
