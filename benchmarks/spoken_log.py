"""What a session sounds like: every phrase and cue it would play, in order, with its time.

    python benchmarks/spoken_log.py low-back
    python benchmarks/spoken_log.py low-back --render-to out/   # and the words in one WAV

The whole routine runs at once on a fake clock, through the session runner, with a beeper that
records what it is asked to play and the coach's speaker over phrases rendered for real by
espeak-ng (into a temporary folder), so the real lengths of the phrases decide which form of
each fits before the next sound, and which beeps a phrase covers. Self-paced reps are counted
at their tempo. Each line is the time from the start and what plays:

    0:00.0  phrase "Clamshell. Lie on your right side; your left leg works. ..." (5.9 s)
    0:15.0  cue go

With --render-to, the phrases said are joined, in order and with a short silence between
them, into one WAV file to listen to; its length is printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import wave
from collections import Counter
from pathlib import Path

from coach.catalog import UnknownRoutine, resolve
from coach.history.model import FixedHistory
from coach.history.sqlite import MemoryStore
from coach.literal import shown
from coach.routine import RoutineError
from coach.runner import SessionRunner
from coach.speaker import VoiceSpeaker
from coach.testing import FakeClock, RecordingBeeper
from coach.voice import PhraseCache, VoiceError, choose_engine, parse_voice

RENDER_WAIT = 300.0  # seconds every phrase of a routine may take to render
GAP = 0.4  # seconds of silence between phrases in the joined file


def clock_text(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


def spoken(name: str, voice: str, cache_root: Path) -> tuple[list[str], list[Path], list[str]]:
    """The log lines, the phrase files said in order, and the totals."""
    with tempfile.TemporaryDirectory() as data:
        entry = resolve(name, Path(data))
    engine = choose_engine(parse_voice(voice), os.environ)
    if engine is None:
        raise VoiceError("no engine")
    clock = FakeClock(0.0)
    beeper = RecordingBeeper(clock)
    cache = PhraseCache(cache_root, engine)
    speaker = VoiceSpeaker(cache, beeper, label=engine.label)
    runner = SessionRunner(
        entry, clock=clock, beeper=beeper, history=FixedHistory(MemoryStore()), speaker=speaker
    )
    runner.prepare()
    if not speaker.rendered.wait(RENDER_WAIT) or speaker.problem:
        raise VoiceError(speaker.problem or f"rendering took over {RENDER_WAIT:g} s")
    rendered = len(list(cache_root.glob("*.wav")))
    runner.begin()
    while not runner.finished:
        due = runner.due()
        if due is not None:
            clock.set(max(due, clock.now()))
            runner.tick()
        elif runner.current.phase == "rep":  # self-paced: the person counts at the tempo
            ex = entry.routine.exercises[runner.current.exercise_index]
            clock.advance(ex.tempo.move + (ex.hold or 0) + ex.tempo.release or 3.0)
            runner.enter()
        else:
            raise RuntimeError(f"the session waits at a {runner.current.phase} step")
    said = iter(speaker.log)
    lines, files = [], []
    for what, when in beeper.played:
        at = clock_text(when or 0.0)
        if what.startswith("phrase:"):
            phrase = next(said)
            path = cache.path(phrase.text)
            if path.name != what.removeprefix("phrase:"):
                raise RuntimeError(f"the log and the player disagree at {at}")
            files.append(path)
            lines.append(f'{at}  phrase "{shown(phrase.text)}" ({phrase.seconds:.1f} s)')
        else:
            lines.append(f"{at}  cue {what}")
    moments = Counter(s.moment for s in speaker.log)
    cues = Counter(what for what, _ in beeper.played if not what.startswith("phrase:"))
    speech = sum(s.seconds for s in speaker.log)
    session = runner.result.elapsed if runner.result else clock.now()
    totals = [
        f"routine {entry.id}: {clock_text(session)} of session, voice {engine.label}",
        f"{len(speaker.log)} phrases said ({speech:.0f} s of speech, "
        f"{100 * speech / session:.0f}% of the session): "
        + ", ".join(f"{n} {kind}" for kind, n in moments.most_common()),
        f"{sum(cues.values())} cues played: "
        + ", ".join(f"{n} {cue}" for cue, n in cues.most_common()),
        f"{rendered} phrases rendered beforehand",
    ]
    return lines, files, totals


def join(files: list[Path], out: Path, gap: float = GAP) -> float:
    """Write the phrases one after another into `out`, `gap` seconds apart; its length."""
    params = None
    with wave.open(str(out), "wb") as joined:
        for path in files:
            with wave.open(str(path), "rb") as part:
                if params is None:
                    params = part.getparams()
                    joined.setparams(params)
                    silence = b"\0" * int(gap * params.framerate) * params.sampwidth
                elif part.getparams()[:3] != params[:3]:
                    raise ValueError(f"{path.name} is not in the format of the others")
                joined.writeframes(part.readframes(part.getnframes()) + silence)
        frames = joined.getnframes() if params else 0
    return frames / params.framerate if params else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("routine", help="a routine's id or the path of its YAML file")
    parser.add_argument("--voice", default="espeak-ng", help="ENGINE[:VOICE] (default espeak-ng)")
    parser.add_argument("--render-to", type=Path, metavar="DIR", help="write the words to a WAV")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            lines, files, totals = spoken(args.routine, args.voice, Path(tmp) / "voice")
        except (UnknownRoutine, RoutineError, VoiceError, ValueError) as exc:
            print(f"spoken_log: {exc}", file=sys.stderr)
            return 1
        print("\n".join(lines))
        print()
        print("\n".join(totals))
        if args.render_to is not None:
            args.render_to.mkdir(parents=True, exist_ok=True)
            out = args.render_to / f"{Path(args.routine).stem}-spoken.wav"
            seconds = join(files, out)
            print(
                f"wrote {out}: {len(files)} phrases, {seconds:.1f} s "
                f"({seconds - GAP * len(files):.1f} s of speech and {GAP:g} s after each)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
