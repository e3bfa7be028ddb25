# TEMPORARY dev shim (not committed): provides an NLU while nlu.model_store is unfinished.
import sys
import types

import pytest

sys.path.insert(0, "/tmp/devshim")
try:
    import nlu.rasa_format  # noqa
except ImportError:
    m = types.ModuleType("nlu.rasa_format"); m.to_rasa_parse = lambda *a, **k: {}
    sys.modules["nlu.rasa_format"] = m
from bot.runtime import NluHolder
from tests.bot.test_surveys import *  # noqa
from tests.bot.test_reports import *  # noqa
from tests.bot.test_survey_e2e import *  # noqa

@pytest.fixture(scope="session")
def nlu_holder():
    import nlu_cache
    return NluHolder(nlu_cache.get(), "dev")
