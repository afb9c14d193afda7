"""Compiling module-level code in stages, so that compiling the rest overlaps the first calls.

Compiling a program for opportune takes tens of times longer than Python's own ``compile``:
about 40 ms of CPU for 13 KB of source. A program compiled as a whole pays all of it before its
first call is issued; a program whose first call is an LLM question waiting a second or more
could have compiled most of itself while waiting.

So a long program is compiled in stages. A program of :data:`DEFAULT_PROGRAM_LINES` lines or more (``OPPORTUNE_STAGE_LINES``)
is cut after the first statement that calls a name (``todo = get_webpage(url)``, ``model = query_ai_assistant(...)``) when at least
:data:`MIN_TAIL_LINES` lines follow it in the same statement list; the statements after the cut
are left as source (their syntax tree) and replaced by one statement::

    __opportune_exec__(__opportune_stage__(7), __opportune_globals__())

which, when the program reaches it, takes the compiled code of stage 7 (compiling it now if it is
not ready yet) and runs it in the same globals: module-level code reads and binds its names in the
module's dictionary, so a statement runs the same whether it was compiled with the code before it
or on its own. Each stage is cut the same way when it is compiled. Once a stage has compiled, the
stages it cut off are compiled in order on a background thread, which gets the processor whenever
the program waits for a call; the program compiles a stage itself when it reaches it first.

Where a cut may stand, so that every stage compiles exactly as it would have inside the whole:

* the statement list is the module's body or an arm of an ``if`` reached only through such arms
  (never a loop, ``try``, ``with``, ``match``, class or function body): these run at most once,
  and no journal, settling ``try`` or scope spans the cut;
* an ``if`` whose arms are if-converted (compiler/branches.py) is not cut; one whose arms are
  deferred (compiler/deferral.py) decides that, and the names of its arms, from the whole arms
  before they are cut. Its arms run with the captured names as their globals
  (``runtime/deferral._ModuleArm``), the same dictionary ``__opportune_globals__()`` hands the
  stage, and a stage compiled there removes its helper names from it as module code does;
* each stage numbers its helper names from its first line and column, so no two stages (nor the
  code around them) share one.

Errors Python's compiler finds after parsing (``break`` outside a loop, ``nonlocal`` at module
level...) must stop the program before any of it runs, as they do when the whole compiles at
once: a program is staged only after its original tree compiled with plain ``compile``.

The stages of one run live in a :class:`Stages` group, which the caller closes when the program
has ended (stages never reached are dropped, not compiled).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import itertools
import os
import threading
import types
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from opportune.compiler import traversal

STAGE = "__opportune_stage__"
EXEC = "__opportune_exec__"
GLOBALS = "__opportune_globals__"
_TRY_PART = "_opportune_try_part"  # compiler/tries.PART (tries imports nothing from here)
MIN_TAIL_LINES = 15  # a shorter tail compiles in less time than a stage costs to run
ENV_LINES = "OPPORTUNE_STAGE_LINES"
# Programs shorter than this compile whole: a stage costs a little more CPU in all (checking
# the program with ``compile`` first, compiling each stage on its own), and a program of a few
# dozen lines compiles in 2-5 ms, too little to win back. ``OPPORTUNE_STAGE_LINES`` overrides
# it; 0 turns staging off.
DEFAULT_PROGRAM_LINES = 100


def min_program_lines() -> int | None:
    """The length from which a program is compiled in stages, or None: never."""
    configured = os.environ.get(ENV_LINES, "").strip()
    if not configured:
        return DEFAULT_PROGRAM_LINES
    try:
        lines = int(configured)
    except ValueError:
        raise ValueError(
            f"{ENV_LINES}={configured!r}: give a number of lines (0 turns staging off)"
        ) from None
    return lines if lines > 0 else None

_BUILTIN_NAMES = frozenset(dir(builtins))
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
STAGEABLE = "_opp_stageable"  # set on an ``if`` whose arms may be cut


@dataclass(eq=False)
class Stage:
    """The statements after one cut, and their code once compiled."""

    token: int
    body: list[ast.stmt]
    depth: int  # deferred statements around the cut (compiler/transform.py's _deferred_depth)
    group: Stages
    code: types.CodeType | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def first_line(self) -> int:
        return self.body[0].lineno

    @property
    def numbers_from(self) -> int:
        """Where the stage's helper names are numbered from: its first line and column, far
        above what the code before it uses."""
        first = self.body[0]
        return (first.lineno * 1000 + first.col_offset) * 1_000_000

    def compiled(self, by_program: bool = True) -> types.CodeType | None:
        """The stage's code, compiled now if needed. The background thread does not wait for
        a stage the program is compiling (``by_program=False`` returns None then)."""
        if self.code is not None:
            return self.code
        if not self.lock.acquire(blocking=by_program):
            return None
        try:
            if self.code is None:
                self.code = self.group.compile_stage(self)
                self.group.record(self, "program" if by_program else "ahead")
            return self.code
        finally:
            self.lock.release()


_registry: dict[int, Stage] = {}
_tokens = itertools.count(1)
# (first line of the stage, "program" or "ahead"), in the order stages compiled; tests
# read it to see which stage compiled when. Bounded: only the latest runs are kept.
events: list[tuple[int, str]] = []
_MAX_EVENTS = 1000
listeners: list[Callable[[int, str], None]] = []


def issues_call(stmt: ast.stmt) -> bool:
    """Whether ``stmt`` calls a name that is not a builtin, outside the functions, lambdas and
    classes it defines: the calls that may be an external's (``len``, ``str.strip`` are not)."""
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id not in _BUILTIN_NAMES:
            return True
        if isinstance(node, _SCOPES) and node is not stmt:
            continue
        if isinstance(node, _SCOPES):
            # a definition's decorators and defaults run where it stands; its body does not
            stack.extend(getattr(node, "decorator_list", []))
            args = getattr(node, "args", None)
            if args is not None:
                stack.extend(args.defaults)
                stack.extend(d for d in args.kw_defaults if d is not None)
            stack.extend(getattr(node, "bases", []))
            continue
        stack.extend(traversal.children(node))  # contexts and operators hold no call
    return False


