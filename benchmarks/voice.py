"""Figure 7: the coach's voice. When does a phrase start after its boundary, how long does a
routine's rendering take, and what does the voice cost in CPU?

a. Phrase start. A short routine (counted reps on both sides, a side switch, a rest and, in the
   full run, a 20 s hold with its halfway) runs on the real clock through `coach.runner.drive`
   with the real PlaysoundBeeper and a VoiceSpeaker over a PhraseCache that holds every phrase
   already (espeak-ng). The real player (gst-play-1.0, else aplay) plays through ALSA's file
   plugin instead of a sound card: each play gets a file of its own (an ALSA configuration of
   its own, chosen by setting ALSA_CONFIG_PATH just before the play, a few microseconds), and
   a watcher process notes with inotify when each file is first written.
   For each phrase: its boundary (`Said.at`, the moment the engine scheduled) → the moment
   `playsound` returned (the player process has been started), and → the player's first bytes
   (its own start-up on top), all on the monotonic clock.
b. Rendering. Every form of every phrase of each routine in routines/ (Phrasebook.every_phrase),
   rendered with espeak-ng into an empty cache folder (cold), then asked for again by a new
   cache over the same folder, as the next session does (cached).
c. CPU. The session of (a), run again in a fresh process without the voice: CPU seconds of
   the process (all its threads) and of its players, per minute of session.

Run on its own, each part prints JSON:
    python benchmarks/voice.py run --seconds 60 [--voice off]
    python benchmarks/voice.py render
    python benchmarks/voice.py figure --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import resource
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from report import Figure, Row, median, percentile

HERE = Path(__file__).resolve().parent
GOAL_MS = 10.0
TITLE = "Voice: phrase start, rendering, CPU"
ROUTINE = """\
title: Voice timing
get_ready: {ready}
switch_sides: {switch}
rest_between_exercises: 4
exercises:
  - name: Side leg raise
    sets: {sets}
    reps: {reps}
    hold: 1
    sides: both
    rest: 3
    tempo: {{move: {move}, release: {move}}}
"""
LONG_HOLD = """\
  - name: Bridge
    reps: 1
    hold: 20
    tempo: {move: 0, release: 0}
"""
SHORT_END = """\
  - name: Heel raise
    reps: 2
    hold: 1
    tempo: {move: 0.5, release: 0.5}
