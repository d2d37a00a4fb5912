"""The browser's path, without the MNIST mirror (the generation event's book ships with
tinytorch): a tiny GPT evaluated in-process is scored, and writing a file, importing a module
outside the rules at run time or reading a file outside its folder is named as natively. Also
run inside Pyodide (tests/pyodide), where the installation's prefix is "/" and the guard must
still tell the submission's folder from the rest of the file system."""

import dataclasses

import numpy as np
import pytest

import tinytorch
from tinytorch.capstone import evaluate, get_event, sized, validate_result
from tinytorch.core.transformer import GPT

TINY = {"vocab_size": 83, "context_length": 256, "embed_dim": 16, "num_heads": 2, "num_layers": 1}
SOURCE = """
from tinytorch.core.transformer import GPT

def build_model(weights):
    {body}
    model = GPT(vocab_size=83, context_length=256, embed_dim=16, num_heads=2, num_layers=1)
    model.load_state_dict(weights)
    return model
"""
# generation, sized as small as it gets and with a bar a one-step model passes
SMALL = dataclasses.replace(sized(get_event("generation"), {"windows": 2, "new_tokens": 5}),
                            max_val_loss=10.0)


def submission(folder, body="pass"):
    folder.mkdir()
    (folder / "submission.py").write_text(SOURCE.format(body=body))
    tinytorch.manual_seed(0)
    np.savez(folder / "weights.npz", **GPT(**TINY).state_dict())
    return folder


def test_a_tiny_gpt_is_scored_in_process(tmp_path):
    result = evaluate(submission(tmp_path / "good"), SMALL, queries=3, isolation="in-process")
    validate_result(result)
    assert result["status"] == "scored" and result["isolation"] == "in-process"
    assert result["settings"] == {"window": 256, "windows": 2, "new_tokens": 5, "queries": 3,
                                  "standard": False}


@pytest.mark.parametrize("kind, body", [
    ("file_access", "open('notes.txt', 'w').write('x')"),
    ("forbidden_import", "__import__('soc' + 'ket')"),
    ("file_access", "open({outside!r}).read()"),
])
def test_rule_breaking_is_named_in_process(tmp_path, kind, body):
    outside = tmp_path / "answers.txt"
    outside.write_text("7 2 1 0 4")
    folder = submission(tmp_path / "bad", body.format(outside=str(outside)))
    result = evaluate(folder, SMALL, queries=3, isolation="in-process")
    assert result["status"] == "failed" and result["problem"]["kind"] == kind, result["problem"]
