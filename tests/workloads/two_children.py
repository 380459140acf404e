"""Start two busy children (one core each) and wait for both."""

import subprocess
import sys
from pathlib import Path

seconds = sys.argv[1] if len(sys.argv) > 1 else "1.0"
busy = Path(__file__).with_name("busy.py")
children = [subprocess.Popen([sys.executable, str(busy), seconds]) for _ in range(2)]
sys.exit(max(child.wait() for child in children))
