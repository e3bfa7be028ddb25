"""The composition root: settings, building the runtime, the feature list and the app.

Only here (and in ``bot.web``) are the provider channels named. Nothing
below ``bot.app`` imports it.
"""

from bot.app import telegram_commands
from bot.app.build import build_adapters, build_runtime, load_classifier, model_dir
from bot.app.factory import create_app
from bot.core.feature import Register

# The channels' own set-up commands (``pintu telegram ...``), added to the CLI.
CHANNEL_COMMANDS: tuple[Register, ...] = (telegram_commands.register,)

__all__ = ["CHANNEL_COMMANDS", "build_adapters", "build_runtime", "create_app",
           "load_classifier", "model_dir"]
