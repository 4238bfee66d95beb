//! borax's errors as Python exceptions, both subclasses of `ValueError`.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    borax,
    PolicyError,
    PyValueError,
    "A policy could not be built or read (a subclass of ValueError).\n\n\
     For a policy file, ``line`` and ``column`` (1-based) and ``key`` (the key \
     at fault) say where, when known; ``format`` is \"TOML\" or \"JSON\". \
     They are ``None`` otherwise."
);

create_exception!(
    borax,
    CleanError,
    PyValueError,
    "An input could not be cleaned (a subclass of ValueError): it is larger \
     than the policy's ``max_input_bytes`` (``length`` and ``limit`` are set), \
     or a tag in it has more attributes than borax parses in linear time \
     (``offset`` is set). With ``clean_many``, ``index`` is the position of \
     the input in the batch."
);

/// Class-level defaults, so every attribute exists on every instance.
pub(crate) fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let policy = py.get_type::<PolicyError>();
    for name in ["line", "column", "key", "format"] {
        policy.setattr(name, py.None())?;
    }
    let clean = py.get_type::<CleanError>();
    for name in ["length", "limit", "offset", "index"] {
        clean.setattr(name, py.None())?;
    }
    m.add("PolicyError", policy)?;
    m.add("CleanError", clean)?;
    Ok(())
}

/// A `PolicyError` carrying the position of a policy-file error.
pub(crate) fn policy_error(py: Python<'_>, e: borax::PolicyError) -> PyErr {
    let err = PolicyError::new_err(e.to_string());
    if let borax::PolicyError::File {
        format,
        line,
        column,
        key,
        ..
    } = &e
    {
        let v = err.value(py);
        // Setting attributes on a fresh exception instance cannot fail.
        let _ = v.setattr("line", *line);
        let _ = v.setattr("column", *column);
        let _ = v.setattr("key", key.as_deref());
        let _ = v.setattr("format", *format);
    }
    err
}

/// A `CleanError`, with the batch index when there is one.
pub(crate) fn clean_error(py: Python<'_>, e: &borax::CleanError, index: Option<usize>) -> PyErr {
    let msg = match index {
        Some(i) => format!("input {i}: {e}"),
        None => e.to_string(),
    };
    let err = CleanError::new_err(msg);
    let v = err.value(py);
    match e {
        borax::CleanError::InputTooLarge { len, limit } => {
            let _ = v.setattr("length", *len);
            let _ = v.setattr("limit", *limit);
        }
        borax::CleanError::TooManyAttributes { offset, limit } => {
            let _ = v.setattr("offset", *offset);
            let _ = v.setattr("limit", *limit);
        }
        _ => {}
    }
    if let Some(i) = index {
        let _ = v.setattr("index", i);
    }
    err
}
