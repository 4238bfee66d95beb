//! The parse stage: limits, html5ever's fragment parser, and the token guard.
//!
//! Context element: `<div>` in the HTML namespace, with scripting enabled.
//! A comment is inserted into a flow container (`<div>`, `<article>`,
//! `<body>`), and `<div>` puts the tokenizer in its data state and the tree
//! builder "in body", which is what a browser does when it parses the
//! server-rendered comment or assigns it through `innerHTML` on such a
//! container. Scripting is enabled because it is in every browser that
//! reads our output (it changes how `<noscript>` is tokenized).
//!
//! Bounded work. html5ever is super-linear on some inputs, so three guards sit
//! around it:
//!
//! 1. **Attribute pre-check** (linear, before tokenizing): html5ever's tokenizer
//!    checks each new attribute against all earlier ones of the same tag, so
//!    a tag with k attributes costs k². [`attribute_precheck`] computes, for
//!    every `<` that could start a tag, an upper bound on the attributes that
//!    tag can have, with a small set-of-states automaton over the tag states
//!    of the tokenizer (all interpretations at once, so raw text or comments
//!    cannot hide a tag from it). Over [`MAX_ATTRIBUTES_PER_TAG`] the input is
//!    refused with [`CleanError::TooManyAttributes`].
//! 2. **Depth guard** (between tokenizer and tree builder): each `<div>` makes
//!    html5ever scan the whole stack of open elements (servo/html5ever#788).
//!    The guard drops start tags while the parser's insertion point is at the
//!    depth cap, so the stack never grows past it. The insertion depth is
//!    read back from the sink after every token that inserted something.
//!    After end tags the estimate may be too deep, so before refusing a start
//!    tag the guard sends a probe comment (inserted at the parser's current
//!    node, no foster parenting, no reconstruction), reads its depth and
//!    removes it again. Formatting start tags are refused for good once one
//!    lands past the cap (the list of active formatting elements is then as
//!    long as the cap allows).
//! 3. **Amplification guard**: the tree builder can create elements no start
//!    tag asked for (reconstructing active formatting elements, adoption
//!    agency clones, implied table parts), copying attributes each time, so
//!    `<b title=LONG><p>1<p>2<p>3…` grows as |LONG| × paragraphs. The guard
//!    counts what such tokens create: their output size (escaped) may reach
//!    [`AMPLIFICATION_FACTOR`] × input bytes + [`AMPLIFICATION_SLACK`], their
//!    number one per [`RECONSTRUCTION_DIVISOR`] input bytes (each costs a
//!    stack scan). Past either, the guard stops passing markup on: the rest
//!    of the input contributes its text only. Ordinary HTML (misnested
//!    `<font>` across paragraphs included) stays far below.

