import math

import numpy as np
import pytest

from tinytorch.core import init
from tinytorch.core.tensor import zeros


def test_fans_for_linear_and_conv_weights():
    assert init.fans((64, 128)) == (128, 64)
    assert init.fans((16, 3, 5, 5)) == (75, 400)
    with pytest.raises(ValueError, match="2 or more dims"):
        init.fans((10,))


@pytest.mark.parametrize(
    ("fill", "expected_std"),
    [
        (init.xavier_uniform_, math.sqrt(2 / (300 + 200))),
        (init.xavier_normal_, math.sqrt(2 / (300 + 200))),
        (init.kaiming_uniform_, math.sqrt(2 / 300)),
        (init.kaiming_normal_, math.sqrt(2 / 300)),
    ],
)
def test_initialisers_have_their_documented_spread(fill, expected_std):
    w = fill(zeros(200, 300))
    assert w.dtype == np.float32
    assert abs(w.numpy().std() / expected_std - 1) < 0.03
    assert abs(w.numpy().mean()) < 0.01 * expected_std * 10


def test_unknown_nonlinearity_is_named():
    with pytest.raises(ValueError, match="'swish'"):
        init.kaiming_normal_(zeros(3, 3), nonlinearity="swish")
