//! The DOM stage: an arena of nodes behind html5ever's `TreeSink`.
//!
//! Nodes live in one `Vec`, addressed by `u32` indices; every node knows its
//! parent, first and last child and both siblings, so every tree operation
//! html5ever asks for (append, insert before a sibling for foster parenting,
//! detach, move all children) is O(1) per node moved, and nothing is
//! reference counted. The sink also keeps the counters the parse guard needs
//! (see `parse.rs`): how many element bytes were created, and the depth of the
//! last insertion point.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};

/// Index of a node in the arena.
pub(crate) type NodeId = u32;

/// "No node" in the link fields.
pub(crate) const NIL: NodeId = u32::MAX;

/// The document node: always index 0.
pub(crate) const DOCUMENT: NodeId = 0;

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
    /// Depth at the time the node was last inserted (document = 0). Only used
    /// by the parse guard as an estimate of the parser's current depth.
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
}

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
    /// Depth of the element most recently inserted into the tree.
    pub(crate) last_element_depth: Cell<u32>,
    /// Depth of the parent of the text most recently inserted.
    pub(crate) last_text_parent_depth: Cell<u32>,
    /// Bumped on every element insertion.
    pub(crate) element_insertions: Cell<u64>,
    /// Bumped on every text insertion.
    pub(crate) text_insertions: Cell<u64>,
    /// The comment most recently inserted, and its parent's depth.
    pub(crate) last_comment: Cell<(NodeId, u32)>,
}

/// The arena `TreeSink`.
pub(crate) struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// Output bytes of the `rel` attribute the cleaner adds to links.
    rel_cost: usize,
    pub(crate) counters: Counters,
}

impl Sink {
    pub(crate) fn with_capacity(capacity: usize, rel_len: usize) -> Sink {
        let mut nodes = Vec::with_capacity(capacity.max(4));
        nodes.push(Node::new(NodeData::Document));
        Sink {
            nodes: RefCell::new(nodes),
            // ` rel="` + value + `"`
            rel_cost: rel_len + 7,
            counters: Counters::default(),
        }
    }

    pub(crate) fn into_dom(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
        }
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
        let depth = nodes[parent as usize].depth.saturating_add(1);
        match nodes[id as usize].data {
            NodeData::Element { .. } => {
                self.counters.last_element_depth.set(depth);
                let c = &self.counters.element_insertions;
                c.set(c.get().wrapping_add(1));
            }
            NodeData::Text(_) => {
                self.counters.last_text_parent_depth.set(depth - 1);
                let c = &self.counters.text_insertions;
                c.set(c.get().wrapping_add(1));
            }
            NodeData::Comment(_) => self.counters.last_comment.set((id, depth - 1)),
            NodeData::Document | NodeData::Fragment => {}
        }
    }

    /// Remove a node the guard inserted to learn the insertion depth.
    pub(crate) fn remove_probe(&self, id: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        Self::detach(&mut nodes, id);
        // The probe is the node created last: take it out of the arena too,
        // or every start tag dropped at the depth cap leaves an 80-byte node
        // behind (deep_table_td n=1e6: ~3M dead nodes, ~240 MiB). Its id is
        // then reused, so forget it: the guard compares ids to see whether a
        // probe was inserted.
        if id as usize + 1 == nodes.len() {
            nodes.pop();
            self.counters.last_comment.set((NIL, 0));
        }
    }

    fn append_node(&self, parent: NodeId, id: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        Self::detach(&mut nodes, id);
        let last = nodes[parent as usize].last_child;
        let depth = nodes[parent as usize].depth.saturating_add(1);
        {
            let n = &mut nodes[id as usize];
            n.parent = parent;
            n.prev = last;
            n.next = NIL;
            n.depth = depth;
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
        Self::detach(&mut nodes, id);
        let parent = nodes[sibling as usize].parent;
        if parent == NIL {
            return;
        }
        let prev = nodes[sibling as usize].prev;
        let depth = nodes[parent as usize].depth.saturating_add(1);
        {
            let n = &mut nodes[id as usize];
            n.parent = parent;
            n.prev = prev;
            n.next = sibling;
            n.depth = depth;
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
        let dom = sink.into_dom();
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
        let dom = sink.into_dom();
        assert!(children(&dom, from).is_empty());
        assert_eq!(children(&dom, to), vec![kids[0], kids[1], kids[3], kids[4]]);
        assert_eq!(dom.node(kids[2]).parent, NIL);
    }
}
