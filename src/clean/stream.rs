//! The streaming walk: the fast parser's tokens cleaned as they come, with
//! no tree in between.
//!
//! The walk decides everything at an element's start tag and writes its
//! end tag when it leaves the element, visiting nodes in document order:
//! exactly the order the fast parser finds them in. So the fast parser
//! ([`fast::parse_into`]) can drive the [`Walker`] directly: [`Stream`]
//! keeps the stack the tree walk keeps (the context and exit of each open
//! element) and a count of open elements inside a skipped one. The walker
//! is the same code as for a tree; only the driver differs.
//!
//! Two things differ from the tree walk, and both make the stream give up
//! (the caller throws away what it wrote and takes the tree path):
//!
//! * **the fast parser bails** part way;
//! * **the output bound**: the tree walk reserves every text and comment
//!   before the first tag; the stream reserves each as it comes, and keeps
//!   its result only when no tag was refused and the final sum fits (see
//!   `Budget`), which is when the tree walk refuses nothing either.
//!
//! Hooks are the user's code and would see a bailed stream's calls twice,
//! so a policy with hooks takes the tree path ([`streams`]).

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::{ns, Attribute, LocalName, QualName};

use super::{comment_reservation, text_reservation, Children, Ctx, InputAttr, Walker};
use crate::fast::{self, Bail, Build, FastAttr, Text};
use crate::policy::Compiled;
use crate::report::Reporter;
use crate::serialize::Out;

/// The fast parser's attributes, streamed to the walk as they are read.
impl InputAttr for FastAttr<'_> {
    fn full_name(&self) -> LocalName {
        self.name.clone()
    }

    /// The fast parser's names are lowercase already.
    fn policy_name(&self, full: &LocalName) -> LocalName {
        full.clone()
    }

    fn value(&self) -> &str {
        self.value.as_str()
    }

    fn as_attributes(attrs: &[Self]) -> Cow<'_, [Attribute]> {
        Cow::Owned(
            attrs
                .iter()
                .map(|a| Attribute {
                    name: QualName::new(None, ns!(), a.name.clone()),
                    value: StrTendril::from_slice(a.value.as_str()),
                })
                .collect(),
        )
    }
}

/// Why a stream gave up.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The fast parser bailed (the tree fast path would too).
    Parser(Bail),
    /// The output bound refused a tag, or would have in the tree walk.
    Budget,
}

/// Can `policy` be cleaned by streaming? (No hooks.)
pub(crate) fn streams(policy: &Compiled) -> bool {
    let h = &policy.hooks;
    h.element.is_none() && h.attribute.is_none() && h.url.is_none() && h.text.is_none()
}

/// Clean `input` into `out` straight from the fast parser's tokens. On
/// `Err`, `out` and `report` hold a partial result the caller must throw
/// away. `Ok` says whether the attribute pre-check must still run (see
/// [`fast::Parsed::needs_precheck`]).
pub(crate) fn stream<O: Out, R: Reporter>(
    policy: &Compiled,
    input: &str,
    out: &mut O,
    report: &mut R,
) -> Result<bool, Stop> {
    let mut walker = Walker::new(policy, input.len(), out, report);
    walker.begin();
    let s = Stream {
        walker,
        open: Vec::new(),
        skip: 0,
    };
    let (s, needs_precheck) = fast::parse_into(input, policy.max_depth, s).map_err(Stop::Parser)?;
    if !s.walker.budget.kept() {
        return Err(Stop::Budget);
    }
    Ok(needs_precheck)
}

/// The walk's driver for the fast parser (see the module docs).
struct Stream<'a, O: Out, R: Reporter> {
    walker: Walker<'a, O, R>,
    /// The open elements whose children are walked.
    open: Vec<Children>,
    /// Open elements inside a skipped one (it included): their content is
    /// not walked.
    skip: usize,
}

impl<O: Out, R: Reporter> Stream<'_, O, R> {
    #[inline(always)]
    fn ctx(&self) -> Ctx {
        self.open.last().map_or_else(Ctx::root, |c| c.ctx)
    }
}

