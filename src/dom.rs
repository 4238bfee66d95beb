//! The DOM stage: an arena of nodes behind html5ever's `TreeSink`.
//!
//! Nodes live in one `Vec`, addressed by `u32` indices; every node knows its
//! parent, first and last child and both siblings, so every tree operation
//! html5ever asks for (append, insert before a sibling for foster parenting,
//! detach, move all children) is O(1) per node moved, and nothing is
//! reference counted. The sink also keeps the counters the parse guard needs
//! (see `parse.rs`): how many element bytes were created, which nodes were
//! inserted last, and whether the tree builder moved nodes.
//!
//! **Depth.** The guard needs the exact depth of the parser's insertion point.
//! Each node caches its depth, but the tree builder moves whole subtrees (the
//! adoption agency, foster parenting, `reparent_children`), which changes the
//! depth of every node below the moved one. A cached depth is therefore only
//! trusted while its *valid* bit is set: moving a node that has children
//! clears the bit on every node validated since the last such move (they are
//! kept in a list), and [`Sink::depth_of`] walks up to the nearest valid
//! ancestor (or the document) and fills the depths in downwards. Each
//! validation is paid for once and undone at most once, so the cost stays
//! linear overall. Template contents count as children of their template.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, QualName};

use crate::report::{Reason, RemovalKind};

/// Index of a node in the arena.
pub(crate) type NodeId = u32;

/// "No node" in the link fields.
pub(crate) const NIL: NodeId = u32::MAX;

/// The document node: always index 0.
pub(crate) const DOCUMENT: NodeId = 0;

/// Top bit of [`Node::depth`]: the cached depth is valid.
const DEPTH_VALID: u32 = 1 << 31;

#[derive(Debug)]
pub(crate) enum NodeData {
    Document,
    /// A document fragment: the contents of a `<template>`.
    Fragment,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
        /// `annotation-xml` whose `encoding` made it an HTML integration point
        /// at parse time (the tree builder asks). The cleaner decides again on
        /// the attributes it actually emits.
        integration_point: bool,
    },
    Text(StrTendril),
    Comment(StrTendril),
}

#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) parent: NodeId,
    pub(crate) first_child: NodeId,
    pub(crate) last_child: NodeId,
    pub(crate) prev: NodeId,
    pub(crate) next: NodeId,
    /// Cached depth (document = 0) in the low 31 bits; the top bit
    /// ([`DEPTH_VALID`]) says whether it is still right (see the module docs).
    /// Only used by the parse guard.
    depth: u32,
    pub(crate) data: NodeData,
}

impl Node {
    fn new(data: NodeData) -> Node {
        Node {
            parent: NIL,
            first_child: NIL,
            last_child: NIL,
            prev: NIL,
            next: NIL,
            depth: 0,
            data,
        }
    }
}

/// The finished tree, handed from the parse stage to the clean stage.
#[derive(Debug)]
pub(crate) struct Dom {
    pub(crate) nodes: Vec<Node>,
    /// What the parse guard removed before the tree was built (tags refused
    /// at the depth cap or after the amplification bound, content skipped
    /// with them): (kind, name, reason, count), sorted.
    pub(crate) guard_removals: Vec<GuardRemoval>,
    /// Bytes of the input the fast tokenizer read before html5ever's took
    /// over (`fast::tokens`; for measurements).
    pub(crate) fast_tokenized: usize,
}

/// See [`Sink::element_kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ElementKind {
    Void,
    Form,
    Open,
}

/// One kind of removal made by the parse guard, with its count.
pub(crate) type GuardRemoval = (RemovalKind, LocalName, Reason, usize);

impl Dom {
    /// The node whose children are the parsed fragment: the `html` root the
    /// fragment algorithm creates under the document.
    pub(crate) fn fragment_root(&self) -> NodeId {
        let mut child = self.nodes[DOCUMENT as usize].first_child;
        while child != NIL {
            if matches!(self.nodes[child as usize].data, NodeData::Element { .. }) {
                return child;
            }
            child = self.nodes[child as usize].next;
        }
        DOCUMENT
    }

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }
}

