#!/usr/bin/python3
"""Generates random NAS-Bench-101 oracle fixtures (all eight proxies) with the unmodified ../shared/oracle/oracle_ext.py.

oracle_ext.py's `fixtures` command writes only its fixed development cases (or a held-out list given as JSON), so this
driver draws the specs and calls its `NB101Net` and `make_case` directly; the manifests and binary files have exactly
the fixtures_ext format (format version 1; see README.md beside the generated cases).

Specs: 3..7 vertices before pruning, at most 9 edges (the NAS-Bench-101 limits), ops from conv3x3-bn-relu,
conv1x1-bn-relu and maxpool3x3, 1..3 cells per stack; a spec is kept only when it is valid after pruning and the
reference builds and runs it (a channel truncation may drop one channel at most). Three families:
  tie        the held-out failure's shape at the fixtures' size (stem 16, 32x32 input, 2 cells per stack): a max-pool
             vertex fed directly by the input projection, kept only when the reference's float32 forward pass has a
             max-pool window whose two largest (positive) inputs differ by less than --tie-gap relative, i.e. a window
             where float32 rounding decides which input receives the gradient;
  pool_proj  the same kind of spec, small (--stem, --size), mostly 2 cells per stack, no tie required;
  any        small, every op mix after pruning, cycled: each of the 7 non-empty subsets of {conv3x3, conv1x1,
             maxpool3x3}, plus the bare input -> output projection, with 1, 2 and 3 cells per stack.
Each manifest gets `maxpool_min_relative_gap` (the smallest such gap of the float32 forward pass, null without a
positive max-pool window) besides the fixtures_ext fields.

PyTorch's float32 results depend on the BLAS kernel OpenBLAS picks; the shared fixtures were generated with
OPENBLAS_CORETYPE=Haswell (their values are reproduced bit for bit only with it), so this script refuses to run
without the same setting unless --any-blas is given.

Usage (from the repository root; several minutes on 2 cores):
  OPENBLAS_CORETYPE=Haswell /usr/bin/python3 tools/nb101_random_fixtures.py \\
      --out tests/GradSign.Core.Tests/Fixtures/nb101_random
"""
import argparse
import json
import os
import random
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ORACLE = os.path.join(ROOT, '..', 'shared', 'oracle')

OPS = ('conv3x3-bn-relu', 'conv1x1-bn-relu', 'maxpool3x3')
SHORT = {'conv3x3-bn-relu': 'c3', 'conv1x1-bn-relu': 'c1', 'maxpool3x3': 'mp'}
# op sets the 'any' family cycles through (after pruning); () = no interior vertex (input -> output projection)
MIXES = [('c3',), ('c1',), ('mp',), ('c1', 'c3'), ('c3', 'mp'), ('c1', 'mp'), ('c1', 'c3', 'mp'), ()]


def draw(rng, oracle_ext, family, mix=None):
    """One random (matrix, ops) the reference builds, from `family` (and with pruned op set `mix` for 'any')."""
    while True:
        V = rng.randint(2, 7) if mix == () else rng.randint(3 if mix is None or len(mix) < 2 else 4, 7)
        p = rng.uniform(0.3, 0.7)
        m = [[1 if (j > i and rng.random() < p) else 0 for j in range(V)] for i in range(V)]
        ops = ['input'] + [rng.choice(OPS) for _ in range(V - 2)] + ['output']
        if family == 'pool_proj':
            if V < 3:
                continue
            t = rng.randint(1, V - 2)
            ops[t] = 'maxpool3x3'
            m[0][t] = 1
            if rng.random() < 0.5:  # the projection is the max-pool's only input
                for s in range(1, t):
                    m[s][t] = 0
        if sum(map(sum, m)) > 9:
            continue
        try:
            pm, pops = oracle_ext.prune_spec(m, ops)
        except ValueError:
            continue
        inner = pops[1:-1]
        if family == 'pool_proj' and not any(pops[t] == 'maxpool3x3' and pm[0, t] for t in range(1, len(pops) - 1)):
            continue
        if mix is not None and tuple(sorted(set(SHORT[o] for o in inner))) != mix:
            continue
        return m, ops


def min_pool_gap(oracle_ext, net, P, x):
    """Smallest (top1 - top2) / top1 over the max-pool windows of the float32 forward pass whose largest input is
    positive and not tied exactly (exact ties, e.g. of ReLU zeros, route the gradient the same in every order)."""
    import torch
    import torch.nn.functional as F
    best = [None]

    class Tap(object):
        def __getattr__(self, k):
            return getattr(F, k)

        def max_pool2d(self, h, k, s=None, p=0):
            u = F.unfold(F.pad(h.detach(), (p,) * 4, value=-float('inf')), k, stride=s or k)
            u = u.reshape(h.shape[0], h.shape[1], k * k, -1)
            top = torch.topk(u, 2, dim=2).values
            t1, t2 = top[:, :, 0], top[:, :, 1]
            keep = (t1 > 0) & (t1 != t2)
            if keep.any():
                g = float(((t1 - t2) / t1)[keep].min())
                best[0] = g if best[0] is None else min(best[0], g)
            return F.max_pool2d(h, k, s, p)

    saved, oracle_ext.F = oracle_ext.F, Tap()
    try:
        with torch.no_grad():
            net.forward(P, x, bn=True)
    finally:
        oracle_ext.F = saved
    return best[0]


