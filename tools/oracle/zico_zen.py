#!/usr/bin/python3
"""
zico_zen.py -- compact PyTorch oracle for the ZiCo and Zen-score proxies on the oracle fixtures' networks.

Written from scratch; it reproduces the behaviour of the public reference code (read, not copied):
  * ZiCo:  SLDGroup/ZiCo ZeroShotProxy/compute_zico.py (getgrad, caculate_zico, getzico) and its
           NAS-Bench-201 port cvlab-yonsei/AZ-NAS NB201/ZeroShotProxy/compute_zico_score.py
  * Zen:   idstcv/ZenNAS ZeroShotProxy/compute_zen_score.py (compute_nas_score) and its ports
           automl/NASLib naslib/predictors/utils/pruners/measures/zen.py and
           cvlab-yonsei/AZ-NAS NB201/ZeroShotProxy/compute_zen_score.py

The networks, weights, inputs and labels are those of the existing fixtures (imported from
../shared/oracle/oracle.py and oracle_ext.py, which are not modified).

ZiCo (float32 pipeline = what the reference computes; float64 = the same with weights and input cast):
  split the batch into PARTS consecutive equal parts (the reference iterates over its loader's first
  `maxbatch` = 2 mini-batches); for each part: one training-mode forward/backward of the part's mean
  cross-entropy; keep the gradient g_p of every conv/linear weight.  Per tensor, over the parts axis, with
  numpy in the gradients' dtype:  std = np.std(G, axis=0) (ddof 0), mean_abs = np.mean(|G|, axis=0);
  s = sum(mean_abs[k] / std[k] for k with std[k] != 0); the tensor adds log(s) unless s == 0.
  Score = sum over tensors (accumulated in the gradients' dtype, as the reference's numpy scalars are).

Zen (float32 pipeline; float64 = weights and the two forward inputs cast to float64):
  every conv/linear weight ~ N(0, 1), conv/linear biases 0, BatchNorm gamma 1 / beta 0;
  x1, x2 ~ N(0, 1) of the batch's shape; x_mix = x1 + gamma * x2 (float32, gamma = 1e-2);
  f(x) = the feature map that enters global average pooling, training-mode BatchNorm;
  delta = mean_n sum_{c,h,w} |f(x1) - f(x_mix)|;
  every BatchNorm keeps running statistics updated by both forwards (momentum 0.1, unbiased batch
  variance, running_var starting at 1); score = log(delta) + sum_BN log(sqrt(mean_c running_var)).
  With R repeats: weights and inputs are drawn again, running statistics carry over, scores are averaged.
  The Gaussian numbers come from SplitMix64 + the polar Box-Muller method, exactly as GradSign's C#
  generator draws them (weights in parameter order, then x1, then x2), so the tests need no data files.

Usage:  /usr/bin/python3 tools/oracle/zico_zen.py [--out tests/fixtures/zico-zen/expected.json]
"""
import argparse
import json
import math
import os
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.normpath(os.path.join(ROOT, '..', 'shared', 'oracle'))
sys.path.insert(0, SHARED)
import oracle  # noqa: E402
import oracle_ext  # noqa: E402

ZICO_PARTS = 2           # ZiCo evolution_search.py --maxbatch default; AZ-NAS batch_iter=2
ZEN_GAMMA = 1e-2         # ZenNAS --mixup_gamma default
ZEN_MOMENTUM = 0.1       # nn.BatchNorm2d default momentum (the references never change it)
ZEN_SEED_BASE = 20230501


