"""Module 16 trains a digits MLP, prunes it with the slider, sweeps accuracy against sparsity
three ways, stores the pruned model as INT8 CSR and grades the file, and trains two students:
the sparse file is really smaller and is the model; the sweep measured every method."""

from tests.apps.harness import APPS, Pressed, output_text, run_app
from tests.apps.quick import SETTINGS

APP = APPS / "16_compression.py"
BUTTONS = {name: Pressed() for name in ("train_button", "sweep_button", "store_button", "distil_button")}


def test_pruning_sweep_sparse_file_and_students():
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    sweep = names["sweep_results"]
    budget = SETTINGS[APP.stem]["budget"]
    assert sweep["sparsities"] == list(budget["sparsities"])
    for method in ("global", "per_layer", "structured"):
        assert len(sweep[f"{method}_fine_tuned"]) == len(budget["sparsities"])
        assert all(0 <= a <= 1 for a in sweep[f"{method}_pruned"] + sweep[f"{method}_fine_tuned"])
    assert [round(s, 3) for s in sweep["global_weights_removed"]] == list(budget["sparsities"])
    assert sweep["structured_weights_removed"][0] > budget["sparsities"][0]  # a neuron takes rows and columns

    stored = names["storage_results"]
    assert stored["sparsity"] == 0.9  # the slider's default
    assert stored["pruned_float_file_bytes"] == stored["float_file_bytes"]  # zeros stored cost the same
    assert (stored["pruned_int8_csr_file_bytes"] < stored["pruned_int8_file_bytes"]
            < stored["float_file_bytes"])
    assert stored["loaded_csr_accuracy"] == stored["int8_accuracy"]  # the file is the model

    students = names["distillation_results"]
    assert students["student_parameters"] < students["teacher_parameters"] / 4
    assert 0 <= students["scratch_accuracy"] <= 1 and 0 <= students["distilled_accuracy"] <= 1
    text = output_text(outputs)
    assert "INT8 CSR, pruned" in text and text.count("tt-results") == 3
    assert "<td>structured (neurons)</td>" in text  # the sweep table rendered, not a code block
