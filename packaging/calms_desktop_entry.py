"""The bundle's entry point (PyInstaller needs a script): the ``calms-desktop`` command."""

import sys

from calms_desktop.cli import main

sys.exit(main())
