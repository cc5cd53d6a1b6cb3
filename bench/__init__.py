"""voxsearch benchmarks (`python -m bench`, `make bench`): quality and speed, each against a reference run alongside;
catalog adaptation (`voxsearch train`), each adapted figure against the unadapted engine in the same run.

Library first: `run_bench(BenchOptions) -> BenchReport`; `__main__` only parses options, shows progress,
prints the tables and writes the JSON.
"""

from bench.options import BenchOptions
from bench.report import BenchReport
from bench.run import run_bench

__all__ = ["BenchOptions", "BenchReport", "run_bench"]
