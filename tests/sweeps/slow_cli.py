"""``negotiation`` with every committed chunk followed by a pause: a sweep slow enough to be interrupted.

Run as ``python tests/sweeps/slow_cli.py SECONDS sweep ARGS...`` by the tests of locking and of
Ctrl-C; it exits with the command's status.
"""

import sys
import time

from negotiation.cli import main
from negotiation.sweeps import runner

if __name__ == "__main__":
    pause = float(sys.argv[1])
    update = runner._Progress.update

    def slow_update(self, chunks_done, points_done):
        update(self, chunks_done, points_done)
        time.sleep(pause)

    runner._Progress.update = slow_update
    sys.exit(main(sys.argv[2:]))
