"""PyTorch's classic MNIST example (pytorch/examples, mnist/main.py, 2017-2019 version), with
only its import lines changed to tinytorch; tests/examples/test_pytorch_mnist.py runs this very
body with the real `torch` imports too, which proves it is PyTorch code and not a lookalike.

The argument parsing and torchvision download are replaced by `run(...)`, which takes MNIST as
the loaders give it (uint8 images, int64 labels); everything else is the example's code.
"""
# ruff: noqa: UP032 - the example's str.format calls, as written

import tinytorch as torch
import tinytorch.nn as nn
import tinytorch.nn.functional as F
import tinytorch.optim as optim
from tinytorch.utils.data import DataLoader, TensorDataset

# ----- the body: identical for both libraries from here on -----


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()  # noqa: UP008 - the example's spelling
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def train(model, train_loader, optimizer, epoch, log_interval=50):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if batch_idx % log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))


def test(model, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction='sum').item()  # sum up batch loss
            pred = output.argmax(dim=1, keepdim=True)  # get the index of the max log-probability
            correct += pred.eq(target.view_as(pred)).sum().item()

    test_loss /= len(test_loader.dataset)
    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(test_loader.dataset),
        100. * correct / len(test_loader.dataset)))
    return correct / len(test_loader.dataset)


def images(pixels):
    """uint8 (N, 28, 28) -> normalised float (N, 1, 28, 28), torchvision's Normalize((0.1307,), (0.3081,))."""
    return ((torch.tensor(pixels).float() / 255 - 0.1307) / 0.3081).unsqueeze(1)


def run(train_images, train_labels, test_images, test_labels, save_path, epochs=1, seed=1):
    """Train, test, save the state dict, load it into a fresh Net, and test that again.
    Returns (accuracy after training, accuracy of the reloaded model)."""
    torch.manual_seed(seed)
    train_loader = DataLoader(TensorDataset(images(train_images), torch.tensor(train_labels)),
                              batch_size=64, shuffle=True)
    test_loader = DataLoader(TensorDataset(images(test_images), torch.tensor(test_labels)),
                             batch_size=1000)
    model = Net()
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    for epoch in range(1, epochs + 1):
        train(model, train_loader, optimizer, epoch)
        accuracy = test(model, test_loader)

    torch.save(model.state_dict(), save_path)
    reloaded = Net()
    reloaded.load_state_dict(torch.load(save_path))
    return accuracy, test(reloaded, test_loader)
