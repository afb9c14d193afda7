"""The ``@external`` decorator: how a program tells opportune which calls leave the process.

An external call is one whose result comes from outside the program (an LLM, a tool, a web
request). Under plain Python the decorator changes nothing: the function runs where it is
called. While a program runs under opportune, the call is handed to the scheduler, which starts
it as soon as its arguments are known and returns a pending value at once.

Whether a call is external is decided when it happens, by the object actually called, so a
method decorated in a base class stays external when reached through a subclass instance or a
variable; the call site's name never matters.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

from opportune.runtime.values import ATOM_TYPES

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_MAX_CONCURRENCY = 64


@dataclass(frozen=True)
class ExternalSpec:
    """What the scheduler needs to know about one external function."""

    name: str
    reads: frozenset[str] = field(default_factory=frozenset)
    writes: frozenset[str] = field(default_factory=frozenset)
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    mutates: bool = False
    is_async: bool = False
    # A generator function (sync or async): calling it runs none of its body, which runs as
    # the program iterates, in program order; the call is made in place (``Runtime.issue``).
    is_generator: bool = False
    returns: type | None = None
    # ``def ask(q: str, schema: type[T]) -> T``: the result is an instance of the class passed
    # as this parameter (its position in the arguments ``issue`` receives, and its name), so the
    # pending result's type is known at the call (see ``_return_parameter``).
    returns_param: tuple[int, str] | None = None
    changes_program_state: bool = False
    # Its body prints or logs to the program's stdout or stderr (see ``_output_use``): what
    # it writes is captured per call and written at the call's place in program order
    # (runtime/capture.py), so it still overlaps. ``logs``: through logging, whose handlers
    # are checked at each call (a handler writing to a file makes it run in program order).
    prints: bool = False
    logs: bool = False
    # It uses the terminal in a way no capture can hold back (reads stdin, writes to a file
    # descriptor, a child process writes to the terminal): it runs in program order.
    in_order_output: bool = False
    # Module-level names its body reads: the containers and objects of the program among
    # them are registered as read by the call while it runs (see ``_global_reads``).
    global_reads: tuple[str, ...] = ()
    # The names it runs with as bound at the call (see ``_pinned_names``); none: all live.
    pinned_names: tuple[str, ...] = ()
    # Yields the result's text piece by piece (same arguments as the function); see
    # runtime/streams.py. Used instead of the function when the program runs under opportune.
    stream: Callable[..., Iterator[Any]] | None = None
    # Where the streamed text sits in the result, as steps (".", name) and ("[]", key); empty
    # when the result is the text itself. With a path, the producer returns the result.
    stream_path: tuple[tuple[str, Any], ...] = ()
    # It changes, in place, objects that earlier calls reading the resources it writes
    # returned (an update of a record a search handed back). See Runtime.fence_read_results.
    changes_read_results: bool = False
    # Parameters whose objects the body changes in place, found in the source (see
    # ``_changed_parameters``): (position among the positional parameters or None, name or
    # None); (None, None) stands for every argument (a changed ``*args`` or ``**kwargs``).
    changed_params: tuple[tuple[int | None, str | None], ...] = ()
    # The program allows a call of it to be made on arguments computed from the tentative
    # result of a speculative read (see runtime/tentative.py); only for a pure external.
    speculative: bool = False

    @property
    def waited_for(self) -> bool:
        """The program waits for every call of it, which must happen where plain Python makes
        it: it changes the program's objects (``mutates``) or module state the program reads
        directly, or it uses the terminal in a way its output cannot be captured. (A call that
        prints is captured instead: see runtime/capture.py.)"""
        return self.mutates or self.changes_program_state or self.in_order_output

    @property
    def pure(self) -> bool:
        """A pure call touches no named resource, so only its arguments order it."""
        return not self.reads and not self.writes


def _names(option: str, value: Iterable[str] | str | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset((value,))
    names = frozenset(value)
    for name in names:
        if not isinstance(name, str) or not name:
            raise TypeError(
                f"@opportune.external({option}=...) takes resource names as non-empty strings, "
                f"got {name!r}; write {option}=(\"inbox\",) for example"
            )
    return names


def _return_type(fn: Callable[..., Any]) -> type | None:
    """The declared return class, used to keep method calls on pending results lazy; without
    an annotation, the class every ``return`` of the body evidently gives (see
    :func:`_evident_return_class`)."""
    try:
        hints = inspect.get_annotations(fn, eval_str=True)
    except Exception:
        return None
    if "return" not in hints:
        return _evident_return_class(fn)
    return plain_class(hints.get("return"))


_EVIDENT_CONSTANTS = (str, bytes, int, float, bool)
# ``str`` methods whose result is always exactly a ``str``
_STR_RESULTS = frozenset({"format", "join", "strip", "lstrip", "rstrip", "lower", "upper",
                          "replace", "title", "capitalize", "casefold", "swapcase"})


def _evident_class(node: ast.expr | None) -> type | None:
    """The exact class of what ``node`` evaluates to, when the syntax alone decides it: a
    constant, an f-string, ``"a" + "b"``, a conditional expression whose arms agree,
    ``"...".format(...)``, ``", ".join(...)``."""
    if isinstance(node, ast.Constant):
        return type(node.value) if type(node.value) in _EVIDENT_CONSTANTS else None
    if isinstance(node, ast.JoinedStr):
        return str
    if isinstance(node, ast.IfExp):
        body = _evident_class(node.body)
        return body if body is not None and body is _evident_class(node.orelse) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _evident_class(node.left)
        return left if left in (str, bytes) and left is _evident_class(node.right) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in _STR_RESULTS and _evident_class(node.func.value) is str:
        return str
    return None


def _evident_return_class(fn: Callable[..., Any]) -> type | None:
    """The class an external without a return annotation returns, when each of its body's
    ``return`` statements evidently gives that class (``return "yes" if ok else "no"``,
    ``return f"answer to {q}"``): a fact about the value, as exact as an annotation's promise,
    so ``answer.strip().lower()`` and ``answer.startswith("Yes")`` stay lazy on its results.
    A body that may also end without a value gives ``None`` there, which then fails where a
    method is applied, as an annotation ``str | None`` does (:func:`plain_class`)."""
    fdef = _function_ast(fn)
    if fdef is None or getattr(fn, "__wrapped__", None) is not None:
        return None
    found: set[type | None] = set()
    stack: list[ast.AST] = list(fdef.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return None
        if isinstance(node, ast.Return):
            found.add(_evident_class(node.value))
        stack.extend(ast.iter_child_nodes(node))
    return found.pop() if len(found) == 1 else None


def _return_parameter(fn: Callable[..., Any]) -> tuple[int, str] | None:
    """The parameter whose class argument is the result's type: the return annotation is a
    ``TypeVar`` ``T`` and exactly one parameter is annotated ``type[T]`` (the usual spelling of
    "returns an instance of the class you pass", as for a structured-output schema).

    Knowing the class at the call keeps attribute reads and method calls on the pending answer
    lazy (``answer.service.lower()`` where ``service: str``). The class is only a promise about
    the value, as any annotation is: methods are still looked up on the real value.
    """
    import typing

    try:
        hints = inspect.get_annotations(fn, eval_str=True)
        params = list(inspect.signature(fn).parameters.values())
    except Exception:  # noqa: BLE001 - an unreadable annotation promises nothing
        return None
    result = hints.get("return")
    if not isinstance(result, TypeVar):
        return None
    found = [
        (i, p.name) for i, p in enumerate(params)
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        and typing.get_origin(hints.get(p.name)) is type
        and typing.get_args(hints.get(p.name)) == (result,)
    ]
    return found[0] if len(found) == 1 else None


def returned_class(spec: ExternalSpec, args: tuple[Any, ...], kwargs: dict[str, Any]) -> type | None:
    """The class an external's result will have, when its spec or its arguments say so now."""
    if spec.returns_param is None:
        return spec.returns
    position, name = spec.returns_param
    cls = args[position] if position < len(args) else kwargs.get(name)
    return cls if isinstance(cls, type) else None


