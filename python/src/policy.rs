//! `borax.Policy`, `borax.Removal` and the batch cleaner shared by
//! `Policy.clean_many`, `Cleaner.clean_many` and `borax.clean_many`.

use std::borrow::Cow;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyFrozenSet, PyList, PySet, PyString, PyTuple};
use rayon::prelude::*;

use crate::callbacks::collecting;
use crate::errors::{clean_error, policy_error, PolicyError};

/// An immutable, validated sanitizing policy: which elements, attributes and
/// URL schemes are kept, and what happens to the rest.
///
/// Build one from a preset (``Policy.comments()``, ``basic()``,
/// ``relaxed()``, ``text()``, ``ammonia()``, ``preset(name)``), from a policy file
/// (``from_toml``, ``from_json``, ``from_dict``), from the notation a comment
/// form shows (``from_notation``), or from keyword arguments with the policy
/// file's keys (``Policy(extends="comments", elements=["p"])``; snake_case
/// or camelCase). ``Policy.nh3()`` is the equivalent of nh3's defaults.
///
/// A policy is built once and shared: it is immutable, thread-safe, cheap to
/// pass around, picklable (as its JSON policy file), and ``clean_many``
/// cleans a batch on all cores without the GIL.
///
/// >>> p = Policy.comments()
/// >>> p.clean('<b onclick="x()">hi</b><script>alert(1)</script>')
/// '<b>hi</b>'
#[pyclass(name = "Policy", module = "borax", frozen, eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct PyPolicy {
    pub(crate) inner: borax::Policy,
}

impl PyPolicy {
    pub(crate) fn new(inner: borax::Policy) -> Self {
        PyPolicy { inner }
    }
}

fn built(py: Python<'_>, r: Result<borax::Policy, borax::PolicyError>) -> PyResult<PyPolicy> {
    r.map(PyPolicy::new).map_err(|e| policy_error(py, e))
}

/// `snake_case` → `camelCase`, for policy-file keys given as keywords.
fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Sets, frozensets and tuples become (sorted) lists, so a policy can be
/// written with Python's natural types (`elements={"b", "i"}`). Policy
/// files are a few levels deep: deeper input is refused, not recursed into.
fn json_ready<'py>(
    py: Python<'py>,
    v: &Bound<'py, PyAny>,
    depth: usize,
) -> PyResult<Bound<'py, PyAny>> {
    const MAX_DEPTH: usize = 16;
    if depth > MAX_DEPTH {
        return Err(PolicyError::new_err(format!(
            "policy nested more than {MAX_DEPTH} levels deep"
        )));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let out = PyDict::new(py);
        for (k, item) in d.iter() {
            out.set_item(k, json_ready(py, &item, depth + 1)?)?;
        }
        return Ok(out.into_any());
    }
    let is_set = v.is_instance_of::<PySet>() || v.is_instance_of::<PyFrozenSet>();
    if is_set || v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let out = PyList::empty(py);
        for item in v.try_iter()? {
            out.append(json_ready(py, &item?, depth + 1)?)?;
        }
        if is_set {
            // a set has no order; a sorted list makes errors reproducible
            let _ = out.sort();
        }
        return Ok(out.into_any());
    }
    Ok(v.clone())
}

