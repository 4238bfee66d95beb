"""The examples in borax's docstrings (what help() shows) run and hold."""

import doctest
import inspect
import sys

import pytest

import borax


def documented():
    objs = [("borax", borax)]
    for name in borax.__all__:
        obj = getattr(borax, name)
        if callable(obj):
            objs.append((name, obj))
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if not attr.startswith("_") and getattr(member, "__doc__", None):
                    objs.append((f"{name}.{attr}", member))
    return [(n, o) for n, o in objs if ">>>" in (getattr(o, "__doc__", "") or "")]


@pytest.mark.parametrize("name,obj", documented(), ids=[n for n, _ in documented()])
def test_docstring_examples(name, obj):
    test = doctest.DocTestParser().get_doctest(obj.__doc__, {"borax": borax, "Policy": borax.Policy}, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} failing example(s) in {name}'s docstring (run pytest -s to see them)"


def test_enough_documented_examples():
    names = {n for n, _ in documented()}
    for must in ["borax", "clean", "Cleaner", "clean_text", "escape", "is_html", "clean_many", "Policy", "clean_url"]:
        assert must in names, must


def test_help_reads_well():
    sig = borax.clean.__text_signature__
    assert 'link_rel="noopener noreferrer"' in sig or "link_rel='noopener noreferrer'" in str(inspect.signature(borax.clean))
    assert "tags=None" in str(inspect.signature(borax.clean))
    if sys.version_info >= (3, 10):  # abi3 classes carry no signature before 3.10
        assert str(inspect.signature(borax.Cleaner)).startswith("(tags=None, clean_content_tags=None")
    for name in borax.__all__:
        obj = getattr(borax, name)
        if callable(obj):
            assert obj.__doc__ and len(obj.__doc__) > 40, name
