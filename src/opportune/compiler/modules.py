"""Compiling whole modules: the script given to ``opportune run`` and the program's own imports.

The script's project (the folder holding it, or the nearest parent with a ``pyproject.toml``) is
the program; modules imported from it are compiled as they are imported. Installed libraries and
the standard library are imported as usual and run unchanged. Compiled bytecode is never
written to ``__pycache__``, so plain ``python`` never picks it up.
"""

from __future__ import annotations

import ast
import importlib.machinery
import os
import sys
import types
from collections.abc import Sequence
from typing import Any

from opportune.compiler.arm_objects import module_tracked_names
from opportune.compiler.functions import COMPILED_MODULES, add_user_root, is_user_file
from opportune.compiler.registry import (
    name_arms_as_their_function,
    note_pure_facts,
    pure_facts_of,
    register_code,
)
from opportune.compiler.stages import Stage, Stages, min_program_lines, names_functions_load
from opportune.compiler.transform import continues_as_branches, program_module, transform


def compile_module_source(
    source: str | bytes, filename: str, *, cached: bool = False, program: bool = False
) -> types.CodeType:
    """Parse, transform and compile a module. Syntax errors surface exactly as Python's.

    ``cached``: ``filename`` is a real file whose bytes are ``source``; reuse (and keep) its
    compilation in the compile cache (compiler/cache.py). ``program``: the module is the
    script run, not one it imports (``transform``'s ``program``), cached as such.
    """
    if cached and isinstance(source, bytes):
        from opportune.compiler import cache

        hit = cache.load(filename, source, program)
        if hit is not None:
            code, facts = hit
            note_pure_facts(facts)
            register_code(code)
            return code
    tree = ast.parse(source, filename=filename)
    # dont_inherit: this module's own ``from __future__ import annotations`` must not apply to
    # the program (its annotations would turn into strings)
    code = compile(transform(tree, filename=filename, program=program), filename, "exec",
                   dont_inherit=True)
    code = name_arms_as_their_function(code)
    register_code(code)
    if cached and isinstance(source, bytes):
        cache.store(filename, source, code, pure_facts_of(code), program)
    return code


def compile_staged(
    source: str | bytes, filename: str
) -> tuple[types.CodeType, Stages | None]:
    """Compile a module whose module-level code runs once, in stages (compiler/stages.py):
    its code, and the group of stages it cut off (None when it cut none). The caller closes
    the group once the code has run."""
    tree = ast.parse(source, filename=filename)
    body = tree.body
    least = min_program_lines()
    # a ``from __future__`` import changes how the whole file compiles: not only its stage
    if not body or least is None or (body[-1].end_lineno or 0) < least \
            or any(isinstance(s, ast.ImportFrom) and s.module == "__future__" for s in body):
        return _finish(transform(tree, filename=filename, program=True), filename), None
    # an error Python's compiler finds after parsing stops the program before any of it runs
    compile(tree, filename, "exec", dont_inherit=True)
    group = Stages(filename, False, _compile_stage)
    group.function_reads = names_functions_load(tree, source)
    continues_as_branches(tree, lambda: module_tracked_names(tree))
    group.arm_objects = program_module(tree)
    code = _finish(transform(tree, filename=filename, staging=group), filename)
    if not group.tokens:
        return code, None
    group.start()
    return code, group


def _compile_stage(tree: ast.Module, stage: Stage) -> types.CodeType:
    group = stage.group
    first = tree.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
            and isinstance(first.value.value, str):
        # a string first would be taken for a module docstring and bind ``__doc__``
        tree.body.insert(0, ast.copy_location(ast.Pass(), first))
    tree = transform(tree, explicit_super=group.explicit_super, filename=group.filename,
                     staging=group, stage=stage)
    return _finish(tree, group.filename)


def _finish(tree: ast.Module, filename: str) -> types.CodeType:
    # dont_inherit: see compile_module_source
    code = compile(tree, filename, "exec", dont_inherit=True)
    code = name_arms_as_their_function(code)
    register_code(code)
    return code


def project_root(script: str) -> str:
    """The folder whose code counts as the program's own: nearest pyproject.toml, else the
    script's folder."""
    folder = os.path.dirname(os.path.realpath(script))
    probe = folder
    while True:
        if os.path.exists(os.path.join(probe, "pyproject.toml")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return folder
        probe = parent


class _CompilingLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname: str) -> types.CodeType:
        path = self.get_filename(fullname)
        code = compile_module_source(self.get_data(path), path, cached=True)
        from opportune.compiler.functions import note_as_written
        from opportune.runtime import context

        note_as_written(context.active_runtime(), code)
        return code

    def exec_module(self, module: types.ModuleType) -> None:
        COMPILED_MODULES.add(module)
        super().exec_module(module)


class CompilingFinder:
    """Finds the program's own modules and has them compiled on import.

    A meta path finder needs only ``find_spec``; subclassing ``importlib.abc.MetaPathFinder``
    would import ``importlib.resources`` and ``tempfile`` into every ``opportune run``.
    """

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        if not is_user_file(spec.origin):
            return None
        spec.loader = _CompilingLoader(fullname, spec.origin)
        return spec


_finder = CompilingFinder()


def install_import_hook() -> None:
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def remove_import_hook() -> None:
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)


def prepare_script(path: str) -> tuple[types.CodeType, types.ModuleType, Stages | None]:
    """Compile ``path`` as ``__main__`` and register its project as the program's own code;
    with the compile cache off, in stages (the caller closes them after the run)."""
    real = os.path.abspath(path)
    if not os.path.exists(real):
        raise FileNotFoundError(
            f"opportune run: no such file {path!r}; give the path of a Python script"
        )
    add_user_root(project_root(real))
    add_user_root(os.path.dirname(real))
    with open(real, "rb") as fh:
        source = fh.read()
    from opportune.compiler import cache

    stages = None
    if cache.cache_dir() is None:
        # no compile cache: compiled from scratch at every run, as run_source's code is
        code, stages = compile_staged(source, real)
    else:
        code = compile_module_source(source, real, cached=True, program=True)
    module = types.ModuleType("__main__")
    # the names, values and order of the namespace ``python path`` runs a script in
    namespace = module.__dict__
    namespace["__loader__"] = importlib.machinery.SourceFileLoader("__main__", real)
    namespace["__annotations__"] = {}
    namespace["__builtins__"] = __builtins__
    namespace["__file__"] = real
    namespace["__cached__"] = None
    COMPILED_MODULES.add(module)
    return code, module, stages


def exec_in(code: types.CodeType, namespace: dict[str, Any]) -> None:
    exec(code, namespace)
