"""``negotiation`` with every committed chunk followed by a pause: a sweep slow enough to be interrupted.

Run as ``python tests/sweeps/slow_cli.py SECONDS sweep ARGS...`` by the tests of locking and of
Ctrl-C; it exits with the command's status. With ``SECONDS`` written ``until:PATH`` each committed chunk
waits until the file ``PATH`` exists (at most two minutes) instead: the test decides when the sweep goes
on, however loaded the machine.
"""

import os
import sys
import time

from negotiation.cli import main
from negotiation.sweeps import runner

if __name__ == "__main__":
    pause = sys.argv[1]
    update = runner._Progress.update

    def slow_update(self, chunks_done, points_done):
        update(self, chunks_done, points_done)
        if pause.startswith("until:"):
            deadline = time.monotonic() + 120
            while not os.path.exists(pause[len("until:"):]) and time.monotonic() < deadline:
                time.sleep(0.02)
        else:
            time.sleep(float(pause))

    runner._Progress.update = slow_update
    sys.exit(main(sys.argv[2:]))