/// Counters shared with the parse guard.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Sum over created elements of their output bound ([`element_cost`]).
    pub(crate) element_bytes: Cell<usize>,
    /// Number of elements created.
    pub(crate) elements: Cell<usize>,
    /// The element most recently inserted into the tree.
    pub(crate) last_element: Cell<NodeId>,
    /// The parent of the text most recently inserted.
    pub(crate) last_text_parent: Cell<NodeId>,
    /// The parent of the comment most recently inserted.
    pub(crate) last_comment_parent: Cell<NodeId>,
    /// Bumped on every element insertion.
    pub(crate) element_insertions: Cell<u64>,
    /// Bumped on every text insertion.
    pub(crate) text_insertions: Cell<u64>,
    /// Bumped on every comment insertion.
    pub(crate) comment_insertions: Cell<u64>,
    /// Bumped whenever a node that was already in the tree, or that has
    /// children, is moved or detached: depths below may have changed.
    pub(crate) moves: Cell<u64>,
    /// Bumped on every insertion before a sibling (foster parenting): the
    /// inserted node's parent is then not the parser's current node.
    pub(crate) fosters: Cell<u64>,
}

fn bump(c: &Cell<u64>) {
    c.set(c.get().wrapping_add(1));
}

/// The arena `TreeSink`.
pub(crate) struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// Nodes whose depth was validated since the last move that invalidated
    /// depths (may hold duplicates and stale ids; see the module docs).
    validated: RefCell<Vec<NodeId>>,
    /// Scratch for [`Sink::depth_of`].
    path: RefCell<Vec<NodeId>>,
    /// Output bytes of the `rel` attribute the cleaner adds to links.
    rel_cost: usize,
    pub(crate) counters: Counters,
}

impl Sink {
    pub(crate) fn with_capacity(capacity: usize, rel_len: usize) -> Sink {
        let mut nodes = Vec::with_capacity(capacity.max(4));
        let mut document = Node::new(NodeData::Document);
        // The document never moves: its depth (0) stays valid.
        document.depth = DEPTH_VALID;
        nodes.push(document);
        Sink {
            nodes: RefCell::new(nodes),
            validated: RefCell::new(Vec::new()),
            path: RefCell::new(Vec::new()),
            // ` rel="` + value + `"`
            rel_cost: rel_len + 7,
            counters: Counters::default(),
        }
    }

