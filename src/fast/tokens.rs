//! The fast tokenizer: html5ever's tree builder fed by the fast parser's
//! tokenizer, for input the tree model of [`crate::fast`] does not take.
//!
//! The fast parser bails on anything its tree model cannot follow
//! (tables, forms, misnesting, foreign content, doctypes, ...), and then
//! all of html5ever runs. But most of html5ever's time on such input (real
//! pages) is its tokenizer: per-character state steps, text copied into
//! tendrils a character at a time. The *tree builder's* rules are what is
//! hard to predict; the tokenizer's are not (they depend on the input and
//! on which state the tree builder puts it in, nothing else). So here the
//! fast parser's lexing (tag names, attributes, character references,
//! comments, raw text: the very code the fast path uses, tested against
//! html5ever) makes html5ever's tokens, which go to the same sink
//! html5ever's own tokenizer feeds (the parse guard, then the tree
//! builder), and the tree builder's answer (raw text, RCDATA, script data,
//! plaintext) is obeyed as the tokenizer obeys it. Read here too: doctypes
//! (ignored by the tree builder in every mode a fragment parse reaches),
//! bogus comments, and script data's escaped and double-escaped states
//! ([`script_data_end`]).
//!
//! Whatever the fast lexing does not read exactly as html5ever (a NUL, a
//! CDATA section, a tag with more attributes than
//! [`super::MAX_ATTRIBUTES`], a comment or declaration cut off by the end
//! of the input, `</` at the end) is *handed over*: html5ever's
//! tokenizer is started at that token, in the state the tree builder has
//! put the tokenizer in (and with the last start tag's name, which ends
//! raw text), and reads the rest of the input. A hand-over is at a token
//! boundary, where html5ever's tokenizer holds no other state, so the
//! token stream is html5ever's own from there on; before it, it is the
//! same tokens, except that text comes as fewer, longer character tokens
//! (the tree builder merges them anyway, and the guard counts a run of
//! dropped text once) and no parse-error tokens are sent (the guard passes
//! none on: see `parse::Guard::process`).
//!
//! Proof: `tests/fast_path.rs` and the `fast_path` fuzz target compare the
//! tree this path builds with html5ever's on generated, corpus and fuzzed
//! inputs, node by node, and the output of every policy; with the
//! `verify-fast-path` feature every input is parsed both ways.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::{RawKind, State};
use html5ever::tokenizer::{
    BufferQueue, Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{local_name, ns, Attribute, LocalName, QualName, TokenizerResult};

use super::{find_text_stop, reference_into, Bail, Build, Parser, Text};
use crate::html::TextContent;

/// Tokenize `input` into `sink` (html5ever's tokenizer's sink, which must
/// start it in the data state), as html5ever's tokenizer would, and end
/// it. Gives the sink back, with how many bytes this read before it
/// handed over to html5ever's tokenizer (all of them, if it did not).
pub(crate) fn tokenize<S: TokenSink>(input: &str, sink: S) -> (S, usize) {
    let mut t = Tokens {
        p: Parser::new(input, usize::MAX, Capture::default()),
        sink,
        last_start: None,
    };
    match t.run() {
        Ok(()) => {
            t.flush();
            let _ = t.emit(Token::EOFToken);
            t.sink.end();
            (t.sink, input.len())
        }
        Err(at) => {
            t.flush();
            let Tokens {
                sink, last_start, ..
            } = t;
            (
                hand_over(&input[at.pos..], sink, at.state, last_start),
                at.pos,
            )
        }
    }
}

/// Where html5ever's tokenizer takes over: the input position (a token
/// boundary) and the state there.
struct HandOver {
    pos: usize,
    state: State,
}

/// html5ever's tokenizer reads `rest` into `sink` from `state` (after a
/// start tag `last_start`) and ends it. Gives the sink back.
pub(crate) fn hand_over<S: TokenSink>(
    rest: &str,
    sink: S,
    state: State,
    last_start: Option<LocalName>,
) -> S {
    let tokenizer = Tokenizer::new(
        sink,
        TokenizerOpts {
            initial_state: Some(state),
            last_start_tag_name: last_start.map(|n| n.to_string()),
            discard_bom: false,
            ..TokenizerOpts::default()
        },
    );
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(rest));
    loop {
        match tokenizer.feed(&queue) {
            TokenizerResult::Done => break,
            // Scripts never run here; encoding labels do not apply to &str.
            TokenizerResult::Script(_) | TokenizerResult::EncodingIndicator(_) => continue,
        }
    }
    tokenizer.end();
    let Tokenizer { sink, .. } = tokenizer;
    sink
}

