"""App 10 trains BPE on the learner's own text: a short text runs out of pairs (and says so),
an empty one asks for text instead of failing."""

from tests.apps.harness import APPS, Pressed, output_text, run_app

APP = APPS / "10_tokenization.py"


class Chose:
    def __init__(self, value):
        self.value = value


def _run(text):
    buttons = {"train_button": Pressed(), "measure_button": Pressed()}
    choices = {"corpus_choice": Chose("own"), "own_text": Chose(text), "vocab_size": Chose(400)}
    return run_app(APP, defs=buttons | choices)


def test_own_text_trains_until_no_pair_is_left():
    outputs, names = _run("the cat sat on the mat with the hat " * 20)
    assert len(names["steps"]) < 400 - 256 and "no pair left" in output_text(outputs)
    assert names["corpus"] and names["heldout"]
    assert names["compression_results"]["bpe"][-1]["tokens per character"] < 0.5


def test_empty_own_text_asks_for_text():
    outputs, names = _run("")
    assert "The training text is empty" in output_text(outputs) and "steps" not in names
