//! Formatting a comment on the tree: links and paragraphs, made inside the
//! cleaning walk as nodes that pass the walk's own checks, and written once.
//! No text pass over HTML, no regular expression over markup: the only
//! input is the parsed tree's text, the only output is escaped text and
//! tags the walk builds.
//!
//! # Runs
//!
//! With formatting on, text is not written when its node is visited but
//! gathered into a *run*: all the text written between two written nodes
//! (a kept element's start or end tag, a kept comment). Unwrapped and
//! dropped elements write nothing, so their text joins the run of their
//! neighbours, exactly as a re-parse of the output sees one text node
//! there; tags written as text (`escapeDisallowed`) join it too. A run is
//! decided when the next written event comes ([`Next`]): an inline start
//! tag (anything kept that does not close a `<p>`, `br` and `img`
//! included), a block start tag (an element that closes a `<p>`:
//! [`crate::html::closes_p`]), an end tag (of the element the run is in, or the
//! end of the input), or a kept comment. Deciding a run on what a re-parse
//! of the output would see, and nothing else, is what makes a second clean
//! give the output back.
//!
//! # Links
//!
//! A link is made only where a kept `<a>` could stand: HTML content (not
//! inside a kept SVG or MathML element, integration points included), not
//! in table structure, not inside a kept `a code pre listing kbd samp` or
//! skip-list element, below the depth cap (inside an auto `<p>`, one level
//! deeper). Only kept elements count: an unwrapped or dropped element's
//! text is part of the run, so a link never crosses a kept element's
//! boundary but may join text around an unwrapped one.
//!
//! The run's text is searched in *pieces*: split at whitespace (Unicode's,
//! so a no-break space ends a link), controls, `<`, `>` and `"` (where every
//! scan of the finder stops anyway), and before a `www.` host, which starts
//! a piece of its own. In a piece the `linkify` crate finds `scheme://`
//! URLs and e-mail addresses (URLs and e-mails as the policy says). A
//! `www.` host ([`www_host`]): `www.` (any case) followed by a letter or
//! digit, at the start of the text or after whitespace, a control, one of
//! ``( [ { < > " ' , ; ! * | ` `` or a non-ASCII character that is not a
//! letter or digit, whose labels (letters, digits, `-`, `.`) are not
//! followed by `@` (then it is an address); the finder is given it with a
//! scheme in front. Trailing punctuation (`. , : ; ! ? *`), unbalanced
//! `) ] }` and quotes stay outside the link.
//!
//! A found link is made when its text is at most `maxLength` bytes, its
//! `href` (the text as typed; `mailto:` + the address with `%`, `?`, `#`
//! percent-encoded; the `www` scheme + `://` + the host) passes every check
//! the walk applies to a kept `a href` (schemes per element and attribute,
//! allowed values, relative-URL rewriting, which may rewrite it), the
//! policy's element hook keeps the `<a>` as it is written, and the start tag
//! (`href`, the policy's forced values, `rel`) and `</a>` fit the output
//! budget. Otherwise the text stays text. The link text is the text as
//! typed. The `<p>` and `<br>` that paragraphs make are written the same
//! way: with the forced values, and only if the element hook keeps them
//! (`made_start`); a second clean, which meets them as input, then
//! writes them again unchanged.
//!
//! The text between two links becomes a text node of its own in the
//! output, and the finder may find a link there that it did not find with
//! the next link after it (`http://a.org,http://b.org`: the first host could
//! still be user info). So the links of a piece are a fixed point: the text
//! before each link is searched again on its own until nothing more is
//! found (`piece_links`); the text after the last link was searched as it
//! will be seen. The work for a piece is bounded ([`WORK_FACTOR`] × its
//! length); a piece that needs more gets no links, the same answer on
//! every clean.
//!
//! # Paragraphs and line breaks
//!
//! Each kept element (and the root) has a *flow* ([`Flow`]):
//!
//! * **off** in `pre` and `listing`, SVG and MathML elements, table
//!   structure (`table tbody thead tfoot tr colgroup`), and where nothing
//!   more may nest (the depth cap): text is written as it is;
//! * **container** for the root, `div` and `blockquote`, when the auto
//!   `<p>` and its children fit under the depth cap;
//! * **inline** everywhere else (`p`, `li`, `td`, `b`, `a`, …).
//!
//! A whitespace run (space, tab, LF, FF, CR) is a *line break* when it
//! holds one LF, a *paragraph break* when it holds two or more. Whitespace
//! is never dropped: it is written as it is, after a generated `<br>` or
//! between a generated `</p>` and `<p>`.
//!
//! In a **container**, inline content (non-whitespace text, an inline
//! element, a link) opens an auto `<p>` if none is open; leading whitespace
//! is written before it. The auto `<p>` closes before a block start tag and
//! at the container's end (whitespace before them is written after the
//! `</p>`), and at a paragraph break followed by inline content (`</p>`,
//! the whitespace, `<p>`). A line break followed by inline content inside
//! the `<p>` becomes `<br>` + the whitespace, unless it follows a `<br>`
//! (a paragraph break after a `<br>` still closes the paragraph).
//! A kept comment neither opens nor closes a `<p>`; whitespace before it
//! is decided as before inline content.
//!
//! In an **inline** flow, a line or paragraph break followed by inline
//! content (or a comment) becomes `<br>` + the whitespace, unless it comes
//! right after a start tag or a `<br>`; before a block start tag or an end
//! tag it is written as it is.
//!
//! While an auto `<p>` is open, inline elements in it and their children
//! are judged as inside a `<p>` (depth + 1, "p in button scope"), so a
//! block inside an inline element is unwrapped exactly as if the `<p>` had
//! been in the input. The auto `<p></p>` and every `<br>` are charged to
//! the output budget before they are written; what does not fit is not
//! made.
//!
//! # Bounds
//!
//! The output bound of the walk, `16 × input + 64 + expansion ×
//! (input / 2 + 1)` bytes, holds with formatting on, by construction: every tag
//! formatting writes (`<p></p>`, `<br>`, `<a …></a>`) is taken from the
//! same output budget before it is written, and text is written once, as
//! reserved. Time is linear: the whitespace of a run is decided once, each
//! piece is searched by the finder at most [`WORK_FACTOR`] times its
//! length in total, and the finder's scans (a scheme required) do not
//! overlap beyond the next trigger of their kind.

