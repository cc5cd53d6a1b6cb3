"""Tables printed to a pipe or a file keep their columns (rich would cut them to 80)."""

from __future__ import annotations

import subprocess
import sys


def test_piped_tables_are_not_cut_to_80_columns(tmp_path):
    code = ("from rich.table import Table; from voxsearch.cli.common import stdout_console\n"
            "t = Table(); [t.add_column(f'column {i}') for i in range(12)]; t.add_row(*[f'value-{i:03d}' for i in range(12)])\n"
            "stdout_console().print(t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "TERM": "dumb"})
    assert done.returncode == 0, done.stderr
    assert all(f"value-{i:03d}" in done.stdout for i in range(12)), done.stdout
