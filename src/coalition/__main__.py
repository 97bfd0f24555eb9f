import sys

from coalition.cli import main

sys.exit(main())
