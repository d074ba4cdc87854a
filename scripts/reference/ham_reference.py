#!/usr/bin/env python3
"""Independent PyTorch reference of the HAM algorithms that hopdeq4j implements.

A Hierarchical Associative Memory with layers 0..L (layer 0 the fixed input x) is run as a
Deep Equilibrium Model, as in "Accelerating Hopfield Network Dynamics: Beyond Synchronous
Updates and Forward Euler" (Goemaere, Deleu, Demeester, 2024). Row vectors throughout:

    rho(s)  = sigmoid(4 s - 2)
    c_l(s)  = rho(s_{l-1}) W_{l-1} + rho(s_{l+1}) W_l^T + b_l      (s_0 = x, no s_{L+1})

The synchronous map sets every free layer to its drive; the even-odd map keeps the parity
class of the output layer as the state, sets the other class to its drive and then the state
class to its drive from those. Picard and Anderson (window 4, relative ridge, per-sample
safeguard) solve the fixed point; the paper's convergence measure counts iterations; training
uses recurrent backpropagation and Madam. Run with --help for the subcommands.
"""

import argparse
import gzip
import json
import math
import os
import statistics
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch

PROG = "ham_reference.py"
REPO_ROOT = Path(__file__).resolve().parents[2]
EMBEDDED = (REPO_ROOT / "hopdeq4j-core" / "src" / "main" / "resources" / "org" / "hopdeq4j"
            / "data" / "mnist-sample")

THRESHOLD = 1e-4      # the paper's convergence threshold on the relative residual
WINDOW = 4            # the paper's Anderson window m
RIDGE = 1e-6          # relative ridge: lambda = RIDGE * max_j (F^T F)_jj, per sample
P_SCALE = 1024.0      # Madam p_scale (the paper's)
G_BOUND = 3.0         # Madam g_bound (the paper's)
BATCH = 64
UPDATES = ("sync", "even-odd")
SOLVERS = ("picard", "anderson")


class UserError(Exception):
    """Bad input: reported as one line, exit status 2."""


# ---------------------------------------------------------------------------------------------
# Data: IDX files, gzipped or plain