/// The fast parser's [`Build`], keeping the last text or comment it was
/// told (as a tendril) for [`Tokens`] to send on.
#[derive(Default)]
struct Capture {
    text: Option<StrTendril>,
    comment: Option<StrTendril>,
}

impl Build for Capture {
    fn text(&mut self, text: Text<'_>, _: bool, whole: &mut Option<StrTendril>) {
        self.text = Some(text.tendril(whole));
    }
    fn comment(&mut self, text: Text<'_>, whole: &mut Option<StrTendril>) {
        self.comment = Some(text.tendril(whole));
    }
}

struct Tokens<'a, S> {
    /// The fast parser, for its lexing only (its tree model is not used).
    p: Parser<'a, Capture>,
    sink: S,
    /// The name of the last start tag sent (what ends raw text).
    last_start: Option<LocalName>,
}

impl<S: TokenSink> Tokens<'_, S> {
    fn emit(&mut self, token: Token) -> TokenSinkResult<S::Handle> {
        self.sink.process_token(token, 1)
    }

    /// Send the text collected so far as one character token.
    fn flush(&mut self) {
        self.p.flush_text();
        if let Some(t) = self.p.out.text.take() {
            let _ = self.emit(Token::CharacterTokens(t));
        }
    }

    /// Hand over at `pos` in the data state (after sending the text before
    /// it).
    fn data_hand_over(&self, pos: usize) -> HandOver {
        HandOver {
            pos,
            state: State::Data,
        }
    }

    /// The data state, to the end of the input or a hand-over.
    fn run(&mut self) -> Result<(), HandOver> {
        let (src, b) = (self.p.src, self.p.b);
        let len = b.len();
        while self.p.pos < len {
            let from = self.p.pos;
            let Some(i) = find_text_stop(b, from) else {
                self.p.text.push(src, from, len, &mut self.p.cr);
                self.p.pos = len;
                break;
            };
            self.p.text.push(src, from, i, &mut self.p.cr);
            self.p.pos = i;
            match b[i] {
                b'&' => {
                    self.p.pos = reference_into(src, i, false, &mut self.p.text, &mut self.p.cr);
                }
                b'<' => self.markup()?,
                // NUL: a parse error and a NUL token.
                _ => return Err(self.data_hand_over(i)),
            }
        }
        Ok(())
    }

    /// At a `<` in the data state.
    fn markup(&mut self) -> Result<(), HandOver> {
        let b = self.p.b;
        let at = self.p.pos;
        match b.get(at + 1) {
            Some(c) if c.is_ascii_alphabetic() => self.tag(at, TagKind::StartTag),
            Some(b'/') => match b.get(at + 2) {
                Some(c) if c.is_ascii_alphabetic() => self.tag(at, TagKind::EndTag),
                // `</>`: no token (a parse error).
                Some(b'>') => {
                    self.p.pos = at + 3;
                    Ok(())
                }
                Some(_) => self.bogus_comment(at, at + 2),
                // `</` at the end: text, html5ever's.
                None => Err(self.data_hand_over(at)),
            },
            Some(b'!') if b[at..].starts_with(b"<!--") => {
                self.flush();
                match self.p.comment() {
                    Ok(()) => {
                        let c = self.p.out.comment.take().unwrap_or_default();
                        let _ = self.emit(Token::CommentToken(c));
                        Ok(())
                    }
                    Err(_) => Err(self.data_hand_over(at)),
                }
            }
            Some(b'!')
                if b.len() >= at + 9 && b[at + 2..at + 9].eq_ignore_ascii_case(b"doctype") =>
            {
                self.doctype(at)
            }
            Some(b'!') => self.declaration(at),
            // The `?` is part of the comment.
            Some(b'?') => self.bogus_comment(at, at + 1),
            // `<` then anything else (or EOF) is text.
            _ => {
                self.p.text.push_literal(self.p.src, at, &mut self.p.cr);
                self.p.pos = at + 1;
                Ok(())
            }
        }
    }

    /// `<!doctype` at `at`: in a fragment the tree builder ignores a
    /// doctype in every insertion mode (only "initial" reads one), so its
    /// name and identifiers are not read; every doctype state ends at `>`.
    fn doctype(&mut self, at: usize) -> Result<(), HandOver> {
        let b = self.p.b;
        let Some(end) = memchr::memchr(b'>', &b[at..]) else {
            return Err(self.data_hand_over(at));
        };
        self.flush();
        self.p.pos = at + end + 1;
        let _ = self.emit(Token::DoctypeToken(Doctype {
            name: None,
            public_id: None,
            system_id: None,
            force_quirks: false,
        }));
        Ok(())
    }

    /// `<!` at `at`, not a comment or doctype: a CDATA section or a bogus
    /// comment. The tokenizer asks the sink which (the guard may act on
    /// the question): asked here as there, once, after the text before it,
    /// and only once the comment is known to be one this reads.
    fn declaration(&mut self, at: usize) -> Result<(), HandOver> {
        let b = self.p.b;
        if self.bogus_comment_len(at + 2).is_none() {
            return Err(self.data_hand_over(at));
        }
        self.flush();
        if self
            .sink
            .adjusted_current_node_present_but_not_in_html_namespace()
            && b[at + 2..].starts_with(b"[CDATA[")
        {
            // A CDATA section: html5ever's (which asks again, and gets the
            // same answer: nothing changed since).
            return Err(self.data_hand_over(at));
        }
        self.bogus_comment(at, at + 2)
    }

    /// The length of a bogus comment's text starting at `from`, up to the
    /// next `>`; `None` at a NUL or the end of the input before one.
    fn bogus_comment_len(&self, from: usize) -> Option<usize> {
        let b = self.p.b;
        let len = memchr::memchr2(b'>', b'\0', &b[from..])?;
        (b[from + len] == b'>').then_some(len)
    }

    /// A bogus comment from `at` whose text starts at `from`, up to the
    /// next `>` (NUL and the end of the input without one: handed over).
    fn bogus_comment(&mut self, at: usize, from: usize) -> Result<(), HandOver> {
        let src = self.p.src;
        let Some(len) = self.bogus_comment_len(from) else {
            return Err(self.data_hand_over(at));
        };
        self.flush();
        let mut run = super::Run::default();
        run.push(src, from, from + len, &mut self.p.cr);
        let text = match run.take(src) {
            Some(t) => t.tendril(&mut self.p.whole),
            None => StrTendril::new(),
        };
        self.p.pos = from + len + 1;
        let _ = self.emit(Token::CommentToken(text));
        Ok(())
    }

    /// A start or end tag at `at` (`<` and a letter, or `</` and a letter).
    fn tag(&mut self, at: usize, kind: TagKind) -> Result<(), HandOver> {
        let from = if kind == TagKind::StartTag {
            at + 1
        } else {
            at + 2
        };
        let name = match self.p.raw_tag_name(from) {
            Ok((name, false)) => tag_name(name),
            Ok((name, true)) => LocalName::from(name.to_ascii_lowercase()),
            // The end of the input inside a tag: the tokenizer drops it.
            Err(Bail::Eof) => return self.eof_in_tag(),
            Err(_) => return Err(self.data_hand_over(at)),
        };
        match self.p.attributes() {
            Ok(()) => {}
            Err(Bail::Eof) => return self.eof_in_tag(),
            Err(_) => return Err(self.data_hand_over(at)),
        }
        self.flush();
        let attrs = if kind == TagKind::StartTag {
            let whole = &mut self.p.whole;
            self.p
                .attrs
                .drain(..)
                .map(|a| Attribute {
                    name: QualName::new(None, ns!(), a.name),
                    value: a.value.tendril(whole),
                })
                .collect()
        } else {
            // Dropped by the tree builder (a parse error).
            self.p.attrs.clear();
            Vec::new()
        };
        let start = kind == TagKind::StartTag;
        if start {
            self.last_start = Some(name.clone());
        }
        let token = Token::TagToken(Tag {
            kind,
            name: name.clone(),
            self_closing: self.p.self_closing,
            attrs,
            had_duplicate_attributes: self.p.duplicate,
        });
        match self.emit(token) {
            TokenSinkResult::Continue
            | TokenSinkResult::Script(_)
            | TokenSinkResult::EncodingIndicator(_) => Ok(()),
            TokenSinkResult::Plaintext => Err(HandOver {
                pos: self.p.pos,
                state: State::Plaintext,
            }),
            TokenSinkResult::RawData(kind) => self.raw(kind),
        }
    }

    /// The input ends inside a tag: the tokenizer drops it.
    fn eof_in_tag(&mut self) -> Result<(), HandOver> {
        self.p.pos = self.p.b.len();
        Ok(())
    }

    /// Raw text, RCDATA or script data, as the tree builder asked after the
    /// last start tag, up to that tag's end tag.
    fn raw(&mut self, kind: RawKind) -> Result<(), HandOver> {
        let at = self.p.pos;
        let here = HandOver {
            pos: at,
            state: State::RawData(kind),
        };
        let content = match kind {
            RawKind::Rcdata => TextContent::Rcdata,
            RawKind::Rawtext => TextContent::Raw,
            RawKind::ScriptData => TextContent::Script,
            RawKind::ScriptDataEscaped(_) => return Err(here),
        };
        let Some(name) = self.last_start.clone() else {
            return Err(here);
        };
        let read = if content == TextContent::Script {
            self.script_data(&name)
        } else {
            self.p.text_content(&name, content)
        };
        let Ok(closed) = read else {
            // html5ever's reads it all again.
            self.p.out.text = None;
            return Err(here);
        };
        if let Some(t) = self.p.out.text.take() {
            let _ = self.emit(Token::CharacterTokens(t));
        }
        if closed {
            let token = Token::TagToken(Tag {
                kind: TagKind::EndTag,
                name,
                self_closing: false,
                attrs: Vec::new(),
                had_duplicate_attributes: false,
            });
            match self.emit(token) {
                TokenSinkResult::Continue
                | TokenSinkResult::Script(_)
                | TokenSinkResult::EncodingIndicator(_) => {}
                // No end tag asks for these: if one did, the tokenizer
                // would obey; so does this.
                TokenSinkResult::Plaintext => {
                    return Err(HandOver {
                        pos: self.p.pos,
                        state: State::Plaintext,
                    })
                }
                TokenSinkResult::RawData(kind) => {
                    return Err(HandOver {
                        pos: self.p.pos,
                        state: State::RawData(kind),
                    })
                }
            }
        }
        Ok(())
    }
}

