//! The policy: what may pass. Built once, validated, then immutable.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use html5ever::LocalName;

use crate::error::PolicyError;
use crate::url::RelativeUrls;

mod compiled;
mod config;
#[cfg(feature = "files")]
mod file;
mod hooks;
mod names;
mod refused;

use compiled::compile;
pub(crate) use compiled::{is_data_attribute, Compiled, Disposition, FastMap, Key, Links};
pub(crate) use config::Config;
pub use config::{
    DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_BYTES, MAX_DEPTH_LIMIT, MAX_INPUT_BYTES_LIMIT,
};
pub(crate) use hooks::Hooks;
pub use hooks::{ElementAction, HookElement};
pub use names::Namespace;
pub(crate) use names::{valid_attribute, valid_name, ElementName};
pub(crate) use refused::{always_removed, refusal};

/// A validated, immutable sanitizing policy.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`: build it once and share it
/// between threads. Make one with a preset ([`Policy::comments`],
/// [`Policy::basic`], [`Policy::relaxed`], [`Policy::text`]), with
/// [`Policy::builder`], from the allowed-HTML notation
/// ([`Policy::from_notation`]) or from a policy file
/// ([`Policy::from_toml_str`], [`Policy::from_json_str`]).
///
/// Two policies are equal when they allow the same things (the fast-path
/// switch is not part of a policy).
///
/// ```
/// use borax::Policy;
/// let policy = Policy::from_notation(r#"<a href=""> <b> <i>"#).unwrap();
/// let shared = policy.clone(); // a pointer copy
/// std::thread::spawn(move || assert_eq!(shared.clean("<b onclick=x>hi</b>"), "<b>hi</b>"))
///     .join()
///     .unwrap();
/// assert_eq!(policy, Policy::from_notation(&policy.to_notation()).unwrap());
/// ```
#[derive(Clone)]
pub struct Policy {
    pub(crate) inner: Arc<Compiled>,
}

impl PartialEq for Policy {
    /// Equal settings, and the very same hooks (see [`PolicyBuilder::element_hook`]).
    fn eq(&self, other: &Policy) -> bool {
        self.inner.config == other.inner.config && self.inner.hooks.same(&other.inner.hooks)
    }
}

impl Eq for Policy {}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Policy").field(&self.inner.config).finish()
    }
}

impl Default for Policy {
    /// The `comments` preset.
    fn default() -> Policy {
        Policy::comments()
    }
}

/// Builds a [`Policy`]. Every setter takes and returns the builder; nothing
/// is checked until [`build`](PolicyBuilder::build).
///
/// ```
/// let policy = borax::Policy::builder()
///     .element("a", ["href"])
///     .elements(["p", "em"])
///     .url_schemes(["https"])
///     .link_rel(["nofollow"])
///     .build()
///     .unwrap();
/// assert_eq!(
///     policy.clean(r#"<p><a href="https://e.org" target=_blank>x</a> <em>y</em></p>"#),
///     r#"<p><a href="https://e.org" rel="nofollow">x</a> <em>y</em></p>"#
/// );
/// ```
#[derive(Clone, Debug, Default)]
pub struct PolicyBuilder {
    config: Config,
    hooks: Hooks,
    errors: Vec<PolicyError>,
}

impl PolicyBuilder {
    pub(crate) fn from_config(config: Config) -> PolicyBuilder {
        PolicyBuilder {
            config,
            hooks: Hooks::default(),
            errors: Vec::new(),
        }
    }

