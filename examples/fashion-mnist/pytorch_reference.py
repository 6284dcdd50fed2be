"""PyTorch reference for examples/fashion-mnist: the same CNN, data scaling, optimizer and batch
size as train.mjs, so mapnn's accuracy can be compared with PyTorch's on this machine.

Run with Debian's PyTorch:  /usr/bin/python3 examples/fashion-mnist/pytorch_reference.py [DATA_DIR] [EPOCHS]
(DATA_DIR defaults to ../shared/datasets/fashion-mnist; uses 2 threads.)
"""
import gzip, os, struct, sys, time
import numpy as np
import torch
from torch import nn

torch.set_num_threads(2)
here = os.path.dirname(os.path.abspath(__file__))
data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', '..', '..', 'shared', 'datasets', 'fashion-mnist')
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 5

def idx(name):
    with gzip.open(os.path.join(data_dir, name), 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    ndim = magic & 0xff
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

xtr = torch.tensor(idx('train-images-idx3-ubyte.gz'), dtype=torch.float32).unsqueeze(1) / 255
ytr = torch.tensor(idx('train-labels-idx1-ubyte.gz'), dtype=torch.int64)
xte = torch.tensor(idx('t10k-images-idx3-ubyte.gz'), dtype=torch.float32).unsqueeze(1) / 255
yte = torch.tensor(idx('t10k-labels-idx1-ubyte.gz'), dtype=torch.int64)

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(epochs):
    t0 = time.time()
    perm = torch.randperm(len(xtr))
    model.train()
    for i in range(0, len(xtr), 64):
        idxs = perm[i:i + 64]
        opt.zero_grad()
        loss = loss_fn(model(xtr[idxs]), ytr[idxs])
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    print(f'epoch {epoch + 1}: test accuracy {acc * 100:.2f}%  ({time.time() - t0:.1f} s)', flush=True)
