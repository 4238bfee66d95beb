//! CSS in `style` attributes: only the declarations of allowed properties
//! whose values pass, re-serialised.
//!
//! The value of a `style` attribute is a CSS declaration list. It is parsed
//! with `cssparser` (CSS Syntax Level 3, the parser of servo and ammonia):
//! at-rules (`@import`, `@media {…}`) and anything that is not a
//! declaration are skipped the way a browser skips them, and each
//! declaration is judged on the *decoded* tokens (escapes resolved:
//! `col\6f r` is `color`, `url(\6a avascript:x)` is a `javascript:` URL):
//!
//! * **Name**: matched ASCII case-insensitively against the policy's list
//!   for the element, and written lowercase, as listed.
//! * **Value**: every token must be one a property value can hold:
//!   identifiers, numbers, percentages, dimensions, hashes, strings,
//!   `url()`, delimiters, commas, colons, `()` and `[]` blocks, and
//!   functions from [`PLAIN_FUNCTIONS`], [`URL_FUNCTIONS`] and
//!   [`IMAGE_FUNCTIONS`]. Anything else drops the declaration: other
//!   functions (`expression()`, `var()`, `env()`, `attr()`: a substituted
//!   value is never judged), `{}` blocks, at-keywords, `;` inside a block,
//!   `!` other than a final `!important`, a lone `\`, `<!--`/`-->`, bad
//!   strings and URLs, strings, URLs and blocks left open at the end of
//!   the attribute, and blocks nested deeper than [`MAX_NESTING`].
//! * **URLs**: `url(…)` in either form, the string of `src("…")`, and the
//!   strings directly inside `image-set()`, `image()` and `cross-fade()`
//!   pass [`crate::url::check`] with the schemes and relative-URL rule of
//!   the element's `style` attribute, and are written as `url("…")` (or a
//!   string), the URL as checked (or as rewritten against the base).
//! * **Keywords**: a property with a keyword list
//!   ([`crate::PolicyBuilder::style_property_values`]) may only hold those
//!   identifiers, written lowercase.
//!
//! The output is `name:value;name:value`, `!important` written as
//! ` !important`. Each token is written as it was in the input when that
//! text has no escape in it (it then reads back as the very token judged),
//! or else re-serialised from its decoded value; whitespace runs and
//! comments become one space (none at the start or end of a value or
//! block). So the output reads back as the declarations judged, and
//! filtering it again gives it back.
//!
//! The walk is iterative: each block's contents get a parser of their own
//! on an explicit stack (the blocks of cssparser's own parser are entered
//! through closures, so recursion would follow the input's nesting). A
//! block is scanned once by each enclosing level, so the work is at most
//! `MAX_NESTING + 1` passes over the attribute.

use cssparser::{
    serialize_identifier, serialize_name, serialize_string, AtRuleParser, CowRcStr,
    DeclarationParser, ParseError, Parser, ParserState, QualifiedRuleParser, RuleBodyItemParser,
    RuleBodyParser, ToCss, Token,
};
use html5ever::local_name;

use crate::policy::{Compiled, Key};
use crate::url::{self, Verdict};

/// Deepest nesting of blocks and functions kept in a value: a declaration
/// whose value nests deeper is dropped.
pub(crate) const MAX_NESTING: usize = 16;

/// Functions whose strings are not URLs and that hold no URL themselves:
/// colours, math, gradients, transforms, filters, easing, grid, shapes,
/// counters. A function not listed (here or below) drops its declaration.
pub(crate) const PLAIN_FUNCTIONS: &[&str] = &[
    "abs",
    "acos",
    "asin",
    "atan",
    "atan2",
    "blur",
    "brightness",
    "calc",
    "circle",
    "clamp",
    "color",
    "color-mix",
    "color-stop",
    "conic-gradient",
    "contrast",
    "cos",
    "counter",
    "counters",
    "cubic-bezier",
    "drop-shadow",
    "ellipse",
    "exp",
    "fit-content",
    "from",
    "grayscale",
    "hsl",
    "hsla",
    "hue-rotate",
    "hwb",
    "hypot",
    "inset",
    "invert",
    "lab",
    "lch",
    "light-dark",
    "linear",
    "linear-gradient",
    "log",
    "matrix",
    "matrix3d",
    "max",
    "min",
    "minmax",
    "mod",
    "oklab",
    "oklch",
    "opacity",
    "path",
    "perspective",
    "polygon",
    "pow",
    "radial-gradient",
    "rect",
    "rem",
    "repeat",
    "repeating-conic-gradient",
    "repeating-linear-gradient",
    "repeating-radial-gradient",
    "rgb",
    "rgba",
    "rotate",
    "rotate3d",
    "rotatex",
    "rotatey",
    "rotatez",
    "round",
    "saturate",
    "scale",
    "scale3d",
    "scalex",
    "scaley",
    "scalez",
    "sepia",
    "sign",
    "sin",
    "skew",
    "skewx",
    "skewy",
    "sqrt",
    "steps",
    "symbols",
    "tan",
    "to",
    "translate",
    "translate3d",
    "translatex",
    "translatey",
    "translatez",
    "type",
    "xywh",
    "-webkit-gradient",
    "-webkit-linear-gradient",
    "-webkit-radial-gradient",
    "-webkit-repeating-linear-gradient",
    "-webkit-repeating-radial-gradient",
];

