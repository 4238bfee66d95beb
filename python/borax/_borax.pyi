"""Type stubs for borax's compiled module (re-exported by ``borax``)."""

from typing import (
    AbstractSet,
    final,
    Any,
    Callable,
    ClassVar,
    Dict,
    Iterable,
    List,
    Literal,
    Mapping,
    Optional,
    Set,
    Tuple,
    Union,
)

__version__: str
__all__ = [
    "__version__",
    "PolicyError",
    "CleanError",
    "Policy",
    "Removal",
    "Cleaner",
    "clean",
    "clean_text",
    "escape",
    "is_html",
    "clean_many",
    "clean_url",
    "_cleaner_from_policy",
    "escape_text",
    "to_plain_text",
    "ALLOWED_TAGS",
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_URL_SCHEMES",
    "CLEAN_CONTENT_TAGS",
]

ALLOWED_TAGS: Set[str]
ALLOWED_ATTRIBUTES: Dict[str, Set[str]]
ALLOWED_URL_SCHEMES: Set[str]
CLEAN_CONTENT_TAGS: Set[str]

_UrlRelative = Union[
    Literal["pass_through", "deny"],
    Tuple[Literal["rewrite_with_base"], str],
    Tuple[Literal["rewrite_with_root"], str, str],
    Callable[[str], Optional[str]],
]

class PolicyError(ValueError):
    """A policy could not be built or read."""

    line: Optional[int]
    column: Optional[int]
    key: Optional[str]
    format: Optional[str]

class CleanError(ValueError):
    """An input could not be cleaned."""

    length: Optional[int]
    limit: Optional[int]
    offset: Optional[int]
    index: Optional[int]

_RemovalKind = Literal["element", "attribute", "url", "comment", "depth", "text"]
_RemovalReason = Literal[
    "not allowed",
    "dropped with content",
    "bad scheme",
    "relative url",
    "namespace",
    "too deep",
    "bad value",
    "structure",
    "output limit",
]

@final
class Removal:
    """One kind of thing removed from an input, with how often."""

    @property
    def kind(self) -> _RemovalKind: ...
    @property
    def name(self) -> str: ...
    @property
    def reason(self) -> _RemovalReason: ...
    @property
    def count(self) -> int: ...
    def __new__(cls, kind: _RemovalKind, name: str, reason: _RemovalReason, count: int) -> Removal: ...
    def to_dict(self) -> Dict[str, Union[str, int]]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Policy:
    """An immutable, validated sanitizing policy."""

    PRESETS: ClassVar[List[str]]
    def __new__(cls, config: Optional[Mapping[str, Any]] = None, /, **keys: Any) -> Policy: ...
    @staticmethod
    def comments() -> Policy: ...
    @staticmethod
    def basic() -> Policy: ...
    @staticmethod
    def relaxed() -> Policy: ...
    @staticmethod
    def text() -> Policy: ...
    @staticmethod
    def ammonia() -> Policy: ...
    @staticmethod
    def preset(name: str) -> Policy: ...
    @staticmethod
    def nh3() -> Policy: ...
    @staticmethod
    def from_toml(text: str) -> Policy: ...
    @staticmethod
    def from_json(text: str) -> Policy: ...
    @staticmethod
    def from_dict(config: Mapping[str, Any]) -> Policy: ...
    @staticmethod
    def from_notation(text: str) -> Policy: ...
    def to_notation(self) -> str: ...
    def to_toml(self) -> str: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def clean(self, html: str) -> str: ...
    def clean_with_report(self, html: str) -> Tuple[str, List[Removal]]: ...
    def clean_url(self, url: str) -> Optional[str]: ...
    def clean_many(self, htmls: Iterable[str], /, *, threads: Optional[int] = None) -> List[str]: ...
    @property
    def max_input_bytes(self) -> int: ...
    @property
    def max_depth(self) -> int: ...
    @property
    def link_rel(self) -> Optional[str]: ...
    @property
    def id_prefix(self) -> Optional[str]: ...
    @property
    def url_schemes(self) -> List[str]: ...
    @property
    def elements(self) -> Dict[str, List[str]]: ...
    @property
    def global_attributes(self) -> List[str]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __copy__(self) -> Policy: ...
    def __deepcopy__(self, memo: Any, /) -> Policy: ...

@final
class Cleaner:
    """A reusable sanitizer with nh3's keywords."""

    def __new__(
        cls,
        tags: Optional[AbstractSet[str]] = None,
        clean_content_tags: Optional[AbstractSet[str]] = None,
        attributes: Optional[Mapping[str, AbstractSet[str]]] = None,
        attribute_filter: Optional[Callable[[str, str, str], Optional[str]]] = None,
        strip_comments: bool = True,
        link_rel: Optional[str] = "noopener noreferrer",
        generic_attribute_prefixes: Optional[AbstractSet[str]] = None,
        tag_attribute_values: Optional[Mapping[str, Mapping[str, AbstractSet[str]]]] = None,
        set_tag_attribute_values: Optional[Mapping[str, Mapping[str, str]]] = None,
        url_schemes: Optional[AbstractSet[str]] = None,
        allowed_classes: Optional[Mapping[str, AbstractSet[str]]] = None,
        filter_style_properties: Optional[AbstractSet[str]] = None,
        url_relative: Optional[_UrlRelative] = None,
        id_prefix: Optional[str] = None,
    ) -> Cleaner: ...
    def clean(self, html: str) -> str: ...
    def clean_many(self, htmls: Iterable[str], /, *, threads: Optional[int] = None) -> List[str]: ...
    @property
    def policy(self) -> Policy: ...

def clean(
    html: str,
    tags: Optional[AbstractSet[str]] = None,
    clean_content_tags: Optional[AbstractSet[str]] = None,
    attributes: Optional[Mapping[str, AbstractSet[str]]] = None,
    attribute_filter: Optional[Callable[[str, str, str], Optional[str]]] = None,
    strip_comments: bool = True,
    link_rel: Optional[str] = "noopener noreferrer",
    generic_attribute_prefixes: Optional[AbstractSet[str]] = None,
    tag_attribute_values: Optional[Mapping[str, Mapping[str, AbstractSet[str]]]] = None,
    set_tag_attribute_values: Optional[Mapping[str, Mapping[str, str]]] = None,
    url_schemes: Optional[AbstractSet[str]] = None,
    allowed_classes: Optional[Mapping[str, AbstractSet[str]]] = None,
    filter_style_properties: Optional[AbstractSet[str]] = None,
    url_relative: Optional[_UrlRelative] = None,
    id_prefix: Optional[str] = None,
) -> str: ...
def clean_text(html: str, tags: Optional[AbstractSet[str]] = None) -> str: ...
def escape(html: str, tags: Optional[AbstractSet[str]] = None) -> str: ...
def is_html(html: str) -> bool: ...
def clean_many(
    htmls: Iterable[str],
    /,
    *,
    policy: Optional[Union[Policy, Cleaner]] = None,
    threads: Optional[int] = None,
) -> List[str]: ...
def clean_url(url: str, /, policy: Optional[Union[Policy, Cleaner]] = None) -> Optional[str]: ...
def escape_text(text: str) -> str: ...
def to_plain_text(html: str) -> str: ...
def _cleaner_from_policy(policy: Policy) -> Cleaner: ...