fn from_mapping(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<PyPolicy> {
    let dict = config
        .cast::<PyDict>()
        .map_err(|_| PyTypeError::new_err("a policy dict must be a dict"))?;
    let normalized = PyDict::new(py);
    for (k, v) in dict.iter() {
        let k: PyBackedStr = k
            .extract()
            .map_err(|_| PyTypeError::new_err("policy keys must be str"))?;
        normalized.set_item(camel(&k), json_ready(py, &v, 0)?)?;
    }
    let json = py.import("json")?.call_method1("dumps", (normalized,))?;
    let json: PyBackedStr = json.extract()?;
    built(py, borax::Policy::from_json_str(&json))
}

#[pymethods]
impl PyPolicy {
    #[new]
    #[pyo3(signature = (config = None, /, **keys), text_signature = "(config=None, /, **keys)")]
    fn py_new(
        py: Python<'_>,
        config: Option<&Bound<'_, PyAny>>,
        keys: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let merged = PyDict::new(py);
        if let Some(c) = config {
            let c = c
                .cast::<PyDict>()
                .map_err(|_| PyTypeError::new_err("Policy(config): config must be a dict"))?;
            merged.update(c.as_mapping())?;
        }
        if let Some(k) = keys {
            merged.update(k.as_mapping())?;
        }
        from_mapping(py, merged.as_any())
    }

    /// The ``comments`` preset, what a blog comment form allows:
    /// ``a[href,title] abbr[title] acronym[title] b blockquote[cite] code em
    /// i strike strong``, ``rel="nofollow ugc"`` on links, URL schemes
    /// http, https, mailto.
    #[staticmethod]
    fn comments() -> Self {
        PyPolicy::new(borax::Policy::comments())
    }

    /// The ``basic`` preset: ``comments`` plus ``br cite del ins kbd li mark
    /// ol[start] p pre q[cite] s samp small sub sup u ul var``.
    #[staticmethod]
    fn basic() -> Self {
        PyPolicy::new(borax::Policy::basic())
    }

    /// The ``relaxed`` preset: ``basic`` plus headings, tables, images
    /// (http/https only), sections and more; ids prefixed
    /// ``user-content-``.
    #[staticmethod]
    fn relaxed() -> Self {
        PyPolicy::new(borax::Policy::relaxed())
    }

    /// The ``text`` preset: no elements, text only.
    #[staticmethod]
    fn text() -> Self {
        PyPolicy::new(borax::Policy::text())
    }

    /// The ``ammonia`` preset: ammonia 4.2.5's defaults (its 75 tags and
    /// their attributes, ``lang``/``title`` everywhere, its 25 URL schemes,
    /// ``rel="noopener noreferrer"`` on links), with borax's own safety on
    /// top. ``Policy.nh3()`` is the same policy plus nh3's
    /// ``clean_content_tags``; both clean alike.
    ///
    /// >>> Policy.ammonia().clean("<a href='irc://x' onclick=y>a</a><u lang=en>c</u>")
    /// '<a href="irc://x" rel="noopener noreferrer">a</a><u lang="en">c</u>'
    #[staticmethod]
    fn ammonia() -> Self {
        PyPolicy::new(borax::Policy::ammonia())
    }

    /// A preset by name, one of ``Policy.PRESETS`` (``comments``,
    /// ``basic``, ``relaxed``, ``text``, ``ammonia``); PolicyError otherwise.
    #[staticmethod]
    fn preset(py: Python<'_>, name: &str) -> PyResult<Self> {
        built(py, borax::Policy::preset(name))
    }

    /// The preset names, in order.
    #[classattr]
    #[allow(non_snake_case)]
    fn PRESETS() -> Vec<&'static str> {
        borax::Policy::PRESETS.to_vec()
    }

    /// borax's equivalent of nh3's (ammonia's) defaults: the policy that
    /// ``borax.clean(html)`` and ``borax.Cleaner()`` use. See the README's
    /// table for where it differs from nh3.
    #[staticmethod]
    fn nh3(py: Python<'_>) -> PyResult<Self> {
        Ok(PyPolicy::new(crate::nh3::default_policy(py)?))
    }

    /// Read a TOML policy file's text. Errors are PolicyError with
    /// ``line``, ``column`` and ``key``.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: &str) -> PyResult<Self> {
        built(py, borax::Policy::from_toml_str(text))
    }

    /// Read a JSON policy file's text. Errors are PolicyError with
    /// ``line``, ``column`` and ``key``.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        built(py, borax::Policy::from_json_str(text))
    }

    /// A policy from a dict with the policy file's keys (camelCase or
    /// snake_case). Errors are PolicyError with ``key``.
    #[staticmethod]
    fn from_dict(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Self> {
        from_mapping(py, config)
    }

    /// Read the notation a comment form prints under its text box, with or
    /// without the ``Some HTML allowed:`` prefix:
    ///
    /// >>> Policy.from_notation('<a href="" title=""> <b> <i>').clean('<a href="https://x" onclick="y">l</a><u>u</u>')
    /// '<a href="https://x" rel="nofollow ugc">l</a>u'
    #[staticmethod]
    fn from_notation(py: Python<'_>, text: &str) -> PyResult<Self> {
        built(py, borax::Policy::from_notation(text))
    }

    /// The notation of this policy's elements and attributes, for the help
    /// line under a form: ``Some HTML allowed: <a href="" title=""> <b>``.
    fn to_notation(&self) -> String {
        self.inner.to_notation()
    }

    /// The policy as a complete TOML policy file (``from_toml`` reads it back
    /// to an equal policy).
    fn to_toml(&self, py: Python<'_>) -> PyResult<String> {
        self.inner.to_toml_string().map_err(|e| policy_error(py, e))
    }

    /// The policy as a JSON policy file (``from_json`` reads it back to an
    /// equal policy).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.inner.to_json_string().map_err(|e| policy_error(py, e))
    }

    /// The policy as a dict with the policy file's (camelCase) keys.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = self.to_json(py)?;
        py.import("json")?.call_method1("loads", (json,))
    }

    /// Clean one HTML fragment; returns the safe HTML. The GIL is released
    /// while cleaning.
    ///
    /// Raises CleanError for an input over ``max_input_bytes`` (10 MiB by
    /// default) or with a tag of more than 512 attributes.
    fn clean<'py>(
        &self,
        py: Python<'py>,
        html: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyString>> {
        clean_one(py, &self.inner, html)
    }

    /// Clean one fragment and say what was removed and why: returns
    /// ``(html, removals)``, a list of Removal (``kind``, ``name``,
    /// ``reason``, ``count``).
    ///
    /// >>> Policy.comments().clean_with_report("<b onclick=x>a</b><script>y</script>")
    /// ('<b>a</b>', [Removal(kind='element', name='script', reason='dropped with content', count=1), Removal(kind='attribute', name='onclick', reason='not allowed', count=1)])
    fn clean_with_report(
        &self,
        py: Python<'_>,
        html: PyBackedStr,
    ) -> PyResult<(String, Vec<Removal>)> {
        let policy = &self.inner;
        let (r, raised) = py.detach(|| collecting(|| policy.clean_with_report(&html)));
        if let Some(e) = raised {
            return Err(e);
        }
        let (out, report) = r.map_err(|e| clean_error(py, &e, None))?;
        let removals = report
            .removals
            .into_iter()
            .map(|r| Removal {
                kind: r.kind.as_str(),
                name: r.name,
                reason: r.reason.as_str(),
                count: r.count,
            })
            .collect();
        Ok((out, removals))
    }

    /// Check one URL the way ``href`` is checked (for a form's "your
    /// website" field): the URL to use (trimmed as a browser trims it, or
    /// resolved when the policy rewrites relative URLs), or ``None`` when the
    /// policy would drop it.
    fn clean_url(&self, url: &str) -> Option<String> {
        borax::clean_url(url, &self.inner)
    }

    /// Clean a batch: ``[policy.clean(h) for h in htmls]``, computed on all
    /// cores with the GIL released. ``threads`` caps the number of threads
    /// (``1``: no parallelism; default: one per core).
    ///
    /// Raises CleanError (with ``index``) if an input cannot be cleaned, and
    /// TypeError if an item is not a str.
    #[pyo3(signature = (htmls, /, *, threads = None))]
    fn clean_many(
        &self,
        py: Python<'_>,
        htmls: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Py<PyList>> {
        clean_many(py, &self.inner, htmls, threads)
    }

    /// Largest input accepted, in bytes.
    #[getter]
    fn max_input_bytes(&self) -> usize {
        self.inner.max_input_bytes()
    }

    /// Nesting cap of the output.
    #[getter]
    fn max_depth(&self) -> usize {
        self.inner.max_depth()
    }

    /// The ``rel`` value set on kept links, or ``None``.
    #[getter]
    fn link_rel(&self) -> Option<&str> {
        self.inner.link_rel()
    }

    /// The prefix added to kept ``id`` and ``name`` values, or ``None``.
    #[getter]
    fn id_prefix(&self) -> Option<&str> {
        self.inner.id_prefix()
    }

    /// The allowed URL schemes, sorted.
    #[getter]
    fn url_schemes(&self) -> Vec<&str> {
        self.inner.url_schemes().collect()
    }

    /// Allowed elements and their own attributes: ``{"a": ["href", "title"],
    /// "svg:circle": [...]}`` (foreign elements prefixed ``svg:``/``math:``).
    #[getter]
    fn elements<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (ns, name, attrs) in self.inner.allowed_elements() {
            let key = match (ns, name) {
                (borax::Namespace::Html, n) if n != "svg" && n != "math" => n.to_owned(),
                (borax::Namespace::Svg, "svg") => "svg".to_owned(),
                (borax::Namespace::MathMl, "math") => "math".to_owned(),
                (ns, n) => format!("{}:{n}", ns.as_str()),
            };
            d.set_item(key, attrs)?;
        }
        Ok(d)
    }

    /// Attributes allowed on every allowed element, sorted.
    #[getter]
    fn global_attributes(&self) -> Vec<&str> {
        self.inner.global_attributes().collect()
    }

    fn __repr__(&self) -> String {
        format!("<borax.Policy {}>", self.inner.to_notation())
    }

    /// Pickled as its JSON policy file (for multiprocessing, Dask, Spark).
    /// A policy holding Python callables (a Cleaner's ``attribute_filter``
    /// or callable ``url_relative``) cannot be pickled: TypeError.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = py.get_type::<PyPolicy>().getattr("from_json")?;
        let args = PyTuple::new(py, [picklable_json(py, &self.inner)?])?;
        PyTuple::new(py, [from_json, args.into_any()])
    }

    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }
}

