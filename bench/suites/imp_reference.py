"""Iterative magnitude pruning with rewinding (Frankle & Carbin 2019; Frankle et al. 2020) in plain
PyTorch, written from the papers, not from the lab's code: bench/suites/imp-reference.ts writes the
lab's initial MLP weights (PyTorch layout), its IMP batches in the lab's order and the lab's masks
into DIR; this script runs the same procedure and prints how many mask entries agree.
  /usr/bin/python3 bench/suites/imp_reference.py --dir DIR --rounds R --density D --rewind J --batch B
The procedure: θ_j = j dense SGD steps from θ_0 on batches 0..j−1; every round restarts at θ_j
(fresh torch.optim.SGD, lr 0.1, momentum 0.9, weight decay 1e-4), trains batches j..T−1 with the
weights multiplied by the mask in the forward pass, then keeps the weights whose |w|·mask is above
the k-th smallest (k = int((1 − d_r)·N), d_r = D^((r+1)/R), global over the prunable weights)."""
import json, struct, sys
import numpy as np
import torch, torch.nn.functional as F

args = sys.argv[1:]
def opt(name, default):
    return args[args.index(name) + 1] if name in args else default
work, R, D, J, B = opt("--dir", None), int(opt("--rounds", "5")), float(opt("--density", "0.1")), int(opt("--rewind", "0")), int(opt("--batch", "128"))
torch.set_num_threads(1)

def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]; header = json.loads(f.read(n)); data = f.read()
    dt = {"F32": np.float32, "I32": np.int32, "I64": np.int64}
    return {k: torch.from_numpy(np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], dtype=dt[v["dtype"]]).reshape(v["shape"]).copy())
            for k, v in header.items() if k != "__metadata__"}

w0, xs, lab = load(f"{work}/w.safetensors"), load(f"{work}/x.safetensors"), load(f"{work}/masks.safetensors")
x, y = xs["x"].reshape(xs["x"].shape[0], -1), xs["y"].long()
batches = [(x[i:i + B], y[i:i + B]) for i in range(0, x.shape[0], B)]
layers = ["l1", "l2", "fc"]
prunable = [f"{l}.weight" for l in layers]

def forward(p, masks, xb):
    h = xb
    for i, l in enumerate(layers):
        w = p[f"{l}.weight"] * masks[f"{l}.weight"]
        h = F.linear(h, w, p[f"{l}.bias"])
        if i < len(layers) - 1: h = F.relu(h)
    return h

def train(start, masks, bs):
    p = {k: v.clone().requires_grad_(True) for k, v in start.items()}
    opt_ = torch.optim.SGD(list(p.values()), lr=0.1, momentum=0.9, weight_decay=1e-4)
    for xb, yb in bs:
        opt_.zero_grad(); F.cross_entropy(forward(p, masks, xb), yb).backward(); opt_.step()
    return {k: v.detach() for k, v in p.items()}

ones = {k: torch.ones_like(w0[k]) for k in prunable}
theta_j = train(w0, ones, batches[:J]) if J > 0 else w0
masks = ones
for r in range(R):
    trained = train(theta_j, masks, batches[J:])
    scores = torch.cat([(trained[k].abs() * masks[k]).flatten() for k in prunable])
    k = int((1.0 - D ** ((r + 1) / R)) * scores.numel())
    if k >= 1:
        threshold = torch.kthvalue(scores, k).values
        masks = {n: torch.where(trained[n].abs() * masks[n] <= threshold, 0.0, 1.0) for n in prunable}
agree = sum(int((masks[n] == lab[f"{n}_mask"]).sum()) for n in prunable)
total = sum(masks[n].numel() for n in prunable)
kept_ref, kept_lab = sum(int(masks[n].sum()) for n in prunable), sum(int(lab[f"{n}_mask"].sum()) for n in prunable)
both = sum(int((masks[n] * lab[f"{n}_mask"]).sum()) for n in prunable)
tw = {}
if J > 0:
    tw = {"ticket_max_abs_diff": max(float((theta_j[k] - lab[k]).abs().max()) for k in w0)}
print(json.dumps({"rounds": R, "density": D, "rewind": J, "batches": len(batches), "agree": agree / total,
                  "kept_overlap": both / max(kept_ref, 1), "kept_ref": kept_ref, "kept_lab": kept_lab, "torch": torch.__version__, **tw}))