def describe(oracle_ext, m, ops):
    pm, pops = oracle_ext.prune_spec(m, ops)
    V = len(pops)
    parts = ['pruned V=%d, %d edges' % (V, int(pm.sum())),
             'ops ' + (','.join(SHORT[o] for o in pops[1:-1]) or 'none')]
    pool_proj = [t for t in range(1, V - 1) if pops[t] == 'maxpool3x3' and pm[0, t]]
    if pool_proj:
        only = [t for t in pool_proj if not any(pm[s, t] for s in range(1, t))]
        parts.append('max-pool vertices %s fed by the input projection (the only input of %s)' % (pool_proj, only or 'none'))
    if pm[0, V - 1]:
        parts.append('input->output projection')
    return '; '.join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True, help='output folder (one subfolder per case + index.json)')
    ap.add_argument('--tie', type=int, default=6, help='cases from the tie family')
    ap.add_argument('--tie-gap', type=float, default=5e-7, help='largest relative max-pool gap of a tie case')
    ap.add_argument('--pool-proj', type=int, default=8, help='cases from the pool_proj family')
    ap.add_argument('--any', type=int, default=16, help='cases from the any family (cycling through the op mixes)')
    ap.add_argument('--seed', type=int, default=101, help='seed of the spec draws')
    ap.add_argument('--stem', type=int, default=8, help='stem channels of the pool_proj and any families (tie: 16)')
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--size', type=int, default=16, help='input height = width of the pool_proj and any families (tie: 32)')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--oracle', default=ORACLE, help='folder holding oracle.py and oracle_ext.py')
    ap.add_argument('--any-blas', action='store_true', help='run without OPENBLAS_CORETYPE=Haswell')
    a = ap.parse_args()
    if os.environ.get('OPENBLAS_CORETYPE') != 'Haswell' and not a.any_blas:
        sys.exit('set OPENBLAS_CORETYPE=Haswell (as for the shared fixtures) or pass --any-blas')
    sys.path.insert(0, os.path.abspath(a.oracle))
    import torch
    import oracle
    import oracle_ext
    torch.set_num_threads(a.threads)
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    index, seen, draws = [], set(), 0
    plan = [('tie', None, 2)] * a.tie
    plan += [('pool_proj', None, 2 if k % 3 != 2 else 1 + (k // 3) % 2 * 2) for k in range(a.pool_proj)]
    plan += [('any', MIXES[k % len(MIXES)], 1 + k % 3) for k in range(a.any)]
    for family, mix, cps in plan:
        stem, size = (16, 32) if family == 'tie' else (a.stem, a.size)
        while True:
            m, ops = draw(rng, oracle_ext, 'pool_proj' if family == 'tie' else family, mix)
            pm, pops = oracle_ext.prune_spec(m, ops)
            key = json.dumps([pm.tolist(), pops, cps, stem])
            seed, data_seed = 5000 + draws, 7000 + draws
            draws += 1
            if key in seen:
                continue
            net = oracle_ext.NB101Net(m, ops, stem, 3, cps, 10)
            P = net.init(seed)
            try:  # the reference raises when a truncation would drop more than one channel
                net.forward(P, torch.zeros(1, 3, size, size))
            except (AssertionError, ValueError):
                continue
            x, _ = oracle.make_inputs(a.batch, 10, data_seed, size, size)
            gap = min_pool_gap(oracle_ext, net, P, x)
            if family == 'tie' and (gap is None or gap >= a.tie_gap):
                continue
            break
        seen.add(key)
        tag = {'tie': 'tie', 'pool_proj': 'poolproj'}.get(family) or ''.join(mix) or 'proj'
        cid = 'nb101_r%02d_%s_m%d' % (len(index), tag, cps)
        why = 'random spec (%s family): %s; %d cells per stack' % (family, describe(oracle_ext, m, ops), cps)
        man = oracle_ext.make_case(a.out, cid, 'nb101', why, net, seed, data_seed, a.batch, False, size, size,
                                   extra=OrderedDict([('maxpool_min_relative_gap', gap)]))
        index.append(OrderedDict([('case', cid), ('spec', man['spec']), ('stem_channels', stem),
                                  ('cells_per_stack', cps), ('input_shape', man['input']['shape']),
                                  ('maxpool_min_relative_gap', gap),
                                  ('proxies', OrderedDict((k, v['value']) for k, v in man['proxies'].items()))]))
        print(cid, why, 'min gap', gap, flush=True)
    args = OrderedDict((k, v) for k, v in vars(a).items() if k not in ('out', 'oracle'))
    gen = OrderedDict([('script', 'tools/nb101_random_fixtures.py'), ('args', args),
                       ('OPENBLAS_CORETYPE', os.environ.get('OPENBLAS_CORETYPE')),
                       ('torch', torch.__version__), ('threads', torch.get_num_threads())])
    with open(os.path.join(a.out, 'index.json'), 'w') as f:
        json.dump(OrderedDict([('generator', gen), ('cases', index)]), f, indent=1, allow_nan=False)


if __name__ == '__main__':
    main()
