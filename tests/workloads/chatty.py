"""Write much more output than a pipe buffer holds, to stdout and stderr."""

import sys

for i in range(50_000):
    print(f"stdout line {i}")
    if i % 10 == 0:
        print(f"stderr line {i}", file=sys.stderr)
print("done")