impl<S: TokenSink> Tokens<'_, S> {
    /// Script data (after the start tag `name`) up to its end tag, with the
    /// escaped and double-escaped states ([`script_data_end`]): the text
    /// goes to [`Capture`], like [`Parser::text_content`]'s, and whether
    /// the end tag was there comes back.
    fn script_data(&mut self, name: &LocalName) -> Result<bool, Bail> {
        let (src, b) = (self.p.src, self.p.b);
        let at = self.p.pos;
        let end = script_data_end(b, at, name.as_bytes())?;
        // The text first: positions pushed only grow (see `Run::push`).
        let mut run = super::Run::default();
        run.push(src, at, end.unwrap_or(b.len()), &mut self.p.cr);
        if let Some(t) = run.take(src) {
            self.p.out.text = Some(t.tendril(&mut self.p.whole));
        }
        match end {
            Some(j) => self.p.raw_end_tag(j, j + 2 + name.len()),
            None => {
                self.p.pos = b.len();
                Ok(false)
            }
        }
    }
}

/// Where script data starting at `b[from]` ends, read as the tokenizer
/// reads it: the position of the `<` of the first end tag `</name` (any
/// case, then whitespace, `/` or `>`) met in the script data or script
/// data escaped states (not double-escaped); `None` when the input ends
/// first. Bails at a NUL (which the tokenizer replaces: html5ever's).
///
/// The states, all text but where they end: `<!--` enters "escaped" (at
/// its dash-dash), where `-->` returns to script data and `<script`
/// followed by whitespace, `/` or `>` enters "double escaped", which
/// `</script` followed by the same leaves, and `-->` returns to script
/// data too. One pass, no backtracking.
fn script_data_end(b: &[u8], from: usize, name: &[u8]) -> Result<Option<usize>, Bail> {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum St {
        Data,
        Escaped,
        Double,
    }
    let ends_name = |i: usize| {
        b.get(i)
            .is_none_or(|&c| super::is_space(c) || c == b'/' || c == b'>')
    };
    // `b[i..]` is `</name` then whitespace, `/` or `>`.
    let end_tag = |i: usize| {
        let after = i + 2 + name.len();
        b.len() > after
            && b[i + 1] == b'/'
            && b[i + 2..after].eq_ignore_ascii_case(name)
            && ends_name(after)
    };
    // Letters from `i`: their end (the tokenizer's temporary buffer).
    let letters = |i: usize| {
        let mut j = i;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        j
    };
    // The double escape start and end states: letters from `i` (the
    // temporary buffer), then whitespace, `/` or `>`, read, decide (is the
    // buffer `script`?); anything else is read again in the state before.
    // Where reading goes on, and whether the state switches.
    let temp_buffer = |i: usize| {
        let j = letters(i);
        if j < b.len() && ends_name(j) {
            (j + 1, b[i..j].eq_ignore_ascii_case(b"script"))
        } else {
            (j, false)
        }
    };
    let mut st = St::Data;
    // Dashes just read in the (double-)escaped states, up to two.
    let mut dashes = 0u8;
    let mut i = from;
    while i < b.len() {
        if st == St::Data {
            let Some(off) = memchr::memchr2(b'<', b'\0', &b[i..]) else {
                return Ok(None);
            };
            let j = i + off;
            if b[j] == 0 {
                return Err(Bail::Nul);
            }
            if end_tag(j) {
                return Ok(Some(j));
            }
            if b[j + 1..].starts_with(b"!--") {
                // Escape start, start dash: "escaped dash dash".
                st = St::Escaped;
                dashes = 2;
                i = j + 4;
            } else {
                i = j + 1;
            }
            continue;
        }
        match b[i] {
            0 => return Err(Bail::Nul),
            b'-' => {
                dashes = (dashes + 1).min(2);
                i += 1;
            }
            b'>' => {
                if dashes == 2 {
                    st = St::Data;
                }
                dashes = 0;
                i += 1;
            }
            b'<' => {
                dashes = 0;
                if st == St::Escaped {
                    if end_tag(i) {
                        return Ok(Some(i));
                    }
                    match b.get(i + 1) {
                        Some(c) if c.is_ascii_alphabetic() => {
                            // Double escape start.
                            let script;
                            (i, script) = temp_buffer(i + 1);
                            if script {
                                st = St::Double;
                            }
                        }
                        // `</` and no end tag of ours: `</` and letters
                        // are text, the rest is read again (escaped).
                        Some(b'/') => i = letters(i + 2),
                        _ => i += 1,
                    }
                } else if b.get(i + 1) == Some(&b'/') {
                    // Double escape end.
                    let script;
                    (i, script) = temp_buffer(i + 2);
                    if script {
                        st = St::Escaped;
                    }
                } else {
                    i += 1;
                }
            }
            _ => {
                dashes = 0;
                i += 1;
            }
        }
    }
    Ok(None)
}

/// A lowercase tag name as an atom: the common ones without the atom
/// table's hash lookup.
#[inline]
fn tag_name(lower: &str) -> LocalName {
    match lower {
        "div" => local_name!("div"),
        "a" => local_name!("a"),
        "span" => local_name!("span"),
        "li" => local_name!("li"),
        "p" => local_name!("p"),
        "img" => local_name!("img"),
        "td" => local_name!("td"),
        "tr" => local_name!("tr"),
        "script" => local_name!("script"),
        "meta" => local_name!("meta"),
        "link" => local_name!("link"),
        "br" => local_name!("br"),
        "ul" => local_name!("ul"),
        "input" => local_name!("input"),
        "option" => local_name!("option"),
        _ => LocalName::from(lower),
    }
}
