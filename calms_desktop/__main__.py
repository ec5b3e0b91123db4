"""``python -m calms_desktop``: the same as the ``calms-desktop`` command."""

import sys

from .cli import main

sys.exit(main())
