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
//! Tokens come from the fast tokenizer (`fast::tokens`: the fast parser's
//! lexing, handing over to html5ever's tokenizer at the first token it does
//! not read exactly) when the policy's fast paths are on, from html5ever's
//! tokenizer otherwise; the same tokens either way (tests and fuzzing
//! compare the trees), into the same guard and tree builder.
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
//!    depth cap, so the stack never grows past it. The depth is read back
//!    exactly from the sink after every token that inserted something (the
//!    sink keeps depths right through every move the tree builder makes; see
//!    `dom.rs`). Where no insertion tells the depth (end tags pop, and the
//!    adoption agency and foster parenting move nodes, so the current node
//!    may be shallower *or deeper* than before), the estimate is marked as an
//!    upper bound or as unknown; before a start tag is refused on an upper
//!    bound, or decided on an unknown estimate, the guard sends a probe
//!    comment (inserted at the parser's current node, no foster parenting,
//!    no reconstruction), reads the depth of its parent and removes it
//!    again. Template contents count as children of their template (the
//!    tree builder's stack holds both). Formatting
//!    start tags are refused for good once one lands past the cap (the list
//!    of active formatting elements is then as long as the cap allows).
//! 3. **Amplification guard**: the tree builder can create elements no start
//!    tag asked for (reconstructing active formatting elements, adoption
//!    agency clones, implied table parts), copying attributes each time, so
//!    `<b title=LONG><p>1<p>2<p>3…` grows as |LONG| × paragraphs. The guard
//!    counts what such tokens create: their output size (escaped) may reach
//!    [`AMPLIFICATION_FACTOR`] × input bytes + [`AMPLIFICATION_SLACK`], their
//!    number one per [`RECONSTRUCTION_DIVISOR`] input bytes (each costs a
//!    stack scan). Past either, the guard goes *flat*: it stops passing
//!    markup on, and the rest of the input contributes its text only.
//!    Ordinary HTML (misnested `<font>` across paragraphs included) stays far
//!    below.
//!
//! **What a refused start tag takes with it.** A tag refused at the depth
//! cap or in flat mode is not just forgotten: the real parse would have had
//! its element, and the guard must never show what that parse hides. The
//! rule it keeps: *content of an element that would have been dropped with
//! its content is dropped, and every cap that removes anything is
//! reported*; where it cannot follow the real parse exactly, it errs towards
//! dropping more.
//!
//! * **Dropped with content** (the policy's test, asked in every namespace;
//!   `svg` and `math` always, as the tree builder cannot follow foreign
//!   content it does not see): a raw-text, RCDATA or script element
//!   (`script style xmp iframe noembed noframes noscript textarea title`;
//!   `plaintext` never ends) whose start tag the tree builder would have
//!   read by HTML rules (its current node is HTML; html5ever 0.40 has no
//!   "in select" mode) switches the tokenizer to that raw state as the tree
//!   builder would have, and is skipped to the next end tag, its own.
//!   Anything else is skipped as markup to the end tag that closes it, with
//!   everything opened inside that could keep that end tag from closing it
//!   (see [`Region`]); raw-text elements inside are read as raw text where
//!   HTML rules surely apply, else as markup closing by their own end tag;
//!   where the readings could end the skip too early (a comment in what may
//!   be script data, `plaintext`, a formatting element the tree builder may
//!   reopen later) the rest of the input is dropped.
//! * **Other elements** keep their text; only the tag goes. Refused at the
//!   cap, they stay open as far as end tags are concerned ([`Refused`]): an
//!   end tag closes them first, is held back while one of them would stop it
//!   (a scope boundary or special element), and only reaches the tree
//!   builder when the real parse would close through them. Text that the
//!   real parse puts into a refused table cell is dropped rather than
//!   foster-parented out of the table.
//! * **Foreign content**: a refused tag that breaks out of SVG or MathML
//!   (`<p>`, `<b>`, ...) still breaks out: the guard sends the tree builder
//!   `<head>`, which pops the same elements and is then ignored. After any
//!   other element refused in foreign content, the tree builder and the real
//!   parse disagree on the current node; until it closes, start tags are
//!   refused, end tags held back, and a `<![CDATA[` (section or bogus
//!   comment?) drops the rest.
//!
//! Every refusal is recorded and reported ([`crate::Report`]) before the
//! walk's own removals: tags refused at the cap as too deep, elements skipped
//! with their content as dropped with content, tags and comments refused in
//! flat mode as amplification, text dropped at the cap as too deep.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::{RawKind, State};
use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::{ElementFlags, TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{local_name, ns, LocalName, QualName};

use crate::dom::{Dom, ElementKind, GuardRemoval, NodeId, Sink};
use crate::error::CleanError;
use crate::html;
use crate::policy::{Compiled, Disposition, FastMap, Namespace};
use crate::report::{Reason, RemovalKind};

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

/// Parse `input` as a fragment in a `<div>` context, guarded for `policy`
/// (its depth cap, its drop-with-content elements, and the length of the
/// `rel` value the cleaner adds to links, for the output bound).
pub(crate) fn parse_fragment(input: &str, policy: &Compiled) -> Result<Dom, CleanError> {
    let (guard, fast_tokenized) = run_guarded(input, policy)?;
    let mut dom = guard.into_dom();
    dom.fast_tokenized = fast_tokenized;
    Ok(dom)
}

/// Parse `input` through the guard; the guard (holding the tree builder and
/// its sink) comes back when the input is done, with the bytes the fast
/// tokenizer read.
fn run_guarded<'p>(input: &str, policy: &'p Compiled) -> Result<(Guard<'p>, usize), CleanError> {
    attribute_precheck(input)?;

    let rel_len = policy.rel_len();
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
        policy,
        // The fragment's `html` root is at depth 1: output depth d is DOM depth d + 1.
        max_depth: u32::try_from(policy.max_depth)
            .unwrap_or(u32::MAX)
            .saturating_add(1),
        budget: input
            .len()
            .saturating_mul(AMPLIFICATION_FACTOR)
            .saturating_add(AMPLIFICATION_SLACK),
        depth: Cell::new(1),
        estimate: Cell::new(Estimate::Exact),
        flat: Cell::new(false),
        extra: Cell::new(0),
        extra_bytes: Cell::new(0),
        extra_budget: input.len() / RECONSTRUCTION_DIVISOR + RECONSTRUCTION_SLACK,
        formatting_saturated: Cell::new(false),
        skip: RefCell::new(Skip::None),
        skipping: Cell::new(false),
        refused: RefCell::new(Refused::default()),
        foreign_uncertain: Cell::new(false),
        tree_raw: Cell::new(false),
        dropping_text: Cell::new(false),
        removals: RefCell::new(Removals::default()),
        drop_cache: RefCell::new(FastMap::default()),
        #[cfg(test)]
        max_traced: Cell::new(0),
    };
    // The fast tokenizer where it may (the same tokens; see `fast::tokens`),
    // html5ever's otherwise.
    if policy.fast_path && initial_state == State::Data {
        return Ok(crate::fast::tokenize(input, guard));
    }
    let guard = crate::fast::hand_over(input, guard, initial_state, Some(local_name!("div")));
    Ok((guard, 0))
}