use std::borrow::Cow;

use html5ever::{local_name, ns, Attribute, LocalName, QualName};
use linkify::{LinkFinder, LinkKind};

use super::{attributes, Ctx, TablePart, Walker};
use crate::html::Place;
use crate::policy::{Compiled, Namespace};
use crate::report::Reporter;
use crate::serialize::{self, Out};

/// What comes after a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Next {
    /// A kept element that does not close a `<p>` (`br`, `img` included).
    Inline,
    /// A kept element that closes a `<p>`.
    Block,
    /// The end of the element the run is in (or of the input).
    End,
    /// A kept comment.
    Comment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Off,
    Container,
    Inline,
}

/// How a kept element's content is formatted.
#[derive(Clone, Copy, Debug)]
pub(super) struct Flow {
    kind: Kind,
    /// A container's auto `<p>` is open.
    p_open: bool,
}

/// The `<a>` a found link becomes.
struct Found {
    start: usize,
    end: usize,
    href: String,
}

/// Work allowed for the links of a piece, per byte of the piece.
const WORK_FACTOR: usize = 8;

/// Characters that end a piece: whitespace (Unicode's, so a no-break
/// space ends a link too), controls, `<`, `>` and `"`. Every scan of the
/// finder stops at the ASCII ones anyway, so splitting there changes
/// nothing the finder would have found.
fn is_split(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"')
}

/// The scheme put before a `www.` host for the finder.
const WWW_PREFIX: &str = "https://";

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// Can `www.` right after `c` start a host? Not after a letter, a digit or
/// a character that belongs to URLs and addresses (`foo.www.x`, `a-www.x`,
/// `/www.x`, `@www.x`, `:www.x`).
fn starts_word_after(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_whitespace()
            || c.is_ascii_control()
            || matches!(
                c,
                '(' | '[' | '{' | '<' | '>' | '"' | '\'' | ',' | ';' | '!' | '*' | '|' | '`'
            )
    } else {
        !c.is_alphanumeric()
    }
}

