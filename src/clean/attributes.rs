//! The attribute checks of the walk, one function each, applied in this
//! order by [`judge`]: name allowed → `rel` replaced by the policy's →
//! attribute hook → URL hook → allowed values → allowed classes → SVG
//! animation target → SVG animation values → URL → CSS of `style` →
//! `id`/`name` prefix. Each takes the value the previous one left and
//! returns it (possibly rewritten) or the reason to remove it: the hooks
//! come first, so whatever they return meets every check.

use std::borrow::Cow;

use html5ever::{local_name, LocalName};

use crate::policy::{is_data_attribute, Compiled, Key, Namespace};
use crate::report::{Reason, RemovalKind};
use crate::url::{self, Verdict};

/// What happens to one attribute.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Outcome<'a> {
    /// Written with this value.
    Keep(Cow<'a, str>),
    /// Left out without a report: the policy writes its own (`rel`).
    Replaced,
    /// Removed, for this reason.
    Removed(RemovalKind, Reason),
}

/// The element an attribute is on.
pub(super) struct On<'p> {
    /// Its policy key (namespace, lowercase local name).
    pub(super) key: &'p Key,
    /// Its local name as the tree holds it (SVG names case-adjusted).
    pub(super) local: &'p LocalName,
    /// The attributes the policy allows on it specifically.
    pub(super) own: &'p [LocalName],
}

type Step<'a> = Result<Cow<'a, str>, (RemovalKind, Reason)>;

/// Judge attribute `name` (serialized, lowercase) with `value` on `on`.
pub(super) fn judge<'a>(
    policy: &Compiled,
    on: &On<'_>,
    name: &LocalName,
    value: &'a str,
) -> Outcome<'a> {
    if !name_allowed(policy, on, name) {
        return Outcome::Removed(RemovalKind::Attribute, Reason::NotAllowed);
    }
    if rel_replaced(policy, on, name) {
        return Outcome::Replaced;
    }
    let steps = || -> Step<'a> {
        let v = attribute_hook(policy, on, name, value)?;
        let v = url_hook(policy, on, name, v)?;
        let v = allowed_value(policy, on, name, v)?;
        let v = allowed_classes(policy, on, name, v)?;
        let v = animation_target(on, name, v)?;
        let v = animation_values(policy, on, name, v)?;
        let v = url_value(policy, on, name, v)?;
        let v = style_value(policy, on, name, v)?;
        Ok(id_prefix(policy, name, v))
    };
    match steps() {
        Ok(v) => Outcome::Keep(v),
        Err((kind, reason)) => Outcome::Removed(kind, reason),
    }
}

/// Allowed on every element, on this one, or as a `data-*` attribute.
pub(super) fn name_allowed(policy: &Compiled, on: &On<'_>, name: &LocalName) -> bool {
    policy.global.contains(name)
        || on.own.contains(name)
        || (policy.data_attributes && is_data_attribute(name))
        || policy.prefixes.iter().any(|p| name.starts_with(p.as_str()))
}

/// The policy sets `rel` on links itself: the input's goes.
pub(super) fn rel_replaced(policy: &Compiled, on: &On<'_>, name: &LocalName) -> bool {
    on.key.0 == Namespace::Html
        && policy.rel.is_some()
        && *name == local_name!("rel")
        && matches!(on.key.1, local_name!("a") | local_name!("area"))
}

/// The policy's attribute hook, if any: keep, rewrite or drop the value
/// (what it returns goes through every later check).
pub(super) fn attribute_hook<'a>(
    policy: &Compiled,
    on: &On<'_>,
    name: &LocalName,
    value: &'a str,
) -> Step<'a> {
    match &policy.hooks.attribute {
        None => Ok(Cow::Borrowed(value)),
        Some(hook) => hook(&on.key.1, name, value).ok_or((RemovalKind::Attribute, Reason::Hook)),
    }
}

/// Values restricted to a list (per element, or for every element).
pub(super) fn allowed_value<'a>(
    policy: &Compiled,
    on: &On<'_>,
    name: &LocalName,
    value: Cow<'a, str>,
) -> Step<'a> {
    let Some(allowed) = policy.values_for(on.key, name) else {
        return Ok(value);
    };
    // An `id`/`name` the policy prefixes may come back with the prefix on
    // (a second clean): the value behind the prefix is what was allowed.
    let unprefixed = match &policy.id_prefix {
        Some(prefix) if matches!(&**name, "id" | "name") => value.strip_prefix(prefix.as_str()),
        Some(_) | None => None,
    };
    if allowed
        .iter()
        .any(|v| *v == *value || Some(v.as_str()) == unprefixed)
    {
        Ok(value)
    } else {
        Err((RemovalKind::Attribute, Reason::BadValue))
    }
}

/// `class` keeps only the allowed classes (global and per element); none
/// left removes it.
pub(super) fn allowed_classes<'a>(
    policy: &Compiled,
    on: &On<'_>,
    name: &LocalName,
    value: Cow<'a, str>,
) -> Step<'a> {
    if *name != local_name!("class") {
        return Ok(value);
    }
    let Some(classes) = policy.classes_for(on.key) else {
        return Ok(value);
    };
    let kept: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|c| classes.iter().any(|k| k == c))
        .collect();
    if kept.is_empty() {
        return Err((RemovalKind::Attribute, Reason::BadValue));
    }
    Ok(Cow::Owned(kept.join(" ")))
}

