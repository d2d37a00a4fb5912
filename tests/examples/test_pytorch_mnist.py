"""A PyTorch program runs on tinytorch with only its import lines changed.

`pytorch_mnist.py` is PyTorch's classic MNIST example (two convolutions, `F.max_pool2d`,
`x.view(-1, 320)`, `F.log_softmax(x, dim=1)`, `F.nll_loss`, `optim.SGD(momentum=)`,
`torch.no_grad()`, `pred.eq(target.view_as(pred)).sum().item()`, a state_dict saved and loaded).
It trains on a slice of real MNIST here and must learn; where torch is importable, the very
same body runs with the real torch imports as well.
"""

import re
import types
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("pytorch_mnist.py")
IMPORTS = [
    "import tinytorch as torch",
    "import tinytorch.nn as nn",
    "import tinytorch.nn.functional as F",
    "import tinytorch.optim as optim",
    "from tinytorch.utils.data import DataLoader, TensorDataset",
]
TRAIN, TEST = 12000, 2000  # a slice: one epoch takes seconds and reaches 75-78% (torch too)


def load_script(library: str) -> types.ModuleType:
    """The script's source as a module, with `tinytorch` replaced by `library` in its import
    lines and nowhere else."""
    source = SCRIPT.read_text()
    import_lines = [line for line in source.splitlines() if re.match(r"(import|from) ", line)]
    assert import_lines == IMPORTS, "pytorch_mnist.py may import nothing but its library"
    for line in import_lines:
        source = source.replace(line, line.replace("tinytorch", library), 1)
    module = types.ModuleType(f"pytorch_mnist_{library}")
    exec(compile(source, str(SCRIPT), "exec"), module.__dict__)
    return module


def train_and_reload(library, mnist, tmp_path, capsys):
    (train_images, train_labels), (test_images, test_labels) = mnist
    script = load_script(library)
    accuracy, reloaded = script.run(train_images[:TRAIN], train_labels[:TRAIN], test_images[:TEST],
                                    test_labels[:TEST], tmp_path / "mnist_cnn.pt")
    printed = capsys.readouterr().out
    with capsys.disabled():
        print(f"\n{library}: PyTorch's MNIST example, {TRAIN} images, one epoch: test accuracy "
              f"{accuracy:.4f}")
    return accuracy, reloaded, printed


def test_pytorch_mnist_example_runs_on_tinytorch_and_learns(mnist, tmp_path, capsys):
    accuracy, reloaded, printed = train_and_reload("tinytorch", mnist, tmp_path, capsys)
    assert accuracy > 0.7, f"the example reached only {accuracy:.4f} (chance is 0.1)"
    assert reloaded == accuracy, "the state dict did not survive torch.save / torch.load"
    assert f"Train Epoch: 1 [0/{TRAIN} (0%)]" in printed and f"/{TEST} (" in printed


def test_the_same_body_is_pytorch_code(mnist, tmp_path, capsys):
    pytest.importorskip("torch", reason="PyTorch is not installed (pip install torch==2.13.0)")
    accuracy, reloaded, _ = train_and_reload("torch", mnist, tmp_path, capsys)
    assert accuracy > 0.7 and reloaded == accuracy
