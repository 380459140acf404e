"""Allocate and touch MB megabytes for HOLD seconds, free them, then idle AFTER seconds."""

import sys
import time

megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 200
hold_s = float(sys.argv[2]) if len(sys.argv) > 2 else 0.02
after_s = float(sys.argv[3]) if len(sys.argv) > 3 else 0.3
time.sleep(0.1)
block = bytearray(megabytes * 2**20)
block[:: 2**12] = b"\x01" * len(block[:: 2**12])  # touch every page
time.sleep(hold_s)
del block
time.sleep(after_s)
