"""Which parameters an external changes in place, read from its source, and what each call
then hands it (see ``externals._changed_parameters`` and ``changes_arguments``)."""

from __future__ import annotations

import functools
from typing import Any

from opportune.runtime.externals import _changed_parameters, changes_arguments, make_spec


def _appends(items: list[int], x: int) -> None:
    items.append(x)


def _tags_rows(rows: list[dict[str, str]], label: str) -> None:
    for i, row in enumerate(rows):
        row["label"] = f"{label}{i}"


def _through_alias(config: dict[str, Any]) -> None:
    limits = config["limits"]
    limits["a"] = 1


def _extends(items: list[int], more: list[int]) -> None:
    items += more


def _sets_attribute(*, obj: Any) -> None:
    setattr(obj, "seen", True)  # noqa: B010 - the setattr spelling is what is tested


def _spreads(*records: Any) -> None:
    for r in records:
        r.seen = True


def _reads_only(rows: list[dict[str, str]], query: str) -> list[str]:
    found = []
    for row in rows:
        if query in row["text"]:
            found.append(row["text"])
    copied = dict(rows[0])
    copied["text"] = "changed"
    return found


def _fills_defaults(url: str, **kwargs: Any) -> None:
    kwargs.setdefault("timeout", 5)
    options = kwargs
    options["retries"] = 2


def _changes_through_kwargs(**kwargs: Any) -> None:
    kwargs["into"].append(1)


def _counts(n: int) -> int:
    n += 1
    return n


def test_changes_made_to_parameters_are_found() -> None:
    assert _changed_parameters(_appends) == ((0, "items"),)
    assert _changed_parameters(_tags_rows) == ((0, "rows"),)
    assert _changed_parameters(_through_alias) == ((0, "config"),)
    assert _changed_parameters(_extends) == ((0, "items"),)
    assert _changed_parameters(_sets_attribute) == ((None, "obj"),)
    assert _changed_parameters(_spreads) == ((None, None),)


def test_reading_and_changing_fresh_objects_changes_no_parameter() -> None:
    assert _changed_parameters(_reads_only) == ()


def test_a_call_s_own_kwargs_dict_is_fresh_but_what_it_holds_is_the_caller_s() -> None:
    assert _changed_parameters(_fills_defaults) == ()
    assert _changed_parameters(_changes_through_kwargs) == ((None, None),)


def test_a_call_that_declares_changing_read_results_changes_no_argument() -> None:
    spec = make_spec(_appends, writes=("rows",), changes_read_results=True)
    assert spec.changed_params == ()


def test_a_call_waits_only_when_it_hands_over_something_changeable() -> None:
    counts = make_spec(_counts)
    assert counts.changed_params == ((0, "n"),)
    assert not changes_arguments(counts, (1,), {})  # an int cannot be changed in place
    appends = make_spec(_appends)
    assert changes_arguments(appends, ([],), {"x": 1})
    assert changes_arguments(appends, (), {"items": [], "x": 1})
    assert not changes_arguments(appends, (), {"x": 1})
    spreads = make_spec(_spreads)
    assert not changes_arguments(spreads, ("a", 1), {})
    assert changes_arguments(spreads, ("a", object()), {})


def test_a_declared_mutates_replaces_what_the_source_says() -> None:
    assert make_spec(_appends, mutates=False).changed_params == ()
    assert not changes_arguments(make_spec(_appends, mutates=False), ([],), {"x": 1})
    assert changes_arguments(make_spec(_reads_only, mutates=True), ("q",), {})


def _retrying(fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


@_retrying
def _wrapped_appends(items: list[int], x: int) -> None:
    items.append(x)


def test_a_wrapped_external_is_read_with_the_wrapped_function_s_parameters() -> None:
    spec = make_spec(_wrapped_appends)
    assert spec.changed_params == ((0, "items"),)
    assert not spec.changes_program_state  # ``items`` is a parameter, not module state