# ----------------------------------------------------------------------------
# fixture loading
# ----------------------------------------------------------------------------
def load_case(case_dir):
    with open(os.path.join(case_dir, 'manifest.json')) as f:
        man = json.load(f)
    if man.get('space', 'nb201') == 'nb201':
        net = oracle.Net(man['arch'], man['C'], man['N'], man['num_classes'])
    else:
        net = oracle_ext.NB101Net(man['spec']['matrix'], man['spec']['ops'], man['stem_channels'],
                                  man['num_stacks'], man['cells_per_stack'], man['num_classes'])
    flat = np.fromfile(os.path.join(case_dir, man['params']['file']), dtype='<f4')
    P = OrderedDict()
    for t in man['params']['tensors']:
        P[t['name']] = torch.from_numpy(flat[t['offset']:t['offset'] + t['numel']].copy()).reshape(t['shape'])
    assert [p.name for p in net.used_spec] == list(P.keys()), case_dir
    shape = man['input']['shape']
    x = torch.from_numpy(np.fromfile(os.path.join(case_dir, man['input']['file']), dtype='<f4').copy()).reshape(shape)
    y = torch.from_numpy(np.fromfile(os.path.join(case_dir, man['labels']['file']), dtype='<i4').astype(np.int64))
    return man, net, P, x, y


# ----------------------------------------------------------------------------
# ZiCo
# ----------------------------------------------------------------------------
def zico_grads(net, P, x, y, parts=ZICO_PARTS):
    """Per scored tensor, the list of the parts' flattened gradients (numpy, in the dtype of P)."""
    names = net.scored_names
    B = x.shape[0]
    assert B % parts == 0
    m = B // parts
    G = OrderedDict((n, []) for n in names)
    for k in range(parts):
        Q = oracle._leaf(P, names)
        loss = F.cross_entropy(net.forward(Q, x[k * m:(k + 1) * m], bn=True), y[k * m:(k + 1) * m])
        for n, g in zip(names, oracle._grads(loss, Q, names)):
            G[n].append(g.detach().numpy().reshape(-1))
    return G


def zico_score(G, condition=None):
    """Returns (value, per_layer, nonzero_std_counts), computed with numpy in the gradients' dtype. With a list as
    `condition`, appends each layer's sum(r^2) / sum(r) over its ratios r: a relative change d of the gradients
    moves a ratio r by about d * r (its std is about |g| / r), so the layer's term by about d * sum(r^2) / sum(r)."""
    per, nonzero = [], []
    acc = None
    for parts in G.values():
        A = np.array(parts)                      # parts x numel
        std = np.std(A, axis=0)
        idx = np.nonzero(std)[0]
        mean_abs = np.mean(np.abs(A), axis=0)
        ratios = mean_abs[idx] / std[idx]
        s = np.sum(ratios)
        term = np.log(s) if s != 0 else A.dtype.type(0)
        acc = term if acc is None else acc + term  # numpy scalar arithmetic in the gradients' dtype
        per.append(float(term))
        nonzero.append(int(idx.size))
        if condition is not None:
            condition.append(float(np.sum(ratios.astype(np.float64) ** 2) / s) if s != 0 else 0.0)
    return float(acc), per, nonzero


def zico(net, P, x, y, parts=ZICO_PARTS):
    return zico_score(zico_grads(net, P, x, y, parts))


def zico_thread_variants(net, P, x, y, threads=(1, 3, 4)):
    """ZiCo computed by PyTorch with other thread counts (other summation orders in the convolutions and GEMMs)."""
    out = []
    saved = torch.get_num_threads()
    try:
        for t in threads:
            torch.set_num_threads(t)
            v, per, _ = zico(net, P, x, y)
            out.append((v, per))
    finally:
        torch.set_num_threads(saved)
    return out


def zico_rounded_f64(net, P, x, y):
    """The float64 gradients rounded once to float32, then ZiCo's statistics in float32."""
    G64 = zico_grads(net, oracle.cast(P, torch.float64), x.double(), y)
    v, per, _ = zico_score(OrderedDict((n, [g.astype(np.float32) for g in gs]) for n, gs in G64.items()))
    return v, per


# ----------------------------------------------------------------------------
# Gaussian numbers: GradSign's SplitMix64 + polar Box-Muller (GradSign.Internal.SplitMix64)
# ----------------------------------------------------------------------------
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