def plain_class(hint: Any) -> type | None:
    """The class a type hint promises, if one: ``dict[str, int]`` -> dict, ``str | None`` ->
    str (a None then fails where the method is applied, as it would in plain Python)."""
    import types as _types
    import typing

    if isinstance(hint, type) and not isinstance(hint, _types.GenericAlias):
        return hint
    origin = typing.get_origin(hint)
    if origin in (typing.Union, _types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return plain_class(options[0]) if len(options) == 1 else None
    return origin if isinstance(origin, type) else None


# Set once an external declares ``changes_read_results``: from then on the runtime keeps
# track of which values hold results of calls on the resources such externals write
# (CHANGED_RESOURCES; see runtime/fences.py). Programs without such an external pay nothing.
TRACK_READ_RESULTS = False
# Some external is declared ``speculative=True``: from then on the runtime notes what a
# speculative call needs (speculative reads' first results, how values built from them are
# computed; runtime/tentative.py). Programs without one pay nothing for it.
SPECULATIVE_CALLS = False
CHANGED_RESOURCES: set[str] = set()


def make_spec(
    fn: Callable[..., Any],
    *,
    reads: Iterable[str] | str | None = None,
    writes: Iterable[str] | str | None = None,
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    mutates: bool | None = None,
    name: str | None = None,
    returns: type | None = None,
    stream: Callable[..., Iterator[Any]] | None = None,
    stream_path: str | None = None,
    changes_read_results: bool = False,
    speculative: bool = False,
) -> ExternalSpec:
    global TRACK_READ_RESULTS, SPECULATIVE_CALLS
    if speculative and (reads or writes or mutates or changes_read_results):
        raise ValueError(
            "@opportune.external(speculative=True) lets a call be made on arguments built from "
            "a read's result before that result is confirmed, and made again if it changes: "
            "only a call with no effect may be made twice, so it cannot also take reads=, "
            "writes=, mutates=True or changes_read_results=True; drop speculative=True, or "
            "those options if the call really is pure (an LLM question, a computation)"
        )
    if not isinstance(max_concurrency, int) or isinstance(max_concurrency, bool) or max_concurrency < 1:
        raise ValueError(
            f"@opportune.external(max_concurrency={max_concurrency!r}) must be a positive integer; "
            "leave it out for the default of 64"
        )
    if changes_read_results:
        if not writes:
            raise ValueError(
                "@opportune.external(changes_read_results=True) says the call changes objects "
                "that earlier reads of the resources it writes returned, so it needs writes=; "
                "name them, e.g. writes=(\"orders\",) for a call that updates orders a search "
                "returned"
            )
        if mutates:
            raise ValueError(
                "@opportune.external takes mutates=True (the call changes its arguments, so the "
                "program waits for it) or changes_read_results=True (it changes what earlier "
                "reads returned), not both; use mutates=True alone if it changes its arguments"
            )
        CHANGED_RESOURCES.update(_names("writes", writes))
        TRACK_READ_RESULTS = True
    if speculative:
        SPECULATIVE_CALLS = True
    return ExternalSpec(
        name=name or getattr(fn, "__qualname__", getattr(fn, "__name__", repr(fn))),
        reads=_names("reads", reads),
        writes=_names("writes", writes),
        max_concurrency=max_concurrency,
        mutates=_changes_self(fn) if mutates is None else bool(mutates),
        is_async=inspect.iscoroutinefunction(fn),
        is_generator=inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn),
        returns=returns if returns is not None else _return_type(fn),
        returns_param=None if returns is not None else _return_parameter(fn),
        changes_program_state=_changes_module_state(fn),
        **_output_flags(fn),
        global_reads=_global_reads(fn),
        pinned_names=_pinned_names(fn),
        stream=_checked_stream(fn, stream),
        stream_path=_parse_stream_path(stream, stream_path),
        changes_read_results=bool(changes_read_results),
        # changes_read_results says what the call changes: objects reads returned, no argument
        changed_params=() if mutates is not None or changes_read_results
        else _changed_parameters(fn),
        speculative=bool(speculative),
    )