/// How far the guard trusts its depth estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Estimate {
    /// The depth of the parser's current node.
    Exact,
    /// An upper bound: the current node is at most this deep (end tags
    /// popped elements).
    AtMost,
    /// Nodes moved (adoption agency, foster parenting): could be anything.
    Unknown,
}

/// Why the guard refuses a start tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    /// The parser's current node is at the depth cap (or a formatting
    /// element already landed past it).
    Depth,
    /// The amplification bound was passed: markup is ignored from here on.
    Amplification,
}

/// What the guard is skipping after a refused start tag.
#[derive(Debug)]
enum Skip {
    /// Nothing: tokens go on to the tree builder.
    None,
    /// Raw text (RAWTEXT, RCDATA, script data) of a refused element: the
    /// characters are passed on (`keep`, the policy unwraps the element) or
    /// dropped up to the next end tag, which is the element's own (the
    /// tokenizer emits no other in these states).
    Raw { keep: bool },
    /// Everything up to the end of the input is dropped.
    Rest,
    /// The content of an element dropped with it, read as markup.
    Content(Region),
}

/// The content of a refused element the policy drops with its content.
///
/// The skip must never end before the tree builder would have closed the
/// element, nor before any element it holds that the policy also drops with
/// its content (the tree builder may have closed the outer one early: a
/// `<p>` breaks out of `<svg>`, an `<input>` closes a `<select>`). So the
/// region keeps, besides the element itself, every element opened inside
/// that could keep its end tag from closing it, and every element dropped
/// with its content; a kept element closes only by its own end tag while it
/// is the innermost one kept, and inside a kept element every element is
/// kept. At the outermost level, what is kept depends on how the element's
/// end tag works: `</template>` closes through everything (and nothing in a
/// template outlives it); `</select>`, `</object>`, `</div>`... need the
/// element "in scope", so the scope boundaries are kept; `</svg>` and
/// `</math>` close through foreign elements, but not through the HTML
/// content of an integration point; for any other element everything is
/// kept. Elements the tree builder would close on its own stay kept: the
/// skip then lasts longer, never shorter.
#[derive(Debug)]
struct Region {
    kind: RegionKind,
    /// The refused element (with how many of that name are open), then the
    /// blocking elements inside, innermost last.
    frames: Vec<Frame>,
    /// Inside an inner raw-text element tokenized as raw text: the next end
    /// tag closes it.
    raw_inner: bool,
    /// The content may be foreign (SVG or MathML): the region is an `svg` or
    /// `math`, began in foreign content, or saw an `<svg>` or `<math>`.
    foreign: bool,
    /// Kept raw-text elements read as markup (the tokenizer state was not
    /// certain): raw text inside them is never taken as certain either.
    raw_frames: u32,
    /// Frames named `script`: a comment inside one of them may be script
    /// data's escaped text, which markup tokenizing cannot follow.
    scripts: u32,
}

/// How the end tag of a region's element closes it (see [`Region`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RegionKind {
    /// `template`: closes through everything.
    Template,
    /// Closes when the element is in (default) scope.
    Scoped,
    /// `svg`, `math`: closes through foreign elements.
    Foreign,
    /// Anything else: every element inside blocks.
    Other,
}

impl RegionKind {
    fn of(name: &LocalName) -> RegionKind {
        match *name {
            local_name!("template") => RegionKind::Template,
            local_name!("svg") | local_name!("math") => RegionKind::Foreign,
            local_name!("select")
            | local_name!("object")
            | local_name!("applet")
            | local_name!("marquee") => RegionKind::Scoped,
            _ if html::is_block_container(name) => RegionKind::Scoped,
            _ => RegionKind::Other,
        }
    }
}

/// A kept element of a [`Region`].
#[derive(Debug)]
struct Frame {
    name: LocalName,
    /// Open elements of this name (nested directly in one another).
    open: u32,
    /// A raw-text element read as markup.
    raw: bool,
}

/// Elements that bound the tree builder's default scope (html5ever 0.40,
/// `default_scope`), by start tag name; `html` is left out (its start tag
/// opens nothing in a fragment).
fn is_scope_boundary(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("applet")
            | local_name!("caption")
            | local_name!("table")
            | local_name!("td")
            | local_name!("th")
            | local_name!("marquee")
            | local_name!("object")
            | local_name!("select")
            | local_name!("template")
    ) || is_html_point(name)
}

/// SVG and MathML elements that can be HTML integration points (MathML
/// text integration points included), by start tag name.
fn is_html_point(name: &LocalName) -> bool {
    matches!(
        &**name,
        "foreignobject" | "desc" | "title" | "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml"
    )
}

/// The tokenizer state the tree builder picks for a raw-text element.
#[derive(Clone, Copy)]
enum RawState {
    Raw(RawKind),
    Plaintext,
}

/// Raw-text, RCDATA, script and plaintext elements of HTML (with scripting
/// enabled, so `noscript` too).
fn raw_state(name: &LocalName) -> Option<RawState> {
    Some(match *name {
        local_name!("script") => RawState::Raw(RawKind::ScriptData),
        local_name!("style")
        | local_name!("xmp")
        | local_name!("iframe")
        | local_name!("noembed")
        | local_name!("noframes")
        | local_name!("noscript") => RawState::Raw(RawKind::Rawtext),
        local_name!("title") | local_name!("textarea") => RawState::Raw(RawKind::Rcdata),
        local_name!("plaintext") => RawState::Plaintext,
        _ => return None,
    })
}

impl RawState {
    fn result(self) -> TokenSinkResult<NodeId> {
        match self {
            RawState::Raw(kind) => TokenSinkResult::RawData(kind),
            RawState::Plaintext => TokenSinkResult::Plaintext,
        }
    }
}

