//! The clean stage: one iterative walk over the parsed tree that keeps,
//! unwraps or drops each node and writes the result straight out.
//!
//! Each element is judged against the parent it will have in the *output*
//! (its nearest kept ancestor), so unwrapping can never create a tree that a
//! browser would parse differently. What the parser does is not written
//! here but in [`crate::html`], one table of parser facts:
//!
//! * **Namespaces** (drop the subtree on failure): every element must be in
//!   the namespace a re-parse of the output gives it under its kept parent
//!   ([`html::start_tag_namespace`]): HTML → SVG only through `<svg>`, HTML →
//!   MathML only through `<math>`; HTML children only under HTML elements,
//!   SVG `foreignObject`/`desc`/`title`, MathML `mi mo mn ms mtext` (where
//!   `mglyph`/`malignmark` stay MathML) and `annotation-xml` whose *emitted*
//!   `encoding` is `text/html` or `application/xhtml+xml`; under
//!   `annotation-xml` otherwise an `svg` start tag is an SVG root. A MathML
//!   `svg` kept under `annotation-xml`, or a MathML `form` under `mi`, would
//!   change namespace and is dropped.
//! * **Parser structure** (unwrap on failure): no `a` in `a`, `form` in
//!   `form`, `nobr` in `nobr`, `button` in `button`; no element that closes a
//!   `<p>` inside a `<p>` in button scope; no heading directly in a heading;
//!   no `li` in an `li` (`dd`/`dt` likewise) within list scope; table parts
//!   only under their table parents and nothing else inside table structure
//!   (non-space text there is removed: a browser would move it out of the
//!   table); `rb`/`rtc` only directly in `ruby`, `rt`/`rp` in `ruby` or
//!   `rtc`; no `option`/`optgroup` directly in an `option`. Scopes are the
//!   conservative union of html5ever's and the browsers' (see `html`).
//! * **Depth**: elements deeper than the policy's cap are unwrapped.
//! * **Output bound**: every tag is measured before it is written
//!   ([`Budget`]).
//! * **Formatting** (links, paragraphs; [`format`]): made here, on the
//!   tree, as nodes checked by the same rules, and written once.

use std::borrow::Cow;

use html5ever::{local_name, ns, Attribute, LocalName, Namespace as Ns, QualName};

use crate::dom::{Dom, NodeData, NodeId, NIL};
use crate::html::{self, Place};

mod attributes;
mod format;
mod stream;
#[cfg(feature = "verify-fast-path")]
pub(crate) use stream::verify_stream;
pub(crate) use stream::{stream, streams, Stop};
pub(crate) mod style;
use crate::policy::{Compiled, Disposition, Key, Namespace};
use crate::report::{Reason, RemovalKind, Reporter};
use crate::serialize::{self, Out};
use format::{Flow, Next};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TablePart {
    None,
    Table,
    Section,
    Row,
    Colgroup,
}

/// The context children are judged in: facts about their kept ancestors.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ctx {
    place: Place,
    table: TablePart,
    /// Local name of the kept HTML parent, if it is one of the few that
    /// matter directly (headings, ruby, rtc).
    parent: Option<ParentName>,
    depth: usize,
    p_in_button_scope: bool,
    li_scope: bool,
    dd_dt_scope: bool,
    in_a: bool,
    in_form: bool,
    in_nobr: bool,
    in_button: bool,
    /// Inside a kept element where nothing is linked (`a code pre kbd samp
    /// listing` and the policy's skip list).
    no_links: bool,
    /// Inside a kept SVG or MathML element (integration points included):
    /// nothing is formatted.
    foreign: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParentName {
    Heading,
    Ruby,
    Rtc,
    Option,
}

impl Ctx {
    pub(crate) fn root() -> Ctx {
        Ctx {
            place: Place::Html,
            table: TablePart::None,
            parent: None,
            depth: 0,
            p_in_button_scope: false,
            li_scope: false,
            dd_dt_scope: false,
            in_a: false,
            in_form: false,
            in_nobr: false,
            in_button: false,
            no_links: false,
            foreign: false,
        }
    }
}

/// What to write when leaving a node.
pub(crate) enum Exit {
    Nothing,
    EndTag(LocalName),
    EscapedEnd(LocalName),
}

/// What to do with an element's children, decided at its start tag.
pub(crate) struct Children {
    /// The context they are judged in.
    pub(crate) ctx: Ctx,
    /// What to write after them.
    pub(crate) exit: Exit,
}

/// A node of the tree walk whose children are being visited.
struct Frame {
    next: NodeId,
    ctx: Ctx,
    exit: Exit,
}

