"""The course introduction's example, exactly as printed (plus `zero_grad`), trains on MNIST.

    model = Sequential([Linear(784, 128), ReLU(), Linear(128, 64), ReLU(), Linear(64, 10)])
    optimizer = Adam(model.parameters(), lr=0.001)
    for batch in dataloader:
        output = model(batch.x)
        loss = CrossEntropyLoss()(output, batch.y)
        loss.backward(); optimizer.step()

It needs `Sequential` to take one list of layers and a batch to read as `batch.x` / `batch.y`.
One epoch over the 60,000 training digits reaches the 95% the course promises.
"""

import numpy as np

import tinytorch
from tinytorch.core.activations import ReLU
from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.core.layers import Linear, Sequential
from tinytorch.core.losses import CrossEntropyLoss
from tinytorch.core.optimizers import Adam
from tinytorch.core.transforms import Compose, Normalize, ToFloat


def test_the_introduction_example_reaches_95_percent_on_mnist(mnist):
    (train_images, train_labels), (test_images, test_labels) = mnist
    pixels = Compose([ToFloat(), Normalize(0.1307, 0.3081)])
    dataloader = DataLoader(TensorDataset(train_images.reshape(-1, 784), train_labels),
                            batch_size=32, shuffle=True, transform=pixels)

    # ----- the example, as printed -----
    model = Sequential([Linear(784, 128), ReLU(), Linear(128, 64), ReLU(), Linear(64, 10)])
    optimizer = Adam(model.parameters(), lr=0.001)
    for batch in dataloader:
        output = model(batch.x)
        loss = CrossEntropyLoss()(output, batch.y)
        optimizer.zero_grad()
        loss.backward(); optimizer.step()  # noqa: E702 - as the course prints it
    # ----- end of the example -----

    assert len(model) == 5 and model.num_parameters() == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10
    with tinytorch.no_grad():
        scores = model(tinytorch.tensor(pixels(test_images.reshape(-1, 784))))
    accuracy = float((scores.argmax(dim=1).numpy() == test_labels).mean())
    print(f"course example, one epoch: MNIST test accuracy {accuracy:.4f}")
    assert accuracy >= 0.95, f"one epoch of the course example reached only {accuracy:.4f}"
    assert np.isfinite(loss.item())
