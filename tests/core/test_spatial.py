"""Module 09, Spatial: Conv2d, pooling, BatchNorm and Dropout2d against hand-computed cases."""

import math

import numpy as np
import pytest

import tinytorch
from tinytorch.core import spatial
from tinytorch.core.autograd import no_grad


def reference_conv2d(x, w, b, stride=1, padding=0):
    """The definition, as nested loops: out[n, o, i, j] = b[o] + sum w[o] * window."""
    n, c, h, width = x.shape
    out_channels, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh = (h + 2 * padding - kh) // stride + 1
    ow = (width + 2 * padding - kw) // stride + 1
    out = np.zeros((n, out_channels, oh, ow))
    for img in range(n):
        for o in range(out_channels):
            for i in range(oh):
                for j in range(ow):
                    window = xp[img, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[img, o, i, j] = (window * w[o]).sum() + b[o]
    return out


def test_one_channel_conv_against_nested_loops():
    x = np.arange(25, dtype=np.float32).reshape(1, 1, 5, 5)
    conv = spatial.Conv2d(1, 1, 3)
    conv.weight.data[...] = [[[[0, 1, 0], [1, -4, 1], [0, 1, 0]]]]  # a Laplacian
    conv.bias.data[...] = 0.5
    out = conv(tinytorch.tensor(x))
    # On a linear ramp the Laplacian is 0 everywhere: only the bias is left.
    np.testing.assert_allclose(out.numpy(), np.full((1, 1, 3, 3), 0.5))
    np.testing.assert_allclose(out.numpy(), reference_conv2d(x, conv.weight.numpy(),
                                                             conv.bias.numpy()))


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (1, 1), (2, 1), (3, 2)])
def test_multichannel_conv_against_nested_loops(stride, padding):
    conv = spatial.Conv2d(3, 4, 3, stride=stride, padding=padding)
    x = tinytorch.randn(2, 3, 7, 6)
    expected = reference_conv2d(x.numpy(), conv.weight.numpy(), conv.bias.numpy(), stride,
                                padding)
    np.testing.assert_allclose(conv(x).numpy(), expected, rtol=1e-4, atol=1e-5)


def test_grouped_conv_is_independent_convs_on_channel_groups():
    conv = spatial.Conv2d(4, 6, 3, padding=1, groups=2)
    x = tinytorch.randn(2, 4, 5, 5)
    w, b = conv.weight.numpy(), conv.bias.numpy()
    halves = [reference_conv2d(x.numpy()[:, 2 * g:2 * g + 2], w[3 * g:3 * g + 3],
                               b[3 * g:3 * g + 3], 1, 1) for g in range(2)]
    np.testing.assert_allclose(conv(x).numpy(), np.concatenate(halves, axis=1), rtol=1e-4,
                               atol=1e-5)


def test_conv_init_bounds_and_shapes_follow_pytorch():
    conv = spatial.Conv2d(8, 16, (3, 5), groups=2)
    assert conv.weight.shape == (16, 4, 3, 5) and conv.bias.shape == (16,)
    bound = 1 / math.sqrt(4 * 3 * 5)
    assert np.abs(conv.weight.numpy()).max() <= bound
    assert np.abs(conv.weight.numpy()).max() > 0.9 * bound
    assert spatial.Conv2d(3, 4, 3, bias=False).bias is None


def test_conv_rejects_channels_last_input_naming_both_layouts():
    conv = spatial.Conv2d(3, 8, 3)
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\).*\(2, 32, 32, 3\).*channels-last"):
        conv(tinytorch.zeros(2, 32, 32, 3))
    with pytest.raises(ValueError, match=r"\(N, 1, H, W\).*\(2, 28, 28, 1\).*channels-last"):
        spatial.Conv2d(1, 8, 5)(tinytorch.zeros(2, 28, 28, 1))  # 1 wide: too narrow for 5x5


def test_conv_rejects_wrong_channel_count_and_rank():
    conv = spatial.Conv2d(3, 8, 3)
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\).*got \(2, 1, 28, 28\)"):
        conv(tinytorch.zeros(2, 1, 28, 28))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\), got \(3, 28, 28\).*unsqueeze"):
        conv(tinytorch.zeros(3, 28, 28))
    with pytest.raises(ValueError, match="smaller than the"):
        conv(tinytorch.zeros(1, 3, 2, 2))
    with pytest.raises(ValueError, match="divisible by groups"):
        spatial.Conv2d(3, 6, 3, groups=2)


def test_max_pool_by_hand_and_ties_send_the_gradient_to_the_first_maximum():
    x = tinytorch.tensor([[[[1., 2., 5., 5.],
                            [3., 4., 5., 5.],
                            [0., 0., -1, -2],
                            [0., 0., -3, -4]]]], requires_grad=True)
    out = spatial.MaxPool2d(2)(x)
    np.testing.assert_array_equal(out.numpy()[0, 0], [[4, 5], [0, -1]])
    out.backward(np.ones(out.shape, np.float32))
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], [[0, 0, 1, 0],
                                                         [0, 1, 0, 0],
                                                         [1, 0, 1, 0],
                                                         [0, 0, 0, 0]])


def test_max_pool_padding_is_never_the_maximum():
    x = -tinytorch.ones(1, 1, 2, 2)
    out = spatial.max_pool2d(x, 2, stride=1, padding=1)
    np.testing.assert_array_equal(out.numpy(), -np.ones((1, 1, 3, 3)))


def test_avg_pool_and_adaptive_avg_pool_by_hand():
    x = tinytorch.arange(16).float().reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(spatial.AvgPool2d(2)(x).numpy()[0, 0], [[2.5, 4.5],
                                                                          [10.5, 12.5]])
    np.testing.assert_allclose(spatial.AdaptiveAvgPool2d(1)(x).numpy(), [[[[7.5]]]])
    np.testing.assert_allclose(spatial.AdaptiveAvgPool2d(2)(x).numpy(),
                               spatial.AvgPool2d(2)(x).numpy())