    /// Ask `hook` about every element before the policy decides; it can
    /// unwrap, drop or escape an element, never allow one the policy does
    /// not ([`ElementAction::Default`] leaves the policy's decision). See
    /// the hook rules on [`attribute_hook`](Self::attribute_hook).
    ///
    /// # Default
    /// None.
    ///
    /// ```
    /// use borax::{ElementAction, Policy};
    /// let p = Policy::basic()
    ///     .to_builder()
    ///     .element_hook(|el| match el.attribute("class") {
    ///         Some(c) if c.split_whitespace().any(|c| c == "spoiler") => ElementAction::Drop,
    ///         _ => ElementAction::Default,
    ///     })
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(p.clean(r#"<p>a</p><p class="spoiler">b</p>"#), "<p>a</p>");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn element_hook<F>(mut self, hook: F) -> Self
    where
        F: Fn(&HookElement<'_>) -> ElementAction + Send + Sync + 'static,
    {
        self.hooks.element = Some(std::sync::Arc::new(hook));
        self
    }

    /// Rewrite or drop attribute values: `hook(element, attribute, value)`
    /// returns the value to use (`None` drops the attribute). It runs on
    /// attributes the policy allows by name, before the value, class, URL and
    /// prefix checks, so whatever it returns is still checked: it cannot
    /// bring back an event handler or a `javascript:` URL. (ammonia's
    /// `attribute_filter`, with the same signature.)
    ///
    /// Hooks are `Send + Sync` closures kept in the policy; two policies are
    /// equal only when they hold the same hook objects; a policy file
    /// cannot hold them ([`Policy::to_toml_string`] says which were left out).
    /// Idempotence is the hook's part: one that changes its own output again
    /// makes `clean(clean(x))` differ from `clean(x)`.
    ///
    /// # Default
    /// None.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// let p = borax::Policy::comments()
    ///     .to_builder()
    ///     .attribute_hook(|_el, attr, value| match attr {
    ///         "title" if value.contains("buy now") => None,
    ///         "title" => Some(Cow::Owned(value.to_uppercase())),
    ///         _ => Some(Cow::Borrowed(value)),
    ///     })
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(p.clean(r#"<abbr title="ok">a</abbr><abbr title="buy now">b</abbr>"#),
    ///            r#"<abbr title="OK">a</abbr><abbr>b</abbr>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn attribute_hook<F>(mut self, hook: F) -> Self
    where
        F: for<'v> Fn(&str, &str, &'v str) -> Option<std::borrow::Cow<'v, str>>
            + Send
            + Sync
            + 'static,
    {
        self.hooks.attribute = Some(std::sync::Arc::new(hook));
        self
    }

    /// Rewrite or drop URLs: `hook(element, attribute, value)` for every URL
    /// attribute (`href`, `src`, `srcset` as a whole, …), after the attribute
    /// hook and before every other check; `None` drops the attribute. The
    /// result meets every check an input URL meets: allowed values, schemes,
    /// the relative-URL rule. (ammonia's `UrlRelative::Custom`, for absolute
    /// URLs too.)
    ///
    /// # Default
    /// None.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// let p = borax::Policy::relaxed()
    ///     .to_builder()
    ///     .url_hook(|el, attr, url| match (el, attr) {
    ///         ("img", "src") => Some(Cow::Owned(format!("https://camo.example/?u={url}"))),
    ///         _ => Some(Cow::Borrowed(url)),
    ///     })
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(p.clean(r#"<img src="http://e.org/i.png">"#),
    ///            r#"<img src="https://camo.example/?u=http://e.org/i.png">"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn url_hook<F>(mut self, hook: F) -> Self
    where
        F: for<'v> Fn(&str, &str, &'v str) -> Option<std::borrow::Cow<'v, str>>
            + Send
            + Sync
            + 'static,
    {
        self.hooks.url = Some(std::sync::Arc::new(hook));
        self
    }

    /// Rewrite the content of text nodes (written escaped, as any text). A
    /// rewrite that would pass the output bound is not used.
    ///
    /// # Default
    /// None.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// let p = borax::Policy::comments()
    ///     .to_builder()
    ///     .text_hook(|t| if t.contains("darn") { Cow::Owned(t.replace("darn", "d**n")) } else { Cow::Borrowed(t) })
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(p.clean("<b>darn <i>it</i></b>"), "<b>d**n <i>it</i></b>");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn text_hook<F>(mut self, hook: F) -> Self
    where
        F: for<'t> Fn(&'t str) -> std::borrow::Cow<'t, str> + Send + Sync + 'static,
    {
        self.hooks.text = Some(std::sync::Arc::new(hook));
        self
    }

    fn name(&mut self, text: &str) -> Option<ElementName> {
        match ElementName::parse(text) {
            Ok(n) => Some(n),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// `*` (every element) or a valid element name, lowercase.
    ///
    /// Kept as the element's policy name (`a`, `svg:a`, `math`), so that
    /// per-element schemes and values apply to that namespace only.
    fn element_or_any(&mut self, element: &str) -> Option<String> {
        if element == "*" {
            return Some("*".to_owned());
        }
        self.name(element).map(|n| n.to_string())
    }

    fn attr_names<I, S>(&mut self, attrs: I) -> BTreeSet<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = BTreeSet::new();
        for a in attrs {
            let a = a.as_ref();
            if valid_attribute(a) {
                out.insert(a.to_ascii_lowercase());
            } else {
                self.errors.push(PolicyError::Invalid {
                    what: "attribute name",
                    value: a.to_owned(),
                });
            }
        }
        out
    }

    /// Allow elements, with no attributes of their own.
    ///
    /// Names are HTML elements unless prefixed `svg:` or `math:`; `svg` and
    /// `math` alone are the roots of those namespaces.
    ///
    /// # Default
    /// No elements: everything is unwrapped to its text.
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b", "i"]).build().unwrap();
    /// assert_eq!(p.clean("<b>bold</b> <u>under</u>"), "<b>bold</b> under");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn elements<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for n in names {
            if let Some(name) = self.name(n.as_ref()) {
                self.config.remove_elements.remove(&name);
                self.config.replace_with_children.remove(&name);
                self.config.elements.entry(name).or_default();
            }
        }
        self
    }

    /// Allow one element with these attributes (added to any it already has).
    ///
    /// # Default
    /// No elements.
    ///
    /// ```
    /// let p = borax::Policy::builder().element("abbr", ["title"]).build().unwrap();
    /// assert_eq!(
    ///     p.clean(r#"<abbr title="HyperText" class="x">HTML</abbr>"#),
    ///     r#"<abbr title="HyperText">HTML</abbr>"#
    /// );
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn element<I, S>(mut self, name: &str, attributes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let attrs = self.attr_names(attributes);
        if let Some(name) = self.name(name) {
            self.config.remove_elements.remove(&name);
            self.config.replace_with_children.remove(&name);
            self.config.elements.entry(name).or_default().extend(attrs);
        }
        self
    }

    /// Drop these elements together with all their content. An element
    /// allowed so far (by a preset, a file or an earlier call) stops being
    /// allowed, as the Sanitizer API's `removeElement()` does.
    ///
    /// # Default
    /// Always dropped with content, whatever this list says: `script`,
    /// `style`, `template`, `iframe`, `object`, `embed`, `applet`,
    /// `noscript`, `noembed`, `noframes`, `xmp`, `plaintext`, `title`,
    /// `textarea`, `select`, `frame`, `frameset`, and `svg` and `math` unless
    /// allowed. Other disallowed elements are unwrapped.
    ///
    /// ```
    /// let p = borax::Policy::builder().remove_elements(["aside"]).build().unwrap();
    /// assert_eq!(p.clean("a<aside>note</aside>b<span>c</span>"), "abc");
    /// // Taking an element away from a preset:
    /// let q = borax::Policy::comments().to_builder().remove_elements(["blockquote"]).build().unwrap();
    /// assert_eq!(q.clean("<b>x</b><blockquote>quoted</blockquote>"), "<b>x</b>");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn remove_elements<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for n in names {
            if let Some(name) = self.name(n.as_ref()) {
                self.config.elements.remove(&name);
                self.config.replace_with_children.remove(&name);
                self.config.remove_elements.insert(name);
            }
        }
        self
    }

    /// Unwrap these elements: the element goes, its cleaned children stay.
    /// This is what happens to every element not listed anywhere; an element
    /// allowed so far (by a preset, a file or an earlier call) stops being
    /// allowed, and one listed for removal is unwrapped instead, as the
    /// Sanitizer API's `replaceElementWithChildren()` does.
    ///
    /// # Default
    /// Empty.
    ///
    /// ```
    /// let p = borax::Policy::builder().replace_with_children_elements(["span"]).build().unwrap();
    /// assert_eq!(p.clean("<span>text</span>"), "text");
    /// // The relaxed preset without images:
    /// let q = borax::Policy::relaxed().to_builder().replace_with_children_elements(["img"]).build().unwrap();
    /// assert_eq!(q.clean("<p>a<img src=https://e.org/i.png>b</p>"), "<p>ab</p>");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn replace_with_children_elements<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for n in names {
            if let Some(name) = self.name(n.as_ref()) {
                self.config.elements.remove(&name);
                self.config.remove_elements.remove(&name);
                self.config.replace_with_children.insert(name);
            }
        }
        self
    }

    /// Stop allowing these attributes on every element (they may still be
    /// allowed on particular elements).
    ///
    /// # Default
    /// Nothing removed.
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .elements(["b"]).attributes(["title", "lang"]).remove_attributes(["lang"])
    ///     .build().unwrap();
    /// assert_eq!(p.clean(r#"<b title="t" lang="en">b</b>"#), r#"<b title="t">b</b>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn remove_attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for a in self.attr_names(names) {
            self.config.attributes.remove(&a);
        }
        self
    }

    /// Stop allowing these attributes on one element (the element itself
    /// stays allowed).
    ///
    /// # Default
    /// Nothing removed.
    ///
    /// ```
    /// let p = borax::Policy::comments().to_builder().remove_element_attributes("a", ["title"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<a href="https://e.org" title="t">x</a>"#),
    ///            r#"<a href="https://e.org" rel="nofollow ugc">x</a>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn remove_element_attributes<I, S>(mut self, element: &str, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let attrs = self.attr_names(names);
        if let Some(name) = self.name(element) {
            if let Some(list) = self.config.elements.get_mut(&name) {
                for a in &attrs {
                    list.remove(a);
                }
            }
        }
        self
    }

    /// Allow attributes whose names start with one of these prefixes (such as
    /// `aria-`) on every allowed element. A prefix that could match an event
    /// handler (`on…`) or `srcdoc` is refused by [`build`](Self::build); URL
    /// attributes matched by a prefix are still checked as URLs.
    ///
    /// # Default
    /// None (`data-*` has its own switch, [`data_attributes`](Self::data_attributes)).
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["span"]).attribute_prefixes(["aria-"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<span aria-label="x" role="y">s</span>"#), r#"<span aria-label="x">s</span>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn attribute_prefixes<I, S>(mut self, prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for p in prefixes {
            let p = p.as_ref();
            let ok = !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            if ok {
                self.config
                    .attribute_prefixes
                    .insert(p.to_ascii_lowercase());
            } else {
                self.errors.push(PolicyError::Invalid {
                    what: "attribute prefix",
                    value: p.to_owned(),
                });
            }
        }
        self
    }

    /// Set an attribute on every kept `element` (`*` for all), whatever the
    /// input said: `target="_blank"` on links, `loading="lazy"` on images.
    /// The attribute need not be allowed otherwise. Event handlers, `srcdoc`,
    /// `rel` on links while [`link_rel`](Self::link_rel) is set, and URL
    /// attributes whose value the policy would refuse are errors at
    /// [`build`](Self::build). Forcing `target` to `_blank` adds `noopener`
    /// to the links' `rel`.
    ///
    /// # Default
    /// None.
    ///
    /// ```
    /// let p = borax::Policy::comments().to_builder().set_attribute("a", "target", "_blank").build().unwrap();
    /// assert_eq!(
    ///     p.clean(r#"<a href="https://e.org" target="_self">x</a>"#),
    ///     r#"<a href="https://e.org" target="_blank" rel="nofollow ugc noopener">x</a>"#
    /// );
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn set_attribute(mut self, element: &str, attribute: &str, value: &str) -> Self {
        let element = self.element_or_any(element);
        let attribute = self.attr_names([attribute]).into_iter().next();
        if let (Some(e), Some(a)) = (element, attribute) {
            self.config.set_attributes.insert((e, a), value.to_owned());
        }
        self
    }

    /// Allow only these classes in `class` on one element (in addition to
    /// the classes allowed everywhere by [`classes`](Self::classes)). `class`
    /// must be allowed on the element for either to matter.
    ///
    /// # Default
    /// No per-element lists.
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .element("code", ["class"]).element("span", ["class"])
    ///     .element_classes("code", ["language-rust"])
    ///     .build().unwrap();
    /// // `span` has no list of its own and there is no global list: its
    /// // `class` is kept as it is.
    /// assert_eq!(
    ///     p.clean(r#"<code class="language-rust evil">x</code><span class="any">y</span>"#),
    ///     r#"<code class="language-rust">x</code><span class="any">y</span>"#
    /// );
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn element_classes<I, S>(mut self, element: &str, classes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let Some(element) = self.element_or_any(element) else {
            return self;
        };
        let mut set = BTreeSet::new();
        for c in classes {
            let c = c.as_ref();
            if c.is_empty() || c.chars().any(|ch| ch.is_ascii_whitespace()) {
                self.errors.push(PolicyError::Invalid {
                    what: "class name",
                    value: c.to_owned(),
                });
            } else {
                set.insert(c.to_owned());
            }
        }
        self.config
            .element_classes
            .entry(element)
            .or_default()
            .extend(set);
        self
    }

    /// Allow these attributes on every allowed element.
    ///
    /// # Default
    /// None.
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b"]).attributes(["title"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<b title="t" id="x">b</b>"#), r#"<b title="t">b</b>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let attrs = self.attr_names(names);
        self.config.attributes.extend(attrs);
        self
    }

    /// Keep HTML comments.
    ///
    /// # Default
    /// `false`: comments are removed. Comments whose text could be read
    /// differently by another parser (containing `--`, `<!-`, or starting
    /// with `>`) are removed even when comments are allowed.
    ///
    /// ```
    /// let p = borax::Policy::builder().keep_comments(true).build().unwrap();
    /// assert_eq!(p.clean("a<!-- note -->b"), "a<!-- note -->b");
    /// ```
    ///
    /// (Policy files: `comments = true`. The preset named after blog
    /// comments is [`Policy::comments`].)
    #[must_use = "the setter returns the builder; use it"]
    pub fn keep_comments(mut self, allow: bool) -> Self {
        self.config.comments = allow;
        self
    }

    /// Allow `data-*` attributes on every allowed element.
    ///
    /// # Default
    /// `false`.
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b"]).data_attributes(true).build().unwrap();
    /// assert_eq!(p.clean(r#"<b data-x="1">b</b>"#), r#"<b data-x="1">b</b>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn data_attributes(mut self, allow: bool) -> Self {
        self.config.data_attributes = allow;
        self
    }

    /// The URL schemes allowed in URL attributes (`href`, `src`, `cite`,
    /// `srcset`, ...), replacing the current list.
    ///
    /// # Default
    /// `http`, `https`, `mailto`.
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .element("a", ["href"]).url_schemes(["https"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<a href="http://x">x</a>"#), "<a>x</a>");
    /// assert_eq!(p.clean(r#"<a href="https://x">x</a>"#), r#"<a href="https://x">x</a>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn url_schemes<I, S>(mut self, schemes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.config.url_schemes = self.schemes(schemes);
        self
    }

    /// Add URL schemes to the current list.
    ///
    /// # Default
    /// The list is `http`, `https`, `mailto`.
    ///
    /// ```
    /// let p = borax::Policy::comments().to_builder().add_url_schemes(["tel"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<a href="tel:+1">c</a>"#), r#"<a href="tel:+1" rel="nofollow ugc">c</a>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn add_url_schemes<I, S>(mut self, schemes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let more = self.schemes(schemes);
        self.config.url_schemes.extend(more);
        self
    }

    /// Remove URL schemes from the current list.
    ///
    /// # Default
    /// Nothing removed.
    ///
    /// ```
    /// let p = borax::Policy::comments().to_builder().remove_url_schemes(["mailto"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<a href="mailto:x@e.org">m</a>"#), r#"<a rel="nofollow ugc">m</a>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn remove_url_schemes<I, S>(mut self, schemes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for s in self.schemes(schemes) {
            self.config.url_schemes.remove(&s);
        }
        self
    }

    fn schemes<I, S>(&mut self, schemes: I) -> BTreeSet<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = BTreeSet::new();
        for s in schemes {
            let s = s.as_ref();
            let ok = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if ok {
                out.insert(s.to_ascii_lowercase());
            } else {
                self.errors.push(PolicyError::Invalid {
                    what: "URL scheme",
                    value: s.to_owned(),
                });
            }
        }
        out
    }

    /// URL schemes for one attribute of one element, replacing the policy's
    /// list there (`element` may be `*`).
    ///
    /// # Default
    /// None: every URL attribute uses [`url_schemes`](Self::url_schemes).
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .element("a", ["href"]).element("img", ["src"])
    ///     .attribute_url_schemes("img", "src", ["https"])
    ///     .build().unwrap();
    /// assert_eq!(p.clean(r#"<img src="mailto:x">"#), "<img>");
    /// assert_eq!(p.clean(r#"<a href="mailto:x">m</a>"#), r#"<a href="mailto:x">m</a>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn attribute_url_schemes<I, S>(mut self, element: &str, attribute: &str, schemes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let Some(element) = self.element_or_any(element) else {
            return self;
        };
        let set = self.schemes(schemes);
        if let Some(attr) = self.attr_names([attribute]).into_iter().next() {
            self.config
                .attribute_url_schemes
                .insert((element, attr), set);
        }
        self
    }

    /// What to do with relative URLs.
    ///
    /// With [`RelativeUrls::Rewrite`](crate::RelativeUrls::Rewrite) every URL
    /// is resolved against the base the way a browser resolves it and
    /// written resolved, absolute ones too: `https:x` is relative to an
    /// `https` base (as a browser reads it against an `https` page).
    ///
    /// # Default
    /// [`RelativeUrls::Pass`](crate::RelativeUrls::Pass): kept as written
    /// (protocol-relative `//host` only when both `http` and `https` are
    /// allowed).
    ///
    /// ```
    /// use borax::{Policy, RelativeUrls};
    /// let p = Policy::builder().element("a", ["href"])
    ///     .relative_urls(RelativeUrls::Rewrite("https://blog.example/post/".into()))
    ///     .build().unwrap();
    /// assert_eq!(p.clean(r#"<a href="../about">x</a>"#), r#"<a href="https://blog.example/about">x</a>"#);
    /// assert_eq!(p.clean(r#"<a href="https:evil.example">x</a>"#), r#"<a href="https://blog.example/post/evil.example">x</a>"#);
    /// assert_eq!(p.clean(r#"<a href="HTTP://Example.COM">x</a>"#), r#"<a href="http://example.com/">x</a>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn relative_urls(mut self, rule: RelativeUrls) -> Self {
        self.config.relative_urls = rule;
        self
    }

    /// `rel` tokens set on every kept `<a>` and `<area>` (replacing any
    /// `rel` in the input). An empty list turns this off.
    ///
    /// # Default
    /// Empty (the `comments` preset sets `nofollow ugc`).
    ///
    /// ```
    /// let p = borax::Policy::builder().element("a", ["href"]).link_rel(["nofollow"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<a href="https://x">x</a>"#), r#"<a href="https://x" rel="nofollow">x</a>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn link_rel<I, S>(mut self, tokens: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.config.link_rel.clear();
        for t in tokens {
            let t = t.as_ref();
            if valid_name(t) {
                let t = t.to_ascii_lowercase();
                if !self.config.link_rel.contains(&t) {
                    self.config.link_rel.push(t);
                }
            } else {
                self.errors.push(PolicyError::Invalid {
                    what: "rel token",
                    value: t.to_owned(),
                });
            }
        }
        self
    }

    /// Restrict an attribute to a list of values (exact match). `element`
    /// may be `*` for every element. The attribute must also be allowed.
    ///
    /// # Default
    /// No restriction.
    ///
    /// ```
    /// let p = borax::Policy::builder().element("ol", ["type"])
    ///     .attribute_values("ol", "type", ["1", "a"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<ol type="a"></ol><ol type="x"></ol>"#), r#"<ol type="a"></ol><ol></ol>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn attribute_values<I, S>(mut self, element: &str, attribute: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let Some(element) = self.element_or_any(element) else {
            return self;
        };
        let attrs = self.attr_names([attribute]);
        if let Some(attr) = attrs.into_iter().next() {
            self.config
                .attribute_values
                .entry((element, attr))
                .or_default()
                .extend(values.into_iter().map(|v| v.as_ref().to_owned()));
        }
        self
    }

    /// Allow only these class names in `class` attributes (the `class`
    /// attribute itself must be allowed too); other tokens are removed.
    ///
    /// # Default
    /// Not set: any class passes where `class` is allowed.
    ///
    /// ```
    /// let p = borax::Policy::builder().element("code", ["class"])
    ///     .classes(["lang-rust"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<code class="lang-rust evil">x</code>"#), r#"<code class="lang-rust">x</code>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn classes<I, S>(mut self, classes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let set = self.config.classes.get_or_insert_with(BTreeSet::new);
        for c in classes {
            let c = c.as_ref();
            if c.is_empty() || c.chars().any(|ch| ch.is_ascii_whitespace()) {
                self.errors.push(PolicyError::Invalid {
                    what: "class name",
                    value: c.to_owned(),
                });
            } else {
                set.insert(c.to_owned());
            }
        }
        self
    }

    /// Prefix every kept `id` and `name` value, so user content cannot
    /// clobber the page's own ids or `window`/`document` properties.
    ///
    /// # Default
    /// No prefix.
    ///
    /// ```
    /// let p = borax::Policy::builder().element("h2", ["id"]).id_prefix("user-").build().unwrap();
    /// assert_eq!(p.clean(r#"<h2 id="intro">x</h2>"#), r#"<h2 id="user-intro">x</h2>"#);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn id_prefix(mut self, prefix: &str) -> Self {
        // An id holds no whitespace, and a control character (NUL above
        // all, which parsers replace) would not read back as written.
        if prefix
            .chars()
            .any(|c| c.is_control() || c.is_ascii_whitespace())
        {
            self.errors.push(PolicyError::Invalid {
                what: "id prefix (no whitespace or control characters)",
                value: prefix.to_owned(),
            });
            return self;
        }
        self.config.id_prefix = if prefix.is_empty() {
            None
        } else {
            Some(prefix.to_owned())
        };
        self
    }

    /// Maximum nesting depth of the output. Deeper elements are unwrapped
    /// (their text is kept), and the parser ignores start tags past it.
    ///
    /// # Default
    /// 256 (browsers flatten at 512; at most 500 is accepted).
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b"]).max_depth(2).build().unwrap();
    /// assert_eq!(p.clean("<b><b><b>deep</b></b></b>"), "<b><b>deep</b></b>");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.config.max_depth = depth;
        self
    }

    /// Largest input accepted, in bytes; larger input is an error
    /// ([`CleanError::InputTooLarge`](crate::CleanError::InputTooLarge)),
    /// never a truncation.
    ///
    /// # Default
    /// 10 MiB (at most 1 GiB is accepted).
    ///
    /// ```
    /// let p = borax::Policy::builder().max_input_bytes(4).build().unwrap();
    /// assert!(p.try_clean("12345").is_err());
    /// assert_eq!(p.try_clean("1234").unwrap(), "1234");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn max_input_bytes(mut self, bytes: usize) -> Self {
        self.config.max_input_bytes = bytes;
        self
    }

    /// Show disallowed tags as visible text instead of removing them (like
    /// bleach's `strip=False`).
    ///
    /// The tag text is rebuilt from the parsed token, not copied from the
    /// input: names are lowercased, attribute values are double-quoted with
    /// `&` and `"` escaped, duplicate attributes are gone, and end tags are
    /// written where the parser closed the element (also when the input
    /// left it open). Content of elements dropped by default (`script`, ...)
    /// is shown as text too; comments are still removed.
    ///
    /// # Default
    /// `false`.
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b"]).escape_disallowed(true).build().unwrap();
    /// assert_eq!(p.clean("<b>x</b><u class=k>y</u>"), "<b>x</b>&lt;u class=\"k\"&gt;y&lt;/u&gt;");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn escape_disallowed(mut self, escape: bool) -> Self {
        self.config.escape_disallowed = escape;
        self
    }

    /// Turn bare URLs and e-mail addresses in text into links (both kinds
    /// on, or both off; [`linkify_urls`](Self::linkify_urls) and
    /// [`linkify_emails`](Self::linkify_emails) set one kind).
    ///
    /// Links are made on the parsed tree, inside the cleaning walk, never
    /// by a text pass over HTML. A link is made only where a kept `<a>`
    /// could stand (not inside `a`, `code`, `pre`, `kbd`, `samp` or the
    /// [skip list](Self::linkify_skip_elements), not in SVG or MathML, not
    /// in table structure, below the depth cap, within the output bound),
    /// and only when its `href` passes every check a kept `href` passes
    /// (schemes, allowed values, relative-URL rewriting). The link text is
    /// the text as typed; trailing punctuation and unbalanced brackets stay
    /// outside; the policy's [`link_rel`](Self::link_rel) is set. With
    /// links on, [`build`](Self::build) allows `a` with `href`. The exact
    /// rules: the README, "Formatting".
    ///
    /// # Default
    /// `false`.
    ///
    /// ```
    /// let p = borax::Policy::comments().to_builder().linkify(true).build().unwrap();
    /// assert_eq!(
    ///     p.clean("See https://example.org/a_(b). Mail me@example.com!"),
    ///     "See <a href=\"https://example.org/a_(b)\" rel=\"nofollow ugc\">https://example.org/a_(b)</a>. \
    ///      Mail <a href=\"mailto:me@example.com\" rel=\"nofollow ugc\">me@example.com</a>!"
    /// );
    /// // Not inside code, and never a scheme the policy refuses.
    /// assert_eq!(p.clean("<code>http://x.org</code> javascript://x.org/%0a"), "<code>http://x.org</code> javascript://x.org/%0a");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn linkify(mut self, on: bool) -> Self {
        self.config.linkify.urls = on;
        self.config.linkify.emails = on;
        self
    }

    /// Link bare URLs (`scheme://…`, and `www.` hosts, see
    /// [`linkify_www_scheme`](Self::linkify_www_scheme)).
    ///
    /// # Default
    /// `false` (and [`linkify`](Self::linkify)`(true)` sets it).
    ///
    /// ```
    /// let p = borax::Policy::builder().linkify_urls(true).build().unwrap();
    /// assert_eq!(
    ///     p.clean("http://a.example me@b.example"),
    ///     "<a href=\"http://a.example\">http://a.example</a> me@b.example"
    /// );
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn linkify_urls(mut self, on: bool) -> Self {
        self.config.linkify.urls = on;
        self
    }

    /// Link bare e-mail addresses, as `mailto:` (`%`, `?` and `#` in the
    /// address are percent-encoded in the `href`).
    ///
    /// # Default
    /// `false` (and [`linkify`](Self::linkify)`(true)` sets it).
    ///
    /// ```
    /// let p = borax::Policy::builder().linkify_emails(true).build().unwrap();
    /// assert_eq!(
    ///     p.clean("http://a.example first.last@b.example, a@b"),
    ///     "http://a.example <a href=\"mailto:first.last@b.example\">first.last@b.example</a>, a@b"
    /// );
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn linkify_emails(mut self, on: bool) -> Self {
        self.config.linkify.emails = on;
        self
    }

    /// The scheme a bare `www.` host gets when it is linked (`www.example.org`
    /// becomes `href="https://www.example.org"`); `""`: such hosts are not
    /// linked. The host is linked only when `www.` starts a word (after
    /// whitespace, the start of the text, or opening brackets and quotes)
    /// and the link passes the policy's URL checks with that scheme.
    ///
    /// # Default
    /// `https`.
    ///
    /// ```
    /// let p = borax::Policy::builder().linkify(true).build().unwrap();
    /// assert_eq!(p.clean("(www.example.org)"), "(<a href=\"https://www.example.org\">www.example.org</a>)");
    /// let q = borax::Policy::builder().linkify(true).linkify_www_scheme("").build().unwrap();
    /// assert_eq!(q.clean("www.example.org"), "www.example.org");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn linkify_www_scheme(mut self, scheme: &str) -> Self {
        if scheme.is_empty() {
            self.config.linkify.www_scheme = None;
        } else if let Some(s) = self.schemes([scheme]).into_iter().next() {
            self.config.linkify.www_scheme = Some(s);
        }
        self
    }

    /// HTML elements inside which nothing is linked, added to the fixed
    /// `a`, `code`, `pre`, `kbd` and `samp`. Only kept elements count (an
    /// unwrapped element's text joins its parent's).
    ///
    /// # Default
    /// None besides the fixed ones.
    ///
    /// ```
    /// let p = borax::Policy::comments().to_builder()
    ///     .linkify(true).linkify_skip_elements(["blockquote"]).build().unwrap();
    /// assert_eq!(
    ///     p.clean("<blockquote>http://a.example</blockquote>"),
    ///     "<blockquote>http://a.example</blockquote>"
    /// );
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn linkify_skip_elements<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for n in names {
            if let Some(name) = self.name(n.as_ref()) {
                if name.ns == Namespace::Html {
                    self.config.linkify.skip_elements.insert(name.name);
                } else {
                    self.errors.push(PolicyError::Invalid {
                        what: "linkify skip element (HTML elements only: nothing is linked in SVG or MathML)",
                        value: n.as_ref().to_owned(),
                    });
                }
            }
        }
        self
    }

    /// Longest text, in bytes, that is linked; a longer URL or address
    /// stays text. At least 1.
    ///
    /// # Default
    /// 2000 (make_clickable's limit).
    ///
    /// ```
    /// let p = borax::Policy::builder().linkify(true).linkify_max_length(16).build().unwrap();
    /// assert_eq!(p.clean("http://a.example"), "<a href=\"http://a.example\">http://a.example</a>");
    /// assert_eq!(p.clean("http://a.example/"), "http://a.example/");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn linkify_max_length(mut self, bytes: usize) -> Self {
        self.config.linkify.max_length = bytes;
        self
    }

    /// Turn a comment's line breaks into HTML: a blank line separates
    /// paragraphs (`<p>`), a single newline becomes `<br>` (the newline
    /// stays after it). Paragraphs are made at the top level and in kept
    /// `div` and `blockquote`; elsewhere a newline in text becomes `<br>`;
    /// nothing changes inside `pre`, `listing`, SVG, MathML or table
    /// structure. Whitespace is never removed. With paragraphs on,
    /// [`build`](Self::build) allows `p` and `br`, and cleaning the output
    /// again changes nothing. The exact rules, and how they compare with
    /// WordPress's `wpautop`: the README, "Formatting".
    ///
    /// # Default
    /// `false`.
    ///
    /// ```
    /// let p = borax::Policy::comments().to_builder().paragraphs(true).build().unwrap();
    /// let out = p.clean("Hello,\nworld.\n\n<blockquote>quoted</blockquote>\nBye");
    /// assert_eq!(out, "<p>Hello,<br>\nworld.</p>\n\n<blockquote><p>quoted</p></blockquote>\n<p>Bye</p>");
    /// assert_eq!(p.clean(&out), out);
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn paragraphs(mut self, on: bool) -> Self {
        self.config.paragraphs = on;
        self
    }

    fn style_names<I, S>(&mut self, names: I, what: &'static str) -> BTreeSet<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = BTreeSet::new();
        for n in names {
            let n = n.as_ref();
            if crate::clean::style::valid_name(n) {
                out.insert(n.to_ascii_lowercase());
            } else {
                self.errors.push(PolicyError::Invalid {
                    what,
                    value: n.to_owned(),
                });
            }
        }
        out
    }

    /// Allow these CSS properties in `style` attributes, on every element
    /// that allows `style` (added to any already allowed).
    ///
    /// A `style` attribute is kept only through such a list: its CSS is
    /// parsed (with `cssparser`, the parser of servo and ammonia), and only
    /// the declarations of allowed properties whose values pass are
    /// written, re-serialised; a `style` left empty is removed. Property
    /// names match ASCII case-insensitively and are written lowercase;
    /// `!important` is kept. Values: `url(…)` (and the strings of `src()`,
    /// `image-set()`, `image()`, `cross-fade()`) must pass the URL schemes
    /// and relative-URL rule of the element's `style` attribute
    /// ([`attribute_url_schemes`](Self::attribute_url_schemes) with
    /// attribute `style`); functions must be known CSS value functions
    /// (colours, math, gradients, transforms, filters, shapes, ...), so
    /// `expression()`, `var()`, `env()` and `attr()` drop their
    /// declaration; comments become spaces; unterminated strings, URLs and
    /// blocks, blocks nested deeper than 16, `{}` blocks, at-rules
    /// (`@import`) and anything a browser would ignore or misread drop
    /// their declaration. The property names are
    /// checked by [`build`](Self::build): custom properties (`--x`),
    /// `behavior` and `-moz-binding` are refused.
    ///
    /// # Default
    /// None: a policy that allows `style` without properties does not
    /// build ([`PolicyError::StyleWithoutProperties`]).
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .element("span", ["style"])
    ///     .style_properties(["color", "text-align"])
    ///     .build().unwrap();
    /// assert_eq!(
    ///     p.clean(r#"<span style="COLOR: Red; position: fixed; text-align: center !important">x</span>"#),
    ///     r#"<span style="color:Red;text-align:center !important">x</span>"#
    /// );
    /// assert_eq!(p.clean(r#"<span style="position: fixed">x</span>"#), "<span>x</span>");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn style_properties<I, S>(mut self, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let names = self.style_names(properties, "CSS property name");
        self.config
            .style_properties
            .entry("*".to_owned())
            .or_default()
            .extend(names);
        self
    }

    /// Allow these CSS properties in `style` attributes of one element, in
    /// addition to those of [`style_properties`](Self::style_properties)
    /// (`style` must be allowed on it; the same filtering applies).
    ///
    /// # Default
    /// None.
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .element("span", ["style"])
    ///     .element("p", ["style"])
    ///     .style_properties(["color"])
    ///     .element_style_properties("p", ["text-align"])
    ///     .build().unwrap();
    /// assert_eq!(
    ///     p.clean(r#"<p style="text-align:right;color:red"><span style="text-align:right;color:red">x</span></p>"#),
    ///     r#"<p style="text-align:right;color:red"><span style="color:red">x</span></p>"#
    /// );
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn element_style_properties<I, S>(mut self, element: &str, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let Some(element) = self.element_or_any(element) else {
            return self;
        };
        let names = self.style_names(properties, "CSS property name");
        self.config
            .style_properties
            .entry(element)
            .or_default()
            .extend(names);
        self
    }

    /// Restrict a CSS property's value to these keywords (ASCII
    /// case-insensitive, written lowercase): the value must be one or more
    /// of them, separated by whitespace, optionally `!important`; anything
    /// else (numbers, functions, strings) drops the declaration. The
    /// property must also be allowed.
    ///
    /// # Default
    /// No restriction beyond the filtering of
    /// [`style_properties`](Self::style_properties).
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .element("p", ["style"])
    ///     .style_properties(["text-align", "color"])
    ///     .style_property_values("text-align", ["left", "right", "center"])
    ///     .build().unwrap();
    /// assert_eq!(
    ///     p.clean(r#"<p style="text-align: CENTER; color: blue">x</p>"#),
    ///     r#"<p style="text-align:center;color:blue">x</p>"#
    /// );
    /// assert_eq!(p.clean(r#"<p style="text-align: -webkit-match-parent">x</p>"#), "<p>x</p>");
    /// ```
    #[must_use = "the setter returns the builder; use it"]
    pub fn style_property_values<I, S>(mut self, property: &str, keywords: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let Some(property) = self
            .style_names([property], "CSS property name")
            .into_iter()
            .next()
        else {
            return self;
        };
        let keywords = self.style_names(keywords, "CSS keyword");
        self.config
            .style_property_values
            .entry(property)
            .or_default()
            .extend(keywords);
        self
    }

    /// Validate and freeze the policy.
    ///
    /// ```
    /// use borax::{Policy, PolicyError};
    /// let p = Policy::builder().elements(["b", "i"]).build().unwrap();
    /// assert_eq!(p.clean("<b>a</b><u>b</u>"), "<b>a</b>b");
    /// let e = Policy::builder().elements(["b", "script"]).build().unwrap_err();
    /// assert!(matches!(e, PolicyError::UnsafeElement { .. }));
    /// ```
    ///
    /// # Errors
    ///
    /// The first problem found, of these:
    ///
    /// * [`PolicyError::Invalid`]: a name that is not a valid element or
    ///   attribute name (ASCII letter, then letters, digits, `-`, `_`, `.`;
    ///   attributes may have an `xlink:`, `xml:` or `xmlns:` prefix), an
    ///   element name with a namespace where only HTML makes sense, a URL
    ///   scheme that is not one, an id prefix with whitespace or control
    ///   characters, a max depth outside `1..=`[`MAX_DEPTH_LIMIT`] (500), an
    ///   input limit over [`MAX_INPUT_BYTES_LIMIT`] (1 GiB), a rewrite base
    ///   that is not an absolute URL, a [`linkify_www_scheme`](Self::linkify_www_scheme)
    ///   that is not a scheme, a [`linkify_skip_elements`](Self::linkify_skip_elements)
    ///   name outside HTML, a [`linkify_max_length`](Self::linkify_max_length) of 0.
    /// * [`PolicyError::UnsafeElement`], an element borax never emits:
    ///   - in HTML: `script`, `style`, `template`, `iframe`, `object`, `embed`,
    ///     `applet`, `noscript`, `noembed`, `noframes`, `xmp`, `plaintext`,
    ///     `title`, `textarea`, `select`, `frame`, `frameset` (these are also
    ///     dropped with their content when not allowed), and `base`, `meta`,
    ///     `link`, `param`, `html`, `head`, `body`, `image`;
    ///   - in SVG and MathML (`svg:…`, `math:…`): the names HTML parses as
    ///     script, raw text or RCDATA, `script`, `style`, `xmp`, `iframe`,
    ///     `noembed`, `noframes`, `noscript`, `plaintext`, `textarea`,
    ///     `title` (except `svg:title`, an integration point that gives
    ///     graphics an accessible name), and SVG Tiny's event elements
    ///     `handler` and `listener`.
    /// * [`PolicyError::UnsafeAttribute`]: an event handler (`on*`, on any
    ///   element or globally, or in allowed values) or `srcdoc`.
    /// * [`PolicyError::Contradiction`]: an element both allowed and listed in
    ///   [`remove_elements`](Self::remove_elements) or
    ///   [`replace_with_children_elements`](Self::replace_with_children_elements)
    ///   (the elements formatting adds count as allowed: `a` with
    ///   [`linkify`](Self::linkify), `p` and `br` with
    ///   [`paragraphs`](Self::paragraphs)).
    /// * [`PolicyError::DroppedWithContent`]: an element that is dropped with
    ///   its content (the HTML list above, and the roots `svg` and `math`)
    ///   listed for unwrapping.
    /// * [`PolicyError::RelConflict`]: `rel` allowed on `a`/`area` (or
    ///   globally, or restricted to values) while
    ///   [`link_rel`](Self::link_rel) sets it.
    /// * [`PolicyError::StyleWithoutProperties`]: `style` allowed on an
    ///   element (or globally) with no CSS property allowed there
    ///   ([`style_properties`](Self::style_properties),
    ///   [`element_style_properties`](Self::element_style_properties)).
    ///   Restricting `style` with [`attribute_values`](Self::attribute_values)
    ///   is [`PolicyError::Invalid`]: use
    ///   [`style_property_values`](Self::style_property_values).
    /// * [`PolicyError::UnsafeStyleProperty`]: a CSS property borax never
    ///   lets through: a custom property (`--x`: it feeds `var()` in the
    ///   page's own style sheets), `behavior`/`-ms-behavior`,
    ///   `-moz-binding` (they load script), `-o-link`/`-o-link-source`.
    pub fn build(self) -> Result<Policy, PolicyError> {
        if let Some(e) = self.errors.into_iter().next() {
            return Err(e);
        }
        let mut config = self.config;
        let hooks = self.hooks;
        // What formatting generates is part of the policy, so that a second
        // clean keeps it.
        let html = |n: &str| ElementName::parse(n).expect("valid names");
        if config.linkify.on() {
            config
                .elements
                .entry(html("a"))
                .or_default()
                .insert("href".to_owned());
        }
        if config.paragraphs {
            for n in ["p", "br"] {
                config.elements.entry(html(n)).or_default();
            }
        }
        if config.linkify.max_length == 0 {
            return Err(PolicyError::Invalid {
                what: "linkify max length (at least 1)",
                value: "0".to_owned(),
            });
        }
        for name in config.elements.keys() {
            if let Some(why) = refusal(name) {
                return Err(PolicyError::UnsafeElement {
                    element: name.to_string(),
                    why,
                });
            }
            if config.remove_elements.contains(name) {
                return Err(PolicyError::Contradiction {
                    element: name.to_string(),
                    list: "removeElements",
                });
            }
            if config.replace_with_children.contains(name) {
                return Err(PolicyError::Contradiction {
                    element: name.to_string(),
                    list: "replaceWithChildrenElements",
                });
            }
        }
        // Allowed ones were refused above as contradictions.
        for name in &config.replace_with_children {
            if let Some(why) = always_removed(name) {
                return Err(PolicyError::DroppedWithContent {
                    element: name.to_string(),
                    list: "replaceWithChildrenElements",
                    can_be_allowed: refusal(name).is_none(),
                    why,
                });
            }
        }
        let all_attrs = config
            .elements
            .values()
            .flatten()
            .chain(config.attributes.iter())
            .chain(config.attribute_values.keys().map(|(_, a)| a));
        for attr in all_attrs {
            if attr.starts_with("on") {
                return Err(PolicyError::UnsafeAttribute {
                    attribute: attr.clone(),
                    why: "event handler attributes run script",
                });
            }
            if attr == "srcdoc" {
                return Err(PolicyError::UnsafeAttribute {
                    attribute: attr.clone(),
                    why: "holds a whole document",
                });
            }
        }
        for property in config
            .style_properties
            .values()
            .flatten()
            .chain(config.style_property_values.keys())
        {
            if let Some(why) = crate::clean::style::refusal(property) {
                return Err(PolicyError::UnsafeStyleProperty {
                    property: property.clone(),
                    why,
                });
            }
        }
        // Exact values of `style` would not survive the CSS filter's
        // rewriting (a second clean would remove what the first wrote).
        if let Some((element, _)) = config.attribute_values.keys().find(|(_, a)| a == "style") {
            return Err(PolicyError::Invalid {
                what: "attributeValues for `style` (use styleProperties and stylePropertyValues)",
                value: element.clone(),
            });
        }
        let has_properties = |element: &str| {
            config
                .style_properties
                .get(element)
                .is_some_and(|l| !l.is_empty())
        };
        if !has_properties("*") {
            let style_everywhere = config.attributes.contains("style");
            for (name, attrs) in &config.elements {
                let spelled = name.to_string();
                if (style_everywhere || attrs.contains("style")) && !has_properties(&spelled) {
                    return Err(PolicyError::StyleWithoutProperties { element: spelled });
                }
            }
        }
        if !config.link_rel.is_empty() {
            let rel_allowed = config.attributes.contains("rel")
                || config
                    .attribute_values
                    .keys()
                    .any(|(e, a)| a == "rel" && matches!(e.as_str(), "a" | "area" | "*"))
                || config.elements.iter().any(|(n, a)| {
                    n.ns == Namespace::Html
                        && matches!(n.name.as_str(), "a" | "area")
                        && a.contains("rel")
                });
            if rel_allowed {
                return Err(PolicyError::RelConflict);
            }
        }
        for p in &config.attribute_prefixes {
            let unsafe_match = ["on", "srcdoc"]
                .iter()
                .any(|u| u.starts_with(p.as_str()) || p.starts_with(u));
            if unsafe_match {
                return Err(PolicyError::UnsafeAttribute {
                    attribute: format!("{p}*"),
                    why: "the prefix would allow event handlers or srcdoc",
                });
            }
        }
        for ((element, attr), value) in &config.set_attributes {
            if attr.starts_with("on") || attr == "srcdoc" {
                return Err(PolicyError::UnsafeAttribute {
                    attribute: attr.clone(),
                    why: "event handlers and srcdoc cannot be set",
                });
            }
            if attr == "rel"
                && !config.link_rel.is_empty()
                && matches!(element.as_str(), "a" | "area" | "*")
            {
                return Err(PolicyError::RelConflict);
            }
            if let Some(kind) = crate::url::url_kind(attr) {
                let schemes: Vec<String> = config.url_schemes.iter().cloned().collect();
                let base = match &config.relative_urls {
                    RelativeUrls::Rewrite(b) => ::url::Url::parse(b).ok(),
                    RelativeUrls::Deny | RelativeUrls::Pass => None,
                };
                let ok = matches!(
                    crate::url::check_value(
                        kind,
                        value,
                        &schemes,
                        &config.relative_urls,
                        base.as_ref()
                    ),
                    crate::url::Verdict::Keep(std::borrow::Cow::Borrowed(_))
                );
                if !ok {
                    return Err(PolicyError::Invalid {
                        what: "forced URL value (it must pass the policy's URL rules as written)",
                        value: value.clone(),
                    });
                }
            }
        }
        if config.max_input_bytes > MAX_INPUT_BYTES_LIMIT {
            return Err(PolicyError::Invalid {
                what: "max input bytes (at most 1 GiB)",
                value: config.max_input_bytes.to_string(),
            });
        }
        if config.max_depth == 0 || config.max_depth > MAX_DEPTH_LIMIT {
            return Err(PolicyError::Invalid {
                what: "max depth (1..=500)",
                value: config.max_depth.to_string(),
            });
        }
        let base = match &config.relative_urls {
            RelativeUrls::Rewrite(b) => match ::url::Url::parse(b) {
                Ok(u) if !u.cannot_be_a_base() => Some(u),
                _ => {
                    return Err(PolicyError::Invalid {
                        what: "base URL for relative URLs",
                        value: b.clone(),
                    })
                }
            },
            RelativeUrls::Deny | RelativeUrls::Pass => None,
        };
        let mut compiled = compile(config, base);
        compiled.hooks = hooks;
        Ok(Policy {
            inner: Arc::new(compiled),
        })
    }
}

