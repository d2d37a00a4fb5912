"""Module 15 trains a digits MLP, quantizes it four ways, grades the copies loaded back from
their files, and times integer against float inference: the bytes really shrink, the
accuracy holds, per-channel scales err less than one per tensor."""

from tests.apps.harness import APPS, Pressed, output_text, run_app
from tests.apps.quick import SETTINGS

APP = APPS / "15_quantization.py"
BUTTONS = {"train_button": Pressed(), "time_button": Pressed()}


def test_quantized_files_are_smaller_and_still_classify():
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    results = names["results"]
    assert results["int8_array_bytes"] < 0.3 * results["float_array_bytes"]
    assert results["int8_file_bytes"] < 0.6 * results["float_file_bytes"]  # a tiny model: headers weigh
    assert results["int4_file_bytes"] < results["int8_file_bytes"]
    assert results["float_accuracy"] > 0.5 and abs(results["accuracy_drop_points"]) < 5
    assert 0 < results["rms_error_per_channel"] < results["rms_error_per_tensor"]
    speed = names["speed_results"]
    assert speed["batch"] == SETTINGS[APP.stem]["budget"]["timing_rows"]
    assert speed["float_ms"] > 0 and speed["int8_ms"] > 0 and speed["dequantized_ms"] > 0
    text = output_text(outputs)
    assert "int4, per channel" in text and "tt-results" in text and "RMS error here" in text
    assert "<td>int4, per channel</td>" in text  # a rendered table, not a code block
