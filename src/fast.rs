//! The fast parse: a second producer of the parse stage's tree.
//!
//! For a strict subset of fragment HTML, the tree html5ever builds (in a
//! `<div>`, scripting on) is what a single left-to-right pass would build by
//! itself: every token either appends to the current node or pops the
//! current node on its own end tag. [`parse_into`] recognises that subset
//! and tells a [`Build`] what the tree is, node by node in document order,
//! or gives up with a [`Bail`] reason, and the caller falls back to
//! html5ever. Two builders: [`parse`] makes the very same arena [`Dom`]
//! through [`Sink`]'s `TreeSink` methods (the calls html5ever's tree builder
//! makes for such input: create, append, pop, in the same order); the
//! streaming walk (`clean/stream.rs`) cleans the nodes as they come, with no
//! tree. The parser never decides what is *allowed* (the walk does that,
//! on whichever tree or stream it gets), only what the tree *is*.
//!
//! Chromium (`HTMLDocumentParserFastpath`, 2022) and WebKit
//! (`HTMLDocumentParserFastPath`, 2023) do the same for `innerHTML`. The
//! subset here:
//!
//! * **text**, with CR and CR LF read as LF (the tokenizer's input
//!   preprocessing); no NUL anywhere;
//! * **character references**, all of them, read as the tokenizer reads
//!   them: numeric ones with or without `;` (0, surrogates and values past
//!   U+10FFFF become U+FFFD, 0x80–0x9F go through the windows-1252 table),
//!   named ones by the longest match in the entity table (with or without
//!   `;`; in an attribute value a match without `;` before `=` or an
//!   alphanumeric is text, the historical rule); an `&` that starts none
//!   stays a literal `&`;
//! * **tags** of the elements of [`html::fast_subset`] (upper case folded),
//!   attributes quoted, unquoted or without value, `/` and whitespace where
//!   the tokenizer skips them, `/>` (ignored on non-void elements, as HTML
//!   does); at most [`MAX_ATTRIBUTES`] per tag (a repeated one is dropped,
//!   as the tokenizer drops it); names and unquoted values may hold what
//!   the tokenizer reads on from with a parse error (`"` `'` `<`, and
//!   `=` `` ` `` in values; a `=` first in a name);
//! * **tree**: an end tag closes the current node; or an element below it
//!   when what is above is neither formatting nor (for a formatting end
//!   tag) special, popping them all (or is ignored, where the tree builder
//!   ignores it: see `close_below`); or names no open element at all
//!   (ignored; not `</p>`, `</br>`, nor a heading's while one is open);
//!   an `a` while an `a` is open closes it (the adoption agency) when
//!   nothing special or formatting is above it, and an element that closes
//!   a `p` closes the open one when nothing formatting is above it (not an
//!   `li`); no heading directly in a heading, an `li` only where the list item rules close nothing and a
//!   list (`ul`, `ol`) is its nearest special ancestor; the leading newline
//!   of `pre` is dropped (an `&` right after `<pre>` bails); elements stay
//!   below the policy's depth cap (bail when one would reach it), so the
//!   parse guard never steps in.
//!
//! Also: comments (`<!--...-->`, and `<!-->`, `<!--->` as empty ones; not
//! `--!>`), the raw-text and RCDATA elements (`style iframe noembed noframes
//! noscript xmp title textarea`, and `script` unless its content holds
//! `<!--`: one text node up to `</name>`), any name the tree builder has no
//! rule for (an ordinary element), the void elements but `col`, `frame` and
//! `image` (inserted and popped at once), `body` (ignored in a fragment)
//! and `html` without attributes (ignored).
//!
//! The end of the input inside a tag drops the tag (as the tokenizer does);
//! inside a raw-text or RCDATA element it ends the element. End tags may
//! carry attributes (dropped), and an end tag whose name has a tree-builder
//! rule outside the subset is ignored (no such element is ever open here,
//! and each of those end tags is ignored when none is in scope).
//!
//! Everything else bails: `<!` other than a comment (doctype, CDATA), `<?`,
//! `</` not followed by a letter, EOF in a comment, start tags of elements
//! with a tree-builder rule outside the subset (tables, forms, `dd dt`,
//! ruby parts, `nobr`, `listing`, `image`, `plaintext`, `object`, `html`
//! with attributes, `svg`, `math`, ...).
//!
//! Why the subset is exact: in it, the list of active formatting elements
//! only ever holds elements that are open (each formatting element is
//! removed from it by its own end tag, which the adoption agency handles as
//! "pop the current node" when no special element is open below it; the
//! Noah's Ark clause may drop an entry early, after which its end tag pops
//! it as a plain current node), so reconstruction never creates an
//! element; no insertion mode but "in body" is entered; no token implies an
//! end tag. Tests (`tests/fast_path.rs`), fuzzing (`fuzz_targets/fast_path.rs`)
//! and the `verify-fast-path` feature compare the trees node by node.
//!
//! Cost: one pass, no recursion; text is told as slices of the input where
//! it needs no decoding (attribute values shared with one copy of the input
//! as tendrils). A bail wastes the work done so far: at most one pass of
//! the fast parser and of what it feeds, which together run at about 3×
//! html5ever's speed (so a bail at the very end costs about a third more
//! than html5ever alone, never twice); inputs over [`MAX_INPUT`] are not
//! tried, which bounds the waste in absolute terms. Nothing is made before
//! the first node, and what makes real pages bail (a doctype, `<html>`, a
//! comment before it) comes first: a page costs nothing extra.
//!
//! After a bail, html5ever's tree builder gets the input, but not
//! html5ever's tokenizer: [`tokens`] feeds it the tokens this parser's
//! lexing reads (the tree builder's rules are what the subset avoids; the
//! tokenizer's are few and fixed), and hands over to html5ever's tokenizer
//! at the first token it does not read exactly.

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, TreeSink};
use html5ever::{local_name, ns, Attribute, LocalName, QualName};

use crate::dom::{Dom, NodeData, NodeId, Sink, DOCUMENT, NIL};

mod tokens;
use crate::html::{self, InBody, SubsetTag, TextContent};
pub(crate) use tokens::{hand_over, tokenize};

/// Inputs longer than this go straight to html5ever. A bail wastes at most
/// one pass of the fast parser over the input (building the tree as it
/// goes, it runs at about 3× html5ever's speed: so at most about a third
/// more time); the cap bounds that waste in absolute terms (about 60 ms).
/// It is above the default input limit (10 MiB), so the fast path does not
/// change how time grows with the input up to there.
pub(crate) const MAX_INPUT: usize = 16 << 20;

/// Tendrils this short live inline (tendril's `MAX_INLINE_LEN`).
const INLINE: usize = 8;

/// Most attributes one tag may have on the fast path.
pub(crate) const MAX_ATTRIBUTES: usize = 32;

/// Why the fast parser gave up on an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Bail {
    /// Longer than [`MAX_INPUT`].
    TooLong,
    /// A NUL character.
    Nul,
    /// `<!`, `<?` or `</` not followed by a letter: comments, doctypes,
    /// CDATA, processing instructions, bogus comments.
    Declaration,
    /// An element outside the subset.
    Element,
    /// An end tag that does not close the current node.
    EndTag,
    /// An element that closes an open `p`.
    ClosesP,
    /// `a` inside `a`.
    NestedA,
    /// A heading directly in a heading.
    NestedHeading,
    /// An `li` outside a list, or one that closes another.
    ListItem,
    /// An attribute outside the subset (odd characters, too many).
    Attribute,
    /// The input ends inside a tag.
    Eof,
    /// An element would reach the depth cap.
    Depth,
    /// An `&` right after `<pre>`.
    PreNewline,
}

impl Bail {
    /// A short name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Bail::TooLong => "too long",
            Bail::Nul => "nul",
            Bail::Declaration => "comment or declaration",
            Bail::Element => "element",
            Bail::EndTag => "end tag mismatch",
            Bail::ClosesP => "closes p",
            Bail::NestedA => "a in a",
            Bail::NestedHeading => "heading in heading",
            Bail::ListItem => "li",
            Bail::Attribute => "attribute",
            Bail::Eof => "eof in tag",
            Bail::Depth => "depth",
            Bail::PreNewline => "pre newline",
        }
    }
}