def _output_flags(fn: Callable[..., Any]) -> dict[str, bool]:
    use = _output_use(fn)
    return {"prints": PRINTS in use, "logs": LOGS in use, "in_order_output": IN_ORDER in use}


def changes_arguments(spec: ExternalSpec, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether this call hands the external an object of the program's that its body changes.

    Decided per call, so an external that appends to an optional list it is given
    (``def search(q, into=None)``) keeps overlapping when it is called without one: only a
    call that passes it something changeable gets the real object and makes the program wait.

    An external whose body changes module state is waited for anyway, and the state it changes
    may keep what it was given (``MEMORY[key] = message``): it gets the real objects too, so
    what it keeps is the program's object, as in plain Python, not a copy made for the call.
    """
    if spec.mutates or spec.changes_program_state:
        return True
    for position, name in spec.changed_params:
        if position is None and name is None:
            values: Iterable[Any] = (*args, *kwargs.values())
        elif position is not None and position < len(args):
            values = (args[position],)
        else:
            values = (kwargs[name],) if name in kwargs else ()
        for value in values:
            if type(value) not in ATOM_TYPES:
                return True
    return False


def _checked_stream(fn: Callable[..., Any],
                    stream: Callable[..., Iterator[Any]] | None) -> Callable[..., Iterator[Any]] | None:
    if stream is None:
        return None
    if not callable(stream) or inspect.iscoroutinefunction(fn):
        raise TypeError(
            "@opportune.external(stream=...) takes a function with the external's arguments "
            "that yields the text of its result piece by piece, for a sync external only"
        )
    return stream


_PATH_STEP = re.compile(r"""\.?([A-Za-z_]\w*)|\[(-?\d+)\]|\[(["'])(.*?)\3\]""")


def _parse_stream_path(stream: object, path: str | None) -> tuple[tuple[str, Any], ...]:
    """``"choices[0].message.content"`` as steps: (".", "choices"), ("[]", 0), ...

    The runtime follows these steps when the program reads into a pending result, so the
    value at the end of them shares the call's stream (a result object whose text is inside).
    """
    if path is None:
        return ()
    steps: list[tuple[str, Any]] = []
    pos = 0
    while isinstance(path, str) and pos < len(path):
        match = _PATH_STEP.match(path, pos)
        if match is None:
            break
        name, index, _, key = match.groups()
        if (pos == 0) != (name is not None and path[pos] != "."):
            break  # a name after the start needs its dot; the start is a bare name
        steps.append((".", name) if name else ("[]", int(index) if index else key))
        pos = match.end()
    else:
        if steps and stream is not None:
            return tuple(steps)
    raise TypeError(
        f"@opportune.external(stream_path={path!r}) names where the streamed text sits in the "
        "result, like \"choices[0].message.content\", and needs stream= as well"
    )


_MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "add",
    "discard", "popitem", "sort", "reverse", "appendleft", "extendleft", "popleft",
})


def _definition(source_of: Any) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(source_of)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    fdef = tree.body[0] if tree.body else None
    return fdef if isinstance(fdef, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


@functools.lru_cache(maxsize=64)
def _function_ast(fn: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The syntax tree of ``fn``'s definition, or None when its source cannot be read (kept
    for the few questions asked about one function as it is decorated; never changed).

    A ``functools.wraps`` wrapper (a retry decorator) is read as itself, with the functions it
    wraps nested in its body: ``inspect.getsource`` alone would give the wrapped function's
    source only, and the wrapper's own effects (a global list of attempts) would go unseen."""
    code = getattr(fn, "__code__", None)
    fdef = _definition(code if code is not None else fn)
    if fdef is None:
        return None
    inner = getattr(fn, "__wrapped__", None)
    for _ in range(4):
        if inner is None:
            break
        nested = _definition(getattr(inner, "__code__", inner))
        if nested is not None:
            fdef.body.append(nested)
        inner = getattr(inner, "__wrapped__", None)
    return fdef


def _changed_bases(fdef: ast.AST) -> Iterator[ast.expr]:
    """The expression of each object the body changes in place: ``a.b`` in ``a.b[0] = v`` and
    ``del a.b[0]``, ``a`` in ``a.append(x)`` and ``setattr(a, ...)``, ``items`` in
    ``items += more``. One list of what counts as a change, for every question asked of an
    external's source (its own object, module state, its parameters)."""
    for node in ast.walk(fdef):
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, (ast.Store,
                                                                                      ast.Del)):
            yield node.value
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            yield node.target
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in _MUTATING_METHODS:
                yield func.value
            elif isinstance(func, ast.Name) and func.id in ("setattr", "delattr") and node.args:
                yield node.args[0]


def _bound_names(fdef: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names the body binds for itself: its parameters (those of functions nested in it,
    a wrapped function's included) and every name it stores."""
    local: set[str] = set()
    for node in ast.walk(fdef):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            local.add(node.id)
        elif isinstance(node, ast.arg):
            local.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node is not fdef:
            local.add(node.name)
    return local


def _changes_module_state(fn: Callable[..., Any]) -> bool:
    """Whether the external's own body changes module-level state of the program.

    Such a change is visible to the program without going through the call's result (a log
    list it appends to), so the program must not run ahead of the call. Decided from the
    source; a function whose source cannot be read is assumed not to.
    """
    fdef = _function_ast(fn)
    if fdef is None:
        return False
    local = _bound_names(fdef)
    code = getattr(fn, "__code__", None)
    rebinding = _module_globals(code.co_filename)[1] if code is not None else frozenset()
    for node in ast.walk(fdef):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in rebinding and node.func.id not in local:
            return True  # it calls a function of its module that rebinds a global
    for base in _changed_bases(fdef):
        root = _root_name(base)
        if root is not None and root not in local and root != "self":
            return True
    return False


_LOG_CALLS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical",
                        "fatal", "log"})


def _is_std_stream(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr") \
        and isinstance(node.value, ast.Name) and node.value.id == "sys"


PRINTS, LOGS, IN_ORDER = "prints", "logs", "in order"


def _output_use(fn: Callable[..., Any]) -> frozenset[str]:
    """How the external's own body uses the program's stdout and stderr, from its source.

    ``PRINTS``: it writes to them (``print`` without a file or to ``sys.stdout``/``sys.stderr``,
    ``sys.stdout.write``, ``traceback.print_exc``) or logs (``LOGS`` too: a logging call). Run
    concurrently, such output would land between the program's own lines, or inside one;
    the runtime captures it per call and writes it at the call's place (runtime/capture.py).

    ``IN_ORDER``: it uses the terminal in a way no capture can hold back, so the call runs in
    program order, as before it the program's output is written and the program waits for it:
    it reads stdin (``input()``, ``sys.stdin``), writes below the text streams (``os.write``,
    ``.fileno()``, ``sys.stdout.buffer``, ``sys.__stdout__``), runs a child process whose
    output is not captured (``subprocess.run`` without ``capture_output``/``stdout=``,
    ``os.system``), or swaps the streams themselves (``redirect_stdout``, ``sys.stdout = ``):
    that would redirect every thread's writes while it runs. It calls ``warnings.warn``: a
    warning is shown once per place (the default filter), and which call shows it is decided
    by a record the calls share, so the first call in program order must warn first.

    A function whose source cannot be read says nothing (its writes through ``sys.stdout`` are
    still captured, as are those of helpers it calls)."""
    fdef = _function_ast(fn)
    if fdef is None:
        return frozenset()
    found: set[str] = set()
    for node in ast.walk(fdef):
        if isinstance(node, ast.Attribute):
            if node.attr in ("__stdout__", "__stderr__", "stdin", "__stdin__") \
                    and isinstance(node.value, ast.Name) and node.value.id == "sys" \
                    or node.attr == "buffer" and _is_std_stream(node.value) \
                    or isinstance(node.ctx, ast.Store) and _is_std_stream(node):
                found.add(IN_ORDER)
            continue
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else None
        if isinstance(func, ast.Name) and name == "print":
            target = next((k.value for k in node.keywords if k.arg == "file"), None)
            if target is None or _is_std_stream(target):
                found.add(PRINTS)
        elif name in ("input", "getpass", "redirect_stdout", "redirect_stderr") \
                and (isinstance(func, ast.Name) or name != "input") \
                or name == "fileno" and isinstance(func, ast.Attribute) \
                and _is_std_stream(func.value) \
                or name == "system" and _is_os(func) \
                or name == "write" and _is_os(func) and _to_std_descriptor(node) \
                or name in _CHILD_PROCESS and _child_output_not_captured(node) \
                or name == "warn" and _is_warnings_warn(func):
            found.add(IN_ORDER)
        elif isinstance(func, ast.Attribute):
            if name in ("write", "writelines", "flush") and _is_std_stream(func.value):
                found.add(PRINTS)
            elif name in _LOG_CALLS and _looks_like_logger(func.value, name):
                found.update((PRINTS, LOGS))
            elif name in ("print_exc", "print_exception", "print_stack") \
                    and not any(k.arg == "file" and not _is_std_stream(k.value)
                                for k in node.keywords):
                found.add(PRINTS)  # traceback.print_exc() writes to stderr
    return frozenset(found)


def _is_warnings_warn(func: ast.expr) -> bool:
    """``warnings.warn`` or a ``warn`` imported from it."""
    if isinstance(func, ast.Name):
        return True
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
        and func.value.id == "warnings"


def _is_os(func: ast.expr) -> bool:
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
        and func.value.id == "os"


def _to_std_descriptor(node: ast.Call) -> bool:
    """``os.write(1, ...)``, ``os.write(2, ...)`` or a descriptor that is not a literal (a
    ``sys.stdout.fileno()`` kept in a name is caught where it is taken)."""
    if not node.args:
        return True
    fd = node.args[0]
    return not isinstance(fd, ast.Constant) or fd.value in (1, 2)


_CHILD_PROCESS = frozenset({"run", "call", "check_call", "check_output", "Popen"})


def _child_output_not_captured(node: ast.Call) -> bool:
    """``subprocess.run(...)`` and kin whose child writes to the program's stdout or stderr:
    without ``capture_output=True``, or without both ``stdout=`` and ``stderr=``
    (``check_output`` captures stdout itself). Only calls through ``subprocess`` (or a name
    imported from it: ``Popen``) count; ``asyncio.run`` does not."""
    func = node.func
    if isinstance(func, ast.Attribute):
        if not (isinstance(func.value, ast.Name) and func.value.id == "subprocess"):
            return False
        name = func.attr
    elif isinstance(func, ast.Name) and func.id in ("Popen", "check_call", "check_output"):
        name = func.id
    else:
        return False
    given = {k.arg for k in node.keywords}
    if "capture_output" in given:
        return False
    needed = {"stderr"} if name == "check_output" else {"stdout", "stderr"}
    return not needed <= given


def _looks_like_logger(receiver: ast.expr, level: str) -> bool:
    """``log.info``, ``self.logger.warning``, ``logging.getLogger(__name__).error``; for
    ``.log`` only a receiver named like a logger (``math.log`` computes a logarithm)."""
    if isinstance(receiver, ast.Call):
        f = receiver.func
        return isinstance(f, ast.Attribute) and f.attr == "getLogger" \
            or isinstance(f, ast.Name) and f.id == "getLogger"
    name = receiver.id if isinstance(receiver, ast.Name) else \
        receiver.attr if isinstance(receiver, ast.Attribute) else None
    if name is None:
        return False
    return "log" in name.lower() if level == "log" else \
        isinstance(receiver, ast.Name) or "log" in name.lower()


def _global_reads(fn: Callable[..., Any]) -> tuple[str, ...]:
    """The names the external's body reads that it does not bind itself: module-level names
    (or builtins); not those of its decorators, defaults and annotations, which are not read
    at a call. Plain Python runs the body at the call, before the program's next
    statement, so a settings dict or a class attribute the program changes right after the
    call must not reach it; the scheduler registers what these names hold as read by the call.
    Decided from the source; none when the source cannot be read."""
    fdef = _function_ast(fn)
    if fdef is None:
        return ()
    local = _bound_names(fdef)
    # the body only: decorators, defaults and annotations were evaluated at the definition
    loaded = dict.fromkeys(node.id for statement in fdef.body for node in ast.walk(statement)
                           if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load))
    return tuple(n for n in loaded if n not in local)


_NAMESPACE_READERS = frozenset({"globals", "vars", "locals", "eval", "exec", "dir"})


def _pinned_names(fn: Callable[..., Any]) -> tuple[str, ...]:
    """The names the function's code (nested code included) may load from its globals, when
    the call may read them as bound at the call; empty when it may not: a function of the
    module rebinds one of them (``global NAME``), which a function the external calls may do
    while the call runs (``_client`` set up on first use), or the code reads its namespace as
    a whole (``globals()``). Taken from the code itself, not the source: the source of a
    ``functools.wraps`` wrapper is the wrapped function's."""
    code = getattr(fn, "__code__", None)
    if code is None or not hasattr(fn, "__globals__"):
        return ()
    names: set[str] = set()
    stack = [code]
    while stack:
        c = stack.pop()
        names.update(c.co_names)
        stack.extend(k for k in c.co_consts if isinstance(k, type(code)))
    if not names or not _NAMESPACE_READERS.isdisjoint(names) \
            or not _rebound_by_functions(code.co_filename).isdisjoint(names):
        return ()
    return tuple(sorted(names))


def _rebound_by_functions(filename: str) -> frozenset[str]:
    """The names some function of the module rebinds (``global NAME``): a function the external
    calls may rebind one while the call runs, so the call must read it as it is then, not as
    it was at the call (``_client`` set up on first use)."""
    return _module_globals(filename)[0]


@functools.lru_cache(maxsize=32)
def _module_globals(filename: str) -> tuple[frozenset[str], frozenset[str]]:
    """(names rebound by ``global`` in some function of the module, the module-level functions
    that do it), from the module's source; empty when it cannot be read."""
    try:
        with open(filename, encoding="utf-8") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return frozenset(), frozenset()
    names: set[str] = set()
    functions: set[str] = set()
    for top in tree.body:
        for node in ast.walk(top):
            if isinstance(node, ast.Global):
                names.update(node.names)
                if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    functions.add(top.name)
    return frozenset(names), frozenset(functions)


def _changes_self(fn: Callable[..., Any]) -> bool:
    """Whether a method's body changes the object it is called on (its first parameter).

    The program's objects are copied into a call so that the program can go on changing them;
    a change the method makes to its own object must instead reach the program's object, so
    such a method gets the real object and the program waits for it. Decided from the source.
    """
    if "." not in getattr(fn, "__qualname__", "").replace("<locals>.", ""):
        return False  # a plain function: no object of its own
    fdef = _function_ast(fn)
    if fdef is None:
        return False
    params = fdef.args.posonlyargs + fdef.args.args
    if not params or any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod")
                         for d in fdef.decorator_list):
        return False
    me = params[0].arg
    return any(_root_name(base) == me for base in _changed_bases(fdef))