/// SVG animation elements can set any attribute: never `href`, a URL
/// attribute, an event handler or `style` (its CSS would not be filtered).
pub(super) fn animation_target<'a>(on: &On<'_>, name: &LocalName, value: Cow<'a, str>) -> Step<'a> {
    if on.key.0 != Namespace::Svg || &**name != "attributename" || !is_svg_animation(on.local) {
        return Ok(value);
    }
    let target = value.trim().to_ascii_lowercase();
    if target.ends_with("href")
        || target.starts_with("on")
        || target == "style"
        || url::url_kind(&target).is_some()
    {
        return Err((RemovalKind::Attribute, Reason::BadValue));
    }
    Ok(value)
}

/// An animation value that is a URL with a scheme the policy refuses
/// (`<set to="javascript:...">`).
pub(super) fn animation_values<'a>(
    policy: &Compiled,
    on: &On<'_>,
    name: &LocalName,
    value: Cow<'a, str>,
) -> Step<'a> {
    if on.key.0 == Namespace::Svg
        && is_svg_animation(on.local)
        && matches!(&**name, "to" | "from" | "values" | "by")
        && value
            .split(';')
            .any(|v| url::scheme(v).is_some_and(|s| !policy.schemes.contains(&s)))
    {
        return Err((RemovalKind::Url, Reason::BadScheme));
    }
    Ok(value)
}

/// The policy's URL hook, if any, on URL attributes: right after the
/// attribute hook, so that what it returns meets every check an input value
/// meets (allowed values, then the scheme and relative-URL rules).
pub(super) fn url_hook<'a>(
    policy: &Compiled,
    on: &On<'_>,
    name: &LocalName,
    value: Cow<'a, str>,
) -> Step<'a> {
    match &policy.hooks.url {
        Some(hook) if url::url_kind(name).is_some() => match hook(&on.key.1, name, &value) {
            Some(v) => Ok(Cow::Owned(v.into_owned())),
            None => Err((RemovalKind::Url, Reason::Hook)),
        },
        Some(_) | None => Ok(value),
    }
}

/// URL attributes: scheme allowed, relative URLs as the policy says.
pub(super) fn url_value<'a>(
    policy: &Compiled,
    on: &On<'_>,
    name: &LocalName,
    value: Cow<'a, str>,
) -> Step<'a> {
    let Some(kind) = url::url_kind(name) else {
        return Ok(value);
    };
    match url::check_value(
        kind,
        &value,
        policy.schemes_for(on.key, name),
        &policy.relative_urls,
        policy.base.as_ref(),
    ) {
        Verdict::Keep(Cow::Owned(v)) => Ok(Cow::Owned(v)),
        Verdict::Keep(Cow::Borrowed(_)) => Ok(value),
        Verdict::BadScheme => Err((RemovalKind::Url, Reason::BadScheme)),
        Verdict::Relative => Err((RemovalKind::Url, Reason::RelativeUrl)),
    }
}

/// `style` keeps only the allowed CSS declarations, re-serialised
/// ([`super::style`]); none left removes it.
pub(super) fn style_value<'a>(
    policy: &Compiled,
    on: &On<'_>,
    name: &LocalName,
    value: Cow<'a, str>,
) -> Step<'a> {
    if *name != local_name!("style") {
        return Ok(value);
    }
    let kept = super::style::filter(&value, policy, on.key);
    if kept.is_empty() {
        Err((RemovalKind::Attribute, Reason::BadValue))
    } else if kept == *value {
        Ok(value)
    } else {
        Ok(Cow::Owned(kept))
    }
}

/// `id` and `name` get the policy's prefix (against DOM clobbering).
pub(super) fn id_prefix<'a>(
    policy: &Compiled,
    name: &LocalName,
    value: Cow<'a, str>,
) -> Cow<'a, str> {
    match &policy.id_prefix {
        Some(prefix) if matches!(&**name, "id" | "name") && !value.starts_with(prefix.as_str()) => {
            Cow::Owned(format!("{prefix}{value}"))
        }
        Some(_) | None => value,
    }
}

