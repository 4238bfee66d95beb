//! nh3's Python callables (`attribute_filter`, a callable `url_relative`)
//! as borax hooks, and what happens when one of them fails.
//!
//! A hook runs inside the library's walk, usually with the GIL released
//! (and, in `clean_many`, on a rayon thread): it attaches to the
//! interpreter for the call. A callable that raises, or returns something
//! other than `str` or `None`, cannot stop the walk, so the hook:
//!
//! 1. drops the attribute (never keeps the unfiltered value),
//! 2. records the exception (the first one of this input), and stops
//!    calling Python for the rest of the input (every later attribute the
//!    callable would have seen is dropped too: the output is thrown away),
//! 3. and the binding raises that exception from `clean` (or
//!    `clean_many`, for the first input in order that had one) once the
//!    walk is over.
//!
//! nh3 instead reports the error to `sys.unraisablehook` and returns the
//! output without the attribute: a bug in a filter goes unnoticed there.
//!
//! The record is a per-thread stack of slots (one per clean in progress on
//! the thread), so nested cleans (a callable that itself calls
//! `borax.clean`, or rayon running another input on a thread that waits)
//! keep their errors apart. A hook run outside any clean the binding
//! started has no slot and reports to `sys.unraisablehook`, as nh3 does.

use std::borrow::Cow;
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

thread_local! {
    static SLOTS: RefCell<Vec<Option<PyErr>>> = const { RefCell::new(Vec::new()) };
}

/// Pops the slot pushed by [`collecting`] even if the clean panics.
struct Slot {
    depth: usize,
}

impl Drop for Slot {
    fn drop(&mut self) {
        SLOTS.with(|s| s.borrow_mut().truncate(self.depth));
    }
}

/// Run one clean, collecting the first exception a callable raised in it.
pub(crate) fn collecting<R>(clean: impl FnOnce() -> R) -> (R, Option<PyErr>) {
    let depth = SLOTS.with(|s| {
        let mut s = s.borrow_mut();
        s.push(None);
        s.len() - 1
    });
    let _slot = Slot { depth };
    let r = clean();
    let err = SLOTS.with(|s| s.borrow_mut().get_mut(depth).and_then(Option::take));
    (r, err)
}

/// Whether the clean in progress on this thread already has an error (then
/// the callable is not called again for it).
fn failed() -> bool {
    SLOTS.with(|s| s.borrow().last().is_some_and(Option::is_some))
}

/// Keep `err` for the clean in progress, or report it as unraisable.
fn record(py: Python<'_>, err: PyErr) {
    let unrecorded = SLOTS.with(|s| match s.borrow_mut().last_mut() {
        Some(slot) => {
            if slot.is_none() {
                *slot = Some(err);
            }
            None
        }
        None => Some(err),
    });
    if let Some(err) = unrecorded {
        err.write_unraisable(py, None);
    }
}

/// A Python callable, compared and hashed by identity (a policy-cache key
/// holds it, so the object cannot be freed and its address reused while the
/// key exists).
#[derive(Clone, Debug)]
pub(crate) struct Callable(pub(crate) Arc<Py<PyAny>>);

impl PartialEq for Callable {
    fn eq(&self, other: &Callable) -> bool {
        self.0.as_ptr() == other.0.as_ptr()
    }
}

impl Eq for Callable {}

impl Hash for Callable {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.0.as_ptr() as usize).hash(state);
    }
}

impl Callable {
    /// `value` if callable, else a TypeError naming the parameter.
    pub(crate) fn new(param: &str, value: &Bound<'_, PyAny>) -> PyResult<Callable> {
        if !value.is_callable() {
            return Err(PyTypeError::new_err(format!("{param} must be callable")));
        }
        Ok(Callable(Arc::new(value.clone().unbind())))
    }

    /// Call it with `args`: `Some(new value)`, or `None` to drop. `param`
    /// names it in the TypeError for a result that is not str or None.
    fn call<'v, A>(&self, param: &str, args: A, value: &'v str) -> Option<Cow<'v, str>>
    where
        A: for<'py> pyo3::call::PyCallArgs<'py>,
    {
        if failed() {
            return None;
        }
        Python::try_attach(|py| {
            let result = match self.0.bind(py).call1(args) {
                Ok(r) => r,
                Err(e) => {
                    record(py, e);
                    return None;
                }
            };
            if result.is_none() {
                return None;
            }
            let Ok(s) = result.cast::<PyString>() else {
                let type_name = result
                    .get_type()
                    .name()
                    .map_or_else(|_| "?".to_owned(), |n| n.to_string());
                record(
                    py,
                    PyTypeError::new_err(format!(
                        "{param} must return str or None, not {type_name}"
                    )),
                );
                return None;
            };
            match s.to_cow() {
                Ok(new) if new == value => Some(Cow::Borrowed(value)),
                Ok(new) => Some(Cow::Owned(new.into_owned())),
                Err(e) => {
                    // a str that is not valid Unicode (a lone surrogate)
                    record(py, e);
                    None
                }
            }
        })
        // The interpreter is shutting down: drop the attribute.
        .flatten()
    }

    /// nh3's `attribute_filter(tag, attribute, value)` as an attribute hook.
    pub(crate) fn attribute_hook(
        self,
    ) -> impl for<'v> Fn(&str, &str, &'v str) -> Option<Cow<'v, str>> + Send + Sync + 'static {
        move |element, attribute, value| {
            self.call("attribute_filter", (element, attribute, value), value)
        }
    }

    /// nh3's callable `url_relative(url)` as a URL hook: called for relative
    /// URLs only (absolute ones pass unchanged, to the scheme check), as
    /// ammonia's `UrlRelative::Custom`. URL lists (`srcset`, `ping`) pass
    /// unchanged: their relative URLs are kept, as with `"pass_through"`.
    pub(crate) fn url_hook(
        self,
    ) -> impl for<'v> Fn(&str, &str, &'v str) -> Option<Cow<'v, str>> + Send + Sync + 'static {
        move |_element, attribute, url| {
            if is_url_list(attribute) || has_scheme(url) {
                return Some(Cow::Borrowed(url));
            }
            self.call("url_relative", (url,), url)
        }
    }
}

/// Attributes borax reads as lists of URLs.
pub(crate) fn is_url_list(attribute: &str) -> bool {
    matches!(attribute, "srcset" | "imagesrcset" | "ping")
}

/// Whether a URL has a scheme, as the browser's URL parser (and the
/// library's URL check) reads it: C0 controls and spaces trimmed, tab/LF/CR
/// ignored, then an ASCII letter, letters, digits, `+`, `-`, `.`, and `:`.
/// A URL without one is relative.
pub(crate) fn has_scheme(url: &str) -> bool {
    let mut chars = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    for c in chars {
        match c {
            ':' => return true,
            'a'..='z' | 'A'..='Z' | '0'..='9' | '+' | '-' | '.' => {}
            _ => return false,
        }
    }
    false
}