/// Functions that hold one URL, as a string: `url("…")`, `src("…")`.
pub(crate) const URL_FUNCTIONS: &[&str] = &["url", "src"];

/// Functions whose strings are image URLs.
pub(crate) const IMAGE_FUNCTIONS: &[&str] = &[
    "cross-fade",
    "image",
    "image-set",
    "-webkit-cross-fade",
    "-webkit-image-set",
];

/// Is `name` a CSS identifier borax accepts as a property name or keyword
/// in a policy: ASCII letters, digits, `-` and `_`, starting with a letter
/// or `_` after an optional `-` (vendor prefixes), or `--` and a name
/// (custom properties, which [`refusal`] then refuses).
pub(crate) fn valid_name(name: &str) -> bool {
    let name_char = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_');
    let bytes = name.as_bytes();
    if let Some(rest) = bytes.strip_prefix(b"--") {
        return !rest.is_empty() && rest.iter().all(name_char);
    }
    let rest = bytes.strip_prefix(b"-").unwrap_or(bytes);
    rest.first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && rest.iter().all(name_char)
}

/// Why a CSS property (lowercase) can never be allowed, or `None`.
pub(crate) fn refusal(property: &str) -> Option<&'static str> {
    Some(match property {
        p if p.starts_with("--") => {
            "custom properties feed `var()` in the page's own style sheets, \
             with values nobody judged"
        }
        "behavior" | "-ms-behavior" => {
            "it loads an HTML component that runs script (Internet Explorer)"
        }
        "-moz-binding" => "it loads an XBL binding that runs script (old Firefox)",
        "-o-link" | "-o-link-source" => "it turns an element into a link (old Opera)",
        _ => return None,
    })
}

/// The declarations of `style` that the policy allows on element `key`,
/// as `name:value;name:value` (empty when none is left).
///
/// Each declaration written is filtered again on its own and kept only if
/// that gives it back: a fixed point by construction, whatever corner of
/// the serialisation a future input finds (the tests check that the
/// unchecked filter is idempotent too).
pub(crate) fn filter(style: &str, policy: &Compiled, key: &Key) -> String {
    filter_with(style, policy, key, true)
}

fn filter_with(style: &str, policy: &Compiled, key: &Key, verify: bool) -> String {
    let mut out = String::with_capacity(style.len());
    let mut input = Parser::new(style);
    let mut declarations = Declarations {
        policy,
        key,
        schemes: policy.schemes_for(key, &local_name!("style")),
        verify,
        out: &mut out,
    };
    for item in RuleBodyParser::new(&mut input, &mut declarations) {
        // Errors are declarations (or rules) left out.
        let _ = item;
    }
    out
}

/// The declaration list parser: writes each kept declaration to `out`.
struct Declarations<'p, 'o> {
    policy: &'p Compiled,
    key: &'p Key,
    schemes: &'p [String],
    /// Check each declaration written (see [`filter`]).
    verify: bool,
    out: &'o mut String,
}

impl<'i> DeclarationParser<'i> for Declarations<'_, '_> {
    type Declaration = ();
    type Error = ();

    fn parse_value(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
        _start: &ParserState,
    ) -> Result<(), ParseError<()>> {
        let property = name.to_ascii_lowercase();
        if refusal(&property).is_some() || !self.policy.style_property_allowed(self.key, &property)
        {
            return Err(ParseError::custom(()));
        }
        let mark = self.out.len();
        if mark > 0 {
            self.out.push(';');
        }
        self.out.push_str(&property);
        self.out.push(':');
        let value = Value {
            policy: self.policy,
            schemes: self.schemes,
            keywords: self.policy.style_keywords(&property),
        };
        let written = value.write(input, self.out).and_then(|()| {
            if !self.verify {
                return Ok(());
            }
            let declaration = &self.out[mark + usize::from(mark > 0)..];
            if filter_with(declaration, self.policy, self.key, false) == declaration {
                Ok(())
            } else {
                Err(Drop)
            }
        });
        written.map_err(|Drop| {
            self.out.truncate(mark);
            ParseError::custom(())
        })
    }
}

/// At-rules are dropped (the default methods refuse every one).
impl<'i> AtRuleParser<'i> for Declarations<'_, '_> {
    type Prelude = ();
    type AtRule = ();
    type Error = ();
}

/// Nested rules are dropped (never parsed as such: see `parse_qualified`).
impl<'i> QualifiedRuleParser<'i> for Declarations<'_, '_> {
    type Prelude = ();
    type QualifiedRule = ();
    type Error = ();
}

impl<'i> RuleBodyItemParser<'i, (), ()> for Declarations<'_, '_> {
    fn parse_declarations(&self) -> bool {
        true
    }

    fn parse_qualified(&self) -> bool {
        false
    }
}

/// The declaration is left out.
#[derive(Debug, PartialEq, Eq)]
struct Drop;

/// What a block's strings are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Anything allowed; strings are URLs when `urls` says so.
    Plain,
    /// `url("…")`, `src("…")`: one string, a URL, and nothing else.
    Url,
}

/// An open block or function whose contents are being written.
struct Frame<'i> {
    /// A parser of its own over the contents.
    parser: Parser<'i>,
    kind: Kind,
    /// Strings directly in it are URLs.
    urls: bool,
    /// The string of a `Kind::Url` block was seen.
    seen: bool,
    close: char,
}