class GaussianStream(object):
    """The values SplitMix64(seed).NextGaussian() returns, in order. Every attempt of the polar method
    consumes two NextDouble() draws; an accepted one yields u*f, then (the cached spare) v*f."""

    def __init__(self, seed):
        self.state = np.uint64(seed)
        self.pending = np.empty(0)

    def _doubles(self, n):
        k = np.arange(1, n + 1, dtype=np.uint64)
        with np.errstate(over='ignore'):
            z = self.state + k * _GOLDEN          # uint64 arithmetic wraps modulo 2^64
            z = (z ^ (z >> np.uint64(30))) * _MIX1
            z = (z ^ (z >> np.uint64(27))) * _MIX2
            self.state = self.state + np.uint64(n) * _GOLDEN
        z = z ^ (z >> np.uint64(31))
        return (z >> np.uint64(11)).astype(np.float64) * (1.0 / float(1 << 53))

    def take(self, n):
        while self.pending.size < n:
            attempts = max(1024, n - self.pending.size)
            d = self._doubles(2 * attempts)
            u = 2 * d[0::2] - 1
            v = 2 * d[1::2] - 1
            q = u * u + v * v
            ok = (q < 1) & (q != 0)
            u, v, q = u[ok], v[ok], q[ok]
            log_q = np.array([math.log(t) for t in q])   # libm log, as .NET's Math.Log
            f = np.sqrt(-2 * log_q / q)
            out = np.empty(2 * u.size)
            out[0::2] = u * f
            out[1::2] = v * f
            self.pending = np.concatenate([self.pending, out])
        taken, self.pending = self.pending[:n], self.pending[n:]
        return taken.astype(np.float32)


def gaussian_weights(net, stream):
    """Zen's network_weight_gaussian_init on the used parameters, drawn in parameter order."""
    P = OrderedDict()
    for p in net.used_spec:
        n = int(np.prod(p.shape))
        if p.kind in ('conv_weight', 'linear_weight'):
            P[p.name] = torch.from_numpy(stream.take(n)).reshape(p.shape)
        elif p.kind == 'bn_weight':
            P[p.name] = torch.ones(p.shape, dtype=torch.float32)
        else:
            P[p.name] = torch.zeros(p.shape, dtype=torch.float32)
    return P


