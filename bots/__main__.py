"""`python -m bots` runs the `registry` command line."""

import sys

from bots.cli import main

sys.exit(main())
