
"""Names a ``try`` or ``with`` body rebinds after a call that turns out to have failed are put back.

Plain Python stops a ``try`` body at the call that raises, so nothing after it runs. Under
opportune the call runs concurrently and the body goes on; its failure is met later (at the
latest when the body ends), and whoever sees the names next must see them as they were when
the call was issued: ``b = llm(2)`` or ``n += 1`` after a failing ``llm(1)`` never happened.
Whoever sees them next: a handler of the ``try``, its ``finally`` when no handler caught the
failure (and so whoever catches it later), and the code right after a ``with`` whose manager
suppressed it (``contextlib.suppress``, a manager of the program's own).

Each statement of the body that binds names first copies their old values into
temporaries; right after the binding, and only while a call issued in the body is unfinished
or failed, the old values are journaled, so the journal entry's place in program order follows
the calls that computed the new value (``x = fail()`` is put back too), and the temporaries are
deleted. A body whose calls have all succeeded pays one check per binding. ``:=`` is journaled
at the binding itself, every time it binds (a comprehension binds once per item), through
``__opportune_rebound__``, which reads the old value with a ``lambda``. Each handler of the
``try`` starts by restoring the names bound after the failing call (``__opportune_rollback__``);
a ``finally`` starts, and the code after a ``with`` goes on, with ``__opportune_restore__``,
which finds names to put back only when the body was left by the failure of a call issued in
it and no handler took it. Entries journaled after the failure was met (by a handler or a
``finally`` inside the body) are not put back: plain Python ran them too. Loop and ``with``
targets are bound through a temporary so their rebinding is kept too. Not covered: names
bound by ``import``, ``def``, ``del`` or an inner ``except ... as`` inside the body, a global
a called function rebinds, and bodies in class bodies.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from opportune.compiler import traversal

JOURNAL = "__opportune_journal__"
KEEP = "__opportune_keep__"
ROLLBACK = "__opportune_rollback__"
RESTORE = "__opportune_restore__"
UNBOUND = "__opportune_unbound__"
REBOUND = "__opportune_rebound__"


def _internal(name: str) -> bool:
    return name.startswith("__opp")


def _target_names(target: ast.expr) -> list[str]:
    return [n.id for n in traversal.nodes(target)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and not _internal(n.id)]


def _walrus(*exprs: ast.AST | None) -> list[ast.NamedExpr]:
    """The ``:=`` in ``exprs``, comprehensions included (they bind in the enclosing scope),
    lambdas excluded (a scope of their own)."""
    found: list[ast.NamedExpr] = []
    stack = [e for e in exprs if e is not None]
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Lambda):
            continue
        if isinstance(n, ast.NamedExpr) and not _internal(n.target.id):
            found.append(n)
        stack.extend(traversal.children(n))
    return found


def _bound_by(stmt: ast.stmt) -> list[str]:
    """The names a simple statement binds (``:=`` aside)."""
    if isinstance(stmt, ast.Assign):
        return [n for t in stmt.targets for n in _target_names(t)]
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) and isinstance(stmt.target, ast.Name) \
            and not _internal(stmt.target.id) \
            and (not isinstance(stmt, ast.AnnAssign) or stmt.value is not None):
        return [stmt.target.id]
    return []


def _headers(stmt: ast.stmt) -> list[ast.AST]:
    """The expressions a statement evaluates itself, not those of the statements it holds."""
    if isinstance(stmt, (ast.If, ast.While)):
        return [stmt.test]
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return [stmt.iter]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [i.context_expr for i in stmt.items]
    if isinstance(stmt, ast.Match):
        return [stmt.subject, *(c.guard for c in stmt.cases if c.guard is not None)]
    if isinstance(stmt, (ast.Try, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return []
    return [stmt]


def _old_values(names: list[str], temps: list[str]) -> list[ast.stmt]:
    """``tmp = name`` (the unbound marker when it has no value) for each name."""
    return [ast.Try(
        body=[ast.Assign([ast.Name(tmp, ast.Store())], ast.Name(name, ast.Load()))],
        handlers=[ast.ExceptHandler(
            ast.Name("NameError", ast.Load()), None,
            [ast.Assign([ast.Name(tmp, ast.Store())], ast.Name(UNBOUND, ast.Load()))])],
        orelse=[], finalbody=[]) for name, tmp in zip(names, temps)]


def _kept(mark: str, names: list[str], temps: list[str]) -> list[ast.stmt]:
    """``if journal(mark): keep(mark, "n", tmp)`` for each name, then forget the temps: run
    right after the binding, so the entry's place in program order follows the calls that
    computed the new value (a failure of one of them puts the old value back)."""
    keeps: list[ast.stmt] = [
        ast.Expr(ast.Call(ast.Name(KEEP, ast.Load()),
                          [ast.Name(mark, ast.Load()), ast.Constant(name),
                           ast.Name(tmp, ast.Load())], []))
        for name, tmp in zip(names, temps)]
    check = ast.Call(ast.Name(JOURNAL, ast.Load()), [ast.Name(mark, ast.Load())], [])
    return [ast.If(check, keeps, []),
            ast.Delete([ast.Name(tmp, ast.Del()) for tmp in temps])]


class _Journaler:
    def __init__(self, mark: str, counter: Iterator[int]) -> None:
        self.mark = mark
        self.counter = counter
        self.names: list[str] = []
        self.temps: list[str] = []  # an exception in a binding statement leaves its own

    def block(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in stmts:
            out += self.statement(stmt)
        return out

    def _add(self, names: list[str]) -> None:
        for n in names:
            if n not in self.names:
                self.names.append(n)

    def _note(self, names: list[str]) -> tuple[list[ast.stmt], list[ast.stmt]]:
        """(before, after): keep the old values of ``names`` before a binding, journal them
        after it."""
        names = list(dict.fromkeys(names))
        if not names:
            return [], []
        self._add(names)
        temps = [f"__opp_v{next(self.counter)}" for _ in names]
        self.temps += temps
        return _old_values(names, temps), _kept(self.mark, names, temps)

    def _journal_walrus(self, stmt: ast.stmt) -> None:
        """``(n := v)`` becomes ``(n := rebound(mark, "n", v, lambda: n))``: the old value is
        journaled at the binding itself, each time it happens (a comprehension binds once per
        item), after the calls that computed ``v``."""
        for walrus in _walrus(*_headers(stmt)):
            name = walrus.target.id
            self._add([name])
            old = ast.Lambda(ast.arguments([], [], None, [], [], None, []),
                             ast.Name(name, ast.Load()))
            walrus.value = ast.Call(ast.Name(REBOUND, ast.Load()),
                                    [ast.Name(self.mark, ast.Load()), ast.Constant(name),
                                     walrus.value, old], [])

    def statement(self, stmt: ast.stmt) -> list[ast.stmt]:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return [stmt]  # a scope of its own; the name it binds is not tracked
        self._journal_walrus(stmt)
        before, after = self._note(_bound_by(stmt))
        if before:
            return [*before, stmt, *after]
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            names = _target_names(stmt.target)
            if names:
                tmp = f"__opp_t{next(self.counter)}"
                self.temps.append(tmp)
                bind = ast.Assign([stmt.target], ast.Name(tmp, ast.Load()))
                stmt.target = ast.Name(tmp, ast.Store())
                stmt.body = [*self.statement(bind), ast.Delete([ast.Name(tmp, ast.Del())]),
                             *self.block(stmt.body)]
            else:
                stmt.body = self.block(stmt.body)
            stmt.orelse = self.block(stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            binds: list[ast.stmt] = []
            for item in stmt.items:
                if item.optional_vars is not None and _target_names(item.optional_vars):
                    tmp = f"__opp_w{next(self.counter)}"
                    self.temps.append(tmp)
                    binds += [*self.statement(ast.Assign([item.optional_vars],
                                                         ast.Name(tmp, ast.Load()))),
                              ast.Delete([ast.Name(tmp, ast.Del())])]
                    item.optional_vars = ast.Name(tmp, ast.Store())
            stmt.body = [*binds, *self.block(stmt.body)]
        elif isinstance(stmt, (ast.If, ast.While)):
            stmt.body = self.block(stmt.body)
            stmt.orelse = self.block(stmt.orelse)
        elif isinstance(stmt, (ast.Try, ast.TryStar)):
            done = getattr(stmt, "opp_journaled", None)
            if done is None:
                stmt.body = self.block(stmt.body)
            else:
                # its body journals under the same mark at run time (transform.visit_Try)
                self._add(done)
            for h in stmt.handlers:
                h.body = self.block(h.body)
            stmt.orelse = self.block(stmt.orelse)
            stmt.finalbody = self.block(stmt.finalbody)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                case.body = self.block(case.body)
        return [stmt]


def journal_body(body: list[ast.stmt], mark: str, counter: Iterator[int]
                 ) -> tuple[list[ast.stmt], list[str], list[str]]:
    """The body with its name bindings journaled, the names it may rebind, and the
    temporaries it binds (one an exception interrupts stays bound: at module level the
    caller forgets them)."""
    j = _Journaler(mark, counter)
    new = j.block(body)
    return new, j.names, j.temps


def restore(mark: str, names: list[str], counter: Iterator[int], hook: str = ROLLBACK
            ) -> list[ast.stmt]:
    """Statements that put back the names bound after the failed call: opening a handler
    (``hook`` ROLLBACK), or (RESTORE) right after a ``with`` whose manager suppressed the
    failure and opening a ``finally``."""
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
    call = ast.Call(ast.Name(hook, ast.Load()), [ast.Name(mark, ast.Load())], [])
    return [ast.Assign([ast.Name(saved, ast.Store())], call),
            ast.If(ast.Name(saved, ast.Load()), sets, []),
            ast.Delete([ast.Name(saved, ast.Del())])]
