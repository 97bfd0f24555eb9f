"""`python -m coalition.optimizer solve|check ...`, the same as `coalition plan ...`."""

import sys

from coalition.optimizer.cli import main

sys.exit(main(sys.argv[1:]))