use std::cell::Cell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{ElementFlags, TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{local_name, ns, QualName, TokenizerResult};

use crate::dom::{Dom, NodeId, Sink};
use crate::error::CleanError;
use crate::html;

/// Most attributes one tag may have (see the module docs).
pub const MAX_ATTRIBUTES_PER_TAG: usize = 512;

/// Created element bytes allowed per input byte before markup is ignored.
pub(crate) const AMPLIFICATION_FACTOR: usize = 6;
/// Created element bytes allowed on top of the per-byte allowance.
pub(crate) const AMPLIFICATION_SLACK: usize = 64;
/// Elements the tree builder may create on its own: one per this many input
/// bytes (plus the slack). Each costs up to a stack scan of the depth cap.
pub(crate) const RECONSTRUCTION_DIVISOR: usize = 4;
/// Elements the tree builder may create on its own in any input.
pub(crate) const RECONSTRUCTION_SLACK: usize = 4096;

/// Parse `input` as a fragment in a `<div>` context; `rel_len` is the length
/// of the `rel` value the cleaner will add to links (for the output bound).
pub(crate) fn parse_fragment(
    input: &str,
    max_depth: usize,
    rel_len: usize,
) -> Result<Dom, CleanError> {
    attribute_precheck(input)?;

    // A rough node count: one node per 8 bytes of markup-heavy input.
    let sink = Sink::with_capacity(input.len() / 8 + 8, rel_len);
    let context = sink.create_element(
        QualName::new(None, ns!(html), local_name!("div")),
        Vec::new(),
        ElementFlags::default(),
    );
    let opts = TreeBuilderOpts {
        scripting_enabled: true,
        drop_doctype: true,
        ..TreeBuilderOpts::default()
    };
    let tree_builder = TreeBuilder::new_for_fragment(sink, context, None, opts);
    let initial_state = tree_builder.tokenizer_state_for_context_elem(true);
    let guard = Guard {
        inner: tree_builder,
        // The fragment's `html` root is at depth 1: output depth d is DOM depth d + 1.
        max_depth: u32::try_from(max_depth)
            .unwrap_or(u32::MAX)
            .saturating_add(1),
        budget: input
            .len()
            .saturating_mul(AMPLIFICATION_FACTOR)
            .saturating_add(AMPLIFICATION_SLACK),
        depth: Cell::new(0),
        flat: Cell::new(false),
        extra: Cell::new(0),
        extra_bytes: Cell::new(0),
        extra_budget: input.len() / RECONSTRUCTION_DIVISOR + RECONSTRUCTION_SLACK,
        formatting_saturated: Cell::new(false),
        end_tag_seen: Cell::new(false),
    };
    let tokenizer = Tokenizer::new(
        guard,
        TokenizerOpts {
            initial_state: Some(initial_state),
            last_start_tag_name: Some("div".to_owned()),
            discard_bom: false,
            ..TokenizerOpts::default()
        },
    );
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(input));
    loop {
        match tokenizer.feed(&queue) {
            TokenizerResult::Done => break,
            // Scripts never run here; encoding labels do not apply to &str.
            TokenizerResult::Script(_) | TokenizerResult::EncodingIndicator(_) => continue,
        }
    }
    tokenizer.end();
    let Tokenizer { sink: guard, .. } = tokenizer;
    let sink = guard.inner.sink;
    Ok(sink.into_dom())
}

/// The token guard between html5ever's tokenizer and tree builder.
struct Guard {
    inner: TreeBuilder<NodeId, Sink>,
    max_depth: u32,
    budget: usize,
    /// Estimated depth of the parser's insertion point.
    depth: Cell<u32>,
    /// Amplification bound reached: pass text only.
    flat: Cell<bool>,
    /// Elements the tree builder created on its own (reconstruction of
    /// active formatting elements, adoption agency, implied elements).
    extra: Cell<usize>,
    extra_budget: usize,
    /// Output bound of everything created by tokens that created extra
    /// elements.
    extra_bytes: Cell<usize>,
    /// An end tag went through since the depth was last known: the parser
    /// may be shallower than the estimate.
    end_tag_seen: Cell<bool>,
    /// A formatting element ended up at the depth cap: the list of active
    /// formatting elements is as long as the cap allows; refuse more.
    formatting_saturated: Cell<bool>,
}

fn is_void(tag: &Tag) -> bool {
    tag.self_closing || html::start_tag_is_void(&tag.name)
}

fn is_formatting(tag: &Tag) -> bool {
    html::is_formatting(&tag.name)
}

impl Guard {
    fn forward(&self, token: Token, line: u64) -> TokenSinkResult<NodeId> {
        self.inner.process_token(token, line)
    }

    /// Account for the elements created by one token (`own` of them were
    /// asked for by the token itself) and go flat when a bound is passed.
    fn check_budget(&self, elements_before: usize, bytes_before: usize, own: usize) {
        let counters = &self.inner.sink.counters;
        let created = counters.elements.get() - elements_before;
        if created > own {
            self.extra.set(self.extra.get() + (created - own));
            self.extra_bytes
                .set(self.extra_bytes.get() + (counters.element_bytes.get() - bytes_before));
            if self.extra_bytes.get() > self.budget || self.extra.get() > self.extra_budget {
                self.flat.set(true);
            }
        }
    }
}