/// Parse `input` as html5ever's fragment parser would (see the module docs),
/// or say why not. `max_depth` is the policy's depth cap, `rel_len` as for
/// [`crate::parse::parse_fragment`].
pub(crate) fn parse(input: &str, max_depth: usize, rel_len: usize) -> Result<Parsed, Bail> {
    let (tree, needs_precheck) = parse_into(
        input,
        max_depth,
        TreeBuild {
            src: input,
            rel_len,
            tree: None,
            open: Vec::new(),
        },
    )?;
    let (sink, root) = match tree.tree {
        Some(tree) => tree,
        // Nothing was appended (an empty input, `<body>`): the bare tree.
        None => new_tree(input, rel_len),
    };
    // At the end html5ever's tree builder pops every open element, the
    // root last: the sink hears the same.
    for id in tree.open.iter().rev() {
        sink.pop(id);
    }
    sink.pop(&root);
    Ok(Parsed {
        dom: sink.into_dom(Vec::new()),
        needs_precheck,
    })
}

/// Parse `input` as [`parse`] does, telling `out` what the tree is as it
/// is found, in document order: each text node (merged, as the tree
/// builder merges), comment, element start and element end (every open
/// element is ended before [`Build::finish`]). A bail can come after
/// anything was told: `out` then holds a partial result, to be thrown
/// away. Gives `out` back, with whether the attribute pre-check must run
/// (see [`Parsed::needs_precheck`]).
pub(crate) fn parse_into<B: Build>(
    input: &str,
    max_depth: usize,
    out: B,
) -> Result<(B, bool), Bail> {
    if input.len() > MAX_INPUT {
        return Err(Bail::TooLong);
    }
    let mut p = Parser::new(input, max_depth, out);
    p.run()?;
    for _ in 0..p.stack.len() {
        p.out.end();
    }
    p.out.finish();
    Ok((p.out, p.lt_in_tag))
}

/// Run the fast parser over `input`, building nothing (for measurements):
/// whether it accepts.
pub(crate) fn scan_only(input: &str, max_depth: usize) -> bool {
    struct Nothing;
    impl Build for Nothing {
        fn text(&mut self, _: Text<'_>, _: bool, _: &mut Option<StrTendril>) {}
        fn comment(&mut self, _: Text<'_>, _: &mut Option<StrTendril>) {}
    }
    parse_into(input, max_depth, Nothing).is_ok()
}

/// An attribute as the fast parser reads it: its name (lowercase) and value.
pub(crate) struct FastAttr<'s> {
    pub(crate) name: LocalName,
    pub(crate) value: Text<'s>,
}

/// Text of the input: a slice of it, or decoded.
pub(crate) enum Text<'s> {
    /// `src[start..end]`.
    Slice {
        src: &'s str,
        start: usize,
        end: usize,
    },
    Owned(StrTendril),
}

impl Text<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Slice { src, start, end } => &src[*start..*end],
            Text::Owned(t) => t,
        }
    }

    /// As a tendril: a short one inline, a longer one shared with `whole`
    /// (one copy of the whole input, made on first use).
    fn tendril(self, whole: &mut Option<StrTendril>) -> StrTendril {
        match self {
            Text::Owned(t) => t,
            Text::Slice { src, start, end } => {
                let slice = &src[start..end];
                if slice.len() <= INLINE {
                    // Stored inline in the tendril: no allocation, no sharing.
                    return StrTendril::from_slice(slice);
                }
                let whole = whole.get_or_insert_with(|| StrTendril::from_slice(src));
                // The input is at most MAX_INPUT bytes (offsets fit in u32),
                // and both ends are at ASCII delimiters (char boundaries):
                // this never fails, but copying would do if it did.
                whole
                    .try_subtendril(start as u32, slice.len() as u32)
                    .unwrap_or_else(|_| StrTendril::from_slice(slice))
            }
        }
    }
}

/// What the fast parser tells about the tree it finds (see [`parse_into`]).
pub(crate) trait Build {
    /// A text node in the current element; `plain` when it holds no `&`,
    /// `<` or CR. `whole` is the input as one tendril, for
    /// [`Text::tendril`].
    fn text(&mut self, text: Text<'_>, plain: bool, whole: &mut Option<StrTendril>);
    /// A comment in the current element.
    fn comment(&mut self, text: Text<'_>, whole: &mut Option<StrTendril>);
    /// An HTML element `local` in the current element; unless it is `void`,
    /// it becomes the current element. `attrs` may be drained; the parser
    /// clears it afterwards. `whole` as for [`Build::text`]. (The defaults
    /// of this and the two below ignore the tree's shape, for the builders
    /// that only look at text: measurements, the fast tokenizer's lexing.)
    fn start(
        &mut self,
        _local: &LocalName,
        _attrs: &mut Vec<FastAttr<'_>>,
        _void: bool,
        _whole: &mut Option<StrTendril>,
    ) {
    }
    /// The current element ends.
    fn end(&mut self) {}
    /// The input ends (after every element was ended).
    fn finish(&mut self) {}
}

/// [`Build`] of the arena tree, through [`Sink`]'s `TreeSink` methods in
/// the order html5ever's tree builder calls them.
struct TreeBuild<'s> {
    src: &'s str,
    rel_len: usize,
    /// The arena and its `html` root, made when the first node is: an input
    /// that bails on its first tag (a page's doctype) costs no more.
    tree: Option<(Sink, NodeId)>,
    /// The open elements (the root not included).
    open: Vec<NodeId>,
}

impl TreeBuild<'_> {
    /// The arena, and its root.
    fn tree(&mut self) -> (&Sink, NodeId) {
        let (src, rel_len) = (self.src, self.rel_len);
        let (sink, root) = self.tree.get_or_insert_with(|| new_tree(src, rel_len));
        (sink, *root)
    }

    /// Append `child` to the current node.
    fn append(&mut self, child: NodeOrText<NodeId>) {
        let current = self.open.last().copied();
        let (sink, root) = self.tree();
        sink.append(&current.unwrap_or(root), child);
    }
}

impl Build for TreeBuild<'_> {
    fn text(&mut self, text: Text<'_>, _: bool, whole: &mut Option<StrTendril>) {
        self.append(NodeOrText::AppendText(text.tendril(whole)));
    }

    fn comment(&mut self, text: Text<'_>, whole: &mut Option<StrTendril>) {
        let id = self.tree().0.create_comment(text.tendril(whole));
        self.append(NodeOrText::AppendNode(id));
    }

    fn start(
        &mut self,
        local: &LocalName,
        attrs: &mut Vec<FastAttr<'_>>,
        void: bool,
        whole: &mut Option<StrTendril>,
    ) {
        let attrs = attrs
            .drain(..)
            .map(|a| Attribute {
                name: QualName::new(None, ns!(), a.name),
                value: a.value.tendril(whole),
            })
            .collect();
        let id = self.tree().0.create_element(
            QualName::new(None, ns!(html), local.clone()),
            attrs,
            ElementFlags::default(),
        );
        self.append(NodeOrText::AppendNode(id));
        if void {
            // The tree builder pushes and pops it at once: the sink hears
            // both.
            self.tree().0.pop(&id);
        } else {
            self.open.push(id);
        }
    }

    fn end(&mut self) {
        if let Some(id) = self.open.pop() {
            // The sink hears every pop from the stack of open elements, as
            // from html5ever's tree builder.
            self.tree().0.pop(&id);
        }
    }

    fn finish(&mut self) {}
}

/// A tree the fast parser built.
pub(crate) struct Parsed {
    pub(crate) dom: Dom,
    /// The input may hold what [`crate::parse::attribute_precheck`] refuses,
    /// and the full path refuses: a `<` in a quoted attribute value starts
    /// a candidate tag the pre-check counts attributes for. Without one,
    /// every candidate tag it sees is a real tag of at most
    /// [`MAX_ATTRIBUTES`] attributes (a `<` in text is followed by neither a
    /// letter nor `/`, and unquoted values hold no `<`), so it cannot.
    pub(crate) needs_precheck: bool,
}

/// An open element.
struct Open {
    local: LocalName,
    rule: InBody,
    /// An `li` start tag with this node as the current node closes nothing
    /// and is inside a list.
    li_ok: bool,
}

/// Text (or an attribute value) being collected: a range of the input while
/// it is one, an owned buffer once references or newlines were decoded.
#[derive(Default)]
struct Run {
    start: usize,
    end: usize,
    /// Holds the whole run when set (`start..end` is then unused).
    owned: Option<StrTendril>,
    /// A literal `&` or `<` was pushed (not a reference, not a tag).
    literal: bool,
}

impl Run {
    fn owned(&mut self, src: &str) -> &mut StrTendril {
        let (s, e) = (self.start, self.end);
        self.owned
            .get_or_insert_with(|| StrTendril::from_slice(&src[s..e]))
    }

