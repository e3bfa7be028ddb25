"""``python -m bench.pipeline``: see :mod:`bench.pipeline.harness`."""

import sys

from bench.pipeline.harness import main

sys.exit(main())
