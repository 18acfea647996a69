#!/usr/bin/python3
"""Generate the PyTorch reference fixtures in fixtures/.

Run with Debian's torch (CI never runs this; the JSON output is committed):

    sudo apt-get install -y python3-torch        # optional: python3-torchvision
    /usr/bin/python3 scripts/gen_fixtures.py

Writes
    fixtures/losses.json       losses part 1 (torch.nn.functional + torchvision formulas)
    fixtures/losses2.json      losses part 2 (infoNCE, ntXent, uncertainty weighting, mixed)
    fixtures/optim.json        torch.optim trajectories, lr schedules, gradient clipping
    fixtures/safetensors/      tiny.safetensors written by hand + tiny.json (expected contents)

Everything is float64 and seeded (torch.manual_seed(0) at the start of each file),
so re-running the script reproduces the committed files byte for byte on the same
torch version. The format is documented in fixtures/README.md.
"""

import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "fixtures")
GENERATOR = "scripts/gen_fixtures.py"
REDUCTIONS = ("mean", "sum", "none")

try:  # the real reference when available; the same formula by hand otherwise
    from torchvision.ops import sigmoid_focal_loss as _tv_sigmoid_focal_loss
except Exception:  # pragma: no cover
    _tv_sigmoid_focal_loss = None


# ----------------------------------------------------------------------------- helpers


def tl(x):
    """Tensor -> nested Python list / number (floats keep full float64 precision)."""
    if isinstance(x, torch.Tensor):
        return x.detach().tolist()
    return x


def header():
    return {"generator": GENERATOR, "torch": torch.__version__}


def write_json(path, doc, key="cases"):
    """One case per line: small diffs, still valid JSON. NaN/Inf are refused."""
    items = doc.pop(key)
    head = json.dumps(doc, allow_nan=False)[:-1]
    body = ",\n".join(json.dumps(c, allow_nan=False) for c in items)
    text = head + (", " if doc else "") + '"%s": [\n' % key + body + "\n]}\n"
    json.loads(text)  # self-check
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    size = os.path.getsize(path)
    assert size < 1_000_000, (path, size)
    print(f"wrote {os.path.relpath(path, ROOT)}: {len(items)} cases, {size} bytes")


def run_case(name, fn, forward, inputs, grad_names, options, reduction):
    """Evaluate forward(**leaves) and its gradients, return one fixture case.

    inputs: dict name -> tensor (float or int). Float inputs listed in grad_names
    become leaves with requires_grad. For reduction 'none' the backward is that of
    (out * gradOutput).sum() with a random gradOutput (recorded); otherwise out.backward().
    """
    leaves = {}
    for k, v in inputs.items():
        if k in grad_names:
            leaves[k] = v.detach().clone().requires_grad_(True)
        else:
            leaves[k] = v
    out = forward(**leaves)
    grad_output = None
    if out.dim() == 0:
        out.backward()
    else:
        grad_output = torch.randn_like(out)
        (out * grad_output).sum().backward()
    grads = {}
    for k in grad_names:
        g = leaves[k].grad
        grads[k] = tl(g if g is not None else torch.zeros_like(leaves[k]))
    opts = dict(options)
    if reduction is not None:
        opts["reduction"] = reduction
    check_finite(name, out, grads)
    return {
        "name": name,
        "fn": fn,
        "inputs": {k: tl(v) for k, v in inputs.items()},
        "options": {k: tl(v) for k, v in opts.items()},
        "gradOutput": tl(grad_output) if grad_output is not None else None,
        "value": tl(out),
        "grads": grads,
    }


def check_finite(name, out, grads):
    assert torch.isfinite(out).all(), f"{name}: non-finite value"
    for k, g in grads.items():
        assert torch.isfinite(torch.tensor(g)).all(), f"{name}: non-finite grad {k}"


def close(a, b, tol=1e-12, what=""):
    a = torch.as_tensor(a)
    b = torch.as_tensor(b)
    err = (a - b).abs().max().item() if a.numel() else 0.0
    scale = max(1.0, b.abs().max().item() if b.numel() else 1.0)
    assert err <= tol * scale, f"cross-check failed {what}: {err}"


def opt_name(opts):
    parts = []
    for k, v in opts.items():
        if k in ("weight", "posWeight", "priors"):
            parts.append(k)
        elif k == "alpha" and isinstance(v, torch.Tensor):
            parts.append("alpha")
        else:
            parts.append(f"{k}={v}")
    return "/".join(parts) if parts else "plain"


# ----------------------------------------------------------------------------- losses part 1

# class dim is LAST in xent, dim 1 in torch: move it for [B, T, C] inputs.


def to_torch_layout(x):
    return x.movedim(-1, 1) if x.dim() > 2 else x


def ce_ours(logits, target, weight=None, ignoreIndex=-100, labelSmoothing=0.0, reduction="mean"):
    t = to_torch_layout(target) if target.is_floating_point() else target
    return F.cross_entropy(
        to_torch_layout(logits), t, weight=weight, ignore_index=ignoreIndex,
        label_smoothing=labelSmoothing, reduction=reduction)


def ce_design(logits, target, weight=None, ignoreIndex=-100, labelSmoothing=0.0, reduction="mean"):
    """DESIGN.md's stated rules, written independently, to cross-check torch."""
    C = logits.shape[-1]
    lp = torch.log_softmax(logits, -1).reshape(-1, C)
    w = weight if weight is not None else torch.ones(C)
    eps = labelSmoothing
    if target.is_floating_point():
        y = target.reshape(-1, C) * (1 - eps) + eps / C
        per = -(y * lp * w).sum(-1)
        out_shape = target.shape[:-1]
        if reduction == "mean":
            return per.sum() / per.shape[0]
        return per.sum() if reduction == "sum" else per.reshape(out_shape)
    t = target.reshape(-1)
    keep = t != ignoreIndex
    ts = torch.where(keep, t, torch.zeros_like(t))
    wy = w[ts] * keep
    nll = -lp.gather(1, ts[:, None])[:, 0] * wy
    smooth = -(lp * w).sum(-1) * keep
    per = (1 - eps) * nll + eps / C * smooth
    if reduction == "mean":
        return per.sum() / wy.sum()
    return per.sum() if reduction == "sum" else per.reshape(target.shape)