# ----------------------------------------------------------------------------
# Zen
# ----------------------------------------------------------------------------
class _ZenTap(object):
    """Stands in for torch.nn.functional inside oracle.Net.forward / NB101Net.forward: every batch_norm
    call gets the running-statistics buffers its module would own (k-th call of a forward = k-th
    BatchNorm; buffers persist across forwards), and the input of global average pooling is kept."""

    def __init__(self):
        self.buffers = []
        self.calls = 0
        self.pre_gap = None

    def __getattr__(self, name):
        return getattr(F, name)

    def batch_norm(self, h, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
        if self.calls == len(self.buffers):
            c = h.shape[1]
            self.buffers.append((torch.zeros(c, dtype=h.dtype), torch.ones(c, dtype=h.dtype)))
        rm, rv = self.buffers[self.calls]
        self.calls += 1
        return F.batch_norm(h, rm, rv, weight, bias, True, ZEN_MOMENTUM, eps)

    def adaptive_avg_pool2d(self, h, size):
        self.pre_gap = h
        return F.adaptive_avg_pool2d(h, size)


def _pre_gap(net, P, x, tap):
    saved = oracle.F, oracle_ext.F, torch.mean
    real_mean = torch.mean

    def mean(h, *a, **k):  # NB101's head: torch.mean(h, (2, 3))
        if a and tuple(a[0]) == (2, 3):
            tap.pre_gap = h
        return real_mean(h, *a, **k)

    oracle.F = oracle_ext.F = tap
    torch.mean = mean
    try:
        tap.calls = 0
        tap.pre_gap = None
        with torch.no_grad():
            net.forward(P, x, bn=True)
        assert tap.pre_gap is not None
        return tap.pre_gap
    finally:
        oracle.F, oracle_ext.F, torch.mean = saved


def zen(net, draws, dtype, tap=None):
    """draws: list (one per repeat) of (P float32, x1 float32, x2 float32). Returns (score, details)."""
    tap = tap or _ZenTap()
    scores, details = [], []
    for P, x1, x2 in draws:
        xm = x1 + ZEN_GAMMA * x2                 # float32, as the reference forms it
        Pd = oracle.cast(P, dtype)
        o1 = _pre_gap(net, Pd, x1.to(dtype), tap)
        o2 = _pre_gap(net, Pd, xm.to(dtype), tap)
        with torch.no_grad():
            delta = torch.mean(torch.sum(torch.abs(o1 - o2), dim=[1, 2, 3]))
            log_bn = 0.0
            bn_terms = []
            for _, rv in tap.buffers:
                t = torch.log(torch.sqrt(torch.mean(rv)))
                bn_terms.append(float(t))
                log_bn += t
            score = torch.log(delta) + log_bn
        scores.append(float(score))
        details.append(OrderedDict([('log_delta', float(torch.log(delta))), ('bn_log_scales', bn_terms)]))
    return float(np.mean(scores)), details


def zen_draws(net, B, H, W, seed, repeats):
    stream = GaussianStream(seed)
    draws = []
    for _ in range(repeats):
        P = gaussian_weights(net, stream)
        x1 = torch.from_numpy(stream.take(B * 3 * H * W)).reshape(B, 3, H, W)
        x2 = torch.from_numpy(stream.take(B * 3 * H * W)).reshape(B, 3, H, W)
        draws.append((P, x1, x2))
    return draws


# ----------------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------------
def _num(v):
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)):
        return 'NaN' if math.isnan(v) else ('-Infinity' if v < 0 else 'Infinity')
    return v


def _diffs(v32, v64):
    if not (math.isfinite(v32) and math.isfinite(v64)):
        return OrderedDict([('abs_diff_f32_vs_f64', 0.0 if v32 == v64 else 'NaN')])
    d = abs(v32 - v64)
    return OrderedDict([('abs_diff_f32_vs_f64', d), ('rel_diff_f32_vs_f64', 0.0 if d == 0 else d / max(abs(v32), abs(v64)))])


def zico_case(case_dir):
    man, net, P, x, y = load_case(case_dir)
    v32, p32, nz32 = zico(net, P, x, y)
    condition = []
    v64, p64, nz64 = zico_score(zico_grads(net, oracle.cast(P, torch.float64), x.double(), y), condition)
    out = OrderedDict([('parts', ZICO_PARTS), ('batch', int(x.shape[0])), ('value', v32), ('value_f64', v64)])
    out.update(_diffs(v32, v64))
    # ZiCo with two parts is ill-conditioned: an element whose two part gradients nearly agree has a ratio of about
    # 1/rounding error. How far other float32 computations (other thread counts; float64 gradients rounded to float32)
    # and the float64 pipeline lie from the float32 value sizes the float32 tolerance.
    rounded = zico_rounded_f64(net, P, x, y)
    variants = zico_thread_variants(net, P, x, y) + [rounded, (v64, p64)]
    out['spread_f32'] = max(abs(v - v32) for v, _ in variants)
    out['f32_variants'] = [v for v, _ in variants]
    out['value_f32_from_f64_grads'] = rounded[0]
    out['per_layer_f32_from_f64_grads'] = rounded[1]
    out['per_layer_spread_f32'] = [max(abs(per[i] - p32[i]) for _, per in variants) for i in range(len(p32))]
    P64, x64 = oracle.cast(P, torch.float64), x.double()
    variants64 = zico_thread_variants(net, P64, x64, y, threads=(1, 4))
    out['spread_f64'] = max(abs(v - v64) for v, _ in variants64)
    out['per_layer_spread_f64'] = [max(abs(per[i] - p64[i]) for _, per in variants64) for i in range(len(p64))]
    out['per_layer_condition_f64'] = condition
    out['per_layer'] = p32
    out['per_layer_f64'] = p64
    out['nonzero_std'] = nz32
    out['nonzero_std_f64'] = nz64
    return out