impl TokenSink for Guard {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<NodeId> {
        let counters = &self.inner.sink.counters;
        if self.flat.get() {
            return match token {
                Token::CharacterTokens(_)
                | Token::NullCharacterToken
                | Token::EOFToken
                | Token::ParseError(_) => self.forward(token, line),
                Token::TagToken(_) | Token::CommentToken(_) | Token::DoctypeToken(_) => {
                    TokenSinkResult::Continue
                }
            };
        }
        let elements_before = counters.elements.get();
        let bytes_before = counters.element_bytes.get();
        match token {
            Token::TagToken(ref tag) if tag.kind == TagKind::StartTag => {
                let formatting = is_formatting(tag);
                if formatting && self.formatting_saturated.get() {
                    return TokenSinkResult::Continue;
                }
                if self.depth.get() >= self.max_depth && self.end_tag_seen.replace(false) {
                    // The estimate may be stale after end tags: a comment is
                    // inserted at the parser's current node (no foster
                    // parenting, no reconstruction), so a probe comment tells
                    // the real depth. It is removed again at once.
                    let before = counters.last_comment.get();
                    let _ = self.forward(Token::CommentToken(StrTendril::new()), line);
                    let after = counters.last_comment.get();
                    if after.0 != before.0 {
                        self.depth.set(after.1);
                        self.inner.sink.remove_probe(after.0);
                    }
                }
                if self.depth.get() >= self.max_depth {
                    return TokenSinkResult::Continue;
                }
                let void = is_void(tag);
                let before = counters.element_insertions.get();
                let result = self.forward(token, line);
                if counters.element_insertions.get() != before {
                    let d = counters.last_element_depth.get();
                    self.depth.set(if void { d.saturating_sub(1) } else { d });
                    if formatting && d > self.max_depth {
                        self.formatting_saturated.set(true);
                    }
                }
                self.check_budget(elements_before, bytes_before, 1);
                result
            }
            Token::CharacterTokens(_) | Token::NullCharacterToken => {
                let before_el = counters.element_insertions.get();
                let before_text = counters.text_insertions.get();
                let result = self.forward(token, line);
                if counters.text_insertions.get() != before_text {
                    self.depth.set(counters.last_text_parent_depth.get());
                } else if counters.element_insertions.get() != before_el {
                    self.depth.set(counters.last_element_depth.get());
                }
                self.check_budget(elements_before, bytes_before, 0);
                result
            }
            Token::TagToken(_) => {
                self.end_tag_seen.set(true);
                let result = self.forward(token, line);
                self.check_budget(elements_before, bytes_before, 0);
                result
            }
            Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => {
                let result = self.forward(token, line);
                self.check_budget(elements_before, bytes_before, 0);
                result
            }
        }
    }

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// States of the tokenizer that matter for counting attributes.
#[derive(Clone, Copy)]
#[repr(u8)]
enum St {
    TagOpen = 0,
    EndTagOpen,
    TagName,
    BeforeAttrName,
    AttrName,
    AfterAttrName,
    BeforeAttrValue,
    ValueDq,
    ValueSq,
    ValueUnq,
    AfterValueQuoted,
    SelfClosing,
}

const STATES: usize = 12;

/// One step of the tag automaton. Returns the next state and whether an
/// attribute starts at this character; `None` when the tag ends (or was not
/// a tag after all).
fn step(state: St, b: u8) -> Option<(St, bool)> {
    let ws = matches!(b, b'\t' | b'\n' | b'\x0c' | b' ' | b'\r');
    match state {
        St::TagOpen => match b {
            b'a'..=b'z' | b'A'..=b'Z' => Some((St::TagName, false)),
            b'/' => Some((St::EndTagOpen, false)),
            _ => None,
        },
        St::EndTagOpen => match b {
            b'a'..=b'z' | b'A'..=b'Z' => Some((St::TagName, false)),
            _ => None,
        },
        St::TagName => match b {
            _ if ws => Some((St::BeforeAttrName, false)),
            b'/' => Some((St::SelfClosing, false)),
            b'>' => None,
            _ => Some((St::TagName, false)),
        },
        St::BeforeAttrName => match b {
            _ if ws => Some((St::BeforeAttrName, false)),
            b'/' | b'>' => step(St::AfterAttrName, b),
            _ => Some((St::AttrName, true)),
        },
        St::AttrName => match b {
            _ if ws => step(St::AfterAttrName, b),
            b'/' | b'>' => step(St::AfterAttrName, b),
            b'=' => Some((St::BeforeAttrValue, false)),
            _ => Some((St::AttrName, false)),
        },
        St::AfterAttrName => match b {
            _ if ws => Some((St::AfterAttrName, false)),
            b'/' => Some((St::SelfClosing, false)),
            b'=' => Some((St::BeforeAttrValue, false)),
            b'>' => None,
            _ => Some((St::AttrName, true)),
        },
        St::BeforeAttrValue => match b {
            _ if ws => Some((St::BeforeAttrValue, false)),
            b'"' => Some((St::ValueDq, false)),
            b'\'' => Some((St::ValueSq, false)),
            b'>' => None,
            _ => Some((St::ValueUnq, false)),
        },
        St::ValueDq => match b {
            b'"' => Some((St::AfterValueQuoted, false)),
            _ => Some((St::ValueDq, false)),
        },
        St::ValueSq => match b {
            b'\'' => Some((St::AfterValueQuoted, false)),
            _ => Some((St::ValueSq, false)),
        },
        St::ValueUnq => match b {
            _ if ws => Some((St::BeforeAttrName, false)),
            b'>' => None,
            _ => Some((St::ValueUnq, false)),
        },
        St::AfterValueQuoted => match b {
            _ if ws => Some((St::BeforeAttrName, false)),
            b'/' => Some((St::SelfClosing, false)),
            b'>' => None,
            _ => step(St::BeforeAttrName, b),
        },
        St::SelfClosing => match b {
            b'>' => None,
            _ => step(St::BeforeAttrName, b),
        },
    }
}

/// Refuse input in which some tag could have more than
/// [`MAX_ATTRIBUTES_PER_TAG`] attributes. Linear time.
///
/// Every `<` starts a candidate tag; all candidates run through the tag
/// automaton at once, merged by state (a merged state keeps the larger
/// count), so the bound holds whatever the tokenizer's real state was at
/// that `<` (data, raw text, comment...). Non-ASCII bytes behave like
/// letters in every state that matters, so scanning bytes is exact.
pub(crate) fn attribute_precheck(input: &str) -> Result<(), CleanError> {
    let bytes = input.as_bytes();
    // Every attribute is preceded by whitespace, `/` or a closing quote: with
    // few of those in the whole input (always so in a short one), no tag can
    // pass the limit and the automaton is not needed.
    if bytes.len() <= MAX_ATTRIBUTES_PER_TAG {
        return Ok(());
    }
    let mut separators = 0usize;
    for chunk in bytes.chunks(256) {
        separators += chunk.iter().filter(|&&b| SEPARATOR[b as usize]).count();
        if separators > MAX_ATTRIBUTES_PER_TAG {
            break;
        }
    }
    if separators <= MAX_ATTRIBUTES_PER_TAG {
        return Ok(());
    }
    // The set of live states evolves deterministically: run it as a DFA over
    // subsets. One counter serves all live candidates: it counts attribute
    // starts since the last moment no tag was open, which bounds every
    // candidate's own count from above.
    let table = &*SUBSET_TABLE;
    let mut live: usize = 0;
    let mut count = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        if live == 0 {
            match memchr::memchr(b'<', &bytes[i..]) {
                Some(off) => i += off,
                None => return Ok(()),
            }
        } else if live == 1 << St::ValueDq as usize || live == 1 << St::ValueSq as usize {
            // Inside one quoted value only: nothing changes before its
            // closing quote or the next `<` (a new candidate).
            let quote = if live == 1 << St::ValueDq as usize {
                b'"'
            } else {
                b'\''
            };
            match memchr::memchr2(quote, b'<', &bytes[i..]) {
                Some(off) => i += off,
                None => return Ok(()),
            }
        }
        let entry = table[live * CLASSES + CLASS[bytes[i] as usize] as usize];
        live = usize::from(entry & 0x0fff);
        if entry & 0x8000 != 0 {
            count += 1;
            if count > MAX_ATTRIBUTES_PER_TAG {
                return Err(CleanError::TooManyAttributes {
                    offset: i,
                    limit: MAX_ATTRIBUTES_PER_TAG,
                });
            }
        }
        if live & !(1 << St::TagOpen as usize) == 0 {
            count = 0;
        }
        i += 1;
    }
    Ok(())
}

