"""Every milestone recipe the README names runs end to end on a slice of its real dataset and
prints what its docs record: per-epoch (or per-evaluation) figures, the final result, samples.
The full runs take minutes to an hour; their figures are in docs/benchmarks*.md."""

import math
import re

from milestones import cnn_1998, mlp_1986, transformer_2017
from tinytorch import datasets


def final_number(text: str, label: str) -> float:
    match = re.search(label + r" ([0-9.]+)", text)
    assert match, f"no {label!r} line in:\n{text}"
    return float(match.group(1))


def test_mlp_1986_trains_and_reports_accuracy(needs, capsys):
    needs(datasets.load_mnist, "train")
    mlp_1986.main(["--epochs", "2", "--limit", "2000", "--hidden", "64"])
    text = capsys.readouterr().out
    assert "(2000 train / 2000 test)" in text
    assert len(re.findall(r"^epoch +\d+ ", text, re.M)) == 2
    assert final_number(text, "test accuracy") > 0.6  # chance is 0.1


def test_lenet_on_mnist_trains_and_reports_accuracy(needs, capsys):
    needs(datasets.load_mnist, "train")
    cnn_1998.main(["--dataset", "mnist", "--epochs", "2", "--limit", "2048"])
    text = capsys.readouterr().out
    assert "mnist: 2048 train / 2048 test images" in text and "Conv2d" in text
    assert final_number(text, "final test accuracy") > 0.5


def test_cifar_cnn_augments_and_reports_accuracy(needs, capsys):
    needs(datasets.load_cifar10, "test")
    cnn_1998.main(["--dataset", "cifar10", "--epochs", "1", "--limit", "256", "--widths", "8,p,16"])
    text = capsys.readouterr().out
    assert "cifar10: 256 train / 256 test images" in text and "BatchNorm2d" in text
    assert 0.0 <= final_number(text, "final test accuracy") <= 1.0
    assert re.search(r"wall time [0-9.]+ s", text)


def test_char_gpt_reports_validation_loss_and_samples(needs, capsys):
    needs(datasets.load_text, "moby_dick")
    transformer_2017.main(["--steps", "30", "--eval-every", "15", "--layers", "1", "--embed-dim", "32",
                           "--heads", "2", "--context", "32", "--lr", "1e-2", "--eval-windows", "16",
                           "--sample-length", "40"])
    text = capsys.readouterr().out
    losses = [float(v) for v in re.findall(r"val ([0-9.]+) nats/char", text)]
    assert len(losses) == 2
    assert losses[-1] < math.log(83) - 0.5, "30 steps should beat uniform guessing over 83 characters"
    samples = [s.strip("\n") for s in text.split("--- sample (temperature 0.8) ---\n")[1:]]
    assert len(samples) == 2
    assert samples[0].startswith("Call me") and samples[1].startswith("The whale"), samples
    assert all(len(s) >= len("The whale") + 30 for s in samples), samples  # 40 new characters


def test_recipes_share_helpers_through_common_not_each_other():
    import ast
    from pathlib import Path

    folder = Path(cnn_1998.__file__).parent
    recipes = {p.stem for p in folder.glob("*.py")} - {"__init__", "common"}
    for path in folder.glob("*.py"):
        imported = {node.module for node in ast.walk(ast.parse(path.read_text()))
                    if isinstance(node, ast.ImportFrom) and node.module}
        assert not {f"milestones.{r}" for r in recipes} & imported, f"{path.name} imports a recipe"
