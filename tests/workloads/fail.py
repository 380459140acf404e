"""Write some output, then fail with exit code 3."""

import sys

print("working on it")
for i in range(30):
    print(f"log line {i}", file=sys.stderr)
print("model file missing: weights.bin", file=sys.stderr)
sys.exit(3)
