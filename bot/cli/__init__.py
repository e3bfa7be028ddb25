"""The ``pintu`` command line (``bot.cli.main``): serve, db, chat, users, report, nlu.

It sits on top, like ``bot.web``: it imports features and the composition
root; nothing imports it.
"""
