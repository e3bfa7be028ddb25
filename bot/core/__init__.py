"""The kernel every feature shares: settings sections, the runtime, typed hooks,
the ``Feature`` type and the citizen texts. It imports no feature at run time."""
