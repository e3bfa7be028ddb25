"""Understanding citizens' messages: normalisation of informal Indonesian, intent and
category classifiers behind the ``IntentClassifier`` port, places, entities, and
Rasa NLU YAML and ``/model/parse`` compatibility. Pure apart from loading models
and data; the generators of the shipped training data live in ``tools/``."""
