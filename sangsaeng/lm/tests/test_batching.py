"""The LM process batches concurrent requests, and a client that goes away stops its sequence."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx

from sangsaeng.lm.engine.sequence import GenerationRequest


def test_concurrent_requests_share_batches(lm_engine):
    # given eight requests submitted at once
    before = (lm_engine.batches, lm_engine.batched_sequences)
    ids = lm_engine.encode(prompt="국회는")
    sequences = [lm_engine.submit(GenerationRequest(prompt_ids=ids, max_tokens=6, temperature=0.0)) for _ in range(8)]
    # when they all finish
    finals = []
    for sequence in sequences:
        while (event := sequence.events.get(timeout=60)).kind != "done":
            pass
        finals.append(event)
    # then they ran in fewer batches than requests, and greedy decoding agrees across rows
    batches = lm_engine.batches - before[0]
    assert lm_engine.batched_sequences - before[1] == 8
    assert batches < 8
    assert len({(e.completion_tokens, e.finish_reason) for e in finals}) == 1


def test_a_disconnected_client_cancels_its_sequence(lm_engine, lm_port):
    # given a long streaming generation over the loopback protocol
    body = json.dumps(
        {"prompt": "대한민국", "max_tokens": 400, "temperature": 1.0, "seed": 1, "ignore_eos": True}
    ).encode()
    sock = socket.create_connection(("127.0.0.1", lm_port))
    sock.sendall(
        b"POST /generate HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    assert b"200" in sock.recv(64)
    cancelled = lm_engine.cancelled
    # when the client hangs up after the first bytes
    sock.close()
    # then the engine stops generating for that sequence, and the server still answers others
    deadline = time.monotonic() + 30
    while lm_engine.cancelled == cancelled and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lm_engine.cancelled == cancelled + 1
    response = httpx.post(
        f"http://127.0.0.1:{lm_port}/generate", json={"prompt": "국민은", "max_tokens": 3, "temperature": 0}, timeout=60
    )
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines[-1]["done"] is True


def test_cancel_marks_the_sequence_cancelled(lm_engine):
    ids = lm_engine.encode(prompt="국민은")
    keep = lm_engine.submit(GenerationRequest(prompt_ids=ids, max_tokens=30, temperature=1.0, seed=3))
    drop = lm_engine.submit(GenerationRequest(prompt_ids=ids, max_tokens=400, temperature=1.0, seed=4, ignore_eos=True))
    drop.cancel()
    done = threading.Event()

    def wait_keep():
        while keep.events.get(timeout=60).kind != "done":
            pass
        done.set()

    threading.Thread(target=wait_keep).start()
    while (event := drop.events.get(timeout=60)).kind != "done":
        pass
    assert event.finish_reason == "cancelled"
    assert event.completion_tokens < 400
    assert done.wait(60)
