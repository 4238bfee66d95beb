//! The allowed-HTML notation a comment form prints under its text box:
//! `Some HTML allowed: <a href="" title=""> <abbr title=""> <b>`.

use std::collections::BTreeSet;

use crate::error::PolicyError;
use crate::policy::{valid_attribute, ElementName, Policy, PolicyBuilder};

/// The prefix a form prints before the list.
///
/// ```
/// assert!(borax::Policy::comments().to_notation().starts_with(borax::NOTATION_PREFIX));
/// ```
pub const NOTATION_PREFIX: &str = "Some HTML allowed:";

fn err(position: usize, message: impl Into<String>) -> PolicyError {
    PolicyError::Notation {
        position,
        message: message.into(),
    }
}

/// Parse the notation into (element, attributes) pairs.
fn parse(text: &str) -> Result<Vec<(String, Vec<String>)>, PolicyError> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && (chars[*i].is_whitespace() || chars[*i] == ',') {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    let prefix: Vec<char> = NOTATION_PREFIX.chars().collect();
    if chars.len() >= i + prefix.len()
        && chars[i..i + prefix.len()]
            .iter()
            .zip(&prefix)
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
    {
        i += prefix.len();
    }
    let word = |i: &mut usize| -> String {
        let start = *i;
        while *i < chars.len()
            && (chars[*i].is_ascii_alphanumeric() || matches!(chars[*i], '-' | '_' | ':' | '.'))
        {
            *i += 1;
        }
        chars[start..*i].iter().collect()
    };
    let mut out = Vec::new();
    loop {
        skip_ws(&mut i);
        if i >= chars.len() {
            break;
        }
        if chars[i] != '<' {
            return Err(err(
                i + 1,
                format!("expected `<` to start a tag, found `{}`", chars[i]),
            ));
        }
        i += 1;
        let name_at = i + 1;
        let name = word(&mut i);
        if name.is_empty() {
            return Err(err(name_at, "expected an element name after `<`"));
        }
        let mut attrs = Vec::new();
        loop {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            match chars.get(i) {
                None => return Err(err(i + 1, format!("`<{name}` is not closed with `>`"))),
                Some('>') => {
                    i += 1;
                    break;
                }
                Some('/') if chars.get(i + 1) == Some(&'>') => {
                    i += 2;
                    break;
                }
                Some(_) => {}
            }
            let at = i + 1;
            let attr = word(&mut i);
            if attr.is_empty() {
                return Err(err(
                    at,
                    format!("expected an attribute name or `>` in `<{name}`"),
                ));
            }
            if chars.get(i) == Some(&'=') {
                i += 1;
                let q = chars.get(i).copied();
                if q != Some('"') && q != Some('\'') {
                    return Err(err(i + 1, format!("expected `\"\"` after `{attr}=`")));
                }
                let close = chars[i + 1..].iter().position(|&c| Some(c) == q);
                match close {
                    Some(0) => i += 2,
                    Some(_) => {
                        return Err(err(
                            i + 2,
                            format!("attribute `{attr}` must have an empty value (`{attr}=\"\"`)"),
                        ))
                    }
                    None => return Err(err(i + 1, "unterminated quote")),
                }
            }
            attrs.push(attr);
        }
        out.push((name, attrs));
    }
    if out.is_empty() {
        return Err(err(chars.len() + 1, "expected at least one `<tag>`"));
    }
    Ok(out)
}

impl Policy {
    /// Read the allowed-HTML notation, with or without the
    /// `Some HTML allowed:` prefix.
    ///
    /// The notation lists elements and their attributes; every other setting
    /// comes from the [`comments`](Policy::comments) preset (URL schemes
    /// `http`, `https`, `mailto`; `rel="nofollow ugc"` on links).
    ///
    /// ```
    /// use borax::Policy;
    /// let p = Policy::from_notation(
    ///     r#"Some HTML allowed: <a href="" title=""> <abbr title=""> <acronym title=""> <b> <blockquote cite=""> <code> <em> <i> <strike> <strong>"#,
    /// ).unwrap();
    /// assert_eq!(p, Policy::comments());
    /// assert!(Policy::from_notation("<a href=>").is_err());
    /// ```
    pub fn from_notation(text: &str) -> Result<Policy, PolicyError> {
        let items = parse(text)?;
        let mut config = Policy::comments().config().clone();
        config.elements.clear();
        let mut b = PolicyBuilder::from_config(config);
        for (name, attrs) in items {
            if let Some(bad) = attrs.iter().find(|a| !valid_attribute(a)) {
                return Err(PolicyError::Invalid {
                    what: "attribute name",
                    value: bad.clone(),
                });
            }
            ElementName::parse(&name)?;
            b = b.element(&name, attrs);
        }
        b.build()
    }

    /// Render the policy as the allowed-HTML notation, so the help line under
    /// a form is generated from what is enforced. Global attributes are shown
    /// on every element; URL schemes and other settings are not part of the
    /// notation.
    ///
    /// ```
    /// assert_eq!(
    ///     borax::Policy::comments().to_notation(),
    ///     r#"Some HTML allowed: <a href="" title=""> <abbr title=""> <acronym title=""> <b> <blockquote cite=""> <code> <em> <i> <strike> <strong>"#
    /// );
    /// ```
    pub fn to_notation(&self) -> String {
        let config = self.config();
        let mut out = String::from(NOTATION_PREFIX);
        for (name, attrs) in &config.elements {
            let all: BTreeSet<&String> = attrs.iter().chain(config.attributes.iter()).collect();
            out.push_str(" <");
            out.push_str(&name.to_string());
            for a in all {
                out.push(' ');
                out.push_str(a);
                out.push_str("=\"\"");
            }
            out.push('>');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_seed() {
        let p = Policy::comments();
        assert_eq!(Policy::from_notation(&p.to_notation()).unwrap(), p);
        let bare = p.to_notation().replace(NOTATION_PREFIX, "");
        assert_eq!(Policy::from_notation(&bare).unwrap(), p);
    }

    #[test]
    fn errors_name_the_position() {
        match Policy::from_notation("<b> <a href=x>") {
            Err(PolicyError::Notation { position, .. }) => assert_eq!(position, 13),
            other => panic!("{other:?}"),
        }
        for bad in ["<a", "<>", "b", "<a href=\"x\">", "", "<a href=\">"] {
            assert!(
                matches!(
                    Policy::from_notation(bad),
                    Err(PolicyError::Notation { .. })
                ),
                "{bad:?}"
            );
        }
    }
}
