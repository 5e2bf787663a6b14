"""Helpers shared by the scripts that run reference code from a checkout of its repository (nothing of that code is
stored here): load a module from a file path, build zero-cost-nas's NAS-Bench-201 model for a fixture case, and give
a plain network the (features, logits) output and the
forward_pre_GAP method that AZ-NAS's proxy functions expect."""
import importlib.util

import torch.nn as nn


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Wrapped(nn.Module):
    """AZ-NAS networks return (features, logits)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return None, self.model(x)

    def forward_pre_GAP(self, x):
        return self.model.forward_pre_GAP(x)


def nas201_model(man):
    """zero-cost-nas's NAS201Model (its `foresight` package must be on sys.path) for a fixture case: the case's cell,
    classes and channels, each stage cut from the model's fixed five cells to the case's N."""
    from foresight.models import nasbench2
    model = nasbench2.get_model_from_arch_str(man['arch'], man['num_classes'], init_channels=man['C'])
    for s in (1, 2, 3):
        name = 'stack_cell%d' % s
        setattr(model, name, nn.Sequential(*list(getattr(model, name))[:man['N']]))
    return model