/// Writes tokens with the spacing rules of the module docs.
struct Writer<'o> {
    out: &'o mut String,
    /// Whitespace or a comment since the last token.
    space: bool,
    /// Nothing written yet in this value or block.
    fresh: bool,
}

impl Writer<'_> {
    /// Start a token: the space before it, if any.
    fn start(&mut self) -> &mut String {
        if self.space && !self.fresh {
            self.out.push(' ');
        }
        self.space = false;
        self.fresh = false;
        self.out
    }

    fn push(&mut self, text: &str) {
        self.start().push_str(text);
    }

    fn open(&mut self, text: &str) {
        self.push(text);
        self.fresh = true;
    }

    fn close(&mut self, c: char) {
        self.space = false;
        self.fresh = false;
        self.out.push(c);
    }
}

/// One declaration's value.
struct Value<'p> {
    policy: &'p Compiled,
    schemes: &'p [String],
    keywords: Option<&'p [String]>,
}

impl Value<'_> {
    /// Write the value read from `input` (the tokens after the colon, up
    /// to the `;`) to `out`, or say why the declaration goes.
    fn write<'i>(&self, input: &mut Parser<'i>, out: &mut String) -> Result<(), Drop> {
        let value_start = out.len();
        let mut w = Writer {
            out,
            space: false,
            fresh: true,
        };
        let mut stack: Vec<Frame<'i>> = Vec::new();
        // `!` seen at the top level; then `important` was.
        let mut bang = false;
        let mut important = false;
        loop {
            let (kind, urls) = stack
                .last()
                .map_or((Kind::Plain, false), |f| (f.kind, f.urls));
            let depth = stack.len();
            let top = depth == 0;
            let p: &mut Parser<'i> = match stack.last_mut() {
                Some(f) => &mut f.parser,
                None => &mut *input,
            };
            let start = p.position();
            let token = match p.next_including_whitespace_and_comments() {
                Ok(t) => t.clone(),
                Err(_) => {
                    // The end of this block, or of the value.
                    match stack.pop() {
                        None => break,
                        Some(f) => {
                            if f.kind == Kind::Url && !f.seen {
                                return Err(Drop);
                            }
                            w.close(f.close);
                            continue;
                        }
                    }
                }
            };
            if matches!(token, Token::WhiteSpace(_) | Token::Comment(_)) {
                w.space = true;
                continue;
            }
            if important {
                return Err(Drop);
            }
            if bang {
                if matches!(&token, Token::Ident(i) if i.eq_ignore_ascii_case("important")) {
                    important = true;
                    continue;
                }
                return Err(Drop);
            }
            if top && token == Token::Delim('!') {
                bang = true;
                continue;
            }
            let raw = p.slice_from(start);
            if let Some(keywords) = self.keywords {
                // Only the listed keywords (and never a block: `top` holds).
                let Token::Ident(i) = &token else {
                    return Err(Drop);
                };
                let k = i.to_ascii_lowercase();
                if !keywords.contains(&k) {
                    return Err(Drop);
                }
                w.push(&k);
                continue;
            }
            if kind == Kind::Url && !matches!(token, Token::QuotedString(_)) {
                return Err(Drop);
            }
            match &token {
                Token::QuotedString(s) => {
                    if !terminated(raw, raw.chars().next().unwrap_or('"')) {
                        return Err(Drop);
                    }
                    if kind == Kind::Url {
                        let f = stack.last_mut().ok_or(Drop)?;
                        if f.seen {
                            return Err(Drop);
                        }
                        f.seen = true;
                        self.url(s, w.start())?;
                    } else if urls {
                        self.url(s, w.start())?;
                    } else {
                        self.raw_or(raw, &token, &mut w)?;
                    }
                }
                Token::UnquotedUrl(u) => {
                    if !terminated(raw, ')') {
                        return Err(Drop);
                    }
                    let o = w.start();
                    o.push_str("url(");
                    self.url(u, o)?;
                    o.push(')');
                }
                Token::Function(name) => {
                    let lower = name.to_ascii_lowercase();
                    let (kind, urls, text) = if URL_FUNCTIONS.contains(&lower.as_str()) {
                        (Kind::Url, true, None)
                    } else if IMAGE_FUNCTIONS.contains(&lower.as_str()) {
                        (Kind::Plain, true, None)
                    } else if PLAIN_FUNCTIONS.contains(&lower.as_str()) {
                        (Kind::Plain, false, Some(raw))
                    } else {
                        return Err(Drop);
                    };
                    let contents = enter(p, depth)?;
                    match text {
                        Some(raw) if !needs_serialising(raw) => w.open(raw),
                        _ => {
                            let o = w.start();
                            serialize_identifier(&lower, o).map_err(|_| Drop)?;
                            o.push('(');
                            w.fresh = true;
                        }
                    }
                    stack.push(Frame {
                        parser: Parser::new(contents),
                        kind,
                        urls,
                        seen: false,
                        close: ')',
                    });
                }
                Token::ParenthesisBlock | Token::SquareBracketBlock => {
                    let (open, close) = if token == Token::ParenthesisBlock {
                        ("(", ')')
                    } else {
                        ("[", ']')
                    };
                    let contents = enter(p, depth)?;
                    w.open(open);
                    stack.push(Frame {
                        parser: Parser::new(contents),
                        kind: Kind::Plain,
                        // `image-set(("a.png") 1x)` is not valid CSS; its
                        // string is judged as a URL all the same.
                        urls,
                        seen: false,
                        close,
                    });
                }
                // `--` alone would read back as `-->` with a `>` after it.
                Token::Ident(i) if needs_serialising(raw) && **i == *"--" => w.push("-\\-"),
                Token::Ident(_) | Token::Hash(_) | Token::IDHash(_) => {
                    self.raw_or(raw, &token, &mut w)?;
                }
                Token::Number { .. } | Token::Percentage { .. } => w.push(raw),
                Token::Dimension { unit, .. } => {
                    if needs_serialising(raw) {
                        dimension(raw, unit, w.start())?;
                    } else {
                        w.push(raw);
                    }
                }
                Token::Delim(c) => {
                    if matches!(c, '\\' | '!') {
                        return Err(Drop);
                    }
                    let mut b = [0; 4];
                    w.push(c.encode_utf8(&mut b));
                }
                Token::Comma => w.push(","),
                Token::Colon => w.push(":"),
                Token::WhiteSpace(_)
                | Token::Comment(_)
                | Token::Semicolon
                | Token::AtKeyword(_)
                | Token::CurlyBracketBlock
                | Token::IncludeMatch
                | Token::DashMatch
                | Token::PrefixMatch
                | Token::SuffixMatch
                | Token::SubstringMatch
                | Token::CDO
                | Token::CDC
                | Token::BadUrl(_)
                | Token::BadString(_)
                | Token::CloseParenthesis
                | Token::CloseSquareBracket
                | Token::CloseCurlyBracket => return Err(Drop),
            }
        }
        if bang && !important {
            return Err(Drop);
        }
        if w.out.len() == value_start {
            return Err(Drop);
        }
        if important {
            w.out.push_str(" !important");
        }
        Ok(())
    }

    /// Check a URL from the CSS (decoded) and write it as a CSS string.
    fn url(&self, value: &str, out: &mut String) -> Result<(), Drop> {
        match url::check(
            value,
            self.schemes,
            &self.policy.relative_urls,
            self.policy.base.as_ref(),
        ) {
            Verdict::Keep(v) => serialize_string(&v, out).map_err(|_| Drop),
            Verdict::BadScheme | Verdict::Relative => Err(Drop),
        }
    }

    /// The token as written in the input when that has no escape, else
    /// re-serialised.
    fn raw_or(&self, raw: &str, token: &Token<'_>, w: &mut Writer<'_>) -> Result<(), Drop> {
        if needs_serialising(raw) {
            token.to_css(w.start()).map_err(|_| Drop)
        } else {
            w.push(raw);
            Ok(())
        }
    }
}

