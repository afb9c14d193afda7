"""How ``@cached_property`` is compiled (compiler/transform.py, _settle_cached_properties): in a
class body the decorator, named ``cached_property`` plainly or as ``functools.
cached_property``, goes through the hook that settles the method's value inside ``try`` bodies
before the property stores it (runtime/caches.cached_property); other decorators, and functions
outside class bodies, are left as written."""

from __future__ import annotations

import ast
import functools

from opportune.compiler.transform import transform
from opportune.runtime import caches


def _compiled(source: str) -> str:
    return ast.unparse(transform(ast.parse(source), filename="<cached_property>"))


def test_the_decorator_in_a_class_body_goes_through_the_hook() -> None:
    code = _compiled(
        "import functools\n"
        "from functools import cached_property\n"
        "class Doc:\n"
        "    @functools.cached_property\n"
        "    def answer(self):\n"
        "        return ask(self.q)\n"
        "    @cached_property\n"
        "    def summary(self):\n"
        "        return ask(self.q)\n"
        "    @property\n"
        "    def title(self):\n"
        "        return self.q\n")
    assert "@__opportune_cached_property__(functools.cached_property)" in code
    assert "@__opportune_cached_property__(cached_property)" in code
    assert "@property" in code


def test_a_function_outside_a_class_body_is_left_as_written() -> None:
    code = _compiled(
        "from functools import cached_property\n"
        "@cached_property\n"
        "def answer(self):\n"
        "    return 1\n")
    assert "__opportune_cached_property__" not in code


def test_the_hook_keeps_other_decorators_and_makes_a_real_cached_property() -> None:
    assert caches.cached_property(property) is property

    class Doc:
        calls = 0

        @caches.cached_property(functools.cached_property)
        def answer(self) -> str:
            """The answer."""
            Doc.calls += 1
            return "yes"

    d = Doc()
    assert type(vars(Doc)["answer"]) is functools.cached_property
    assert (d.answer, d.answer, Doc.calls) == ("yes", "yes", 1)
    assert vars(d) == {"answer": "yes"}
    assert Doc.answer.__doc__ == "The answer." and Doc.answer.attrname == "answer"