def read_idx(path):
    """An IDX file of unsigned bytes as a numpy array of its declared shape."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise UserError(f"{path}: corrupt gzip data ({e})")
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise UserError(f"{path}: not an IDX file (the first two bytes must be zero)")
    if raw[2] != 0x08:
        raise UserError(f"{path}: IDX element type {raw[2]:#04x} is not unsigned byte (0x08)")
    ndim = raw[3]
    start = 4 + 4 * ndim
    if len(raw) < start:
        raise UserError(f"{path}: truncated IDX header ({ndim} dimensions declared)")
    dims = struct.unpack(">" + "I" * ndim, raw[4:start])
    count = math.prod(dims)
    if len(raw) - start != count:
        raise UserError(f"{path}: the header declares {'x'.join(map(str, dims))} = {count} "
                        f"bytes of data but the file holds {len(raw) - start}")
    return np.frombuffer(raw, dtype=np.uint8, count=count, offset=start).reshape(dims)


def find_idx(folder, stem):
    for name in (stem, stem + ".gz"):
        if (folder / name).is_file():
            return folder / name
    raise UserError(f"data folder {folder} has neither {stem} nor {stem}.gz")


def load_split(folder, prefix):
    """Images (n x pixels, float32 pixel / 255) and labels (int64) of train or t10k."""
    images = read_idx(find_idx(folder, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(find_idx(folder, f"{prefix}-labels-idx1-ubyte"))
    if images.ndim != 3 or labels.ndim != 1:
        raise UserError(f"{folder}: expected 3-d {prefix} images and 1-d labels but got "
                        f"{images.ndim}-d and {labels.ndim}-d")
    if images.shape[0] != labels.shape[0]:
        raise UserError(f"{folder}: {images.shape[0]} {prefix} images but "
                        f"{labels.shape[0]} labels")
    # float32 division, as the Java reader does (byte / 255f)
    x = images.reshape(images.shape[0], -1).astype(np.float32) / np.float32(255)
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def load_data(folder, prefix):
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"data folder {folder} does not exist")
    return load_split(folder, prefix)


# ---------------------------------------------------------------------------------------------
# Safetensors, by hand: u64 header length, JSON header, raw little-endian data


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": dict(metadata)}
    blobs = []
    offset = 0
    for name, array in tensors.items():
        a = np.ascontiguousarray(array, dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data then starts 8-byte aligned
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for blob in blobs:
            out.write(blob)
    os.replace(tmp, path)


def read_safetensors(path):
    """(tensors as float32 numpy arrays, metadata) of a safetensors file of F32 tensors."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"weights file {path} does not exist")
    raw = path.read_bytes()
    if len(raw) < 8:
        raise UserError(f"{path}: too short for a safetensors file ({len(raw)} bytes)")
    n = struct.unpack("<Q", raw[:8])[0]
    if 8 + n > len(raw):
        raise UserError(f"{path}: header length {n} exceeds the file size {len(raw)}")
    try:
        header = json.loads(raw[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UserError(f"{path}: the header is not valid JSON ({e})")
    metadata = header.pop("__metadata__", None) or {}
    data = memoryview(raw)[8 + n:]
    tensors = {}
    for name, info in header.items():
        if info.get("dtype") != "F32":
            raise UserError(f"{path}: tensor '{name}' has dtype {info.get('dtype')}, not F32")
        shape = [int(d) for d in info["shape"]]
        begin, end = (int(v) for v in info["data_offsets"])
        count = math.prod(shape)
        if end - begin != 4 * count or end > len(data) or begin < 0:
            raise UserError(f"{path}: tensor '{name}' of shape {shape} has data offsets "
                            f"[{begin}, {end}] that do not fit {len(data)} data bytes")
        array = np.frombuffer(data, dtype="<f4", count=count, offset=begin)
        tensors[name] = array.reshape(shape).astype(np.float32)
    return tensors, metadata


# ---------------------------------------------------------------------------------------------
# The network


def parse_layers(text):
    try:
        sizes = [int(v) for v in text.split(",")]
    except ValueError:
        raise UserError(f"--layers must be comma-separated positive integers but was '{text}'")
    if len(sizes) < 2 or any(n <= 0 for n in sizes):
        raise UserError(f"--layers needs at least two positive sizes but was '{text}'")
    return sizes


def rho(s):
    return torch.sigmoid(4.0 * s - 2.0)


class Ham:
    """Blocks W[l] (n_l x n_{l+1}) for l = 0..L-1 and biases b[l] (n_l) for l = 1..L."""

    def __init__(self, sizes, weights, biases):
        self.sizes = list(sizes)
        self.L = len(sizes) - 1
        self.W = weights
        self.b = biases  # b[0] is None: the input has no bias

    @staticmethod
    def initialise(sizes, seed):
        """Xavier-uniform blocks, bound sqrt(6 / (n_l + n_{l+1})); biases N(0, 0.01)."""
        gen = torch.Generator().manual_seed(seed)
        weights = []
        for l in range(len(sizes) - 1):
            bound = math.sqrt(6.0 / (sizes[l] + sizes[l + 1]))
            w = torch.rand(sizes[l], sizes[l + 1], generator=gen) * (2 * bound) - bound
            weights.append(w)
        biases = [None] + [torch.randn(n, generator=gen) * 0.01 for n in sizes[1:]]
        return Ham(sizes, weights, biases)

    def parameters(self):
        return self.W + self.b[1:]

    def names(self):
        return [f"W{l}" for l in range(self.L)] + [f"b{l}" for l in range(1, self.L + 1)]

    def save(self, path, extra=None):
        tensors = {name: p.detach().numpy() for name, p in zip(self.names(), self.parameters())}
        meta = {"model": "ham", "layers": ",".join(map(str, self.sizes)),
                "activation": "sigmoid4"}
        meta.update(extra or {})
        write_safetensors(path, tensors, meta)

    @staticmethod
    def load(path):
        tensors, meta = read_safetensors(path)
        if meta.get("model", "ham") != "ham":
            raise UserError(f"{path}: model '{meta['model']}' is not 'ham'")
        if meta.get("activation", "sigmoid4") != "sigmoid4":
            raise UserError(f"{path}: activation '{meta['activation']}' is not 'sigmoid4'")
        if "layers" not in meta:
            raise UserError(f"{path}: metadata has no 'layers' entry")
        sizes = parse_layers(meta["layers"])
        weights, biases = [], [None]
        for l in range(len(sizes) - 1):
            weights.append(require(tensors, path, f"W{l}", [sizes[l], sizes[l + 1]]))
        for l in range(1, len(sizes)):
            biases.append(require(tensors, path, f"b{l}", [sizes[l]]))
        return Ham(sizes, weights, biases)


def require(tensors, path, name, shape):
    if name not in tensors:
        raise UserError(f"{path}: missing tensor '{name}'")
    if list(tensors[name].shape) != shape:
        raise UserError(f"{path}: tensor '{name}' has shape {list(tensors[name].shape)} "
                        f"but the layers imply {shape}")
    return torch.from_numpy(tensors[name].copy())


# ---------------------------------------------------------------------------------------------
# The two fixed-point maps


class HamMap:
    """f(s) for the synchronous or the even-odd update, with damping h: (1 - h) s + h f(s)."""

    def __init__(self, net, update, damping=1.0):
        self.net = net
        self.update = update
        self.h = damping
        free = range(1, net.L + 1)
        if update == "sync":
            self.state = list(free)
            self.aux = []
        else:
            # the state class holds the output layer's parity; the input (layer 0) is even
            self.state = [l for l in free if l % 2 == net.L % 2]
            self.aux = [l for l in free if l % 2 != net.L % 2]
        self.widths = [net.sizes[l] for l in self.state]
        self.width = sum(self.widths)
        self.out_offset = sum(net.sizes[l] for l in self.state if l < net.L)
        self.ux = None

    def set_input(self, x):
        """The input drive rho(x) W_0; autograd tracks it when grad mode is on."""
        self.ux = rho(x) @ self.net.W[0]

    def drive(self, l, act):
        """c_l from the activations act[k] of layers l - 1 and l + 1."""
        W, b = self.net.W, self.net.b
        if l == 1:
            c = self.ux + b[1]
        else:
            c = torch.addmm(b[l], act[l - 1], W[l - 1])
        if l < self.net.L:
            c = torch.addmm(c, act[l + 1], W[l].t())
        return c

    def __call__(self, s):
        parts = torch.split(s, self.widths, dim=1) if len(self.widths) > 1 else (s,)
        act = {l: rho(p) for l, p in zip(self.state, parts)}
        if self.aux:
            act = {l: rho(self.drive(l, act)) for l in self.aux}
        out = [self.drive(l, act) for l in self.state]
        f = torch.cat(out, dim=1) if len(out) > 1 else out[0]
        if self.h != 1.0:
            f = s + self.h * (f - s)
        return f


# ---------------------------------------------------------------------------------------------
# Convergence measure and solvers


class Convergence:
    """The paper's measure over the map outputs o_1, o_2, ... in evaluation order.

    r_k = |o_{k+2} - o_{k+1}| / |o_{k+2}| per sample (0 when the difference is exactly 0);
    iterations = first k with r_k < 1e-4, else budget - 1 (and not converged). The norms are
    accumulated in float64 over the float32 values and r_k is rounded to float32 before the
    comparison, as hopdeq4j records it.
    """

    def __init__(self, batch, budget):
        self.budget = budget
        self.previous = None
        self.k = 0
        self.iterations = torch.full((batch,), max(budget - 1, 0), dtype=torch.int64)
        self.converged = torch.zeros(batch, dtype=torch.bool)

    def record(self, out):
        o = out.detach()
        if self.previous is not None:
            diff = torch.linalg.vector_norm(o - self.previous, dim=1, dtype=torch.float64)
            norm = torch.linalg.vector_norm(o, dim=1, dtype=torch.float64)
            r = torch.where(diff == 0, torch.zeros_like(diff), diff / norm)
            r = r.float().double()
            hit = (~self.converged) & (r < THRESHOLD)
            self.iterations[hit] = self.k
            self.converged |= hit
            self.k += 1
        self.previous = o


def picard(f, s, budget, track):
    """s <- f(s) for the whole budget; returns the last map output."""
    for _ in range(budget):
        s = f(s)
        track.record(s)
    return s


def anderson(f, s, budget, track, m=WINDOW, ridge=RIDGE):
    """Anderson acceleration (Walker and Ni form 1.1), window m, mixing 1, safeguarded.

    x0 = s, G0 = f(x0), x1 = G0, G1 = f(x1); then per evaluation the last min(m, k) pairs
    give residuals F_j = G_j - x_j, each sample solves (F^T F + lambda I) alpha = 1 in float64
    with lambda = ridge * max_j (F^T F)_jj, alpha /= sum(alpha), and proposes
    x~ = sum_j alpha_j G_j. The proposal is kept where |G_last - x~| / |x~| is below
    |G_last - x_last| / |x_last|, else (or when the solve fails) the plain step G_last is.

    The window lives in ring buffers; each new residual is dotted (in float64) with the ones
    in the window, so the Gram matrix costs m dot products per evaluation, not m^2.
    """
    window = Window(s.shape[0], s.shape[1], m)
    g = f(s)
    track.record(g)
    window.push(s, g)
    evaluations = 1
    if evaluations < budget:
        x = g
        g = f(x)
        track.record(g)
        window.push(x, g)
        evaluations += 1
    while evaluations < budget:
        x = window.propose(ridge)
        g = f(x)
        track.record(g)
        window.push(x, g)
        evaluations += 1
    return g


class Window:
    """The last m pairs (x_j, G_j) of an Anderson solve, per sample, with their Gram matrix."""

    def __init__(self, batch, width, m):
        self.m = m
        self.G = torch.empty(batch, m, width)
        self.F = torch.empty(batch, m, width, dtype=torch.float64)
        self.gram = torch.zeros(batch, m, m, dtype=torch.float64)
        self.x_norm = torch.empty(batch, m, dtype=torch.float64)
        self.pushed = 0

    def push(self, x, g):
        slot = self.pushed % self.m
        self.G[:, slot] = g
        self.F[:, slot] = g - x          # the float32 residual, held in float64
        self.x_norm[:, slot] = torch.linalg.vector_norm(x, dim=1, dtype=torch.float64)
        self.pushed += 1
        n = min(self.pushed, self.m)     # slots 0..n-1 hold the window
        dots = torch.linalg.vecdot(self.F[:, :n], self.F[:, slot:slot + 1])
        self.gram[:, slot, :n] = dots
        self.gram[:, :n, slot] = dots

    def propose(self, ridge):
        n = min(self.pushed, self.m)
        last = (self.pushed - 1) % self.m
        A = self.gram[:, :n, :n]
        largest = A.diagonal(dim1=1, dim2=2).max(dim=1).values
        ok = (largest > 0) & torch.isfinite(largest)
        A = A + (ridge * largest)[:, None, None] * torch.eye(n, dtype=A.dtype)
        ones = torch.ones(A.shape[0], n, 1, dtype=A.dtype)
        alpha, info = torch.linalg.solve_ex(A, ones)
        alpha = alpha.squeeze(2)
        total = alpha.sum(dim=1)
        ok &= (info == 0) & torch.isfinite(alpha).all(dim=1)
        ok &= (total != 0) & torch.isfinite(total)
        alpha = alpha / total[:, None]
        proposal = torch.bmm(alpha.float().unsqueeze(1), self.G[:, :n]).squeeze(1)

        # safeguard, per sample: proxy residual of the proposal against the plain step's
        g_last = self.G[:, last]
        res_anderson = (torch.linalg.vector_norm(g_last - proposal, dim=1, dtype=torch.float64)
                        / torch.linalg.vector_norm(proposal, dim=1, dtype=torch.float64))
        res_plain = torch.sqrt(self.gram[:, last, last]) / self.x_norm[:, last]
        accept = ok & (res_anderson < res_plain)
        return torch.where(accept[:, None], proposal, g_last)


SOLVE = {"picard": picard, "anderson": anderson}


def budgets(sizes, damping=1.0):
    """The paper's budgets: 40 forward and 8 backward per two layers of depth, over h."""
    factor = max(int(math.floor((len(sizes) // 2) / damping + 1e-9)), 1)
    return 40 * factor, 8 * factor


# ---------------------------------------------------------------------------------------------
# Evaluation


@torch.no_grad()
def evaluate(net, images, labels, update, solver, budget, batch=BATCH, damping=1.0):
    """Every image from the zero state, the last partial batch included."""
    f = HamMap(net, update, damping)
    classes = net.sizes[-1]
    iterations, predictions = [], []
    not_converged = 0
    for first in range(0, images.shape[0], batch):
        x = images[first:first + batch]
        f.set_input(x)
        track = Convergence(x.shape[0], budget)
        s = SOLVE[solver](f, torch.zeros(x.shape[0], f.width), budget, track)
        y = s[:, f.out_offset:f.out_offset + classes]
        predictions.append(y.argmax(dim=1))
        iterations.append(track.iterations)
        not_converged += int((~track.converged).sum())
    predictions = torch.cat(predictions)
    iterations = torch.cat(iterations)
    return {
        "update": update,
        "solver": solver,
        "max_iterations": budget,
        "test_accuracy": float((predictions == labels).double().mean()),
        "mean_iterations_to_converge": float(iterations.double().mean()),
        "did_not_converge": not_converged,
        "images": int(images.shape[0]),
        "correct": int((predictions == labels).sum()),
        "iterations": iterations.tolist(),
        "predictions": predictions.tolist(),
    }


# ---------------------------------------------------------------------------------------------
# Training: recurrent backpropagation and Madam


class Madam:
    """Madam (Bernstein et al. 2020) with the paper's p_scale 1024 and g_bound 3."""

    def __init__(self, params, p_scale=P_SCALE, g_bound=G_BOUND):
        self.params = params
        self.p_scale = p_scale
        self.g_bound = g_bound
        self.v = [torch.zeros_like(p) for p in params]
        self.max = [None] * len(params)
        self.t = 0

    @torch.no_grad()
    def step(self, lr):
        self.t += 1
        correction = 1.0 - 0.999 ** self.t
        for i, p in enumerate(self.params):
            if self.max[i] is None:
                # fixed at the first step: p_scale times the RMS over the whole tensor
                self.max[i] = self.p_scale * math.sqrt(float((p.double() ** 2).mean()))
            g = p.grad
            if g is None:
                continue
            self.v[i].mul_(0.999).addcmul_(g, g, value=0.001)
            gn = g / torch.sqrt(self.v[i] / correction)
            gn = torch.where(torch.isnan(gn), torch.zeros_like(gn), gn)
            gn.clamp_(-self.g_bound, self.g_bound)
            p.mul_(torch.exp(-lr * gn * torch.sign(p)))
            p.clamp_(-self.max[i], self.max[i])


def learning_rate(lr0, epoch, decay_epochs=10):
    """Linear decay to lr0 / 10 at epoch decay_epochs - 1 (0-based), then constant."""
    if decay_epochs <= 1:
        return lr0 / 10 if decay_epochs == 1 else lr0
    return lr0 * (1 - 0.9 * min(epoch, decay_epochs - 1) / (decay_epochs - 1))


def train_step(net, f, optimizer, solver, x, y, budget, backward_steps, lr):
    """Forward solve, loss at s*, gradient through K map steps from the detached s*, Madam.

    As in the authors' DEQ: the loss is taken on the forward fixed point s*, and its gradient
    dL/ds* is pushed back through K tracked map evaluations started from s*.detach().
    Returns (loss, per-sample iterations of the forward solve).
    """
    classes = net.sizes[-1]
    with torch.no_grad():
        f.set_input(x)
        track = Convergence(x.shape[0], budget)
        s = SOLVE[solver](f, torch.zeros(x.shape[0], f.width), budget, track)
        y_hat = s[:, f.out_offset:f.out_offset + classes]
        target = torch.nn.functional.one_hot(y, classes).float()
        loss = 0.5 * float(((y_hat - target) ** 2).sum()) / x.shape[0]
        grad_out = torch.zeros_like(s)
        grad_out[:, f.out_offset:f.out_offset + classes] = (y_hat - target) / x.shape[0]

    for p in net.parameters():
        p.grad = None
    with torch.enable_grad():
        f.set_input(x)
        z = s
        for _ in range(backward_steps):
            z = f(z)
        z.backward(grad_out)
    f.ux = None
    optimizer.step(lr)
    return loss, track


def cmd_train(args):
    sizes = parse_layers(args.layers)
    positive("--epochs", args.epochs)
    positive("--batch-size", args.batch_size)
    x_train, y_train = load_data(args.data, "train")
    x_test, y_test = load_data(args.data, "t10k")
    if x_train.shape[1] != sizes[0]:
        raise UserError(f"the input layer has {sizes[0]} units but the images have "
                        f"{x_train.shape[1]} pixels")
    if int(y_train.max()) >= sizes[-1] or int(y_test.max()) >= sizes[-1]:
        raise UserError(f"the output layer has {sizes[-1]} units but the labels reach "
                        f"{max(int(y_train.max()), int(y_test.max()))}")
    if args.train_limit:
        x_train, y_train = x_train[:args.train_limit], y_train[:args.train_limit]
    forward, backward = budgets(sizes, args.damping)
    forward = args.forward_iterations or forward
    backward = args.backward_iterations or backward
    lr0 = args.lr if args.lr is not None else (0.01 if len(sizes) <= 3 else 0.005)
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise UserError(f"output folder {out} is not empty; choose another --out")
    out.mkdir(parents=True, exist_ok=True)

    net = Ham.initialise(sizes, args.seed)
    for p in net.parameters():
        p.requires_grad_(True)
    f = HamMap(net, args.update, args.damping)
    optimizer = Madam(net.parameters())
    shuffle = torch.Generator().manual_seed(args.seed + 1)
    config = {"layers": args.layers, "update": args.update, "solver": args.solver,
              "damping": args.damping, "forward_iterations": forward,
              "backward": "recurrent", "backward_iterations": backward,
              "optimizer": "madam", "p_scale": P_SCALE, "g_bound": G_BOUND, "lr": lr0,
              "lr_decay_epochs": 10, "epochs": args.epochs, "batch_size": args.batch_size,
              "seed": args.seed, "train_images": int(x_train.shape[0]),
              "drop_last_train_batch": True, "test_images": int(x_test.shape[0]),
              "torch": torch.__version__, "threads": torch.get_num_threads()}
    history = []
    for epoch in range(args.epochs):
        lr = learning_rate(lr0, epoch)
        order = torch.randperm(x_train.shape[0], generator=shuffle)
        full = x_train.shape[0] // args.batch_size   # the last partial batch is dropped
        start = time.perf_counter()
        loss_sum, iter_sum, seen, train_nc = 0.0, 0, 0, 0
        for i in range(full):
            idx = order[i * args.batch_size:(i + 1) * args.batch_size]
            loss, track = train_step(net, f, optimizer, args.solver, x_train[idx],
                                     y_train[idx], forward, backward, lr)
            loss_sum += loss * idx.shape[0]
            iter_sum += int(track.iterations.sum())
            train_nc += int((~track.converged).sum())
            seen += idx.shape[0]
        train_seconds = time.perf_counter() - start
        with torch.no_grad():
            r = evaluate(net, x_test, y_test, args.update, args.solver, forward,
                         args.batch_size, args.damping)
        row = {"epoch": epoch + 1, "lr": lr, "train_loss": loss_sum / seen,
               "train_mean_iterations": iter_sum / seen, "train_did_not_converge": train_nc,
               "test_accuracy": r["test_accuracy"],
               "test_mean_iterations_to_converge": r["mean_iterations_to_converge"],
               "test_did_not_converge": r["did_not_converge"],
               "train_seconds": train_seconds}
        history.append(row)
        print(f"epoch {epoch + 1}/{args.epochs}: loss {row['train_loss']:.4f}, test accuracy "
              f"{row['test_accuracy']:.4f}, test mean iterations "
              f"{row['test_mean_iterations_to_converge']:.2f} ({train_seconds:.1f} s)",
              file=sys.stderr)
        net.save(out / "weights.safetensors", {"producer": "scripts/reference/ham_reference.py",
                                               "epochs_completed": str(epoch + 1)})
        with open(out / "metrics.json", "w") as fh:
            json.dump({"config": config, "epochs": history}, fh, indent=2)
            fh.write("\n")
    return 0


def cmd_evaluate(args):
    net = Ham.load(args.weights)
    x_test, y_test = load_data(args.data, "t10k")
    if x_test.shape[1] != net.sizes[0]:
        raise UserError(f"the weights' input layer has {net.sizes[0]} units but the images "
                        f"have {x_test.shape[1]} pixels")
    if args.limit is not None:
        positive("--limit", args.limit)
        x_test, y_test = x_test[:args.limit], y_test[:args.limit]
    positive("--batch-size", args.batch_size)
    budget = args.max_iterations or budgets(net.sizes, args.damping)[0]
    updates = UPDATES if args.update == "all" else (args.update,)
    solvers = SOLVERS if args.solver == "all" else (args.solver,)
    results = []
    for update in updates:
        for solver in solvers:
            r = evaluate(net, x_test, y_test, update, solver, budget, args.batch_size,
                         args.damping)
            if not args.per_sample:
                del r["iterations"], r["predictions"]
            results.append(r)
    report = {"weights": Path(args.weights).name, "layers": ",".join(map(str, net.sizes)),
              "damping": args.damping, "batch_size": args.batch_size,
              "torch": torch.__version__}
    if len(results) == 1:
        report.update(results[0])
    else:
        report["results"] = results
    sys.stdout.write(format_report(report, args.per_sample))
    return 0


def format_report(report, compact_results):
    """Indented JSON; with per-sample lists, each result object on one compact line."""
    if not compact_results:
        return json.dumps(report, indent=2) + "\n"
    lines = ["{"]
    items = list(report.items())
    for i, (key, value) in enumerate(items):
        end = "," if i + 1 < len(items) else ""
        if key == "results":
            rows = [json.dumps(r, separators=(",", ":")) for r in value]
            lines.append(f'  "results": [')
            lines.extend(f"    {row}{',' if j + 1 < len(rows) else ''}"
                         for j, row in enumerate(rows))
            lines.append(f"  ]{end}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, separators=(',', ':'))}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Timing


def cmd_time_step(args):
    sizes = parse_layers(args.layers)
    positive("--steps", args.steps)
    positive("--threads", args.threads)
    if args.warmup < 0:
        raise UserError(f"--warmup must be >= 0 but was {args.warmup}")
    torch.set_num_threads(args.threads)
    x_train, y_train = load_data(args.data, "train")
    if x_train.shape[1] != sizes[0]:
        raise UserError(f"the input layer has {sizes[0]} units but the images have "
                        f"{x_train.shape[1]} pixels")
    forward, backward = budgets(sizes)
    lr = 0.01 if len(sizes) <= 3 else 0.005
    net = Ham.initialise(sizes, args.seed)
    for p in net.parameters():
        p.requires_grad_(True)
    f = HamMap(net, args.update)
    optimizer = Madam(net.parameters())
    order = torch.randperm(x_train.shape[0], generator=torch.Generator().manual_seed(args.seed))
    full = x_train.shape[0] // BATCH

    def batch(i):
        idx = order[(i % full) * BATCH:(i % full + 1) * BATCH]
        return x_train[idx].contiguous(), y_train[idx]

    train_times = []
    for i in range(args.warmup + args.steps):
        x, y = batch(i)
        start = time.perf_counter()
        train_step(net, f, optimizer, args.solver, x, y, forward, backward, lr)
        if i >= args.warmup:
            train_times.append(time.perf_counter() - start)

    infer_times = []
    with torch.no_grad():
        for i in range(args.warmup + args.steps):
            x, _ = batch(i)
            start = time.perf_counter()
            f.set_input(x)
            SOLVE[args.solver](f, torch.zeros(BATCH, f.width), forward,
                               Convergence(BATCH, forward))
            if i >= args.warmup:
                infer_times.append(time.perf_counter() - start)

    report = {"layers": args.layers, "update": args.update, "solver": args.solver,
              "threads": torch.get_num_threads(), "batch_size": BATCH,
              "forward_iterations": forward, "backward_iterations": backward,
              "warmup": args.warmup, "steps": args.steps,
              "median_train_step_seconds": statistics.median(train_times),
              "median_inference_batch_seconds": statistics.median(infer_times),
              "train_step_seconds": train_times, "inference_batch_seconds": infer_times,
              "torch": torch.__version__}
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


# ---------------------------------------------------------------------------------------------
# Command line


def positive(name, value):
    if value < 1:
        raise UserError(f"{name} must be >= 1 but was {value}")


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors."""

    def error(self, message):
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        sys.exit(2)


def unit_interval(text):
    try:
        h = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"damping must be a number in (0, 1] but was '{text}'")
    if not 0 < h <= 1:
        raise argparse.ArgumentTypeError(f"damping must be in (0, 1] but was {h}")
    return h


def build_parser():
    parser = Parser(prog=PROG, description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def common(p):
        p.add_argument("--data", default=str(EMBEDDED),
                       help="folder of IDX files train-/t10k-images/labels, gzipped or plain "
                            "(default: the embedded MNIST sample)")
        p.add_argument("--threads", type=int, default=None,
                       help="torch intra-op threads (default: torch's choice)")

    t = sub.add_parser("train", help="train with recurrent backprop and Madam",
                       description="Trains a HAM the paper's way: zero initial state, the "
                                   "forward solve at the fixed budget, MSE on the output "
                                   "state, recurrent backprop through K map steps, Madam, "
                                   "batch 64 with the last partial training batch dropped; "
                                   "evaluates the whole test split after every epoch. "
                                   "Writes OUT/weights.safetensors and OUT/metrics.json.")
    t.add_argument("--layers", default="784,1990,10", help="sizes n0,...,nL (default: 784,1990,10)")
    t.add_argument("--update", choices=UPDATES, default="even-odd")
    t.add_argument("--solver", choices=SOLVERS, default="anderson")
    t.add_argument("--epochs", type=int, default=10)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--lr", type=float, default=None,
                   help="first epoch's learning rate (default: 0.01 for 3 layers, 0.005 deeper)")
    t.add_argument("--damping", type=unit_interval, default=1.0)
    t.add_argument("--batch-size", type=int, default=BATCH)
    t.add_argument("--forward-iterations", type=int, default=None,
                   help="forward budget (default: 40 per two layers of depth)")
    t.add_argument("--backward-iterations", type=int, default=None,
                   help="recurrent backprop steps K (default: 8 per two layers of depth)")
    t.add_argument("--train-limit", type=int, default=None,
                   help="use only the first N training images")
    t.add_argument("--out", required=True, help="output folder (must be new or empty)")
    common(t)
    t.set_defaults(run=cmd_train)

    e = sub.add_parser("evaluate", help="evaluate weights on the test split",
                       description="Solves every test image (the last partial batch "
                                   "included) from the zero state and prints JSON: "
                                   "test_accuracy, mean_iterations_to_converge, "
                                   "did_not_converge, images. With --update all and "
                                   "--solver all every combination is listed under 'results'.")
    e.add_argument("--weights", required=True, help="HAM weights in safetensors")
    e.add_argument("--update", choices=UPDATES + ("all",), required=True)
    e.add_argument("--solver", choices=SOLVERS + ("all",), required=True)
    e.add_argument("--max-iterations", type=int, default=None,
                   help="forward budget (default: 40 per two layers of depth)")
    e.add_argument("--limit", type=int, default=None, help="only the first N test images")
    e.add_argument("--per-sample", action="store_true",
                   help="also list every image's iterations and prediction")
    e.add_argument("--damping", type=unit_interval, default=1.0)
    e.add_argument("--batch-size", type=int, default=BATCH)
    common(e)
    e.set_defaults(run=cmd_evaluate)

    s = sub.add_parser("time-step", help="median seconds per training step and per inference batch",
                       description="Times training steps (forward solve at the fixed budget "
                                   "under no_grad, recurrent backward, Madam step) and "
                                   "inference solves on batches of 64 training images, after "
                                   "warm-up; prints JSON with the medians.")
    s.add_argument("--layers", default="784,1990,10")
    s.add_argument("--update", choices=UPDATES, default="even-odd")
    s.add_argument("--solver", choices=SOLVERS, default="anderson")
    s.add_argument("--steps", type=int, default=10)
    s.add_argument("--warmup", type=int, default=3)
    s.add_argument("--seed", type=int, default=1)
    common(s)
    s.set_defaults(run=cmd_time_step)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        if args.threads is not None:
            positive("--threads", args.threads)
            torch.set_num_threads(args.threads)
        elif args.command == "time-step":
            raise UserError("time-step needs --threads")
        for name in ("forward_iterations", "backward_iterations", "max_iterations",
                     "train_limit"):
            value = getattr(args, name, None)
            if value is not None:
                positive("--" + name.replace("_", "-"), value)
        return args.run(args)
    except UserError as e:
        sys.stderr.write(f"{PROG} {args.command}: error: {e}\n")
        return 2
    except OSError as e:
        sys.stderr.write(f"{PROG} {args.command}: error: {e}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