/// Does a `www.` host start at byte `i` of `text`: `www.` (any case) at the
/// start of the text or after [`starts_word_after`], followed by a letter or
/// digit, and not the local part of an address (the host's labels, letters,
/// digits, `-` and `.`, are not followed by `@`)? Returns the end of the
/// labels. The answer depends on one character before `i` and on the
/// labels only, which no link starts or ends inside, so it is the same on a
/// run and on the pieces a made link cuts it into.
fn www_host(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    if b.len() < i + 5 || !b[i..i + 4].eq_ignore_ascii_case(b"www.") {
        return None;
    }
    if text[..i]
        .chars()
        .next_back()
        .is_some_and(|c| !starts_word_after(c))
    {
        return None;
    }
    let host = &text[i + 4..];
    if !host.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    let end = host
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '-' || c == '.'))
        .map_or(host.len(), |(k, _)| k);
    (!host[end..].starts_with('@')).then_some(i + 4 + end)
}

/// Call `each(start, end)` for the pieces of `text`, in order: split at
/// [`is_split`] characters (which belong to no piece) and before a `www.`
/// host ([`www_host`], judged within `text`), which starts a piece of its
/// own.
fn pieces(text: &str, mut each: impl FnMut(usize, usize)) {
    let mut piece = 0;
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if is_split(c) {
            if i > piece {
                each(piece, i);
            }
            piece = i + c.len_utf8();
        } else if matches!(c, 'w' | 'W') && i >= skip_to && i > piece {
            if let Some(end) = www_host(text, i) {
                each(piece, i);
                piece = i;
                skip_to = end;
            }
        }
    }
    if text.len() > piece {
        each(piece, text.len());
    }
}

/// Append to `tag` the start tag of an HTML element formatting makes (`p`,
/// `br`, or `a` with `href`), written as the walk would write that element
/// kept from the input: `href`, then the policy's forced values (replacing
/// an `href` it forces), then the policy's `rel` on `a`. `false` (nothing
/// written) when the element hook would not keep the element as written,
/// so a second clean, which asks the hook about it, gives the same output.
pub(super) fn made_start(
    policy: &Compiled,
    local: &LocalName,
    href: Option<&str>,
    tag: &mut String,
) -> bool {
    let forced = policy.forced_for(&(Namespace::Html, local.clone()));
    let href = href.map(|h| (local_name!("href"), Cow::Borrowed(h)));
    // Without forced values, no list to build.
    let mut with_forced = Vec::new();
    let attrs = if forced.is_empty() {
        href.as_slice()
    } else {
        with_forced.extend(href);
        super::apply_forced(&mut with_forced, forced);
        with_forced.as_slice()
    };
    let rel = match *local {
        local_name!("a") => policy.rel.as_deref(),
        _ => None,
    };
    if let Some(hook) = &policy.hooks.element {
        let attribute = |name: LocalName, value: &str| Attribute {
            name: QualName::new(None, ns!(), name),
            value: value.into(),
        };
        let rel = rel.map(|r| attribute(local_name!("rel"), r));
        let list: Vec<Attribute> = attrs
            .iter()
            .map(|(n, v)| attribute(n.clone(), v))
            .chain(rel)
            .collect();
        let asked = crate::policy::HookElement {
            namespace: Namespace::Html,
            name: local,
            attributes: &list,
        };
        if hook(&asked) != crate::ElementAction::Default {
            return false;
        }
    }
    super::push_start_tag(tag, local, attrs, rel);
    true
}

/// [`made_start`] of `p` or `br` as a string of its own.
pub(super) fn made_tag(policy: &Compiled, local: &LocalName) -> Option<String> {
    let mut tag = String::new();
    made_start(policy, local, None, &mut tag).then_some(tag)
}

/// `mailto:` + the address, with the characters a `mailto:` URL reads
/// specially percent-encoded.
fn mailto(address: &str) -> String {
    let mut s = String::with_capacity(address.len() + 7);
    s.push_str("mailto:");
    for c in address.chars() {
        match c {
            '%' => s.push_str("%25"),
            '?' => s.push_str("%3F"),
            '#' => s.push_str("%23"),
            c => s.push(c),
        }
    }
    s
}