"""
ALSA_CONF = 'pcm.!default {{ type file; slave.pcm "null"; file "{file}"; format "raw" }}\n'


def routine_text(seconds: float) -> tuple[str, float]:
    """A routine of about `seconds`: counted reps on both sides, a switch and a rest; from
    40 s on, more sets and a 20 s hold (a halfway), else a short second exercise."""
    from coach.plan import build_plan
    from coach.routine_yaml import parse_routine

    if seconds < 40:
        text = ROUTINE.format(ready=3, switch=2, sets=1, reps=2, move=0.5) + SHORT_END
        return text, build_plan(parse_routine(text), "voice").total_seconds
    for sets in range(1, 200):
        text = ROUTINE.format(ready=5, switch=3, sets=sets, reps=3, move=1) + LONG_HOLD
        total = build_plan(parse_routine(text), "voice").total_seconds
        if total >= seconds:
            return text, total
    raise ValueError(f"no routine of {seconds} s")


def espeak() -> Any:
    """The espeak-ng engine as the coach would choose it, or None when it is not installed."""
    from coach.voice import VoiceError, VoiceSetting, choose_engine

    try:
        return choose_engine(VoiceSetting("engine", "espeak-ng"), os.environ)
    except VoiceError:
        return None


def real_player() -> str | None:
    """The playsound3 backend to use: gst-play-1.0 (its first choice on Linux), else aplay."""
    if shutil.which("gst-play-1.0"):
        return "gstreamer"
    if shutil.which("aplay"):
        return "alsa"
    return None


def alsa_config(conf: Path, out: Path) -> str:
    """Write an ALSA configuration that sends the default device to `out`; the value for
    ALSA_CONFIG_PATH."""
    conf.write_text(ALSA_CONF.format(file=out))
    return f"/usr/share/alsa/alsa.conf:{conf}"


def phrases_of(text: str) -> list[str]:
    from coach.phrases import Phrasebook
    from coach.plan import build_plan
    from coach.routine_yaml import parse_routine

    routine = parse_routine(text)
    return Phrasebook(build_plan(routine, "voice"), routine).every_phrase()


# ------------------------------------------------------------------ a and c: a session


async def session(
    seconds: float, data: Path, voice: bool, files: Path, count: int
) -> dict[str, Any]:
    """Run the routine once with the real clock and player; play n goes to files/out/n.raw
    (through ALSA configurations written beforehand, one for each of `count` plays)."""
    from coach.clock import MonotonicClock
    from coach.history.model import FixedHistory
    from coach.history.sqlite import MemoryStore
    from coach.routine import RoutineEntry
    from coach.routine_yaml import parse_routine
    from coach.runner import SessionRunner, drive
    from coach.session import Event, Session
    from coach.sound import PlaysoundBeeper
    from coach.speaker import VoiceSpeaker
    from coach.voice import PhraseCache

    clock = MonotonicClock()
    text, total = routine_text(seconds)
    entry = RoutineEntry("voice", Path("voice.yaml"), parse_routine(text))
    handled: dict[float, float] = {}  # boundary → when the runner handled it
    plays: list[tuple[int, float, float, str]] = []  # (file, called, returned, what)
    numbers = itertools.count()
    (files / "conf").mkdir(parents=True, exist_ok=True)
    configs = [
        alsa_config(files / "conf" / f"{n}.conf", files / "out" / f"{n}.raw") for n in range(count)
    ]

    class TimedSession(Session):
        def start(self, now: float | None = None) -> list[Event]:
            moment = clock.now()
            events = super().start(now)
            handled.update((e.at, moment) for e in events)
            return events

        def tick(self, now: float | None = None) -> list[Event]:
            moment = clock.now() if now is None else now
            events = super().tick(moment)
            handled.update((e.at, moment) for e in events)
            return events

    class TimedBeeper(PlaysoundBeeper):
        def _next_file(self) -> int:
            n = next(numbers)
            os.environ["ALSA_CONFIG_PATH"] = configs[n]
            return n

        def play(self, cue: str) -> None:
            called = clock.now()
            n = self._next_file()
            super().play(cue)
            plays.append((n, called, clock.now(), f"cue:{cue}"))

        def play_phrase(self, path: Path, seconds: float) -> bool:
            called = clock.now()
            n = self._next_file()
            started = super().play_phrase(path, seconds)
            if started:
                plays.append((n, called, clock.now(), "phrase"))
            return started

    beeper = TimedBeeper()
    speaker = None
    if voice:
        engine = espeak()
        speaker = VoiceSpeaker(PhraseCache(data / "voice", engine), beeper, label=engine.label)
    runner = SessionRunner(
        entry, clock=clock, beeper=beeper, history=FixedHistory(MemoryStore()), speaker=speaker
    )
    runner.session = TimedSession(runner.plan, clock)
    ready = time.process_time()
    runner.prepare()  # as during the briefing: the player loads, the phrases are looked up
    await asyncio.to_thread(beeper.wait_ready)
    if speaker is not None:
        await asyncio.to_thread(speaker.rendered.wait, 60)
        if speaker.problem:
            raise RuntimeError(speaker.problem)
    ready = time.process_time() - ready
    cpu, children, wall = time.process_time(), _children_cpu(), time.perf_counter()
    runner.begin()
    result = await asyncio.wait_for(drive(runner), total + 10)
    await asyncio.to_thread(beeper.wait)  # the last phrase or cue plays to its end
    beeper.close()
    cpu, children = time.process_time() - cpu, _children_cpu() - children
    wall = time.perf_counter() - wall
    if not result.completed:
        raise RuntimeError("the session did not finish")
    if beeper.problem:
        raise RuntimeError(f"the beeper failed: {beeper.problem}")
    said = speaker.log if speaker is not None else []
    phrase_plays = [p for p in plays if p[3] == "phrase"]
    if len(phrase_plays) != len(said):
        raise RuntimeError(f"{len(phrase_plays)} phrases started, {len(said)} in the log")
    return {
        "routine_seconds": total,
        "wall": wall,
        "cpu": cpu,
        "children_cpu": children,
        "ready_cpu": ready,
        "cues": sum(1 for p in plays if p[3] != "phrase"),
        "phrases": [
            {
                "file": n,
                "at": s.at,
                "handled": handled.get(s.at, s.at),
                "called": called,
                "returned": returned,
                "text": s.text,
                "seconds": s.seconds,
                "moment": s.moment,
            }
            for (n, called, returned, _), s in zip(phrase_plays, said, strict=True)
        ],
    }


def parse_and_plan(text: str) -> list[Any]:
    from coach.plan import build_plan
    from coach.routine_yaml import parse_routine

    return list(build_plan(parse_routine(text), "voice").steps)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def warm(data: Path, seconds: float) -> None:
    """Render the routine's phrases into the cache, as an earlier session would have."""
    from coach.voice import PhraseCache

    cache = PhraseCache(data / "voice", espeak())
    for text in phrases_of(routine_text(seconds)[0]):
        cache.ensure(text)