class Stages:
    """The stages of one compiled program (one run), and those still to compile."""

    def __init__(self, filename: str, explicit_super: bool,
                 compile_tree: Callable[[ast.Module, Stage], types.CodeType]) -> None:
        self.filename = filename
        self.explicit_super = explicit_super
        self._compile_tree = compile_tree
        self._queue: list[Stage] = []  # cut off, not compiled yet: the earliest first
        self._lock = threading.Lock()
        self._closed = False
        self.tokens: list[int] = []
        self.owner = threading.get_ident()  # the thread that ran the latest stage
        # the names the whole program's functions and lambdas load, set before the first stage
        # is rewritten: a stage's top-level stores must tell the readers about a name that a
        # function defined in an earlier stage loads (compiler/changes.tell_module_stores)
        self.function_reads: frozenset[str] = frozenset()
        # the program's names deferred arms may change, found on the whole program before it
        # is cut (compiler/arm_objects.module_objects): a later stage reads them too
        self.arm_objects: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None

    # -- cutting, while a stage (or the first) is being rewritten ------------------------------

    def cut(self, stmts: list[ast.stmt], depth: int) -> tuple[list[ast.stmt], Stage | None]:
        """``stmts`` up to and including the first statement that issues a call, and the stage
        of the rest; ``(stmts, None)`` when nothing is worth cutting off. The ``if`` statements
        kept are marked as cuttable in turn (see the module docstring)."""
        for i, stmt in enumerate(stmts):
            if isinstance(stmt, ast.If):
                setattr(stmt, STAGEABLE, True)
            if not issues_call(stmt):
                continue
            # the statements a ``try`` turned into a branch became (compiler/tries.py) stay
            # together: the body's mark, the body and the branch on its outcome
            while i + 1 < len(stmts) and getattr(stmts[i + 1], _TRY_PART, False):
                i += 1
            stmt = stmts[i]
            tail = stmts[i + 1:]
            if not tail or tail[0].lineno <= (stmt.end_lineno or stmt.lineno):
                return stmts, None
            last = tail[-1]
            if (last.end_lineno or last.lineno) - tail[0].lineno + 1 < MIN_TAIL_LINES:
                return stmts, None
            stage = Stage(next(_tokens), tail, depth, self)
            self.tokens.append(stage.token)
            _registry[stage.token] = stage
            return stmts[:i + 1], stage
        return stmts, None

    @staticmethod
    def placeholder(stage: Stage) -> ast.stmt:
        """The statement that runs ``stage`` where it was cut off, located at its first line."""
        call = ast.Call(ast.Name(EXEC, ast.Load()), [
            ast.Call(ast.Name(STAGE, ast.Load()), [ast.Constant(stage.token)], []),
            ast.Call(ast.Name(GLOBALS, ast.Load()), [], []),
        ], [])
        stmt = ast.Expr(call)
        first = stage.body[0]
        for node in ast.walk(stmt):
            if "lineno" in node._attributes:
                node.lineno, node.col_offset = first.lineno, first.col_offset  # type: ignore[attr-defined]
                node.end_lineno, node.end_col_offset = first.lineno, first.col_offset  # type: ignore[attr-defined]
        return stmt

    # -- compiling ----------------------------------------------------------------------------

    def compile_stage(self, stage: Stage) -> types.CodeType:
        before = len(self.tokens)
        code = self._compile_tree(ast.Module(body=stage.body, type_ignores=[]), stage)
        self._schedule([_registry[t] for t in self.tokens[before:] if t in _registry])
        return code

    def record(self, stage: Stage, who: str) -> None:
        events.append((stage.first_line, who))
        del events[:-_MAX_EVENTS]
        for listener in tuple(listeners):  # one may remove itself
            listener(stage.first_line, who)

    def start(self) -> None:
        """Offer the stages cut off so far to be compiled ahead (called once the first stage
        has compiled)."""
        self._schedule([_registry[t] for t in self.tokens if t in _registry])

    def _schedule(self, stages: list[Stage]) -> None:
        if not stages:
            return
        with self._lock:
            if self._closed:
                return
            self._queue.extend(stages)
            self._queue.sort(key=lambda s: (s.first_line, s.body[0].col_offset))

    # -- the runtime's idle work (Runtime.idle_work): a thread about to wait compiles ahead ------

    def ready(self) -> bool:
        """Whether a stage is waiting to be compiled ahead and the thread asking is the one
        that ran the latest stage (read without the lock: a stale answer only costs one more
        look). Only that thread: the stages ahead are its code, and it waits for a call's
        result while no code of the program runs. Another thread waiting, say at the end of
        the program for a deferred arm that is running, would take the processor from it."""
        return bool(self._queue) and threading.get_ident() == self.owner

    def run_one(self) -> None:
        """Compile the earliest stage not compiled yet, unless another thread is at it."""
        with self._lock:
            while self._queue and self._queue[0].code is not None:
                del self._queue[0]  # the program got there first
            if self._closed or not self._queue:
                return
            stage = self._queue.pop(0)
        # on an error the program compiles the stage itself when it gets there, and meets it
        with contextlib.suppress(Exception):
            stage.compiled(by_program=False)

    def close(self) -> None:
        """The program has ended: drop the stages (those never reached are not compiled)."""
        with self._lock:
            self._closed = True
            self._queue.clear()
        for token in self.tokens:
            _registry.pop(token, None)