static SEPARATOR: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\x0c' as usize] = true;
    t[b'\r' as usize] = true;
    t[b' ' as usize] = true;
    t[b'/' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t
};

/// Byte classes of the tag automaton.
const CLASSES: usize = 9;
static CLASS: [u8; 256] = {
    let mut t = [8u8; 256];
    t[b'\t' as usize] = 0;
    t[b'\n' as usize] = 0;
    t[b'\x0c' as usize] = 0;
    t[b'\r' as usize] = 0;
    t[b' ' as usize] = 0;
    t[b'/' as usize] = 1;
    t[b'>' as usize] = 2;
    t[b'=' as usize] = 3;
    t[b'"' as usize] = 4;
    t[b'\'' as usize] = 5;
    t[b'<' as usize] = 6;
    let mut c = b'a';
    while c <= b'z' {
        t[c as usize] = 7;
        t[(c - 32) as usize] = 7;
        c += 1;
    }
    t
};
/// A representative byte of each class.
const CLASS_BYTE: [u8; CLASSES] = [b' ', b'/', b'>', b'=', b'"', b'\'', b'<', b'a', 0xDC];

/// Subset DFA: entry = next subset (low 12 bits) | 0x8000 if some live state
/// starts an attribute on this byte. Built once (4096 × 9 entries).
static SUBSET_TABLE: std::sync::LazyLock<Vec<u16>> = std::sync::LazyLock::new(|| {
    let mut table = vec![0u16; (1 << STATES) * CLASSES];
    for subset in 0..(1usize << STATES) {
        for (class, &b) in CLASS_BYTE.iter().enumerate() {
            let mut next = 0u16;
            let mut starts = false;
            for s in 0..STATES {
                if subset & (1 << s) != 0 {
                    if let Some((ns, st)) = step(state_from(s), b) {
                        next |= 1 << ns as usize;
                        starts |= st;
                    }
                }
            }
            if b == b'<' {
                next |= 1 << St::TagOpen as usize;
            }
            table[subset * CLASSES + class] = next | if starts { 0x8000 } else { 0 };
        }
    }
    table
});

