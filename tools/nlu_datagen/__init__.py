"""Generator of the shipped NLU training data (``nlu/data/nlu.yml`` and
``nlu/data/nlu_groups.tsv``) from the project's seed sentences.

Run ``python -m tools.nlu_datagen [PATH]`` from the repository root; PATH
defaults to the shipped ``nlu/data/nlu.yml`` and the groups file is written
next to it. See :mod:`tools.nlu_datagen.generator`.
"""