/// One kind of thing removed from an input, with how often.
///
/// ``kind``: ``element``, ``attribute``, ``url``, ``comment``, ``depth``,
/// ``text``; ``name``: the element or attribute (``script``, ``onclick``,
/// ``href``), ``#comment`` or ``#text``; ``reason``: ``not allowed``,
/// ``dropped with content``, ``bad scheme``, ``relative url``,
/// ``namespace``, ``too deep``, ``bad value``, ``structure``, ``output
/// limit``; ``count``: how many times. The same fields as the CLI's
/// ``--report`` lines.
#[pyclass(module = "borax", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct Removal {
    #[pyo3(get)]
    kind: &'static str,
    #[pyo3(get)]
    name: String,
    #[pyo3(get)]
    reason: &'static str,
    #[pyo3(get)]
    count: usize,
}

#[pymethods]
impl Removal {
    /// A removal (normally made by ``Policy.clean_with_report``).
    #[new]
    #[pyo3(signature = (kind, name, reason, count))]
    fn py_new(kind: &str, name: String, reason: &str, count: usize) -> PyResult<Self> {
        const KINDS: &[&str] = &["element", "attribute", "url", "comment", "depth", "text"];
        const REASONS: &[&str] = &[
            "not allowed",
            "dropped with content",
            "bad scheme",
            "relative url",
            "namespace",
            "too deep",
            "bad value",
            "structure",
            "output limit",
        ];
        let kind = KINDS
            .iter()
            .find(|k| **k == kind)
            .ok_or_else(|| PyValueError::new_err(format!("unknown removal kind {kind:?}")))?;
        let reason = REASONS
            .iter()
            .find(|r| **r == reason)
            .ok_or_else(|| PyValueError::new_err(format!("unknown removal reason {reason:?}")))?;
        Ok(Removal {
            kind,
            name,
            reason,
            count,
        })
    }