def zen_case(case_dir, seed, repeats_extra):
    man, net, P, x, y = load_case(case_dir)
    B, _, H, W = x.shape
    draws = zen_draws(net, B, H, W, seed, 1)
    v32, d32 = zen(net, draws, torch.float32)
    v64, d64 = zen(net, draws, torch.float64)
    out = OrderedDict([('seed', seed), ('batch', int(B)), ('repeats', 1), ('value', _num(v32)), ('value_f64', _num(v64))])
    out.update(_diffs(v32, v64))
    out['log_delta'] = _num(d32[0]['log_delta'])
    out['log_delta_f64'] = _num(d64[0]['log_delta'])
    out['bn_log_scales'] = d32[0]['bn_log_scales']
    out['bn_log_scales_f64'] = d64[0]['bn_log_scales']
    # the first values of every drawn tensor, in parameter order, then of x1 and x2: a generator check
    P0, x1, x2 = draws[0]
    out['first_values'] = OrderedDict(
        [(p.name, [float(v) for v in P0[p.name].reshape(-1)[:3]]) for p in net.used_spec if p.scored]
        + [('x1', [float(v) for v in x1.reshape(-1)[:3]]), ('x2', [float(v) for v in x2.reshape(-1)[:3]])])
    if repeats_extra:
        r32, _ = zen(net, zen_draws(net, B, H, W, seed, 2), torch.float32)
        r64, _ = zen(net, zen_draws(net, B, H, W, seed, 2), torch.float64)
        out['value_repeats2'] = _num(r32)
        out['value_repeats2_f64'] = _num(r64)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--out', default=os.path.join(ROOT, 'tests', 'fixtures', 'zico-zen', 'expected.json'))
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cases = []
    for folder in ('fixtures', 'fixtures_ext'):
        for name in sorted(os.listdir(os.path.join(SHARED, folder))):
            d = os.path.join(SHARED, folder, name)
            if not os.path.isfile(os.path.join(d, 'manifest.json')):
                continue
            if folder == 'fixtures_ext' and not name.startswith('nb101'):
                continue  # its c8n1 cases are the base cases again
            cases.append((folder + '/' + name, d))
    zico_out, zen_out = OrderedDict(), OrderedDict()
    for i, (key, d) in enumerate(cases):
        zico_out[key] = zico_case(d)
        zen_out[key] = zen_case(d, ZEN_SEED_BASE + i, repeats_extra=key.endswith('c8n1_00_best') or key.endswith('nb101_d1_pruned'))
        print(key, 'zico', zico_out[key]['value'], zico_out[key]['value_f64'],
              'zen', zen_out[key]['value'], zen_out[key]['value_f64'], flush=True)
    doc = OrderedDict([
        ('format_version', 1),
        ('cases_root', '../shared/oracle (beside the repository)'),
        ('zico', OrderedDict([('parts', ZICO_PARTS), ('cases', zico_out)])),
        ('zen', OrderedDict([('mixup_gamma', ZEN_GAMMA), ('bn_momentum', ZEN_MOMENTUM),
                             ('generator', 'SplitMix64(seed).NextGaussian() (polar Box-Muller), float32; conv/linear '
                                           'weights in parameter order, then x1, then x2 (NCHW); per repeat'),
                             ('cases', zen_out)])),
        ('generator', OrderedDict([('torch', torch.__version__), ('numpy', np.__version__),
                                   ('threads', torch.get_num_threads()), ('script', 'tools/oracle/zico_zen.py')])),
    ])
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, 'w') as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write('\n')


if __name__ == '__main__':
    main()
