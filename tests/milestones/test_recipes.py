"""Every milestone recipe the README names runs end to end on a slice of its real dataset and
prints what its docs record: per-epoch (or per-evaluation) figures, the final result, samples.
Each runs as on a fresh clone, its data downloaded from a local stand-in for upstream (see
conftest); with no source at all, it says where it looked and how to provide the data.
The full runs take minutes to an hour; their figures are in docs/benchmarks*.md."""

import math

import pytest

from milestones import cnn_1998, mlp_1986, transformer_2017
from tinytorch import datasets


def test_mlp_1986_trains_and_reports_accuracy(needs, capsys):
    needs("mnist")
    results = mlp_1986.main(["--epochs", "2", "--limit", "2000", "--hidden", "64"])
    text = capsys.readouterr().out
    assert "(2000 train / 2000 test)" in text and "tinytorch: test accuracy " in text
    assert results["epochs"] == 2 and results["seconds"] > 0
    assert results["accuracy"] > 0.6  # chance is 0.1


def test_lenet_on_mnist_trains_and_reports_accuracy(needs, capsys):
    needs("mnist")
    results = cnn_1998.main(["--dataset", "mnist", "--epochs", "2", "--limit", "2048"])
    text = capsys.readouterr().out
    assert "mnist: 2048 train / 2048 test images" in text and "Conv2d" in text
    assert "final test accuracy " in text and results["epochs"] == 2
    assert results["test_accuracy"] > 0.5


def test_cifar_cnn_augments_and_reports_accuracy(needs, capsys):
    needs("cifar-10")
    results = cnn_1998.main(["--dataset", "cifar10", "--epochs", "1", "--limit", "256", "--widths", "8,p,16"])
    text = capsys.readouterr().out
    assert "cifar10: 256 train / 256 test images" in text and "BatchNorm2d" in text
    assert 0.0 <= results["test_accuracy"] <= 1.0
    assert results["seconds"] > 0 and "wall time " in text


def test_char_gpt_reports_validation_loss_and_samples(needs, capsys):
    needs(None)  # the text ships inside tinytorch
    results = transformer_2017.main(["--steps", "30", "--eval-every", "15", "--layers", "1",
                                      "--embed-dim", "32", "--heads", "2", "--context", "32", "--lr", "1e-2",
                                      "--eval-windows", "16", "--sample-length", "40"])
    text = capsys.readouterr().out
    losses = results["val_losses"]
    assert len(losses) == 2 and text.count(" nats/char ") == 2
    assert losses[-1] < math.log(83) - 0.5, "30 steps should beat uniform guessing over 83 characters"
    samples = results["samples"]
    assert text.count("--- sample (temperature 0.8) ---\n") == 2 and all(s in text for s in samples)
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


def test_recipes_downloaded_what_they_needed_into_the_cache(needs, upstream):
    needs("mnist")
    datasets.load_mnist("test")
    cache = upstream[2]
    assert sorted(p.name for p in (cache / "mnist").iterdir() if p.name.startswith("t10k")) == [
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]


@pytest.mark.parametrize(("recipe", "args", "path"), [
    (mlp_1986, ["--epochs", "1", "--limit", "100"], "mnist/train-images-idx3-ubyte.gz"),
    (cnn_1998, ["--dataset", "cifar10", "--epochs", "1", "--limit", "64"], "cifar-10/cifar-10-binary.tar.gz"),
], ids=["mlp_1986", "cnn_1998 cifar10"])
def test_with_no_source_at_all_a_recipe_says_where_it_looked_and_what_to_do(needs, monkeypatch, tmp_path,
                                                                           recipe, args, path):
    monkeypatch.setenv(datasets.sources.CACHE_ENV, str(tmp_path / "empty cache"))
    monkeypatch.setenv(datasets.sources.UPSTREAM_URL_ENV, "http://127.0.0.1:9/")  # offline
    with pytest.raises(datasets.DatasetNotFoundError) as error:
        recipe.main(args)
    message = str(error.value)
    assert message.startswith(f"Could not find {path}.\nTINYTORCH_DATA is not set")
    assert str(tmp_path / "empty cache" / path) in message and "http://127.0.0.1:9/" in message
    assert message.endswith(f"Set TINYTORCH_DATA to a folder laid out like the course's data mirror ({path} "
                            "inside it), or connect to the internet and load again.")