def nll_ours(logProbs, target, weight=None, ignoreIndex=-100, reduction="mean"):
    return F.nll_loss(to_torch_layout(logProbs), target, weight=weight,
                      ignore_index=ignoreIndex, reduction=reduction)


def bce_ours(probs, target, weight=None, reduction="mean"):
    return F.binary_cross_entropy(probs, target, weight=weight, reduction=reduction)


def bcel_ours(logits, target, weight=None, posWeight=None, labelSmoothing=0.0, reduction="mean"):
    if labelSmoothing:
        target = target * (1 - labelSmoothing) + labelSmoothing / 2
    return F.binary_cross_entropy_with_logits(logits, target, weight=weight,
                                              pos_weight=posWeight, reduction=reduction)


def sigmoid_focal_by_hand(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(inputs)
    ce = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def sigmoid_focal_ours(logits, target, gamma=2.0, alpha=0.25, reduction="mean"):
    f = _tv_sigmoid_focal_loss or sigmoid_focal_by_hand
    return f(logits, target, alpha=alpha, gamma=gamma, reduction=reduction)


def focal_ours(logits, target, gamma=2.0, alpha=None, ignoreIndex=-100, reduction="mean"):
    """Softmax focal loss per DESIGN.md: -alpha_y (1 - p_y)^gamma log p_y.
    'mean' divides by sum of alpha_y over counted rows (or their count without alpha);
    ignored rows are 0 in 'none' and count nowhere."""
    lp = torch.log_softmax(logits, -1)
    keep = target != ignoreIndex
    ts = torch.where(keep, target, torch.zeros_like(target))
    lpy = lp.gather(-1, ts.unsqueeze(-1)).squeeze(-1)
    py = lpy.exp()
    per = -((1 - py) ** gamma) * lpy
    a = alpha[ts] if alpha is not None else torch.ones_like(lpy)
    a = a * keep
    per = per * a
    if reduction == "mean":
        return per.sum() / a.sum()
    return per.sum() if reduction == "sum" else per


def masked_bcel_ours(logits, target, mask, posWeight=None, reduction="mean"):
    per = F.binary_cross_entropy_with_logits(logits, target, pos_weight=posWeight, reduction="none")
    per = per * mask
    if reduction == "mean":
        return per.sum() / mask.sum()
    return per.sum() if reduction == "sum" else per


def la_ce_ours(logits, target, priors, tau=1.0, weight=None, ignoreIndex=-100,
               labelSmoothing=0.0, reduction="mean"):
    return ce_ours(logits + tau * torch.log(priors), target, weight=weight, ignoreIndex=ignoreIndex,
                   labelSmoothing=labelSmoothing, reduction=reduction)


def rand_int_targets(shape, C, ignore=None, n_ignore=2):
    t = torch.randint(0, C, shape)
    if ignore is not None:
        flat = t.view(-1)
        idx = torch.randperm(flat.numel())[:n_ignore]
        flat[idx] = ignore
        if ignore >= 0:  # also make sure there are counted rows
            assert (flat != ignore).any()
    return t


def prob_targets(shape):
    return torch.softmax(torch.randn(shape) * 1.5, -1)


def gen_losses():
    torch.manual_seed(0)
    cases = []
    N, C = 6, 4

    # ---- crossEntropy, integer targets, 2-D
    int_variants = [
        ("int", {}, None),
        ("int/weight", {"weight": True}, None),
        ("int/ignoreIndexDefault", {}, -100),              # option omitted, targets contain -100
        ("int/ignoreIndex", {"ignoreIndex": 1}, 1),
        ("int/weight/ignoreIndex", {"weight": True, "ignoreIndex": 1}, 1),
        ("int/weight/ignoreIndexDefault", {"weight": True}, -100),
        ("int/labelSmoothing=0.1", {"labelSmoothing": 0.1}, None),
        ("int/labelSmoothing=0.2", {"labelSmoothing": 0.2}, None),
        ("int/weight/labelSmoothing=0.1", {"weight": True, "labelSmoothing": 0.1}, None),
        ("int/weight/labelSmoothing=0.2", {"weight": True, "labelSmoothing": 0.2}, None),
        ("int/ignoreIndex/labelSmoothing=0.2", {"ignoreIndex": 1, "labelSmoothing": 0.2}, 1),
        ("int/ignoreIndexDefault/labelSmoothing=0.1", {"labelSmoothing": 0.1}, -100),
        ("int/weight/ignoreIndex/labelSmoothing=0.1",
         {"weight": True, "ignoreIndex": 1, "labelSmoothing": 0.1}, 1),
        ("int/weight/ignoreIndex=3/labelSmoothing=0.2",
         {"weight": True, "ignoreIndex": 3, "labelSmoothing": 0.2}, 3),
    ]

    def ce_cases(tag, shape, variants, scale=2.0):
        for vname, vopts, ign in variants:
            for red in REDUCTIONS:
                logits = torch.randn(*shape, C) * scale if scale is not None \
                    else torch.rand(*shape, C) * 100 - 50  # 'large': uniform in (-50, 50)
                opts = {}
                if vopts.get("weight"):
                    opts["weight"] = torch.rand(C) * 1.5 + 0.25
                for k in ("ignoreIndex", "labelSmoothing"):
                    if k in vopts:
                        opts[k] = vopts[k]
                if vname.startswith("int"):
                    target = rand_int_targets(shape, C, ign)
                    grads = ["logits"]
                else:
                    target = prob_targets((*shape, C))
                    grads = ["logits", "target"]
                c = run_case(f"crossEntropy/{tag}{vname}/{red}", "crossEntropy",
                             lambda logits, target, _o=opts, _r=red: ce_ours(logits, target, **_o, reduction=_r),
                             {"logits": logits, "target": target}, grads, opts, red)
                close(c["value"], ce_design(logits, target, **opts, reduction=red),
                      what=c["name"] + " vs DESIGN rule")
                cases.append(c)

    ce_cases("", (N,), int_variants)

    # ---- probability targets (rows sum to 1), grads wrt logits and target
    prob_variants = [
        ("prob", {}, None),
        ("prob/weight", {"weight": True}, None),
        ("prob/labelSmoothing=0.1", {"labelSmoothing": 0.1}, None),
        ("prob/labelSmoothing=0.2", {"labelSmoothing": 0.2}, None),
        ("prob/weight/labelSmoothing=0.1", {"weight": True, "labelSmoothing": 0.1}, None),
    ]
    ce_cases("", (N,), prob_variants)

    # ---- [B, T, C] inputs (class dim last in xent; torch gets logits.movedim(-1, 1))
    btc_variants = [
        ("int", {}, None),
        ("int/weight/ignoreIndex", {"weight": True, "ignoreIndex": 1}, 1),
        ("int/weight/ignoreIndex/labelSmoothing=0.1",
         {"weight": True, "ignoreIndex": 1, "labelSmoothing": 0.1}, 1),
        ("prob", {}, None),
        ("prob/weight/labelSmoothing=0.1", {"weight": True, "labelSmoothing": 0.1}, None),
    ]
    ce_cases("BTC/", (2, 3), btc_variants)

    # ---- large logits: uniform in (-50, 50)
    large_variants = [
        ("int", {}, None),
        ("int/weight/ignoreIndex/labelSmoothing=0.1",
         {"weight": True, "ignoreIndex": 1, "labelSmoothing": 0.1}, 1),
        ("prob", {}, None),
        ("prob/weight/labelSmoothing=0.2", {"weight": True, "labelSmoothing": 0.2}, None),
    ]
    ce_cases("large/", (N,), large_variants, scale=None)

    # ---- nllLoss: logProbs = log_softmax of random logits, recorded as the (leaf) input
    nll_variants = [
        ("plain", {}, None, (N,)),
        ("weight", {"weight": True}, None, (N,)),
        ("ignoreIndex", {"ignoreIndex": 1}, 1, (N,)),
        ("ignoreIndexDefault", {}, -100, (N,)),
        ("weight/ignoreIndex", {"weight": True, "ignoreIndex": 1}, 1, (N,)),
        ("BTC", {}, None, (2, 3)),
        ("BTC/weight/ignoreIndex", {"weight": True, "ignoreIndex": 1}, 1, (2, 3)),
    ]
    for vname, vopts, ign, shape in nll_variants:
        for red in REDUCTIONS:
            lp = torch.log_softmax(torch.randn(*shape, C) * 2, -1)
            opts = {}
            if vopts.get("weight"):
                opts["weight"] = torch.rand(C) * 1.5 + 0.25
            if "ignoreIndex" in vopts:
                opts["ignoreIndex"] = vopts["ignoreIndex"]
            target = rand_int_targets(shape, C, ign)
            cases.append(run_case(
                f"nllLoss/{vname}/{red}", "nllLoss",
                lambda logProbs, target, _o=opts, _r=red: nll_ours(logProbs, target, **_o, reduction=_r),
                {"logProbs": lp, "target": target}, ["logProbs"], opts, red))

    # ---- binaryCrossEntropy: probs in (0.05, 0.95); grads wrt probs and target
    Nb, Cb = 5, 3
    bce_variants = [
        ("hard", {}, "hard", (Nb, Cb)),
        ("soft", {}, "soft", (Nb, Cb)),
        ("hard/weightC", {"weight": "C"}, "hard", (Nb, Cb)),
        ("soft/weightFull", {"weight": "full"}, "soft", (Nb, Cb)),
        ("soft/weightC", {"weight": "C"}, "soft", (Nb, Cb)),
        ("1d/soft", {}, "soft", (7,)),
    ]

    def bin_target(kind, shape):
        return torch.randint(0, 2, shape).double() if kind == "hard" else torch.rand(shape)

    def weight_for(kind, shape):
        if kind == "C":
            return torch.rand(shape[-1]) * 1.5 + 0.25
        return torch.rand(shape) * 1.5 + 0.25

    for vname, vopts, tkind, shape in bce_variants:
        for red in REDUCTIONS:
            probs = torch.rand(shape) * 0.9 + 0.05
            target = bin_target(tkind, shape)
            opts = {}
            if "weight" in vopts:
                opts["weight"] = weight_for(vopts["weight"], shape)
            cases.append(run_case(
                f"binaryCrossEntropy/{vname}/{red}", "binaryCrossEntropy",
                lambda probs, target, _o=opts, _r=red: bce_ours(probs, target, **_o, reduction=_r),
                {"probs": probs, "target": target}, ["probs", "target"], opts, red))

    # ---- binaryCrossEntropyWithLogits
    bcel_variants = [
        ("hard", {}, "hard"),
        ("soft", {}, "soft"),
        ("weightC", {"weight": "C"}, "hard"),
        ("weightFull", {"weight": "full"}, "soft"),
        ("posWeight", {"posWeight": True}, "hard"),
        ("posWeight/soft", {"posWeight": True}, "soft"),
        ("labelSmoothing=0.1", {"labelSmoothing": 0.1}, "hard"),
        ("labelSmoothing=0.2/soft", {"labelSmoothing": 0.2}, "soft"),
        ("weightC/posWeight", {"weight": "C", "posWeight": True}, "hard"),
        ("posWeight/labelSmoothing=0.1", {"posWeight": True, "labelSmoothing": 0.1}, "hard"),
        ("weightFull/posWeight/labelSmoothing=0.2",
         {"weight": "full", "posWeight": True, "labelSmoothing": 0.2}, "soft"),
    ]
    for vname, vopts, tkind in bcel_variants:
        for red in REDUCTIONS:
            shape = (Nb, Cb)
            logits = torch.randn(shape) * 2
            target = bin_target(tkind, shape)
            opts = {}
            if "weight" in vopts:
                opts["weight"] = weight_for(vopts["weight"], shape)
            if vopts.get("posWeight"):
                opts["posWeight"] = torch.rand(Cb) * 3 + 0.25
            if "labelSmoothing" in vopts:
                opts["labelSmoothing"] = vopts["labelSmoothing"]
            cases.append(run_case(
                f"binaryCrossEntropyWithLogits/{vname}/{red}", "binaryCrossEntropyWithLogits",
                lambda logits, target, _o=opts, _r=red: bcel_ours(logits, target, **_o, reduction=_r),
                {"logits": logits, "target": target}, ["logits", "target"], opts, red))
    # large logits: uniform in (-50, 50)
    for red in REDUCTIONS:
        logits = torch.rand(Nb, Cb) * 100 - 50
        target = bin_target("hard", (Nb, Cb))
        opts = {"posWeight": torch.rand(Cb) * 3 + 0.25}
        cases.append(run_case(
            f"binaryCrossEntropyWithLogits/large/posWeight/{red}", "binaryCrossEntropyWithLogits",
            lambda logits, target, _o=opts, _r=red: bcel_ours(logits, target, **_o, reduction=_r),
            {"logits": logits, "target": target}, ["logits", "target"], opts, red))

    # ---- sigmoidFocalLoss (torchvision.ops.sigmoid_focal_loss)
    for gamma in (2.0, 0.5, 0.0):
        for alpha in (0.25, -1.0):
            for red in REDUCTIONS:
                logits = torch.randn(Nb, Cb) * 2
                target = bin_target("hard", (Nb, Cb))
                opts = {"gamma": gamma, "alpha": alpha}
                cases.append(run_case(
                    f"sigmoidFocalLoss/gamma={gamma}/alpha={alpha}/{red}", "sigmoidFocalLoss",
                    lambda logits, target, _o=opts, _r=red: sigmoid_focal_ours(logits, target, **_o, reduction=_r),
                    {"logits": logits, "target": target}, ["logits", "target"], opts, red))
    for red in REDUCTIONS:  # defaults (gamma 2, alpha 0.25) with soft targets
        logits = torch.randn(Nb, Cb) * 2
        target = bin_target("soft", (Nb, Cb))
        cases.append(run_case(
            f"sigmoidFocalLoss/defaults/soft/{red}", "sigmoidFocalLoss",
            lambda logits, target, _r=red: sigmoid_focal_ours(logits, target, reduction=_r),
            {"logits": logits, "target": target}, ["logits", "target"], {}, red))

    # ---- focalLoss (softmax focal, DESIGN.md)
    for gamma in (0.0, 1.0, 2.0):
        for use_alpha in (False, True):
            for ign in (None, 1):
                for red in REDUCTIONS:
                    logits = torch.randn(N, C) * 2
                    target = rand_int_targets((N,), C, ign)
                    opts = {"gamma": gamma}
                    if use_alpha:
                        opts["alpha"] = torch.rand(C) * 0.9 + 0.1
                    if ign is not None:
                        opts["ignoreIndex"] = ign
                    nm = f"focalLoss/gamma={gamma}" + ("/alpha" if use_alpha else "") + \
                        ("/ignoreIndex" if ign is not None else "") + f"/{red}"
                    c = run_case(nm, "focalLoss",
                                 lambda logits, target, _o=opts, _r=red: focal_ours(logits, target, **_o, reduction=_r),
                                 {"logits": logits, "target": target}, ["logits"], opts, red)
                    if gamma == 0.0:  # closed form: focal with gamma 0 = (alpha-weighted) CE
                        w = opts.get("alpha")
                        close(c["value"], ce_ours(logits, target, weight=w,
                                                  ignoreIndex=ign if ign is not None else -100, reduction=red),
                              what=nm + " vs crossEntropy")
                    cases.append(c)
    for red in REDUCTIONS:  # defaults (gamma 2) on [B, T, C] with the default ignoreIndex in the targets
        logits = torch.randn(2, 3, C) * 2
        target = rand_int_targets((2, 3), C, -100, n_ignore=1)
        cases.append(run_case(
            f"focalLoss/BTC/defaults/ignoreIndexDefault/{red}", "focalLoss",
            lambda logits, target, _r=red: focal_ours(logits, target, reduction=_r),
            {"logits": logits, "target": target}, ["logits"], {}, red))

    # ---- maskedBinaryCrossEntropyWithLogits
    for vname, use_pw, tkind in (("hard", False, "hard"), ("posWeight", True, "hard"),
                                 ("soft/posWeight", True, "soft")):
        for red in REDUCTIONS:
            logits = torch.randn(Nb, Cb) * 2
            target = bin_target(tkind, (Nb, Cb))
            mask = (torch.rand(Nb, Cb) < 0.6).double()
            mask[0, 0] = 1.0
            opts = {"posWeight": torch.rand(Cb) * 3 + 0.25} if use_pw else {}
            cases.append(run_case(
                f"maskedBinaryCrossEntropyWithLogits/{vname}/{red}", "maskedBinaryCrossEntropyWithLogits",
                lambda logits, target, mask, _o=opts, _r=red: masked_bcel_ours(logits, target, mask, **_o, reduction=_r),
                {"logits": logits, "target": target, "mask": mask}, ["logits", "target"], opts, red))

    # ---- logitAdjustedCrossEntropy: crossEntropy(logits + tau * log(priors))
    la_variants = [
        ("tauDefault", {}, None),
        ("tau=1", {"tau": 1.0}, None),
        ("tau=0.5", {"tau": 0.5}, None),
        ("tau=1/weight", {"tau": 1.0, "weight": True}, None),
        ("tau=0.5/labelSmoothing=0.1", {"tau": 0.5, "labelSmoothing": 0.1}, None),
        ("tau=0.5/weight/ignoreIndex/labelSmoothing=0.2",
         {"tau": 0.5, "weight": True, "ignoreIndex": 1, "labelSmoothing": 0.2}, 1),
    ]
    for vname, vopts, ign in la_variants:
        for red in REDUCTIONS:
            logits = torch.randn(N, C) * 2
            target = rand_int_targets((N,), C, ign)
            priors = torch.softmax(torch.randn(C), -1)
            opts = {"priors": priors}
            for k in ("tau",):
                if k in vopts:
                    opts[k] = vopts[k]
            if vopts.get("weight"):
                opts["weight"] = torch.rand(C) * 1.5 + 0.25
            for k in ("ignoreIndex", "labelSmoothing"):
                if k in vopts:
                    opts[k] = vopts[k]
            cases.append(run_case(
                f"logitAdjustedCrossEntropy/{vname}/{red}", "logitAdjustedCrossEntropy",
                lambda logits, target, _o=opts, _r=red: la_ce_ours(logits, target, **_o, reduction=_r),
                {"logits": logits, "target": target}, ["logits"], opts, red))

    # ---- appended cases (after every case above, so those stay byte for byte the same)
    # posWeight of ONE element, PyTorch's pos_weight=torch.tensor([w]) idiom (broadcast to every
    # class): on [N, C] logits and on 1-D logits (one binary output per example).
    for shape, tag in (((Nb, Cb), "posWeightSingle"), ((7,), "1d/posWeightSingle")):
        for red in REDUCTIONS:
            logits = torch.randn(shape) * 2
            target = bin_target("hard", shape)
            opts = {"posWeight": torch.rand(1) * 3 + 0.25}
            cases.append(run_case(
                f"binaryCrossEntropyWithLogits/{tag}/{red}", "binaryCrossEntropyWithLogits",
                lambda logits, target, _o=opts, _r=red: bcel_ours(logits, target, **_o, reduction=_r),
                {"logits": logits, "target": target}, ["logits", "target"], opts, red))
    for red in REDUCTIONS:
        logits = torch.randn(Nb, Cb) * 2
        target = bin_target("soft", (Nb, Cb))
        mask = (torch.rand(Nb, Cb) < 0.6).double()
        mask[0, 0] = 1.0
        opts = {"posWeight": torch.rand(1) * 3 + 0.25}
        cases.append(run_case(
            f"maskedBinaryCrossEntropyWithLogits/soft/posWeightSingle/{red}", "maskedBinaryCrossEntropyWithLogits",
            lambda logits, target, mask, _o=opts, _r=red: masked_bcel_ours(logits, target, mask, **_o, reduction=_r),
            {"logits": logits, "target": target, "mask": mask}, ["logits", "target"], opts, red))
    # focal losses on large logits, uniform in (-50, 50): p rounds to 0 or 1 on many entries.
    # (gamma < 1 is left out: torch's gradient of (1 - p)^gamma is NaN where 1 - p is 0.)
    for gamma in (2.0, 1.0):
        for red in REDUCTIONS:
            logits = torch.rand(Nb, Cb) * 100 - 50
            target = bin_target("hard", (Nb, Cb))
            opts = {"gamma": gamma, "alpha": 0.25}
            cases.append(run_case(
                f"sigmoidFocalLoss/large/gamma={gamma}/alpha=0.25/{red}", "sigmoidFocalLoss",
                lambda logits, target, _o=opts, _r=red: sigmoid_focal_ours(logits, target, **_o, reduction=_r),
                {"logits": logits, "target": target}, ["logits", "target"], opts, red))
        for red in REDUCTIONS:
            logits = torch.rand(N, C) * 100 - 50
            target = rand_int_targets((N,), C, 1)
            opts = {"gamma": gamma, "alpha": torch.rand(C) * 0.9 + 0.1, "ignoreIndex": 1}
            cases.append(run_case(
                f"focalLoss/large/gamma={gamma}/alpha/ignoreIndex/{red}", "focalLoss",
                lambda logits, target, _o=opts, _r=red: focal_ours(logits, target, **_o, reduction=_r),
                {"logits": logits, "target": target}, ["logits"], opts, red))

    doc = header()
    doc["torchvision"] = None
    try:
        import torchvision
        doc["torchvision"] = torchvision.__version__ if _tv_sigmoid_focal_loss else None
    except Exception:
        pass
    doc["cases"] = cases
    write_json(os.path.join(OUT, "losses.json"), doc)
    return cases


# ----------------------------------------------------------------------------- losses part 2

NORMALIZE_EPS = 1e-12


def info_nce_ref(query, keys, temperature=0.1, symmetric=False):
    q = F.normalize(query, dim=-1, eps=NORMALIZE_EPS)
    k = F.normalize(keys, dim=-1, eps=NORMALIZE_EPS)
    logits = q @ k.T / temperature
    labels = torch.arange(query.shape[0])
    loss = F.cross_entropy(logits, labels)
    if symmetric:
        assert query.shape[0] == keys.shape[0]
        loss = (loss + F.cross_entropy(logits.T, labels)) / 2
    return loss


def nt_xent_ref(z1, z2, temperature=0.5):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2], 0), dim=-1, eps=NORMALIZE_EPS)
    sim = z @ z.T / temperature
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    pos = (torch.arange(2 * n) + n) % (2 * n)
    return F.cross_entropy(sim, pos)