fn is_foreign_root(name: &LocalName) -> bool {
    matches!(*name, local_name!("svg") | local_name!("math"))
}

/// A start tag that opens no element: an HTML void element, or an `<svg/>`
/// or `<math/>` (always foreign, so the self-closing flag counts). Any other
/// self-closing tag is taken as opening an element (HTML ignores the flag):
/// the skip then lasts longer, never shorter.
fn opens_nothing(tag: &Tag) -> bool {
    html::start_tag_is_void(&tag.name)
        || (tag.self_closing && is_foreign_root(&tag.name))
        // Ignored in a fragment (no `body` on the stack), or merged into the
        // root.
        || matches!(
            tag.name,
            local_name!("frameset") | local_name!("html") | local_name!("head") | local_name!("body")
        )
}

/// Start tags that break out of foreign content (html5ever 0.40,
/// `step_foreign`).
fn is_breakout(tag: &Tag) -> bool {
    match tag.name {
        local_name!("font") => tag.attrs.iter().any(|a| {
            matches!(
                a.name.local,
                local_name!("color") | local_name!("face") | local_name!("size")
            )
        }),
        local_name!("b")
        | local_name!("big")
        | local_name!("blockquote")
        | local_name!("body")
        | local_name!("br")
        | local_name!("center")
        | local_name!("code")
        | local_name!("dd")
        | local_name!("div")
        | local_name!("dl")
        | local_name!("dt")
        | local_name!("em")
        | local_name!("embed")
        | local_name!("h1")
        | local_name!("h2")
        | local_name!("h3")
        | local_name!("h4")
        | local_name!("h5")
        | local_name!("h6")
        | local_name!("head")
        | local_name!("hr")
        | local_name!("i")
        | local_name!("img")
        | local_name!("li")
        | local_name!("listing")
        | local_name!("menu")
        | local_name!("meta")
        | local_name!("nobr")
        | local_name!("ol")
        | local_name!("p")
        | local_name!("pre")
        | local_name!("ruby")
        | local_name!("s")
        | local_name!("small")
        | local_name!("span")
        | local_name!("strong")
        | local_name!("strike")
        | local_name!("sub")
        | local_name!("sup")
        | local_name!("table")
        | local_name!("tt")
        | local_name!("u")
        | local_name!("ul")
        | local_name!("var") => true,
        _ => false,
    }
}

/// Elements refused at the depth cap that would have been open in the real
/// parse, above everything the tree builder has: they decide what an end
/// tag would close there. An end tag the tree builder would read
/// differently (it closes one of them, or one of them would keep it from
/// closing anything) is not passed on; one that would close through them
/// into the tree builder's elements is passed on and they are forgotten.
/// Elements the real parse would close on their own stay: end tags are then
/// held back longer (the tree builder's elements stay open), never closing
/// more than the real parse would.
#[derive(Debug, Default)]
struct Refused {
    /// Outermost first.
    entries: Vec<RefusedEntry>,
    /// More than [`MAX_REFUSED`] were open: no end tag is passed on any
    /// more (bounded memory; the real parse would need as many end tags).
    overflow: bool,
    /// Positions in `entries`, by name.
    by_name: FastMap<LocalName, Vec<usize>>,
    /// Entries that are table structure (`table`, its sections, rows,
    /// cells, `caption`, `colgroup`).
    tables: u32,
}

#[derive(Debug)]
struct RefusedEntry {
    name: LocalName,
    /// Entries up to this one that stop end tags of other names (special
    /// elements and scope boundaries).
    blockers: u32,
    /// Entries up to this one that stop the end tags of table structure
    /// (the table scope: `table`).
    table_blockers: u32,
}

fn is_table_structure(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("table")
            | local_name!("tbody")
            | local_name!("thead")
            | local_name!("tfoot")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("caption")
            | local_name!("colgroup")
    )
}

/// Most refused elements tracked open (see [`Refused::overflow`]).
const MAX_REFUSED: usize = 4096;

impl Refused {
    fn is_empty(&self) -> bool {
        self.entries.is_empty() && !self.overflow
    }

    fn push(&mut self, name: &LocalName) {
        let (blockers, table_blockers) = self.counts();
        self.tables = self
            .tables
            .saturating_add(u32::from(is_table_structure(name)));
        if self.overflow || self.entries.len() >= MAX_REFUSED {
            self.overflow = true;
            return;
        }
        self.by_name
            .entry(name.clone())
            .or_default()
            .push(self.entries.len());
        self.entries.push(RefusedEntry {
            name: name.clone(),
            blockers: blockers
                + u32::from(html::is_special_for_end_tags(name) || is_scope_boundary(name)),
            table_blockers: table_blockers + u32::from(*name == local_name!("table")),
        });
    }

    fn counts(&self) -> (u32, u32) {
        self.entries
            .last()
            .map_or((0, 0), |e| (e.blockers, e.table_blockers))
    }

    fn truncate(&mut self, len: usize) {
        while self.entries.len() > len {
            if let Some(e) = self.entries.pop() {
                self.tables -= u32::from(is_table_structure(&e.name));
                if let Some(v) = self.by_name.get_mut(&e.name) {
                    v.pop();
                }
            }
        }
    }

    /// An end tag arrives: whether to pass it on to the tree builder
    /// (`hold`: never, the tree builder would read it differently).
    fn end_tag(&mut self, tag: &Tag, hold: bool) -> bool {
        if self.overflow {
            return false;
        }
        if self.entries.is_empty() {
            return !hold;
        }
        if tag.name == local_name!("template") {
            // Closes through everything, if a template is open (templates
            // are always dropped with their content, so never refused here).
            // Whether one is, only the tree builder knows: keep them.
            return !hold;
        }
        // Table structure closes within the table scope; everything else
        // stops at special elements and scope boundaries.
        let table = is_table_structure(&tag.name);
        let (blockers, table_blockers) = self.counts();
        let stopped_above = |e: &RefusedEntry| {
            if table {
                table_blockers != e.table_blockers
            } else {
                blockers != e.blockers
            }
        };
        if let Some(&k) = self.by_name.get(&tag.name).and_then(|v| v.last()) {
            // It closes the refused element, unless something refused
            // above it stops it.
            if !stopped_above(&self.entries[k]) {
                self.truncate(k);
            }
            return false;
        }
        let stopped = if table {
            table_blockers > 0
        } else {
            blockers > 0
        };
        if hold || stopped {
            return false;
        }
        // Closes through them into the tree builder's elements (a
        // formatting end tag runs the adoption agency, which may leave them
        // open: keep them then).
        if !is_formatting(tag) {
            self.truncate(0);
        }
        true
    }
}