/// Enter the block whose opening token `p` just returned: the text of its
/// contents, if it is closed and not nested too deep (`depth` blocks are
/// open around it).
fn enter<'i>(p: &mut Parser<'i>, depth: usize) -> Result<&'i str, Drop> {
    if depth >= MAX_NESTING {
        return Err(Drop);
    }
    // Skip the contents at this level (nested blocks are skipped by the
    // parser, iteratively); where they end is where the contents do.
    let range = p
        .parse_nested_block(|inner| {
            let start = inner.position();
            while inner.next_including_whitespace_and_comments().is_ok() {}
            Ok::<_, ParseError<()>>((start, inner.position()))
        })
        .map_err(|_| Drop)?;
    let (start, end) = range;
    // The parser is now past the closing token, or at the end of the input.
    if p.slice(end..p.position()).is_empty() {
        return Err(Drop);
    }
    Ok(p.slice(start..end))
}

/// Does the token text hold something a plain copy would not read back as
/// the decoded token: an escape, or a NUL (read as U+FFFD)?
fn needs_serialising(raw: &str) -> bool {
    raw.contains(['\\', '\0'])
}

/// Does the string or URL token `raw` end with its closing `close`, not
/// escaped (a string or URL left open at the end of the input does not)?
fn terminated(raw: &str, close: char) -> bool {
    let Some(body) = raw.strip_suffix(close) else {
        return false;
    };
    // A string's opening quote is not its closing one.
    if close != ')' && body.is_empty() {
        return false;
    }
    let backslashes = body.bytes().rev().take_while(|&b| b == b'\\').count();
    backslashes % 2 == 0
}

/// A dimension whose unit has an escape: the number as written, the unit
/// re-serialised. A unit starting with `e` is escaped so that it is not
/// read as an exponent (`1\65 3px`, unit `e3px`, would otherwise read back
/// as `1e3px`); cssparser's own serialisation misses `E` followed by a
/// digit.
fn dimension(raw: &str, unit: &str, out: &mut String) -> Result<(), Drop> {
    out.push_str(&raw[..numeric_prefix(raw)]);
    let mut chars = unit.chars();
    match chars.next() {
        Some(c @ ('e' | 'E')) => {
            out.push_str(if c == 'e' { "\\65 " } else { "\\45 " });
            serialize_name(chars.as_str(), out).map_err(|_| Drop)
        }
        _ => serialize_identifier(unit, out).map_err(|_| Drop),
    }
}

