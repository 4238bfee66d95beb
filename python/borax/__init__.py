"""borax: a safe, fast HTML sanitizer (Rust, html5ever), for Python.

A drop-in for nh3 -- ``clean``, ``Cleaner``, ``clean_text``/``escape``,
``is_html`` and the ``ALLOWED_*`` constants take nh3's arguments and apply
nh3's (ammonia's) defaults -- plus borax's own API: ``Policy`` (presets,
policy files, the "Some HTML allowed:" notation, reports of what was
removed) and ``clean_many`` for batches cleaned on all cores without the GIL.

>>> import borax
>>> borax.clean('<b onclick="x()">hi</b><script>alert(1)</script>')
'<b>hi</b>'
>>> borax.Policy.comments().clean_with_report('<i>a</i><img src=x onerror=y>')
('<i>a</i>', [Removal(kind='element', name='img', reason='not allowed', count=1)])

Errors are ``PolicyError`` (a policy borax refuses, a bad policy file: with
``line``, ``column``, ``key``) and ``CleanError`` (an input too large to
clean), both subclasses of ``ValueError``; an exception raised by an nh3
callable (``attribute_filter``, ``url_relative``) is raised by ``clean``.
"""

from ._borax import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    CLEAN_CONTENT_TAGS,
    CleanError,
    Cleaner,
    Policy,
    PolicyError,
    Removal,
    __version__,
    _cleaner_from_policy,
    clean,
    clean_many,
    clean_text,
    clean_url,
    escape,
    escape_text,
    is_html,
    to_plain_text,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "CLEAN_CONTENT_TAGS",
    "CleanError",
    "Cleaner",
    "Policy",
    "PolicyError",
    "Removal",
    "__version__",
    "clean",
    "clean_many",
    "clean_text",
    "clean_url",
    "escape",
    "escape_text",
    "is_html",
    "to_plain_text",
]