fn state_from(i: usize) -> St {
    match i {
        0 => St::TagOpen,
        1 => St::EndTagOpen,
        2 => St::TagName,
        3 => St::BeforeAttrName,
        4 => St::AttrName,
        5 => St::AfterAttrName,
        6 => St::BeforeAttrValue,
        7 => St::ValueDq,
        8 => St::ValueSq,
        9 => St::ValueUnq,
        10 => St::AfterValueQuoted,
        _ => St::SelfClosing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(n: usize, sep: &str) -> String {
        let mut s = String::from("<a");
        for i in 0..n {
            s.push_str(sep);
            s.push_str(&format!("x{i}"));
        }
        s.push('>');
        s
    }

    #[test]
    fn precheck_allows_ordinary_tags() {
        assert!(attribute_precheck("<a href=x title='y z'>t</a> a < b > c").is_ok());
        assert!(attribute_precheck(&attrs(MAX_ATTRIBUTES_PER_TAG, " ")).is_ok());
    }

    #[test]
    fn precheck_refuses_many_attributes() {
        for sep in [" ", "/", "\n"] {
            let err = attribute_precheck(&attrs(MAX_ATTRIBUTES_PER_TAG + 1, sep)).unwrap_err();
            assert!(
                matches!(err, CleanError::TooManyAttributes { .. }),
                "{sep:?}"
            );
        }
    }

    #[test]
    fn precheck_is_not_fooled_by_quotes_in_other_contexts() {
        // A quote opened inside what is really a comment must not hide the
        // real tag that follows.
        let hidden = format!("<!-- <a x=\" -->{}", attrs(MAX_ATTRIBUTES_PER_TAG + 1, " "));
        assert!(attribute_precheck(&hidden).is_err());
        let quoted = format!("<a x=\"{}\">", " y".repeat(10_000));
        assert!(attribute_precheck(&quoted).is_ok());
    }

    #[test]
    fn quoted_attributes_without_spaces_are_counted() {
        let mut s = String::from("<a ");
        for i in 0..=MAX_ATTRIBUTES_PER_TAG {
            s.push_str(&format!("x{i}=\"v\""));
        }
        assert!(attribute_precheck(&s).is_err());
    }

    #[test]
    fn deep_nesting_is_capped_by_the_guard() {
        let dom = parse_fragment(&"<div>".repeat(5000), 100, 0).unwrap();
        let mut depth = 0;
        let mut id = dom.fragment_root();
        while dom.node(id).first_child != crate::dom::NIL {
            id = dom.node(id).first_child;
            depth += 1;
        }
        assert!(depth <= 101, "depth {depth}");
    }
}