def sounded(seconds: float, folder: Path, voice: bool) -> dict[str, Any]:
    """The session with each play writing to a file of its own, and a watcher noting when
    each player first wrote."""
    data, files = folder / "data", folder / ("alsa-on" if voice else "alsa-off")
    (files / "out").mkdir(parents=True, exist_ok=True)
    warm(data, seconds)
    count = 4 * len(parse_and_plan(routine_text(seconds)[0])) + 20
    watcher = subprocess.Popen(
        [sys.executable, __file__, "watch", str(files / "out")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert watcher.stdin is not None and watcher.stdout is not None
    try:
        if watcher.stdout.readline().strip() != "ready":
            raise RuntimeError("the file watcher did not start")
        run = asyncio.run(session(seconds, data, voice, files, count))
    finally:
        watcher.stdin.close()
        firsts = json.loads(watcher.stdout.read() or "{}")
        watcher.wait(10)
    for phrase in run["phrases"]:
        phrase["first_bytes"] = firsts.get(f"{phrase['file']}.raw")
    return run


def watch(folder: Path) -> int:
    """In a process of its own: note when each file in `folder` is first written (monotonic
    clock), then remove it (a player racing through a file with no sound card to wait for can
    write megabytes of silence); print the moments as JSON once standard input closes."""
    import ctypes
    import ctypes.util
    import struct

    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    in_modify = 0x2
    fd = libc.inotify_init1(os.O_CLOEXEC)
    if fd < 0 or libc.inotify_add_watch(fd, os.fsencode(folder), in_modify) < 0:
        return 1
    print("ready", flush=True)
    first: dict[str, float] = {}
    stdin = sys.stdin.fileno()
    while True:
        ready, _, _ = select.select([fd, stdin], [], [])
        now = time.monotonic()
        if fd in ready:
            data, pos = os.read(fd, 1 << 16), 0
            while pos < len(data):
                _, _, _, length = struct.unpack_from("iIII", data, pos)
                name = data[pos + 16 : pos + 16 + length].rstrip(b"\0").decode()
                pos += 16 + length
                if name and name not in first:
                    first[name] = now
                    (folder / name).unlink(missing_ok=True)
        if stdin in ready and not os.read(stdin, 4096):
            break
    print(json.dumps(first), flush=True)
    return 0


# ------------------------------------------------------------------ b: rendering


def rendering() -> dict[str, Any]:
    """Part b: each seed routine's phrases, cold into an empty folder, then cached."""
    from coach.paths import builtin_routines_dir
    from coach.voice import PhraseCache

    engine = espeak()
    out: dict[str, Any] = {}
    for path in sorted(builtin_routines_dir().glob("*.yaml")):
        texts = phrases_of(path.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp:
            times: dict[str, list[float]] = {"cold": [], "cached": []}
            for kind in times:
                cache = PhraseCache(Path(tmp) / "voice", engine)  # a new session's
                for text in texts:
                    started = time.perf_counter()
                    cache.ensure(text)
                    times[kind].append(time.perf_counter() - started)
            speech = sum(cache.seconds(t) or 0 for t in texts)
        out[path.stem] = {"phrases": len(texts), "speech_seconds": speech, **times}
    return out


# ------------------------------------------------------------------ the figure


def figure(
    runs: dict[str, Any], renders: dict[str, Any], seconds: float, player: str | None
) -> Figure:
    """The rows: (a) from the run with the voice, (b) per routine, (c) both runs."""
    rows: list[Row] = []
    method = []
    run = runs.get("on")
    if run is not None:
        phrases = run["phrases"]
        started = [(p["returned"] - p["at"]) * 1000 for p in phrases]
        woke = [(p["handled"] - p["at"]) * 1000 for p in phrases]
        chose = [(p["called"] - p["handled"]) * 1000 for p in phrases]
        spawn = [(p["returned"] - p["called"]) * 1000 for p in phrases]
        rows += [
            Row(
                "phrase start → player started, p99",
                percentile(started, 0.99),
                "ms",
                goal=GOAL_MS,
                goal_is_ratio=False,
                note=f"max {max(started):.2f} ms, median {median(started):.2f} ms over "
                f"{len(started)} phrases; medians of its parts: the boundary handled late "
                f"{median(woke):.2f} ms (max {max(woke):.2f}), choosing the phrase "
                f"{median(chose):.2f} ms, the playsound call {median(spawn):.2f} ms "
                f"(max {max(spawn):.2f})",
            ),
            Row("phrase start → player started, max", max(started), "ms"),
        ]
        heard = [
            (p["first_bytes"] - p["at"]) * 1000 for p in phrases if p["first_bytes"] is not None
        ]
        if heard:
            rows.append(
                Row(
                    "phrase start → first audio bytes, p99",
                    percentile(heard, 0.99),
                    "ms",
                    note=f"the player's own start-up ({_player_name(player)} through ALSA); "
                    f"median {median(heard):.0f} ms, min {min(heard):.0f} ms, max "
                    f"{max(heard):.0f} ms, {len(heard)} of {len(phrases)} phrases seen",
                )
            )
        method.append(
            f"(a) one {run['routine_seconds']:.0f} s session (asked for ≥ {seconds:g} s), "
            f"{len(phrases)} phrases and {run['cues']} cues, {_player_name(player)} into an "
            "ALSA file"
        )
    elif player is None:
        method.append("(a, c) skipped: no gst-play-1.0 or aplay")
    for name, r in renders.items():
        cold, cached = r["cold"], r["cached"]
        rows.append(
            Row(
                f"render {name} ({r['phrases']}), cold",
                sum(cold),
                "s",
                note=f"per phrase median {median(cold) * 1000:.0f} ms, max "
                f"{max(cold) * 1000:.0f} ms; {r['speech_seconds']:.0f} s of speech",
            )
        )
        rows.append(
            Row(
                f"render {name}, cached",
                sum(cached) * 1000,
                "ms",
                note=f"per phrase median {median(cached) * 1000:.2f} ms, max "
                f"{max(cached) * 1000:.2f} ms",
            )
        )
    method.append("(b) espeak-ng, every form of every phrase, one pass each")
    if "on" in runs and "off" in runs:
        on, off = runs["on"], runs["off"]

        def per_minute(r: dict[str, Any], key: str) -> float:
            return r[key] / r["wall"] * 60

        rows.append(
            Row(
                "CPU a minute, voice on: coach",
                per_minute(on, "cpu"),
                "s",
                reference=per_minute(off, "cpu"),
                reference_name="voice off",
                note="the coach process, all threads; getting ready beforehand (the player "
                f"loaded, the cached phrases looked up): {on['ready_cpu'] * 1000:.0f} ms "
                f"against {off['ready_cpu'] * 1000:.0f} ms",
            )
        )
        rows.append(
            Row(
                "CPU a minute, voice on: + players",
                per_minute(on, "cpu") + per_minute(on, "children_cpu"),
                "s",
                reference=per_minute(off, "cpu") + per_minute(off, "children_cpu"),
                reference_name="voice off",
                note=f"{len(on['phrases'])} phrases and {on['cues']} cues against "
                f"{off['cues']} cues; the players write to a file with no sound card to wait "
                "for, so their share is not what they cost with one",
            )
        )
        method.append("(c) the session of (a) again without the voice")
    return Figure(7, TITLE, rows, method="; ".join(method), runs={**runs, "render": renders})


def _player_name(backend: str | None) -> str:
    return {"gstreamer": "gst-play-1.0", "alsa": "aplay"}.get(backend or "", "none")


def _part(args: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        lines = done.stderr.strip().splitlines()
        raise RuntimeError(lines[-1] if lines else f"voice.py {args[0]} failed")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def voice_figure(seconds: float) -> Figure:
    """Figure 7, each part in a fresh process; skipped without espeak-ng."""
    started = time.perf_counter()
    if espeak() is None:
        return Figure(7, TITLE, method="skipped: no espeak-ng")
    player = real_player()
    limit = seconds * 2 + 120
    env = {k: v for k, v in os.environ.items() if k not in ("COACH_VOICE", "COACH_SOUND")}
    renders = _part(["render"], env, 600)
    runs: dict[str, Any] = {}
    if player is not None:
        env["PLAYSOUND3_BACKEND"] = player
        with tempfile.TemporaryDirectory() as tmp:
            for voice in ("on", "off"):
                args = ["run", "--seconds", str(seconds), "--voice", voice, "--folder", tmp]
                runs[voice] = _part(args, env, limit)
    made = figure(runs, renders, seconds, player)
    made.seconds = time.perf_counter() - started
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=("run", "render", "watch", "figure"))
    parser.add_argument("place", nargs="?", type=Path, help="the folder to watch")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--voice", choices=("on", "off"), default="on")
    parser.add_argument("--folder", type=Path, help="where the cache and the files go")
    args = parser.parse_args()
    if args.part == "watch":
        return watch(args.place)
    if args.part == "figure":
        json.dump(voice_figure(args.seconds).to_json(), sys.stdout, indent=2)
    elif args.part == "render":
        json.dump(rendering(), sys.stdout)
    else:
        os.environ.setdefault("PLAYSOUND3_BACKEND", real_player() or "")
        with tempfile.TemporaryDirectory() as tmp:
            run = sounded(args.seconds, args.folder or Path(tmp), args.voice == "on")
        json.dump(run, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
