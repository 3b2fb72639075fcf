import os
import sys

from bronwijzer.cli import main

try:
    sys.exit(main())
except BrokenPipeError:
    # The reader went away (`... | head`): not an error of ours. Silence the flush at exit.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)
