"""PyTorch 1.13 peer of examples/compress-cnn-fashion-mnist.mjs: the same Fashion-MNIST CNN, data
scaling ([0, 1]), Adam 1e-3, batch 64 and protocol:

  dense       D epochs → snapshot S; S + F more dense epochs = the baseline
  gradual     S + F epochs, torch.nn.utils.prune.l1_unstructured per layer after training batch t
              at t = 0, Δt, …, endStep to Zhu & Gupta's s_t = s_f (1 − t / endStep)³ complement
              (the count pruned each time is round(s_t · n) minus those already pruned — the
              PruningContainer prunes among the remaining entries), then the masks are fixed;
              --scope global: global_unstructured over the four weights instead
  structured  S → torch.nn.utils.prune.ln_structured(n=2, dim=0) on both convs' weight (bias
              masked alike) → F epochs fine-tuning. PyTorch only masks: the model keeps its size
              (torch 1.13 has no physical channel removal), so only the accuracy compares.

PyTorch 1.13 has no k-means weight sharing, so the clustering part has no peer.

  ptq         S → torch.ao.quantization eager-mode static PTQ (fbgemm, else onednn; conv/linear fused with their
              ReLU, calibrated on the first 8 training batches of 64), default and min-max qconfigs.

Run:  /usr/bin/python3 packages/compression/scripts/torch_compress_cnn.py [--dense-epochs 2] [--epochs 2]
      [--sparsity 0.9] [--channels 0.5] [--scope layer|global] [--limit N] [--data DIR] [--seed 0] [--threads 1]
"""
import argparse, copy, gzip, os, struct, time
import numpy as np
import torch
from torch import nn
from torch.nn.utils import prune

here = os.path.dirname(os.path.abspath(__file__))
p = argparse.ArgumentParser()
p.add_argument('--dense-epochs', type=int, default=2)
p.add_argument('--epochs', type=int, default=2)
p.add_argument('--sparsity', type=float, default=0.9)
p.add_argument('--channels', type=float, default=0.5)
p.add_argument('--data', default=os.path.join(here, '..', '..', '..', '..', 'shared', 'datasets', 'fashion-mnist'))
p.add_argument('--seed', type=int, default=0)
p.add_argument('--threads', type=int, default=1)
p.add_argument('--limit', type=int, default=0)
p.add_argument('--parts', default='gradual,structured', help="any of 'gradual,structured,ptq'")
p.add_argument('--scope', default='layer', help="'layer', 'global', or 'layer,global' (both, from the same start)")
a = p.parse_args()
torch.set_num_threads(a.threads)


def idx(name):
    with gzip.open(os.path.join(a.data, name), 'rb') as f:
        data = f.read()
    ndim = struct.unpack('>I', data[:4])[0] & 0xff
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


xtr = torch.tensor(idx('train-images-idx3-ubyte.gz'), dtype=torch.float32).unsqueeze(1) / 255
ytr = torch.tensor(idx('train-labels-idx1-ubyte.gz'), dtype=torch.int64)
xte = torch.tensor(idx('t10k-images-idx3-ubyte.gz'), dtype=torch.float32).unsqueeze(1) / 255
yte = torch.tensor(idx('t10k-labels-idx1-ubyte.gz'), dtype=torch.int64)
if a.limit:
    xtr, ytr = xtr[:a.limit], ytr[:a.limit]
steps_per_epoch = (len(xtr) + 63) // 64


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))


def accuracy(m):
    m.eval()
    with torch.no_grad():
        return (m(xte).argmax(1) == yte).float().mean().item()


