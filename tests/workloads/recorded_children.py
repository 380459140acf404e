"""Start N children of recorded_busy.py (each burns CPU_S on one core); wait for all.

Usage: ``recorded_children.py N CPU_S OUT_PREFIX``; child i writes ``OUT_PREFIX.i.json``.
"""

import subprocess
import sys
from pathlib import Path

count, cpu_s, prefix = int(sys.argv[1]), sys.argv[2], sys.argv[3]
busy = Path(__file__).with_name("recorded_busy.py")
children = [
    subprocess.Popen([sys.executable, str(busy), "0", cpu_s, f"{prefix}.{i}.json"])
    for i in range(count)
]
sys.exit(max(child.wait() for child in children))
