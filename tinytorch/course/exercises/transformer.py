"""Module 13 exercise: the forward pass of a pre-norm transformer block.

The learner's `block_forward(block, x)` gets a `tinytorch.core.transformer.TransformerBlock`
(its parts: `ln1`, `attn`, `ln2`, `mlp`) and x (B, T, E), and must return what
`block(x, causal=True)` returns. The checks run blocks with fixed random weights, so they fail
for post-norm, a missing residual, a mask left off, or LayerNorms swapped.
"""

import numpy as np

import tinytorch
from tinytorch.core.tensor import Tensor
from tinytorch.core.transformer import TransformerBlock
from tinytorch.course.checks import Check, Exercise, expect_close


def block_forward_solution(block, x):
    """x + attention(LN(x)), then + MLP(LN(x)): each sub-layer reads a normalised copy and adds
    its result to the residual stream, which itself is never normalised."""
    attended, _ = block.attn(block.ln1(x), causal=True)  # tokens exchange information (causally)
    x = x + attended
    return x + block.mlp(block.ln2(x))  # each token thinks on its own


def _block(embed_dim=16, heads=4, seed=0):
    """A block whose LayerNorm gains and shifts are not 1 and 0, so swapping them shows."""
    tinytorch.manual_seed(seed)
    block = TransformerBlock(embed_dim, heads)
    rng = np.random.default_rng(seed)
    with tinytorch.no_grad():
        for name, p in block.named_parameters():
            if name.startswith("ln"):
                p[...] = rng.normal(1.0 if name.endswith("weight") else 0.0, 0.5, p.shape).astype(np.float32)
    return block


def _input(shape, seed=1):
    return Tensor(np.random.default_rng(seed).standard_normal(shape).astype(np.float32), requires_grad=True)


def _matches(shape, embed_dim=16, heads=4, seed=0):
    def test(candidate):
        block, x = _block(embed_dim, heads, seed), _input(shape, seed + 1)
        expect_close(candidate(block, x), block(x, causal=True), f"the output for input {shape}",
                     rtol=1e-4, atol=1e-5)
    return test


def _identity_without_sublayers(candidate):
    block, x = _block(), _input((1, 4, 16))
    with tinytorch.no_grad():  # the sub-layers' last projections write nothing
        for p in (block.attn.proj.weight, block.attn.proj.bias, block.mlp.proj.weight, block.mlp.proj.bias):
            p[...] = 0
    expect_close(candidate(block, x), x, "the output when attention and MLP add nothing")


def _causal(candidate):
    block, x = _block(), _input((1, 6, 16))
    changed = x.numpy().copy()
    changed[0, -1] = np.random.default_rng(9).standard_normal(16)  # only the last token changes
    before = candidate(block, x).numpy()[0, :-1]
    after = candidate(block, Tensor(changed)).numpy()[0, :-1]
    if not np.allclose(before, after, atol=1e-5):
        raise AssertionError("changing the LAST token changed the outputs of earlier tokens: the "
                             "attention is not causal")


def _gradients(candidate):
    block, x = _block(), _input((2, 3, 16))
    out = candidate(block, x)
    if not isinstance(out, Tensor) or not out.requires_grad:
        raise AssertionError("the output carries no gradient: use the block's modules on tensors")
    (out * out).mean().backward()
    missing = [name for name, p in block.named_parameters() if p.grad is None]
    if missing or x.grad is None:
        raise AssertionError(f"no gradient reached {', '.join(missing) or 'the input'}")


BLOCK_FORWARD = Exercise(
    name="BLOCK_FORWARD",
    checks=(
        Check("the residual path: sub-layers that add nothing leave x unchanged", _identity_without_sublayers,
              "Add each sub-layer's result to x (x = x + ...), rather than replacing x by it."),
        Check("one sequence of 5 tokens", _matches((1, 5, 16)),
              "Pre-norm: attention reads ln1(x), the MLP reads ln2(x) of the updated x; the attention "
              "module returns (output, weights): keep the output."),
        Check("the attention is causal", _causal, "Call block.attn(..., causal=True)."),
        Check("a batch of 3 sequences, 8 heads of 4", _matches((3, 7, 32), embed_dim=32, heads=8, seed=3),
              "Shapes come along by themselves: every module works on (B, T, E)."),
        Check("gradients reach every parameter and the input", _gradients,
              "Use the block's own modules (block.ln1, block.attn, block.ln2, block.mlp) on tensors."),
    ),
    solution=block_forward_solution,
)