/// What the guard removed, counted by (kind, name, reason); runs of the
/// same removal are counted without a lookup.
#[derive(Debug, Default)]
struct Removals {
    counts: FastMap<(RemovalKind, LocalName, Reason), usize>,
    last: Option<((RemovalKind, LocalName, Reason), usize)>,
}

impl Removals {
    fn add(&mut self, kind: RemovalKind, name: &LocalName, reason: Reason) {
        if let Some(((k, n, r), count)) = &mut self.last {
            if *k == kind && n == name && *r == reason {
                *count += 1;
                return;
            }
        }
        self.flush();
        self.last = Some(((kind, name.clone(), reason), 1));
    }

    fn flush(&mut self) {
        if let Some((key, count)) = self.last.take() {
            *self.counts.entry(key).or_insert(0) += count;
        }
    }

    fn into_sorted(mut self) -> Vec<GuardRemoval> {
        self.flush();
        let mut v: Vec<GuardRemoval> = self
            .counts
            .into_iter()
            .map(|((kind, name, reason), count)| (kind, name, reason, count))
            .collect();
        v.sort_by(|a, b| (a.0, &*a.1, a.2).cmp(&(b.0, &*b.1, b.2)));
        v
    }
}

/// The token guard between html5ever's tokenizer and tree builder.
struct Guard<'p> {
    inner: TreeBuilder<NodeId, Sink>,
    policy: &'p Compiled,
    max_depth: u32,
    budget: usize,
    /// Depth of the parser's current node, as far as [`Guard::estimate`] says.
    depth: Cell<u32>,
    estimate: Cell<Estimate>,
    /// Amplification bound reached: pass text only.
    flat: Cell<bool>,
    /// Elements the tree builder created on its own (reconstruction of
    /// active formatting elements, adoption agency, implied elements).
    extra: Cell<usize>,
    extra_budget: usize,
    /// Output bound of everything created by tokens that created extra
    /// elements.
    extra_bytes: Cell<usize>,
    /// A formatting element ended up at the depth cap: the list of active
    /// formatting elements is as long as the cap allows; refuse more.
    formatting_saturated: Cell<bool>,
    /// What is being skipped after a refused start tag.
    skip: RefCell<Skip>,
    /// `skip` is not [`Skip::None`] (checked on every token).
    skipping: Cell<bool>,
    /// Elements refused at the depth cap, as the real parse would have them.
    refused: RefCell<Refused>,
    /// An element was refused in foreign content: the real parse's current
    /// node is that element (HTML in an integration point, or foreign),
    /// the tree builder's is not, and they read CDATA and end tags
    /// differently. Until the refused elements close, start tags are
    /// refused, end tags that would reach the tree builder are held back,
    /// and a `<![CDATA[` (CDATA section or bogus comment?) drops the rest.
    foreign_uncertain: Cell<bool>,
    /// The tree builder is in its "text" mode (a raw-text element it
    /// opened): nothing but characters and the end tag may reach it, not
    /// even a probe comment.
    tree_raw: Cell<bool>,
    /// The last token was text dropped by [`Guard::refused_text_would_move`]:
    /// text that follows is the same run, recorded once (tokenizers split
    /// text differently: html5ever's at references, the fast one's not).
    dropping_text: Cell<bool>,
    /// What the guard removed, counted.
    removals: RefCell<Removals>,
    /// Answers of [`Guard::drops_with_content`] so far.
    drop_cache: RefCell<FastMap<LocalName, bool>>,
    /// Tests: the most handles the tree builder held after any token (its
    /// stack of open elements, its list of active formatting elements, and
    /// a few more).
    #[cfg(test)]
    max_traced: Cell<usize>,
}

fn is_formatting(tag: &Tag) -> bool {
    html::is_formatting(&tag.name)
}

/// Counter values before a token, to see what it did.
struct Before {
    elements: usize,
    element_bytes: usize,
    element_insertions: u64,
    text_insertions: u64,
    moves: u64,
    fosters: u64,
}

