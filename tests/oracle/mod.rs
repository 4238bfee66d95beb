//! The invariant oracle, one copy shared by the property tests
//! (`tests/invariants.rs`), the fuzz targets (`fuzz/src/checks.rs`, through
//! `fuzz/src/lib.rs`) and the regression replays (`tests/regressions.rs`),
//! each including this file with `#[path]`.
//!
//! It shares no code with borax's implementation: it asks the **public**
//! API what the policy allows ([`Policy::allows_element`],
//! [`Policy::allows_attribute`], [`Policy::url_schemes_for`],
//! [`Policy::style_properties_for`], the policy's JSON form for the rest,
//! see [`Expect`]), and judges the output itself. It re-parses borax's
//! **output** with html5ever into `markup5ever_rcdom` (fragment mode,
//! `<div>` context, scripting on: the context borax documents) and walks
//! that tree iteratively:
//!
//! 1. every element is in the HTML, SVG or MathML namespace and allowed by
//!    [`Policy::allows_element`]; no HTML or SVG `script`;
//! 2. every attribute is allowed by [`Policy::allows_attribute`] under its
//!    serialized name (`xlink:href`, `xml:lang`, `xmlns:xlink`), and none
//!    is an event handler (`on…`);
//! 3. every URL attribute (borax's list united with our own) holds only URLs
//!    whose scheme, computed here with the browser's rule (strip leading and
//!    trailing C0 controls and spaces, remove tab/LF/CR anywhere, scheme =
//!    ASCII letter then letters, digits, `+`, `-`, `.` up to `:`, lowercased),
//!    is allowed for that attribute of that element; relative URLs only
//!    under `Pass` (protocol-relative ones only when `http` and `https` are
//!    both allowed), none at all under `Deny` or `Rewrite` (rewriting makes
//!    every kept URL absolute); `srcset` is split by our own implementation
//!    of the HTML "parse a srcset attribute" algorithm, `ping` on ASCII
//!    whitespace; SVG animation elements never target a URL attribute;
//!    comments only when the policy allows them; nesting depth of the tree
//!    at most `max_depth`; a `style` attribute, read with cssparser (the CSS
//!    parser, not borax's filter), holds only declarations of the element's
//!    allowed properties (keyword-only values where the policy restricts
//!    them), and its URLs (`url()`, the strings of `src()` and `image-set()`)
//!    pass the same scheme rule; `id`/`name` carry the id prefix; `class`
//!    tokens are in the policy's class lists (global and per element);
//!    restricted attributes hold one of their allowed values; forced
//!    attributes (`set_attribute`) are there with their value; links have
//!    exactly the policy's `rel`, with `noopener` where `target="_blank"` is
//!    forced;
//! 4. idempotence: `clean(out) == out` (unless the subject's hooks are
//!    known not to be idempotent, [`Subject::idempotent`]);
//! 5. round trip, two ways:
//!    * **exact**: serializing the re-parsed tree with borax's *documented*
//!      escaping (text: `&` `<` `>` U+00A0 CR U+FEFF; attributes additionally
//!      `"`, always double-quoted; a leading LF in `pre`/`listing`/`textarea`
//!      doubled) gives back `out` byte for byte. With `parse(out)` this
//!      shows `serialize(parse(out)) == out`: the output is the canonical
//!      serialization of the very tree a browser builds from it.
//!    * **browser-serializer stability**: html5ever's own serializer (which,
//!      like browsers' `innerHTML` getter, neither doubles the `pre` newline
//!      nor escapes CR) applied to `parse(out)` and re-parsed gives the same
//!      tree, compared as a structural dump (namespace + name, attributes
//!      sorted, text, comments) with those two documented differences
//!      normalised away: CR LF and CR are read as LF, and one leading LF of the first
//!      text in `pre`/`listing`/`textarea` of the first tree is dropped. This
//!      is the mutation-XSS check: content that changes when a page reads
//!      it back through `innerHTML` and writes it again.
//! 6. `out.len() <= 16 * input.len() + 64 + policy.expansion() * (input.len() / 2 + 1)` (see [`LEN_FACTOR`]);
//! 7. the other entry points (`clean_to`, `clean_with_report`) write the
//!    same bytes; no panic (the callers turn panics into failures).
//!
//! Only `borax`, `html5ever`, `markup5ever_rcdom`, `cssparser` and
//! `serde_json` are used: dependencies of both the fuzz crate and the root
//! crate (there as dev-dependencies or normal dependencies).

// Each includer uses its own part of the oracle.
#![allow(dead_code)]

pub mod parity;

use std::fmt::Write as _;

use borax::{Namespace, Policy, RelativeUrls};
use html5ever::serialize::{serialize, SerializeOpts, TraversalScope};
use html5ever::tendril::TendrilSink;
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{local_name, ns, parse_fragment, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom, SerializableHandle};

