"""Allocate and touch MB megabytes, hold them HOLD seconds, free them; print the peak.

Usage: ``hold.py MB HOLD_S``. Prints ``peak_kb N``: this process's own high-water mark
(``VmHWM``) read just before exit, the exact truth of its peak resident memory.
"""

import sys
import time

megabytes, hold_s = int(sys.argv[1]), float(sys.argv[2])
time.sleep(0.05)
block = bytearray(megabytes * 2**20)
block[:: 2**12] = b"\x01" * len(block[:: 2**12])  # touch every page
time.sleep(hold_s)
del block
time.sleep(0.05)
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(f"peak_kb {peak}")