impl<O: Out, R: Reporter> Build for Stream<'_, O, R> {
    #[inline(always)]
    fn text(&mut self, text: Text<'_>, plain: bool, _: &mut Option<StrTendril>) {
        let t = text.as_str();
        // Reserved skipped or not, as the tree walk reserves every node.
        self.walker.budget.reserve(text_reservation(t.len()));
        if self.skip == 0 {
            let ctx = self.ctx();
            self.walker.text_with(t, ctx, plain);
        }
    }

    fn comment(&mut self, text: Text<'_>, _: &mut Option<StrTendril>) {
        let c = text.as_str();
        self.walker.budget.reserve(comment_reservation(c.len()));
        if self.skip == 0 {
            self.walker.comment(c);
        }
    }

    #[inline(always)]
    fn start(
        &mut self,
        local: &LocalName,
        attrs: &mut Vec<FastAttr<'_>>,
        void: bool,
        _: &mut Option<StrTendril>,
    ) {
        if self.skip > 0 {
            self.skip += usize::from(!void);
            return;
        }
        let name = QualName::new(None, ns!(html), local.clone());
        let ctx = self.ctx();
        match self.walker.start(&name, attrs, ctx) {
            // A void element has no children: the tree walk leaves it at once.
            Some(c) if void => self.walker.exit(c.exit, c.ctx),
            Some(c) => self.open.push(c),
            None => self.skip = usize::from(!void),
        }
    }

    #[inline(always)]
    fn end(&mut self) {
        if self.skip > 0 {
            self.skip -= 1;
        } else if let Some(c) = self.open.pop() {
            self.walker.exit(c.exit, c.ctx);
        }
    }

    fn finish(&mut self) {
        self.walker.finish();
    }
}

/// With the `verify-fast-path` feature: check the fast path on `input`
/// both ways and panic on any difference. The tree the fast parser builds
/// must equal html5ever's ([`fast::verify`]); and where the policy streams,
/// the stream must accept exactly what the tree fast parser accepts and
/// write the same bytes and report as the walk of that tree.
#[cfg(feature = "verify-fast-path")]
pub(crate) fn verify_stream(policy: &Compiled, input: &str) {
    use crate::report::Collect;
    if crate::parse::attribute_precheck(input).is_err() {
        // Refused on every path.
        return;
    }
    let rel_len = policy.rel_len();
    let tree = fast::parse(input, policy.max_depth, rel_len);
    if let Ok(parsed) = &tree {
        fast::verify(input, &parsed.dom, policy.max_depth);
    }
    if !streams(policy) {
        return;
    }
    let (mut streamed, mut streamed_report) = (String::new(), Collect::default());
    let result = stream(policy, input, &mut streamed, &mut streamed_report);
    match (result, tree) {
        (Ok(_), Ok(parsed)) => {
            let (mut walked, mut walked_report) = (String::new(), Collect::default());
            super::walk(policy, &parsed.dom, input.len(), &mut walked, &mut walked_report);
            assert_eq!(
                streamed, walked,
                "verify-fast-path: the stream and the tree walk differ on {input:?}"
            );
            assert_eq!(
                streamed_report.finish(),
                walked_report.finish(),
                "verify-fast-path: the stream and the tree walk report differently on {input:?}"
            );
        }
        (Err(Stop::Parser(a)), Err(b)) => assert_eq!(a, b, "{input:?}"),
        (Err(Stop::Budget), Ok(_)) => {}
        (stream, tree) => panic!(
            "verify-fast-path: the stream ({stream:?}) and the tree fast parser ({:?}) disagree on {input:?}",
            tree.map(|_| ())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Budget;

    /// The claim behind the stream's output bound (see `Budget`): over
    /// random sequences of reservations (text, comments) and takes (tags),
    /// a stream that reserves as it goes and is `kept` at the end means the
    /// tree walk, reserving everything first, refuses nothing; and when the
    /// tree walk refuses nothing and the total fits, the stream is kept.
    #[test]
    fn a_kept_stream_means_the_tree_walk_refuses_nothing() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        let (mut kept, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let ops: Vec<(bool, usize)> = (0..next(12)).map(|_| (next(2) == 0, next(60))).collect();
            let limit = next(400);
            let fresh = || Budget {
                limit,
                committed: 0,
                refused: false,
            };
            let mut tree = fresh();
            for &(_, n) in ops.iter().filter(|o| o.0) {
                tree.reserve(n);
            }
            for &(_, n) in ops.iter().filter(|o| !o.0) {
                tree.take(n);
            }
            let mut stream = fresh();
            for &(text, n) in &ops {
                if text {
                    stream.reserve(n);
                } else {
                    stream.take(n);
                }
            }
            if stream.kept() {
                assert!(!tree.refused, "{ops:?} limit {limit}");
                kept += 1;
            }
            if !tree.refused && tree.committed <= limit {
                assert!(stream.kept(), "{ops:?} limit {limit}");
            }
            refused += usize::from(tree.refused);
        }
        // Both sides were reached.
        assert!(
            kept > 1000 && refused > 1000,
            "kept {kept}, refused {refused}"
        );
    }
}