def names_functions_load(tree: ast.Module, source: str | bytes | None = None) -> frozenset[str]:
    """The names loaded inside the functions and lambdas of ``tree`` (a stage rewrites only its
    own statements, so the names of the functions before it come from here). ``source``, the
    text ``tree`` was parsed from: without ``def`` or ``lambda`` in it, the tree holds no
    function to walk, and is not walked (most long programs an LLM writes define none)."""
    if source is not None:
        if isinstance(source, bytes):  # a source encoding Python reads keeps ASCII as ASCII
            defines = b"def" in source or b"lambda" in source
        else:
            defines = "def" in source or "lambda" in source
        if not defines:
            return frozenset()
    names: set[str] = set()
    functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    for node in traversal.nodes_within([tree], functions):
        if isinstance(node, functions):
            names.update(n.id for n in traversal.nodes(node)
                         if type(n) is ast.Name and type(n.ctx) is ast.Load)
    return frozenset(names)


# The code of the stages run so far: a traceback shows a stage's frame in place of the frame
# of the module code that ran it (runtime/tracebacks.py), as plain Python ran it there.
STAGE_CODES: weakref.WeakSet[types.CodeType] = weakref.WeakSet()


def stage_code(token: int) -> types.CodeType:
    """The hook ``__opportune_stage__``: the compiled code of a stage, compiled now when the
    background thread has not got to it yet."""
    stage = _registry.get(token)
    if stage is None:
        raise RuntimeError(
            f"opportune: stage {token} of this program is gone (its run has ended); module code "
            "compiled in stages runs once, inside the run that compiled it")
    stage.group.owner = threading.get_ident()
    code = stage.compiled()
    assert code is not None
    STAGE_CODES.add(code)
    from opportune.compiler.functions import note_as_written
    from opportune.runtime import context

    note_as_written(context.active_runtime(), code)
    return code


def install() -> None:
    """The stage hooks, as builtins (a program cannot shadow ``__opportune_*`` names)."""
    setattr(builtins, STAGE, stage_code)
    setattr(builtins, EXEC, builtins.exec)
    setattr(builtins, GLOBALS, builtins.globals)