/// Length of the number at the start of `raw`:
/// `[+-]? digits* (. digits+)? ([eE] [+-]? digits+)?`, as CSS reads it.
fn numeric_prefix(raw: &str) -> usize {
    let b = raw.as_bytes();
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    i = digits(i);
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        if b.get(i + 1 + sign).is_some_and(u8::is_ascii_digit) {
            i = digits(i + 1 + sign);
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Namespace;
    use crate::{Policy, RelativeUrls};
    use html5ever::LocalName;
    use proptest::prelude::*;

    fn span() -> Key {
        (Namespace::Html, LocalName::from("span"))
    }

    fn policy(properties: &[&str]) -> Policy {
        Policy::builder()
            .element("span", ["style"])
            .style_properties(properties.iter().copied())
            .build()
            .unwrap()
    }

    /// Filter `style` on a `span`, and check that filtering the result
    /// again gives it back.
    fn f(p: &Policy, style: &str) -> String {
        let out = filter(style, &p.inner, &span());
        assert_eq!(
            filter(&out, &p.inner, &span()),
            out,
            "not idempotent: {style:?}"
        );
        out
    }

    const ALL: &[&str] = &[
        "color",
        "background",
        "background-image",
        "width",
        "margin",
        "content",
        "font-family",
        "transform",
        "text-align",
    ];

    #[test]
    fn ammonias_three_bugs_are_not_copied() {
        let p = policy(ALL);
        // Nested functions are kept whole (ammonia: `color:rgb(calc(, 0, 0)`).
        assert_eq!(
            f(&p, "color: rgb(calc(1 + 2), 0, 0)"),
            "color:rgb(calc(1 + 2), 0, 0)"
        );
        // Names are case-insensitive (ammonia: `style=""`).
        assert_eq!(f(&p, "COLOR: red"), "color:red");
        assert_eq!(f(&p, "Text-Align: center"), "text-align:center");
        // `!important` (ammonia: `! important`).
        assert_eq!(f(&p, "color: red !important"), "color:red !important");
        assert_eq!(f(&p, "color:red!IMPORTANT"), "color:red !important");
        assert_eq!(
            f(&p, "color: red ! /* c */ important "),
            "color:red !important"
        );
    }

    #[test]
    fn only_listed_properties_in_input_order() {
        let p = policy(&["color", "width"]);
        assert_eq!(
            f(&p, "width: 1px; position: fixed; color: red; color: blue"),
            "width:1px;color:red;color:blue"
        );
        assert_eq!(f(&p, "position: fixed; z-index: 99"), "");
        assert_eq!(f(&p, ";;; color : red ;;"), "color:red");
        // Malformed declarations go, the next one stays (CSS 2.1 rules).
        assert_eq!(f(&p, "color; color: red"), "color:red");
        assert_eq!(f(&p, "color:; color: red"), "color:red");
        assert_eq!(f(&p, "color{;color:maroon}; color: red"), "color:red");
        assert_eq!(f(&p, "*color: red; color: blue"), "color:blue");
        assert_eq!(f(&p, "color red; width: 2px"), "width:2px");
    }

    #[test]
    fn escapes_are_decoded_then_judged() {
        let p = policy(ALL);
        assert_eq!(f(&p, r"col\6f r: red"), "color:red");
        assert_eq!(f(&p, r"c\olor: red"), "color:red");
        assert_eq!(f(&p, r"color: r\65 d"), "color:red");
        assert_eq!(f(&p, r"background: url(\6a avascript:alert(1))"), "");
        assert_eq!(f(&p, r"background: url('\6a avascript:alert(1)')"), "");
        assert_eq!(f(&p, r"background: u\72l(javascript:alert(1))"), "");
        assert_eq!(f(&p, r"background: \75rl('javascript:alert(1)')"), "");
        assert_eq!(f(&p, r"background: url(java\09script:alert(1))"), "");
        // What is written is what was judged: escapes come out re-serialised.
        assert_eq!(f(&p, r#"content: '\61\"'"#), r#"content:"a\"""#);
        assert_eq!(f(&p, r"font-family: \31 23"), r"font-family:\31 23");
        // A backslash before a newline is not an escape: never written. At
        // the end it escapes the end of input, read as U+FFFD.
        assert_eq!(f(&p, "color: red \\\n"), "");
        assert_eq!(f(&p, "color: red \\"), "color:red \u{FFFD}");
        // Function names are decoded too.
        assert_eq!(f(&p, r"width: c\61lc(1px + 2px)"), "width:calc(1px + 2px)");
        assert_eq!(f(&p, r"width: expr\65ssion(alert(1))"), "");
    }

    #[test]
    fn dimension_units_that_look_like_exponents() {
        let p = policy(ALL);
        assert_eq!(f(&p, r"width: 1\65 3px"), r"width:1\65 3px");
        assert_eq!(f(&p, r"width: 1\45 3px"), r"width:1\45 3px");
        assert_eq!(f(&p, r"width: 100\45 1m"), r"width:100\45 1m");
        assert_eq!(f(&p, r"width: 2\70 x"), "width:2px");
        assert_eq!(f(&p, r"width: -1.5e2\70 x"), "width:-1.5e2px");
        assert_eq!(numeric_prefix("-1.5e+2px"), 7);
        assert_eq!(numeric_prefix("1.e3"), 1);
        assert_eq!(numeric_prefix(".5em"), 2);
    }

    #[test]
    fn urls_pass_the_attribute_rules() {
        let p = policy(ALL);
        for (input, output) in [
            (
                "background: url(https://e.org/a.png)",
                r#"background:url("https://e.org/a.png")"#,
            ),
            (
                "background: url( 'https://e.org/a.png' ) no-repeat",
                r#"background:url("https://e.org/a.png") no-repeat"#,
            ),
            ("background: url(  /a.png  )", r#"background:url("/a.png")"#),
            ("background: url(a.png)", r#"background:url("a.png")"#),
            (
                r#"background-image: image-set("a.png" 1x, url(b.png) 2x)"#,
                r#"background-image:image-set("a.png" 1x, url("b.png") 2x)"#,
            ),
            (
                r#"background-image: -webkit-image-set("a.png" 1x)"#,
                r#"background-image:-webkit-image-set("a.png" 1x)"#,
            ),
            (
                r#"background-image: image-set("a.avif" type("image/avif"))"#,
                r#"background-image:image-set("a.avif" type("image/avif"))"#,
            ),
            (r#"background: src("a.png")"#, r#"background:src("a.png")"#),
            // Strings elsewhere are not URLs.
            (
                r#"content: "javascript:alert(1)""#,
                r#"content:"javascript:alert(1)""#,
            ),
        ] {
            assert_eq!(f(&p, input), output, "{input}");
        }
        for bad in [
            "background: url(javascript:alert(1))",
            "background: url(JaVaScRiPt:alert(1))",
            "background: url(' javascript:alert(1)')",
            "background: url(\"java\\\nscript:alert(1)\")",
            "background: url(vbscript:x)",
            "background: url(data:image/png;base64,AAAA)",
            "background-image: image-set(\"javascript:x\" 1x)",
            "background-image: image-set((\"javascript:x\") 1x)",
            "background-image: cross-fade(url(a.png), \"javascript:x\", 50%)",
            "background: src(\"javascript:x\")",
            "background: url(x y)",
            "background: url(\"a\" \"b\")",
            "background: url(\"a\" x)",
            "background: src()",
            "background: src(a)",
            "background: url(a",
            "background: url(a\\)",
            "background: url('a",
            "background: url('a'",
            "background: url(//evil.example/x)",
        ] {
            let q = Policy::builder()
                .element("span", ["style"])
                .style_properties(ALL.iter().copied())
                .url_schemes(["https"])
                .build()
                .unwrap();
            assert_eq!(f(&q, bad), "", "{bad}");
        }
        // Relative URLs: as the policy says, for the `style` attribute.
        let deny = Policy::builder()
            .element("span", ["style"])
            .style_properties(["background"])
            .relative_urls(RelativeUrls::Deny)
            .build()
            .unwrap();
        assert_eq!(f(&deny, "background: url(a.png)"), "");
        assert_eq!(
            f(&deny, "background: url(https://e.org/)"),
            r#"background:url("https://e.org/")"#
        );
        let rewrite = Policy::builder()
            .element("span", ["style"])
            .style_properties(["background"])
            .relative_urls(RelativeUrls::Rewrite("https://blog.example/post/".into()))
            .build()
            .unwrap();
        assert_eq!(
            f(&rewrite, "background: url(../a.png)"),
            r#"background:url("https://blog.example/a.png")"#
        );
        let schemes = Policy::builder()
            .element("span", ["style"])
            .style_properties(["background"])
            .attribute_url_schemes("span", "style", ["data"])
            .build()
            .unwrap();
        assert_eq!(
            f(&schemes, "background: url(data:image/png;base64,AAAA)"),
            r#"background:url("data:image/png;base64,AAAA")"#
        );
        assert_eq!(f(&schemes, "background: url(https://e.org/)"), "");
    }

    #[test]
    fn what_a_browser_would_ignore_or_misread_is_dropped() {
        let p = policy(ALL);
        for bad in [
            "width: expression(alert(1))",
            "color: var(--x)",
            "color: env(safe-area-inset-top)",
            "content: attr(title)",
            "background: -moz-element(#x)",
            "background: paint(x)",
            "color: red }",
            "color: { red }",
            "color: @x",
            "color: red !ie",
            "color: red !important !important",
            "color: red !important x",
            "color: !important",
            "color: red !",
            "color: a(b)",
            "color: <!-- red -->",
            "color: [a|=b]",
            "color: rgb(1;2)",
            "color: rgb(1, 2",
            "color: (red",
            "color: [red",
            "content: 'abc",
            "content: \"abc\\\"",
            "content: 'a\nb'",
            "color:",
            "color: /* only a comment */",
        ] {
            assert_eq!(f(&p, bad), "", "{bad:?}");
        }
        assert_eq!(f(&p, "color: red; }"), "color:red");
        // The declarations around one that goes stay.
        assert_eq!(f(&p, "color: var(--x); width: 1px"), "width:1px");
        // A bad string ends at the newline; the rest is a new string up to
        // the end of the attribute, as in a browser.
        assert_eq!(f(&p, "content: '\n'; color: green"), "");
    }

    #[test]
    fn at_rules_and_nested_rules_are_dropped() {
        let p = policy(ALL);
        assert_eq!(f(&p, "@import url(x.css); color: green"), "color:green");
        assert_eq!(f(&p, "@import 'x.css'; color: green"), "color:green");
        assert_eq!(
            f(&p, "@media screen { color: red } color: green"),
            "color:green"
        );
        assert_eq!(f(&p, "@charset 'utf-8'; color: green"), "color:green");
        assert_eq!(
            f(&p, "@scope (main) { div { color: red } }; color: green"),
            "color:green"
        );
        assert_eq!(f(&p, "span { color: red } color: green"), "");
        assert_eq!(f(&p, "& span { color: red }; color: green"), "color:green");
    }

    #[test]
    fn custom_properties_and_script_properties_never_pass() {
        // The builder refuses them; the filter would drop them anyway.
        for name in ["--x", "behavior", "-ms-behavior", "-moz-binding", "-o-link"] {
            assert!(refusal(name).is_some(), "{name}");
        }
        let p = policy(ALL);
        assert_eq!(
            f(&p, "--x: url(javascript:x); behavior: url(x.htc); -moz-binding: url(x.xml#y); color: red"),
            "color:red"
        );
    }

    #[test]
    fn whitespace_and_comments() {
        let p = policy(ALL);
        assert_eq!(f(&p, "color: /* a */ red /* b */"), "color:red");
        assert_eq!(f(&p, "margin:\t1px\n\n2px   3px"), "margin:1px 2px 3px");
        assert_eq!(f(&p, "margin: 1px/**/2px"), "margin:1px 2px");
        // A comment between tokens keeps them apart.
        assert_eq!(f(&p, "width: 1/**/px"), "width:1 px");
        assert_eq!(f(&p, "width: calc( 1px + 2px )"), "width:calc(1px + 2px)");
        assert_eq!(
            f(&p, "transform: rotate( 45deg )scale(1.5)"),
            "transform:rotate(45deg)scale(1.5)"
        );
        assert_eq!(
            f(&p, "font-family: 'Times New Roman' , serif"),
            "font-family:'Times New Roman' , serif"
        );
    }

    #[test]
    fn nesting_is_capped_and_work_stays_linear() {
        let p = policy(ALL);
        let nested = |n: usize| format!("width: {}1px{}", "calc(".repeat(n), ")".repeat(n));
        assert_eq!(
            f(&p, &nested(MAX_NESTING)),
            nested(MAX_NESTING).replace(": ", ":")
        );
        assert_eq!(f(&p, &nested(MAX_NESTING + 1)), "");
        assert_eq!(
            f(&p, &format!("{}; color: red", nested(MAX_NESTING + 1))),
            "color:red"
        );
        // Deep input: dropped, quickly, without recursion.
        let deep = format!("width: {}; color: red", "(".repeat(200_000));
        let start = std::time::Instant::now();
        assert_eq!(f(&p, &deep), "");
        let deep = format!(
            "width: {}1{}; color: red",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(f(&p, &deep), "color:red");
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }

    #[test]
    fn keyword_lists() {
        let p = Policy::builder()
            .element("span", ["style"])
            .style_properties(["text-align", "text-decoration", "color"])
            .style_property_values("text-align", ["left", "right", "Center"])
            .style_property_values("text-decoration", ["underline", "overline"])
            .build()
            .unwrap();
        assert_eq!(f(&p, "text-align: CENTER"), "text-align:center");
        assert_eq!(
            f(&p, r"text-align: l\65 ft !important"),
            "text-align:left !important"
        );
        assert_eq!(
            f(&p, "text-decoration: underline /**/ overline"),
            "text-decoration:underline overline"
        );
        for bad in [
            "text-align: justify",
            "text-align: left(1)",
            "text-align: 'left'",
            "text-align: left, right",
            "text-align: var(--x)",
            "text-decoration: underline red",
        ] {
            assert_eq!(f(&p, bad), "", "{bad}");
        }
        assert_eq!(f(&p, "color: RED"), "color:RED");
    }

    #[test]
    fn per_element_lists_add_to_the_global_one() {
        let p = Policy::builder()
            .element("span", ["style"])
            .element("p", ["style"])
            .style_properties(["color"])
            .element_style_properties("p", ["width"])
            .build()
            .unwrap();
        let pk = (Namespace::Html, LocalName::from("p"));
        assert_eq!(
            filter("color: red; width: 1px", &p.inner, &pk),
            "color:red;width:1px"
        );
        assert_eq!(f(&p, "color: red; width: 1px"), "color:red");
    }

    #[test]
    fn names_in_policies() {
        for ok in ["color", "-webkit-text-stroke", "_x", "--custom", "a1"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "-", "--", "1a", "-1a", "a b", "a:b", "col\\6f r", "é"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    /// Pieces of CSS the random declarations are made of.
    const PIECES: &[&str] = &[
        "color",
        "COLOR",
        "Background",
        "width",
        "text-align",
        "position",
        "--x",
        "-moz-binding",
        "behavior",
        "col\\6f r",
        ":",
        ";",
        " ",
        "\n",
        "\t",
        "/*",
        "*/",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "'",
        "\\",
        "\\6a ",
        "\\65 ",
        "\\45 ",
        "\\)",
        "\\\"",
        "url(",
        "rgb(",
        "calc(",
        "var(",
        "expression(",
        "image-set(",
        "src(",
        "u\\72l(",
        "javascript:",
        "https://x/",
        "a.png",
        "1",
        "1.5",
        "-2",
        "+3",
        "e3",
        "E1",
        "px",
        "%",
        "!",
        "important",
        "@import",
        "@",
        ",",
        "#",
        "#fff",
        "-",
        "+",
        ".",
        "*",
        "/",
        "<!--",
        "-->",
        "red",
        "left",
        "\u{0}",
        "é",
        "\\0",
        "\\110000",
        "1e999",
        "~=",
        "|",
        "red",
        "1px",
        "0",
        "url(https://x/a.png)",
        "rgb(1, 2, 3)",
        "calc(1px + 2px)",
        "!important",
        "'x'",
        "\"y\"",
        "url(javascript:x)",
    ];

    const NAMES: &[&str] = &[
        "color",
        "COLOR",
        "Background",
        "width",
        "position",
        "--x",
        "behavior",
        "col\\6f r",
    ];

    /// Pieces of values that are mostly kept.
    const VALUES: &[&str] = &[
        " ",
        "red",
        "1px",
        "-2.5e1%",
        "#fff",
        "rgb(1, 2, 3)",
        "calc(1px + 2px)",
        ",",
        "/",
        "+",
        "*",
        "url(https://x/a.png)",
        "url( 'https://x/b' )",
        "'a.png'",
        "\"b\\\"c\"",
        "\\72 ed",
        "\\65 ",
        "\\--",
        "\\31 x",
        "x\\,y",
        "/* c */",
        "e",
        "E3",
        "-",
        ">",
        "<",
        ".",
        "%",
        "\u{a0}",
        "é",
        "\\\n",
        "\\",
    ];

    /// Values, nested: functions and blocks around pieces.
    fn value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            12 => prop::sample::select(VALUES).prop_map(str::to_owned),
            1 => prop::sample::select(PIECES).prop_map(str::to_owned),
        ];
        leaf.prop_recursive(5, 40, 4, |inner| {
            (
                prop::sample::select(
                    &[
                        ("calc(", ")"),
                        ("rgb(", ")"),
                        ("(", ")"),
                        ("[", "]"),
                        ("image-set(", ")"),
                        ("min(", ")"),
                        ("url(", ")"),
                        ("var(", ")"),
                    ][..],
                ),
                prop::collection::vec(inner, 0..4),
                prop::bool::weighted(0.9),
            )
                .prop_map(|((open, close), items, closed)| {
                    format!(
                        "{open}{}{}",
                        items.join(" "),
                        if closed { close } else { "" }
                    )
                })
        })
    }

    fn declaration() -> impl Strategy<Value = String> {
        (
            prop::sample::select(NAMES),
            prop::sample::select(&[":", " : ", ":\n"][..]),
            prop::collection::vec(value(), 0..4),
            prop::sample::select(&["", " !important", "!IMPORTANT"][..]),
        )
            .prop_map(|(n, c, v, i)| format!("{n}{c}{}{i}", v.concat()))
    }

    fn soup() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => prop::collection::vec(declaration(), 0..5).prop_map(|d| d.join(";")),
            2 => prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat()),
            1 => any::<String>(),
        ]
    }

    /// The property names of a filtered value, read back with cssparser.
    fn names(style: &str) -> Vec<String> {
        struct Names(Vec<String>);
        impl<'i> DeclarationParser<'i> for Names {
            type Declaration = ();
            type Error = ();
            fn parse_value(
                &mut self,
                name: CowRcStr<'i>,
                input: &mut Parser<'i>,
                _: &ParserState,
            ) -> Result<(), ParseError<()>> {
                self.0.push(name.to_string());
                while input.next().is_ok() {}
                Ok(())
            }
        }
        impl<'i> AtRuleParser<'i> for Names {
            type Prelude = ();
            type AtRule = ();
            type Error = ();
        }
        impl<'i> QualifiedRuleParser<'i> for Names {
            type Prelude = ();
            type QualifiedRule = ();
            type Error = ();
        }
        impl<'i> RuleBodyItemParser<'i, (), ()> for Names {
            fn parse_declarations(&self) -> bool {
                true
            }
            fn parse_qualified(&self) -> bool {
                false
            }
        }
        let mut input = Parser::new(style);
        let mut names = Names(Vec::new());
        let count = RuleBodyParser::new(&mut input, &mut names).count();
        assert_eq!(
            count,
            names.0.len(),
            "every item of {style:?} is a declaration"
        );
        names.0
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20000))]
        #[test]
        fn random_css_is_filtered_idempotently(style in soup()) {
            let p = Policy::builder()
                .element("span", ["style"])
                .style_properties(["color", "background", "width"])
                .style_property_values("width", ["auto", "inherit"])
                .url_schemes(["https"])
                .build()
                .unwrap();
            // The filter without its final check is idempotent already.
            let out = filter_with(&style, &p.inner, &span(), false);
            prop_assert_eq!(&filter_with(&out, &p.inner, &span(), false), &out, "input {:?}", style);
            prop_assert_eq!(&filter(&style, &p.inner, &span()), &out);
            // (Idempotence also means every URL left passes again.)
            for n in names(&out) {
                prop_assert!(["color", "background", "width"].contains(&n.as_str()), "{} in {:?}", n, out);
            }
        }
    }
}
