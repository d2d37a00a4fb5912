"""Module 01, Tensor: an n-dimensional array that remembers how it was computed.

A `Tensor` wraps a NumPy array (`.data`). Arithmetic, reductions, shape changes and indexing
all go through `apply`, which runs an op's forward on the arrays and, when gradients are
wanted, records the op so `backward()` can run it in reverse (see `tinytorch.core.autograd`).

dtypes: float32 is the default for anything made from Python floats, because it halves memory
against float64 and is what accelerators use; float64 (for gradient checks), int64 (class
labels, indices), int8 and uint8 (image pixels, quantized weights: one byte each) and bool
(masks) are supported. A NumPy float64 array keeps float64 (you asked for it); other float
arrays become float32, integer arrays other than int8/uint8 become int64. Mixing an integer
tensor with a float makes the integer side float, as in PyTorch, rather than silently
promoting to float64 as NumPy does.
"""

from __future__ import annotations

import functools
import inspect
import warnings

import numpy as np

from tinytorch import return_types
from tinytorch.core import autograd, ops
from tinytorch.core.random import default_generator

float32, float64, int64 = np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.int64)
int8, uint8, bool_ = np.dtype(np.int8), np.dtype(np.uint8), np.dtype(np.bool_)
# PyTorch's other names for them (`dtype=torch.long` for labels); `tinytorch.float` and
# `tinytorch.bool` are these too, set in tinytorch/__init__.py, where they shadow no code.
long, double = int64, float64
_DTYPES = (float32, float64, int64, int8, uint8, bool_)


def _as_dtype(dtype) -> np.dtype:
    dt = np.dtype(dtype)
    if dt not in _DTYPES:
        raise TypeError(f"unsupported dtype {dt}; tinytorch supports {', '.join(map(str, _DTYPES))}")
    return dt


def to_arguments(args: tuple, dtype=None, device=None) -> np.dtype | None:
    """The dtype asked for by one of `.to()`'s PyTorch forms, or None for "keep the dtype":
    to(dtype), to(device), to(device, dtype), to(other_tensor) (its dtype), to(dtype=, device=).

    tinytorch computes with NumPy on the CPU, so 'cpu' is the one device: accepting it lets
    `model.to(device)` code run unchanged; any other device is an error that says so, rather
    than "data type 'cuda' not understood".
    """
    if len(args) == 1 and dtype is None and device is None and isinstance(args[0], np.dtype):
        return _as_dtype(args[0])  # the hot path: `x.to(weight.dtype)` in every linear layer
    if len(args) > 2:
        raise TypeError(f"to() takes at most a device and a dtype, got {len(args)} arguments")
    for arg in args:
        if isinstance(arg, Tensor):
            arg = arg.dtype
        if isinstance(arg, str) and arg.split(":")[0] in ("cpu", "cuda", "mps", "xla", "meta"):
            device = arg
        elif dtype is not None:
            raise TypeError(f"to() got two dtypes: {dtype} and {arg}")
        else:
            dtype = arg
    if device is not None and str(device).split(":")[0] != "cpu":
        raise RuntimeError(f"tinytorch runs on the CPU (with NumPy) only; device {str(device)!r} "
                           "is not available: use 'cpu'")
    return None if dtype is None else _as_dtype(dtype)


def _to_array(data, dtype=None) -> np.ndarray:
    """Convert `data` to an array of a supported dtype; an ndarray already right is not copied."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.asarray(data, dtype=_as_dtype(dtype))
    array = np.asarray(data)
    kind = array.dtype.kind
    if kind == "f":
        explicit_float64 = isinstance(data, np.ndarray) and array.dtype == float64
        return array if explicit_float64 else array.astype(float32, copy=False)
    if kind in "iu":
        return array if array.dtype in (int8, uint8) else array.astype(int64, copy=False)
    if kind == "b":
        return array
    raise TypeError(f"cannot make a tensor from {type(data).__name__} with dtype {array.dtype}")


def promote_types(*dtypes) -> np.dtype:
    """The dtype an op on tensors of these dtypes computes in: PyTorch's rule, not NumPy's.

    A float meets integers and bools as that float (NumPy makes int64 + float32 float64),
    float32 meets float64 as float64, integers of different types meet as int64 (NumPy makes
    int8 + uint8 int16, a dtype tinytorch does not have), and bools stay bool.
    """
    floats = {d for d in dtypes if d.kind == "f"}
    if floats:
        return float64 if float64 in floats else float32
    ints = {d for d in dtypes if d.kind in "iu"}
    if not ints:
        return bool_
    return ints.pop() if len(ints) == 1 else int64


def _promoted(tensors: list[Tensor]) -> list[Tensor]:
    """The tensors converted (with a gradient path) to their `promote_types` dtype."""
    dtype = promote_types(*(t.dtype for t in tensors))
    return [t if t.dtype == dtype else t.to(dtype) for t in tensors]


def apply(op: type[autograd.Function], *inputs: Tensor, **options) -> Tensor:
    """Run `op` forward on the inputs' arrays; record it in the graph if a gradient is wanted."""
    recording, anomaly = autograd.is_grad_enabled(), autograd.is_anomaly_enabled()
    if recording or anomaly or autograd.profilers:
        ctx = op(*inputs)
    else:
        # Inference (under no_grad): no graph node will be kept, so skip its bookkeeping (which
        # inputs need a gradient, their versions), about a quarter of a small op's overhead.
        ctx = object.__new__(op)
    arrays = [t.data for t in inputs]
    out = autograd.profilers[0].run(ctx, "forward", arrays, options) if autograd.profilers else \
        ctx.forward(*arrays, **options)
    # NumPy returns a scalar (np.float64), not a 0-d array, from arithmetic on 0-d arrays; a
    # tensor must hold an array, which can be written in place (gradcheck, optimizers, x[...] =).
    out = np.asarray(out)
    if anomaly:
        autograd.check_forward(ctx, out)
    result = Tensor._wrap(out)
    if out.base is not None and len(inputs) == 1 and np.may_share_memory(out, inputs[0].data):
        # A view (reshape, slice, permute) writes into its input's memory: one shared counter.
        result._version_counter = inputs[0]._version_counter
    if recording and any(ctx.needs_input_grad):
        result.requires_grad = True
        result._ctx = ctx
        ctx.output_version = result._version_counter[0]
    return result


