"""``python -m negotiation``: the command line."""

import sys

from negotiation.cli import main

sys.exit(main())
