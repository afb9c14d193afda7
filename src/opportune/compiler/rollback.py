
"""Names a ``try`` body rebinds after a call that turns out to have failed are put back.

Plain Python stops a ``try`` body at the call that raises, so nothing after it runs. Under
opportune the call runs concurrently and the body goes on; its failure is met later (at the
latest when the body ends), and the handler must then see every name as it was when the call
was issued: ``b = llm(2)`` or ``n += 1`` after a failing ``llm(1)`` never happened.

Before each statement of the body that binds names, the compiled code keeps the names' old
values, but only while a call issued in the body is unfinished or failed, so a body whose calls
have all succeeded pays one check per binding. Each handler of the ``try`` starts by restoring
the names bound after the failing call. Loop and ``with`` targets are bound through a temporary
so their rebinding is kept too. Not covered: names bound by ``:=``, ``import``, ``def`` or an
inner ``except ... as`` inside the body, and a ``try`` without handlers (its ``finally`` sees the
later values).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from opportune.compiler import traversal

JOURNAL = "__opportune_journal__"
KEEP = "__opportune_keep__"
ROLLBACK = "__opportune_rollback__"
UNBOUND = "__opportune_unbound__"


def _internal(name: str) -> bool:
    return name.startswith("__opp")


def _target_names(target: ast.expr) -> list[str]:
    return [n.id for n in traversal.nodes(target)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and not _internal(n.id)]


def _bound_by(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [n for t in stmt.targets for n in _target_names(t)]
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) and isinstance(stmt.target, ast.Name) \
            and not _internal(stmt.target.id) \
            and (not isinstance(stmt, ast.AnnAssign) or stmt.value is not None):
        return [stmt.target.id]
    return []


def _keep(mark: str, names: list[str], counter: Iterator[int]) -> list[ast.stmt]:
    """``if journal(mark): keep(mark, "n", n or UNBOUND)`` for each name."""
    body: list[ast.stmt] = []
    for name in dict.fromkeys(names):
        tmp = f"__opp_v{next(counter)}"
        body += [
            ast.Try(
                body=[ast.Assign([ast.Name(tmp, ast.Store())], ast.Name(name, ast.Load()))],
                handlers=[ast.ExceptHandler(
                    ast.Name("NameError", ast.Load()), None,
                    [ast.Assign([ast.Name(tmp, ast.Store())], ast.Name(UNBOUND, ast.Load()))])],
                orelse=[], finalbody=[]),
            ast.Expr(ast.Call(ast.Name(KEEP, ast.Load()),
                              [ast.Name(mark, ast.Load()), ast.Constant(name),
                               ast.Name(tmp, ast.Load())], [])),
        ]
    if not body:
        return []
    check = ast.Call(ast.Name(JOURNAL, ast.Load()), [ast.Name(mark, ast.Load())], [])
    return [ast.If(check, body, [])]


class _Journaler:
    def __init__(self, mark: str, counter: Iterator[int]) -> None:
        self.mark = mark
        self.counter = counter
        self.names: list[str] = []

    def block(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in stmts:
            out += self.statement(stmt)
        return out

    def _note(self, names: list[str]) -> list[ast.stmt]:
        for n in names:
            if n not in self.names:
                self.names.append(n)
        return _keep(self.mark, names, self.counter)

    def statement(self, stmt: ast.stmt) -> list[ast.stmt]:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return [stmt]  # a scope of its own; the name it binds is not tracked
        before = self._note(_bound_by(stmt))
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            names = _target_names(stmt.target)
            if names:
                tmp = f"__opp_t{next(self.counter)}"
                bind = ast.Assign([stmt.target], ast.Name(tmp, ast.Load()))
                stmt.target = ast.Name(tmp, ast.Store())
                stmt.body = [*self._note(names), bind, *self.block(stmt.body)]
            else:
                stmt.body = self.block(stmt.body)
            stmt.orelse = self.block(stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            binds: list[ast.stmt] = []
            for item in stmt.items:
                if item.optional_vars is not None and _target_names(item.optional_vars):
                    tmp = f"__opp_w{next(self.counter)}"
                    binds += [*self._note(_target_names(item.optional_vars)),
                              ast.Assign([item.optional_vars], ast.Name(tmp, ast.Load()))]
                    item.optional_vars = ast.Name(tmp, ast.Store())
            stmt.body = [*binds, *self.block(stmt.body)]
        elif isinstance(stmt, (ast.If, ast.While)):
            stmt.body = self.block(stmt.body)
            stmt.orelse = self.block(stmt.orelse)
        elif isinstance(stmt, (ast.Try, ast.TryStar)):
            stmt.body = self.block(stmt.body)
            for h in stmt.handlers:
                h.body = self.block(h.body)
            stmt.orelse = self.block(stmt.orelse)
            stmt.finalbody = self.block(stmt.finalbody)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                case.body = self.block(case.body)
        return [*before, stmt]


def journal_body(body: list[ast.stmt], mark: str, counter: Iterator[int]
                 ) -> tuple[list[ast.stmt], list[str]]:
    """The body with its name bindings journaled, and the names it may rebind."""
    j = _Journaler(mark, counter)
    new = j.block(body)
    return new, j.names


def restore(mark: str, names: list[str], counter: Iterator[int]) -> list[ast.stmt]:
    """Statements that open a handler: put back the names bound after the failed call."""
    if not names:
        return []
    saved = f"__opp_rb{next(counter)}"
    sets: list[ast.stmt] = []
    for name in names:
        value = ast.Subscript(ast.Name(saved, ast.Load()), ast.Constant(name), ast.Load())
        sets.append(ast.If(
            ast.Compare(ast.Constant(name), [ast.In()], [ast.Name(saved, ast.Load())]),
            [ast.If(
                ast.Compare(value, [ast.Is()], [ast.Name(UNBOUND, ast.Load())]),
                [ast.Delete([ast.Name(name, ast.Del())])],
                [ast.Assign([ast.Name(name, ast.Store())], value)],
            )],
            [],
        ))
    call = ast.Call(ast.Name(ROLLBACK, ast.Load()), [ast.Name(mark, ast.Load())], [])
    return [ast.Assign([ast.Name(saved, ast.Store())], call),
            ast.If(ast.Name(saved, ast.Load()), sets, [])]
