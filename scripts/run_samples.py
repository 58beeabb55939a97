#!/usr/bin/env python3
"""Run the guide's runnable samples on the installed Django and DRF and compare
their output blocks (docs/runnable-samples.md).

  python scripts/run_samples.py --export DIR --root ROOT [--postgres DSN]
      [--summary FILE] [--only SUBSTRING] [--jobs N] [--workdir DIR]

The code lives in scripts/sample_runner/; this file only finds it, so the runner
works wherever scripts/ is copied (a chroot, for the other Django line).
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the sources (they may be copied)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sample_runner.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
