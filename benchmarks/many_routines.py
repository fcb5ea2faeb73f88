"""Many user routines: files to time Home and `coach list` with, and the texts to wait for.

    python benchmarks/many_routines.py DATA_DIR [--files 100] [--exercises 40]

writes DATA_DIR/routines/bench-000.yaml … each a routine of 40 exercises written the way the
built-in ones are (sets, reps, holds, sides, tempo, setup, cues, mistakes), so each file is
about as long to read as a real one of that size.
"""

from __future__ import annotations

import argparse
from pathlib import Path

FILES = 100
EXERCISES = 40

HEAD = """\
# A routine made for the benchmarks: {exercises} exercises.
title: Benchmark routine {n:03d}
summary: >-
  A long routine made to time the routine list with many files; every exercise is written out
  as the built-in routines write theirs.
tags: [benchmark, strength, mobility]
equipment: [mat, resistance band]
source: "Made for the benchmarks"
safety: >-
  Nothing here is meant to be done; it only stands in for a long routine of your own.
get_ready: 5
rest_between_exercises: 5
exercises:
"""

EXERCISE = """\
  - name: Exercise {k} of routine {n:03d}
    why: Stands in for an exercise with every field filled in, as a real one has.
    sets: 2
    reps: {reps}
    hold: {hold}
    sides: {sides}
    rest: 20
    tempo: {{move: 1, release: 1}}
    words: {{move: LIFT, release: LOWER}}
    equipment: [mat]
    setup: >-
      Lie on your back with your knees bent and your feet flat, hip-width apart, arms by your
      sides and your head resting on the mat.
    cues:
      - Breathe out as you lift; keep your ribs down.
      - Keep your knees in line with your feet.
      - Lower slowly back to the start.
    mistakes:
      - Arching the low back at the top.
      - Letting the knees fall in.
    progression: Add a band above the knees, or hold a little longer at the top.
"""


def routine_text(n: int, exercises: int = EXERCISES) -> str:
    parts = [HEAD.format(n=n, exercises=exercises)]
    for k in range(1, exercises + 1):
        sides = ("none", "both", "alternate")[k % 3]
        # Short doses: 40 exercises must stay well under the 4 hours a routine may last.
        parts.append(EXERCISE.format(n=n, k=k, reps=3 + k % 3, hold=k % 2, sides=sides))
    return "".join(parts)


def write_routines(data: Path, files: int = FILES, exercises: int = EXERCISES) -> list[Path]:
    """`files` routine files in `data`/routines; returns their paths, in id order."""
    folder = data / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(files):
        path = folder / f"bench-{n:03d}.yaml"
        path.write_text(routine_text(n, exercises))
        paths.append(path)
    return paths


def title(n: int) -> str:
    return f"Benchmark routine {n:03d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the data folder (its routines/ is filled)")
    parser.add_argument("--files", type=int, default=FILES)
    parser.add_argument("--exercises", type=int, default=EXERCISES)
    args = parser.parse_args()
    paths = write_routines(args.data, args.files, args.exercises)
    print(f"{len(paths)} routines of {args.exercises} exercises in {args.data / 'routines'}")


if __name__ == "__main__":
    main()