impl Policy {
    /// An empty builder: no elements, the default URL schemes
    /// (`http`, `https`, `mailto`), relative URLs passed, depth 256.
    ///
    /// ```
    /// let p = borax::Policy::builder().build().unwrap();
    /// assert_eq!(p.clean("<b>bold</b> text"), "bold text");
    /// ```
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    /// A builder holding this policy's settings, to derive a new policy.
    ///
    /// ```
    /// let p = borax::Policy::comments().to_builder().elements(["p"]).build().unwrap();
    /// assert_eq!(p.clean("<p><b>x</b></p>"), "<p><b>x</b></p>");
    /// ```
    pub fn to_builder(&self) -> PolicyBuilder {
        let mut b = PolicyBuilder::from_config(self.inner.config.clone());
        b.hooks = self.inner.hooks.clone();
        b
    }

    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Is this element kept (namespace as the parser assigns it)?
    ///
    /// ```
    /// use borax::{Namespace, Policy};
    /// let p = Policy::comments();
    /// assert!(p.allows_element(Namespace::Html, "blockquote"));
    /// assert!(!p.allows_element(Namespace::Html, "img"));
    /// ```
    pub fn allows_element(&self, ns: Namespace, name: &str) -> bool {
        self.inner
            .allowed
            .contains_key(&(ns, LocalName::from(name.to_ascii_lowercase().as_str())))
    }

