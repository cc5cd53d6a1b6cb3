"""An engine in its own process, called through a pipe: for engines that hold Python's GIL while decoding.

pocketsphinx keeps the GIL for a whole utterance (about 0.5-3 s): in the server two such engines could
not decode at once, and the event loop stalled behind them (health checks answered after seconds).
In a child process the decoder has its own interpreter; the server's thread waits on the pipe with
the GIL released. The child is spawned (the server runs threads, which a fork would copy mid-state),
builds the engine once, and then serves one call at a time, as the engine would in the server's pool.
A child that dies is started again for the next call; the call it died in gets an EngineError.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import weakref
from collections.abc import Callable
from typing import Any

from voxsearch.errors import EngineError, ModelError
from voxsearch.types import Audio, ModelInfo, Transcript

__all__ = ["EngineProcess"]

log = logging.getLogger(__name__)
STOP_TIMEOUT_S = 5.0


class EngineProcess:
    """`build()` run in a child process; `transcribe`, `catalog_hypothesis` and `catalog_transcript` forwarded
    to what it built.

    Not thread-safe, like the engines it holds: one caller at a time."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._start()

    def transcribe(self, audio: Audio) -> Transcript:
        return self._call("transcribe", audio)

    def catalog_hypothesis(self, audio: Audio) -> tuple[Transcript, bool]:
        return self._call("catalog_hypothesis", audio)

    def catalog_transcript(self, audio: Audio) -> Transcript:
        return self._call("catalog_transcript", audio)

    @property
    def info(self) -> ModelInfo:
        return self._info

    @info.setter
    def info(self, info: ModelInfo) -> None:
        """Renamed (e.g. as a model version) here and in the child, whose transcripts carry it."""
        self._call("_rename", info)
        self._info = info

    def close(self) -> None:
        self._finalizer()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(self._build, child), daemon=True,
                                        name="voxsearch-engine")
        self._process.start()
        child.close()
        self._finalizer = weakref.finalize(self, _stop, self._process, self._conn)
        try:
            self._info = self._receive("loading the engine (a script that starts it needs an "
                                       "`if __name__ == \"__main__\":` guard: the process imports it)")
        except BaseException:
            self._finalizer()
            raise

    def _call(self, method: str, *args: Any) -> Any:
        if not self._process.is_alive():
            log.warning("engine process %s had exited (code %s); starting it again", self._process.pid,
                        self._process.exitcode)
            self._finalizer()
            info = self._info
            self._start()
            if info != self._info:
                self.info = info  # as the caller named it (a model version's id)
        try:
            self._conn.send((method, args))
        except (BrokenPipeError, OSError) as e:
            raise EngineError(f"the engine process stopped before {method} ({e}); the next request restarts it") from e
        return self._receive(method)

    def _receive(self, doing: str = "decoding") -> Any:
        try:
            ok, value = self._conn.recv()
        except EOFError:
            self._process.join(timeout=STOP_TIMEOUT_S)
            raise EngineError(f"the engine process exited (code {self._process.exitcode}) while {doing}; "
                              "the next call starts it again") from None
        if not ok:
            raise value
        return value


def _serve(build: Callable[[], Any], conn: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop (Ctrl-C on the server)
    try:
        engine = build()
    except BaseException as e:  # noqa: BLE001 - sent to the parent, which raises it
        conn.send((False, _picklable(e)))
        return
    conn.send((True, engine.info))
    while True:
        try:
            request = conn.recv()
        except EOFError:  # the parent went away
            return
        if request is None:
            return
        method, args = request
        try:
            if method == "_rename":
                engine.info = args[0]
                conn.send((True, None))
            else:
                conn.send((True, getattr(engine, method)(*args)))
        except Exception as e:  # noqa: BLE001 - the caller gets the engine's own error
            conn.send((False, _picklable(e)))


def _picklable(error: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001 - an error type that does not survive the pipe
        return ModelError(f"{type(error).__name__}: {error}")


def _stop(process: Any, conn: Any) -> None:
    try:
        conn.send(None)
    except (OSError, ValueError):
        pass
    process.join(timeout=STOP_TIMEOUT_S)
    if process.is_alive():
        process.kill()
        process.join()
    conn.close()
