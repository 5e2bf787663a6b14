#!/usr/bin/python3
"""
verify_zico_zen.py -- runs the *original* ZiCo and Zen-score code on the fixture networks and compares it with
tools/oracle/zico_zen.py. Nothing of the reference code is stored here: point the script at checkouts.

  --zc     a checkout of SamsungLabs/zero-cost-nas    (foresight/models: NAS201Model, NAS-Bench-101 Network)
  --aznas  a checkout of cvlab-yonsei/AZ-NAS          (NB201/ZeroShotProxy/compute_zico_score.py and
                                                       compute_zen_score.py: the NAS-Bench-201 ports of
                                                       SLDGroup/ZiCo compute_zico.py and idstcv/ZenNAS
                                                       compute_zen_score.py)

What is adapted, and why (the reference functions themselves run unmodified):
  * NAS201Model hard-codes 5 cells per stage; the C=8/N=1 cases keep the first N cells of each stage.
  * CUDA calls (`.cuda()`) become no-ops; AZ-NAS's networks return (features, logits), so the model is wrapped.
  * ZiCo's loader is the fixture batch split into two halves (the reference's two mini-batches).
  * Zen: the Gaussian re-initialisation is replaced by loading the oracle's Gaussian weights, and torch.randn
    returns the oracle's x1 and x2, so both sides see the same numbers. NAS201Model builds its cell BatchNorms
    without running statistics, on which the reference's `torch.mean(m.running_var)` raises; they are given
    running statistics (momentum 0.1), as AZ-NAS's TinyNetwork has. forward_pre_GAP is the input of global
    average pooling: top.lastact (NB201), the last cell (NB101).

Usage: /usr/bin/python3 tools/oracle/verify_zico_zen.py --zc /path/zero-cost-nas --aznas /path/AZ-NAS
"""
import argparse
import json
import math
import os
import sys
import types

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import zico_zen as Z  # noqa: E402
from reference_checkout import Wrapped, load_module, nas201_model  # noqa: E402


def nb201_model(zc, man):
    model = nas201_model(man)

    def pre_gap(self, x):
        x = self.stem(x)
        x = self.stack_cell1(x)
        x = self.reduction1(x)
        x = self.stack_cell2(x)
        x = self.reduction2(x)
        x = self.stack_cell3(x)
        return self.top.lastact(x)

    model.forward_pre_GAP = types.MethodType(pre_gap, model)
    return model


def nb101_model(zc, man):
    from foresight.models import nasbench1, nasbench1_spec
    spec = nasbench1_spec.ModelSpec(man['spec']['matrix'], man['spec']['ops'])
    model = nasbench1.Network(spec, man['stem_channels'], man['num_stacks'], man['cells_per_stack'], man['num_classes'])

    def pre_gap(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    model.forward_pre_GAP = types.MethodType(pre_gap, model)
    return model


def load_weights(model, P):
    result = model.load_state_dict(P, strict=False)
    assert not result.unexpected_keys, result.unexpected_keys
    return model


def track_all_batchnorms(model):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d) and not m.track_running_stats:
            m.track_running_stats = True
            m.register_buffer('running_mean', torch.zeros(m.num_features))
            m.register_buffer('running_var', torch.ones(m.num_features))
            m.register_buffer('num_batches_tracked', torch.tensor(0, dtype=torch.long))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--zc', required=True)
    ap.add_argument('--aznas', required=True)
    ap.add_argument('--expected', default=os.path.join(Z.ROOT, 'tests', 'fixtures', 'zico-zen', 'expected.json'))
    a = ap.parse_args()
    torch.set_num_threads(2)
    sys.path.insert(0, a.zc)
    zico_ref = load_module(os.path.join(a.aznas, 'NB201', 'ZeroShotProxy', 'compute_zico_score.py'), 'ref_zico')
    zen_ref = load_module(os.path.join(a.aznas, 'NB201', 'ZeroShotProxy', 'compute_zen_score.py'), 'ref_zen')
    nn.Module.cuda = lambda self, *args, **kw: self
    with open(a.expected) as f:
        expected = json.load(f)

    worst = {'zico': 0.0, 'zen': 0.0}
    for key, zc_case in expected['zico']['cases'].items():
        d = os.path.join(Z.SHARED, key)
        man, net, P, x, y = Z.load_case(d)
        build = nb201_model if man.get('space', 'nb201') == 'nb201' else nb101_model

        # ZiCo: the reference loop over two mini-batches
        model = build(a.zc, man)
        load_weights(model, P)
        half = x.shape[0] // 2
        loader = [(x[:half], y[:half]), (x[half:], y[half:])]
        try:
            ref = zico_ref.compute_nas_score(Wrapped(model), gpu=None, trainloader=loader, resolution=x.shape[2],
                                             batch_size=half)['zico']
            ref = float(ref)
            d_zico = abs(ref - zc_case['value'])
            worst['zico'] = max(worst['zico'], d_zico)
            zico_text = 'zico ref %.9g oracle %.9g |d| %.3g (spread_f32 %.3g)' % (ref, zc_case['value'], d_zico, zc_case['spread_f32'])
        except RuntimeError as e:  # NB101's in-place `outputs += proj(x)` breaks autograd in some cells
            zico_text = 'zico ref failed: %s' % str(e).split('\n')[0][:80]

        # Zen: the reference function with the oracle's numbers
        zen_case = expected['zen']['cases'][key]
        B, _, H, W = x.shape
        (Pg, x1, x2), = Z.zen_draws(net, B, H, W, zen_case['seed'], 1)
        model = build(a.zc, man)
        track_all_batchnorms(model)
        zen_ref.network_weight_gaussian_init = lambda m, Pg=Pg: load_weights(m.model, Pg)
        draws = iter([x1, x2])
        zen_ref.torch = types.SimpleNamespace(**{k: getattr(torch, k) for k in dir(torch) if not k.startswith('__')})
        zen_ref.torch.randn = lambda *args, **kw: next(draws)
        model.train()
        ref = zen_ref.compute_nas_score(Wrapped(model), gpu=None, trainloader=None, resolution=H, batch_size=B)['zen']
        exp = zen_case['value']
        exp = float(exp.replace('Infinity', 'inf')) if isinstance(exp, str) else float(exp)
        same = (ref == exp) or (math.isinf(ref) and math.isinf(exp) and (ref > 0) == (exp > 0))
        d_zen = 0.0 if same else abs(ref - exp)
        worst['zen'] = max(worst['zen'], d_zen)
        print('%-44s %s | zen ref %.9g oracle %.9g |d| %.3g' % (key, zico_text, ref, exp, d_zen), flush=True)
    print('largest |reference - oracle|:', worst)


if __name__ == '__main__':
    main()