pub(crate) struct Walker<'a, O: Out, R: Reporter> {
    policy: &'a Compiled,
    out: &'a mut O,
    report: &'a mut R,
    /// A `<pre>`/`<listing>` start tag was just written: a leading newline
    /// in the next text must be doubled (the parser eats the first).
    pre_pending: bool,
    /// The output bound, kept by construction.
    budget: Budget,
    /// A start tag is built here before it is written.
    scratch: String,
    /// Formatting is on: text (and escaped tags) is gathered in `run` and
    /// written at the next event, by [`format`].
    formatting: bool,
    /// Text not yet written: everything since the last written node.
    run: String,
    /// The context of the text in `run`.
    run_ctx: Ctx,
    /// One flow per kept element (and the root), when formatting.
    flows: Vec<Flow>,
    /// The last thing written was a start tag or a `<br>`.
    line_start: bool,
    /// `p`, for the auto paragraph's context.
    p_name: QualName,
    /// The policy key of HTML `a`, for generated links.
    a_key: Key,
    /// The start tags of the `<p>` and `<br>` paragraphs make (`None`:
    /// not made, the element hook would not keep them).
    made_p: Option<String>,
    made_br: Option<String>,
}

/// Put the policy's forced values into an element's kept attributes: they
/// replace what the input had and always come last, in the policy's order
/// (element-specific ones first; one entry per name), wherever the input's
/// copy stood, so a second clean writes the same attributes in the same
/// order.
#[inline]
fn apply_forced<'v>(kept: &mut Vec<(LocalName, Cow<'v, str>)>, forced: &'v [(LocalName, String)]) {
    if !forced.is_empty() {
        set_forced(kept, forced);
    }
}

fn set_forced<'v>(kept: &mut Vec<(LocalName, Cow<'v, str>)>, forced: &'v [(LocalName, String)]) {
    kept.retain(|(n, _)| !forced.iter().any(|(f, _)| f == n));
    for (attr, value) in forced {
        kept.push((attr.clone(), Cow::Borrowed(value.as_str())));
    }
}

