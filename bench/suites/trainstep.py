"""One ResNet-20 training step at batch 128 with the official code: lottery_resnet.resnet20 in train
mode (BatchNorm on batch statistics), nn.CrossEntropyLoss, backward, torch.optim.SGD with momentum and
weight decay. PyTorch CPU with --threads N threads. bench/suites/trainstep.ts runs it alternately with
the lab's step on the same weights and inputs (written by --save DIR on the first call, read back by
both sides). Needs PXREF = an export of github iurada/px-ntk-pruning (never part of this repo):
  PXREF=DIR /usr/bin/python3 bench/suites/trainstep.py --dir DIR [--save] [--steps K] [--threads N] --json FILE
Times: K timed steps after one warm-up step (which creates SGD's momentum buffers)."""
import json, os, struct, sys, time
import numpy as np
sys.path.insert(0, os.environ["PXREF"])
import torch, torch.nn as nn
from lib.models.lottery_resnet import resnet20

args = sys.argv[1:]
def opt(name, default):
    return args[args.index(name) + 1] if name in args else default
work, steps, threads, out = opt("--dir", None), int(opt("--steps", "3")), int(opt("--threads", "1")), opt("--json", None)
LR, MOMENTUM, WD, N = 0.01, 0.9, 1e-4, 128
torch.set_num_threads(threads)

def save(path, tensors):
    header, chunks, off = {}, [], 0
    for name, a in tensors.items():
        a = np.ascontiguousarray(a); b = a.tobytes()
        header[name] = {"dtype": {"float32": "F32", "int64": "I64"}[str(a.dtype)], "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        chunks.append(b); off += len(b)
    h = json.dumps(header).encode(); h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h); [f.write(c) for c in chunks]

def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]; header = json.loads(f.read(n)); data = f.read()
    dt = {"F32": np.float32, "I64": np.int64}
    return {k: torch.from_numpy(np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], dtype=dt[v["dtype"]]).reshape(v["shape"]).copy())
            for k, v in header.items() if k != "__metadata__"}

if "--save" in args:
    torch.manual_seed(0)
    m = resnet20(num_classes=10)
    sd = {k: v.numpy() for k, v in m.state_dict().items() if not k.endswith("_mask") and not k.endswith("num_batches_tracked")}
    save(f"{work}/w.safetensors", sd)
    save(f"{work}/x.safetensors", {"x": torch.randn(N, 3, 32, 32).numpy(), "y": (torch.arange(N) % 10).numpy().astype(np.int64)})

m = resnet20(num_classes=10)
m.load_state_dict(load(f"{work}/w.safetensors"), strict=False)
inp = load(f"{work}/x.safetensors"); x, y = inp["x"], inp["y"]
m.train()
sgd = torch.optim.SGD(m.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WD)
loss_fn = nn.CrossEntropyLoss()

def step():
    sgd.zero_grad()
    loss = loss_fn(m(x), y)
    loss.backward()
    sgd.step()
    return loss.item()

step()
times = []
for _ in range(steps):
    t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
rec = {"torch": torch.__version__, "threads": torch.get_num_threads(), "step_s": times}
if out:
    with open(out, "w") as f: json.dump(rec, f)
print(json.dumps(rec))