// ---------------------------------------------------------------------------
// Bounds
// ---------------------------------------------------------------------------

/// Output bytes allowed per input byte.
///
/// The worst legitimate per-byte growth: one 3-byte `<a>` becomes
/// `<a rel="nofollow ugc noopener noreferrer"></a>` (46 bytes, 15.3x); `\r`
/// becomes `&#13;` (5x); `"` in an attribute `&quot;` (6x). So 16x covers
/// every single-token expansion borax documents, and anything beyond it is
/// the parser multiplying elements (formatting reconstruction, adoption
/// agency) faster than the input grows.
pub const LEN_FACTOR: usize = 16;
/// Constant slack on top of [`LEN_FACTOR`]: a tiny input still gets one
/// element with a `rel` attribute.
pub const LEN_SLACK: usize = 64;

/// The documented bound: [`LEN_FACTOR`] x input + [`LEN_SLACK`], plus what
/// the policy itself adds per emitted attribute (`Policy::expansion`: rel,
/// id prefix, rewrite base, forced values), at most one attribute per two
/// input bytes.
pub fn len_bound(input: usize, policy: &Policy) -> usize {
    input
        .saturating_mul(LEN_FACTOR)
        .saturating_add(LEN_SLACK)
        .saturating_add(policy.expansion().saturating_mul(input / 2 + 1))
}

// ---------------------------------------------------------------------------
// What the oracle checks against
// ---------------------------------------------------------------------------

/// A policy under test, with what the oracle expects of its output.
#[derive(Clone, Debug)]
pub struct Subject {
    pub policy: Policy,
    pub expect: Expect,
    pub label: String,
    /// Assert `clean(out) == out`. False only for hooks that are known not
    /// to be idempotent together with the rest of the policy (see
    /// `parity::ParityKnobs::idempotent`): idempotence is the hook
    /// author's part (`PolicyBuilder::attribute_hook`).
    pub idempotent: bool,
}

impl Subject {
    pub fn new(policy: Policy, label: impl Into<String>) -> Subject {
        Subject {
            expect: Expect::of(&policy),
            policy,
            label: label.into(),
            idempotent: true,
        }
    }

    pub fn preset(name: &str) -> Subject {
        Subject::new(
            Policy::preset(name).expect("preset exists"),
            format!("preset {name}"),
        )
    }
}

/// Settings the conformance check needs that `Policy` has no query for,
/// read from the policy's own JSON form (`Policy::to_json_string`, public).
#[derive(Clone, Debug, Default)]
pub struct Expect {
    pub comments: bool,
    /// Classes allowed on every element (`None`: no global list).
    pub classes: Option<Vec<String>>,
    /// `(element or "*", classes)`.
    pub element_classes: Vec<(String, Vec<String>)>,
    /// `(element or "*", attribute, values)`.
    pub attribute_values: Vec<(String, String, Vec<String>)>,
    /// `(element or "*", attribute, value)`: forced attributes.
    pub set_attributes: Vec<(String, String, String)>,
    /// `(property, keywords)`: keyword-only CSS properties.
    pub style_values: Vec<(String, Vec<String>)>,
}

impl Expect {
    pub fn of(policy: &Policy) -> Expect {
        let v: serde_json::Value =
            serde_json::from_str(&policy.to_json_string().expect("policy serializes to JSON"))
                .expect("to_json_string gives JSON");
        let strings = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_owned();
        let list = |key: &str| -> Vec<serde_json::Value> {
            v[key].as_array().cloned().unwrap_or_default()
        };
        Expect {
            comments: v["comments"].as_bool().unwrap_or(false),
            classes: v.get("classes").filter(|c| !c.is_null()).map(strings),
            element_classes: list("elementClasses")
                .iter()
                .map(|e| (s(&e["element"]), strings(&e["classes"])))
                .collect(),
            attribute_values: list("attributeValues")
                .iter()
                .map(|e| (s(&e["element"]), s(&e["attribute"]), strings(&e["values"])))
                .collect(),
            set_attributes: list("setAttributes")
                .iter()
                .map(|e| (s(&e["element"]), s(&e["attribute"]), s(&e["value"])))
                .collect(),
            style_values: v["stylePropertyValues"]
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), strings(v))).collect())
                .unwrap_or_default(),
        }
    }

    /// Does a rule for `rule_element` (`*` or a policy name) apply to
    /// `element` (a policy name)?
    fn applies(rule_element: &str, element: &str) -> bool {
        rule_element == "*" || rule_element.eq_ignore_ascii_case(element)
    }

    /// The forced attributes of `element`: `(attribute, value)`.
    fn forced<'a>(&'a self, element: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.set_attributes
            .iter()
            .filter(move |(e, _, _)| Self::applies(e, element))
            .map(|(_, a, v)| (a.as_str(), v.as_str()))
    }

    /// The classes allowed on `element`, or `None` when no list applies.
    fn classes_for(&self, element: &str) -> Option<Vec<&str>> {
        let mut lists = self.classes.iter().chain(
            self.element_classes
                .iter()
                .filter(|(e, _)| Self::applies(e, element))
                .map(|(_, c)| c),
        );
        let first = lists.next()?;
        Some(
            first
                .iter()
                .chain(lists.flatten())
                .map(String::as_str)
                .collect(),
        )
    }
}