/// Append the start tag `<local a="v"… rel="…">` to `tag`, values escaped.
fn push_start_tag(
    tag: &mut String,
    local: &str,
    attrs: &[(LocalName, Cow<'_, str>)],
    rel: Option<&str>,
) {
    tag.push('<');
    tag.push_str(local);
    let rel = rel.map(|r| ("rel", r));
    for (n, v) in attrs.iter().map(|(n, v)| (&**n, &**v)).chain(rel) {
        tag.push(' ');
        tag.push_str(n);
        tag.push_str("=\"");
        serialize::attr(tag, v);
        tag.push('"');
    }
    tag.push('>');
}

/// Multiplier of the output bound: the output is at most
/// `OUTPUT_FACTOR × input + OUTPUT_SLACK + expansion × (input / 2 + 1)`
/// bytes, where `expansion` is what the policy adds per attribute
/// ([`crate::Policy::expansion`]).
pub(crate) const OUTPUT_FACTOR: usize = 16;
/// Initial room of the start-tag buffer (grown when a tag needs more).
const SCRATCH: usize = 256;
/// Constant part of the output bound.
pub(crate) const OUTPUT_SLACK: usize = 64;
/// Most bytes one byte of a text node can take once escaped (`&` becomes
/// `&amp;`).
const TEXT_FACTOR: usize = 5;

/// The output bound, true by construction: text and comments are reserved
/// up front (a text node is written once, at most [`TEXT_FACTOR`] × its
/// length; a comment as it is plus `<!---->`), and every tag is measured,
/// with its end tag, before it is written. A tag that does not fit is not
/// written (its element is unwrapped, and the report says so). Only
/// elements the tree builder made on its own (reconstruction of formatting
/// elements, adoption agency clones) can ever run out: an input's own tags
/// cost less than 16 bytes per byte.
///
/// The streaming walk ([`stream`]) cannot reserve up front: it reserves each
/// text and comment as it comes and keeps its result only if nothing was
/// refused and the final sum is within the bound. Then the tree walk,
/// reserving everything first, refuses nothing either: each of its checks
/// is against a sum no larger than that final one. (The converse holds
/// whenever the final sum fits; a stream that is not kept only costs the
/// tree walk's time.)
struct Budget {
    limit: usize,
    /// Bytes written or promised (reservations, open end tags).
    committed: usize,
    /// A tag was refused.
    refused: bool,
}

impl Budget {
    fn new(input_len: usize, expansion: usize) -> Budget {
        Budget {
            limit: output_bound(input_len, expansion),
            committed: 0,
            refused: false,
        }
    }

    /// Reserve room for text or a comment, written later.
    fn reserve(&mut self, bytes: usize) {
        self.committed = self.committed.saturating_add(bytes);
    }

    /// Take `bytes` for a tag, if they fit.
    fn take(&mut self, bytes: usize) -> bool {
        match self.committed.checked_add(bytes) {
            Some(c) if c <= self.limit => {
                self.committed = c;
                true
            }
            Some(_) | None => {
                self.refused = true;
                false
            }
        }
    }

    /// Nothing was refused and everything fits.
    fn kept(&self) -> bool {
        !self.refused && self.committed <= self.limit
    }
}

/// What a text node reserves in the output bound.
fn text_reservation(len: usize) -> usize {
    len.saturating_mul(TEXT_FACTOR)
}

/// What a comment reserves in the output bound.
fn comment_reservation(len: usize) -> usize {
    len.saturating_add("<!---->".len())
}

/// The documented output bound for an input of `input_len` bytes under a
/// policy of the given [`expansion`](crate::Policy::expansion).
pub(crate) fn output_bound(input_len: usize, expansion: usize) -> usize {
    input_len
        .saturating_mul(OUTPUT_FACTOR)
        .saturating_add(OUTPUT_SLACK)
        .saturating_add(expansion.saturating_mul(input_len / 2 + 1))
}

fn is_html(name: &QualName) -> bool {
    name.ns == ns!(html)
}

fn policy_ns(ns: &Ns) -> Option<Namespace> {
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

fn lower(name: &LocalName) -> LocalName {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        LocalName::from(name.to_ascii_lowercase().as_str())
    } else {
        name.clone()
    }
}

/// Serialized attribute name: `xlink:href`, `xml:lang`, `xmlns:xlink`, or the
/// local name.
fn attr_name(name: &QualName) -> LocalName {
    let prefix = if name.ns == ns!(xlink) {
        "xlink:"
    } else if name.ns == ns!(xml) {
        "xml:"
    } else if name.ns == ns!(xmlns) {
        if &*name.local == "xmlns" {
            return name.local.clone();
        }
        "xmlns:"
    } else {
        return name.local.clone();
    };
    LocalName::from(format!("{prefix}{}", &*name.local).as_str())
}

/// An attribute as the parse stage gives it: html5ever's (on a tree) or
/// the fast parser's (streamed, see `fast::FastAttr`).
pub(crate) trait InputAttr: Sized {
    /// Its name as written out (`xlink:href` for a namespaced one).
    fn full_name(&self) -> LocalName;
    /// That name as the policy knows it (ASCII lowercase).
    fn policy_name(&self, full: &LocalName) -> LocalName {
        lower(full)
    }
    fn value(&self) -> &str;
    /// The attributes as html5ever's type, for the element hook.
    fn as_attributes(attrs: &[Self]) -> Cow<'_, [Attribute]>;
}

impl InputAttr for Attribute {
    fn full_name(&self) -> LocalName {
        attr_name(&self.name)
    }

    fn value(&self) -> &str {
        &self.value
    }

    fn as_attributes(attrs: &[Self]) -> Cow<'_, [Attribute]> {
        Cow::Borrowed(attrs)
    }
}

/// Does `text` contain anything but HTML whitespace?
fn has_non_space(text: &str) -> bool {
    text.bytes()
        .any(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r'))
}

/// Comment text that every parser reads back identically and that cannot
/// end early.
fn comment_is_safe(text: &str) -> bool {
    !(text.contains("--")
        || text.contains("<!-")
        || text.starts_with('>')
        || text.starts_with("->")
        || text.ends_with('-')
        || text.contains('\0'))
}

/// Clean the tree `dom`, parsed from an input of `input_len` bytes, into
/// `out`.
pub(crate) fn walk<O: Out, R: Reporter>(
    policy: &Compiled,
    dom: &Dom,
    input_len: usize,
    out: &mut O,
    report: &mut R,
) {
    let mut w = Walker::new(policy, input_len, out, report);
    // Every text and comment is reserved first (see `Budget`).
    for n in &dom.nodes {
        match &n.data {
            NodeData::Text(t) => w.budget.reserve(text_reservation(t.len())),
            NodeData::Comment(c) => w.budget.reserve(comment_reservation(c.len())),
            NodeData::Document | NodeData::Fragment | NodeData::Element { .. } => {}
        }
    }
    w.begin();
    let mut stack: Vec<Frame> = Vec::with_capacity(16);
    stack.push(Frame {
        next: dom.node(dom.fragment_root()).first_child,
        ctx: Ctx::root(),
        exit: Exit::Nothing,
    });
    while let Some(top) = stack.last_mut() {
        let id = top.next;
        if id == NIL {
            let frame = stack.pop().expect("stack is not empty");
            w.exit(frame.exit, frame.ctx);
            continue;
        }
        let node = dom.node(id);
        top.next = node.next;
        let ctx = top.ctx;
        match &node.data {
            NodeData::Text(t) => w.text(t, ctx),
            NodeData::Comment(c) => w.comment(c),
            NodeData::Element { name, attrs, .. } => {
                if let Some(c) = w.start(name, attrs, ctx) {
                    stack.push(Frame {
                        next: node.first_child,
                        ctx: c.ctx,
                        exit: c.exit,
                    });
                }
            }
            NodeData::Document | NodeData::Fragment => {}
        }
    }
    w.finish();
}

thread_local! {
    /// The start-tag buffer of this thread's last walk, for its next one (a
    /// walk of a short comment would otherwise allocate it for one tag).
    static SCRATCH_SPARE: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

impl<O: Out, R: Reporter> Drop for Walker<'_, O, R> {
    fn drop(&mut self) {
        // Kept only when small: a huge tag's buffer goes with its walk.
        if self.scratch.capacity() <= 4 * SCRATCH {
            SCRATCH_SPARE.set(std::mem::take(&mut self.scratch));
        }
    }
}

impl<'a, O: Out, R: Reporter> Walker<'a, O, R> {
    /// A walk of an input of `input_len` bytes: fed by [`walk`] from a
    /// tree, or by [`stream`] from the fast parser's tokens. Nothing is
    /// reserved in the output bound yet.
    pub(crate) fn new(
        policy: &'a Compiled,
        input_len: usize,
        out: &'a mut O,
        report: &'a mut R,
    ) -> Self {
        Walker {
            policy,
            out,
            report,
            pre_pending: false,
            budget: Budget::new(input_len, policy.expansion()),
            scratch: SCRATCH_SPARE.take(),
            formatting: policy.formats(),
            run: String::new(),
            run_ctx: Ctx::root(),
            flows: Vec::new(),
            line_start: true,
            p_name: QualName::new(None, ns!(html), local_name!("p")),
            a_key: (Namespace::Html, local_name!("a")),
            made_p: policy
                .paragraphs
                .then(|| format::made_tag(policy, &local_name!("p")))
                .flatten(),
            made_br: policy
                .paragraphs
                .then(|| format::made_tag(policy, &local_name!("br")))
                .flatten(),
        }
    }

    #[inline]
    fn write(&mut self, s: &str) {
        self.pre_pending = false;
        self.out.push(s);
    }

    /// Before the first node.
    pub(crate) fn begin(&mut self) {
        if self.formatting {
            let flow = self.flow_for(Namespace::Html, &local_name!("div"), Ctx::root());
            self.flows.push(flow);
        }
    }

    /// After the last node (every exit made).
    pub(crate) fn finish(&mut self) {
        if self.formatting {
            self.flush(Next::End);
        }
    }

    /// Leave a node whose children were in context `ctx`.
    pub(crate) fn exit(&mut self, exit: Exit, ctx: Ctx) {
        match exit {
            Exit::Nothing => {}
            Exit::EndTag(name) => {
                if self.formatting {
                    self.flush(Next::End);
                    self.flows.pop();
                    self.line_start = false;
                }
                self.write("</");
                self.write(&name);
                self.write(">");
            }
            Exit::EscapedEnd(name) if self.formatting => {
                // An escaped element's children are in its own context.
                if self.run.is_empty() {
                    self.run_ctx = ctx;
                }
                self.run.push_str("</");
                self.run.push_str(&name);
                self.run.push('>');
            }
            Exit::EscapedEnd(name) => {
                self.write("&lt;/");
                serialize::text(self.out, &name);
                self.pre_pending = false;
                self.write("&gt;");
            }
        }
    }

    /// A comment node.
    pub(crate) fn comment(&mut self, c: &str) {
        if self.policy.comments && comment_is_safe(c) {
            if self.formatting {
                self.flush(Next::Comment);
            }
            self.write("<!--");
            self.write(c);
            self.write("-->");
        } else {
            self.report
                .removed(RemovalKind::Comment, "#comment", Reason::NotAllowed);
        }
    }

    /// A text node in context `ctx`.
    pub(crate) fn text(&mut self, t: &str, ctx: Ctx) {
        self.text_with(t, ctx, false);
    }

    /// [`Walker::text`]; `plain` when `t` holds no `&`, `<` or CR, so
    /// that only `>`, U+00A0 and U+FEFF may need escaping.
    #[inline(always)]
    pub(crate) fn text_with(&mut self, t: &str, ctx: Ctx, plain: bool) {
        if t.is_empty() {
            return;
        }
        if ctx.table != TablePart::None && has_non_space(t) {
            self.report
                .removed(RemovalKind::Text, "#text", Reason::Structure);
            return;
        }
        let rewritten = match &self.policy.hooks.text {
            None => Cow::Borrowed(t),
            Some(hook) => {
                let new = hook(t);
                // The text was reserved at its own length; a longer rewrite
                // must fit the output bound, or the original is written.
                let grows = new.len().saturating_sub(t.len());
                if grows == 0 || self.budget.take(grows.saturating_mul(TEXT_FACTOR)) {
                    new
                } else {
                    self.report
                        .removed(RemovalKind::Text, "#text", Reason::OutputLimit);
                    Cow::Borrowed(t)
                }
            }
        };
        let t: &str = &rewritten;
        if self.formatting {
            if self.run.is_empty() {
                self.run_ctx = ctx;
            }
            self.run.push_str(t);
            return;
        }
        if self.pre_pending && t.starts_with('\n') {
            self.write("\n");
        }
        self.pre_pending = false;
        if plain && matches!(rewritten, Cow::Borrowed(_)) {
            serialize::plain_text(self.out, t);
        } else {
            serialize::text(self.out, t);
        }
    }

    /// An element's start, in context `ctx`: its children are visited
    /// (then its exit made) when this gives [`Children`], skipped otherwise.
    pub(crate) fn start<'b, A: InputAttr>(
        &mut self,
        name: &QualName,
        attrs: &'b [A],
        ctx: Ctx,
    ) -> Option<Children>
    where
        'a: 'b,
    {
        // Allocated only when an attribute is kept.
        let mut kept = Vec::new();
        self.element_with(name, attrs, ctx, &mut kept)
    }

    /// [`Walker::start`], the kept attributes gathered in `kept` (empty).
    fn element_with<'b, A: InputAttr>(
        &mut self,
        name: &QualName,
        attrs: &'b [A],
        ctx: Ctx,
        kept: &mut Vec<(LocalName, Cow<'b, str>)>,
    ) -> Option<Children>
    where
        'a: 'b,
    {
        let Some(ns) = policy_ns(&name.ns) else {
            // The parser only makes HTML, SVG and MathML elements.
            self.report
                .removed(RemovalKind::Element, &name.local, Reason::Namespace);
            return None;
        };
        let key: Key = (
            ns,
            if ns == Namespace::Html {
                name.local.clone()
            } else {
                lower(&name.local)
            },
        );
        // One lookup serves the disposition, the element's own attribute
        // list and what it makes of its children's context.
        let rule = self.policy.allowed.get(&key);
        let traits = rule.and_then(|r| r.child.as_ref());
        let closes_p = ns == Namespace::Html
            && traits.map_or_else(|| html::closes_p(&name.local), |t| t.closes_p);
        // Only formatting asks whether an element is a block.
        let block = self.formatting && closes_p;
        // An inline element at a paragraph container's level goes into the
        // auto `<p>`: it and its children are judged as inside that `p`.
        let jctx = if !block && self.in_paragraph_container() {
            self.p_ctx(ctx)
        } else {
            ctx
        };
        let escape = self.policy.escape_disallowed;
        let mut disposition = match rule {
            Some(_) => Disposition::Keep,
            None => self.policy.disposition(&key),
        };
        // The element hook can only make the decision stricter.
        let mut escape = escape;
        if let Some(hook) = &self.policy.hooks.element {
            let attributes = A::as_attributes(attrs);
            let asked = crate::policy::HookElement {
                namespace: ns,
                name: &key.1,
                attributes: &attributes,
            };
            let action = hook(&asked);
            let stricter = match action {
                crate::ElementAction::Default => None,
                crate::ElementAction::Unwrap => {
                    (disposition == Disposition::Keep).then_some(Disposition::Unwrap)
                }
                crate::ElementAction::Drop => Some(Disposition::Drop),
                crate::ElementAction::Escape => {
                    escape = true;
                    (disposition == Disposition::Keep).then_some(Disposition::Unwrap)
                }
            };
            if let Some(d) = stricter {
                self.report
                    .removed(RemovalKind::Element, &name.local, Reason::Hook);
                if escape && ctx.table == TablePart::None {
                    return Some(self.escaped(name, attrs, ctx));
                }
                return match d {
                    Disposition::Drop => None,
                    Disposition::Unwrap | Disposition::Keep => Some(Children {
                        ctx,
                        exit: Exit::Nothing,
                    }),
                };
            }
        }
        if disposition != Disposition::Keep {
            // Escaped tags are text, and text has no place inside table
            // structure (a browser would move it out): unwrap there instead.
            // The report says what was done.
            let escaped = escape && ctx.table == TablePart::None;
            let reason = if escaped {
                Reason::Escaped
            } else if disposition == Disposition::Drop {
                Reason::DroppedWithContent
            } else {
                Reason::NotAllowed
            };
            self.report
                .removed(RemovalKind::Element, &name.local, reason);
            if escaped {
                return Some(self.escaped(name, attrs, ctx));
            }
            return match disposition {
                Disposition::Drop => None,
                Disposition::Unwrap | Disposition::Keep => Some(Children {
                    ctx,
                    exit: Exit::Nothing,
                }),
            };
        }

        // Filter attributes first: integration points depend on what is
        // actually emitted.
        let (own_attrs, forced) = rule.map_or((&[][..], &[][..]), |r| {
            (r.attrs.as_slice(), r.forced.as_slice())
        });
        self.filter_attributes(name, &key, own_attrs, attrs, kept);
        // Forced values (before the namespace check: `encoding` or `color`
        // could matter there).
        apply_forced(kept, forced);

        if !self.namespace_ok(&key, kept, jctx) {
            self.report
                .removed(RemovalKind::Element, &name.local, Reason::Namespace);
            return None;
        }
        if (ns == Namespace::Html && !self.structure_ok(&name.local, closes_p, jctx))
            || (ns != Namespace::Html && jctx.table != TablePart::None)
        {
            disposition = Disposition::Unwrap;
            self.report
                .removed(RemovalKind::Element, &name.local, Reason::Structure);
        } else if jctx.depth >= self.policy.max_depth {
            disposition = Disposition::Unwrap;
            self.report
                .removed(RemovalKind::Depth, &name.local, Reason::TooDeep);
        }
        if disposition == Disposition::Unwrap {
            return Some(Children {
                ctx,
                exit: Exit::Nothing,
            });
        }

        // Keep: the start tag's exact size is known before anything is
        // written (output bound): a bare tag's from its name, any other's
        // from the scratch buffer it goes to first.
        let html = ns == Namespace::Html;
        let rel = match name.local {
            local_name!("a") | local_name!("area") if html => self.policy.rel.as_deref(),
            _ => None,
        };
        let local: &str = &name.local;
        let bare = kept.is_empty() && rel.is_none();
        let mut tag = String::new();
        let len = if bare {
            local.len() + 2
        } else {
            tag = std::mem::take(&mut self.scratch);
            tag.clear();
            // Once per walk: room for most tags, not four regrowths.
            tag.reserve(SCRATCH);
            push_start_tag(&mut tag, local, kept, rel);
            tag.len()
        };
        let void = html && html::is_void(&name.local);
        let pre = html && matches!(name.local, local_name!("pre") | local_name!("listing"));
        // End tag, and the newline a `pre` may have to repeat.
        let rest = if void {
            0
        } else {
            local.len() + 3 + usize::from(pre)
        };
        let fits = self.budget.take(len + rest);
        if fits {
            if self.formatting {
                self.flush(if block { Next::Block } else { Next::Inline });
            }
            if bare {
                self.write("<");
                self.write(local);
                self.write(">");
            } else {
                self.write(&tag);
            }
        }
        if !bare {
            self.scratch = tag;
        }
        if !fits {
            self.report
                .removed(RemovalKind::Element, &name.local, Reason::OutputLimit);
            return Some(Children {
                ctx,
                exit: Exit::Nothing,
            });
        }
        if self.formatting {
            self.line_start = !void || (html && name.local == local_name!("br"));
        }
        if void {
            return None;
        }
        if pre {
            self.pre_pending = true;
        }
        let child = match traits {
            Some(traits) => traits.apply(jctx, kept),
            None => self.child_ctx(ns, name, kept, jctx),
        };
        if self.formatting {
            let flow = self.flow_for(ns, &name.local, child);
            self.flows.push(flow);
        }
        Some(Children {
            ctx: child,
            exit: Exit::EndTag(name.local.clone()),
        })
    }

    /// Write the element's tags as text (escape mode), or unwrap it when
    /// that would pass the output bound.
    fn escaped<A: InputAttr>(&mut self, name: &QualName, attrs: &[A], ctx: Ctx) -> Children {
        let mut tag = std::mem::take(&mut self.scratch);
        tag.clear();
        tag.push_str("&lt;");
        serialize::text(&mut tag, &name.local);
        let mut v = String::new();
        for a in attrs {
            tag.push(' ');
            serialize::text(&mut tag, &a.full_name());
            tag.push_str("=\"");
            v.clear();
            serialize::attr(&mut v, a.value());
            serialize::text(&mut tag, &v);
            tag.push('"');
        }
        tag.push_str("&gt;");
        let void = is_html(name) && html::is_void(&name.local);
        let end = if void {
            0
        } else {
            let mut e = String::new();
            serialize::text(&mut e, &name.local);
            e.len() + "&lt;/&gt;".len()
        };
        let fits = self.budget.take(tag.len() + end);
        if fits && self.formatting {
            // The tag is text: it joins the run as the characters a
            // re-parse reads (escaping it gives `tag` back).
            if self.run.is_empty() {
                self.run_ctx = ctx;
            }
            self.run.push('<');
            self.run.push_str(&name.local);
            for a in attrs {
                self.run.push(' ');
                self.run.push_str(&a.full_name());
                self.run.push_str("=\"");
                serialize::attr(&mut self.run, a.value());
                self.run.push('"');
            }
            self.run.push('>');
        } else if fits {
            self.write(&tag);
        }
        self.scratch = tag;
        if !fits {
            self.report
                .removed(RemovalKind::Element, &name.local, Reason::OutputLimit);
        }
        Children {
            ctx,
            exit: if void || !fits {
                Exit::Nothing
            } else {
                Exit::EscapedEnd(name.local.clone())
            },
        }
    }

    /// The attributes to emit, in input order, values final (the checks
    /// are in [`attributes`]).
    fn filter_attributes<'b, A: InputAttr>(
        &mut self,
        name: &QualName,
        key: &Key,
        own_attrs: &[LocalName],
        attrs: &'b [A],
        kept: &mut Vec<(LocalName, Cow<'b, str>)>,
    ) {
        let on = attributes::On {
            key,
            local: &name.local,
            own: own_attrs,
        };
        for a in attrs {
            let full = a.full_name();
            let lname = a.policy_name(&full);
            match attributes::judge(self.policy, &on, &lname, a.value()) {
                attributes::Outcome::Keep(v) => kept.push((full, v)),
                attributes::Outcome::Replaced => {}
                attributes::Outcome::Removed(kind, reason) => {
                    self.report.removed(kind, &full, reason);
                }
            }
        }
    }

    /// Is the element in the namespace a browser's re-parse of the output
    /// gives it, under its kept parent? (An element whose name means
    /// something else there, such as a MathML `svg` under `annotation-xml`,
    /// or an HTML element where foreign content would continue, fails.)
    fn namespace_ok(&self, key: &Key, kept: &[(LocalName, Cow<'_, str>)], ctx: Ctx) -> bool {
        // The policy key's name is the tag name lowercased (HTML names are
        // lowercase already).
        let (ns, tag) = (key.0, &key.1);
        // Only a `font` breaks out of foreign content by its attributes.
        let font_breakout = *tag == local_name!("font")
            && kept
                .iter()
                .any(|(n, _)| matches!(&**n, "color" | "face" | "size"));
        html::start_tag_namespace(ctx.place, tag, font_breakout) == Some(ns)
    }

    /// Whether HTML element `local` (`closes_p`: [`html::closes_p`]) may
    /// start in `ctx` with no parser restructuring anything.
    fn structure_ok(&self, local: &LocalName, closes_p: bool, ctx: Ctx) -> bool {
        // Table structure first: inside it only the right parts may appear.
        let table_child = match *local {
            local_name!("caption")
            | local_name!("colgroup")
            | local_name!("thead")
            | local_name!("tbody")
            | local_name!("tfoot") => Some(TablePart::Table),
            local_name!("tr") => Some(TablePart::Section),
            local_name!("td") | local_name!("th") => Some(TablePart::Row),
            local_name!("col") => Some(TablePart::Colgroup),
            _ => None,
        };
        match table_child {
            Some(needed) => {
                if ctx.table != needed {
                    return false;
                }
            }
            None => {
                if ctx.table != TablePart::None {
                    return false;
                }
            }
        }
        // HTML under a MathML text integration point or an SVG/MathML HTML
        // integration point follows the same rules as in HTML.
        match *local {
            local_name!("a") if ctx.in_a => return false,
            local_name!("form") if ctx.in_form => return false,
            local_name!("nobr") if ctx.in_nobr => return false,
            local_name!("button") if ctx.in_button => return false,
            local_name!("li") if ctx.li_scope => return false,
            local_name!("dd") | local_name!("dt") if ctx.dd_dt_scope => return false,
            // `rt`/`rp` close everything up to an `rtc` or `ruby`; `rb`/`rtc`
            // close an open `rtc` too (generate implied end tags).
            local_name!("rt") | local_name!("rp")
                if !matches!(ctx.parent, Some(ParentName::Ruby) | Some(ParentName::Rtc)) =>
            {
                return false;
            }
            local_name!("rb") | local_name!("rtc") if ctx.parent != Some(ParentName::Ruby) => {
                return false
            }
            // `<option>` and `<optgroup>` close an option that is the current node.
            local_name!("option") | local_name!("optgroup")
                if ctx.parent == Some(ParentName::Option) =>
            {
                return false
            }
            _ => {}
        }
        if html::is_heading(local) && ctx.parent == Some(ParentName::Heading) {
            return false;
        }
        if closes_p && ctx.p_in_button_scope {
            return false;
        }
        true
    }

    fn child_ctx(
        &self,
        ns: Namespace,
        name: &QualName,
        kept: &[(LocalName, Cow<'_, str>)],
        ctx: Ctx,
    ) -> Ctx {
        ChildTraits::of(ns, &name.local, self.policy.links.as_ref()).apply(ctx, kept)
    }
}

/// What an element makes of its children's context, as far as that depends
/// on the element (and the policy) alone: worked out once per allowed
/// element when the policy is built (`ElementRule::child`), and applied to
/// the context at each start tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ChildTraits {
    /// SVG or MathML: the children are foreign, and nothing below applies.
    foreign: bool,
    /// [`html::closes_p`] (HTML elements).
    pub(crate) closes_p: bool,
    /// Where the children are when this is not `annotation-xml`.
    place: Place,
    /// MathML `annotation-xml`: its children's place depends on its
    /// `encoding` attribute.
    annotation_xml: bool,
    bounds_button_scope: bool,
    no_links: bool,
    table: TablePart,
    parent: Option<ParentName>,
    in_a: bool,
    in_form: bool,
    in_nobr: bool,
    in_button: bool,
    p: bool,
    li: bool,
    dd_dt: bool,
    breaks_item_search: bool,
}

impl ChildTraits {
    /// The traits of element `local` in `ns`, with the policy's `links`.
    pub(crate) fn of(
        ns: Namespace,
        local: &LocalName,
        links: Option<&crate::policy::Links>,
    ) -> ChildTraits {
        let html = ns == Namespace::Html;
        let mut t = ChildTraits {
            foreign: !html,
            closes_p: html && html::closes_p(local),
            place: Place::of_children(ns, local, false),
            annotation_xml: ns == Namespace::MathMl && *local == local_name!("annotation-xml"),
            // Scopes (see `html`): a flag is cleared only by an element
            // that bounds the scope in every parser, so neither parser
            // restructures.
            bounds_button_scope: html::bounds_button_scope(ns, local),
            no_links: false,
            table: TablePart::None,
            parent: None,
            in_a: false,
            in_form: false,
            in_nobr: false,
            in_button: false,
            p: false,
            li: false,
            dd_dt: false,
            breaks_item_search: false,
        };
        if !html {
            return t;
        }
        t.no_links = links.is_some_and(|l| l.skip.contains(local));
        match *local {
            local_name!("table") => t.table = TablePart::Table,
            local_name!("thead") | local_name!("tbody") | local_name!("tfoot") => {
                t.table = TablePart::Section
            }
            local_name!("tr") => t.table = TablePart::Row,
            local_name!("colgroup") => t.table = TablePart::Colgroup,
            local_name!("ruby") => t.parent = Some(ParentName::Ruby),
            local_name!("rtc") => t.parent = Some(ParentName::Rtc),
            local_name!("option") => t.parent = Some(ParentName::Option),
            _ if html::is_heading(local) => t.parent = Some(ParentName::Heading),
            _ => {}
        }
        match *local {
            local_name!("a") => t.in_a = true,
            local_name!("form") => t.in_form = true,
            local_name!("nobr") => t.in_nobr = true,
            local_name!("button") => t.in_button = true,
            local_name!("p") => t.p = true,
            _ => {}
        }
        t.breaks_item_search = html::is_special_in_both(local)
            && !matches!(
                *local,
                local_name!("address") | local_name!("div") | local_name!("p")
            );
        t.li = *local == local_name!("li");
        t.dd_dt = matches!(*local, local_name!("dd") | local_name!("dt"));
        t
    }

    /// The context of the children of a kept element with these traits,
    /// its kept attributes `kept`, in context `ctx`.
    #[inline(always)]
    fn apply(&self, ctx: Ctx, kept: &[(LocalName, Cow<'_, str>)]) -> Ctx {
        let mut c = ctx;
        c.depth += 1;
        c.parent = self.parent;
        c.table = self.table;
        c.place = if self.annotation_xml {
            let html_encoding = kept
                .iter()
                .any(|(n, v)| &**n == "encoding" && html::is_html_encoding(v));
            Place::of_children(Namespace::MathMl, "annotation-xml", html_encoding)
        } else {
            self.place
        };
        if self.bounds_button_scope {
            c.p_in_button_scope = false;
        }
        if self.foreign {
            c.foreign = true;
            return c;
        }
        c.no_links |= self.no_links;
        c.in_a |= self.in_a;
        c.in_form |= self.in_form;
        c.in_nobr |= self.in_nobr;
        c.in_button |= self.in_button;
        c.p_in_button_scope |= self.p;
        if self.li {
            c.li_scope = true;
        } else if self.breaks_item_search {
            c.li_scope = false;
        }
        if self.dd_dt {
            c.dd_dt_scope = true;
        } else if self.breaks_item_search {
            c.dd_dt_scope = false;
        }
        c
    }
}

/// The text content of the tree, for [`crate::to_plain_text`].
pub(crate) fn plain_text(dom: &Dom, policy: &Compiled) -> String {
    fn is_block(name: &LocalName) -> bool {
        html::closes_p(name)
            || matches!(
                *name,
                local_name!("tr") | local_name!("td") | local_name!("th") | local_name!("caption")
            )
    }
    let mut out = String::new();
    let newline = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    };
    // (next sibling to visit, block element being left)
    let mut stack: Vec<(NodeId, bool)> = vec![(dom.node(dom.fragment_root()).first_child, false)];
    while let Some(top) = stack.last_mut() {
        let id = top.0;
        if id == NIL {
            let (_, block) = stack.pop().expect("not empty");
            if block {
                newline(&mut out);
            }
            continue;
        }
        top.0 = dom.node(id).next;
        match &dom.node(id).data {
            NodeData::Text(t) => out.push_str(t),
            NodeData::Element { name, .. } => {
                let Some(ns) = policy_ns(&name.ns) else {
                    continue;
                };
                let key: Key = (ns, lower(&name.local));
                if policy.disposition(&key) == Disposition::Drop {
                    continue;
                }
                let html = is_html(name);
                if html && name.local == local_name!("br") {
                    out.push('\n');
                    continue;
                }
                let block = html && is_block(&name.local);
                if block {
                    newline(&mut out);
                }
                stack.push((dom.node(id).first_child, block));
            }
            NodeData::Comment(_) | NodeData::Document | NodeData::Fragment => {}
        }
    }
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    out
}
