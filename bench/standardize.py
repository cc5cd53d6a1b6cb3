"""Benchmark: `data standardize` throughput (clips/s) against sox doing trim + gain normalization on the same
files, both with the same number of parallel jobs, measured in one run and printed as a ratio.

    .venv/bin/python -m bench.standardize [--clips 40] [--jobs 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from voxsearch.data.messy import MessyOptions, write_messy_dataset
from voxsearch.data.standardize import StandardizeOptions, standardize

# the sox reference: downmix, 16 kHz, cut silence at both ends (energy), 200 ms pad, peak-normalize to -1 dBFS
SOX_EFFECTS = ["channels", "1", "rate", "16k", "silence", "1", "0.02", "-45d", "reverse", "silence", "1", "0.02",
               "-45d", "reverse", "pad", "0.2", "0.2", "gain", "-n", "-1"]


def run_sox(files: list[Path], out_dir: Path, jobs: int) -> float:
    out_dir.mkdir(parents=True, exist_ok=True)

    def one(path: Path) -> None:
        subprocess.run(["sox", "-q", str(path), "-b", "16", str(out_dir / (path.stem + ".wav")), *SOX_EFFECTS],
                       check=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, files))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("sox") is None:
        raise SystemExit("bench.standardize needs sox (apt install sox)")
    with tempfile.TemporaryDirectory(prefix="vox-bench-std-") as folder:
        root = Path(folder)
        data = write_messy_dataset(root / "data", MessyOptions(clips=args.clips, broken=False, clipped_clips=0))
        files = sorted((root / "data").glob("audio/*"))
        sox_s = run_sox(files, root / "sox", args.jobs)
        start = time.perf_counter()
        result = standardize(data.manifest, root / "version", options=StandardizeOptions(jobs=args.jobs))
        ours_s = time.perf_counter() - start
    ours, sox = len(result.clips) / ours_s, len(files) / sox_s
    print(f"data standardize: {len(result.clips)} clips in {ours_s:.2f} s = {ours:.1f} clips/s "
          f"(jobs={args.jobs}, {result.definition['audio']['vad']} VAD + 10 ms refinement, LUFS, atomic writes)")
    print(f"sox trim + gain:  {len(files)} clips in {sox_s:.2f} s = {sox:.1f} clips/s (jobs={args.jobs})")
    print(f"ratio voxsearch/sox: {ours / sox:.2f}x")


if __name__ == "__main__":
    main()
