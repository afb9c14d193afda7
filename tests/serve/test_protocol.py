from __future__ import annotations

import pytest

from opportune.runtime.context import CallInfo
from opportune.serve import (
    CALL_HEADER,
    PARENTS_HEADER,
    PROGRAM_HEADER,
    THREAD_HEADER,
    headers_for,
    identity_from_headers,
)
from opportune.serve.protocol import HeaderError


@pytest.mark.parametrize(
    ("info", "parents_header"),
    [
        (CallInfo("p1", 0, 0, ()), ""),
        (CallInfo("p1", 2, 7, (3,)), "3"),
        (CallInfo("run-9", 1, 12, (3, 7, 11)), "3,7,11"),
    ],
)
def test_headers_round_trip(info: CallInfo, parents_header: str) -> None:
    headers = headers_for(info)
    assert headers == {
        PROGRAM_HEADER: info.program_id,
        THREAD_HEADER: str(info.thread_id),
        CALL_HEADER: str(info.call_id),
        PARENTS_HEADER: parents_header,
    }
    ident = identity_from_headers(headers, fallback_call_id=99)
    assert (ident.program_id, ident.thread_id, ident.call_id, ident.parents, ident.anonymous) == (
        info.program_id,
        info.thread_id,
        info.call_id,
        info.parents,
        False,
    )


def test_request_without_headers_is_its_own_program() -> None:
    a = identity_from_headers({}, fallback_call_id=1)
    b = identity_from_headers({}, fallback_call_id=2)
    assert a.anonymous and b.anonymous and a.program_id != b.program_id
    assert (a.call_id, a.parents) == (1, ())


@pytest.mark.parametrize(
    ("headers", "names"),
    [
        ({PROGRAM_HEADER: "p", THREAD_HEADER: "one"}, THREAD_HEADER),
        ({PROGRAM_HEADER: "p", CALL_HEADER: "1.5"}, CALL_HEADER),
        ({PROGRAM_HEADER: "p", PARENTS_HEADER: "1;2"}, PARENTS_HEADER),
    ],
)
def test_malformed_headers_name_the_header(headers: dict[str, str], names: str) -> None:
    with pytest.raises(HeaderError, match=names):
        identity_from_headers(headers, fallback_call_id=0)
