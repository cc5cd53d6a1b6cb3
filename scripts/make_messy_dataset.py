"""Write the messy test dataset (mixed label conventions, random silence and volume, broken files).

    .venv/bin/python scripts/make_messy_dataset.py --out /tmp/messy [--clips 24] [--seed 7]
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from voxsearch.data.messy import MessyOptions, write_messy_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="folder for manifest.jsonl, truth.json, audio/")
    parser.add_argument("--clips", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-broken", action="store_true", help="leave out broken files and hostile paths")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result = write_messy_dataset(args.out, MessyOptions(seed=args.seed, clips=args.clips, broken=not args.no_broken))
    print(f"wrote {result.clips} clips, {result.labels} labels: {result.manifest} (truth: {result.truth})")


if __name__ == "__main__":
    main()
