"""The bot: features between the channels and storage, with the web edge, the CLI
and the composition root on top.

Layers, each importing only the ones below it:

- ``bot.app`` (composition root) and ``bot.cli``, ``bot.web`` (the edges): wire
  and expose the features. Only ``bot.app`` and ``bot.web`` name providers.
- Features: ``conversation``, ``tickets``, ``delivery``, ``surveys``, ``staff``,
  ``nlu_admin``. They never import ``web``, ``cli`` or ``app``.
- ``bot.core``: the kernel every feature shares (settings sections, runtime,
  hooks, the ``Feature`` type, citizen texts).
"""