    pub(crate) fn into_dom(self, guard_removals: Vec<GuardRemoval>) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
            guard_removals,
            fast_tokenized: 0,
        }
    }

    /// The exact depth of `id` in the tree (document = 0; the contents of a
    /// template count as children of the template; a detached subtree is
    /// measured from its own root, at depth 1). Iterative; amortised O(1)
    /// per node validated (see the module docs).
    pub(crate) fn depth_of(&self, id: NodeId) -> u32 {
        let mut nodes = self.nodes.borrow_mut();
        // The common cases: known already, or a new node under a known one.
        let Some(n) = nodes.get(id as usize) else {
            return 0;
        };
        if n.depth & DEPTH_VALID != 0 {
            return n.depth & !DEPTH_VALID;
        }
        if n.parent != NIL {
            let parent = nodes[n.parent as usize].depth;
            if parent & DEPTH_VALID != 0 {
                let depth = ((parent & !DEPTH_VALID) + 1).min(DEPTH_VALID - 1);
                nodes[id as usize].depth = depth | DEPTH_VALID;
                self.validated.borrow_mut().push(id);
                return depth;
            }
        }
        let mut path = self.path.borrow_mut();
        path.clear();
        let mut cur = id;
        let mut depth = loop {
            let Some(n) = nodes.get(cur as usize) else {
                break 0;
            };
            if n.depth & DEPTH_VALID != 0 {
                break n.depth & !DEPTH_VALID;
            }
            path.push(cur);
            cur = if n.parent != NIL {
                n.parent
            } else if matches!(n.data, NodeData::Fragment) {
                // Template contents: create_element pushed the fragment
                // right after its template.
                cur.wrapping_sub(1)
            } else {
                NIL
            };
        };
        let mut validated = self.validated.borrow_mut();
        for &x in path.iter().rev() {
            let n = &mut nodes[x as usize];
            if !matches!(n.data, NodeData::Fragment) {
                depth = (depth + 1).min(DEPTH_VALID - 1);
            }
            n.depth = depth | DEPTH_VALID;
            validated.push(x);
        }
        depth
    }

    /// Forget every cached depth except the document's.
    fn invalidate_depths(&self, nodes: &mut [Node]) {
        for id in self.validated.borrow_mut().drain(..) {
            if let Some(n) = nodes.get_mut(id as usize) {
                n.depth &= !DEPTH_VALID;
            }
        }
    }

    /// `id` is about to move (or leave the tree): the cached depths of the
    /// nodes below it, and its own, may no longer hold.
    fn note_move(&self, nodes: &mut [Node], id: NodeId) {
        let n = &nodes[id as usize];
        if n.first_child != NIL {
            bump(&self.counters.moves);
            self.invalidate_depths(nodes);
        } else if n.parent != NIL {
            bump(&self.counters.moves);
        }
        nodes[id as usize].depth &= !DEPTH_VALID;
    }

    fn push(&self, data: NodeData) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        // The arena is bounded by the input size (the guard caps element
        // creation), so this cannot overflow a u32 for any input we accept.
        let id = u32::try_from(nodes.len()).unwrap_or(NIL - 1);
        nodes.push(Node::new(data));
        id
    }

    /// Unlink `id` from its parent and siblings.
    fn detach(nodes: &mut [Node], id: NodeId) {
        let (parent, prev, next) = {
            let n = &nodes[id as usize];
            (n.parent, n.prev, n.next)
        };
        if parent == NIL {
            return;
        }
        if prev != NIL {
            nodes[prev as usize].next = next;
        } else {
            nodes[parent as usize].first_child = next;
        }
        if next != NIL {
            nodes[next as usize].prev = prev;
        } else {
            nodes[parent as usize].last_child = prev;
        }
        let n = &mut nodes[id as usize];
        n.parent = NIL;
        n.prev = NIL;
        n.next = NIL;
    }

    fn note_insert(&self, nodes: &[Node], id: NodeId, parent: NodeId) {
        let c = &self.counters;
        match nodes[id as usize].data {
            NodeData::Element { .. } => {
                c.last_element.set(id);
                bump(&c.element_insertions);
            }
            NodeData::Text(_) => {
                c.last_text_parent.set(parent);
                bump(&c.text_insertions);
            }
            NodeData::Comment(_) => {
                c.last_comment_parent.set(parent);
                bump(&c.comment_insertions);
            }
            NodeData::Document | NodeData::Fragment => {}
        }
    }

    /// Remove the last comment, which the guard inserted to learn the
    /// parser's current node. A leaf: no depth changes.
    pub(crate) fn remove_probe(&self) {
        let mut nodes = self.nodes.borrow_mut();
        let Some(id) = nodes.len().checked_sub(1) else {
            return;
        };
        let id = id as NodeId;
        if !matches!(nodes[id as usize].data, NodeData::Comment(_)) {
            return;
        }
        Self::detach(&mut nodes, id);
        // The probe is the node created last: take it out of the arena too,
        // or every start tag dropped at the depth cap leaves an 80-byte node
        // behind (deep_table_td n=1e6: ~3M dead nodes, ~240 MiB).
        nodes.pop();
    }

    /// Whether `id` is an HTML `table`, `tbody`, `thead`, `tfoot` or `tr`:
    /// text inserted there is foster-parented out of the table.
    pub(crate) fn is_table_part(&self, id: NodeId) -> bool {
        use html5ever::local_name;
        matches!(
            self.nodes.borrow().get(id as usize).map(|n| &n.data),
            Some(NodeData::Element { name, .. })
                if name.ns == html5ever::ns!(html)
                    && matches!(
                        name.local,
                        local_name!("table")
                            | local_name!("tbody")
                            | local_name!("thead")
                            | local_name!("tfoot")
                            | local_name!("tr")
                    )
        )
    }

    /// How element `id` stands after its start tag: `Void` when the tree
    /// builder popped it at once (an HTML void element, or a foreign element
    /// whose start tag closed itself), `Form` for an HTML `form` (popped at
    /// once in a table), `Open` otherwise.
    pub(crate) fn element_kind(&self, id: NodeId, self_closing: bool) -> ElementKind {
        match self.nodes.borrow().get(id as usize).map(|n| &n.data) {
            Some(NodeData::Element { name, .. }) if name.ns == html5ever::ns!(html) => {
                if crate::html::start_tag_is_void(&name.local) {
                    ElementKind::Void
                } else if name.local == html5ever::local_name!("form") {
                    ElementKind::Form
                } else {
                    ElementKind::Open
                }
            }
            _ if self_closing => ElementKind::Void,
            _ => ElementKind::Open,
        }
    }

    fn append_node(&self, parent: NodeId, id: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        self.note_move(&mut nodes, id);
        Self::detach(&mut nodes, id);
        let last = nodes[parent as usize].last_child;
        {
            let n = &mut nodes[id as usize];
            n.parent = parent;
            n.prev = last;
            n.next = NIL;
        }
        if last != NIL {
            nodes[last as usize].next = id;
        } else {
            nodes[parent as usize].first_child = id;
        }
        nodes[parent as usize].last_child = id;
        self.note_insert(&nodes, id, parent);
    }

    fn insert_before(&self, sibling: NodeId, id: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        self.note_move(&mut nodes, id);
        Self::detach(&mut nodes, id);
        let parent = nodes[sibling as usize].parent;
        if parent == NIL {
            return;
        }
        let prev = nodes[sibling as usize].prev;
        {
            let n = &mut nodes[id as usize];
            n.parent = parent;
            n.prev = prev;
            n.next = sibling;
        }
        nodes[sibling as usize].prev = id;
        if prev != NIL {
            nodes[prev as usize].next = id;
        } else {
            nodes[parent as usize].first_child = id;
        }
        self.note_insert(&nodes, id, parent);
    }

    /// Append text to `parent`, merging with a trailing text node.
    fn append_text(&self, parent: NodeId, text: StrTendril) {
        {
            let mut nodes = self.nodes.borrow_mut();
            let last = nodes[parent as usize].last_child;
            if last != NIL {
                if let NodeData::Text(ref mut t) = nodes[last as usize].data {
                    t.push_tendril(&text);
                    self.note_insert(&nodes, last, parent);
                    return;
                }
            }
        }
        let id = self.push(NodeData::Text(text));
        self.append_node(parent, id);
    }

    fn parent_of(&self, id: NodeId) -> NodeId {
        self.nodes.borrow()[id as usize].parent
    }
}

