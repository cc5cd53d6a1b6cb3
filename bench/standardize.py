"""Benchmark: `data standardize` throughput (clips/s) against sox doing trim + gain normalization on the same
files, both with the same number of parallel jobs, measured in one run and printed as a ratio.

    .venv/bin/python -m bench.standardize [--clips 200] [--jobs 2] [--rounds 5]

Each round runs sox, the `voxsearch data standardize` command (a new process: interpreter start-up and
imports included) and the library call `standardize()` (in this process) on the same files into fresh
folders, in a rotating order; the medians over the rounds are reported, and the ratio is the median of
the per-round ratios (the machine is shared, so single timings are noisy).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from voxsearch.data.messy import MessyOptions, write_messy_dataset
from voxsearch.data.standardize import StandardizeOptions, standardize

# the sox reference: downmix, 16 kHz, cut silence at both ends (energy), 200 ms pad, peak-normalize to -1 dBFS
SOX_EFFECTS = ["channels", "1", "rate", "16k", "silence", "1", "0.02", "-45d", "reverse", "silence", "1", "0.02",
               "-45d", "reverse", "pad", "0.2", "0.2", "gain", "-n", "-1"]


def sox_command(source: Path, target: Path) -> list[str]:
    # -V1: errors only (the float WAVs draw a harmless header warning); -b 16: PCM_16 like the definition
    return ["sox", "-V1", str(source), "-b", "16", str(target), *SOX_EFFECTS]


def run_sox(files: list[Path], out_dir: Path, jobs: int) -> float:
    out_dir.mkdir(parents=True, exist_ok=True)

    def one(path: Path) -> None:
        subprocess.run(sox_command(path, out_dir / f"{path.name}.wav"), check=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, files))
    return time.perf_counter() - start


def run_command(manifest: Path, out_dir: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "voxsearch", "data", "standardize", str(manifest), "--out", str(out_dir),
                    "--jobs", str(jobs)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_library(manifest: Path, out_dir: Path, jobs: int) -> float:
    start = time.perf_counter()
    standardize(manifest, out_dir, options=StandardizeOptions(jobs=jobs))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=200)  # fewer clips measure mostly start-up
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("sox") is None:
        raise SystemExit("bench.standardize needs sox (apt install sox)")
    with tempfile.TemporaryDirectory(prefix="vox-bench-std-") as folder:
        root = Path(folder)
        data = write_messy_dataset(root / "data", MessyOptions(clips=args.clips, broken=False, clipped_clips=0))
        files = sorted((root / "data").glob("audio/*"))
        sides: dict[str, Callable[[Path], float]] = {
            "sox": lambda out: run_sox(files, out, args.jobs),
            "command": lambda out: run_command(data.manifest, out, args.jobs),
            "library": lambda out: run_library(data.manifest, out, args.jobs),
        }
        seconds: dict[str, list[float]] = {name: [] for name in sides}
        names = list(sides)
        for round_index in range(args.rounds):
            for name in names[round_index % 3:] + names[: round_index % 3]:
                out = root / f"{name}-{round_index}"
                seconds[name].append(sides[name](out))
                shutil.rmtree(out)
    n = len(files)
    rate = {name: n / statistics.median(values) for name, values in seconds.items()}
    ratio = {name: statistics.median(s / o for s, o in zip(seconds["sox"], seconds[name], strict=True))
             for name in ("command", "library")}
    print(f"{n} clips, jobs={args.jobs}, median of {args.rounds} rounds")
    print(f"sox trim + gain:          {rate['sox']:6.1f} clips/s  ({' '.join(sox_command(Path('IN'), Path('OUT.wav')))})")
    print(f"voxsearch data standardize: {rate['command']:6.1f} clips/s  (the command, start-up included)")
    print(f"standardize() in-process: {rate['library']:6.1f} clips/s  (webrtc VAD + 10 ms refinement, LUFS, atomic writes)")
    print(f"ratio voxsearch/sox: command {ratio['command']:.2f}x, library {ratio['library']:.2f}x")


if __name__ == "__main__":
    main()