_TORCH_SPELLINGS = (("dim", "axis"), ("keepdim", "keepdims"))


def accepts_dim(function):
    """Let `function`, written with NumPy's `axis=` / `keepdims=`, also take PyTorch's `dim=` /
    `keepdim=`, so code written for either library runs unchanged.

    One wrapper serves every method and function that takes an axis, instead of a `dim=None`
    parameter and a merge in each. Both spellings of one argument at once is a TypeError (as is
    `x.sum(0, dim=1)`: Python's own "multiple values for argument 'axis'"). A list of axes
    becomes a tuple, the only form NumPy's reductions accept.
    """
    parameters = list(inspect.signature(function).parameters)
    axis_position = parameters.index("axis") if "axis" in parameters else None

    @functools.wraps(function)
    def with_dim(*args, **kwargs):
        if kwargs:
            for torch_name, numpy_name in _TORCH_SPELLINGS:
                if torch_name in kwargs:
                    if numpy_name in kwargs:
                        raise TypeError(f"{function.__name__}() got both {numpy_name}= and "
                                        f"{torch_name}=, which mean the same; give one")
                    kwargs[numpy_name] = kwargs.pop(torch_name)
            if isinstance(kwargs.get("axis"), list):
                kwargs["axis"] = tuple(kwargs["axis"])
        if axis_position is not None and len(args) > axis_position and isinstance(args[axis_position], list):
            args = (*args[:axis_position], tuple(args[axis_position]), *args[axis_position + 1:])
        return function(*args, **kwargs)

    return with_dim


def _dim(dim: int, ndim: int) -> int:
    """`dim` counted from 0; out of range is an IndexError naming the valid range, as in
    PyTorch (a plain list index would say only "out of range", or wrap around silently)."""
    ndim = max(ndim, 1)
    if not -ndim <= dim < ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, "
                         f"{ndim - 1}], but got {dim})")
    return dim % ndim