/// Upper bound on the bytes an element can take in the output: start and
/// end tag, every attribute with its value escaped, and a `rel` for links.
fn element_cost(name: &QualName, attrs: &[Attribute], rel_cost: usize) -> usize {
    let rel = if matches!(&*name.local, "a" | "area") {
        rel_cost
    } else {
        0
    };
    attrs.iter().fold(2 * name.local.len() + 5 + rel, |acc, a| {
        acc.saturating_add(attribute_cost(a))
    })
}

fn attribute_cost(a: &Attribute) -> usize {
    // ` xmlns:` prefix, `="`, `"`, and the value with every byte escaped to at
    // most six bytes (`&quot;`). Cheaper than scanning, and still an upper bound.
    10 + a.name.local.len() + 6 * a.value.len()
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Sink;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Sink {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |nodes| {
            match nodes[*target as usize].data {
                NodeData::Element { ref name, .. } => name,
                // html5ever only asks for names of elements it created.
                NodeData::Document
                | NodeData::Fragment
                | NodeData::Text(_)
                | NodeData::Comment(_) => &NOT_AN_ELEMENT,
            }
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let c = &self.counters;
        c.element_bytes
            .set(
                c.element_bytes
                    .get()
                    .saturating_add(element_cost(&name, &attrs, self.rel_cost)),
            );
        c.elements.set(c.elements.get() + 1);
        let id = self.push(NodeData::Element {
            name,
            attrs,
            integration_point: flags.mathml_annotation_xml_integration_point,
        });
        if flags.template {
            // Template contents are a separate fragment; templates are always
            // dropped with their content, so it is never attached.
            let _ = self.push(NodeData::Fragment);
        }
        id
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.push(NodeData::Comment(text))
    }

    fn create_pi(&self, _target: StrTendril, data: StrTendril) -> NodeId {
        // The HTML parser never creates processing instructions; keep the
        // data as a comment if it ever does.
        self.push(NodeData::Comment(data))
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendNode(id) => self.append_node(*parent, id),
            NodeOrText::AppendText(text) => self.append_text(*parent, text),
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        if self.parent_of(*element) != NIL {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // create_element pushed the fragment right after the template.
        target + 1
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        bump(&self.counters.fosters);
        match new_node {
            NodeOrText::AppendNode(id) => self.insert_before(*sibling, id),
            NodeOrText::AppendText(text) => {
                let prev = {
                    let nodes = self.nodes.borrow();
                    nodes[*sibling as usize].prev
                };
                if prev != NIL {
                    let mut nodes = self.nodes.borrow_mut();
                    let parent = nodes[prev as usize].parent;
                    if let NodeData::Text(ref mut t) = nodes[prev as usize].data {
                        t.push_tendril(&text);
                        self.note_insert(&nodes, prev, parent);
                        return;
                    }
                }
                let id = self.push(NodeData::Text(text));
                self.insert_before(*sibling, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let NodeData::Element {
            attrs: ref mut existing,
            ..
        } = nodes[*target as usize].data
        {
            for attr in attrs {
                if !existing.iter().any(|a| a.name == attr.name) {
                    let c = &self.counters;
                    c.element_bytes
                        .set(c.element_bytes.get().saturating_add(attribute_cost(&attr)));
                    existing.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        self.note_move(&mut nodes, *target);
        Self::detach(&mut nodes, *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut child = self.nodes.borrow()[*node as usize].first_child;
        while child != NIL {
            let next = self.nodes.borrow()[child as usize].next;
            self.append_node(*new_parent, child);
            child = next;
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        matches!(
            self.nodes.borrow()[*handle as usize].data,
            NodeData::Element {
                integration_point: true,
                ..
            }
        )
    }

    fn allow_declarative_shadow_roots(&self, _intended_parent: &NodeId) -> bool {
        false
    }
}

static NOT_AN_ELEMENT: std::sync::LazyLock<QualName> = std::sync::LazyLock::new(|| {
    QualName::new(None, html5ever::ns!(), html5ever::LocalName::from(""))
});

#[cfg(test)]
mod tests {
    use super::*;
    use html5ever::{local_name, ns};

    fn elem(sink: &Sink, name: &str) -> NodeId {
        sink.create_element(
            QualName::new(None, ns!(html), html5ever::LocalName::from(name)),
            Vec::new(),
            ElementFlags::default(),
        )
    }

    fn children(dom: &Dom, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut c = dom.node(id).first_child;
        while c != NIL {
            assert_eq!(dom.node(c).parent, id);
            out.push(c);
            c = dom.node(c).next;
        }
        out
    }

    /// The arena's cost per node (README, Performance): six `u32` links and
    /// the node data. A growth here is a memory regression.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_node_is_80_bytes() {
        assert_eq!(std::mem::size_of::<Node>(), 80);
    }

    #[test]
    fn append_insert_before_and_detach_keep_links_consistent() {
        let sink = Sink::with_capacity(8, 0);
        let root = elem(&sink, "div");
        sink.append(&DOCUMENT, NodeOrText::AppendNode(root));
        let a = elem(&sink, "a");
        let b = elem(&sink, "b");
        sink.append(&root, NodeOrText::AppendNode(b));
        sink.append_before_sibling(&b, NodeOrText::AppendNode(a));
        sink.append(&root, NodeOrText::AppendText("x".into()));
        sink.append(&root, NodeOrText::AppendText("y".into()));
        let dom = sink.into_dom(Vec::new());
        let kids = children(&dom, root);
        assert_eq!(kids.len(), 3, "text merged into one node");
        assert_eq!(&kids[..2], &[a, b]);
        assert!(matches!(&dom.node(kids[2]).data, NodeData::Text(t) if &**t == "xy"));
        assert_eq!(dom.fragment_root(), root);
    }

    #[test]
    fn reparent_and_remove_move_whole_lists() {
        let sink = Sink::with_capacity(8, 0);
        let from = elem(&sink, "p");
        let to = elem(&sink, "div");
        sink.append(&DOCUMENT, NodeOrText::AppendNode(from));
        sink.append(&DOCUMENT, NodeOrText::AppendNode(to));
        let kids: Vec<NodeId> = (0..5).map(|_| elem(&sink, "i")).collect();
        for k in &kids {
            sink.append(&from, NodeOrText::AppendNode(*k));
        }
        sink.reparent_children(&from, &to);
        sink.remove_from_parent(&kids[2]);
        assert_eq!(sink.elem_name(&to).local, local_name!("div"));
        let dom = sink.into_dom(Vec::new());
        assert!(children(&dom, from).is_empty());
        assert_eq!(children(&dom, to), vec![kids[0], kids[1], kids[3], kids[4]]);
        assert_eq!(dom.node(kids[2]).parent, NIL);
    }

    /// Depth the slow way: count parents up to the document (template
    /// contents count as the template's children).
    fn brute_depth(sink: &Sink, id: NodeId) -> Option<u32> {
        let nodes = sink.nodes.borrow();
        let mut d = 0;
        let mut cur = id;
        while cur != DOCUMENT {
            let n = &nodes[cur as usize];
            cur = if n.parent != NIL {
                d += 1;
                n.parent
            } else if matches!(n.data, NodeData::Fragment) {
                cur - 1
            } else {
                return None;
            };
        }
        Some(d)
    }

    fn is_ancestor(sink: &Sink, a: NodeId, mut b: NodeId) -> bool {
        let nodes = sink.nodes.borrow();
        while b != NIL {
            if a == b {
                return true;
            }
            let n = &nodes[b as usize];
            b = if n.parent == NIL && matches!(n.data, NodeData::Fragment) {
                b - 1
            } else {
                n.parent
            };
        }
        false
    }

    /// The cached depths stay exact through every move the tree builder can
    /// make: appending and inserting subtrees elsewhere, moving all children,
    /// detaching, and template contents (issue 9: stale depths let the stack
    /// of open elements grow past the cap).
    #[test]
    fn depths_stay_exact_through_moves() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut rng = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let sink = Sink::with_capacity(8, 0);
        let root = elem(&sink, "html");
        sink.append(&DOCUMENT, NodeOrText::AppendNode(root));
        let mut all = vec![root];
        for step in 0..20_000 {
            let a = all[rng(all.len())];
            let b = all[rng(all.len())];
            match rng(7) {
                0 | 1 => {
                    let name = if rng(10) == 0 { "template" } else { "div" };
                    let mut flags = ElementFlags::default();
                    flags.template = name == "template";
                    let id = sink.create_element(
                        QualName::new(None, ns!(html), html5ever::LocalName::from(name)),
                        Vec::new(),
                        flags,
                    );
                    let parent = if rng(3) == 0 && matches!(&*sink.elem_name(&a).local, "template")
                    {
                        sink.get_template_contents(&a)
                    } else {
                        a
                    };
                    sink.append(&parent, NodeOrText::AppendNode(id));
                    all.push(id);
                }
                2 if a != root && !is_ancestor(&sink, a, b) => {
                    sink.append(&b, NodeOrText::AppendNode(a));
                }
                3 if a != root && b != root && !is_ancestor(&sink, a, b) => {
                    sink.append_before_sibling(&b, NodeOrText::AppendNode(a));
                }
                4 if !is_ancestor(&sink, b, a) => sink.reparent_children(&b, &a),
                5 if a != root && rng(4) == 0 => sink.remove_from_parent(&a),
                _ => {}
            }
            for _ in 0..3 {
                let x = all[rng(all.len())];
                if let Some(want) = brute_depth(&sink, x) {
                    assert_eq!(sink.depth_of(x), want, "step {step}, node {x}");
                }
            }
        }
    }
}
