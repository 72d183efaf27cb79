"""How `sangsaeng serve` starts the LM process, and how that process runs."""

from __future__ import annotations

import signal
import sys
from types import FrameType

from sangsaeng.core.serving import ProcessSpec


def lm_server_spec() -> ProcessSpec:
    return ProcessSpec(name="lm", argv=[sys.executable, "-m", "sangsaeng.cli", "lm", "server"])


def lm_server_run(*, host: str, port: int, model_dir: str, dtype: str, name: str, max_batch: int) -> None:
    """Load the model once, start the batch loop and serve loopback HTTP until SIGTERM/SIGINT."""
    from sangsaeng.lm.engine.batching import Engine
    from sangsaeng.lm.engine.runtime import runtime_load
    from sangsaeng.lm.engine.server import server_make

    runtime = runtime_load(model_dir=model_dir, dtype=dtype, name=name)
    engine = Engine(runtime, max_batch=max_batch).start()
    server = server_make(engine=engine, host=host, port=port)

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(
        f"lm: {runtime.name} ({runtime.dtype} on {runtime.device}, context {runtime.context_length}) "
        f"on http://{host}:{port}",
        flush=True,
    )
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        engine.stop()
