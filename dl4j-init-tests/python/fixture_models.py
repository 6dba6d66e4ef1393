"""The small PyTorch models the fixture scripts share (make_model_fixtures.py,
make_state_dict_fixtures.py, make_program_fixtures.py): one definition each, so that every fixture
of a model comes from the same module. Their DL4J twins are in the tests' Models.java.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MnistCnn(nn.Module):
    """The documented MNIST CNN (PyTorch examples with batch norm)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_bn = nn.BatchNorm2d(20)
        self.fc1 = nn.Linear(320, 50)
        self.fc1_bn = nn.BatchNorm1d(50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_bn(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1_bn(self.fc1(x)))
        return F.softmax(self.fc2(x), dim=1)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class EmbedLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(100, 16)
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.head = nn.Linear(32, 5)

    def forward(self, tokens):
        out, _ = self.lstm(self.embed(tokens))
        return self.head(out)


class TwoBranch(nn.Module):
    def __init__(self):
        super().__init__()
        self.left = nn.Linear(12, 16)
        self.right = nn.Linear(12, 8)
        self.head = nn.Linear(24, 4)

    def forward(self, x):
        return self.head(torch.cat([F.relu(self.left(x)), torch.tanh(self.right(x))], dim=1))
