"""The course modules, one file each, numbered as the course teaches them:

    01 tensor         02 activations    03 layers         04 losses        05 autograd
    06 optimizers     07 training       08 dataloader     09 spatial       10 tokenization
    11 embeddings     12 attention      13 transformer

and what they share: `ops/` (every op's forward and backward), `module` (Module, Parameter),
`init` (weight initialisers), `arguments` (checks of the sizes constructors are given),
`random` (the seeded generator), `kernels` (the matrix-multiply kernel per platform),
`schedulers`, `transforms` (batch transforms for 08), `checkpoint` (saving and resuming) and
`tensor_functions` (`tinytorch.max(x, 1)` and the like: tensor methods spelled as functions).
PyTorch's import paths for the same objects are `tinytorch.nn`, `tinytorch.nn.functional`,
`tinytorch.optim` and `tinytorch.utils.data`.
"""