_READ_VIEWS = frozenset({"items", "values", "keys"})
# Calls whose result holds the very objects of their first argument (``next(...)`` over a
# generator of them, an ``enumerate``, a ``sorted`` copy): a change through it changes those.
_SHARING_CALLS = frozenset({"enumerate", "reversed", "iter", "zip", "next", "sorted", "list",
                            "tuple", "filter"})


def _root_name(node: ast.expr | None) -> str | None:
    """The name an expression's objects are reached from: ``a`` for ``a``, ``a.b``,
    ``a[0].c``, ``enumerate(a)``, ``a.items()``, ``next(t for t in a)`` and ``a or []``."""
    while True:
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            node = node.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in _SHARING_CALLS and node.args):
            node = node.args[-1] if node.func.id == "filter" else node.args[0]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in _READ_VIEWS):
            node = node.func.value
        elif isinstance(node, (ast.GeneratorExp, ast.ListComp)):
            node = node.generators[0].iter
        elif isinstance(node, ast.BoolOp):
            roots = [_root_name(v) for v in node.values]
            return next((r for r in roots if r is not None), None)
        else:
            return node.id if isinstance(node, ast.Name) else None


def _target_names(target: ast.expr) -> list[str]:
    """The names an assignment target binds (not those it stores into: ``a.b = x``)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _target_names(elt)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _changed_parameters(fn: Callable[..., Any]) -> tuple[tuple[int | None, str | None], ...]:
    """The parameters whose objects an external's body changes in place, from its source.

    An external gets copies of the program's lists, dicts, sets and objects, so that the
    program can go on changing them while the call runs; a change the external itself makes to
    a copy would then be lost, where plain Python shows it to the program. The body is read
    for changes (stores into items or attributes, ``del``, container methods such as
    ``append``, ``setattr``) whose object is reached from a parameter, directly or through a
    local name bound from one (``for row in rows: row["seen"] = True``). Changes made by
    functions the body calls are not seen: declare ``mutates=True`` for those. A method's own
    object is handled by ``_changes_self``.
    """
    # the parameters are the wrapped function's, as inspect.signature reports them for a
    # functools.wraps wrapper (which passes its arguments on)
    fdef = _function_ast(inspect.unwrap(fn))
    if fdef is None:
        return ()
    a = fdef.args
    positional = [x.arg for x in a.posonlyargs + a.args]
    params = set(positional) | {x.arg for x in a.kwonlyargs}
    spread = {x.arg for x in (a.vararg, a.kwarg) if x is not None}
    # local name -> (the parameter it reaches, whether it is that parameter's object itself)
    origin = {name: (name, True) for name in params | spread}
    grown = True
    while grown:  # names bound from a parameter's parts reach that parameter too
        grown = False
        for node in ast.walk(fdef):
            pairs: list[tuple[list[str], ast.expr | None]] = []
            if isinstance(node, ast.Assign):
                pairs = [(_target_names(t), node.value) for t in node.targets]
            elif isinstance(node, (ast.For, ast.comprehension)):
                pairs = [(_target_names(node.target), node.iter)]
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                pairs = [(_target_names(node.optional_vars), node.context_expr)]
            for names, value in pairs:
                root = _root_name(value)
                if root in origin:
                    itself = isinstance(value, ast.Name) and origin[root][1] \
                        and isinstance(node, ast.Assign)
                    for name in names:
                        if name not in origin:
                            origin[name] = (origin[root][0], itself)
                            grown = True
    changed: set[str] = set()
    for base in _changed_bases(fdef):
        root = _root_name(base)
        if root not in origin:
            continue
        param, itself = origin[root]
        if param in spread and itself and isinstance(base, ast.Name):
            continue  # ``kwargs.setdefault(...)``: the call's own fresh tuple or dict
        changed.add(param)
    if changed & spread:
        return ((None, None),)
    return tuple((positional.index(name) if name in positional else None, name)
                 for name in sorted(changed))


SPEC_ATTRIBUTE = "__opportune_external__"

# The code of the wrappers made by _wrap. ``functools.wraps`` copies a function's ``__dict__``,
# spec included, onto a library's own wrapper of an external (the openai SDK's
# ``with_raw_response``); only a function with this code is the external itself.
ENTRY_CODES: set[Any] = set()
# The code of the functions made externals: an ``async def`` external runs as an external,
# not as the program's uncompiled code (compiler/functions.note_as_written).
TARGET_CODES: set[Any] = set()


def spec_of(fn: object) -> ExternalSpec | None:
    """The spec of an external function or bound method, or None for anything else."""
    spec = getattr(fn, SPEC_ATTRIBUTE, None)
    return spec if isinstance(spec, ExternalSpec) else None


def _inside_running_loop() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _wrap(fn: F, spec: ExternalSpec) -> F:
    from opportune.runtime import context

    if spec.is_async:

        @functools.wraps(fn)
        async def plain_async(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, **kwargs)

        @functools.wraps(fn)
        def async_entry(*args: Any, **kwargs: Any) -> Any:
            runtime = context.active_runtime()
            if runtime is None or _inside_running_loop():
                # Plain Python, or the program's own asyncio code awaiting it: a coroutine.
                return plain_async(*args, **kwargs)
            return runtime.issue(spec, fn, args, kwargs, wait=True)

        wrapper: Any = async_entry
    else:

        @functools.wraps(fn)
        def sync_entry(*args: Any, **kwargs: Any) -> Any:
            runtime = context.active_runtime()
            if runtime is None:
                return fn(*args, **kwargs)
            if context._local.__dict__.get("cache_entry") is sync_entry:
                # an lru_cache wrapper called at a call site of the program calls this on a
                # miss: it stores the pending result, as the program holds it
                # (runtime/caches.py)
                context._local.cache_entry = None
                return runtime.issue(spec, fn, args, kwargs)
            # Reached from code opportune did not compile (a library callback, say): that code
            # cannot hold a pending value, so the call is made in order and its result awaited.
            # Compiled call sites go through opportune.runtime.dispatch and do not wait.
            return runtime.issue(spec, fn, args, kwargs, wait=(
                f"external {spec.name} called by library code outside the program's code "
                "(filter(), a key= or callback of a library function): each call waits for "
                "its answer"))

        wrapper = sync_entry
    setattr(wrapper, SPEC_ATTRIBUTE, spec)
    ENTRY_CODES.add(wrapper.__code__)
    code = getattr(fn, "__code__", None)
    if code is not None:
        TARGET_CODES.add(code)
    wrapper.__opportune_target__ = fn
    return wrapper  # type: ignore[no-any-return]


@overload
def external(fn: F, /) -> F: ...


@overload
def external(
    *,
    reads: Iterable[str] | str | None = None,
    writes: Iterable[str] | str | None = None,
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    mutates: bool | None = None,
    name: str | None = None,
    stream: Callable[..., Iterator[Any]] | None = None,
    stream_path: str | None = None,
    changes_read_results: bool = False,
    speculative: bool = False,
) -> Callable[[F], F]: ...


def external(
    fn: F | None = None,
    /,
    *,
    reads: Iterable[str] | str | None = None,
    writes: Iterable[str] | str | None = None,
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    mutates: bool | None = None,
    name: str | None = None,
    stream: Callable[..., Iterator[Any]] | None = None,
    stream_path: str | None = None,
    changes_read_results: bool = False,
    speculative: bool = False,
) -> F | Callable[[F], F]:
    """Mark a function or method as external: calls to it may overlap the rest of the program.

    ``reads``/``writes`` name resources the call touches; a writing call starts only after every
    earlier call has finished, a reading call after every earlier write of the same resource.
    ``mutates=True`` hands the call the program's real argument objects, so the program waits for
    it before going on; left out, it is on for a method whose body changes its object
    (``self.count += 1``, ``self.items.append(x)``), since the change must reach the program's
    object, and off otherwise (the call gets copies of the program's objects). ``stream`` (for library authors) is a generator function with the same
    arguments that yields the text of the result as it is produced (``str`` results only): under
    opportune it runs instead, and work on the prefix (``for line in text.splitlines()``, a
    ``print``) proceeds before the end. When the result is an object holding the text (an SDK
    response), ``stream_path`` says where, as ``"choices[0].message.content"``, and the
    producer returns the finished object; the program's reads along that path see the
    text as it streams. ``changes_read_results=True`` (with ``writes=``) says the call changes,
    in place, objects that earlier calls reading those resources returned (an update of a record
    a search handed back): the program goes on without waiting for it, and only a later use of
    such a result waits for the change, unless the program already took such objects out of
    their results (then it waits as for ``mutates=True``). ``speculative=True`` (a pure call
    only: an LLM question) allows a call whose arguments are built from the result of a read
    that ran ahead of an undecided branch arm (a speculative read) to be made at once, on that
    tentative result: the answer is kept if the read's result is confirmed, otherwise it is
    discarded and the call made again on the final arguments, so such a call may be made once
    more than plain Python makes it (docs/design.md, *Speculative calls*). Under plain
    ``python`` the decorated function behaves exactly as before.
    """

    def decorate(target: F) -> F:
        if not callable(target):
            raise TypeError(
                f"@opportune.external decorates a function or method, not {type(target).__name__}"
            )
        spec = make_spec(
            target,
            reads=reads,
            writes=writes,
            max_concurrency=max_concurrency,
            mutates=mutates,
            name=name,
            stream=stream,
            stream_path=stream_path,
            changes_read_results=changes_read_results,
            speculative=speculative,
        )
        return _wrap(target, spec)

    if fn is not None:
        return decorate(fn)
    return decorate