impl Guard<'_> {
    /// The tree, with what the guard removed.
    fn into_dom(self) -> Dom {
        let removals = self.removals.into_inner().into_sorted();
        self.inner.sink.into_dom(removals)
    }

    fn forward(&self, token: Token, line: u64) -> TokenSinkResult<NodeId> {
        let end_tag = matches!(&token, Token::TagToken(t) if t.kind == TagKind::EndTag);
        let result = self.inner.process_token(token, line);
        // Track the tree builder's text mode on every path a token takes:
        // it starts when a start tag switches the tokenizer to raw text and
        // ends at the end tag (the only tag the tokenizer emits there).
        match &result {
            TokenSinkResult::RawData(_) | TokenSinkResult::Plaintext => self.tree_raw.set(true),
            TokenSinkResult::Continue
            | TokenSinkResult::Script(_)
            | TokenSinkResult::EncodingIndicator(_) => {
                if end_tag {
                    self.tree_raw.set(false);
                }
            }
        }
        result
    }

    fn before(&self) -> Before {
        let c = &self.inner.sink.counters;
        Before {
            elements: c.elements.get(),
            element_bytes: c.element_bytes.get(),
            element_insertions: c.element_insertions.get(),
            text_insertions: c.text_insertions.get(),
            moves: c.moves.get(),
            fosters: c.fosters.get(),
        }
    }

    /// The token moved nodes or foster-parented something: the current
    /// node's depth is no longer known from what was inserted.
    fn moved(&self, b: &Before) -> bool {
        let c = &self.inner.sink.counters;
        c.moves.get() != b.moves || c.fosters.get() != b.fosters
    }

    fn record(&self, kind: RemovalKind, name: &LocalName, reason: Reason) {
        self.removals.borrow_mut().add(kind, name, reason);
    }

    /// Account for the elements created by one token (`own` of them were
    /// asked for by the token itself) and go flat when a bound is passed.
    fn check_budget(&self, b: &Before, own: usize) {
        let counters = &self.inner.sink.counters;
        let created = counters.elements.get() - b.elements;
        if created > own {
            self.extra.set(self.extra.get() + (created - own));
            self.extra_bytes
                .set(self.extra_bytes.get() + (counters.element_bytes.get() - b.element_bytes));
            if self.extra_bytes.get() > self.budget || self.extra.get() > self.extra_budget {
                self.flat.set(true);
            }
        }
    }

    /// Insert an empty comment at the parser's current node (comments are
    /// never foster-parented and reconstruct nothing), read the depth of the
    /// node it went into, and take it out again: the estimate is then exact.
    /// Returns the current node.
    fn probe(&self, line: u64) -> Option<NodeId> {
        // In its text mode the tree builder takes nothing but characters
        // and the end tag (a comment there is unreachable!() in html5ever).
        if self.tree_raw.get() {
            return None;
        }
        let counters = &self.inner.sink.counters;
        let before = counters.comment_insertions.get();
        let _ = self.forward(Token::CommentToken(StrTendril::new()), line);
        if counters.comment_insertions.get() == before {
            // Every insertion mode a fragment reaches inserts comments.
            return None;
        }
        let parent = counters.last_comment_parent.get();
        self.inner.sink.remove_probe();
        self.depth.set(self.inner.sink.depth_of(parent));
        self.estimate.set(Estimate::Exact);
        Some(parent)
    }

    /// Make the estimate exact where it decides whether a start tag passes.
    fn refresh_depth(&self, line: u64) {
        let needed = match self.estimate.get() {
            Estimate::Exact => false,
            Estimate::AtMost => self.depth.get() >= self.max_depth,
            Estimate::Unknown => true,
        };
        if needed {
            let _ = self.probe(line);
        }
    }

    /// Whether the policy drops an element of this name with its content, in
    /// any namespace (the guard cannot always tell which one applies).
    fn drops_with_content(&self, name: &LocalName) -> bool {
        *self
            .drop_cache
            .borrow_mut()
            .entry(name.clone())
            .or_insert_with(|| {
                [Namespace::Html, Namespace::Svg, Namespace::MathMl]
                    .into_iter()
                    .any(|ns| self.policy.disposition(&(ns, name.clone())) == Disposition::Drop)
            })
    }

    /// Whether the tree builder would surely have handled a raw-text start
    /// tag here by HTML rules, switching the tokenizer to raw text: its
    /// current node is HTML (so no foreign content, no integration point;
    /// every insertion mode a fragment can reach then takes raw-text start
    /// tags as such).
    fn surely_html_raw(&self) -> bool {
        !self
            .inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }

    /// Refuse a start tag: record it, and skip what it would have held when
    /// the policy drops it with its content. A refused `<svg>` or `<math>`
    /// is skipped with its content whatever the policy says: the tree
    /// builder, not knowing its content is foreign, would read it (CDATA,
    /// raw-text elements, end tags) differently from the real parse.
    fn refuse(&self, tag: &Tag, why: Refusal, line: u64) -> TokenSinkResult<NodeId> {
        let in_foreign = || {
            self.inner
                .adjusted_current_node_present_but_not_in_html_namespace()
        };
        let mut foreign = in_foreign();
        if foreign && is_breakout(tag) {
            self.break_out_of_foreign_content(tag, line);
            foreign = in_foreign();
        }
        // Still in foreign content: the refused element may be HTML (in an
        // integration point) or foreign, and the real parse reads CDATA and
        // end tags according to it.
        let uncertain = foreign && !opens_nothing(tag);
        if uncertain && why == Refusal::Amplification {
            self.foreign_uncertain.set(true);
        }
        let drop = self.drops_with_content(&tag.name);
        if drop {
            self.record(RemovalKind::Element, &tag.name, Reason::DroppedWithContent);
        } else {
            match why {
                Refusal::Depth => self.record(RemovalKind::Depth, &tag.name, Reason::TooDeep),
                Refusal::Amplification => {
                    self.record(RemovalKind::Element, &tag.name, Reason::Amplification)
                }
            }
        }
        if let Some(raw) = raw_state(&tag.name) {
            if self.surely_html_raw() {
                self.set_skip(match raw {
                    RawState::Plaintext if drop => Skip::Rest,
                    RawState::Plaintext => Skip::None,
                    RawState::Raw(_) => Skip::Raw { keep: !drop },
                });
                return raw.result();
            }
            // Maybe foreign content, where this is an ordinary element. Read
            // on as markup.
            if drop {
                self.set_skip(match raw {
                    RawState::Plaintext => Skip::Rest,
                    // Possibly a foreign element whose end tag closes
                    // through nothing certain: everything inside blocks.
                    RawState::Raw(_) => {
                        Skip::Content(Region::new(&tag.name, RegionKind::Other, true))
                    }
                });
            }
            return TokenSinkResult::Continue;
        }
        if (drop || is_foreign_root(&tag.name)) && !opens_nothing(tag) {
            let foreign_context = self
                .inner
                .adjusted_current_node_present_but_not_in_html_namespace();
            let kind = if is_foreign_root(&tag.name) {
                RegionKind::Foreign
            } else if foreign_context {
                // A foreign element, or an HTML one in an integration
                // point: its end tag may work either way.
                RegionKind::Other
            } else {
                RegionKind::of(&tag.name)
            };
            let foreign = foreign_context || kind == RegionKind::Foreign;
            self.set_skip(Skip::Content(Region::new(&tag.name, kind, foreign)));
        } else if why == Refusal::Depth && !opens_nothing(tag) {
            self.refused.borrow_mut().push(&tag.name);
            if uncertain {
                self.foreign_uncertain.set(true);
            }
        }
        TokenSinkResult::Continue
    }

    /// A start tag that breaks out of foreign content (`<p>`, `<b>`, ...)
    /// pops the foreign elements even when refused, so the guard sends the
    /// tree builder `<head>`, which breaks out the same way and then is
    /// ignored. Only while nothing refused is open: the real parse's current
    /// node is then the tree builder's.
    fn break_out_of_foreign_content(&self, tag: &Tag, line: u64) {
        if !is_breakout(tag) || !self.refused.borrow().is_empty() {
            return;
        }
        let head = Tag {
            kind: TagKind::StartTag,
            name: local_name!("head"),
            self_closing: false,
            attrs: Vec::new(),
            had_duplicate_attributes: false,
        };
        let _ = self.forward(Token::TagToken(head), line);
        self.estimate.set(Estimate::Unknown);
    }

    fn set_skip(&self, skip: Skip) {
        self.skipping.set(!matches!(skip, Skip::None));
        *self.skip.borrow_mut() = skip;
    }

    /// One token while skipping; `None` when not skipping (or when a raw
    /// text's characters are kept).
    fn skip_token(&self, token: &Token) -> Option<TokenSinkResult<NodeId>> {
        if !self.skipping.get() {
            return None;
        }
        let mut skip = self.skip.borrow_mut();
        let result = self.skip_step(&mut skip, token);
        self.skipping.set(!matches!(*skip, Skip::None));
        result
    }

    fn skip_step(&self, skip: &mut Skip, token: &Token) -> Option<TokenSinkResult<NodeId>> {
        match skip {
            Skip::None => None,
            Skip::Rest => Some(TokenSinkResult::Continue),
            Skip::Raw { keep } => match token {
                Token::TagToken(tag) if tag.kind == TagKind::EndTag => {
                    *skip = Skip::None;
                    Some(TokenSinkResult::Continue)
                }
                Token::CharacterTokens(_) | Token::NullCharacterToken if *keep => None,
                // Raw text holds no other tags, comments or doctypes.
                Token::TagToken(_)
                | Token::CharacterTokens(_)
                | Token::NullCharacterToken
                | Token::CommentToken(_)
                | Token::DoctypeToken(_)
                | Token::ParseError(_)
                | Token::EOFToken => Some(TokenSinkResult::Continue),
            },
            Skip::Content(region) => {
                let result = match token {
                    Token::TagToken(tag) => {
                        let drop =
                            tag.kind == TagKind::StartTag && self.drops_with_content(&tag.name);
                        region.tag(tag, drop)
                    }
                    Token::CommentToken(_) if region.scripts > 0 => Step::Rest,
                    Token::CharacterTokens(_)
                    | Token::NullCharacterToken
                    | Token::CommentToken(_)
                    | Token::DoctypeToken(_)
                    | Token::ParseError(_)
                    | Token::EOFToken => Step::Go(TokenSinkResult::Continue),
                };
                Some(match result {
                    Step::Go(r) => r,
                    Step::Done => {
                        *skip = Skip::None;
                        TokenSinkResult::Continue
                    }
                    Step::Rest => {
                        *skip = Skip::Rest;
                        TokenSinkResult::Continue
                    }
                })
            }
        }
    }
}

