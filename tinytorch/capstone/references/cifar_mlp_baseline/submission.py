"""Vision baseline: an MLP on CIFAR-10's raw pixels (3072-256-10), tinytorch Modules, float32.

Fast enough for any budget and blind to what makes images images: it treats neighbouring
pixels as unrelated inputs. The number the optimized reference has to beat."""

import tinytorch.nn as nn

TEAM = "baseline"


def build_model(weights):
    model = nn.Sequential(nn.Flatten(), nn.Linear(3072, 256), nn.ReLU(), nn.Linear(256, 10))
    model.load_state_dict(weights)
    return model