def _shape_args(shape) -> tuple:
    """Allow both f(2, 3) and f((2, 3))."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


class Tensor:
    """An array with an optional gradient. See the module docstring for dtypes.

    `Tensor(data)` shares memory with `data` when it is already a NumPy array of a supported
    dtype (like `torch.from_numpy`), or a tensor of the dtype asked for (like `torch.Tensor(t)`,
    an alias that shares the version counter too); `tinytorch.tensor(data)` always copies.
    """

    __slots__ = ("data", "_grad", "requires_grad", "_ctx", "_retains_grad", "_version_counter",
                 "__weakref__")
    __array_ufunc__ = None  # `ndarray + Tensor` defers to Tensor.__radd__

    def __init__(self, data, dtype=None, requires_grad: bool = False):
        self.data = _to_array(data, dtype)
        self._grad = None
        self._ctx = None
        self._retains_grad = False
        # An alias of a tensor sees its in-place changes: one counter for one memory (see `_version`).
        shares_memory = isinstance(data, Tensor) and np.may_share_memory(self.data, data.data)
        self._version_counter = data._version_counter if shares_memory else [0]
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_()

    @classmethod
    def _wrap(cls, array: np.ndarray) -> Tensor:
        """Make a tensor around an op's output without any checks: the hot path."""
        t = object.__new__(Tensor)
        t.data, t._grad, t._ctx, t._retains_grad, t.requires_grad = array, None, None, False, False
        t._version_counter = [0]
        return t

    @property
    def _version(self) -> int:
        """How many times the values were changed in place (`x[i] = ...`, an optimizer step).

        An op records its inputs' versions when it runs; backward() refuses to use a saved
        input whose version has moved since, because its gradient would be computed from the
        new values (see `autograd.backward`). Tensors that share memory (a view, `detach()`)
        share the counter. NumPy writes into `.data` bypass it, as they do in PyTorch's
        `.data`; `detect_anomaly()` catches those by hashing each saved input.
        """
        return self._version_counter[0]

    def _mark_modified(self) -> None:
        """Record an in-place change of the values (see `_version`)."""
        self._version_counter[0] += 1

    # ----- properties -------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def nbytes(self) -> int:
        """Bytes held by the values (not counting the gradient): numel * element_size."""
        return self.data.nbytes

    def element_size(self) -> int:
        return self.data.itemsize

    def numel(self) -> int:
        return self.data.size

    def dim(self) -> int:
        """The number of dims, PyTorch's method spelling of the `ndim` property."""
        return self.data.ndim

    def size(self, dim: int | None = None):
        return self.shape if dim is None else self.shape[_dim(dim, self.ndim)]

    def __len__(self) -> int:
        return len(self.data)

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by backward(), or None."""
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        """Checked, because the optimizer reads it much later: a NumPy array would fail deep
        inside a step, and a gradient of another shape would be broadcast into the weights."""
        if value is not None:
            if not isinstance(value, Tensor):
                hint = " (wrap a NumPy array: tinytorch.tensor(array))" if isinstance(
                    value, np.ndarray) else ""
                raise TypeError(f"assigned grad must be a Tensor or None, got "
                                f"{type(value).__name__}{hint}")
            if value.shape != self.shape:
                raise ValueError(f"assigned grad has shape {value.shape}, the tensor has shape "
                                 f"{self.shape}")
            if value.dtype != self.dtype:
                raise TypeError(f"assigned grad has dtype {value.dtype}, the tensor has dtype "
                                f"{self.dtype}; convert it with .to({self.dtype})")
        self._grad = value

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    @property
    def grad_fn(self):
        return self._ctx

    @property
    def T(self) -> Tensor:
        return self.permute(*reversed(range(self.ndim)))

    def t(self) -> Tensor:
        """Transpose of a matrix (a 0-d or 1-d tensor is returned as is), as `torch.Tensor.t`;
        more than 2 dims is an error, where `.T` would silently reverse all of them."""
        if self.ndim > 2:
            raise ValueError(f"t() expects a tensor with <= 2 dimensions, but this one has "
                             f"{self.ndim} (shape {self.shape}); use transpose(dim0, dim1)")
        return self.T

    # ----- conversion -------------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied): read it, do not write to it."""
        return self.data

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, this one has shape {self.shape}")
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def detach(self) -> Tensor:
        """The same values, cut off from the graph (shares memory, and so the version counter)."""
        t = Tensor._wrap(self.data)
        t._version_counter = self._version_counter
        return t

    def clone(self) -> Tensor:
        """A copy of the values; gradients flow back to the original."""
        return self * 1 if self.requires_grad else Tensor._wrap(self.data.copy())

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(
                f"only floating-point tensors can require gradients, this one is {self.dtype}"
            )
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> Tensor:
        """Keep `.grad` on this intermediate (non-leaf) tensor after backward."""
        self._retains_grad = True
        return self

    def to(self, *args, dtype=None, device=None) -> Tensor:
        """This tensor in another dtype (`to_arguments` lists the forms: a device, 'cpu', is
        accepted too); itself when nothing changes, as in PyTorch."""
        dtype = to_arguments(args, dtype, device)
        if dtype is None or dtype == self.dtype:
            return self
        if self.requires_grad and dtype.kind == "f":
            return apply(ops.Cast, self, dtype=dtype)
        return Tensor._wrap(self.data.astype(dtype))

    def is_floating_point(self) -> bool:
        return self.data.dtype.kind == "f"

    def cpu(self) -> Tensor:
        """The tensor itself: it is already in the CPU's memory (`x.cpu().numpy()` runs as is)."""
        return self

    def contiguous(self) -> Tensor:
        """The tensor itself. PyTorch code calls it before `.view` after a transpose; NumPy's
        reshape copies when the memory layout needs it, so there is nothing to fix here."""
        return self

    def float(self) -> Tensor:
        return self.to(float32)

    def double(self) -> Tensor:
        return self.to(float64)

    def long(self) -> Tensor:
        return self.to(int64)

    def type_as(self, other: Tensor) -> Tensor:
        """Converted to `other`'s dtype, e.g. a bool mask to the logits' float dtype."""
        return self.to(other.dtype)

    # ----- autograd ---------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph: bool = False) -> None:
        """Compute the gradient of this tensor with respect to every leaf that requires grad.

        A scalar's gradient defaults to 1. For a non-scalar tensor there is no single
        "derivative", so you must pass `gradient` (of the same shape): backward then computes
        the vector-Jacobian product with it.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() on a tensor that does not require grad: no input in its computation "
                "had requires_grad=True (or it was computed inside no_grad())."
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() on a tensor of shape {self.shape} needs an explicit gradient "
                    "of that shape: the implicit gradient 1 exists only for scalar outputs."
                )
            grad = np.ones(self.shape, dtype=self.dtype)
        else:
            grad = _to_array(gradient, self.dtype)
            if grad.shape != self.shape:
                raise ValueError(f"gradient has shape {grad.shape}, the tensor has {self.shape}")
        autograd.backward(self, grad, retain_graph=retain_graph)

    def _accumulate_grad(self, grad: np.ndarray) -> None:
        """Add to `.grad`. Never writes into an existing gradient array (it may be shared)."""
        grad = np.asarray(grad, dtype=self.dtype)
        if self._grad is None:
            self._grad = Tensor._wrap(grad if grad.flags.writeable else grad.copy())
        else:
            self._grad = Tensor._wrap(np.asarray(self._grad.data + grad))  # 0-d + 0-d is a scalar

    # ----- arithmetic -------------------------------------------------------------------
    def _match_dtypes(self, other) -> tuple[Tensor, Tensor]:
        """Make `other` a tensor and agree on a dtype (`promote_types`): an int side meets a float
        side as float."""
        if not isinstance(other, Tensor):
            other = Tensor(other, dtype=self.dtype if self.data.dtype.kind == "f" else None)
        if self.data.dtype == other.data.dtype:
            return self, other
        a, b = _promoted([self, other])
        return a, b

    def __add__(self, other):
        return apply(ops.Add, *self._match_dtypes(other))

    def __radd__(self, other):
        a, b = self._match_dtypes(other)
        return apply(ops.Add, b, a)

    def __sub__(self, other):
        return apply(ops.Sub, *self._match_dtypes(other))

    def __rsub__(self, other):
        a, b = self._match_dtypes(other)
        return apply(ops.Sub, b, a)

    def __mul__(self, other):
        return apply(ops.Mul, *self._match_dtypes(other))

    def __rmul__(self, other):
        a, b = self._match_dtypes(other)
        return apply(ops.Mul, b, a)

    def __truediv__(self, other):
        a, b = self._match_float_dtypes(other)
        return apply(ops.Div, a, b)

    def __rtruediv__(self, other):
        a, b = self._match_float_dtypes(other)
        return apply(ops.Div, b, a)

    def _match_float_dtypes(self, other) -> tuple[Tensor, Tensor]:
        """Division of integers gives floats (float32), not NumPy's float64."""
        a, b = self._match_dtypes(other)
        if a.data.dtype.kind != "f":
            a, b = a.float(), b.float()
        return a, b

    def __pow__(self, exponent):
        a, b = self._match_float_dtypes(exponent)
        return apply(ops.Pow, a, b)

    def __rpow__(self, base):
        a, b = self._match_float_dtypes(base)
        return apply(ops.Pow, b, a)

    def pow(self, exponent):
        return self ** exponent

    def __neg__(self):
        return apply(ops.Neg, self)

    def __abs__(self):
        return self.abs()

    def __matmul__(self, other):
        return matmul(self, other)

    def __rmatmul__(self, other):
        return matmul(Tensor(other), self)

    def matmul(self, other):
        return matmul(self, other)

    # Comparisons give bool tensors and have no gradient.
    def _compare(self, other, op) -> Tensor:
        other = other.data if isinstance(other, Tensor) else other
        return Tensor._wrap(np.asarray(op(self.data, other)))

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    # PyTorch's method names for the comparisons.
    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    # Masks combine with & | ^ ~ (logical for bool tensors, bitwise for integers); no gradient.
    def _bitwise(self, other, op) -> Tensor:
        """Refuses floats, as PyTorch: `&` of two float masks (0./1.) has no meaning."""
        other = other.data if isinstance(other, Tensor) else np.asarray(other)
        if self.data.dtype.kind == "f" or other.dtype.kind == "f":
            raise TypeError(f"& | ^ ~ need bool or integer tensors, got {self.dtype} and {other.dtype} "
                            "(compare first, e.g. (x > 0) & (x < 1))")
        return Tensor._wrap(np.asarray(op(self.data, other)))

    def __and__(self, other):
        return self._bitwise(other, np.bitwise_and)

    def __or__(self, other):
        return self._bitwise(other, np.bitwise_or)

    def __xor__(self, other):
        return self._bitwise(other, np.bitwise_xor)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __invert__(self):
        return self._bitwise(True, lambda x, _: np.invert(x))

    def allclose(self, other, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> bool:
        """True if every |self - other| <= atol + rtol * |other| (shapes broadcast)."""
        return allclose(self, other, rtol, atol, equal_nan)

    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous")
        return bool(self.data)

    # ----- elementwise math -------------------------------------------------------------
    def _as_float(self) -> Tensor:
        """Integer and bool tensors become float32 before float maths (NumPy would give float64)."""
        return self if self.data.dtype.kind == "f" else self.float()

    def exp(self):
        return apply(ops.Exp, self._as_float())

    def log(self):
        return apply(ops.Log, self._as_float())

    def sqrt(self):
        return apply(ops.Sqrt, self._as_float())

    def abs(self):
        return apply(ops.Abs, self)

    def clip(self, min=None, max=None):  # noqa: A002 - PyTorch's names
        return apply(ops.Clip, self, low=min, high=max)

    clamp = clip

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims (at and below `diagonal`), zeros above: with
        `ones(T, T).tril()`, the causal mask of a decoder. The gradient reaches the kept part."""
        return self._triangle("tril", lambda rows, cols: np.tri(rows, cols, k=diagonal, dtype=bool))

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims (at and above `diagonal`), zeros below."""
        return self._triangle("triu", lambda rows, cols: ~np.tri(rows, cols, k=diagonal - 1, dtype=bool))

    def _triangle(self, name: str, keep) -> Tensor:
        if self.ndim < 2:
            raise ValueError(f"{name}: input tensor must have at least 2 dimensions, got shape {self.shape}")
        return where(keep(*self.shape[-2:]), self, Tensor(np.zeros((), dtype=self.dtype)))

    def masked_fill(self, mask, value) -> Tensor:
        """`value` where the boolean `mask` is True, this tensor elsewhere (the mask broadcasts),
        e.g. -inf on the attention scores a query may not see. The gradient reaches only the
        elements kept. A non-bool mask is refused, as in PyTorch: a 0/1 float mask would be
        read as True wherever it is nonzero, and an index mask (e.g. [0, 2]) silently wrongly."""
        mask = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
        if mask.dtype != bool_:
            raise TypeError(f"masked_fill only supports boolean masks, but got mask with dtype {mask.dtype}")
        return where(mask, Tensor(value, dtype=self.dtype), self)

    def tanh(self):
        return apply(ops.TanhFunction, self._as_float())

    def sigmoid(self):
        return apply(ops.SigmoidFunction, self._as_float())

    def relu(self):
        return apply(ops.ReLUFunction, self)

    # ----- reductions -------------------------------------------------------------------
    # Every method taking `axis=` / `keepdims=` also takes `dim=` / `keepdim=` (`accepts_dim`).
    @accepts_dim
    def sum(self, axis=None, keepdims: bool = False):
        return apply(ops.Sum, self, axis=axis, keepdims=keepdims)

    @accepts_dim
    def mean(self, axis=None, keepdims: bool = False):
        return apply(ops.Mean, self._as_float(), axis=axis, keepdims=keepdims)

    @accepts_dim
    def amax(self, axis=None, keepdims: bool = False):
        """The largest values over `axis` (an int, several, or all): values only, and tied
        elements share the gradient equally, as `torch.amax`."""
        return apply(ops.Max, self, axis=axis, keepdims=keepdims)

    @accepts_dim
    def amin(self, axis=None, keepdims: bool = False):
        """amax of -x, negated; but not for integers, where -x wraps around (-(-128) is -128 in
        int8, -2 is 254 in uint8), nor bool, which has no `-`: they have no gradient anyway."""
        if self.data.dtype.kind != "f":
            return Tensor._wrap(np.asarray(self.data.min(axis=axis, keepdims=keepdims)))
        return -apply(ops.Max, -self, axis=axis, keepdims=keepdims)

    @accepts_dim
    def max(self, axis=None, keepdims: bool = False):
        """As `torch.max`: the largest element as a 0-d tensor; with a dim, the named tuple
        `(values, indices)` of each slice's largest element (the first one among ties, which
        alone gets the gradient); with another tensor, the elementwise maximum.

        `amax` gives values only (over several dims too). A tensor in place of the tuple
        would make `values, indices = x.max(dim=1)` unpack the first two rows, silently.
        """
        return _extreme(self, axis, keepdims, largest=True)

    @accepts_dim
    def min(self, axis=None, keepdims: bool = False):
        """As `max`, for the smallest: a 0-d tensor, `(values, indices)` with a dim, or the
        elementwise minimum with another tensor."""
        return _extreme(self, axis, keepdims, largest=False)

    @accepts_dim
    def topk(self, k: int, axis: int = -1, largest: bool = True, sorted: bool = True):
        """The k largest (or smallest) elements along `axis` and their indices, as the named
        tuple `(values, indices)`, largest first; the gradient goes to the chosen elements."""
        axis = _dim(axis, self.ndim)
        length = self.shape[axis] if self.ndim else 1
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= length:
            raise ValueError(f"topk: k must be an integer in [0, {length}] (the size of dim "
                             f"{axis}), got {k!r}")
        source = self.reshape(1) if self.ndim == 0 else self
        # Integers sort as int64: negating int8 or uint8 would wrap around (-(-128) is -128).
        keys = source.data if source.dtype.kind == "f" else source.data.astype(int64)
        # A stable sort keeps the first of tied elements first, as max(dim) picks it.
        order = np.argsort(-keys if largest else keys, axis=axis, kind="stable")
        indices = order.take(np.arange(k), axis=axis)
        values = apply(ops.TakeAlongAxis, source, indices=indices, axis=axis)
        indices = Tensor._wrap(indices.astype(int64))
        if self.ndim == 0:
            values, indices = values.reshape(()), indices.reshape(())
        return return_types.topk(values, indices)

    @accepts_dim
    def var(self, axis=None, keepdims: bool = False, *, correction: int = 1):
        """Variance; `correction=1` (PyTorch's default) divides by n - 1, 0 by n.

        With no more elements than `correction` (one sample, correction=1) there is no
        estimate: the result is nan (or inf) with a warning, as in PyTorch, not a made-up 0.
        """
        centred = self - self.mean(axis=axis, keepdims=True)
        axes = range(self.ndim) if axis is None else np.atleast_1d(axis)
        n = int(np.prod([self.shape[a] for a in axes]))
        squares = (centred * centred).sum(axis=axis, keepdims=keepdims)
        if n - correction > 0:
            return squares / (n - correction)
        warnings.warn(f"var(): degrees of freedom is <= 0 ({n} elements, correction={correction}); "
                      "the result is nan or inf", UserWarning, stacklevel=3)
        with np.errstate(divide="ignore", invalid="ignore"):
            return squares / 0

    @accepts_dim
    def std(self, axis=None, keepdims: bool = False, *, correction: int = 1):
        return self.var(axis, keepdims, correction=correction).sqrt()

    @accepts_dim
    def all(self, axis=None, keepdims: bool = False):
        """True where every element (along `axis`) is nonzero; a bool tensor, as `torch.all`."""
        return Tensor._wrap(np.asarray(self.data.all(axis=axis, keepdims=keepdims)))

    @accepts_dim
    def any(self, axis=None, keepdims: bool = False):
        """True where some element (along `axis`) is nonzero; a bool tensor, as `torch.any`."""
        return Tensor._wrap(np.asarray(self.data.any(axis=axis, keepdims=keepdims)))

    @accepts_dim
    def argmax(self, axis=None, keepdims: bool = False):
        """Index of the largest element, as int64 on every platform (NumPy gives its pointer-sized
        int, which is int32 in the browser's 32-bit WebAssembly)."""
        index = self.data.argmax(axis=axis, keepdims=keepdims)
        return Tensor._wrap(np.asarray(index, dtype=int64))

    @accepts_dim
    def argmin(self, axis=None, keepdims: bool = False):
        index = self.data.argmin(axis=axis, keepdims=keepdims)
        return Tensor._wrap(np.asarray(index, dtype=int64))

    @accepts_dim
    def softmax(self, axis: int = -1):
        return apply(ops.SoftmaxFunction, self._as_float(), axis=axis)

    @accepts_dim
    def log_softmax(self, axis: int = -1):
        return apply(ops.LogSoftmaxFunction, self._as_float(), axis=axis)

    # ----- shape ------------------------------------------------------------------------
    def reshape(self, *shape):
        shape = _shape_args(shape)
        try:
            return apply(ops.Reshape, self, shape=shape)
        except ValueError:
            raise ValueError(f"cannot reshape a tensor of shape {self.shape} ({self.numel()} "
                             f"elements) into {shape}") from None

    view = reshape

    def view_as(self, other: Tensor):
        """Reshape to `other`'s shape, e.g. labels (N,) to predictions (N, 1)."""
        return self.reshape(other.shape)

    def permute(self, *axes):
        axes = _shape_args(axes)
        # Not `a % ndim`: that would let an out-of-range axis such as 3 of a 2-d tensor pass.
        if sorted(a + self.ndim if a < 0 else a for a in axes) != list(range(self.ndim)):
            raise ValueError(f"permute of a {self.ndim}-d tensor needs each of its axes once, got {axes}")
        return apply(ops.Permute, self, axes=axes)

    def transpose(self, dim0: int = -2, dim1: int = -1):
        """Swap two axes (the last two by default, which transposes a batch of matrices)."""
        axes = list(range(self.ndim))
        dim0, dim1 = _dim(dim0, self.ndim), _dim(dim1, self.ndim)
        axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
        return self.permute(*axes)

    @accepts_dim
    def squeeze(self, axis=None):
        """Drop the dims of size 1: all of them, or those among `axis` (an int or a tuple). As in
        PyTorch, a named dim whose size is not 1 stays (NumPy raises), so `x.squeeze(0)` runs
        for any batch size; a dim out of range is still an error."""
        axes = range(self.ndim) if axis is None else {
            _dim(a, self.ndim) for a in (axis if isinstance(axis, tuple) else (axis,))}
        return self.reshape(tuple(n for i, n in enumerate(self.shape) if n != 1 or i not in axes))

    @accepts_dim
    def unsqueeze(self, axis: int):
        return self.reshape(np.expand_dims(self.data, axis).shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        start, end = _dim(start_dim, self.ndim), _dim(end_dim, self.ndim)
        if start > end:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
        shape = self.shape[:start] + (-1,) + self.shape[end + 1:]
        return self.reshape(shape)

    def expand(self, *shape):
        """Broadcast to `shape` without copying; -1 keeps an existing dim's size.

        Only dims of size 1 can grow and new dims only go in front: broadcasting both ways,
        as in `a + b`, is not enough ((3, 1) and (1, 4) broadcast, but (3, 1) cannot shrink).
        """
        shape = _shape_args(shape)
        lead = len(shape) - self.ndim
        target = tuple(self.shape[i - lead] if new == -1 and i >= lead else new
                       for i, new in enumerate(shape))
        try:
            fits = lead >= 0 and np.broadcast_shapes(self.shape, target) == target
        except ValueError:  # includes a -1 for a new leading dim, which has no size to keep
            fits = False
        if not fits:
            raise ValueError(f"cannot expand shape {self.shape} to {shape}")
        return apply(ops.Expand, self, shape=target)

    @accepts_dim
    def split(self, split_size_or_sections, axis: int = 0):
        """Cut into pieces along `axis`: chunks of one size (int) or of the sizes listed."""
        axis = _dim(axis, self.ndim)
        length = self.shape[axis]
        if isinstance(split_size_or_sections, int):
            if split_size_or_sections < 1:
                raise ValueError(f"split_size must be a positive integer, got {split_size_or_sections}")
            sizes = [split_size_or_sections] * (length // split_size_or_sections)
            if length % split_size_or_sections:
                sizes.append(length % split_size_or_sections)
        else:
            sizes = list(split_size_or_sections)
            if min(sizes, default=0) < 0:
                raise ValueError(f"split sizes must not be negative, got {sizes}")
            if sum(sizes) != length:
                raise ValueError(f"split sizes {sizes} add up to {sum(sizes)}, axis {axis} has {length}")
        bounds = np.cumsum([0] + sizes)
        prefix = (slice(None),) * axis
        return tuple(self[prefix + (slice(int(a), int(b)),)]
                     for a, b in zip(bounds[:-1], bounds[1:], strict=True))

    @accepts_dim
    def chunk(self, chunks: int, axis: int = 0):
        """Cut into `chunks` pieces along `axis` as `torch.chunk`: each of ceil(n / chunks)
        elements, the last smaller, so fewer pieces come back when n does not divide evenly
        (e.g. `q, k, v = qkv.chunk(3, dim=-1)`)."""
        if isinstance(chunks, bool) or not isinstance(chunks, (int, np.integer)) or chunks < 1:
            raise ValueError(f"chunk expects `chunks` to be a positive integer, got {chunks!r}")
        length = self.shape[_dim(axis, self.ndim)]
        return self.split(max(-(-length // chunks), 1), axis=axis)

    # ----- indexing ---------------------------------------------------------------------
    def __getitem__(self, key):
        return apply(ops.Index, self, key=_index_key(key))

    def __setitem__(self, key, value):
        """Write values in place: only for tensors outside the graph (or inside no_grad)."""
        if self.requires_grad and autograd.is_grad_enabled():
            raise RuntimeError(
                "in-place assignment to a tensor that requires grad would corrupt its gradient; "
                "do it inside `with tinytorch.no_grad():` (e.g. to edit weights) or on a detached copy"
            )
        self.data[_index_key(key)] = value.data if isinstance(value, Tensor) else value
        self._mark_modified()

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    # ----- in place ---------------------------------------------------------------------
    # PyTorch's in-place ops write into the tensor's memory: `w -= lr * w.grad` under no_grad
    # updates the parameter itself. Without them Python rebinds the name to a new tensor, so
    # `for p in model.parameters(): p -= lr * p.grad` would train nothing, silently.
    def _fitted(self, result: Tensor, name: str) -> Tensor:
        """`result` (computed out of place) in this tensor's dtype, refusing what would change a
        value silently: a float result into an integer tensor (or an integer into a bool one)
        would truncate, and a broadcast cannot grow a tensor in place."""
        rank = {"b": 0, "u": 1, "i": 1, "f": 2}
        if rank[result.dtype.kind] > rank[self.dtype.kind]:
            raise TypeError(f"{name}: result type {result.dtype} can't be cast to the desired output "
                            f"type {self.dtype}")
        if result.shape != self.shape:
            raise ValueError(f"{name}: output with shape {self.shape} doesn't match the broadcast "
                             f"shape {result.shape}")
        return result if result.dtype == self.dtype else result.to(self.dtype)

    def _write(self, result: Tensor, name: str) -> Tensor:
        """Store `result` into this tensor as `__setitem__` does: outside the graph only (a
        tensor that requires grad is written inside no_grad), every alias sees it, the version
        counter moves. An operand that requires grad is refused: its gradient would be lost."""
        result = self._fitted(result, name)
        if result.requires_grad and not self.requires_grad:
            raise RuntimeError(f"{name}: an operand requires grad, and writing the result into a tensor "
                               "outside the graph would drop its gradient; use the out-of-place form")
        self[...] = result
        return self

    def _augmented(self, result: Tensor, name: str) -> Tensor:
        """`x += y` and the like: in place outside the graph (`_write`). Inside it (`x` computed
        by the graph, or `y` requiring grad, as in ResNet's `out += identity`) the result is
        bound to the name `x` as a new tensor, `x = x + y`: the same values and gradients PyTorch
        gives, though other views of the old `x` keep their values. A leaf that requires grad
        is refused, as in PyTorch, since the update would bypass the graph."""
        if autograd.is_grad_enabled() and result.requires_grad and not (self.requires_grad and self.is_leaf):
            return self._fitted(result, name)
        return self._write(result, name)

    def add_(self, other, *, alpha=1) -> Tensor:
        return self._write(self + (other if alpha == 1 else other * alpha), "add_")

    def sub_(self, other, *, alpha=1) -> Tensor:
        return self._write(self - (other if alpha == 1 else other * alpha), "sub_")

    def mul_(self, other) -> Tensor:
        return self._write(self * other, "mul_")

    def div_(self, other) -> Tensor:
        return self._write(self / other, "div_")

    def __iadd__(self, other):
        return self._augmented(self + other, "+=")

    def __isub__(self, other):
        return self._augmented(self - other, "-=")

    def __imul__(self, other):
        return self._augmented(self * other, "*=")

    def __itruediv__(self, other):
        return self._augmented(self / other, "/=")

    def fill_(self, value) -> Tensor:
        self[...] = value
        return self

    def zero_(self) -> Tensor:
        """Set every value to 0 in place, e.g. `w.grad.zero_()` in a hand-written training loop."""
        return self.fill_(0)

    def copy_(self, src) -> Tensor:
        """Copy `src`'s values in (broadcast to this shape, cast to this dtype), as `torch.copy_`."""
        src = (src if isinstance(src, Tensor) else Tensor(src)).to(self.dtype)
        return self._write(src if src.shape == self.shape else src.expand(*self.shape), "copy_")

    # ----- display ----------------------------------------------------------------------
    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(", precision=4,
                               threshold=200, edgeitems=3)
        extras = []
        if self.dtype not in (float32, int64, bool_):
            extras.append(f"dtype={self.dtype}")
        if self._ctx is not None:
            extras.append(f"grad_fn={self._ctx!r}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"


def _extreme(x: Tensor, dim, keepdim: bool, largest: bool):
    """`Tensor.max` (largest=True) and `Tensor.min`: see there for the three forms."""
    name = "max" if largest else "min"
    if isinstance(dim, Tensor):
        if keepdim:
            raise TypeError(f"{name}(other) is elementwise and takes no keepdim")
        return (maximum if largest else minimum)(x, dim)
    if dim is None:
        return x.amax(keepdims=keepdim) if largest else x.amin(keepdims=keepdim)
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}(dim) takes one dim, got {dim!r}; a{name}(dim) reduces over several")
    axis = _dim(dim, x.ndim)
    if x.ndim and x.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size "
                         f"(shape {x.shape})")
    source = x.reshape(1) if x.ndim == 0 else x
    pick = np.argmax if largest else np.argmin
    indices = pick(source.data, axis=axis, keepdims=True).astype(int64)
    values = apply(ops.TakeAlongAxis, source, indices=indices, axis=axis, keepdims=keepdim and x.ndim > 0)
    indices = Tensor._wrap(indices if keepdim and x.ndim else np.squeeze(indices, axis=axis))
    return (return_types.max if largest else return_types.min)(values, indices)


def zero_grads(tensors, set_to_none: bool = True) -> None:
    """Forget the tensors' gradients: `Module.zero_grad` and `Optimizer.zero_grad`.

    `set_to_none=True` (PyTorch's default) drops them, so the next backward starts fresh;
    False keeps a zero gradient of the right shape, for code that reads `.grad` before the
    next backward. The zeros are a new array: a gradient array may be shared, never written into.
    """
    for t in tensors:
        if t.grad is not None:
            t.grad = None if set_to_none else Tensor._wrap(np.zeros_like(t.grad.data))


def _index_key(key):
    """Turn tensors inside an index into arrays (NumPy does the rest of the indexing)."""
    if isinstance(key, Tensor):
        return key.data
    if isinstance(key, tuple):
        return tuple(k.data if isinstance(k, Tensor) else k for k in key)
    if isinstance(key, list):
        return np.asarray(key)
    return key


# ----- functions of several tensors -------------------------------------------------------

def matmul(a: Tensor, b: Tensor) -> Tensor:
    """a @ b with PyTorch's rules: 1-d operands are treated as a row / column and dropped after."""
    a, b = a._match_dtypes(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("matmul needs tensors with at least one dimension; use * for scalars")
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise ValueError(
            f"matmul shape mismatch: {a.shape} @ {b.shape}: the last dim of the first "
            f"({a.shape[-1]}) must equal the {'second-to-last' if b.ndim > 1 else 'only'} dim of "
            f"the second ({b.shape[-2 if b.ndim > 1 else 0]})"
        )
    if a.ndim == 1 and b.ndim == 1:
        return (a * b).sum()
    if a.ndim == 1:
        return apply(ops.MatMul, a.unsqueeze(0), b).squeeze(-2)
    if b.ndim == 1:
        return apply(ops.MatMul, a, b.unsqueeze(1)).squeeze(-1)
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise ValueError(f"matmul batch dims do not broadcast: {a.shape} @ {b.shape}") from None
    return apply(ops.MatMul, a, b)


@accepts_dim
def cat(tensors, axis: int = 0) -> Tensor:
    tensors = _promoted([t if isinstance(t, Tensor) else Tensor(t) for t in tensors])
    return apply(ops.Cat, *tensors, axis=_dim(axis, tensors[0].ndim))


@accepts_dim
def stack(tensors, axis: int = 0) -> Tensor:
    tensors = _promoted([t if isinstance(t, Tensor) else Tensor(t) for t in tensors])
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise ValueError(f"stack needs tensors of one shape, got {sorted(shapes)}")
    return apply(ops.Stack, *tensors, axis=_dim(axis, tensors[0].ndim + 1))


def allclose(a, b, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> bool:
    """True if every |a - b| <= atol + rtol * |b|, as `torch.allclose`; shapes must broadcast."""
    a, b = (np.asarray(t.data if isinstance(t, Tensor) else t) for t in (a, b))
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"allclose: shapes {a.shape} and {b.shape} do not broadcast") from None
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """`torch.flatten`: merge the dims from `start_dim` to `end_dim` into one."""
    return x.flatten(start_dim, end_dim)


def where(condition, a, b) -> Tensor:
    """Elementwise `a if condition else b`; gradients flow to a and b, not the condition."""
    condition = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    a = a if isinstance(a, Tensor) else Tensor(a)
    a, b = a._match_dtypes(b)
    return apply(ops.Where, a, b, condition=condition.astype(bool))


def maximum(a, b) -> Tensor:
    a = a if isinstance(a, Tensor) else Tensor(a)
    return apply(ops.Maximum, *a._match_dtypes(b))


def minimum(a, b) -> Tensor:
    a = a if isinstance(a, Tensor) else Tensor(a)
    return apply(ops.Minimum, *a._match_dtypes(b))


# ----- creation ---------------------------------------------------------------------------

def tensor(data, dtype=None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of `data` (a number, nested lists, an array or a tensor)."""
    return Tensor(np.array(_to_array(data, dtype)), requires_grad=requires_grad)


def _filled(shape: tuple, value, dtype, requires_grad) -> Tensor:
    dtype = float32 if dtype is None else _as_dtype(dtype)
    return Tensor(np.full(shape, value, dtype=dtype), requires_grad=requires_grad)


def zeros(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    return _filled(_shape_args(shape), 0, dtype, requires_grad)


def ones(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    return _filled(_shape_args(shape), 1, dtype, requires_grad)


def full(shape, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    return _filled((shape,) if isinstance(shape, int) else tuple(shape), fill_value, dtype,
                   requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad: bool = False) -> Tensor:
    """Like `range`, as a tensor: int64 for whole-number arguments, float32 otherwise.

    `arange(n)` counts from 0 to n (with `step` too); NumPy's float64 result is made float32
    unless `dtype` says otherwise, since `Tensor` keeps a float64 array as float64.
    """
    if step == 0:
        raise ValueError("arange: step must be nonzero")
    values = np.arange(start, end, step) if end is not None else np.arange(0, start, step)
    if dtype is None and values.dtype.kind == "f":
        dtype = float32
    return Tensor(values, dtype=dtype, requires_grad=requires_grad)


def eye(n: int, m: int | None = None, dtype=None, requires_grad: bool = False) -> Tensor:
    return Tensor(np.eye(n, m, dtype=float32 if dtype is None else _as_dtype(dtype)),
                  requires_grad=requires_grad)


def rand(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    """Uniform on [0, 1), drawn from the seeded generator (`manual_seed`)."""
    dtype = float32 if dtype is None else _as_dtype(dtype)
    return Tensor(default_generator().random(_shape_args(shape), dtype=dtype),
                  requires_grad=requires_grad)


def randn(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    """Standard normal, drawn from the seeded generator (`manual_seed`)."""
    dtype = float32 if dtype is None else _as_dtype(dtype)
    return Tensor(default_generator().standard_normal(_shape_args(shape), dtype=dtype),
                  requires_grad=requires_grad)


def randint(*bounds_and_size, size=None, dtype=None) -> Tensor:
    """Integers drawn uniformly from [low, high), int64 by default, from the seeded generator:
    `randint(high, size)` or `randint(low, high, size)`, as `torch.randint`."""
    if size is None:
        *bounds, size = bounds_and_size
    else:
        bounds = list(bounds_and_size)
    if len(bounds) not in (1, 2):
        raise TypeError("randint takes (high, size) or (low, high, size)")
    low, high = (0, *bounds) if len(bounds) == 1 else bounds
    if low >= high:
        raise ValueError(f"randint expects low < high, but got low={low} >= high={high}")
    size = (size,) if isinstance(size, int) else tuple(size)
    dtype = int64 if dtype is None else _as_dtype(dtype)
    return Tensor(default_generator().integers(low, high, size).astype(dtype))


def multinomial(input: Tensor, num_samples: int, replacement: bool = False) -> Tensor:  # noqa: A002
    """Indices drawn from each row of non-negative weights (which need not sum to 1), as
    `torch.multinomial`: how a language model samples its next token. int64, shape (num_samples,)
    for one row, (rows, num_samples) for a 2-d input; from the seeded generator."""
    weights = np.asarray(input.data if isinstance(input, Tensor) else input, dtype=float64)
    if weights.ndim not in (1, 2) or weights.shape[-1] == 0:
        raise ValueError(f"multinomial: the weights must be 1-d or 2-d and non-empty, got shape "
                         f"{weights.shape}")
    rows = weights.reshape(-1, weights.shape[-1])
    if not np.isfinite(rows).all() or (rows < 0).any():
        raise ValueError("multinomial: the probability tensor contains inf, nan or an element < 0")
    totals = rows.sum(axis=1, keepdims=True)
    if (totals <= 0).any():
        raise ValueError("multinomial: a row of weights sums to 0, which is no distribution")
    nonzero = int((rows > 0).sum(axis=1).min())
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)) or num_samples < 1:
        raise ValueError(f"multinomial: num_samples must be a positive integer, got {num_samples!r}")
    if not replacement and num_samples > nonzero:
        raise ValueError(f"multinomial: cannot draw {num_samples} samples without replacement from a "
                         f"row with {nonzero} nonzero weights")
    rng = default_generator()
    drawn = np.stack([rng.choice(rows.shape[1], num_samples, replace=replacement, p=row)
                      for row in rows / totals])
    return Tensor(drawn.reshape(*weights.shape[:-1], num_samples).astype(int64))


def zeros_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return zeros(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def ones_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return ones(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def full_like(t: Tensor, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    return full(t.shape, fill_value, dtype=dtype or t.dtype, requires_grad=requires_grad)


def rand_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return rand(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def randn_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return randn(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)

