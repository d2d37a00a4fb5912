"""Vision reference: a small CNN (two conv3x3-ReLU-maxpool stages, 16 and 32 maps, then one
Linear), tinytorch Modules, float32.

Convolutions share weights across positions, so 16 + 32 feature maps see edges and textures
anywhere in the image with 5,000 conv weights; it is a few hundred microseconds per image,
well inside the event's 10 ms budget (measured by the harness)."""

import tinytorch.nn as nn
from tinytorch.core import spatial

TEAM = "reference"


def small_cnn():
    return nn.Sequential(
        spatial.Conv2d(3, 16, 3, padding=1), nn.ReLU(), spatial.MaxPool2d(2),   # 16 x 16 x 16
        spatial.Conv2d(16, 32, 3, padding=1), nn.ReLU(), spatial.MaxPool2d(2),  # 32 x 8 x 8
        nn.Flatten(), nn.Linear(32 * 8 * 8, 10))


def build_model(weights):
    model = small_cnn()
    model.load_state_dict(weights)
    return model
