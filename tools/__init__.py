"""Development tools (data generators, code checks). Not a runtime package: nothing
under ``bot/``, ``nlu/``, ``channels/``, ``routing/`` or ``storage/`` imports it, and
it is not installed with the project."""