def uncertainty_ref(losses, logVars):
    return (torch.exp(-logVars) * losses + logVars).sum()


def gen_losses2():
    torch.manual_seed(0)
    cases = []

    for (N, M) in ((5, 5), (5, 8)):
        for tau in (0.1, 0.5):
            for sym in ((False, True) if N == M else (False,)):
                q = torch.randn(N, 4)
                k = torch.randn(M, 4)
                opts = {"temperature": tau, "symmetric": sym}
                cases.append(run_case(
                    f"infoNCE/N={N}/M={M}/temperature={tau}/symmetric={str(sym).lower()}", "infoNCE",
                    lambda query, keys, _o=opts: info_nce_ref(query, keys, **_o),
                    {"query": q, "keys": k}, ["query", "keys"], opts, None))
    q = torch.randn(4, 3)
    k = q + 0.3 * torch.randn(4, 3)  # positives close to their queries
    cases.append(run_case("infoNCE/defaults/correlated", "infoNCE",
                          lambda query, keys: info_nce_ref(query, keys),
                          {"query": q, "keys": k}, ["query", "keys"], {}, None))

    for tau, N, D in ((None, 4, 3), (0.2, 4, 3), (0.5, 6, 5)):
        z1 = torch.randn(N, D)
        z2 = z1 + 0.5 * torch.randn(N, D)
        opts = {} if tau is None else {"temperature": tau}
        cases.append(run_case(
            f"ntXent/N={N}/D={D}/" + ("defaults" if tau is None else f"temperature={tau}"), "ntXent",
            lambda z1, z2, _o=opts: nt_xent_ref(z1, z2, **_o),
            {"z1": z1, "z2": z2}, ["z1", "z2"], opts, None))

    for T, zero in ((3, False), (2, True), (4, False)):
        losses = torch.rand(T) * 3 + 0.1
        logVars = torch.zeros(T) if zero else torch.randn(T) * 0.5
        cases.append(run_case(
            f"uncertaintyWeighting/T={T}" + ("/logVarsZero" if zero else ""), "uncertaintyWeighting",
            uncertainty_ref, {"losses": losses, "logVars": logVars}, ["losses", "logVars"], {}, None))

    # mixedReconstructionLoss
    def mixed_case(name, parts, weights):
        N = 6
        data = {}
        leaves = {}
        if "binary" in parts:
            B = parts["binary"]
            data["binary"] = {"logits": torch.randn(N, B) * 2, "target": torch.randint(0, 2, (N, B)).double()}
            leaves["binary.logits"] = data["binary"]["logits"].clone().requires_grad_(True)
        if "continuous" in parts:
            K = parts["continuous"]
            data["continuous"] = {"pred": torch.randn(N, K), "target": torch.randn(N, K)}
            leaves["continuous.pred"] = data["continuous"]["pred"].clone().requires_grad_(True)
        if "categorical" in parts:
            data["categorical"] = []
            for j, Cj in enumerate(parts["categorical"]):
                data["categorical"].append({"logits": torch.randn(N, Cj) * 2, "target": torch.randint(0, Cj, (N,))})
                leaves[f"categorical.{j}.logits"] = data["categorical"][j]["logits"].clone().requires_grad_(True)
        w = {"binary": 1.0, "continuous": 1.0, "categorical": 1.0}
        w.update(weights or {})
        total = torch.zeros(())
        pv = {}
        if "binary" in data:
            pb = F.binary_cross_entropy_with_logits(leaves["binary.logits"], data["binary"]["target"])
            pv["binary"] = pb.item()
            total = total + w["binary"] * pb
        if "continuous" in data:
            pc = F.mse_loss(leaves["continuous.pred"], data["continuous"]["target"])
            pv["continuous"] = pc.item()
            total = total + w["continuous"] * pc
        if "categorical" in data:
            pv["categorical"] = []
            for j, head in enumerate(data["categorical"]):
                pj = F.cross_entropy(leaves[f"categorical.{j}.logits"], head["target"])
                pv["categorical"].append(pj.item())
                total = total + w["categorical"] * pj
        total.backward()
        inputs = {}
        for k, v in data.items():
            inputs[k] = [{a: tl(b) for a, b in h.items()} for h in v] if k == "categorical" \
                else {a: tl(b) for a, b in v.items()}
        return {
            "name": f"mixedReconstructionLoss/{name}",
            "fn": "mixedReconstructionLoss",
            "inputs": inputs,
            "options": {"weights": weights} if weights is not None else {},
            "gradOutput": None,
            "value": {"total": total.item(), "parts": pv},
            "grads": {k: tl(v.grad) for k, v in leaves.items()},
        }

    cases.append(mixed_case("all/defaultWeights", {"binary": 3, "continuous": 2, "categorical": [3, 4]}, None))
    cases.append(mixed_case("all/weights", {"binary": 3, "continuous": 2, "categorical": [3, 4]},
                            {"binary": 0.5, "continuous": 2.0, "categorical": 0.3}))
    cases.append(mixed_case("binary+categorical/partialWeights", {"binary": 2, "categorical": [5]},
                            {"categorical": 2.5}))
    cases.append(mixed_case("continuousOnly", {"continuous": 3}, None))

    doc = header()
    doc["normalizeEps"] = NORMALIZE_EPS
    doc["cases"] = cases
    write_json(os.path.join(OUT, "losses2.json"), doc)
    return cases