/// What one token does to a [`Region`].
enum Step {
    Go(TokenSinkResult<NodeId>),
    /// The region's element closed.
    Done,
    /// Drop the rest of the input.
    Rest,
}

impl Region {
    fn new(name: &LocalName, kind: RegionKind, foreign: bool) -> Region {
        let mut region = Region {
            kind,
            frames: Vec::new(),
            raw_inner: false,
            foreign,
            raw_frames: 0,
            scripts: 0,
        };
        region.push(name, raw_state(name).is_some());
        region
    }

    fn push(&mut self, name: &LocalName, raw: bool) {
        self.raw_frames += u32::from(raw);
        self.scripts += u32::from(*name == local_name!("script"));
        self.frames.push(Frame {
            name: name.clone(),
            open: 1,
            raw,
        });
    }

    fn pop(&mut self) {
        if let Some(f) = self.frames.pop() {
            self.raw_frames -= u32::from(f.raw);
            self.scripts -= u32::from(f.name == local_name!("script"));
        }
    }

    /// Whether an element opened here (`drop`: the policy drops it with its
    /// content) is kept (see [`Region`]).
    fn keeps(&self, name: &LocalName, drop: bool) -> bool {
        if self.frames.len() > 1 {
            return true;
        }
        match self.kind {
            RegionKind::Template => false,
            RegionKind::Scoped => drop || is_scope_boundary(name),
            RegionKind::Foreign => drop || is_html_point(name),
            RegionKind::Other => true,
        }
    }

    /// One tag; `drop`: the policy drops an element of this name with its
    /// content.
    fn tag(&mut self, tag: &Tag, drop: bool) -> Step {
        let go = Step::Go(TokenSinkResult::Continue);
        if self.raw_inner {
            // Raw text emits no tags but its own end tag.
            if tag.kind == TagKind::EndTag {
                self.raw_inner = false;
            }
            return go;
        }
        let Some(top) = self.frames.last_mut() else {
            return Step::Done;
        };
        match tag.kind {
            TagKind::StartTag => {
                if drop && is_formatting(tag) {
                    // The tree builder may reopen it (reconstructing active
                    // formatting elements) after the region, around text
                    // that then goes with it.
                    return Step::Rest;
                }
                if is_foreign_root(&tag.name) && !tag.self_closing {
                    self.foreign = true;
                }
                if tag.name == top.name {
                    if !opens_nothing(tag) {
                        top.open = top.open.saturating_add(1);
                    }
                    return go;
                }
                if let Some(raw) = raw_state(&tag.name) {
                    if let RawState::Plaintext = raw {
                        // Never ends (as raw text) or ends by a tag the
                        // markup reading may not see: drop everything.
                        return Step::Rest;
                    }
                    if !self.foreign && self.raw_frames == 0 {
                        // HTML content: raw text for sure.
                        self.raw_inner = true;
                        return Step::Go(raw.result());
                    }
                    self.push(&tag.name, true);
                    return go;
                }
                if !opens_nothing(tag) && self.keeps(&tag.name, drop) {
                    self.push(&tag.name, false);
                }
                go
            }
            TagKind::EndTag => {
                if tag.name != top.name {
                    return go;
                }
                top.open -= 1;
                if top.open == 0 {
                    self.pop();
                    if self.frames.is_empty() {
                        return Step::Done;
                    }
                }
                go
            }
        }
    }
}

impl TokenSink for Guard<'_> {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<NodeId> {
        let result = self.process(token, line);
        #[cfg(test)]
        self.trace();
        result
    }

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        // Asked by the tokenizer for `<![CDATA[`: inside skipped content the
        // tree builder does not know, answer for that content.
        if let Skip::Content(region) = &*self.skip.borrow() {
            return region.foreign;
        }
        let foreign = self
            .inner
            .adjusted_current_node_present_but_not_in_html_namespace();
        if foreign && self.foreign_uncertain.get() {
            // CDATA section or bogus comment: either reading may show what
            // the other hides. Drop the rest.
            self.set_skip(Skip::Rest);
            self.record(
                RemovalKind::Text,
                &LocalName::from("#text"),
                Reason::TooDeep,
            );
            return false;
        }
        foreign
    }
}

