"""Verified lifting: numeric Python loops become NumPy / PyTorch / JAX code.

``lift(fn)`` reads ``fn``'s loops from its source, translates them into TensIR (a small tensor
language), keeps the translation only if it agrees with ``fn`` on random inputs, tries to prove
it equal to the loops for all sizes with z3, and generates array code.  ``verified`` says what
was established; it is never more than was shown.
"""

from opportune.lift._api import Lifted, lift, lifted
from opportune.lift._errors import LiftError

__all__ = ["LiftError", "Lifted", "lift", "lifted"]
