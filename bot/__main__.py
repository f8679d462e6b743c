import sys

from bot.start.cli import main

sys.exit(main())