impl Guard<'_> {
    fn process(&self, token: Token, line: u64) -> TokenSinkResult<NodeId> {
        // A parse error is not a token in the spec's tree construction, but
        // html5ever's tree builder counts it as one in a single place: it
        // ends the "ignore a newline next" of `<pre>`, `<listing>` and
        // `<textarea>`, so `<pre>&#10x` kept a newline that browsers drop.
        // Not passed on: the tree builder sees the spec's tokens, from
        // either tokenizer (the fast one sends none; `fast::tokens`).
        if let Token::ParseError(_) = token {
            return TokenSinkResult::Continue;
        }
        if !matches!(token, Token::CharacterTokens(_) | Token::NullCharacterToken) {
            self.dropping_text.set(false);
        }
        if let Some(result) = self.skip_token(&token) {
            if let Token::EOFToken = token {
                return self.forward(token, line);
            }
            return result;
        }
        if self.flat.get() {
            return match token {
                Token::CharacterTokens(_)
                | Token::NullCharacterToken
                | Token::EOFToken
                | Token::ParseError(_) => self.forward(token, line),
                Token::TagToken(ref tag) if tag.kind == TagKind::StartTag => {
                    self.refuse(tag, Refusal::Amplification, line)
                }
                Token::CommentToken(_) => {
                    self.record(
                        RemovalKind::Comment,
                        &LocalName::from("#comment"),
                        Reason::Amplification,
                    );
                    TokenSinkResult::Continue
                }
                Token::TagToken(_) | Token::DoctypeToken(_) => TokenSinkResult::Continue,
            };
        }
        let counters = &self.inner.sink.counters;
        let b = self.before();
        match token {
            Token::TagToken(ref tag) if tag.kind == TagKind::StartTag => {
                let formatting = is_formatting(tag);
                if formatting && self.formatting_saturated.get() {
                    return self.refuse(tag, Refusal::Depth, line);
                }
                if self.foreign_uncertain.get() {
                    // The real current node is an HTML element refused in
                    // an integration point; the tree builder's is not.
                    return self.refuse(tag, Refusal::Depth, line);
                }
                self.refresh_depth(line);
                if self.depth.get() >= self.max_depth {
                    return self.refuse(tag, Refusal::Depth, line);
                }
                let self_closing = tag.self_closing;
                let b = self.before();
                let result = self.forward(token, line);
                if let TokenSinkResult::RawData(_) = result {
                    self.tree_raw.set(true);
                }
                if counters.element_insertions.get() != b.element_insertions {
                    let sink = &self.inner.sink;
                    let id = counters.last_element.get();
                    let d = sink.depth_of(id);
                    match sink.element_kind(id, self_closing) {
                        // Popped at once: the current node is its parent,
                        // unless it was foster-parented next to a table.
                        ElementKind::Void if self.moved(&b) => {
                            self.depth.set(d);
                            self.estimate.set(Estimate::Unknown);
                        }
                        ElementKind::Void => {
                            self.depth.set(d.saturating_sub(1));
                            self.estimate.set(Estimate::Exact);
                        }
                        // A `<form>` in a table is inserted and popped.
                        ElementKind::Form => {
                            self.depth.set(d);
                            self.estimate.set(Estimate::AtMost);
                        }
                        ElementKind::Open => {
                            self.depth.set(d);
                            self.estimate.set(Estimate::Exact);
                        }
                    }
                    if formatting && d > self.max_depth {
                        self.formatting_saturated.set(true);
                    }
                } else {
                    self.loosen(&b);
                }
                self.check_budget(&b, 1);
                result
            }
            Token::CharacterTokens(_) | Token::NullCharacterToken
                if self.refused_text_would_move(line) =>
            {
                // In the real parse this text is inside a refused element,
                // in the table; here it would be foster-parented out.
                if !self.dropping_text.replace(true) {
                    self.record(
                        RemovalKind::Text,
                        &LocalName::from("#text"),
                        Reason::TooDeep,
                    );
                }
                TokenSinkResult::Continue
            }
            Token::CharacterTokens(_) | Token::NullCharacterToken => {
                let result = self.forward(token, line);
                if counters.text_insertions.get() != b.text_insertions {
                    let parent = counters.last_text_parent.get();
                    self.depth.set(self.inner.sink.depth_of(parent));
                    self.estimate.set(if self.moved(&b) {
                        // Foster-parented next to a table: the current node
                        // is the table part, deeper.
                        Estimate::Unknown
                    } else {
                        Estimate::Exact
                    });
                } else if counters.element_insertions.get() != b.element_insertions
                    || self.moved(&b)
                {
                    self.estimate.set(Estimate::Unknown);
                }
                self.check_budget(&b, 0);
                result
            }
            // In its text mode the tree builder must get the end tag (the only
            // tag the tokenizer emits there), or it stays in text mode.
            Token::TagToken(ref tag) if !self.tree_raw.get() && !self.end_tag_passes(tag) => {
                TokenSinkResult::Continue
            }
            Token::TagToken(_)
            | Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => {
                if let Token::TagToken(_) = token {
                    // An end tag: the only one that can reach the tree
                    // builder in text mode ends it.
                    self.tree_raw.set(false);
                }
                let result = self.forward(token, line);
                self.loosen(&b);
                self.check_budget(&b, 0);
                result
            }
        }
    }

    /// Whether an end tag goes on to the tree builder (see [`Refused`] and
    /// [`Guard::foreign_uncertain`]).
    fn end_tag_passes(&self, tag: &Tag) -> bool {
        let mut refused = self.refused.borrow_mut();
        let uncertain = self.foreign_uncertain.get();
        let passes = refused.end_tag(tag, uncertain);
        if uncertain && refused.is_empty() {
            self.foreign_uncertain.set(false);
        }
        passes
    }

    /// Refused elements are open, and the text may land in a table in the
    /// real parse but out of it here: a refused table part holds it (its
    /// start tag would first have closed the tree builder's elements back to
    /// the table), or the tree builder's current node is table structure,
    /// which would foster-parent it out.
    fn refused_text_would_move(&self, line: u64) -> bool {
        if self.tree_raw.get() {
            return false;
        }
        let refused = self.refused.borrow();
        if refused.is_empty() {
            return false;
        }
        if refused.tables > 0 {
            return true;
        }
        drop(refused);
        self.probe(line)
            .is_some_and(|current| self.inner.sink.is_table_part(current))
    }

    /// After a token that inserted nothing telling the depth: end tags and
    /// ignored start tags may have popped elements (the estimate becomes an
    /// upper bound); moves may have made the current node deeper.
    fn loosen(&self, b: &Before) {
        if self.moved(b) {
            self.estimate.set(Estimate::Unknown);
        } else if self.estimate.get() == Estimate::Exact {
            self.estimate.set(Estimate::AtMost);
        }
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
    match precheck_offset(input, MAX_ATTRIBUTES_PER_TAG) {
        None => Ok(()),
        Some(offset) => Err(CleanError::TooManyAttributes {
            offset,
            limit: MAX_ATTRIBUTES_PER_TAG,
        }),
    }
}

