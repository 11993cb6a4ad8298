"""Run every benchmark under bench/ one after the other (never two at once: they share 2 cores).

.venv/bin/python bench/run_all.py            # all of them
.venv/bin/python bench/run_all.py checkin    # those whose name contains "checkin"
"""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ORDER = [
    'import_delegates', 'invitations', 'minutes', 'checkin', 'live',
    'loop_stall', 'mail_burst', 'cluster',
]  # fmt: skip


def main() -> int:
    wanted = sys.argv[1:]
    scripts = [BENCH / f'{name}.py' for name in ORDER if (BENCH / f'{name}.py').exists()]
    scripts = [s for s in scripts if not wanted or any(w in s.stem for w in wanted)]
    failures = 0
    for script in scripts:
        print(f'\n=== {script.name} ===', flush=True)
        failures += subprocess.run([sys.executable, str(script)], check=False).returncode != 0
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
