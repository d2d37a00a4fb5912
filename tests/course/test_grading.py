"""Grading a classifier: accuracy, confusion matrix, per-class rates and the most confident
mistakes, computed in batches in evaluation mode, and bad input named."""

import numpy as np
import pytest

import tinytorch
import tinytorch.nn as nn
from tinytorch.course.grading import Graded, grade


class Fixed(nn.Module):
    """Answers the scores stored for each input's index (the input's first value)."""

    def __init__(self, scores):
        super().__init__()
        self.scores = np.asarray(scores, np.float32)
        self.calls = []

    def forward(self, x):
        self.calls.append((len(x), self.training))
        return tinytorch.tensor(self.scores[x.numpy()[:, 0].astype(int)])


def test_grade_scores_every_image_in_batches_in_eval_mode():
    scores = [[3, 0, 0], [0, 3, 0], [0, 0, 3], [0, 5, 0], [1, 1, 0]]
    model = Fixed(scores)
    images = np.arange(5).reshape(5, 1)
    graded = grade(model, images, np.array([0, 1, 2, 0, 1]), lambda a: a.astype(np.float32), num_classes=3,
                   batch_size=2)
    assert model.calls == [(2, False), (2, False), (1, False)]
    assert graded.predictions.tolist() == [0, 1, 2, 1, 0]
    assert graded.accuracy == pytest.approx(0.6) and graded.right == 3
    np.testing.assert_allclose(graded.confidence[3], np.exp(5) / (np.exp(5) + 2), rtol=1e-6)
    np.testing.assert_array_equal(graded.confusion, [[1, 1, 0], [1, 1, 0], [0, 0, 1]])
    np.testing.assert_allclose(graded.per_class(), [0.5, 0.5, 1.0])


def test_mistakes_come_most_confident_first():
    graded = Graded(predictions=np.array([1, 1, 0, 2, 2]), confidence=np.array([0.9, 0.6, 0.99, 0.7, 0.5]),
                    labels=np.array([0, 1, 1, 0, 2]), num_classes=3)
    assert graded.mistakes(10).tolist() == [2, 0, 3]
    assert graded.mistakes(1).tolist() == [2]
    assert graded.most_common_mistake() in {(0, 1, 1), (1, 0, 1), (0, 2, 1)}
    perfect = Graded(np.array([0, 1]), np.array([1.0, 1.0]), np.array([0, 1]), 2)
    assert perfect.most_common_mistake() is None and perfect.mistakes(5).size == 0


def test_grade_names_bad_input():
    model = Fixed([[1, 0]])
    same = lambda a: a.astype(np.float32)  # noqa: E731
    with pytest.raises(ValueError, match="as many labels as images"):
        grade(model, np.zeros((3, 1)), np.zeros(2, int), same, num_classes=2)
    with pytest.raises(ValueError, match="classes 0 to 1"):
        grade(model, np.zeros((1, 1)), np.array([2]), same, num_classes=2)
    with pytest.raises(ValueError, match=r"expected \(batch, 3\)"):
        grade(model, np.zeros((1, 1)), np.array([0]), same, num_classes=3)