    /// ``{"kind": ..., "name": ..., "reason": ..., "count": ...}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("kind", self.kind)?;
        d.set_item("name", &self.name)?;
        d.set_item("reason", self.reason)?;
        d.set_item("count", self.count)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Removal(kind={:?}, name={:?}, reason={:?}, count={})",
            self.kind, self.name, self.reason, self.count
        )
        .replace('"', "'")
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let cls = py.get_type::<Removal>();
        let args = (self.kind, self.name.as_str(), self.reason, self.count).into_pyobject(py)?;
        PyTuple::new(py, [cls.into_any(), args.into_any()])
    }
}

/// The policy's JSON file, if reading it back gives the same policy (not
/// so for a policy with hooks: a file cannot hold them); else TypeError.
pub(crate) fn picklable_json(py: Python<'_>, policy: &borax::Policy) -> PyResult<String> {
    let json = policy.to_json_string().map_err(|e| policy_error(py, e))?;
    match borax::Policy::from_json_str(&json) {
        Ok(back) if back == *policy => Ok(json),
        _ => Err(PyTypeError::new_err(
            "cannot pickle a policy holding Python callables (attribute_filter, url_relative) \
             or rewrite_with_root; build it again where it is needed",
        )),
    }
}

/// Clean one input without the GIL. An exception raised by a Python
/// callable of the policy (nh3's `attribute_filter`, `url_relative`) during
/// the clean is raised here (see `callbacks.rs`). An input that cleaning
/// leaves unchanged is returned as it is (the same `str` object: no copy).
pub(crate) fn clean_one<'py>(
    py: Python<'py>,
    policy: &borax::Policy,
    html: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyString>> {
    let text = PyBackedStr::try_from(html.clone())?;
    let (r, raised) = py.detach(|| collecting(|| changed(policy, &text)));
    if let Some(e) = raised {
        return Err(e);
    }
    match r {
        Ok(Some(out)) => Ok(PyString::new(py, &out)),
        Ok(None) => Ok(same(py, html, &text)),
        Err(e) => Err(clean_error(py, &e, None)),
    }
}

