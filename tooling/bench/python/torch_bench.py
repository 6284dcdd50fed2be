"""PyTorch CPU peer of `pnpm bench` (tooling/bench/src/peers/torch.ts starts it).

A long-lived worker driven by JSON lines on stdin, one reply line on stdout per request, so that
the bench can alternate PyTorch runs with the JavaScript frameworks' runs:

  {"op": "info"}                                  -> {"torch": "1.13.0", "threads": 2, ...}
  {"op": "setup", "case": "matmul", ...}          -> {"ok": true}   (inputs: raw float32 / int32 files)
  {"op": "run"}                                   -> {"ms": 12.3}   (timed here, with perf_counter)
  {"op": "result", "path": "/tmp/…/out.f32"}      -> {"ok": true}   (the result as raw float32)
  {"op": "dispose"}                               -> {"ok": true}
  {"op": "exit"}

A run does the whole computation and leaves its result on the host (CPU tensors are), like a
JavaScript run that reads its result back. Training steps: zero_grad, forward, cross-entropy,
backward, Adam step, loss.item(). Errors come back as {"error": "…"}.

Usage: python3 torch_bench.py [--threads N]   (default 2; torch.set_num_threads(N))
"""

import json
import os
import sys
import time

import torch
import torch.nn.functional as F


def read_f32(path, shape):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    return torch.frombuffer(data, dtype=torch.float32).clone().reshape(shape)


def read_i64(path, n):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    return torch.frombuffer(data, dtype=torch.int32).clone().reshape(n).long()


def write_f32(path, t):
    with open(path, "wb") as f:
        f.write(t.detach().contiguous().float().numpy().tobytes())


class Case:
    """A prepared workload: run() -> result tensor (kept for `result`)."""

    def __init__(self, run):
        self.run = run
        self.last = None


def setup_matmul(req):
    n = req["n"]
    a = read_f32(req["files"]["a"], (n, n))
    b = read_f32(req["files"]["b"], (n, n))
    return Case(lambda: torch.mm(a, b))


def setup_conv(req):
    N, C, F_, H, W, k = (req[key] for key in ("N", "C", "F", "H", "W", "k"))
    x = read_f32(req["files"]["x"], (N, C, H, W))
    w = read_f32(req["files"]["w"], (F_, C, k, k))
    pad = k // 2
    return Case(lambda: F.conv2d(x, w, None, 1, pad))


def setup_train(req, model):
    """model: a torch.nn.Module whose parameters() order matches req['weights'] (mapnn's order)."""
    with torch.no_grad():
        for p, spec in zip(model.parameters(), req["weights"]):
            p.copy_(read_f32(spec["path"], tuple(spec["shape"])))
    x = read_f32(req["files"]["x"], tuple(req["xShape"]))
    y = read_i64(req["files"]["labels"], req["N"])
    opt = torch.optim.Adam(model.parameters(), lr=req.get("lr", 1e-3))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return torch.tensor([loss.item()])

    return Case(step)


def setup_cnn(req):
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10),
    )
    return setup_train(req, model)


def setup_mlp(req):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return setup_train(req, model)


SETUP = {"matmul": setup_matmul, "conv": setup_conv, "cnn-train": setup_cnn, "mlp-train": setup_mlp}


def main():
    threads = 2
    if "--threads" in sys.argv:
        threads = int(sys.argv[sys.argv.index("--threads") + 1])
    torch.set_num_threads(threads)
    case = None
    first = None  # the first run's result (training cases: the first step's loss)
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        op = req.get("op")
        try:
            if op == "exit":
                break
            if op == "info":
                reply = {
                    "torch": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "python": sys.version.split()[0],
                    "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY", ""),
                    "openblasThreadTimeout": os.environ.get("OPENBLAS_THREAD_TIMEOUT", ""),
                }
            elif op == "setup":
                case = SETUP[req["case"]](req)
                first = None
                reply = {"ok": True}
            elif op == "run":
                t0 = time.perf_counter()
                r = case.run()
                ms = (time.perf_counter() - t0) * 1e3
                case.last = r
                if first is None:
                    first = r
                reply = {"ms": ms}
            elif op == "result":
                write_f32(req["path"], first if req.get("first") else case.last)
                reply = {"ok": True}
            elif op == "dispose":
                case = None
                first = None
                reply = {"ok": True}
            else:
                reply = {"error": f"unknown op {op!r}"}
        except Exception as e:  # reported to the bench, which skips the column for this case
            reply = {"error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
