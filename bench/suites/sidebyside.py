"""Side by side, in one run on this machine: `px-lab score` against the official PyTorch pruners
(CPU, 2 threads) on the same ResNet-20 weights and 120-130 images, alternating runs, best of two each.
Needs Debian's PyTorch (apt-get install -y python3-torch python3-tqdm) and PXREF = a folder holding an
export of the official code (github iurada/px-ntk-pruning, HEAD). Run in the project checkout:
  PXREF=DIR /usr/bin/python3 bench/suites/sidebyside.py [GOAL_RATIO] [--threads N] [--json FILE]
Prints one line per method and the ratios last; exit 0 when PX's ratio is <= GOAL_RATIO (default 1.0).
--json FILE also writes every timing (npm run bench reads it). Copied from the project's shared
reference script (../shared/reference/sidebyside.py); the official code is never part of this repo.
The lab's time is the one `px-lab score` prints (setup of the run included, process start excluded);
the official time wraps score() + mask() for every round on a freshly built model."""
import json, os, re, subprocess, sys, tempfile, time
import json, struct
import numpy as np
sys.path.insert(0, os.environ["PXREF"])
import torch, torch.nn as nn
from torch.utils.data import DataLoader, Dataset

from globals import CONFIG
from lib.models.lottery_resnet import resnet20
from lib.generator import masked_parameters
from lib.pruners import PX, SNIP, SynFlow

args = [a for a in sys.argv[1:]]
threads = 2
json_out = None
if "--json" in args:
    i = args.index("--json"); json_out = args[i + 1]; del args[i:i + 2]
if "--threads" in args:
    i = args.index("--threads"); threads = int(args[i + 1]); del args[i:i + 2]
torch.set_num_threads(threads)
goal = float(args[0]) if args else 1.0
tmp = tempfile.mkdtemp()
torch.manual_seed(3)
N, EPC, R, D = 130, 12, 5, 0.5
base = resnet20(num_classes=10)
sd0 = {k: v.clone() for k, v in base.state_dict().items()}
x = torch.randn(N, 3, 32, 32); y = torch.arange(N) % 10
def save(path, tensors):
    header, chunks, off = {}, [], 0
    for name, a in tensors.items():
        a = np.ascontiguousarray(a); b = a.tobytes()
        header[name] = {"dtype": {"float32": "F32", "int64": "I64"}[str(a.dtype)], "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        chunks.append(b); off += len(b)
    h = json.dumps(header).encode(); h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h); [f.write(c) for c in chunks]

save(f"{tmp}/w.safetensors", {k: v.numpy() for k, v in sd0.items() if not k.endswith("_mask") and not k.endswith("num_batches_tracked")})
save(f"{tmp}/x.safetensors", {"x": x.numpy(), "y": y.numpy().astype(np.int64)})

class DS(Dataset):
    def __init__(self): self.targets = y.tolist()
    def __len__(self): return N
    def __getitem__(self, i): return x[i], int(y[i])

CONFIG.dataset = "CIFAR10"; CONFIG.batch_size = 128
CONFIG.experiment_args = {"examples_per_class": EPC, "batch_limit": 1}
loader = DataLoader(DS(), batch_size=128, shuffle=False)

def official(cls, rounds, density, evalmode):
    m = resnet20(num_classes=10); m.load_state_dict(sd0)
    p = cls(masked_parameters(m))
    m.eval() if evalmode else m.train()
    t0 = time.perf_counter()
    for r in range(rounds):
        p.score(m, nn.CrossEntropyLoss(), loader, "cpu")
        p.mask(density ** ((r + 1) / rounds), "global")
    return time.perf_counter() - t0

def lab(method, rounds, density, extra=()):
    out = f"{tmp}/o.safetensors"
    cmd = ["npx", "--no-install", "px-lab", "score", "--arch", "resnet20", "--weights", f"{tmp}/w.safetensors",
           "--inputs", f"{tmp}/x.safetensors", "--method", method, "--rounds", str(rounds), "--density", str(density), "--out", out, *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    m = re.search(r" in ([0-9.]+) s on (\w+)", p.stdout + p.stderr)
    if p.returncode != 0 or not m:
        raise SystemExit(f"px-lab score {method} failed: {(p.stderr or p.stdout).strip()[-200:]}")
    return float(m.group(1)), m.group(2)

cases = [("px", PX, R, D, True, ["--examples-per-class", str(EPC)]),
         ("synflow", SynFlow, R, D, True, []),
         ("snip", SNIP, 1, D, False, ["--batch-size", "128"])]
ratios = {}
record = {"threads": threads, "torch": torch.__version__, "cases": {}}
for name, cls, rounds, dens, ev, extra in cases:
    ts_lab, ts_off = [], []
    for _ in range(2):
        t, backend = lab(name, rounds, dens, extra); ts_lab.append(t)
        ts_off.append(official(cls, rounds, dens, ev))
    a, b = min(ts_lab), min(ts_off)
    ratios[name] = a / b
    record["cases"][name] = {"rounds": rounds, "lab_s": ts_lab, "lab_backend": backend, "torch_s": ts_off, "lab_best_s": a, "torch_best_s": b, "ratio": a / b}
    if json_out:
        with open(json_out, "w") as f: json.dump(record, f)
    print(f"{name}: {rounds} round(s) on ResNet-20: lab {a:.2f} s ({backend}), official PyTorch CPU {b:.2f} s, lab/PyTorch {a/b:.2f}")
ok = ratios["px"] <= goal
print(f"side by side ({threads} PyTorch thread(s)): PX lab/PyTorch {ratios['px']:.2f} (goal <= {goal}), SynFlow {ratios['synflow']:.2f}, SNIP {ratios['snip']:.2f}")
sys.exit(0 if ok else 1)