/// The cleaned text, or `None` when it equals the input.
fn changed(policy: &borax::Policy, html: &str) -> Result<Option<String>, borax::CleanError> {
    Ok(match policy.try_clean_cow(html)? {
        Cow::Borrowed(_) => None,
        Cow::Owned(s) => Some(s),
    })
}

/// The input object itself when it is a `str` (not a subclass), else a new
/// `str` with its text.
fn same<'py>(py: Python<'py>, obj: &Bound<'py, PyString>, text: &str) -> Bound<'py, PyString> {
    if obj.is_exact_instance_of::<PyString>() {
        obj.clone()
    } else {
        PyString::new(py, text)
    }
}

/// One input's result in a batch: the cleaned text (`None`: unchanged) or
/// the error, and an exception a Python callable raised meanwhile.
type Outcome = (Result<Option<String>, borax::CleanError>, Option<PyErr>);

/// Inputs per batch step of [`clean_many`].
const CHUNK: usize = 1024;

/// Clean a batch on a thread pool. The work is pipelined: while the pool
/// cleans one chunk of inputs (without the GIL), this thread, holding it,
/// reads the next chunk's strings from Python and turns the previous
/// chunk's results into Python strings, so that the parts only one thread
/// can do (everything touching Python objects) overlap the cleaning
/// instead of adding to it.
pub(crate) fn clean_many(
    py: Python<'_>,
    policy: &borax::Policy,
    htmls: &Bound<'_, PyAny>,
    threads: Option<usize>,
) -> PyResult<Py<PyList>> {
    if htmls.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "clean_many takes a list (or other iterable) of str, not one str; use clean() for one input",
        ));
    }
    let threads = match threads {
        Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
        t => t,
    };
    let one = |h: &PyBackedStr| -> Outcome { collecting(|| changed(policy, h)) };
    // `None`: the global pool. One thread, or no pool could be made for
    // `Some(n)`: this thread alone.
    let pool = match threads {
        None => None,
        Some(1) => return clean_many_here(py, htmls, one),
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => Some(pool),
            Err(_) => return clean_many_here(py, htmls, one),
        },
    };
    let run = |chunk: &[PyBackedStr]| -> Vec<Outcome> {
        let par = || chunk.par_iter().with_min_len(1).map(one).collect();
        match &pool {
            Some(pool) => pool.install(par),
            None => par(),
        }
    };
    let list = PyList::empty(py);
    let mut objects: Vec<Bound<'_, PyString>> = Vec::with_capacity(htmls.len().unwrap_or(0));
    let (to_clean, inbox) = std::sync::mpsc::channel::<Vec<PyBackedStr>>();
    let (done, mut outbox) = std::sync::mpsc::channel::<(Vec<PyBackedStr>, Vec<Outcome>)>();
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            for chunk in inbox {
                let outcomes = run(&chunk);
                if done.send((chunk, outcomes)).is_err() {
                    break;
                }
            }
        });
        let mut to_clean = Some(to_clean);
        let main = || -> PyResult<()> {
            let (mut sent, mut built) = (0usize, 0usize);
            let mut chunk: Vec<PyBackedStr> = Vec::with_capacity(CHUNK);
            let send = |chunk: Vec<PyBackedStr>, to: &Option<std::sync::mpsc::Sender<_>>| {
                to.as_ref().is_some_and(|t| t.send(chunk).is_ok())
            };
            for (i, item) in htmls.try_iter()?.enumerate() {
                let (text, obj) = extract(i, item?)?;
                chunk.push(text);
                objects.push(obj);
                if chunk.len() == CHUNK {
                    if !send(
                        std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)),
                        &to_clean,
                    ) {
                        break;
                    }
                    sent += 1;
                    // Results ready meanwhile become strings now.
                    while let Ok(r) = outbox.try_recv() {
                        append_results(&list, &objects, r, &mut built)?;
                        sent -= 1;
                    }
                }
            }
            if !chunk.is_empty() && send(chunk, &to_clean) {
                sent += 1;
            }
            to_clean = None;
            while sent > 0 {
                // Wait without the GIL (a Python callable of the policy,
                // run by the pool, may need it).
                let (r, back) = py.detach(move || (outbox.recv(), outbox));
                outbox = back;
                let r = r.map_err(|_| {
                    pyo3::exceptions::PyRuntimeError::new_err(
                        "clean_many: a cleaning thread stopped",
                    )
                })?;
                append_results(&list, &objects, r, &mut built)?;
                sent -= 1;
            }
            Ok(())
        };
        let result = main();
        // On an error the pool stops after its chunk in hand; wait for it
        // without the GIL, for the same reason.
        drop(to_clean);
        let _ = py.detach(|| worker.join());
        result
    })?;
    Ok(list.unbind())
}

