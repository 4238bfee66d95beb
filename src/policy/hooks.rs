//! Hooks: user code run inside the walk, each at a fixed place relative to
//! the safety checks, so that none can undo them.
//!
//! * The **element hook** is asked about every element before the policy's
//!   decision and can only make it stricter: unwrap, drop (with content) or
//!   escape an element; it can never allow one the policy does not.
//! * The **attribute hook** sees every attribute the policy allows (by name)
//!   and may keep, rewrite or drop its value; what it returns then goes
//!   through the value, class, URL and prefix checks like any input value.
//! * The **URL hook** sees the value of every URL attribute (after the
//!   attribute hook) and may rewrite it (proxy images through a camo
//!   server, send links through a redirector) or drop it; its result is
//!   checked against the policy's schemes and relative-URL rule.
//! * The **text hook** may rewrite a text node's content; the result is
//!   escaped as text, and kept only if it fits the output bound (else the
//!   original text is written).
//!
//! Hooks are `Send + Sync` closures held in the policy's `Arc`. Two policies
//! are equal when their settings are equal and they hold the very same hook
//! objects (a policy and its clones, or builders derived from it). A policy
//! with hooks renders to TOML and JSON with a note naming the hooks a file
//! cannot hold; reading that file back gives the policy without them.
//! Cleaning stays idempotent only if the hooks are (a hook that adds a
//! prefix on every call is not): that is the hook author's part.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use html5ever::Attribute;

use super::Namespace;

/// What the element hook decides for one element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ElementAction {
    /// What the policy says.
    Default,
    /// Remove the element, keep its (cleaned) content.
    Unwrap,
    /// Remove the element with its content.
    Drop,
    /// Write the element's tags as text.
    Escape,
}

/// The element a hook is asked about.
pub struct HookElement<'a> {
    pub(crate) namespace: Namespace,
    pub(crate) name: &'a str,
    pub(crate) attributes: &'a [Attribute],
}

impl<'a> HookElement<'a> {
    /// Its namespace.
    pub fn namespace(&self) -> Namespace {
        self.namespace
    }

    /// Its local name, lowercase (SVG names as the parser adjusted them).
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The value of an attribute as written in the input (before any check).
    pub fn attribute(&self, name: &str) -> Option<&'a str> {
        self.attributes
            .iter()
            .find(|a| (*a.name.local).eq_ignore_ascii_case(name))
            .map(|a| &*a.value)
    }
}

impl fmt::Debug for HookElement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookElement")
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

pub(crate) type ElementHook = Arc<dyn Fn(&HookElement<'_>) -> ElementAction + Send + Sync>;
pub(crate) type AttributeHook =
    Arc<dyn for<'v> Fn(&str, &str, &'v str) -> Option<Cow<'v, str>> + Send + Sync>;
pub(crate) type TextHook = Arc<dyn for<'t> Fn(&'t str) -> Cow<'t, str> + Send + Sync>;

/// The hooks of one policy.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) element: Option<ElementHook>,
    pub(crate) attribute: Option<AttributeHook>,
    pub(crate) url: Option<AttributeHook>,
    pub(crate) text: Option<TextHook>,
}