    /// Is this attribute (serialized name, e.g. `xlink:href`) kept on this
    /// element, before any check of its value?
    ///
    /// ```
    /// use borax::{Namespace, Policy};
    /// let p = Policy::comments();
    /// assert!(p.allows_attribute(Namespace::Html, "blockquote", "cite"));
    /// assert!(!p.allows_attribute(Namespace::Html, "b", "onclick"));
    /// ```
    pub fn allows_attribute(&self, ns: Namespace, element: &str, attribute: &str) -> bool {
        let key = (ns, LocalName::from(element.to_ascii_lowercase().as_str()));
        let attr = LocalName::from(attribute.to_ascii_lowercase().as_str());
        self.inner.allowed.contains_key(&key) && self.inner.attribute_allowed(&key, &attr)
            || (ns == Namespace::Html
                && matches!(&*key.1, "a" | "area")
                && &*attr == "rel"
                && self.inner.rel.is_some()
                && self.inner.allowed.contains_key(&key))
            // Forced values are written whatever the input says.
            || (self.inner.allowed.contains_key(&key)
                && self.inner.forced_for(&key).iter().any(|(a, _)| *a == attr))
    }

    /// The allowed URL schemes, lowercase.
    ///
    /// ```
    /// let p = borax::Policy::comments();
    /// assert_eq!(p.url_schemes().collect::<Vec<_>>(), ["http", "https", "mailto"]);
    /// ```
    pub fn url_schemes(&self) -> impl Iterator<Item = &str> {
        self.inner.schemes.iter().map(String::as_str)
    }

