//! Python bindings for borax: the extension module `borax._borax`, which the
//! Python package `borax` (python/borax/) re-exports.
//!
//! Two APIs in one module:
//!
//! * nh3's (`clean`, `Cleaner`, `clean_text`/`escape`, `is_html`, the
//!   `ALLOWED_*` constants), with nh3's keywords and defaults translated into
//!   a borax policy (`nh3.rs`);
//! * borax's own (`Policy` with presets, policy files, the notation,
//!   reports; `clean_many` for batches on all cores), in `policy.rs`.
//!
//! Cleaning always runs with the GIL released.

use pyo3::prelude::*;

/// mimalloc for borax's own allocations (parse trees, outputs): faster than
/// the system allocator on html5ever's many small nodes, and cheap to free
/// from another thread (`clean_many` builds results on the calling thread).
/// Python's own objects keep Python's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod callbacks;
mod errors;
mod nh3;
mod policy;
mod text;

/// Escape text for HTML content or a double-quoted attribute value:
/// ``& < > " '`` become character references (borax's lighter escaping;
/// ``escape``/``clean_text`` are nh3's stricter one).
///
/// >>> import borax
/// >>> borax.escape_text('<a href="x">&')
/// '&lt;a href=&quot;x&quot;&gt;&amp;'
#[pyfunction]
#[pyo3(text_signature = "(text)")]
fn escape_text(text: &str) -> String {
    borax::escape_text(text)
}

/// The text of an HTML fragment, as plain text (not HTML: escape it before
/// putting it in a page). Content of ``script``, ``style`` and other
/// elements dropped with their content is left out; ``<br>`` and the ends of
/// block elements become line breaks.
///
/// >>> import borax
/// >>> borax.to_plain_text("<p>a &amp; <b>b</b></p><p>c<br>d</p><script>x</script>")
/// 'a & b\nc\nd'
#[pyfunction]
#[pyo3(text_signature = "(html)")]
fn to_plain_text(py: Python<'_>, html: pyo3::pybacked::PyBackedStr) -> String {
    py.detach(|| borax::to_plain_text(&html))
}

#[pymodule]
fn _borax(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::init(m)?;
    m.add_class::<policy::PyPolicy>()?;
    m.add_class::<policy::Removal>()?;
    m.add_class::<nh3::Cleaner>()?;
    m.add_function(wrap_pyfunction!(nh3::clean, m)?)?;
    m.add_function(wrap_pyfunction!(nh3::clean_text, m)?)?;
    m.add_function(wrap_pyfunction!(nh3::escape, m)?)?;
    m.add_function(wrap_pyfunction!(nh3::is_html, m)?)?;
    m.add_function(wrap_pyfunction!(nh3::clean_many_fn, m)?)?;
    m.add_function(wrap_pyfunction!(nh3::clean_url, m)?)?;
    m.add_function(wrap_pyfunction!(nh3::_cleaner_from_policy, m)?)?;
    m.add_function(wrap_pyfunction!(escape_text, m)?)?;
    m.add_function(wrap_pyfunction!(to_plain_text, m)?)?;
    nh3::add_constants(m)?;
    Ok(())
}