impl Hooks {
    /// The names of the hooks that are set.
    pub(crate) fn names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.element.is_some() {
            v.push("element hook");
        }
        if self.attribute.is_some() {
            v.push("attribute hook");
        }
        if self.url.is_some() {
            v.push("URL hook");
        }
        if self.text.is_some() {
            v.push("text hook");
        }
        v
    }

    /// The same hook objects (pointer equality).
    pub(crate) fn same(&self, other: &Hooks) -> bool {
        fn eq<T: ?Sized>(a: &Option<Arc<T>>, b: &Option<Arc<T>>) -> bool {
            match (a, b) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (Some(_), None) | (None, Some(_)) => false,
            }
        }
        eq(&self.element, &other.element)
            && eq(&self.attribute, &other.attribute)
            && eq(&self.url, &other.url)
            && eq(&self.text, &other.text)
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use crate::{ElementAction, Policy, Reason};

    /// Hooks that try to undo the safety checks: every result is checked
    /// again, or cannot be expressed.
    #[test]
    fn hooks_cannot_undo_the_safety_checks() {
        let p = Policy::relaxed()
            .to_builder()
            .element("a", ["href", "title"])
            .attribute_hook(|_, attr, _| match attr {
                "href" => Some(Cow::Borrowed("javascript:alert(1)")),
                "title" => Some(Cow::Owned("\"><script>alert(1)</script>".to_owned())),
                _ => None,
            })
            .url_hook(|_, _, _| Some(Cow::Borrowed(" jAvAsCrIpT:alert(2)")))
            .text_hook(|_| Cow::Borrowed("<img src=x onerror=alert(3)>"))
            .element_hook(|el| match el.name() {
                // "Default" for script still means what the policy says.
                "script" => ElementAction::Default,
                _ => ElementAction::Default,
            })
            .build()
            .unwrap();
        let out = p.clean(r#"<a href="https://ok.example/" title="t">x</a><script>s</script>"#);
        assert_eq!(
            out,
            r#"<a title="&quot;&gt;<script>alert(1)</script>" rel="nofollow ugc">&lt;img src=x onerror=alert(3)&gt;</a>"#
                .replace("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")
        );
        assert_eq!(
            p.clean(&out),
            out,
            "idempotent with these (idempotent) hooks"
        );
    }

    #[test]
    fn element_hook_can_unwrap_drop_and_escape_and_the_report_says_so() {
        let p = Policy::basic()
            .to_builder()
            .element_hook(|el| match el.name() {
                "b" => ElementAction::Unwrap,
                "i" => ElementAction::Drop,
                "u" => ElementAction::Escape,
                _ => ElementAction::Default,
            })
            .build()
            .unwrap();
        let (out, report) = p
            .clean_with_report("<p><b>b</b><i>i</i><u>u</u></p>")
            .unwrap();
        assert_eq!(out, "<p>b&lt;u&gt;u&lt;/u&gt;</p>");
        for name in ["b", "i", "u"] {
            assert!(
                report
                    .removals
                    .iter()
                    .any(|r| r.name == name && r.reason == Reason::Hook),
                "{name}: {report:?}"
            );
        }
    }

    #[test]
    fn a_huge_text_rewrite_keeps_the_output_bound() {
        let p = Policy::comments()
            .to_builder()
            .text_hook(|t| Cow::Owned(t.repeat(1000)))
            .build()
            .unwrap();
        let input = "<b>abc</b>";
        let out = p.clean(input);
        assert!(out.len() <= 16 * input.len() + 64 + p.expansion() * (input.len() / 2 + 1));
        assert_eq!(out, "<b>abc</b>");
    }

    #[test]
    fn equality_and_files_with_hooks() {
        let p = Policy::comments()
            .to_builder()
            .url_hook(|_, _, u| Some(Cow::Borrowed(u)))
            .build()
            .unwrap();
        assert_eq!(p, p.clone());
        assert_eq!(
            p,
            p.to_builder().build().unwrap(),
            "derived builders keep the same hooks"
        );
        assert_ne!(p, Policy::comments());
        // A hook on text turns off the plain-text shortcut.
        let q = Policy::comments()
            .to_builder()
            .text_hook(|t| Cow::Owned(t.to_uppercase()))
            .build()
            .unwrap();
        assert_eq!(q.clean("plain text"), "PLAIN TEXT");
    }

    #[test]
    #[cfg(feature = "files")]
    fn files_name_the_hooks_they_leave_out() {
        let p = Policy::comments()
            .to_builder()
            .url_hook(|_, _, u| Some(Cow::Borrowed(u)))
            .build()
            .unwrap();
        let toml = p.to_toml_string().unwrap();
        assert!(toml.starts_with("# not representable in a policy file, left out: URL hook"));
        assert_eq!(Policy::from_toml_str(&toml).unwrap(), Policy::comments());
        let json = p.to_json_string().unwrap();
        assert!(json.contains("URL hook"));
        assert_eq!(Policy::from_json_str(&json).unwrap(), Policy::comments());
    }
}