# ----------------------------------------------------------------------------- optim

# f(p) = sum over params of [ sum(a * p^2) / 2 + sum(b * p) + sum(sin(p)) ]   (a > 0)
# The gradient fed to every step is computed by autograd at the current params and recorded.


def gen_optim():
    torch.manual_seed(0)
    shapes = [(3, 2), (2,)]
    p0 = [torch.randn(s) for s in shapes]
    A = [torch.rand(s) * 2 + 0.5 for s in shapes]
    Bv = [torch.randn(s) for s in shapes]

    def objective(params):
        return sum((a * p * p).sum() / 2 + (b * p).sum() + torch.sin(p).sum()
                   for p, a, b in zip(params, A, Bv))

    cases = []
    key_map = {"lr": "lr", "momentum": "momentum", "dampening": "dampening", "nesterov": "nesterov",
               "weightDecay": "weight_decay", "betas": "betas", "eps": "eps", "alpha": "alpha",
               "centered": "centered", "lrDecay": "lr_decay", "amsgrad": "amsgrad",
               "initialAccumulatorValue": "initial_accumulator_value"}
    inv_map = {v: k for k, v in key_map.items()}
    reported = {
        "SGD": ["lr", "momentum", "dampening", "weightDecay", "nesterov"],
        "Adam": ["lr", "betas", "eps", "weightDecay", "amsgrad"],
        "AdamW": ["lr", "betas", "eps", "weightDecay", "amsgrad"],
        "RMSprop": ["lr", "alpha", "eps", "weightDecay", "momentum", "centered"],
        "Adagrad": ["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps"],
    }
    configs = [
        ("SGD", {"lr": 0.1}),
        ("SGD", {"lr": 0.1, "momentum": 0.9}),
        ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1}),
        ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
        ("SGD", {"lr": 0.1, "weightDecay": 0.01}),
        ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weightDecay": 0.01}),
        ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weightDecay": 0.01}),
        ("Adam", {}),
        ("Adam", {"lr": 0.1}),
        ("Adam", {"lr": 0.1, "weightDecay": 0.01}),
        ("Adam", {"lr": 0.05, "betas": [0.8, 0.95], "eps": 1e-6}),
        ("AdamW", {"lr": 0.1}),
        ("AdamW", {"lr": 0.1, "weightDecay": 0.1}),
        ("AdamW", {"lr": 0.05, "betas": [0.8, 0.95], "eps": 1e-6, "weightDecay": 0.05}),
        ("RMSprop", {}),
        ("RMSprop", {"lr": 0.01, "alpha": 0.9}),
        ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
        ("RMSprop", {"lr": 0.01, "centered": True}),
        ("RMSprop", {"lr": 0.01, "weightDecay": 0.01}),
        ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True, "weightDecay": 0.01}),
        ("Adagrad", {}),
        ("Adagrad", {"lr": 0.1}),
        ("Adagrad", {"lr": 0.1, "lrDecay": 0.01}),
        ("Adagrad", {"lr": 0.1, "weightDecay": 0.01}),
        ("Adagrad", {"lr": 0.1, "initialAccumulatorValue": 0.1}),
        ("Adagrad", {"lr": 0.1, "lrDecay": 0.01, "weightDecay": 0.01, "initialAccumulatorValue": 0.1}),
    ]
    for cls_name, opts in configs:
        params = [p.clone().requires_grad_(True) for p in p0]
        kw = {key_map[k]: (tuple(v) if k == "betas" else v) for k, v in opts.items()}
        opt = getattr(torch.optim, cls_name)(params, **kw)
        resolved = {}
        for k in reported[cls_name]:
            v = opt.defaults[key_map[k]]
            resolved[k] = list(v) if isinstance(v, tuple) else v
        steps = []
        for _ in range(10):
            opt.zero_grad()
            objective(params).backward()
            grads = [tl(p.grad) for p in params]
            opt.step()
            steps.append({"grads": grads, "params": [tl(p) for p in params]})
        name = f"{cls_name}/" + ("/".join(f"{k}={v}" for k, v in opts.items()) or "defaults")
        cases.append({"name": name, "kind": "optimizer", "fn": cls_name, "options": opts,
                      "resolvedOptions": resolved, "params": [tl(p) for p in p0], "steps": steps})

    # ---- lr schedules: base lr 0.1 (SGD), 25 scheduler.step() calls, 26 lrs recorded
    sched_configs = [
        ("StepLR", "StepLR", {"stepSize": 5, "gamma": 0.5}),
        ("StepLR", "StepLR", {"stepSize": 3}),                       # gamma default 0.1
        ("ExponentialLR", "ExponentialLR", {"gamma": 0.9}),
        ("CosineAnnealingLR", "CosineAnnealingLR", {"tMax": 25}),    # etaMin default 0
        ("CosineAnnealingLR", "CosineAnnealingLR", {"tMax": 10, "etaMin": 0.001}),  # runs past tMax
        ("OneCycleLR", "OneCycleLR", {"maxLr": 0.5, "totalSteps": 26}),
        ("OneCycleLR", "OneCycleLR", {"maxLr": 1.0, "totalSteps": 26, "pctStart": 0.25,
                                      "divFactor": 10.0, "finalDivFactor": 100.0}),
        ("LinearWarmup", "LinearLR", {"startFactor": 0.1, "endFactor": 1.0, "totalIters": 5}),
        ("LinearWarmup", "LinearLR", {"totalIters": 10}),            # startFactor 1/3, endFactor 1
        ("LinearWarmup", "LinearLR", {"startFactor": 0.5, "endFactor": 0.1, "totalIters": 20}),
    ]
    sk = {"stepSize": "step_size", "gamma": "gamma", "tMax": "T_max", "etaMin": "eta_min",
          "maxLr": "max_lr", "totalSteps": "total_steps", "pctStart": "pct_start",
          "divFactor": "div_factor", "finalDivFactor": "final_div_factor",
          "startFactor": "start_factor", "endFactor": "end_factor", "totalIters": "total_iters"}
    base_lr = 0.1
    for fn, torch_cls, opts in sched_configs:
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=base_lr)
        kw = {sk[k]: v for k, v in opts.items()}
        if torch_cls == "OneCycleLR":
            kw["cycle_momentum"] = False
            kw["anneal_strategy"] = "cos"
        sched = getattr(torch.optim.lr_scheduler, torch_cls)(opt, **kw)
        lrs = [opt.param_groups[0]["lr"]]
        for _ in range(25):
            opt.step()  # no grads: a no-op, keeps torch's call-order check quiet
            sched.step()
            lrs.append(opt.param_groups[0]["lr"])
        name = f"{fn}/" + "/".join(f"{k}={v}" for k, v in opts.items())
        extra = {"cycleMomentum": False, "annealStrategy": "cos"} if torch_cls == "OneCycleLR" else {}
        cases.append({"name": name, "kind": "schedule", "fn": fn, "torchClass": torch_cls,
                      "baseLr": base_lr, "options": opts, "torchExtra": extra, "lrs": lrs})

    # ---- gradient clipping on fixed grads (two tensors, shapes as above)
    clip_configs = [
        ("clipGradNorm", {"maxNorm": 1.0, "normType": 2}),
        ("clipGradNorm", {"maxNorm": 1.0}),                    # normType default 2
        ("clipGradNorm", {"maxNorm": 0.5, "normType": "inf"}),
        ("clipGradNorm", {"maxNorm": 2.0, "normType": 1}),
        ("clipGradNorm", {"maxNorm": 100.0, "normType": 2}),   # no clipping (coef clamped to 1)
        ("clipGradValue", {"clipValue": 0.5}),
    ]
    for fn, opts in clip_configs:
        params = [torch.zeros(s, requires_grad=True) for s in shapes]
        for p in params:
            p.grad = torch.randn(p.shape) * 1.5
        before = [tl(p.grad) for p in params]
        case = {"name": f"{fn}/" + "/".join(f"{k}={v}" for k, v in opts.items()), "kind": "clip",
                "fn": fn, "options": opts, "gradsBefore": before}
        if fn == "clipGradNorm":
            nt = float("inf") if opts.get("normType") == "inf" else opts.get("normType", 2)
            total = torch.nn.utils.clip_grad_norm_(params, max_norm=opts["maxNorm"], norm_type=nt)
            case["totalNorm"] = total.item()
        else:
            torch.nn.utils.clip_grad_value_(params, clip_value=opts["clipValue"])
            case["totalNorm"] = None
        case["gradsAfter"] = [tl(p.grad) for p in params]
        cases.append(case)

    doc = header()
    doc["objective"] = ("f(params) = sum_i [ sum(a_i * p_i^2) / 2 + sum(b_i * p_i) + sum(sin(p_i)) ]; "
                        "each step's grads are recorded, so a and b are only informative")
    doc["a"] = [tl(a) for a in A]
    doc["b"] = [tl(b) for b in Bv]
    doc["cases"] = cases
    write_json(os.path.join(OUT, "optim.json"), doc)
    return cases


