#!/usr/bin/python3
"""
gradsign_mean.py -- runs the *original* GradSign `mean` code on zero-cost-nas's NAS201Model loaded with the oracle
fixtures' weights and batches, and writes the values GradSign's Mean aggregation must give on those cases.
Nothing of the reference code is stored here: point the script at checkouts.

  --zc     a checkout holding zero-cost-nas's `foresight` package: SamsungLabs/zero-cost-nas, or
           cmu-catalyst/GradSign's zero-cost-nas-code/ (the same NAS201Model)
  --aznas  a checkout of cvlab-yonsei/AZ-NAS: NB201/ZeroShotProxy/compute_gradsign_score.py, AZ-NAS's copy of
           cmu-catalyst/GradSign zero-cost-nas-code/gradsign.py (get_grad_conflict: batch-1 loop over the samples,
           every Conv2d/Linear weight of net.modules(), a None gradient taken as zeros, np.nanmean of
           |sum_i sign(g_i)|)

Why: NAS201Model instantiates every candidate op on every edge (SearchCell.options: the conv3x3 and conv1x1 of all
six edges) and executes only the selected ones. The unexecuted convs have no gradient (None -> zeros), so they never
vote, but np.nanmean counts them: the reference mean is the vote sum divided by a parameter count that is the same
for every architecture. GradSign's ZeroCostNas network builds only the executed ops, so its Mean must add those
elements back (NetworkSpec.UnexecutedScoredElements).

What is adapted (the reference function runs unmodified): NAS201Model hard-codes 5 cells per stage; the C=8/N=1
cases keep the first N cells of each stage (as tools/oracle/verify_zico_zen.py does); the model is wrapped to return
(features, logits) as AZ-NAS's networks do. The unexecuted convs keep NAS201Model's own initialisation (their values
never matter: they are not executed).

Usage: /usr/bin/python3 tools/oracle/gradsign_mean.py --zc /path/zero-cost-nas --aznas /path/AZ-NAS \
         [--out tests/fixtures/gradsign-mean/expected.json]
"""
import argparse
import json
import os
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import zico_zen as Z  # noqa: E402  (fixture loading; ../shared/oracle)
from reference_checkout import Wrapped, load_module, nas201_model  # noqa: E402


def scored_elements(model):
    return sum(m.weight.numel() for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--zc', required=True)
    ap.add_argument('--aznas', required=True)
    ap.add_argument('--out', default=os.path.join(Z.ROOT, 'tests', 'fixtures', 'gradsign-mean', 'expected.json'))
    a = ap.parse_args()
    torch.set_num_threads(2)
    sys.path.insert(0, a.zc)
    ref = load_module(os.path.join(a.aznas, 'NB201', 'ZeroShotProxy', 'compute_gradsign_score.py'), 'ref_gradsign')

    cases = OrderedDict()
    root = os.path.join(Z.SHARED, 'fixtures')
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, 'manifest.json')):
            continue
        man, net, P, x, y = Z.load_case(d)
        if man.get('space', 'nb201') != 'nb201':
            continue
        model = nas201_model(man)
        result = model.load_state_dict(P, strict=False)
        assert not result.unexpected_keys, result.unexpected_keys
        model.train()
        mean = float(ref.get_grad_conflict(net=Wrapped(model), inputs=x, targets=y))
        total = scored_elements(model)
        executed = sum(p.numel() for n, p in P.items() if n in set(net.scored_names))
        fixture_sum = float(man['proxies']['gradsign']['value'])
        cases['fixtures/' + name] = OrderedDict([
            ('arch', man['arch']), ('C', man['C']), ('N', man['N']), ('num_classes', man['num_classes']),
            ('scored_elements_reference', total), ('scored_elements_executed', executed),
            ('gradsign_sum', fixture_sum), ('gradsign_mean', mean),
            ('sum_over_reference_elements', fixture_sum / total)])
        print('%-28s P_ref %8d  P_exec %8d  mean %.9g  sum/P_ref %.9g' % (name, total, executed, mean, fixture_sum / total),
              flush=True)

    out = OrderedDict([
        ('format_version', 1),
        ('description', 'GradSign Mean (np.nanmean) on the shared NB201 oracle fixtures, computed by AZ-NAS '
                        'compute_gradsign_score.get_grad_conflict on zero-cost-nas NAS201Model'),
        ('generator', OrderedDict([('script', 'tools/oracle/gradsign_mean.py'), ('torch', torch.__version__),
                                   ('numpy', np.__version__)])),
        ('cases', cases)])
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