/// [`attribute_precheck`] for any `limit`: where the count first passes
/// it, if it does.
fn precheck_offset(input: &str, limit: usize) -> Option<usize> {
    let bytes = input.as_bytes();
    // Every attribute is preceded by whitespace, `/` or a closing quote: with
    // few of those in the whole input (always so in a short one), no tag can
    // pass the limit and the automaton is not needed.
    if bytes.len() <= limit {
        return None;
    }
    let mut separators = 0usize;
    for chunk in bytes.chunks(256) {
        separators += chunk.iter().filter(|&&b| SEPARATOR[b as usize]).count();
        if separators > limit {
            break;
        }
    }
    if separators <= limit {
        return None;
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
                None => return None,
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
                None => return None,
            }
        } else if table[live * CLASSES + LETTER] == live as u16
            && table[live * CLASSES + OTHER] == live as u16
        {
            // In a name or an unquoted value only (most bytes the automaton
            // sees): letters and other bytes change nothing and start no
            // attribute, so they are skipped without the table.
            while i < bytes.len() && CLASS[bytes[i] as usize] >= LETTER as u8 {
                i += 1;
            }
            if i == bytes.len() {
                return None;
            }
        }
        (live, count) = match precheck_step(table, live, count, bytes[i], limit) {
            Some(next) => next,
            None => return Some(i),
        };
        i += 1;
    }
    None
}

/// One byte `b` through the subset automaton: the next live set and
/// attribute count, or `None` when the count passes `limit`.
#[inline]
fn precheck_step(
    table: &[u16],
    live: usize,
    count: usize,
    b: u8,
    limit: usize,
) -> Option<(usize, usize)> {
    let entry = table[live * CLASSES + CLASS[b as usize] as usize];
    let live = usize::from(entry & 0x0fff);
    let mut count = count + usize::from(entry & 0x8000 != 0);
    if count > limit {
        return None;
    }
    if live & !(1 << St::TagOpen as usize) == 0 {
        count = 0;
    }
    Some((live, count))
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
/// The class of ASCII letters, and the last class: every byte the tag
/// automaton treats alike (digits, `-`, non-ASCII...).
const LETTER: usize = 7;
const OTHER: usize = 8;
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
impl Guard<'_> {
    /// Record how many handles the tree builder holds now.
    fn trace(&self) {
        struct Count(Cell<usize>);
        impl html5ever::tree_builder::Tracer for Count {
            type Handle = NodeId;
            fn trace_handle(&self, _: &NodeId) {
                self.0.set(self.0.get() + 1);
            }
        }
        let count = Count(Cell::new(0));
        self.inner.trace_handles(&count);
        self.max_traced
            .set(self.max_traced.get().max(count.0.get()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units of hostile input with `m` special elements, after the
    /// adoption-agency families of `benches/support/adversarial.rs`.
    fn adoption_units(m: usize) -> Vec<(&'static str, String)> {
        let divs = "<div>".repeat(m);
        vec![
            ("specials", format!("<b>{divs}</b>")),
            ("nested", format!("<b><i><u>{divs}</b></i></u>")),
            ("table", format!("<b><table>{divs}</b>")),
            ("cell", format!("<a><table><tr><td>{divs}</a>")),
            ("p_b", format!("<p><b>{divs}</b></p>")),
            ("a_nobr", format!("<a>{divs}<nobr>{divs}")),
            ("template", format!("<template>{divs}")),
            ("template_b", format!("<b><template>{divs}</b>")),
        ]
    }

    /// Issue 9 item 2: the guard's depths went stale when the tree builder
    /// moved nodes (the adoption agency, foster parenting) and inside
    /// template contents, and html5ever's stack of open elements grew
    /// without bound. Whatever the moves, the tree builder holds a number of
    /// handles bounded by the depth cap (stack of open elements, list of
    /// active formatting elements, and a few more), not by the input.
    #[test]
    fn open_elements_stay_bounded_through_tree_moves() {
        let cap = 20;
        let policy = crate::Policy::builder().max_depth(cap).build().unwrap();
        let mut worst = Vec::new();
        for m in 1..=30 {
            for (name, unit) in adoption_units(m) {
                let input = unit.repeat(200);
                let (guard, _) = run_guarded(&input, &policy.inner).unwrap();
                worst.push((guard.max_traced.get(), name, m));
            }
        }
        worst.sort();
        eprintln!("{:?}", &worst[worst.len() - 10..]);
        let (max, name, m) = worst[worst.len() - 1];
        assert!(max <= 2 * cap + 10, "{name} m={m}: {max} handles");
    }

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

    /// The subset automaton run on every byte, with none of
    /// [`precheck_offset`]'s shortcuts (the separator count, the searches
    /// past quoted values and names).
    fn precheck_reference(input: &str, limit: usize) -> Option<usize> {
        let table = &*SUBSET_TABLE;
        let (mut live, mut count) = (0usize, 0usize);
        for (i, &b) in input.as_bytes().iter().enumerate() {
            match precheck_step(table, live, count, b, limit) {
                Some(next) => (live, count) = next,
                None => return Some(i),
            }
        }
        None
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        #[test]
        fn precheck_shortcuts_change_nothing(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "<", ">", "=", "\"", "'", "/", " ", "\n", "a", "B", "1", "-", "\u{e9}",
                "x=y ", "<a ", "<a b", " c=\"", "='", "</", "<!--", "abcdefghij",
            ]), 0..120),
            limit in 0usize..6,
        ) {
            let input: String = pieces.concat();
            proptest::prop_assert_eq!(
                precheck_offset(&input, limit),
                precheck_reference(&input, limit),
                "{:?}", input
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
        let policy = crate::Policy::builder().max_depth(100).build().unwrap();
        let dom = parse_fragment(&"<div>".repeat(5000), &policy.inner).unwrap();
        let mut depth = 0;
        let mut id = dom.fragment_root();
        while dom.node(id).first_child != crate::dom::NIL {
            id = dom.node(id).first_child;
            depth += 1;
        }
        assert!(depth <= 101, "depth {depth}");
    }
}