    /// The URL schemes allowed in attribute `attribute` of `element`
    /// (written as in a policy: `img`, `svg:a`; any case), lowercase.
    ///
    /// ```
    /// let p = borax::Policy::relaxed();
    /// assert_eq!(p.url_schemes_for("img", "src").collect::<Vec<_>>(), ["http", "https"]);
    /// assert!(p.url_schemes_for("a", "href").any(|s| s == "mailto"));
    /// ```
    pub fn url_schemes_for(&self, element: &str, attribute: &str) -> impl Iterator<Item = &str> {
        let attribute = LocalName::from(attribute.to_ascii_lowercase().as_str());
        let schemes = match ElementName::parse(element) {
            Ok(n) => self
                .inner
                .schemes_for(&(n.ns, LocalName::from(n.name.as_str())), &attribute),
            Err(_) => &self.inner.schemes,
        };
        schemes.iter().map(String::as_str)
    }

    /// The relative-URL rule.
    ///
    /// ```
    /// use borax::{Policy, RelativeUrls};
    /// assert_eq!(Policy::comments().relative_urls(), &RelativeUrls::Pass);
    /// ```
    pub fn relative_urls(&self) -> &RelativeUrls {
        &self.inner.config.relative_urls
    }

    /// Is `name` an attribute whose value borax checks as URL(s)?
    ///
    /// ```
    /// assert!(borax::Policy::is_url_attribute("srcset"));
    /// assert!(!borax::Policy::is_url_attribute("title"));
    /// ```
    pub fn is_url_attribute(name: &str) -> bool {
        crate::url::url_kind(name).is_some()
    }

