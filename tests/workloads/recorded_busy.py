"""Idle IDLE seconds, then burn CPU seconds on one core, recording (clock, CPU) pairs.

Usage: ``recorded_busy.py IDLE_S CPU_S OUT.json``. The record (CLOCK_MONOTONIC seconds,
this process's CPU seconds, every ~2 ms while busy) is the exact truth a sampler's
utilisation can be checked against, whatever else runs on the machine.
"""

import json
import sys
import time

idle_s, cpu_s, out = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
points = [(time.monotonic(), time.process_time())]
time.sleep(idle_s)
points.append((time.monotonic(), time.process_time()))
start = time.process_time()
next_at = 0.0
while (used := time.process_time() - start) < cpu_s:
    if used >= next_at:
        points.append((time.monotonic(), time.process_time()))
        next_at = used + 0.002
points.append((time.monotonic(), time.process_time()))
with open(out, "w") as record:
    json.dump(points, record)
