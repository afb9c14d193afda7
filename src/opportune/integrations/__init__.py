"""Zero-annotation externals: library calls that opportune recognises without a decorator.

A program that calls ``client.chat.completions.create(...)`` on the ``openai`` SDK, or
``httpx.get(url)``, makes an external call whether or not it says so. When a program starts,
:func:`install_known_externals` wraps those library functions with ``opportune.external``; a
user adds more with :func:`register_known_external`.
"""

from opportune.integrations._install import (
    install_known_externals,
    installed_patches,
    known_externals,
    register_known_external,
)
from opportune.integrations._table import KnownExternal, default_table

__all__ = [
    "KnownExternal",
    "default_table",
    "install_known_externals",
    "installed_patches",
    "known_externals",
    "register_known_external",
]
