"""``python -m bot.cli``: the ``pintu`` command."""

import sys

from bot.cli.main import main

sys.exit(main())
