"""``if C: continue`` in a loop: the rest of the body becomes the ``if``'s other arm.

The commonest filter loop skips what it does not want::

    for q in questions:
        kind = classify(q)
        if kind == "other":
            continue
        print(q, kind)
        hits.append(q)

An arm that ends with ``continue`` leaves the code around it, so the ``if`` could not be
deferred (``deferral._escapes``), and every iteration waited for its answer. Yet when the
``continue`` stands at the *tail* of the loop body (nothing of the body runs after the
statement the ``if`` sits in, but through its arms), jumping to the next iteration and falling
off the end of the body are the same thing. This module rewrites such an ``if``, before any
other pass sees the function, into the equivalent::

    if kind == "other":
        pass
    else:
        print(q, kind)
        hits.append(q)

an ordinary ``if`` whose arms change the function's own lists or print, deferred as any
other (compiler/arm_objects.py). The same goes for ``if not C: continue``, an ``else`` arm
that ends with ``continue`` (the rest then joins the ``if`` arm), guards in a row (each
rest, with its own guards, becomes the previous one's arm) and ``elif`` chains.

Equivalent by construction: the tail is followed only through the statement lists of the
loop body and of ``if`` arms, never into a ``try``, a ``with`` or a nested loop, so each moved
statement still runs exactly when it ran before, in the same loop, under the same handlers
(none: the walk does not enter ``try`` or ``with``), with the same ``else`` of the loop
(``continue`` never skips it). An ``if`` both of whose arms end with ``continue`` is left as
written (what follows it never runs; moving it nowhere would change which names are local).
``break`` is not touched: it decides whether later iterations happen at all, so the
program must know it before going on.

Each rewrite is kept only when the ``if`` it makes will be deferred
(``_Rewriter._continues_as_branches``): otherwise the loop body is put back as written, so
``--explain`` still names the wait it had, and a loop whose condition can never be pending
(``if i % 3 == 0: continue`` over ``range``) keeps its inline code.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

_LOOPS = (ast.For, ast.While)


@dataclass
class Rewritten:
    """A loop whose body :func:`rewrite` replaced, and the ``if`` statements it made, each
    with the program's own ``if`` it stands for."""

    loop: ast.For | ast.While
    original: list[ast.stmt]  # the body as written, to put back
    made: list[tuple[ast.If, ast.If]]  # (the new ``if``, the program's ``if``)


def rewrite(fn: ast.FunctionDef | ast.Module,
            allowed: Callable[[ast.If], bool]) -> list[Rewritten]:
    """Rewrite the loops of ``fn``'s own code (a function's or a module's, outside every
    ``try`` and ``with``), taking only the program's ``if`` statements ``allowed`` accepts;
    returns what was rewritten. The program's statements are moved, never changed, so
    :func:`revert` puts them back."""
    done: list[Rewritten] = []

    def walk(stmts: list[ast.stmt]) -> None:
        for s in stmts:
            if isinstance(s, _LOOPS):
                made: list[tuple[ast.If, ast.If]] = []
                body = _tail(s.body, allowed, made)
                if made:
                    done.append(Rewritten(s, s.body, made))
                    s.body = body
                walk(s.body)
                walk(s.orelse)
            elif isinstance(s, ast.If):
                walk(s.body)
                walk(s.orelse)

    walk(fn.body)
    return done


def revert(done: list[Rewritten]) -> None:
    """Put every rewritten loop body back as written."""
    for r in reversed(done):
        r.loop.body = r.original


def _ends_in_continue(stmts: list[ast.stmt]) -> bool:
    return bool(stmts) and isinstance(stmts[-1], ast.Continue)


def _tail(stmts: list[ast.stmt], allowed: Callable[[ast.If], bool],
          made: list[tuple[ast.If, ast.If]]) -> list[ast.stmt]:
    """``stmts``, at the tail of a loop body, with the first qualifying ``if`` that ends an
    arm with ``continue`` holding what follows it in its other arm; the lists are new, the
    program's statements are not changed."""
    for i, s in enumerate(stmts):
        if not isinstance(s, ast.If):
            continue
        rest = stmts[i + 1:]
        skips, other = _ends_in_continue(s.body), _ends_in_continue(s.orelse)
        if skips and other:
            return stmts  # what follows never runs: left as written
        if (skips or other) and allowed(s):
            if skips:
                body = _tail(s.body[:-1], allowed, made) or [_pass(s.body[-1])]
                orelse = _tail([*s.orelse, *rest], allowed, made)
            else:
                body = _tail([*s.body, *rest], allowed, made)
                orelse = _tail(s.orelse[:-1], allowed, made) or [_pass(s.orelse[-1])]
            new = ast.copy_location(ast.If(s.test, body, orelse), s)
            made.append((new, s))
            return [*stmts[:i], new]
        if not rest:  # the last statement: its arms are the tail too
            body = _tail(s.body, allowed, made)
            orelse = _tail(s.orelse, allowed, made)
            if body is not s.body or orelse is not s.orelse:
                return [*stmts[:i], ast.copy_location(ast.If(s.test, body, orelse), s)]
    return stmts


def _pass(where: ast.stmt) -> ast.Pass:
    return ast.copy_location(ast.Pass(), where)