/// Append a cleaned chunk's results to `list`, in order (`built`: how many
/// came before; `objects`: every input object so far).
fn append_results<'py>(
    list: &Bound<'py, PyList>,
    objects: &[Bound<'py, PyString>],
    (inputs, outcomes): (Vec<PyBackedStr>, Vec<Outcome>),
    built: &mut usize,
) -> PyResult<()> {
    let py = list.py();
    for (text, (r, raised)) in inputs.iter().zip(outcomes) {
        let i = *built;
        *built += 1;
        if let Some(e) = raised {
            return Err(e);
        }
        match r {
            Ok(Some(s)) => list.append(s)?,
            Ok(None) => list.append(same(py, &objects[i], text))?,
            Err(e) => return Err(clean_error(py, &e, Some(i))),
        }
    }
    Ok(())
}

/// [`clean_many`] on this thread alone: a chunk of inputs is read with the
/// GIL, cleaned without it (one release per chunk, not per item), and its
/// results become strings with it again.
fn clean_many_here(
    py: Python<'_>,
    htmls: &Bound<'_, PyAny>,
    one: impl Fn(&PyBackedStr) -> Outcome + Sync,
) -> PyResult<Py<PyList>> {
    let list = PyList::empty(py);
    let mut objects: Vec<Bound<'_, PyString>> = Vec::with_capacity(htmls.len().unwrap_or(0));
    let mut chunk: Vec<PyBackedStr> = Vec::with_capacity(CHUNK);
    let mut built = 0usize;
    let mut items = htmls.try_iter()?.enumerate().peekable();
    while items.peek().is_some() {
        for (i, item) in items.by_ref().take(CHUNK) {
            let (text, obj) = extract(i, item?)?;
            chunk.push(text);
            objects.push(obj);
        }
        let (inputs, outcomes) = py.detach(|| {
            let outcomes: Vec<Outcome> = chunk.iter().map(&one).collect();
            (std::mem::take(&mut chunk), outcomes)
        });
        append_results(&list, &objects, (inputs, outcomes), &mut built)?;
    }
    Ok(list.unbind())
}

/// Item `i` of a batch: its text, and the `str` object itself.
fn extract<'py>(
    i: usize,
    item: Bound<'py, PyAny>,
) -> PyResult<(PyBackedStr, Bound<'py, PyString>)> {
    let text = item.extract::<PyBackedStr>().map_err(|e| {
        if item.is_instance_of::<PyString>() {
            // A str that is not valid Unicode (lone surrogates).
            e
        } else {
            PyTypeError::new_err(format!(
                "clean_many: item {i} is {}, not str",
                item.get_type()
                    .name()
                    .map_or_else(|_| "?".to_owned(), |n| n.to_string())
            ))
        }
    })?;
    // It extracted as a str, so it is one.
    Ok((text, item.cast_into::<PyString>()?))
}