    /// Every attribute name borax checks as URL(s).
    ///
    /// ```
    /// assert!(borax::Policy::url_attributes().any(|a| a == "formaction"));
    /// ```
    pub fn url_attributes() -> impl Iterator<Item = &'static str> {
        crate::url::url_attribute_names()
    }

    /// The nesting cap.
    ///
    /// ```
    /// assert_eq!(borax::Policy::comments().max_depth(), borax::DEFAULT_MAX_DEPTH);
    /// ```
    pub fn max_depth(&self) -> usize {
        self.inner.config.max_depth
    }

    /// The input size limit in bytes.
    ///
    /// ```
    /// assert_eq!(borax::Policy::comments().max_input_bytes(), 10 << 20);
    /// ```
    pub fn max_input_bytes(&self) -> usize {
        self.inner.config.max_input_bytes
    }

    /// Whether disallowed tags are escaped as text.
    ///
    /// ```
    /// let p = borax::Policy::builder().escape_disallowed(true).build().unwrap();
    /// assert!(p.escapes_disallowed());
    /// ```
    pub fn escapes_disallowed(&self) -> bool {
        self.inner.config.escape_disallowed
    }

    /// The prefix added to kept `id` and `name` values, if any.
    ///
    /// ```
    /// assert_eq!(borax::Policy::relaxed().id_prefix(), Some("user-content-"));
    /// ```
    pub fn id_prefix(&self) -> Option<&str> {
        self.inner.config.id_prefix.as_deref()
    }

    /// Bytes the policy itself may add per emitted attribute: the `rel`
    /// value (with its ` rel=""`), the id prefix and the rewrite base. The
    /// output of [`Policy::try_clean`] is at most
    /// `16 × input + 64 + expansion() × (input / 2 + 1)` bytes.
    ///
    /// ```
    /// let p = borax::Policy::comments();
    /// assert_eq!(p.expansion(), " rel=\"nofollow ugc\"".len());
    /// let input = "<a>x</a>".repeat(100);
    /// let out = p.clean(&input);
    /// assert!(out.len() <= 16 * input.len() + 64 + p.expansion() * (input.len() / 2 + 1));
    /// ```
    pub fn expansion(&self) -> usize {
        self.inner.expansion()
    }

    /// The `rel` value set on kept links, if any.
    ///
    /// ```
    /// assert_eq!(borax::Policy::comments().link_rel(), Some("nofollow ugc"));
    /// ```
    pub fn link_rel(&self) -> Option<&str> {
        self.inner.rel.as_deref()
    }

    /// The allowed elements as `(namespace, name, attributes)`, sorted.
    ///
    /// ```
    /// use borax::{Namespace, Policy};
    /// let p = Policy::comments();
    /// let first = p.allowed_elements().next().unwrap();
    /// assert_eq!(first, (Namespace::Html, "a", vec!["href", "title"]));
    /// ```
    pub fn allowed_elements(&self) -> impl Iterator<Item = (Namespace, &str, Vec<&str>)> {
        self.inner.config.elements.iter().map(|(n, a)| {
            (
                n.ns,
                n.name.as_str(),
                a.iter().map(String::as_str).collect(),
            )
        })
    }

    /// The CSS properties allowed in `style` attributes of `element`
    /// (written as in a policy: `p`, `svg:rect`; any case): those of every
    /// element and its own, lowercase, sorted.
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .element("p", ["style"])
    ///     .style_properties(["color"])
    ///     .element_style_properties("p", ["text-align"])
    ///     .build().unwrap();
    /// assert_eq!(p.style_properties_for("P"), ["color", "text-align"]);
    /// assert_eq!(p.style_properties_for("span"), ["color"]);
    /// ```
    pub fn style_properties_for(&self, element: &str) -> Vec<&str> {
        let lists = &self.inner.config.style_properties;
        let own = ElementName::parse(element)
            .ok()
            .and_then(|n| lists.get(&n.to_string()));
        let mut all: Vec<&str> = lists
            .get("*")
            .into_iter()
            .chain(own)
            .flatten()
            .map(String::as_str)
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// Attributes allowed on every allowed element.
    ///
    /// ```
    /// let p = borax::Policy::builder().attributes(["title", "lang"]).build().unwrap();
    /// assert_eq!(p.global_attributes().collect::<Vec<_>>(), ["lang", "title"]);
    /// ```
    pub fn global_attributes(&self) -> impl Iterator<Item = &str> {
        self.inner.config.attributes.iter().map(String::as_str)
    }

    /// Whether bare URLs or e-mail addresses are linked (either kind; see
    /// [`PolicyBuilder::linkify`]).
    ///
    /// ```
    /// assert!(!borax::Policy::comments().linkify());
    /// assert!(borax::Policy::builder().linkify_emails(true).build().unwrap().linkify());
    /// ```
    pub fn linkify(&self) -> bool {
        self.inner.config.linkify.on()
    }

    /// Whether bare URLs are linked ([`PolicyBuilder::linkify_urls`]).
    ///
    /// ```
    /// let p = borax::Policy::builder().linkify(true).build().unwrap();
    /// assert!(p.linkify_urls() && p.linkify_emails());
    /// ```
    pub fn linkify_urls(&self) -> bool {
        self.inner.config.linkify.urls
    }

    /// Whether bare e-mail addresses are linked ([`PolicyBuilder::linkify_emails`]).
    ///
    /// ```
    /// let p = borax::Policy::builder().linkify_urls(true).build().unwrap();
    /// assert!(!p.linkify_emails());
    /// ```
    pub fn linkify_emails(&self) -> bool {
        self.inner.config.linkify.emails
    }

    /// The scheme given to linked `www.` hosts, if they are linked
    /// ([`PolicyBuilder::linkify_www_scheme`]).
    ///
    /// ```
    /// assert_eq!(borax::Policy::comments().linkify_www_scheme(), Some("https"));
    /// ```
    pub fn linkify_www_scheme(&self) -> Option<&str> {
        self.inner.config.linkify.www_scheme.as_deref()
    }

    /// The elements added to `a code pre kbd samp` inside which nothing is
    /// linked ([`PolicyBuilder::linkify_skip_elements`]).
    ///
    /// ```
    /// let p = borax::Policy::builder().linkify_skip_elements(["Q", "cite"]).build().unwrap();
    /// assert_eq!(p.linkify_skip_elements().collect::<Vec<_>>(), ["cite", "q"]);
    /// ```
    pub fn linkify_skip_elements(&self) -> impl Iterator<Item = &str> {
        self.inner
            .config
            .linkify
            .skip_elements
            .iter()
            .map(String::as_str)
    }

    /// The longest text, in bytes, that is linked
    /// ([`PolicyBuilder::linkify_max_length`]).
    ///
    /// ```
    /// assert_eq!(borax::Policy::comments().linkify_max_length(), 2000);
    /// ```
    pub fn linkify_max_length(&self) -> usize {
        self.inner.config.linkify.max_length
    }

    /// Whether line breaks become paragraphs and `<br>`
    /// ([`PolicyBuilder::paragraphs`]).
    ///
    /// ```
    /// let p = borax::Policy::builder().paragraphs(true).build().unwrap();
    /// assert!(p.paragraphs() && !borax::Policy::comments().paragraphs());
    /// // What paragraphs generate is allowed.
    /// assert!(p.allows_element(borax::Namespace::Html, "p") && p.allows_element(borax::Namespace::Html, "br"));
    /// ```
    pub fn paragraphs(&self) -> bool {
        self.inner.config.paragraphs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Policy>();
        let p = Policy::comments();
        let q = p.clone();
        assert!(Arc::ptr_eq(&p.inner, &q.inner));
    }

    #[test]
    fn per_element_schemes_and_values_keep_their_namespace() {
        let p = Policy::builder()
            .element("a", ["href"])
            .element("svg", Vec::<&str>::new())
            .element("svg:a", ["href"])
            .attribute_url_schemes("svg:a", "href", ["https"])
            .build()
            .unwrap();
        // `svg:a` is restricted to https; HTML `a` keeps the default schemes.
        assert_eq!(
            p.url_schemes_for("svg:a", "href").collect::<Vec<_>>(),
            ["https"]
        );
        assert!(p.url_schemes_for("a", "href").any(|s| s == "mailto"));
        assert_eq!(
            p.clean(r#"<a href="mailto:x@y">m</a><svg><a href="mailto:x@y">n</a></svg>"#),
            r#"<a href="mailto:x@y">m</a><svg><a>n</a></svg>"#
        );
    }

    #[test]
    fn contradictions_are_errors() {
        // The builder follows the Sanitizer API: the last call wins.
        let p = Policy::builder()
            .elements(["b"])
            .remove_elements(["b"])
            .build()
            .unwrap();
        assert_eq!(p.clean("x<b>y</b>"), "x");
        let p = Policy::builder()
            .remove_elements(["b"])
            .elements(["b"])
            .build()
            .unwrap();
        assert_eq!(p.clean("x<b>y</b>"), "x<b>y</b>");
        let e = Policy::builder()
            .element("a", ["rel"])
            .link_rel(["nofollow"])
            .build()
            .unwrap_err();
        assert_eq!(e, PolicyError::RelConflict);
        // Restricting `rel`'s values while the policy writes its own `rel`
        // would emit a value outside the list.
        let e = Policy::builder()
            .element("a", ["href"])
            .link_rel(["nofollow"])
            .attribute_values("a", "rel", ["x"])
            .build()
            .unwrap_err();
        assert_eq!(e, PolicyError::RelConflict);
        let e = Policy::builder().elements(["script"]).build().unwrap_err();
        assert!(matches!(e, PolicyError::UnsafeElement { .. }));
        for foreign in ["svg:script", "math:script", "svg:handler"] {
            let e = Policy::builder()
                .elements(["svg", foreign])
                .build()
                .unwrap_err();
            assert!(matches!(e, PolicyError::UnsafeElement { .. }), "{foreign}");
        }
        let e = Policy::builder()
            .element("b", ["onclick"])
            .build()
            .unwrap_err();
        assert!(matches!(e, PolicyError::UnsafeAttribute { .. }));
        let e = Policy::builder().elements(["b c"]).build().unwrap_err();
        assert!(matches!(e, PolicyError::Invalid { .. }));
        let e = Policy::builder().max_depth(600).build().unwrap_err();
        assert!(matches!(e, PolicyError::Invalid { .. }));
        for bad in ["a\0b", "a b", "x\r"] {
            let e = Policy::builder().id_prefix(bad).build().unwrap_err();
            assert!(matches!(e, PolicyError::Invalid { .. }), "{bad:?}");
        }
        let e = Policy::builder()
            .max_input_bytes(MAX_INPUT_BYTES_LIMIT + 1)
            .build()
            .unwrap_err();
        assert!(matches!(e, PolicyError::Invalid { .. }));
    }

    const RAW_TEXT_AND_SCRIPT: [&str; 10] = [
        "style",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
        "textarea",
        "title",
        "script",
    ];

    #[test]
    fn raw_text_names_are_refused_in_every_namespace() {
        for ns in ["html", "svg", "math"] {
            for name in RAW_TEXT_AND_SCRIPT {
                if (ns, name) == ("svg", "title") {
                    continue;
                }
                let spelled = format!("{ns}:{name}");
                let e = Policy::builder()
                    .elements(["svg", "math", spelled.as_str()])
                    .build()
                    .unwrap_err();
                let PolicyError::UnsafeElement { element, why } = &e else {
                    panic!("{spelled}: {e:?}");
                };
                let shown = if ns == "html" {
                    name.to_owned()
                } else {
                    spelled
                };
                assert_eq!(*element, shown);
                assert!(why.len() > 20, "{shown}: {why}");
                assert!(e.to_string().contains(&format!("`{shown}`")), "{e}");
            }
        }
        for foreign in ["svg:handler", "math:listener"] {
            let e = Policy::builder().elements([foreign]).build().unwrap_err();
            assert!(e.to_string().contains("run script"), "{e}");
        }
    }

    #[test]
    fn svg_and_math_style_say_css_applies_to_the_page() {
        for name in ["svg:style", "math:style"] {
            let e = Policy::builder()
                .elements(["svg", name])
                .build()
                .unwrap_err();
            assert!(e.to_string().contains("whole page"), "{e}");
            assert!(e.to_string().contains("raw text"), "{e}");
        }
    }

    #[test]
    fn svg_title_is_the_one_exception() {
        let p = Policy::builder()
            .elements(["svg", "svg:title", "svg:circle"])
            .build()
            .unwrap();
        assert!(p.allows_element(Namespace::Svg, "title"));
        assert_eq!(
            p.clean("<svg><title>Logo &lt;b&gt;</title><circle/></svg>"),
            "<svg><title>Logo &lt;b&gt;</title><circle></circle></svg>"
        );
        // An HTML <title> or one a browser would put in HTML is not kept.
        assert_eq!(p.clean("<title>x</title>y"), "y");
        assert!(Policy::builder().elements(["title"]).build().is_err());
        assert!(Policy::builder().elements(["math:title"]).build().is_err());
    }

    #[test]
    fn unwrapping_an_element_dropped_with_content_is_refused() {
        for name in [
            "script", "style", "template", "iframe", "select", "svg", "math",
        ] {
            let e = Policy::builder()
                .elements(["b"])
                .replace_with_children_elements(["span", name])
                .build()
                .unwrap_err();
            let PolicyError::DroppedWithContent {
                element,
                list,
                can_be_allowed,
                ..
            } = &e
            else {
                panic!("{name}: {e:?}");
            };
            assert_eq!(element, name);
            assert_eq!(*list, "replaceWithChildrenElements");
            assert_eq!(*can_be_allowed, matches!(name, "svg" | "math"), "{name}");
            let msg = e.to_string();
            assert!(
                msg.contains(&format!("`{name}`")) && msg.contains("replaceWithChildrenElements"),
                "{msg}"
            );
        }
        // Allowed, then listed for unwrapping: it is no longer allowed, and
        // unwrapping it is refused.
        let e = Policy::builder()
            .elements(["svg"])
            .replace_with_children_elements(["svg"])
            .build()
            .unwrap_err();
        assert!(matches!(e, PolicyError::DroppedWithContent { .. }), "{e:?}");
        // Names that are unwrapped anyway may be listed: an HTML element
        // named `svg`, SVG's own `style`, `base` (refused, but unwrapped).
        let p = Policy::builder()
            .elements(["svg"])
            .replace_with_children_elements(["html:svg", "svg:style", "base", "span"])
            .build()
            .unwrap();
        assert_eq!(p.clean("<svg><style>a</style></svg>"), "<svg>a</svg>");
    }

    #[test]
    fn element_names_take_namespaces() {
        assert_eq!(ElementName::parse("svg").unwrap().ns, Namespace::Svg);
        assert_eq!(ElementName::parse("math:mi").unwrap().ns, Namespace::MathMl);
        assert_eq!(ElementName::parse("B").unwrap().name, "b");
        assert_eq!(
            ElementName::parse("svg:foreignObject").unwrap().to_string(),
            "svg:foreignobject"
        );
        assert!(ElementName::parse("x:y").is_err());
        // An HTML element named like a foreign root keeps its prefix.
        let html_math = ElementName::parse("html:math").unwrap();
        assert_eq!(html_math.ns, Namespace::Html);
        assert_eq!(
            ElementName::parse(&html_math.to_string()).unwrap(),
            html_math
        );
    }

    #[test]
    fn svg_allowed_leaves_the_remove_list() {
        let p = Policy::builder().elements(["svg"]).build().unwrap();
        assert_eq!(
            p.inner
                .disposition(&(Namespace::Svg, LocalName::from("svg"))),
            Disposition::Keep
        );
        let q = Policy::builder().build().unwrap();
        assert_eq!(
            q.inner
                .disposition(&(Namespace::Svg, LocalName::from("svg"))),
            Disposition::Drop
        );
    }
}
