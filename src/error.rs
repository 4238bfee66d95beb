//! Errors.

/// Why an input could not be cleaned. Nothing is written for such an input.
///
/// ```
/// use borax::{CleanError, Policy};
/// let p = Policy::builder().max_input_bytes(8).build().unwrap();
/// match p.try_clean("longer than eight bytes") {
///     Err(CleanError::InputTooLarge { len, limit }) => assert_eq!((len, limit), (23, 8)),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum CleanError {
    /// The input is larger than the policy's `max_input_bytes`.
    #[error("input is {len} bytes, over the limit of {limit} bytes")]
    InputTooLarge {
        /// Size of the input in bytes.
        len: usize,
        /// The policy's limit.
        limit: usize,
    },
    /// A tag in the input could carry more attributes than borax parses in
    /// linear time (see [`MAX_ATTRIBUTES_PER_TAG`](crate::MAX_ATTRIBUTES_PER_TAG)).
    #[error("the tag starting near byte {offset} has more than {limit} attributes")]
    TooManyAttributes {
        /// Byte offset in the input where the count passed the limit.
        offset: usize,
        /// The limit.
        limit: usize,
    },
    /// Writing the output failed.
    #[error("could not write the output")]
    Io(#[source] std::sync::Arc<std::io::Error>),
}

/// Why a policy could not be built or read. The message says what and
/// where; policy files add the line, column and key.
///
/// ```
/// use borax::{Policy, PolicyError};
/// let e = Policy::builder().elements(["b"]).max_depth(0).build().unwrap_err();
/// assert_eq!(e.to_string(), "invalid max depth (1..=500) `0`");
/// assert!(matches!(e, PolicyError::Invalid { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// An element is both allowed and listed for removal (or unwrapping).
    #[error("element `{element}` is both allowed and listed in {list}")]
    Contradiction {
        /// The element.
        element: String,
        /// The other list it appears in.
        list: &'static str,
    },
    /// An element listed for unwrapping (`replaceWithChildrenElements`) is
    /// one borax drops together with its content when it is not allowed
    /// (`script`, `style`, `template`, `svg`, ...): unwrapping it would put
    /// its raw text or foreign markup into the page, so the listing cannot be
    /// honoured and is refused rather than silently ignored.
    #[error(
        "element `{element}` cannot be listed in {list}: {} dropped with its content, never unwrapped ({why}){}",
        if *can_be_allowed { "unless allowed it is" } else { "it is always" },
        if *can_be_allowed { "; allow it, or leave it out of the list" } else { "; leave it out of the list" }
    )]
    DroppedWithContent {
        /// The element.
        element: String,
        /// The list it appears in.
        list: &'static str,
        /// Whether a policy may allow it (`svg`, `math`) instead.
        can_be_allowed: bool,
        /// Why it is dropped with its content.
        why: &'static str,
    },
    /// `rel` is an allowed attribute of `<a>` while borax also sets `rel`.
    #[error("`rel` cannot be an allowed attribute while link_rel adds rel tokens")]
    RelConflict,
    /// The policy allows an element borax never emits: it runs script, is
    /// parsed as raw text, or changes how the rest of the page parses.
    #[error("element `{element}` cannot be allowed: {why}")]
    UnsafeElement {
        /// The element.
        element: String,
        /// Why it is refused.
        why: &'static str,
    },
    /// The policy allows an attribute borax never emits (event handlers).
    #[error("attribute `{attribute}` cannot be allowed: {why}")]
    UnsafeAttribute {
        /// The attribute.
        attribute: String,
        /// Why it is refused.
        why: &'static str,
    },
    /// `style` is an allowed attribute of an element on which no CSS
    /// property is allowed: borax keeps `style` only through its list of
    /// properties (`styleProperties` in a policy file,
    /// [`PolicyBuilder::style_properties`](crate::PolicyBuilder::style_properties)).
    #[error(
        "attribute `style` cannot be allowed on `{element}` without a list of CSS properties \
         (styleProperties in a policy file, style_properties on the builder)"
    )]
    StyleWithoutProperties {
        /// The element (`*` when `style` is allowed on every element).
        element: String,
    },
    /// The policy allows a CSS property borax never lets through.
    #[error("CSS property `{property}` cannot be allowed: {why}")]
    UnsafeStyleProperty {
        /// The property.
        property: String,
        /// Why it is refused.
        why: &'static str,
    },
    /// A name or value is not valid where it appears.
    #[error("invalid {what} `{value}`")]
    Invalid {
        /// What kind of thing was invalid (element name, URL scheme, ...).
        what: &'static str,
        /// The offending text.
        value: String,
    },
    /// No preset of that name.
    #[error("unknown preset `{0}` (known: {known})", known = crate::Policy::PRESETS.join(", "))]
    UnknownPreset(String),
    /// The allowed-HTML notation could not be read.
    #[error("notation, at character {position}: {message}")]
    Notation {
        /// 1-based character position in the notation text.
        position: usize,
        /// What was expected there.
        message: String,
    },
    /// A policy could not be written as a TOML or JSON file.
    #[error("could not write the policy as {format}: {message}")]
    Serialize {
        /// "TOML" or "JSON".
        format: &'static str,
        /// The writer's message.
        message: String,
    },
    /// A TOML or JSON policy file could not be read.
    #[error("{format} policy, line {line}, column {column}{}: {message}", key.as_ref().map(|k| format!(", key `{k}`")).unwrap_or_default())]
    File {
        /// "TOML" or "JSON".
        format: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The key at fault, when known.
        key: Option<String>,
        /// What went wrong, and what was expected.
        message: String,
    },
}