// ---------------------------------------------------------------------------
// The independent re-parse
// ---------------------------------------------------------------------------

/// Parse as a fragment in a `<div>`, scripting on, a leading U+FEFF kept.
pub fn parse_rc(html: &str) -> RcDom {
    let opts = ParseOpts {
        tokenizer: TokenizerOpts {
            // A browser setting innerHTML keeps a leading U+FEFF; so does borax.
            discard_bom: false,
            ..TokenizerOpts::default()
        },
        tree_builder: TreeBuilderOpts {
            scripting_enabled: true,
            ..TreeBuilderOpts::default()
        },
    };
    parse_fragment(
        RcDom::default(),
        opts,
        QualName::new(None, ns!(html), local_name!("div")),
        vec![],
        true,
    )
    .one(html)
}

/// The `html` element that holds the fragment.
pub fn fragment_root(dom: &RcDom) -> Result<Handle, String> {
    let children = dom.document.children.borrow();
    match children.as_slice() {
        [one] => match &one.data {
            NodeData::Element { name, .. }
                if name.ns == ns!(html) && name.local == local_name!("html") =>
            {
                Ok(one.clone())
            }
            _ => Err("fragment root is not <html>".into()),
        },
        _ => Err(format!("document has {} children", children.len())),
    }
}

pub fn policy_ns(ns: &html5ever::Namespace) -> Option<Namespace> {
    if *ns == ns!(html) {
        Some(Namespace::Html)
    } else if *ns == ns!(svg) {
        Some(Namespace::Svg)
    } else if *ns == ns!(mathml) {
        Some(Namespace::MathMl)
    } else {
        None
    }
}

/// The element's name as a policy writes it: `a`, `svg:a`, `math:mi`.
pub fn policy_element_name(ns: Namespace, local: &str) -> String {
    match ns {
        Namespace::Html => local.to_owned(),
        _ => format!("{}:{local}", ns.as_str()),
    }
}

/// Serialized attribute name, or `None` for a namespace the HTML parser never
/// produces.
pub fn attr_name(name: &QualName) -> Option<String> {
    if name.ns == ns!() {
        Some(name.local.to_string())
    } else if name.ns == ns!(xlink) {
        Some(format!("xlink:{}", name.local))
    } else if name.ns == ns!(xml) {
        Some(format!("xml:{}", name.local))
    } else if name.ns == ns!(xmlns) {
        if name.local == local_name!("xmlns") {
            Some("xmlns".into())
        } else {
            Some(format!("xmlns:{}", name.local))
        }
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// URLs: the browser's rule, written independently of borax
// ---------------------------------------------------------------------------

/// How an attribute's value is read as URLs (our own list, united with
/// borax's [`Policy::is_url_attribute`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UrlKind {
    Single,
    Tokens,
    Srcset,
}

const OWN_URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "cite",
    "poster",
    "background",
    "data",
    "longdesc",
    "usemap",
    "codebase",
    "classid",
    "archive",
    "manifest",
    "lowsrc",
    "dynsrc",
    "icon",
    "profile",
    "xlink:href",
    "xml:base",
];

pub fn url_kind(name: &str) -> Option<UrlKind> {
    match name {
        "srcset" | "imagesrcset" => Some(UrlKind::Srcset),
        "ping" => Some(UrlKind::Tokens),
        _ if OWN_URL_ATTRIBUTES.contains(&name) || Policy::is_url_attribute(name) => {
            Some(UrlKind::Single)
        }
        _ => None,
    }
}