/// SVG animation elements can set any attribute, `href` included.
pub(super) fn is_svg_animation(name: &LocalName) -> bool {
    matches!(
        &**name,
        "set" | "animate" | "animateTransform" | "animateMotion" | "animateColor"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policy;

    fn run(
        policy: &Policy,
        element: &str,
        ns: Namespace,
        attr: &str,
        value: &str,
    ) -> Outcome<'static> {
        let key: Key = (ns, LocalName::from(element.to_ascii_lowercase().as_str()));
        let local = LocalName::from(element);
        let own: Vec<LocalName> = policy
            .inner
            .allowed
            .get(&key)
            .map(|r| r.attrs.clone())
            .unwrap_or_default();
        let on = On {
            key: &key,
            local: &local,
            own: &own,
        };
        match judge(&policy.inner, &on, &LocalName::from(attr), value) {
            Outcome::Keep(v) => Outcome::Keep(Cow::Owned(v.into_owned())),
            Outcome::Replaced => Outcome::Replaced,
            Outcome::Removed(k, r) => Outcome::Removed(k, r),
        }
    }

    fn keep(v: &str) -> Outcome<'static> {
        Outcome::Keep(Cow::Owned(v.to_owned()))
    }

    #[test]
    fn each_check_in_order() {
        let p = Policy::builder()
            .element("a", ["href", "id", "class"])
            .element("svg:set", ["attributeName", "to"])
            .element("svg", Vec::<&str>::new())
            .attribute_values("a", "id", ["x", "y"])
            .classes(["ok"])
            .link_rel(["nofollow"])
            .build()
            .unwrap();
        let html = Namespace::Html;
        assert_eq!(
            run(&p, "a", html, "onclick", "x"),
            Outcome::Removed(RemovalKind::Attribute, Reason::NotAllowed)
        );
        assert_eq!(
            run(&p, "a", html, "rel", "me"),
            Outcome::Removed(RemovalKind::Attribute, Reason::NotAllowed)
        );
        assert_eq!(
            run(&p, "a", html, "id", "z"),
            Outcome::Removed(RemovalKind::Attribute, Reason::BadValue)
        );
        assert_eq!(run(&p, "a", html, "id", "x"), keep("x"));
        assert_eq!(run(&p, "a", html, "class", "bad ok  no"), keep("ok"));
        assert_eq!(
            run(&p, "a", html, "class", "bad"),
            Outcome::Removed(RemovalKind::Attribute, Reason::BadValue)
        );
        assert_eq!(
            run(&p, "a", html, "href", "java\tscript:x"),
            Outcome::Removed(RemovalKind::Url, Reason::BadScheme)
        );
        assert_eq!(
            run(&p, "a", html, "href", "https://e.org/"),
            keep("https://e.org/")
        );
        let svg = Namespace::Svg;
        assert_eq!(
            run(&p, "set", svg, "attributename", " HREF"),
            Outcome::Removed(RemovalKind::Attribute, Reason::BadValue)
        );
        assert_eq!(
            run(&p, "set", svg, "attributename", "onbegin"),
            Outcome::Removed(RemovalKind::Attribute, Reason::BadValue)
        );
        assert_eq!(
            run(&p, "set", svg, "to", "javascript:alert(1)"),
            Outcome::Removed(RemovalKind::Url, Reason::BadScheme)
        );
        assert_eq!(run(&p, "set", svg, "to", "red"), keep("red"));
    }

    #[test]
    fn style_keeps_allowed_declarations_or_goes_as_a_bad_value() {
        let p = Policy::builder()
            .element("span", ["style"])
            .element("svg", Vec::<&str>::new())
            .element("svg:animate", ["attributeName", "to"])
            .style_properties(["color"])
            .build()
            .unwrap();
        let html = Namespace::Html;
        assert_eq!(
            run(&p, "span", html, "style", "COLOR: red; position: fixed"),
            keep("color:red")
        );
        assert_eq!(
            run(&p, "span", html, "style", "color:red"),
            keep("color:red")
        );
        assert_eq!(
            run(&p, "span", html, "style", "position: fixed"),
            Outcome::Removed(RemovalKind::Attribute, Reason::BadValue)
        );
        // An animation of `style` would set CSS the filter never saw.
        assert_eq!(
            run(&p, "animate", Namespace::Svg, "attributename", " Style "),
            Outcome::Removed(RemovalKind::Attribute, Reason::BadValue)
        );
    }

    #[test]
    fn rel_is_replaced_silently_and_ids_are_prefixed() {
        let p = Policy::builder()
            .element("a", ["id", "name"])
            .link_rel(["nofollow"])
            .id_prefix("u-")
            .build()
            .unwrap();
        // `rel` is not allowed on `a` here, so it is a plain removal; with it
        // allowed globally the builder refuses the policy (RelConflict).
        assert_eq!(run(&p, "a", Namespace::Html, "id", "top"), keep("u-top"));
        assert_eq!(
            run(&p, "a", Namespace::Html, "name", "u-top"),
            keep("u-top")
        );
        let q = Policy::builder().element("a", ["rel"]).build().unwrap();
        // Allowed values of a prefixed id: the same with or without the
        // prefix (so a second clean keeps what the first wrote).
        let r = Policy::builder()
            .element("b", ["id"])
            .id_prefix("x")
            .attribute_values("*", "id", ["1", "xy"])
            .build()
            .unwrap();
        assert_eq!(run(&r, "b", Namespace::Html, "id", "1"), keep("x1"));
        assert_eq!(run(&r, "b", Namespace::Html, "id", "x1"), keep("x1"));
        assert_eq!(run(&r, "b", Namespace::Html, "id", "xy"), keep("xy"));
        assert_eq!(
            run(&r, "b", Namespace::Html, "id", "y"),
            Outcome::Removed(RemovalKind::Attribute, Reason::BadValue)
        );
        assert_eq!(run(&q, "a", Namespace::Html, "rel", "me"), keep("me"));
    }
}