    /// Append `src[s..e]`, reading CR LF and CR as LF. `cr` is the
    /// position of a CR at or after every position pushed so far (or past
    /// the end), found lazily: the input is scanned for CR once, in pieces,
    /// and only as far as text reaches.
    fn push(&mut self, src: &str, s: usize, e: usize, cr: &mut usize) {
        if s == e {
            return;
        }
        let bytes = src.as_bytes();
        // Positions only grow: while `cr` is a CR at or after `s`, it is the
        // first one. (It starts at 0, which is a CR or not.)
        if *cr < s || (*cr < bytes.len() && bytes[*cr] != b'\r') {
            *cr = memchr::memchr(b'\r', &bytes[s..]).map_or(usize::MAX, |i| s + i);
        }
        if *cr < e {
            let t = self.owned(src);
            let mut rest = &src[s..e];
            while let Some(i) = rest.find('\r') {
                t.push_slice(&rest[..i]);
                t.push_char('\n');
                rest = &rest[i + 1..];
                if let Some(after) = rest.strip_prefix('\n') {
                    rest = after;
                }
            }
            t.push_slice(rest);
        } else if let Some(t) = &mut self.owned {
            t.push_slice(&src[s..e]);
        } else if self.start == self.end {
            (self.start, self.end) = (s, e);
        } else if self.end == s {
            self.end = e;
        } else {
            self.owned(src).push_slice(&src[s..e]);
        }
    }

    /// Push the `&` or `<` at `i` as text.
    fn push_literal(&mut self, src: &str, i: usize, cr: &mut usize) {
        self.literal = true;
        self.push(src, i, i + 1, cr);
    }

    /// A range of the input holding no `&`, `<` or CR (so no reference
    /// was decoded and no newline normalised in it).
    fn is_plain(&self) -> bool {
        self.owned.is_none() && !self.literal
    }

    fn push_char(&mut self, src: &str, c: char) {
        self.owned(src).push_char(c);
    }

    /// The run's text (`None` when empty), leaving it empty.
    #[inline(always)]
    fn take<'s>(&mut self, src: &'s str) -> Option<Text<'s>> {
        let run = std::mem::take(self);
        if let Some(t) = run.owned {
            return Some(Text::Owned(t));
        }
        (run.start < run.end).then_some(Text::Slice {
            src,
            start: run.start,
            end: run.end,
        })
    }
}

/// The next `<`, `&` or NUL at or after `from`.
#[inline]
fn find_text_stop(b: &[u8], from: usize) -> Option<usize> {
    find3(b, from, b'<', b'&', b'\0')
}