def test_pool_errors_name_the_problem():
    with pytest.raises(ValueError, match="at most half the kernel"):
        spatial.max_pool2d(tinytorch.zeros(1, 1, 4, 4), 2, padding=2)
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        spatial.AdaptiveAvgPool2d(1)(tinytorch.zeros(4, 4))


def test_batch_norm_training_normalises_and_updates_running_stats():
    bn = spatial.BatchNorm2d(2, momentum=0.5)
    x = tinytorch.randn(8, 2, 3, 3) * 3 + 5
    out = bn(x).numpy()
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1, atol=1e-3)
    per_channel = x.numpy().transpose(1, 0, 2, 3).reshape(2, -1)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.5 * per_channel.mean(axis=1),
                               rtol=1e-5)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.5 + 0.5 * per_channel.var(axis=1, ddof=1),
                               rtol=1e-5)


def test_batch_norm_eval_uses_running_stats_and_leaves_them_alone():
    bn = spatial.BatchNorm1d(3)
    bn.running_mean.data[...] = [1, 2, 3]
    bn.running_var.data[...] = [4, 4, 4]
    bn.weight.data[...] = 2
    bn.bias.data[...] = 1
    bn.eval()
    x = tinytorch.tensor([[1., 4., 7.]])  # a batch of one is fine in evaluation
    np.testing.assert_allclose(bn(x).numpy(), [[1, 3, 5]], rtol=1e-4)
    np.testing.assert_array_equal(bn.running_mean.numpy(), [1, 2, 3])
    assert set(dict(bn.named_buffers())) == {"running_mean", "running_var"}
    assert set(bn.state_dict()) == {"weight", "bias", "running_mean", "running_var"}


def test_batch_norm_train_and_eval_differ_until_the_stats_converge():
    bn = spatial.BatchNorm2d(1, momentum=1.0)
    x = tinytorch.randn(16, 1, 2, 2) * 2 + 3
    train_out = bn(x).numpy()
    bn.eval()
    with no_grad():
        eval_out = bn(x).numpy()
    # momentum 1: the running stats are this batch's (variance unbiased vs biased: n/(n-1)).
    n = x.numel()
    np.testing.assert_allclose(eval_out, train_out * math.sqrt((n - 1) / n), rtol=1e-3,
                               atol=1e-4)


def test_batch_norm_shape_errors():
    with pytest.raises(ValueError, match=r"BatchNorm2d expects input of shape \(N, C, H, W\)"):
        spatial.BatchNorm2d(3)(tinytorch.zeros(4, 3))
    with pytest.raises(ValueError, match=r"\(N, 3, \.\.\.\), got \(4, 5\)"):
        spatial.BatchNorm1d(3)(tinytorch.zeros(4, 5))
    with pytest.raises(ValueError, match="more than one value per channel"):
        spatial.BatchNorm1d(3)(tinytorch.zeros(1, 3))


def test_dropout2d_zeroes_whole_channels_and_scales_the_rest():
    x = tinytorch.ones(20, 10, 3, 3)
    out = spatial.Dropout2d(0.5)(x).numpy()
    per_channel = out.reshape(20, 10, 9)
    assert np.all((per_channel == 0).all(axis=2) | (per_channel == 2).all(axis=2))
    assert 0.3 < (per_channel[..., 0] == 0).mean() < 0.7
    layer = spatial.Dropout2d(0.5).eval()
    assert layer(x) is x


def test_dropout2d_of_one_drops_every_channel_and_refuses_more():
    x = tinytorch.randn(2, 3, 4, 4)
    with np.errstate(all="raise"):
        assert not spatial.dropout2d(x, 1.0).numpy().any()
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        spatial.Dropout2d(1.01)


def test_a_small_cnn_learns_to_tell_stripes_apart():
    """Vertical vs horizontal stripes: a conv net must reach 100% on this in a few steps."""
    from tinytorch.core.layers import Flatten, Linear, Sequential
    from tinytorch.core.losses import cross_entropy
    from tinytorch.core.optimizers import Adam

    images = np.zeros((16, 1, 6, 6), np.float32)
    images[:8, :, :, ::2] = 1  # vertical
    images[8:, :, ::2, :] = 1  # horizontal
    labels = np.repeat([0, 1], 8)
    model = Sequential(spatial.Conv2d(1, 4, 3, padding=1), spatial.BatchNorm2d(4),
                       tinytorch.nn.ReLU(), spatial.MaxPool2d(2), Flatten(), Linear(36, 2))
    optimizer = Adam(model.parameters(), lr=0.05)
    for _ in range(30):
        loss = cross_entropy(model(tinytorch.tensor(images)), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    assert (model(tinytorch.tensor(images)).numpy().argmax(1) == labels).all()


@pytest.mark.parametrize("dtype", ["float32", "int64", "uint8"])
@pytest.mark.parametrize("pool", [lambda x: spatial.avg_pool2d(x, 2), lambda x: spatial.max_pool2d(x, 2),
                                  lambda x: spatial.adaptive_avg_pool2d(x, 1)],
                         ids=["avg", "max", "adaptive_avg"])
def test_pooling_returns_float32_for_float32_and_integer_images(pool, dtype):
    x = tinytorch.tensor(np.arange(16).reshape(1, 1, 4, 4), dtype=dtype)
    out = pool(x)
    assert out.dtype == tinytorch.float32
    np.testing.assert_allclose(out.numpy(), pool(x.float()).numpy())
    assert out.numpy().max() > 0  # an integer pooling matrix would average to 0