# ----------------------------------------------------------------------------- safetensors

ST_DTYPES = {"F32": ("<f", 4), "F64": ("<d", 8), "I32": ("<i", 4)}


def gen_safetensors():
    """tiny.safetensors by hand: u64 LE header length, JSON header (space-padded to a
    multiple of 8), then the raw little-endian tensor bytes. No torch involved."""
    tensors = [  # (name, dtype, shape, flat values in row-major order)
        ("bias", "F64", [3], [0.1, -1e-300, 12345.678]),
        ("layer.weight", "F32", [2, 3], [1.5, -2.25, 0.0, 0.1, -3.0e38, 1.0e-7]),
        ("labels", "I32", [4], [0, -1, 2147483647, -2147483648]),
    ]
    metadata = {"format": "pt", "source": GENERATOR}
    header, blobs, offset = {}, [], 0
    expected = []
    for name, dtype, shape, values in tensors:
        fmt, size = ST_DTYPES[dtype]
        raw = b"".join(struct.pack(fmt, v) for v in values)
        assert len(raw) == size * math.prod(shape)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        # the values a reader must produce (F32 rounded to float32, then widened)
        stored = [struct.unpack(fmt, struct.pack(fmt, v))[0] for v in values]
        expected.append({"name": name, "dtype": dtype, "shape": shape,
                         "dataOffsets": [offset, offset + len(raw)], "values": stored})
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = metadata
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((-len(hjson)) % 8)
    data = struct.pack("<Q", len(hjson)) + hjson + b"".join(blobs)
    d = os.path.join(OUT, "safetensors")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "tiny.safetensors"), "wb") as f:
        f.write(data)
    doc = {"generator": GENERATOR, "file": "tiny.safetensors", "fileSize": len(data),
           "headerLength": len(hjson), "dataStart": 8 + len(hjson), "metadata": metadata,
           "tensors": expected}
    with open(os.path.join(d, "tiny.json"), "w") as f:
        json.dump(doc, f, indent=2, allow_nan=False)
        f.write("\n")
    print(f"wrote fixtures/safetensors/tiny.safetensors ({len(data)} bytes) and tiny.json")

    # independent check with the reference implementation, when installed
    try:
        from safetensors.numpy import load_file  # noqa: F401
    except Exception:
        print("  (python safetensors module not installed: skipped load check)")
        return
    import numpy as np
    loaded = load_file(os.path.join(d, "tiny.safetensors"))
    for t in expected:
        arr = loaded[t["name"]]
        assert list(arr.shape) == t["shape"], t["name"]
        assert np.array_equal(arr.reshape(-1).astype(np.float64), np.array(t["values"], dtype=np.float64)), t["name"]
    print("  verified with the safetensors python module")


def main():
    os.makedirs(OUT, exist_ok=True)
    gen_losses()
    gen_losses2()
    gen_optim()
    gen_safetensors()


if __name__ == "__main__":
    sys.exit(main())