pub fn is_ascii_ws(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// The HTML spec's "parse a srcset attribute", reduced to the URLs it finds.
pub fn srcset_urls(value: &str) -> Vec<String> {
    let chars: Vec<char> = value.chars().collect();
    let mut pos = 0;
    let mut urls = Vec::new();
    loop {
        while pos < chars.len() && (is_ascii_ws(chars[pos]) || chars[pos] == ',') {
            pos += 1;
        }
        if pos >= chars.len() {
            return urls;
        }
        let start = pos;
        while pos < chars.len() && !is_ascii_ws(chars[pos]) {
            pos += 1;
        }
        let mut url: String = chars[start..pos].iter().collect();
        if url.ends_with(',') {
            while url.ends_with(',') {
                url.pop();
            }
            urls.push(url);
            continue;
        }
        urls.push(url);
        // Descriptor tokenizer: runs to a comma outside parentheses or EOF.
        while pos < chars.len() && is_ascii_ws(chars[pos]) {
            pos += 1;
        }
        #[derive(PartialEq)]
        enum St {
            In,
            Parens,
            After,
        }
        let mut st = St::In;
        loop {
            let c = chars.get(pos).copied();
            match st {
                St::In => match c {
                    Some(c) if is_ascii_ws(c) => st = St::After,
                    Some(',') => {
                        pos += 1;
                        break;
                    }
                    Some('(') => st = St::Parens,
                    None => break,
                    Some(_) => {}
                },
                St::Parens => match c {
                    Some(')') => st = St::In,
                    None => break,
                    Some(_) => {}
                },
                St::After => match c {
                    Some(c) if is_ascii_ws(c) => {}
                    None => break,
                    Some(_) => {
                        st = St::In;
                        continue;
                    }
                },
            }
            pos += 1;
        }
    }
}

/// The URL as the URL parser sees it: C0/space trimmed, tab/LF/CR removed.
pub fn url_preprocess(url: &str) -> String {
    url.trim_matches(|c: char| c <= '\u{20}')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The URL's scheme, lowercased, or `None` when it is relative.
pub fn url_scheme(url: &str) -> Option<String> {
    let u = url_preprocess(url);
    let mut chars = u.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_ascii_alphabetic() => {}
        _ => return None,
    }
    for (i, c) in chars {
        if c == ':' {
            return Some(u[..i].to_ascii_lowercase());
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
            return None;
        }
    }
    None
}

/// Is `url`, in attribute `attribute` of `element` (a policy name), allowed
/// by `policy`'s schemes for that attribute and its relative-URL rule?
pub fn check_url(policy: &Policy, element: &str, attribute: &str, url: &str) -> Result<(), String> {
    let allowed = |s: &str| policy.url_schemes_for(element, attribute).any(|a| a == s);
    match url_scheme(url) {
        Some(s) if allowed(&s) => Ok(()),
        Some(s) => Err(format!(
            "URL {url:?} in {element} {attribute} has scheme {s:?}, not allowed"
        )),
        None => match policy.relative_urls() {
            RelativeUrls::Pass => {
                let u = url_preprocess(url);
                let mut c = u.chars();
                let slash = |c: Option<char>| matches!(c, Some('/' | '\\'));
                if slash(c.next()) && slash(c.next()) && !(allowed("http") && allowed("https")) {
                    Err(format!("protocol-relative URL {url:?} without http+https"))
                } else {
                    Ok(())
                }
            }
            RelativeUrls::Deny => Err(format!("relative URL {url:?} under Deny")),
            RelativeUrls::Rewrite(_) => Err(format!("relative URL {url:?} survived Rewrite")),
            _ => Err(format!("relative URL {url:?} under an unknown rule")),
        },
    }
}

/// Every URL in an attribute value, split the way a browser splits it.
pub fn check_attribute_urls(
    policy: &Policy,
    element: &str,
    attribute: &str,
    value: &str,
) -> Result<(), String> {
    match url_kind(attribute) {
        None => Ok(()),
        Some(UrlKind::Single) => check_url(policy, element, attribute, value),
        Some(UrlKind::Tokens) => value
            .split(is_ascii_ws)
            .filter(|t| !t.is_empty())
            .try_for_each(|t| check_url(policy, element, attribute, t)),
        Some(UrlKind::Srcset) => srcset_urls(value)
            .iter()
            .try_for_each(|u| check_url(policy, element, attribute, u)),
    }
}

// ---------------------------------------------------------------------------
// CSS: a `style` attribute read with cssparser
// ---------------------------------------------------------------------------

/// A `style` attribute of `element` (a policy name): only allowed
/// properties, keyword-only values where `expect` restricts them, URLs as
/// [`check_url`] says for the element's `style`.
pub fn check_style(
    policy: &Policy,
    expect: &Expect,
    element: &str,
    style: &str,
) -> Result<(), String> {
    use cssparser::{
        AtRuleParser, CowRcStr, DeclarationParser, ParseError, Parser, ParserState,
        QualifiedRuleParser, RuleBodyItemParser, RuleBodyParser, Token,
    };
    struct Decls<'p> {
        policy: &'p Policy,
        expect: &'p Expect,
        element: &'p str,
        allowed: Vec<&'p str>,
        error: Option<String>,
    }
    /// The URLs in a value; blocks entered to a depth of 40.
    fn urls<'i>(
        p: &mut Parser<'i>,
        depth: usize,
        strings: bool,
        found: &mut Vec<String>,
    ) -> Result<(), String> {
        loop {
            let t = match p.next() {
                Ok(t) => t.clone(),
                Err(_) => return Ok(()),
            };
            match &t {
                Token::UnquotedUrl(u) => found.push(u.to_string()),
                Token::QuotedString(s) if strings => found.push(s.to_string()),
                Token::Function(_)
                | Token::ParenthesisBlock
                | Token::SquareBracketBlock
                | Token::CurlyBracketBlock => {
                    if depth > 40 {
                        return Err("CSS nested deeper than 40".into());
                    }
                    let inner = match &t {
                        Token::Function(n) => matches!(
                            &*n.to_ascii_lowercase(),
                            "url"
                                | "src"
                                | "image-set"
                                | "-webkit-image-set"
                                | "image"
                                | "cross-fade"
                                | "-webkit-cross-fade"
                        ),
                        _ => strings,
                    };
                    p.parse_nested_block(|q| {
                        urls(q, depth + 1, inner, found).map_err(|_| ParseError::<()>::custom(()))
                    })
                    .map_err(|_| "CSS nested deeper than 40".to_string())?;
                }
                _ => {}
            }
        }
    }
    /// A value made only of `keywords` (ASCII case-insensitive), optionally
    /// `!important`.
    fn keywords_only(p: &mut Parser<'_>, keywords: &[String]) -> Result<(), String> {
        let mut important = false;
        while let Ok(t) = p.next() {
            match t {
                Token::Ident(k)
                    if !important && keywords.iter().any(|w| k.eq_ignore_ascii_case(w)) => {}
                Token::Delim('!') if !important => important = true,
                Token::Ident(k) if important && k.eq_ignore_ascii_case("important") => {}
                other => return Err(format!("{other:?} is not one of the keywords {keywords:?}")),
            }
        }
        Ok(())
    }
    impl<'i> DeclarationParser<'i> for Decls<'_> {
        type Declaration = ();
        type Error = ();
        fn parse_value(
            &mut self,
            name: CowRcStr<'i>,
            input: &mut Parser<'i>,
            _: &ParserState,
        ) -> Result<(), ParseError<()>> {
            let lower = name.to_ascii_lowercase();
            if !self.allowed.contains(&lower.as_str()) {
                self.error
                    .get_or_insert(format!("CSS property {name:?} not allowed"));
            }
            if let Some((_, keywords)) = self.expect.style_values.iter().find(|(p, _)| *p == lower)
            {
                let start = input.state();
                if let Err(e) = keywords_only(input, keywords) {
                    self.error.get_or_insert(format!("in CSS {lower}: {e}"));
                }
                input.reset(&start);
            }
            let mut found = Vec::new();
            if let Err(e) = urls(input, 0, false, &mut found) {
                self.error.get_or_insert(e);
            }
            for u in found {
                if let Err(e) = check_url(self.policy, self.element, "style", &u) {
                    self.error.get_or_insert(format!("in CSS {lower}: {e}"));
                }
            }
            Ok(())
        }
    }
    impl<'i> AtRuleParser<'i> for Decls<'_> {
        type Prelude = ();
        type AtRule = ();
        type Error = ();
    }
    impl<'i> QualifiedRuleParser<'i> for Decls<'_> {
        type Prelude = ();
        type QualifiedRule = ();
        type Error = ();
    }
    impl<'i> RuleBodyItemParser<'i, (), ()> for Decls<'_> {
        fn parse_declarations(&self) -> bool {
            true
        }
        fn parse_qualified(&self) -> bool {
            false
        }
    }
    let mut d = Decls {
        policy,
        expect,
        element,
        allowed: policy.style_properties_for(element),
        error: None,
    };
    let mut input = Parser::new(style);
    for item in RuleBodyParser::new(&mut input, &mut d) {
        if item.is_err() {
            return Err(format!(
                "style {style:?}: an item that is not a declaration"
            ));
        }
    }
    match d.error {
        Some(e) => Err(format!("style {style:?} on {element}: {e}")),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// Conformance of the re-parsed tree
// ---------------------------------------------------------------------------

pub fn is_void_html(local: &str) -> bool {
    matches!(
        local,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

const SVG_ANIMATION: [&str; 5] = [
    "set",
    "animate",
    "animateTransform",
    "animateMotion",
    "animateColor",
];

/// Checks 1-3 on the re-parsed tree (and the depth cap, and comments).
pub fn check_tree(subject: &Subject, root: &Handle) -> Result<(), String> {
    let policy = &subject.policy;
    let mut stack: Vec<(Handle, usize)> = root
        .children
        .borrow()
        .iter()
        .map(|c| (c.clone(), 1))
        .collect();
    while let Some((node, depth)) = stack.pop() {
        match &node.data {
            NodeData::Element { name, attrs, .. } => {
                let Some(ns) = policy_ns(&name.ns) else {
                    return Err(format!(
                        "element {:?} in namespace {:?}",
                        name.local, name.ns
                    ));
                };
                let local = &*name.local;
                check_element(subject, ns, local, &attrs.borrow())?;
                if depth > policy.max_depth() {
                    return Err(format!(
                        "element {local} at depth {depth} > {}",
                        policy.max_depth()
                    ));
                }
                for c in node.children.borrow().iter() {
                    stack.push((c.clone(), depth + 1));
                }
            }
            NodeData::Text { .. } => {}
            NodeData::Comment { contents } => {
                if !subject.expect.comments {
                    return Err(format!("comment {:?} but comments are off", &**contents));
                }
            }
            NodeData::Document
            | NodeData::Doctype { .. }
            | NodeData::ProcessingInstruction { .. } => {
                return Err(format!("unexpected node {:?}", node.data));
            }
        }
    }
    Ok(())
}

/// One element and its attributes.
fn check_element(
    subject: &Subject,
    ns: Namespace,
    local: &str,
    attrs: &[html5ever::Attribute],
) -> Result<(), String> {
    let policy = &subject.policy;
    let expect = &subject.expect;
    if !policy.allows_element(ns, local) {
        return Err(format!("element {ns:?}:{local} not allowed"));
    }
    if matches!(ns, Namespace::Html | Namespace::Svg) && local.eq_ignore_ascii_case("script") {
        return Err(format!("{ns:?}:script in output"));
    }
    let element = policy_element_name(ns, local);
    let rewrite = matches!(policy.relative_urls(), RelativeUrls::Rewrite(_));
    let classes = expect.classes_for(&element);
    let mut names = Vec::with_capacity(attrs.len());
    for a in attrs {
        let Some(an) = attr_name(&a.name) else {
            return Err(format!(
                "attribute {:?} in namespace {:?}",
                a.name.local, a.name.ns
            ));
        };
        let value = &*a.value;
        if !policy.allows_attribute(ns, local, &an) {
            return Err(format!(
                "attribute {an}={value:?} on {ns:?}:{local} not allowed"
            ));
        }
        let lname = an.to_ascii_lowercase();
        if lname.starts_with("on") {
            return Err(format!("event handler {an} on {ns:?}:{local}"));
        }
        if lname == "style" {
            check_style(policy, expect, &element, value)?;
        }
        check_attribute_urls(policy, &element, &lname, value)
            .map_err(|e| format!("{ns:?}:{local} {an}: {e}"))?;
        if ns == Namespace::Svg && SVG_ANIMATION.contains(&local) && lname == "attributename" {
            let target = value.trim().to_ascii_lowercase();
            if target.ends_with("href") || url_kind(&target).is_some() {
                return Err(format!("svg {local} animates URL attribute {target:?}"));
            }
        }
        let forced = expect.forced(&element).find(|(fa, _)| *fa == lname);
        if let Some((_, v)) = forced {
            if value != v {
                return Err(format!(
                    "{an}={value:?} on {element}: the policy forces {v:?}"
                ));
            }
        }
        let prefixed = matches!(lname.as_str(), "id" | "name");
        if let (true, Some(p)) = (prefixed, policy.id_prefix()) {
            if !value.starts_with(p) {
                return Err(format!("{an}={value:?} on {element} lacks id prefix {p:?}"));
            }
        }
        if let (true, None, Some(classes)) = (lname == "class", forced, &classes) {
            if let Some(bad) = value
                .split(is_ascii_ws)
                .find(|c| !c.is_empty() && !classes.contains(c))
            {
                return Err(format!(
                    "class token {bad:?} on {element} not in the classes {classes:?}"
                ));
            }
        }
        // A value the policy itself writes (a rewritten URL, a prefixed id,
        // a filtered class list, a forced value) is not held to a value list.
        let rewritten = (rewrite && url_kind(&lname).is_some())
            || (prefixed && policy.id_prefix().is_some())
            || (lname == "class" && classes.is_some())
            || forced.is_some();
        if !rewritten {
            let rules = || {
                expect
                    .attribute_values
                    .iter()
                    .filter(|(_, at, _)| *at == lname)
            };
            let rule = rules()
                .find(|(e, _, _)| e.eq_ignore_ascii_case(&element))
                .or_else(|| rules().find(|(e, _, _)| e == "*"));
            if let Some((_, _, values)) = rule {
                if !values.iter().any(|v| v == value) {
                    return Err(format!(
                        "{an}={value:?} on {element} not in allowed values {values:?}"
                    ));
                }
            }
        }
        names.push((lname, value));
    }
    for (fa, v) in expect.forced(&element) {
        if !names.iter().any(|(n, _)| n == fa) {
            return Err(format!("{element} lacks the forced {fa}={v:?}"));
        }
    }
    if ns == Namespace::Html && matches!(local, "a" | "area") {
        let rel = names.iter().find(|(n, _)| n == "rel").map(|(_, v)| *v);
        if let Some(want) = policy.link_rel() {
            if rel != Some(want) {
                return Err(format!("<{local}> has rel {rel:?}, policy sets {want:?}"));
            }
        }
        // Forcing `target="_blank"` takes `noopener` with it (checked on
        // the forced settings, not on `link_rel()`, which already has it).
        let blank = expect
            .forced(&element)
            .any(|(a, v)| a == "target" && v.eq_ignore_ascii_case("_blank"));
        if blank && !rel.is_some_and(|r| r.split(is_ascii_ws).any(|t| t == "noopener")) {
            return Err(format!(
                "<{local} target=_blank> (forced) has rel {rel:?}, without noopener"
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------

fn escape_into(out: &mut String, text: &str, attr: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            '\u{feff}' => out.push_str("&#xFEFF;"),
            c => out.push(c),
        }
    }
}

/// Serialize the children of `root` with borax's documented escaping.
pub fn serialize_documented(root: &Handle) -> Result<String, String> {
    enum Op {
        Open(Handle),
        Close(String),
    }
    let mut out = String::new();
    let mut ops: Vec<Op> = root
        .children
        .borrow()
        .iter()
        .rev()
        .map(|c| Op::Open(c.clone()))
        .collect();
    while let Some(op) = ops.pop() {
        let node = match op {
            Op::Close(name) => {
                out.push_str("</");
                out.push_str(&name);
                out.push('>');
                continue;
            }
            Op::Open(n) => n,
        };
        match &node.data {
            NodeData::Element { name, attrs, .. } => {
                out.push('<');
                out.push_str(&name.local);
                for a in attrs.borrow().iter() {
                    out.push(' ');
                    out.push_str(&attr_name(&a.name).ok_or("attribute in unknown namespace")?);
                    out.push_str("=\"");
                    escape_into(&mut out, &a.value, true);
                    out.push('"');
                }
                out.push('>');
                let html = name.ns == ns!(html);
                if html && is_void_html(&name.local) {
                    continue;
                }
                if html && matches!(&*name.local, "pre" | "listing" | "textarea") {
                    if let Some(first) = node.children.borrow().first() {
                        if let NodeData::Text { contents } = &first.data {
                            if contents.borrow().starts_with('\n') {
                                out.push('\n');
                            }
                        }
                    }
                }
                ops.push(Op::Close(name.local.to_string()));
                for c in node.children.borrow().iter().rev() {
                    ops.push(Op::Open(c.clone()));
                }
            }
            NodeData::Text { contents } => escape_into(&mut out, &contents.borrow(), false),
            NodeData::Comment { contents } => {
                out.push_str("<!--");
                out.push_str(contents);
                out.push_str("-->");
            }
            NodeData::Document
            | NodeData::Doctype { .. }
            | NodeData::ProcessingInstruction { .. } => {
                return Err(format!("cannot serialize {:?}", node.data));
            }
        }
    }
    Ok(out)
}

/// Structural dump: one line per node, indented by depth. CR is read as LF;
/// with `strip_pre_lf`, one leading LF of the first text child of
/// `pre`/`listing`/`textarea` is dropped (the parser eats it on the way back).
pub fn dump(root: &Handle, strip_pre_lf: bool) -> String {
    let mut out = String::new();
    let mut stack: Vec<(Handle, usize, bool)> = root
        .children
        .borrow()
        .iter()
        .rev()
        .map(|c| (c.clone(), 0, false))
        .collect();
    while let Some((node, depth, first_in_pre)) = stack.pop() {
        let indent = "  ".repeat(depth);
        match &node.data {
            NodeData::Element { name, attrs, .. } => {
                let mut a: Vec<String> = attrs
                    .borrow()
                    .iter()
                    .map(|a| format!("{:?}:{}={:?}", a.name.ns, a.name.local, crlf(&a.value)))
                    .collect();
                a.sort();
                let _ = writeln!(
                    out,
                    "{indent}<{:?} {}> {}",
                    name.ns,
                    name.local,
                    a.join(" ")
                );
                let pre = strip_pre_lf
                    && name.ns == ns!(html)
                    && matches!(&*name.local, "pre" | "listing" | "textarea");
                for (i, c) in node.children.borrow().iter().enumerate().rev() {
                    stack.push((c.clone(), depth + 1, pre && i == 0));
                }
            }
            NodeData::Text { contents } => {
                let t = crlf(&contents.borrow());
                let t = if first_in_pre {
                    t.strip_prefix('\n').unwrap_or(&t).to_owned()
                } else {
                    t
                };
                if !t.is_empty() {
                    let _ = writeln!(out, "{indent}#text {t:?}");
                }
            }
            NodeData::Comment { contents } => {
                let _ = writeln!(out, "{indent}#comment {:?}", crlf(contents));
            }
            other => {
                let _ = writeln!(out, "{indent}?? {other:?}");
            }
        }
    }
    out
}

/// The input stream's newline normalisation: CR LF and lone CR become LF.
fn crlf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn html5ever_serialize(root: &Handle) -> String {
    let mut buf = Vec::new();
    let opts = SerializeOpts {
        traversal_scope: TraversalScope::ChildrenOnly(None),
        ..SerializeOpts::default()
    };
    serialize(&mut buf, &SerializableHandle::from(root.clone()), opts).expect("serialize to Vec");
    String::from_utf8(buf).expect("html5ever writes UTF-8")
}

/// The dump of `html` re-parsed (for messages).
pub fn dump_html(html: &str) -> String {
    let dom = parse_rc(html);
    match fragment_root(&dom) {
        Ok(root) => dump(&root, false),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------
// The checks, together
// ---------------------------------------------------------------------------

/// Checks 1-3 and 5 for one output.
pub fn check_output_tree(subject: &Subject, out: &str) -> Result<(), String> {
    let dom = parse_rc(out);
    let root = fragment_root(&dom)?;
    check_tree(subject, &root)?;
    let again = serialize_documented(&root)?;
    if again != out {
        return Err(format!("round trip: serialize(parse(out)) = {again:?}"));
    }
    let a = dump(&root, true);
    let reser = html5ever_serialize(&root);
    let dom2 = parse_rc(&reser);
    let b = dump(&fragment_root(&dom2)?, false);
    if a != b {
        return Err(format!(
            "html5ever-serializer round trip changes the tree: reserialized {reser:?}\nbefore:\n{a}after:\n{b}"
        ));
    }
    Ok(())
}

/// Checks 6 (the bound) and 4 (idempotence, for outputs within the input
/// limit).
pub fn check_bound_and_idempotence(
    subject: &Subject,
    input: &str,
    out: &str,
) -> Result<(), String> {
    let policy = &subject.policy;
    if out.len() > len_bound(input.len(), policy) {
        return Err(format!(
            "length: output {} bytes for input {} bytes (bound {})",
            out.len(),
            input.len(),
            len_bound(input.len(), policy)
        ));
    }
    if subject.idempotent && out.len() <= policy.max_input_bytes() {
        match policy.try_clean(out) {
            Ok(again) if again == out => {}
            Ok(again) => {
                let (d1, d2) = (dump_html(out), dump_html(&again));
                let trees = if d1 == d2 {
                    "(equal trees)".to_owned()
                } else {
                    format!("tree(out):\n{d1}tree(clean(out)):\n{d2}")
                };
                return Err(format!("idempotence: clean(out) = {again:?}\n{trees}"));
            }
            Err(e) => return Err(format!("idempotence: clean(out) failed: {e}")),
        }
    }
    Ok(())
}

/// Check 7: `clean_to` and `clean_with_report` write `out` too.
pub fn check_entry_points(policy: &Policy, input: &str, out: &str) -> Result<(), String> {
    let mut buf = Vec::new();
    match policy.clean_to(input, &mut buf) {
        Ok(()) if buf == out.as_bytes() => {}
        other => {
            return Err(format!(
                "clean_to differs from try_clean: {other:?} {:?}",
                String::from_utf8_lossy(&buf)
            ))
        }
    }
    match policy.clean_with_report(input) {
        Ok((o, _)) if o == out => Ok(()),
        other => Err(format!(
            "clean_with_report differs from try_clean: {other:?}"
        )),
    }
}

/// Everything for `out = try_clean(input)`.
pub fn check_cleaned(subject: &Subject, input: &str, out: &str) -> Result<(), String> {
    check_bound_and_idempotence(subject, input, out)?;
    check_entry_points(&subject.policy, input, out)?;
    check_output_tree(subject, out)
}

/// Everything for one (policy, input): returns the output or the broken
/// invariant (a cleaning error is one too).
pub fn check_all(subject: &Subject, input: &str) -> Result<String, String> {
    let out = subject
        .policy
        .try_clean(input)
        .map_err(|e| format!("try_clean failed: {e}"))?;
    check_cleaned(subject, input, &out)?;
    Ok(out)
}

pub fn describe(subject: &Subject, input: &str, out: &str, why: &str) -> String {
    format!(
        "invariant broken under {}:\n  input:  {input:?}\n  output: {out:?}\n  why:    {why}\n  policy: {:?}",
        subject.label, subject.policy
    )
}