def train(m, epochs, seed, after_step=None):
    """`epochs` epochs with a fresh Adam (1e-3); after_step(t) after each batch t (from 0)."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    t = 0
    for _ in range(epochs):
        m.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            loss_fn(m(xtr[b]), ytr[b]).backward()
            opt.step()
            if after_step:
                after_step(t)
            t += 1


def timed(label, f):
    t0 = time.time()
    f()
    print(f'  [{label}: {time.time() - t0:.0f} s]', flush=True)


pct = lambda v: f'{100 * v:.2f} %'
pts = lambda v, base: f'{100 * (v - base):.2f} points'
torch.manual_seed(a.seed)
start = cnn()
timed(f'dense {a.dense_epochs} epochs', lambda: train(start, a.dense_epochs, a.seed))
S = copy.deepcopy(start.state_dict())
print(f'dense after {a.dense_epochs} epochs: {pct(accuracy(start))}')
if 'gradual' in a.parts or 'structured' in a.parts:
    timed(f'dense +{a.epochs} epochs', lambda: train(start, a.epochs, a.seed + 1))
    dense = accuracy(start)
    print(f'BASELINE dense after {a.dense_epochs + a.epochs} epochs: {pct(dense)}')


def from_snapshot():
    m = cnn()
    m.load_state_dict(S)
    return m


def gradual(scope):
    m = from_snapshot()
    layers = [m[0], m[3], m[7], m[9]]
    steps = a.epochs * steps_per_epoch
    freq = max(1, steps // 30)
    end = max(freq, (2 * steps) // 3 // freq * freq)

    def prune_step(t):
        if t % freq or t > end:
            return
        s = a.sparsity * (1 - (1 - t / end) ** 3)  # s_f + (s_i − s_f)(1 − t/end)³ with s_i = 0
        if scope == 'global':  # all weights ranked together (global_unstructured, L1)
            n = sum(l.weight.numel() for l in layers)
            done = sum(int((l.weight_mask == 0).sum()) for l in layers if hasattr(l, 'weight_mask'))
            k = round(s * n) - done
            if k > 0:
                prune.global_unstructured([(l, 'weight') for l in layers], pruning_method=prune.L1Unstructured, amount=k)
            return
        for layer in layers:
            n = layer.weight.numel()
            done = int((layer.weight_mask == 0).sum()) if hasattr(layer, 'weight_mask') else 0
            k = round(s * n) - done  # Python's round: half to even, as mapnn's count
            if k > 0:
                prune.l1_unstructured(layer, 'weight', amount=k)

    timed(f'gradual pruning {a.epochs} epochs (steps 0…{end} every {freq})', lambda: train(m, a.epochs, a.seed + 1, prune_step))
    acc = accuracy(m)
    zeros = [f'{100 * float((l.weight == 0).float().mean()):.2f} %' for l in layers]
    print(f'GRADUAL {a.sparsity} ({scope}, torch.nn.utils.prune) after {a.dense_epochs} + {a.epochs} epochs: {pct(acc)} ({pts(acc, dense)}); zeros per layer {", ".join(zeros)}')


if 'gradual' in a.parts:
    for scope in a.scope.split(','):
        gradual(scope)

if 'structured' in a.parts:
    m = from_snapshot()
    for conv in (m[0], m[3]):
        prune.ln_structured(conv, 'weight', amount=a.channels, n=2, dim=0)
        prune.custom_from_mask(conv, 'bias', conv.weight_mask[:, 0, 0, 0].clone())
    one_shot = accuracy(m)
    timed(f'structured fine-tuning {a.epochs} epochs', lambda: train(m, a.epochs, a.seed + 1))
    acc = accuracy(m)
    kept = [int((c.weight_mask[:, 0, 0, 0] != 0).sum()) for c in (m[0], m[3])]
    print(f'STRUCTURED {a.channels} of conv channels (ln_structured n=2 dim=0, masks only; kept {kept}): one-shot {pct(one_shot)}, after {a.epochs} fine-tuning epochs {pct(acc)} ({pts(acc, dense)})')


def ptq(name, qconfig):
    """Eager-mode post-training static quantization of the D-epoch snapshot (x86: fbgemm, or onednn where torch lacks it)."""
    from torch.ao import quantization as tq
    torch.backends.quantized.engine = ENGINE
    m = nn.Sequential(tq.QuantStub(), from_snapshot(), tq.DeQuantStub()).eval()
    tq.fuse_modules(m[1], [['0', '1'], ['3', '4'], ['7', '8']], inplace=True)
    m.qconfig = qconfig
    tq.prepare(m, inplace=True)
    with torch.no_grad():
        for i in range(0, 8 * 64, 64):
            m(xtr[i:i + 64])
    tq.convert(m, inplace=True)
    acc = accuracy(m)
    size = lambda mod: len(pickle_bytes(mod.state_dict()))
    print(f'PTQ {name}: int8 {pct(acc)} ({pts(acc, base)}), state dict {size(m):,} B vs float {size(from_snapshot()):,} B')


def pickle_bytes(state):
    import io
    buf = io.BytesIO()
    torch.save(state, buf)
    return buf.getvalue()


if 'ptq' in a.parts:
    from torch.ao import quantization as tq
    ENGINE = next(e for e in ('fbgemm', 'onednn', 'qnnpack') if e in torch.backends.quantized.supported_engines)
    print(f'PTQ engine: {ENGINE}')
    base = accuracy(from_snapshot())
    print(f'PTQ float32 after {a.dense_epochs} epochs: {pct(base)}')
    ptq(f'{ENGINE} default qconfig', tq.get_default_qconfig(ENGINE))
    ptq('min-max activations (reduce_range), per-channel symmetric weights', tq.QConfig(
        activation=tq.MinMaxObserver.with_args(dtype=torch.quint8, reduce_range=True),
        weight=tq.default_per_channel_weight_observer))
