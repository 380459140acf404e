"""Burn the given number of CPU seconds (default 0.6) on one core.

Work is counted in CPU time, not wall time, so the CPU used is known even when other
processes compete for the cores (the wall time then grows instead).
"""

import sys
import time

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 0.6
start = time.process_time()
while time.process_time() - start < seconds:
    pass
print(f"busy for {seconds} s")