/// The next `x`, `y` or `z` at or after `from`. The runs searched (text
/// between tags, attribute values) are short: the first 32 bytes are
/// looked at eight at a time before a SIMD search, whose setup costs more
/// than a short run.
#[inline]
fn find3(b: &[u8], from: usize, x: u8, y: u8, z: u8) -> Option<usize> {
    use crate::swar::eq;
    let head = b.len().min(from + 32);
    let mut i = from;
    while i + 8 <= head {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let v = u64::from_le_bytes(w);
        let hit = eq(v, x) | eq(v, y) | eq(v, z);
        if hit != 0 {
            return Some(i + (hit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    if head < from + 32 {
        // Near the end of the input: the last bytes one by one.
        return b[i..head]
            .iter()
            .position(|&c| c == x || c == y || c == z)
            .map(|p| i + p);
    }
    memchr::memchr3(x, y, z, &b[i..]).map(|p| i + p)
}

/// An attribute name (lowercase) as an atom: the common ones without the
/// atom table's hash lookup.
#[inline]
fn attribute_name(lower: &str) -> LocalName {
    match lower {
        "href" => local_name!("href"),
        "title" => local_name!("title"),
        "rel" => local_name!("rel"),
        "cite" => local_name!("cite"),
        "src" => local_name!("src"),
        "alt" => local_name!("alt"),
        "class" => local_name!("class"),
        "id" => local_name!("id"),
        "style" => local_name!("style"),
        "target" => local_name!("target"),
        "name" => local_name!("name"),
        "lang" => local_name!("lang"),
        "dir" => local_name!("dir"),
        "width" => local_name!("width"),
        "height" => local_name!("height"),
        "type" => local_name!("type"),
        _ => LocalName::from(lower),
    }
}

/// Bytes that end a tag name (whitespace, `/`, `>`).
/// Bytes of a tag name: [`NAME_END`] ends it (whitespace, `/`, `>`),
/// [`NAME_ODD`] is NUL or ASCII upper case, 0 anything else.
static NAME_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'\t' as usize] = NAME_END;
    t[b'\n' as usize] = NAME_END;
    t[0x0c] = NAME_END;
    t[b'\r' as usize] = NAME_END;
    t[b' ' as usize] = NAME_END;
    t[b'/' as usize] = NAME_END;
    t[b'>' as usize] = NAME_END;
    t[0] = NAME_ODD;
    let mut c = b'A';
    while c <= b'Z' {
        t[c as usize] = NAME_ODD;
        c += 1;
    }
    t
};
const NAME_END: u8 = 2;
const NAME_ODD: u8 = 1;

fn is_space(b: u8) -> bool {
    // CR is whitespace too: the tokenizer sees it as LF.
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// A decoded character reference.
enum Ref {
    /// The `&` is a literal `&`; what follows is read again as usual.
    Literal,
    /// One or two characters (`'\0'`: none), and the bytes the reference
    /// takes.
    Chars([char; 2], usize),
}

/// The character reference at `b[at] == b'&'`, in text or (`in_value`) in
/// an attribute value, read as html5ever's tokenizer reads it.
fn reference(b: &[u8], at: usize, in_value: bool) -> Ref {
    let start = at + 1;
    match b.get(start) {
        Some(b'#') => numeric(b, start + 1),
        Some(c) if c.is_ascii_alphanumeric() => named(b, start, in_value),
        // `&` then EOF, whitespace, `<`, `&`, punctuation: not a reference.
        Some(_) | None => Ref::Literal,
    }
}

/// `&#` (at `i - 2`) then decimal digits, or `x`/`X` then hex digits, and
/// an optional `;` (missing: a parse error, the value is used). Without a
/// digit the `&` is literal. The value maps as the tokenizer maps it: 0,
/// surrogates and values past U+10FFFF to U+FFFD, 0x80–0x9F through the
/// windows-1252 table, anything else to itself.
fn numeric(b: &[u8], i: usize) -> Ref {
    let start = i - 2;
    let hex = matches!(b.get(i), Some(b'x' | b'X'));
    let radix = if hex { 16 } else { 10 };
    let digits = i + usize::from(hex);
    let mut j = digits;
    // Saturating: any value past U+10FFFF maps to U+FFFD, as the
    // tokenizer's overflow flag makes it.
    let mut n: u32 = 0;
    while let Some(d) = b.get(j).and_then(|&c| char::from(c).to_digit(radix)) {
        n = n.saturating_mul(radix).saturating_add(d);
        j += 1;
    }
    if j == digits {
        return Ref::Literal;
    }
    if b.get(j) == Some(&b';') {
        j += 1;
    }
    let c = match n {
        0 | 0xD800..=0xDFFF => '\u{fffd}',
        0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(n - 0x80) as usize]
            .or_else(|| char::from_u32(n))
            .unwrap_or('\u{fffd}'),
        _ => char::from_u32(n).unwrap_or('\u{fffd}'),
    };
    Ref::Chars([c, '\0'], j - start)
}

/// A named reference at `b[start..]` (after the `&`): the tokenizer reads
/// characters while what it read is a name of the entity table or the
/// start of one, and takes the longest full match on the way (names with
/// and without `;`). In an attribute value a match without `;` followed
/// by `=` or an ASCII alphanumeric is not a reference (the historical
/// rule). No match: the `&` is literal.
fn named(b: &[u8], start: usize, in_value: bool) -> Ref {
    // The common ones first, without the table: `name;` is a full match
    // that no longer name extends (`;` ends every name in the table).
    let mut end = start;
    while end < b.len() && end < start + 5 && b[end].is_ascii_lowercase() {
        end += 1;
    }
    if b.get(end) == Some(&b';') {
        let c = match &b[start..end] {
            b"amp" => Some('&'),
            b"lt" => Some('<'),
            b"gt" => Some('>'),
            b"quot" => Some('"'),
            b"apos" => Some('\''),
            b"nbsp" => Some('\u{a0}'),
            _ => None,
        };
        if let Some(c) = c {
            return Ref::Chars([c, '\0'], end + 1 - (start - 1));
        }
    }
    let table = &html5ever::data::NAMED_ENTITIES;
    let mut best = None;
    let mut k = start;
    // Names are ASCII: a non-ASCII byte ends the search (it is no prefix).
    while k < b.len() && b[k].is_ascii() {
        // ASCII from `start` to `k`: a valid str.
        let Ok(prefix) = std::str::from_utf8(&b[start..=k]) else {
            break;
        };
        match table.get(prefix) {
            None => break,
            Some(&(c1, c2)) => {
                if c1 != 0 {
                    best = Some((c1, c2, k + 1));
                }
                k += 1;
            }
        }
    }
    let Some((c1, c2, end)) = best else {
        return Ref::Literal;
    };
    let historical = in_value
        && b[end - 1] != b';'
        && b.get(end)
            .is_some_and(|&c| c == b'=' || c.is_ascii_alphanumeric());
    if historical {
        return Ref::Literal;
    }
    let char_of = |u: u32| char::from_u32(u).unwrap_or('\0');
    Ref::Chars([char_of(c1), char_of(c2)], end - (start - 1))
}

/// The character reference at byte `i` of `src` (an `&`), decoded into
/// `run` or kept as a literal `&`. Returns the position after it.
fn reference_into(src: &str, i: usize, in_value: bool, run: &mut Run, cr: &mut usize) -> usize {
    match reference(src.as_bytes(), i, in_value) {
        Ref::Literal => {
            run.push_literal(src, i, cr);
            i + 1
        }
        Ref::Chars(cs, n) => {
            for c in cs.into_iter().filter(|&c| c != '\0') {
                run.push_char(src, c);
            }
            i + n
        }
    }
}

/// The arena for `src`, holding what html5ever's fragment parser makes
/// before the first token: the document, the context element (never
/// attached) and the `html` root under the document; and the root.
fn new_tree(src: &str, rel_len: usize) -> (Sink, NodeId) {
    // Every element comes from a `<`, every text node from what follows a
    // tag or the start: at most 2 nodes per `<`, plus the document, the
    // context, the root and a first text.
    let nodes = 2 * memchr::memchr_iter(b'<', src.as_bytes()).count() + 4;
    let sink = Sink::with_capacity(nodes, rel_len);
    let _context = sink.create_element(
        QualName::new(None, ns!(html), local_name!("div")),
        Vec::new(),
        ElementFlags::default(),
    );
    let root = sink.create_element(
        QualName::new(None, ns!(html), local_name!("html")),
        Vec::new(),
        ElementFlags::default(),
    );
    sink.append(&DOCUMENT, NodeOrText::AppendNode(root));
    (sink, root)
}

struct Parser<'a, B: Build> {
    src: &'a str,
    b: &'a [u8],
    /// The whole input as one tendril, made on first use: text and values
    /// that need no decoding are slices of it.
    whole: Option<StrTendril>,
    pos: usize,
    /// Told what the tree is.
    out: B,
    stack: Vec<Open>,
    /// Open `p` elements (all in button scope: nothing in the subset bounds it).
    p_open: u32,
    a_open: bool,
    max_depth: usize,
    text: Run,
    /// The attributes of the current tag (one buffer, reused).
    attrs: Vec<FastAttr<'a>>,
    /// See [`Run::push`].
    cr: usize,
    /// A quoted attribute value holds a `<`: the attribute pre-check must
    /// run (otherwise it cannot refuse what the fast parser accepted).
    lt_in_tag: bool,
    /// The last tag read ended with `/>` (its self-closing flag).
    self_closing: bool,
    /// The last tag read repeated an attribute (dropped).
    duplicate: bool,
}

impl<'a, B: Build> Parser<'a, B> {
    fn new(input: &'a str, max_depth: usize, out: B) -> Self {
        Parser {
            src: input,
            b: input.as_bytes(),
            whole: None,
            pos: 0,
            out,
            stack: Vec::new(),
            p_open: 0,
            a_open: false,
            max_depth,
            text: Run::default(),
            attrs: Vec::new(),
            cr: 0,
            lt_in_tag: false,
            self_closing: false,
            duplicate: false,
        }
    }

    #[inline(always)]
    fn flush_text(&mut self) {
        // Text in the data state stops at every `&` and `<`, and a CR makes
        // the run owned: a range that took no literal holds none of them.
        let plain = self.text.is_plain();
        if let Some(t) = self.text.take(self.src) {
            self.out.text(t, plain, &mut self.whole);
        }
    }

    fn run(&mut self) -> Result<(), Bail> {
        let len = self.b.len();
        while self.pos < len {
            let Some(i) = find_text_stop(self.b, self.pos) else {
                self.text.push(self.src, self.pos, len, &mut self.cr);
                self.pos = len;
                break;
            };
            self.text.push(self.src, self.pos, i, &mut self.cr);
            self.pos = i;
            match self.b[i] {
                b'&' => {
                    self.pos = reference_into(self.src, i, false, &mut self.text, &mut self.cr);
                }
                b'<' => self.markup()?,
                _ => return Err(Bail::Nul),
            }
        }
        self.flush_text();
        Ok(())
    }

    /// At a `<`.
    fn markup(&mut self) -> Result<(), Bail> {
        let i = self.pos;
        match self.b.get(i + 1) {
            Some(c) if c.is_ascii_alphabetic() => self.start_tag(),
            Some(b'/') => match self.b.get(i + 2) {
                Some(c) if c.is_ascii_alphabetic() => self.end_tag(),
                _ => Err(Bail::Declaration),
            },
            Some(b'!') if self.b[i..].starts_with(b"<!--") => self.comment(),
            Some(b'!' | b'?') => Err(Bail::Declaration),
            // `<` then anything else (or EOF) is text.
            _ => {
                self.text.push_literal(self.src, i, &mut self.cr);
                self.pos = i + 1;
                Ok(())
            }
        }
    }

    /// The tag name starting at `from`: up to whitespace, `/` or `>`,
    /// looked up in the subset. Leaves `pos` after the name.
    fn tag_name(&mut self, from: usize) -> Result<SubsetTag, Bail> {
        let (name, odd) = self.raw_tag_name(from)?;
        let tag = if odd {
            html::fast_subset(&name.to_ascii_lowercase())
        } else {
            html::fast_subset(name)
        };
        tag.ok_or(Bail::Element)
    }

    /// The tag name starting at `from` as written, and whether it holds
    /// upper case (to be folded); bails on NUL or EOF. Leaves `pos` after
    /// the name.
    #[inline]
    fn raw_tag_name(&mut self, from: usize) -> Result<(&'a str, bool), Bail> {
        let b = self.b;
        let mut j = from;
        // NUL and upper case are rare: one flag for both.
        let mut odd = 0u8;
        while j < b.len() {
            let class = NAME_BYTE[usize::from(b[j])];
            if class == NAME_END {
                break;
            }
            odd |= class;
            j += 1;
        }
        let odd = odd != 0;
        if j == b.len() {
            return Err(Bail::Eof);
        }
        self.pos = j;
        // The name ends at ASCII: a str. The tokenizer lowercases ASCII only.
        let name = &self.src[from..j];
        if odd && name.bytes().any(|c| c == b'\0') {
            return Err(Bail::Nul);
        }
        Ok((name, odd))
    }

    fn skip_space(&mut self) {
        while self.pos < self.b.len() && is_space(self.b[self.pos]) {
            self.pos += 1;
        }
    }

    fn end_tag(&mut self) -> Result<(), Bail> {
        let at = self.pos;
        let tag = match self.tag_name(self.pos + 2) {
            Ok(tag) => Some(tag),
            // A name with a tree-builder rule outside the subset: no such
            // element is ever open on the fast path, and each of those end
            // tags is ignored when none is (in scope): read it, then ignore.
            Err(Bail::Element) => None,
            Err(Bail::Eof) => return self.eof_in_tag(at),
            Err(e) => return Err(e),
        };
        self.skip_space();
        if self.b.get(self.pos) != Some(&b'>') {
            // Attributes on an end tag: a parse error, and dropped.
            match self.attributes() {
                Ok(()) => {}
                Err(Bail::Eof) => return self.eof_in_tag(at),
                Err(e) => return Err(e),
            }
            self.attrs.clear();
            // What the pre-check reads as attributes, it counts.
            self.lt_in_tag = true;
        } else {
            self.pos += 1;
        }
        let Some(tag) = tag else {
            return Ok(());
        };
        if matches!(tag.rule, InBody::Ignored | InBody::Root) {
            return Ok(());
        }
        match self.stack.last() {
            Some(open) if open.local == tag.local => {}
            Some(_) | None => return self.close_below(&tag),
        }
        self.flush_text();
        self.pop();
        Ok(())
    }

    /// Pop the topmost open element that is `which`, and every element
    /// above it, if none of those is a formatting element (and, with
    /// `plain_above`, none is special either); `None` (nothing popped)
    /// otherwise, or when none is `which`.
    fn close_open(&mut self, which: impl Fn(&Open) -> bool, plain_above: bool) -> Option<()> {
        // At most the depth cap of open elements to look through.
        let k = self.stack.iter().rposition(which)?;
        let blocked = self.stack[k + 1..].iter().any(|o| {
            matches!(o.rule, InBody::Formatting | InBody::Anchor)
                || (plain_above && o.rule != InBody::Ordinary)
        });
        if blocked {
            return None;
        }
        self.pop_to(k);
        Some(())
    }

    /// Pop every open element from the current one down to `stack[k]`.
    fn pop_to(&mut self, k: usize) {
        self.flush_text();
        while self.stack.len() > k {
            self.pop();
        }
    }

    /// Pop the current element (the tree builder pops it: the builder hears).
    fn pop(&mut self) {
        if let Some(open) = self.stack.pop() {
            self.out.end();
            if open.rule == InBody::Anchor {
                self.a_open = false;
            } else if open.local == local_name!("p") {
                self.p_open -= 1;
            }
        }
    }

    /// An end tag whose element is open, but not as the current node. Where
    /// the elements above it (the topmost one of that name) are neither
    /// formatting elements (they would stay in the list of active formatting
    /// elements, to be reconstructed) nor, for a formatting end tag, special
    /// (the adoption agency's furthest block), the tree builder pops them and
    /// it, in every rule that applies:
    ///
    /// * block, list, `pre` and `p` end tags: the element is in scope (no
    ///   scope boundary is in the subset); implied end tags, then pop to it;
    /// * formatting end tags: no furthest block, so pop to it (or, if Noah's
    ///   Ark dropped its entry, as below);
    /// * any other end tag: pop to it, unless a special element comes first
    ///   walking down from the current node: then the tag is ignored;
    /// * `</li>`: pop to it, unless a list is above it (not in list item
    ///   scope): then ignored.
    ///
    /// Headings (which close whichever heading is nearest) and the rest bail.
    fn close_below(&mut self, tag: &SubsetTag) -> Result<(), Bail> {
        // At most the depth cap of open elements to look through.
        let Some(k) = self.stack.iter().rposition(|o| o.local == tag.local) else {
            return self.stray_end_tag(tag);
        };
        let above = &self.stack[k + 1..];
        if above
            .iter()
            .any(|o| matches!(o.rule, InBody::Formatting | InBody::Anchor))
        {
            return Err(Bail::EndTag);
        }
        let special_above = above.iter().any(|o| !matches!(o.rule, InBody::Ordinary));
        match tag.rule {
            InBody::Block | InBody::List | InBody::Pre => {}
            InBody::Formatting | InBody::Anchor if !special_above => {}
            InBody::Ordinary if special_above => return Ok(()),
            InBody::Ordinary => {}
            InBody::ListItem if above.iter().any(|o| o.rule == InBody::List) => return Ok(()),
            InBody::ListItem => {}
            InBody::Formatting
            | InBody::Anchor
            | InBody::Heading
            | InBody::Void { .. }
            | InBody::Text(_)
            | InBody::Ignored
            | InBody::Root => return Err(Bail::EndTag),
        }
        self.pop_to(k);
        Ok(())
    }

    /// An end tag whose element is not open at all: the tree builder ignores
    /// it (a parse error), so the
    /// fast parser does too: for a block, list, `li` or heading end tag
    /// nothing of that name is in scope; for a formatting one no entry of
    /// that name is in the list of active formatting elements (in the
    /// subset it only holds open elements), so the adoption agency falls to
    /// "any other end tag", which, like any other ordinary end tag, meets the
    /// special `html` root before any element of that name. The exceptions
    /// bail: `</p>` and `</br>` make an element, `</hN>` closes whichever
    /// heading is open. Text on both sides of an ignored tag stays one text
    /// node.
    fn stray_end_tag(&self, tag: &SubsetTag) -> Result<(), Bail> {
        let makes_or_closes = matches!(tag.local, local_name!("p") | local_name!("br"))
            || (tag.rule == InBody::Heading
                && self.stack.iter().any(|o| o.rule == InBody::Heading));
        if makes_or_closes {
            return Err(Bail::EndTag);
        }
        Ok(())
    }

    /// The input ends inside the tag starting at `at`: the tokenizer drops
    /// the tag, and the input is over. (What follows `at` may still hold a
    /// `<` the pre-check reads as a tag.)
    fn eof_in_tag(&mut self, at: usize) -> Result<(), Bail> {
        self.lt_in_tag |= memchr::memchr(b'<', &self.b[at + 1..]).is_some();
        self.pos = self.b.len();
        Ok(())
    }

    fn start_tag(&mut self) -> Result<(), Bail> {
        let at = self.pos;
        let tag = match self.tag_name(self.pos + 1) {
            Err(Bail::Eof) => return self.eof_in_tag(at),
            t => t?,
        };
        match self.attributes() {
            Err(Bail::Eof) => return self.eof_in_tag(at),
            r => r?,
        }
        match tag.rule {
            InBody::Ignored => return Ok(()),
            InBody::Root if self.attrs.is_empty() => return Ok(()),
            // Its attributes would go to the root.
            InBody::Root => return Err(Bail::Element),
            InBody::Formatting
            | InBody::Anchor
            | InBody::Ordinary
            | InBody::Block
            | InBody::Heading
            | InBody::Pre
            | InBody::ListItem
            | InBody::List
            | InBody::Void { .. }
            | InBody::Text(_) => {}
        }
        let is_p = tag.local == local_name!("p");
        let closes_p = matches!(
            tag.rule,
            InBody::Block
                | InBody::List
                | InBody::Pre
                | InBody::Heading
                | InBody::ListItem
                | InBody::Void { closes_p: true }
                | InBody::Text(TextContent::Xmp)
        );
        if tag.rule == InBody::Anchor && self.a_open {
            // The adoption agency closes the open `a` first: with nothing
            // special above it (no furthest block) it pops to it; nothing
            // formatting above it may be left to reconstruct.
            self.close_open(|o| o.rule == InBody::Anchor, true)
                .ok_or(Bail::NestedA)?;
        }
        if closes_p && self.p_open > 0 {
            // "Close a p element": pop to it (implied end tags included);
            // nothing formatting above it may be left to reconstruct. (An
            // `li` runs the list item rules first: not here.)
            if tag.rule == InBody::ListItem {
                return Err(Bail::ClosesP);
            }
            self.close_open(|o| o.local == local_name!("p"), false)
                .ok_or(Bail::ClosesP)?;
        }
        if self.stack.len() + 1 >= self.max_depth {
            return Err(Bail::Depth);
        }
        let current = self.stack.last();
        if tag.rule == InBody::Heading && current.is_some_and(|o| o.rule == InBody::Heading) {
            return Err(Bail::NestedHeading);
        }
        if tag.rule == InBody::ListItem && !current.is_some_and(|o| o.li_ok) {
            return Err(Bail::ListItem);
        }
        // The list item rules walk down the stack to an `li` (closed) or a
        // special element other than `address`, `div`, `p` (stop). Of the
        // subset's containers, blocks, headings and `pre` are special,
        // formatting and ordinary elements are not (checked by a test in
        // `html`).
        let li_ok = match tag.rule {
            InBody::ListItem | InBody::Heading | InBody::Pre => false,
            InBody::List => true,
            InBody::Block => {
                matches!(
                    tag.local,
                    local_name!("address") | local_name!("div") | local_name!("p")
                ) && current.is_some_and(|o| o.li_ok)
            }
            InBody::Formatting
            | InBody::Anchor
            | InBody::Ordinary
            | InBody::Void { .. }
            | InBody::Text(_)
            | InBody::Ignored
            | InBody::Root => current.is_some_and(|o| o.li_ok),
        };
        self.flush_text();
        let void = matches!(tag.rule, InBody::Void { .. });
        self.out
            .start(&tag.local, &mut self.attrs, void, &mut self.whole);
        self.clear_attrs();
        if void {
            return Ok(());
        }
        if let InBody::Text(content) = tag.rule {
            return self.text_content(&tag.local, content).map(drop);
        }
        if tag.rule == InBody::Anchor {
            self.a_open = true;
        } else if is_p {
            self.p_open += 1;
        } else if tag.rule == InBody::Pre {
            self.skip_leading_newline()?;
        }
        self.stack.push(Open {
            local: tag.local,
            rule: tag.rule,
            li_ok,
        });
        Ok(())
    }

    /// After `<pre>` or `<textarea>`: the tree builder drops a newline that
    /// comes first (CR LF and CR are one). A reference there could be one
    /// (`&#10;`): bail.
    fn skip_leading_newline(&mut self) -> Result<(), Bail> {
        match self.b.get(self.pos) {
            Some(b'\n') => self.pos += 1,
            Some(b'\r') => {
                self.pos += 1;
                if self.b.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
            }
            Some(b'&') => return Err(Bail::PreNewline),
            Some(_) | None => {}
        }
        Ok(())
    }

    /// At `<!--`: a comment, appended to the current node (`<!-->` and
    /// `<!--->` are empty ones). Bails on the comment tokenizer's other odd
    /// cases: `--!>`, NUL, EOF.
    fn comment(&mut self) -> Result<(), Bail> {
        let start = self.pos + 4;
        let rest = &self.b[start..];
        // `<!-->` and `<!--->`: an empty comment, ended by that `>` (the
        // tokenizer's comment start and comment start dash states).
        let empty = if rest.starts_with(b">") {
            Some(1)
        } else if rest.starts_with(b"->") {
            Some(2)
        } else {
            None
        };
        if let Some(n) = empty {
            self.flush_text();
            self.out
                .comment(Text::Owned(StrTendril::new()), &mut self.whole);
            self.pos = start + n;
            return Ok(());
        }
        let Some(len) = memchr::memmem::find(rest, b"-->") else {
            return Err(Bail::Declaration);
        };
        let body = &rest[..len];
        if memchr::memchr(b'\0', body).is_some() || memchr::memmem::find(body, b"--!").is_some() {
            return Err(Bail::Declaration);
        }
        self.flush_text();
        let mut run = Run::default();
        run.push(self.src, start, start + len, &mut self.cr);
        let text = run.take(self.src).unwrap_or(Text::Owned(StrTendril::new()));
        self.out.comment(text, &mut self.whole);
        self.pos = start + len + 3;
        Ok(())
    }

    /// The content of a raw-text or RCDATA element `name` (already
    /// started) up to its end tag, which must be `</name>` (any case,
    /// whitespace before `>`). Whether that end tag was there (else the
    /// input ended first).
    fn text_content(&mut self, name: &LocalName, content: TextContent) -> Result<bool, Bail> {
        let b = self.b;
        let name = name.as_bytes();
        let mut run = Run::default();
        if content == TextContent::Textarea {
            // Its first newline is dropped, as after `<pre>`.
            self.skip_leading_newline()?;
        }
        let rcdata = matches!(content, TextContent::Rcdata | TextContent::Textarea);
        let (end, closed) = loop {
            let found = if rcdata {
                memchr::memchr3(b'<', b'&', b'\0', &b[self.pos..])
            } else {
                memchr::memchr2(b'<', b'\0', &b[self.pos..])
            };
            let Some(off) = found else {
                // No end tag: the content runs to the end of the input,
                // where the element ends.
                run.push(self.src, self.pos, b.len(), &mut self.cr);
                break (b.len(), false);
            };
            let i = self.pos + off;
            run.push(self.src, self.pos, i, &mut self.cr);
            self.pos = i;
            match b[i] {
                b'\0' => return Err(Bail::Nul),
                b'&' => {
                    self.pos = reference_into(self.src, self.pos, false, &mut run, &mut self.cr)
                }
                _ => {
                    if content == TextContent::Script && b[i..].starts_with(b"<!--") {
                        // Script data escaped states: not in the subset.
                        return Err(Bail::Declaration);
                    }
                    let after = i + 2 + name.len();
                    let closes = b[i..].starts_with(b"</")
                        && b.len() >= after
                        && b[i + 2..after].eq_ignore_ascii_case(name);
                    match b.get(after) {
                        Some(&c) if closes && (c == b'>' || is_space(c) || c == b'/') => {
                            let closed = self.raw_end_tag(i, after)?;
                            break (self.pos, closed);
                        }
                        None if closes => {
                            // `</name` and the end: text.
                            run.push(self.src, i, b.len(), &mut self.cr);
                            break (b.len(), false);
                        }
                        // Not its end tag: text.
                        _ => {
                            run.push(self.src, i, i + 1, &mut self.cr);
                            self.pos = i + 1;
                        }
                    }
                }
            }
        };
        if let Some(t) = run.take(self.src) {
            self.out.text(t, false, &mut self.whole);
        }
        // Pushed by its start tag, popped by its end tag.
        self.out.end();
        self.pos = end;
        Ok(closed)
    }

    /// Empty `attrs` (most tags have none: no drop call then).
    #[inline(always)]
    fn clear_attrs(&mut self) {
        if !self.attrs.is_empty() {
            self.attrs.clear();
        }
    }

    /// The rest of a raw-text or RCDATA element's end tag `</name` at `at`,
    /// from `after`, the end of its name (`>`, whitespace or `/`): what
    /// follows the name is read as attributes and dropped (a parse error).
    /// Whether the tag ends there; `false`: the input ends inside it, which
    /// drops it (the content then ends before it, the element at EOF, and
    /// `pos` is the end of the input).
    fn raw_end_tag(&mut self, at: usize, after: usize) -> Result<bool, Bail> {
        if self.b[after] == b'>' {
            self.pos = after + 1;
            return Ok(true);
        }
        self.pos = after;
        // What the pre-check reads as attributes, it counts.
        self.lt_in_tag = true;
        let read = self.attributes();
        self.clear_attrs();
        match read {
            Ok(()) => Ok(true),
            Err(Bail::Eof) => {
                self.eof_in_tag(at)?;
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// The attributes of a start tag, from after its name to after its `>`,
    /// into `attrs` (empty).
    fn attributes(&mut self) -> Result<(), Bail> {
        self.clear_attrs();
        self.duplicate = false;
        let b = self.b;
        // Attributes read, duplicates included (what the pre-check counts).
        let mut read = 0;
        // Just after a `/` read in the self-closing start tag state.
        let mut slash = usize::MAX;
        loop {
            self.skip_space();
            match b.get(self.pos) {
                None => return Err(Bail::Eof),
                Some(b'>') => {
                    self.self_closing = slash == self.pos;
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'/') => {
                    // Self-closing start tag state: `/>` ends the tag (the
                    // flag only matters for void elements, which are void
                    // anyway, and in foreign content); anything else is
                    // read as an attribute name.
                    self.pos += 1;
                    slash = self.pos;
                    continue;
                }
                Some(_) => {}
            }
            // Attribute name. A `=` first is part of it; `"`, `'` and `<`
            // are too (parse errors the tokenizer reads on from).
            let s = self.pos;
            if b[s] == b'=' {
                self.pos += 1;
            }
            let mut upper = false;
            while self.pos < b.len() {
                match b[self.pos] {
                    c if is_space(c) => break,
                    b'/' | b'>' | b'=' => break,
                    b'\0' => return Err(Bail::Nul),
                    b'<' => self.lt_in_tag = true,
                    c => upper |= c.is_ascii_uppercase(),
                }
                self.pos += 1;
            }
            if self.pos == b.len() {
                return Err(Bail::Eof);
            }
            let raw = &self.src[s..self.pos];
            let local = if upper {
                LocalName::from(raw.to_ascii_lowercase())
            } else {
                attribute_name(raw)
            };
            if read == MAX_ATTRIBUTES {
                return Err(Bail::Attribute);
            }
            read += 1;
            // The tokenizer drops a repeated attribute, value and all.
            let repeated = self.attrs.iter().any(|a| a.name == local);
            self.skip_space();
            let value = if b.get(self.pos) == Some(&b'=') {
                self.pos += 1;
                self.skip_space();
                self.value()?
            } else {
                Text::Slice {
                    src: self.src,
                    start: 0,
                    end: 0,
                }
            };
            if repeated {
                self.duplicate = true;
            } else {
                self.attrs.push(FastAttr { name: local, value });
            }
        }
    }

    /// An attribute value, after `=` and whitespace.
    fn value(&mut self) -> Result<Text<'a>, Bail> {
        let b = self.b;
        let mut run = Run::default();
        match b.get(self.pos) {
            None => return Err(Bail::Eof),
            // `a=>`: an empty value, and the tag ends.
            Some(b'>') => return Ok(Text::Owned(StrTendril::new())),
            Some(&q @ (b'"' | b'\'')) => {
                self.pos += 1;
                loop {
                    let Some(off) = memchr::memchr3(q, b'&', b'\0', &b[self.pos..]) else {
                        return Err(Bail::Eof);
                    };
                    let i = self.pos + off;
                    self.lt_in_tag |= memchr::memchr(b'<', &b[self.pos..i]).is_some();
                    run.push(self.src, self.pos, i, &mut self.cr);
                    self.pos = i;
                    match b[i] {
                        b'&' => {
                            self.pos =
                                reference_into(self.src, self.pos, true, &mut run, &mut self.cr)
                        }
                        b'\0' => return Err(Bail::Nul),
                        _ => {
                            self.pos = i + 1;
                            break;
                        }
                    }
                }
                // After the closing quote: whitespace, `/`, `>` or (a parse
                // error the tokenizer recovers from) the next name.
                if self.pos == b.len() {
                    return Err(Bail::Eof);
                }
            }
            Some(_) => loop {
                let s = self.pos;
                while self.pos < b.len() {
                    match b[self.pos] {
                        c if is_space(c) => break,
                        b'>' | b'&' => break,
                        b'\0' => return Err(Bail::Nul),
                        // `"'=` and backquote are parse errors, read on.
                        b'<' => {
                            self.lt_in_tag = true;
                            self.pos += 1;
                        }
                        _ => self.pos += 1,
                    }
                }
                run.push(self.src, s, self.pos, &mut self.cr);
                match b.get(self.pos) {
                    None => return Err(Bail::Eof),
                    Some(b'&') => {
                        self.pos = reference_into(self.src, self.pos, true, &mut run, &mut self.cr)
                    }
                    Some(_) => break,
                }
            },
        }
        Ok(run.take(self.src).unwrap_or(Text::Owned(StrTendril::new())))
    }
}

/// The first difference between two trees, walked from the document node
/// in parallel (node kind, namespace, name, attributes in order, text), or
/// `None` when they are equal.
pub(crate) fn diff(fast: &Dom, slow: &Dom) -> Option<String> {
    let mut stack = vec![(DOCUMENT, DOCUMENT, String::from("#document"))];
    while let Some((a, b, path)) = stack.pop() {
        let (na, nb) = (fast.node(a), slow.node(b));
        if let Some(why) = data_diff(&na.data, &nb.data) {
            return Some(format!("at {path}: {why}"));
        }
        let (mut ca, mut cb) = (na.first_child, nb.first_child);
        let mut i = 0;
        loop {
            match (ca == NIL, cb == NIL) {
                (true, true) => break,
                (false, false) => {
                    stack.push((ca, cb, format!("{path}/{i}")));
                    ca = fast.node(ca).next;
                    cb = slow.node(cb).next;
                    i += 1;
                }
                (true, false) => {
                    return Some(format!("at {path}: fast has {i} children, html5ever more"))
                }
                (false, true) => {
                    return Some(format!("at {path}: html5ever has {i} children, fast more"))
                }
            }
        }
    }
    None
}

fn data_diff(a: &NodeData, b: &NodeData) -> Option<String> {
    let same = match (a, b) {
        (NodeData::Document, NodeData::Document) | (NodeData::Fragment, NodeData::Fragment) => true,
        (
            NodeData::Element {
                name: n1,
                attrs: a1,
                integration_point: i1,
            },
            NodeData::Element {
                name: n2,
                attrs: a2,
                integration_point: i2,
            },
        ) => n1 == n2 && a1 == a2 && i1 == i2,
        (NodeData::Text(t1), NodeData::Text(t2)) => t1 == t2,
        (NodeData::Comment(c1), NodeData::Comment(c2)) => c1 == c2,
        _ => false,
    };
    (!same).then(|| format!("fast {a:?} != html5ever {b:?}"))
}

/// A readable dump of a tree (iterative), for failure messages.
pub(crate) fn dump(dom: &Dom) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut stack = vec![(DOCUMENT, 0usize)];
    while let Some((id, depth)) = stack.pop() {
        let n = dom.node(id);
        let _ = match &n.data {
            NodeData::Element { name, attrs, .. } => {
                let mut s = format!("<{}", &*name.local);
                for a in attrs {
                    let _ = write!(s, " {}={:?}", &*a.name.local, &*a.value);
                }
                writeln!(out, "{:1$}{s}>", "", depth * 2)
            }
            NodeData::Text(t) => writeln!(out, "{:1$}{2:?}", "", depth * 2, &**t),
            NodeData::Comment(c) => writeln!(out, "{:1$}<!--{2:?}-->", "", depth * 2, &**c),
            NodeData::Document => writeln!(out, "#document"),
            NodeData::Fragment => writeln!(out, "{:1$}#fragment", "", depth * 2),
        };
        let mut kids = Vec::new();
        let mut c = n.first_child;
        while c != NIL {
            kids.push(c);
            c = dom.node(c).next;
        }
        stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
    }
    out
}

/// A policy with the depth cap `max_depth` whose parse is html5ever's
/// alone (no fast tokenizer): the oracle. The full path's guard reads the
/// policy only at its caps and for what it drops with content.
fn oracle_policy(max_depth: usize) -> crate::Policy {
    crate::Policy::builder()
        .max_depth(max_depth)
        .build()
        .unwrap_or_default()
        .with_fast_path(false)
}

/// Parse `input` under `policy` with the fast tokenizer feeding html5ever's
/// tree builder ([`tokenize`]) and with html5ever's tokenizer: `Ok` when
/// both refuse it alike, or build equal trees and guard removals;
/// `Err(message)` otherwise.
pub(crate) fn check_tokens(input: &str, policy: &crate::Policy) -> Result<(), String> {
    let on = policy.with_fast_path(true);
    let off = policy.with_fast_path(false);
    let a = crate::parse::parse_fragment(input, &on.inner);
    let b = crate::parse::parse_fragment(input, &off.inner);
    match (a, b) {
        (Err(x), Err(y)) if x.to_string() == y.to_string() => Ok(()),
        (Ok(a), Ok(b)) => {
            if let Some(why) = diff(&a, &b) {
                return Err(format!(
                    "fast tokenizer and html5ever's build different trees for {input:?}: {why}\n--- fast tokenizer:\n{}--- html5ever:\n{}",
                    dump(&a),
                    dump(&b)
                ));
            }
            if a.guard_removals != b.guard_removals {
                return Err(format!(
                    "fast tokenizer and html5ever's: different guard removals for {input:?}: {:?} != {:?}",
                    a.guard_removals, b.guard_removals
                ));
            }
            Ok(())
        }
        (a, b) => Err(format!(
            "fast tokenizer and html5ever's disagree on refusing {input:?}: {:?} / {:?}",
            a.err(),
            b.err()
        )),
    }
}

/// Parse `input` both ways. `Ok(Ok(()))`: the fast parser accepted it and
/// the trees are equal (or both paths refuse it: the attribute pre-check);
/// `Ok(Err(bail))`: it bailed; `Err(message)`: the trees differ, or
/// html5ever refused an input the fast path would clean.
pub(crate) fn check(input: &str, max_depth: usize) -> Result<Result<(), Bail>, String> {
    let (fast, needs_precheck) = match parse(input, max_depth, 0) {
        Ok(p) => (p.dom, p.needs_precheck),
        Err(bail) => return Ok(Err(bail)),
    };
    // The full path's guard reads the policy only at its caps, which the
    // fast parser never reaches: any policy with this depth cap will do.
    let policy = oracle_policy(max_depth);
    let slow = match crate::parse::parse_fragment(input, &policy.inner) {
        Ok(d) => d,
        // The full path's attribute pre-check refuses it: so does the fast
        // path, when it asked for the pre-check.
        Err(_) if needs_precheck && crate::parse::attribute_precheck(input).is_err() => {
            return Ok(Ok(()))
        }
        Err(e) => {
            return Err(format!(
                "fast path accepted {input:?}, html5ever refused it: {e}"
            ))
        }
    };
    match diff(&fast, &slow) {
        None => Ok(Ok(())),
        Some(why) => Err(format!(
            "fast path and html5ever build different trees for {input:?} (max_depth {max_depth}): {why}\n--- fast:\n{}--- html5ever:\n{}",
            dump(&fast),
            dump(&slow)
        )),
    }
}

/// With the `verify-fast-path` feature: parse an input the fast parser
/// accepted again with html5ever, and panic if the trees differ.
#[cfg(feature = "verify-fast-path")]
pub(crate) fn verify(input: &str, fast: &Dom, max_depth: usize) {
    let policy = oracle_policy(max_depth);
    let slow = match crate::parse::parse_fragment(input, &policy.inner) {
        Ok(d) => d,
        Err(e) => {
            panic!("verify-fast-path: fast path accepted {input:?}, html5ever refused it: {e}")
        }
    };
    if let Some(why) = diff(fast, &slow) {
        panic!(
            "verify-fast-path: different trees for {input:?} (max_depth {max_depth}): {why}\n--- fast:\n{}--- html5ever:\n{}",
            dump(fast),
            dump(&slow)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// The word-at-a-time search finds what a byte-by-byte one does,
        /// from any position (runs around the 8- and 32-byte steps).
        #[test]
        fn text_stops_are_found_as_byte_by_byte(
            bytes in proptest::collection::vec(proptest::sample::select(
                vec![b'a', b'<', b'&', 0u8, 0xC3, 0xA9, b'>', 0xFF, 0x01, b'%', b'$']), 0..90),
            weights in proptest::collection::vec(0usize..30, 1..4),
            from in 0usize..90,
        ) {
            // Mostly plain bytes, so that stops come late too.
            let mut b = bytes;
            for (i, c) in b.iter_mut().enumerate() {
                if weights[i % weights.len()] > 3 && i % 7 != 0 {
                    *c = b'x';
                }
            }
            let from = from.min(b.len());
            let expected = b[from..]
                .iter()
                .position(|&c| matches!(c, b'<' | b'&' | b'\0'))
                .map(|p| from + p);
            proptest::prop_assert_eq!(find_text_stop(&b, from), expected);
        }
    }

    fn ok(input: &str) {
        match check(input, 256) {
            Ok(Ok(())) => {}
            Ok(Err(b)) => panic!("{input:?} bailed: {b:?}"),
            Err(e) => panic!("{e}"),
        }
    }

    fn bails(input: &str, why: Bail) {
        match check(input, 256) {
            Ok(Err(b)) => assert_eq!(b, why, "{input:?}"),
            Ok(Ok(())) => panic!("{input:?} accepted"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn accepts_the_subset() {
        for s in [
            "",
            "plain",
            "a < b > c & d",
            "<b>x</b>",
            "<B>x</b>",
            "<b/>x",
            "<b / >x</B >",
            "<a href=x title='y' rel=\"z\">l</a>",
            "a<!-->b<!--->c<!---->d",
            "x</div>y",
            "<b>x</i>y</b></span>",
            "</h1><h2>x</h2></h3>",
            "<ul><li>x</ol></li></ul>",
            "<p>x</div>y</p>",
            "a<html>b</html>c<HTML >d",
            "<a href=1 HREF=2 title=t href=3>x</a>",
            "&amp &not &notit; &notin; &notanentity; &copy; &#0; &#x80; &#x81; &#xD800;",
            "&#x110000; &#97 &#; &#x; &# &#9999999999; &NotEqualTilde; &AMP; &amp;amp;",
            "&#13;\r\n&#x0D;&#1;&#x7f;&#xFFFE;&lt&gt;&ampx",
            "<a href=\"?x=1&copy=2&copy;3&copy 4&not;&notx&amp=\" title=&ltx>y</a>",
            "<textarea>x&copy&#0;</textarea><title>&notin</title>",
            "<style>x",
            "<style>x</style x>y",
            "<title>x</title",
            "<style>x</style x='",
            "<b x>y</b x>z</b/>",
            "x</table></form></td></p",
            "x<a b=\"y",
            "x<a",
            "x<b>y</b",
            "<a href=x",
            "<div><span>x</div>y",
            "<p><xmp>x</xmp><p>a<p>b<span>c<div>d<p>e<hr>f<p><h1>g</h1>",
            "<p>x<pre>\ny</pre><p><ul><li>z</ul>",
            "<a href=1>x<a href=2>y<span>z<a>w</a>",
            "<b><span>x</b>y</span>",
            "<span><div>x</span>y</div>z",
            "<div><p>x</div>y",
            "<ul><li><span>x</li>y</ul>",
            "<ul><li><ol><li>x</ul>y",
            "<ul><li><ul><li>x</li></ul></li></ul>",
            "<blockquote><ul><li><p>x</blockquote>y",
            "<a href=x><span><q>y</a>z",
            "<a \"x\">y</a><a =x>y</a><a x=a'b>y</a>",
            "<a =x ==y x\"y='z' a<b=c d=e\"f'g<h=i`j>x</a>",
            "<a href=x/>l</a>",
            "<a href=\"x\"title=y>l</a>",
            "<a href>l</a>",
            "<a href=>l</a>",
            "<a HREF = x>l</a>",
            "<a href=\"?a=1&amp;b=2&c=3&#38;\">l</a>",
            "&amp;&lt;&gt;&quot;&apos;&nbsp;&#97;&#x61;&#X61;&#0097;",
            "& &! ; &zzz &zzz; &",
            "<p>1</p><p>2</p>",
            "<b><p>x</p></b>",
            "<p><b>x</b></p>",
            "<ul><li>1</li><li>2</li></ul>",
            "<ul><li>1<ul><li>2</li></ul></li></ul>",
            "<ol><li><div>x</div></li></ol>",
            "<pre>\nx</pre>",
            "<pre>\r\nx</pre>",
            "<pre>x\n</pre>",
            "<pre></pre>\n",
            "a\r\nb\rc\n\rd",
            "<a title=\"a\r\nb\">x</a>",
            "<br><br/><hr><img src=x alt=\"\"><wbr>",
            "<b><b><b><b><b>x</b></b></b></b></b>",
            "<b><i>x</i></b><b>open",
            "<h1>x</h1><h2>y</h2>",
            "<div><h1>x</h1></div>",
            "<a href=x><b>bold <code>c</code></b></a>",
            "<blockquote cite=x><p>q</p></blockquote>",
            "<span>é 😀 \u{feff}</span>",
            "<pre><b>x</b>\ny</pre>",
            "<q>x</q><del>y</del><ins>z</ins>",
            "<!-- c --><b><!---->x<!-- a -- b --->y</b>",
            "<pre><!-- c -->\nx</pre>",
            "<style>a</b>b</STYLE >c",
            "<script>if (a<b) x = '</scripty>'</script>",
            "<title>&amp;<b>&#97;</title><textarea>\nx&lt;</textarea>",
            "<iframe>\r\n</iframe><noscript><p></noscript><xmp><i></xmp>",
            "<body onload=x>a</body>b",
        ] {
            ok(s);
        }
    }

    #[test]
    fn bails_outside_the_subset() {
        bails("<!-- a --!>", Bail::Declaration);
        bails("x</p>", Bail::EndTag);
        let many = " x".repeat(MAX_ATTRIBUTES + 1);
        bails(&format!("<a{many}>"), Bail::Attribute);
        bails("<html lang=en>x", Bail::Element);
        bails("x</br>", Bail::EndTag);
        bails("<h1>x</h2>", Bail::EndTag);
        bails("<b><i>x</b>", Bail::EndTag);
        bails("<b><div>x</b>", Bail::EndTag);
        bails("<div><b>x</div>", Bail::EndTag);
        bails("<h1><span>x</h1>", Bail::EndTag);
        bails("<!-- a", Bail::Declaration);
        bails("<script><!-- x</script>", Bail::Declaration);
        bails("<textarea>&#10;x</textarea>", Bail::PreNewline);
        bails("<!DOCTYPE html>", Bail::Declaration);
        bails("<?x>", Bail::Declaration);
        bails("</>", Bail::Declaration);
        bails("</ x>", Bail::Declaration);
        bails("<table>", Bail::Element);
        bails("<svg>", Bail::Element);
        bails("</p>", Bail::EndTag);
        bails("</br>", Bail::EndTag);
        bails("<b><i>x</b></i>", Bail::EndTag);
        bails("<p><b><div>", Bail::ClosesP);
        bails("<ul><li><p>x<li>", Bail::ClosesP);
        bails("<a><b><a>", Bail::NestedA);
        bails("<a><div><a>", Bail::NestedA);
        bails("<h1><h2>", Bail::NestedHeading);
        bails("<li>", Bail::ListItem);
        bails("<ul><li><li>", Bail::ListItem);
        bails("<ul><li><b><li>", Bail::ListItem);
        bails("<ul><li><div><li>", Bail::ListItem);
        bails("a\0b", Bail::Nul);
        bails("<pre>&#10;x</pre>", Bail::PreNewline);
    }

    #[test]
    fn depth_bails_before_the_cap() {
        let deep = |n: usize| "<span>".repeat(n);
        assert!(matches!(check(&deep(4), 5), Ok(Ok(()))));
        assert!(matches!(check(&deep(5), 5), Ok(Err(Bail::Depth))));
        assert!(matches!(check(&deep(6), 5), Ok(Err(Bail::Depth))));
    }
}