impl<O: Out, R: Reporter> Walker<'_, O, R> {
    /// The flow of a kept element's children, whose context is `child`.
    pub(super) fn flow_for(&self, ns: Namespace, local: &LocalName, child: Ctx) -> Flow {
        let max = self.policy.max_depth;
        let html = ns == Namespace::Html;
        let kind = if child.foreign
            || child.place != Place::Html
            || child.table != TablePart::None
            || (html && matches!(*local, local_name!("pre") | local_name!("listing")))
            || child.depth >= max
        {
            Kind::Off
        } else if self.policy.paragraphs
            && html
            && matches!(*local, local_name!("div") | local_name!("blockquote"))
            && child.depth + 1 < max
        {
            Kind::Container
        } else {
            Kind::Inline
        };
        Flow {
            kind,
            p_open: false,
        }
    }

    /// Is the current flow a paragraph container?
    pub(super) fn in_paragraph_container(&self) -> bool {
        self.formatting && self.flows.last().is_some_and(|f| f.kind == Kind::Container)
    }

    /// The context inside an auto `<p>` opened in context `ctx`.
    pub(super) fn p_ctx(&self, ctx: Ctx) -> Ctx {
        self.child_ctx(Namespace::Html, &self.p_name, &[], ctx)
    }

    /// Write the gathered run, deciding its whitespace and links on what
    /// comes `next`.
    pub(super) fn flush(&mut self, next: Next) {
        let run = std::mem::take(&mut self.run);
        let ctx = self.run_ctx;
        self.emit_run(&run, ctx, next);
        let mut run = run;
        run.clear();
        self.run = run;
    }

    fn emit_run(&mut self, run: &str, ctx: Ctx, next: Next) {
        let paragraphs =
            self.policy.paragraphs && self.flows.last().is_some_and(|f| f.kind != Kind::Off);
        if !paragraphs {
            if !run.is_empty() {
                if self.pre_pending && run.starts_with('\n') {
                    self.out.push("\n");
                }
                self.content(run, ctx);
            }
            return;
        }
        let bytes = run.as_bytes();
        let Some(start) = bytes.iter().position(|&b| !is_ws(b)) else {
            self.decide(run, self.line_start, next);
            return;
        };
        let end = bytes
            .iter()
            .rposition(|&b| !is_ws(b))
            .map_or(start, |e| e + 1);
        self.decide(&run[..start], self.line_start, Next::Inline);
        let body = &run[start..end];
        let bb = body.as_bytes();
        let mut pos = 0;
        let mut i = 0;
        while let Some(off) = memchr::memchr(b'\n', &bb[i..]) {
            let lf = i + off;
            let mut a = lf;
            while a > pos && is_ws(bb[a - 1]) {
                a -= 1;
            }
            let mut b = lf + 1;
            while b < bb.len() && is_ws(bb[b]) {
                b += 1;
            }
            self.content(&body[pos..a], ctx);
            self.decide(&body[a..b], false, Next::Inline);
            pos = b;
            i = b;
        }
        self.content(&body[pos..], ctx);
        self.line_start = false;
        self.decide(&run[end..], false, next);
    }

    /// Write whitespace `ws` (possibly empty) that comes before `next`,
    /// with a `<br>` or a paragraph break where the rules say so, and open
    /// or close the auto `<p>` as `next` needs.
    fn decide(&mut self, ws: &str, after_break: bool, next: Next) {
        let lfs = ws.bytes().filter(|&b| b == b'\n').take(2).count();
        let Some(flow) = self.flows.last().copied() else {
            self.write_ws(ws);
            return;
        };
        let before_content = matches!(next, Next::Inline | Next::Comment);
        match flow.kind {
            Kind::Off => self.write_ws(ws),
            Kind::Inline => {
                if before_content && lfs >= 1 && !after_break {
                    self.br();
                }
                self.write_ws(ws);
            }
            Kind::Container if flow.p_open => {
                if !before_content {
                    self.close_p();
                    self.write_ws(ws);
                } else if lfs >= 2 {
                    self.close_p();
                    self.write_ws(ws);
                    if next == Next::Inline {
                        self.open_p();
                    }
                } else {
                    if lfs == 1 && !after_break {
                        self.br();
                    }
                    self.write_ws(ws);
                }
            }
            Kind::Container => {
                self.write_ws(ws);
                if next == Next::Inline {
                    self.open_p();
                }
            }
        }
    }

    fn write_ws(&mut self, ws: &str) {
        if !ws.is_empty() {
            serialize::text(self.out, ws);
            self.pre_pending = false;
        }
    }

    fn open_p(&mut self) {
        let Some(tag) = self.made_p.take() else {
            return;
        };
        if self.budget.take(tag.len() + "</p>".len()) {
            self.write(&tag);
            if let Some(f) = self.flows.last_mut() {
                f.p_open = true;
            }
        }
        self.made_p = Some(tag);
    }

    fn close_p(&mut self) {
        self.write("</p>");
        if let Some(f) = self.flows.last_mut() {
            f.p_open = false;
        }
    }

    fn br(&mut self) {
        let Some(tag) = self.made_br.take() else {
            return;
        };
        if self.budget.take(tag.len()) {
            self.write(&tag);
        }
        self.made_br = Some(tag);
    }

    /// The context a link in text of context `ctx` would have, if a link
    /// may be made there at all.
    fn link_ctx(&self, ctx: Ctx) -> Option<Ctx> {
        self.policy.links.as_ref()?;
        let in_p = self
            .flows
            .last()
            .is_some_and(|f| f.kind == Kind::Container && f.p_open);
        let c = if in_p { self.p_ctx(ctx) } else { ctx };
        let ok = !c.no_links
            && !c.foreign
            && c.place == Place::Html
            && c.table == TablePart::None
            && c.depth < self.policy.max_depth
            && self.structure_ok(&local_name!("a"), false, c)
            && self.policy.allowed.contains_key(&self.a_key);
        ok.then_some(c)
    }

    /// Write text, with links where they may be.
    fn content(&mut self, seg: &str, ctx: Ctx) {
        if seg.is_empty() {
            return;
        }
        self.pre_pending = false;
        let mut found = Vec::new();
        if self.link_ctx(ctx).is_some() {
            // The finder sees each piece alone; a link never spans two.
            pieces(seg, |start, end| {
                self.piece_links(seg, start, end, &mut found)
            });
        }
        let mut pos = 0;
        for f in found {
            if !self.link(&seg[f.start..f.end], &f.href, &seg[pos..f.start]) {
                continue;
            }
            pos = f.end;
        }
        serialize::text(self.out, &seg[pos..]);
    }

    /// Write `before` and then the link, if its tags fit the budget;
    /// otherwise write nothing (the caller keeps the text).
    fn link(&mut self, text: &str, href: &str, before: &str) -> bool {
        let mut tag = std::mem::take(&mut self.scratch);
        tag.clear();
        if !made_start(self.policy, &self.a_key.1, Some(href), &mut tag) {
            self.scratch = tag;
            return false;
        }
        let fits = self.budget.take(tag.len() + "</a>".len());
        if fits {
            serialize::text(self.out, before);
            self.out.push(&tag);
            serialize::text(self.out, text);
            self.out.push("</a>");
        }
        self.scratch = tag;
        fits
    }

    /// The links of `seg[start..end]` (a piece), appended to `out` in
    /// order, chosen so that a second clean finds no other: the text between
    /// two links is a run of its own in the output, and the finder may find
    /// a link there that it did not find with the following link's text
    /// after it (`http://a.org,http://b.org`: the first URL's host could
    /// still be user info). So the text before each link is searched again
    /// on its own, until no search finds anything more; the text after the
    /// last link was searched as it will be seen. The searches are bounded
    /// (`WORK_FACTOR`); a piece that needs more gets no links at all, the
    /// same answer each time it is cleaned.
    fn piece_links(&self, seg: &str, start: usize, end: usize, out: &mut Vec<Found>) {
        // Most pieces are words: nothing for the finder to start from.
        let piece = &seg[start..end];
        if memchr::memchr2(b':', b'@', piece.as_bytes()).is_none() && www_host(piece, 0).is_none() {
            return;
        }
        let first = out.len();
        let budget = WORK_FACTOR * (end - start) + 64;
        let mut work = 0usize;
        let mut todo = vec![(start, end)];
        while let Some((a, b)) = todo.pop() {
            work += b - a;
            if work > budget {
                out.truncate(first);
                return;
            }
            let mut gap = a;
            for f in self.find_links(&seg[a..b]) {
                if a + f.start > gap {
                    // The gap will be a text node of its own: its pieces
                    // are what a second clean searches (a `www.` host may
                    // start one now that the address after it is gone).
                    pieces(&seg[gap..a + f.start], |x, y| todo.push((gap + x, gap + y)));
                }
                gap = a + f.end;
                out.push(Found {
                    start: a + f.start,
                    end: a + f.end,
                    href: f.href,
                });
            }
        }
        out[first..].sort_by_key(|f| f.start);
    }

    /// The links in `seg` that may be made, in order, with their final
    /// `href`.
    fn find_links(&self, seg: &str) -> Vec<Found> {
        let Some(cfg) = &self.policy.links else {
            return Vec::new();
        };
        let mut finder = LinkFinder::new();
        let mut kinds = Vec::with_capacity(2);
        if cfg.urls {
            kinds.push(LinkKind::Url);
        }
        if cfg.emails {
            kinds.push(LinkKind::Email);
        }
        finder.kinds(&kinds);
        finder.url_must_have_scheme(true);
        // A `www.` host at the start: the finder is given the text with a
        // scheme before it.
        let www = match &cfg.www_scheme {
            Some(scheme) if cfg.urls && www_host(seg, 0).is_some() => Some(scheme.as_str()),
            Some(_) | None => None,
        };
        let scan: Cow<'_, str> = match www {
            Some(_) => Cow::Owned(format!("{WWW_PREFIX}{seg}")),
            None => Cow::Borrowed(seg),
        };
        let shift = if www.is_some() { WWW_PREFIX.len() } else { 0 };
        // A position in `scan` back in `seg` (inside the scheme: 0), and
        // whether it is the start of the scheme.
        let to_seg = |c: usize| -> (usize, bool) { (c.saturating_sub(shift), shift > 0 && c == 0) };
        let on = attributes::On {
            key: &self.a_key,
            local: &self.a_key.1,
            own: self
                .policy
                .allowed
                .get(&self.a_key)
                .map_or(&[][..], |r| r.attrs.as_slice()),
        };
        let href_name = local_name!("href");
        let mut out = Vec::new();
        for link in finder.links(&scan) {
            let (cs, ce) = (link.start(), link.end());
            let (start, is_www) = to_seg(cs);
            let (end, _) = to_seg(ce);
            if end <= start || end - start > cfg.max_length {
                continue;
            }
            let text = &seg[start..end];
            let href: Cow<'_, str> = match link.kind() {
                LinkKind::Email => Cow::Owned(mailto(text)),
                LinkKind::Url if is_www => {
                    Cow::Owned(format!("{}://{text}", www.unwrap_or_default()))
                }
                LinkKind::Url => Cow::Borrowed(text),
                // A kind this version does not know: not linked.
                _ => continue,
            };
            if let attributes::Outcome::Keep(v) =
                attributes::judge(self.policy, &on, &href_name, &href)
            {
                out.push(Found {
                    start,
                    end,
                    href: v.into_owned(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn www_hosts_start_words_and_are_not_addresses() {
        let hosts = |t: &str| -> Vec<usize> {
            (0..t.len())
                .filter(|&i| t.is_char_boundary(i) && www_host(t, i).is_some())
                .collect()
        };
        assert_eq!(hosts("www.a.b (www.c.d) x.www.e.f"), [0, 9]);
        assert_eq!(hosts("www.x@y.org www./ wwwx.y WWW.Z.org"), [25]);
        assert_eq!(hosts("\"'[www.é.org"), [3]);
        assert_eq!(hosts("a<www.b.c «www.d.e /www.f.g :www.h.i"), [2, 12]);
    }

    #[test]
    fn mailto_encodes_what_mailto_reads() {
        assert_eq!(mailto("a%b?c#d@e.org"), "mailto:a%25b%3Fc%23d@e.org");
    }
}
