"""Every dataset file the loaders know: where upstream publishes it and what its content must be.

This is the one place checksums live. A file is named by its path in the data mirror layout
(`mnist/train-images-idx3-ubyte.gz`, `cifar-10/cifar-10-binary.tar.gz`), which is also its path
in the download cache and under the course site's `data/` folder. The texts and the digits ship
inside the package, so `FILES` (what may be downloaded) lists neither; their checksums are here.

The checksums are of the *content*: the IDX file inside each `.gz`, each `.bin` inside the
CIFAR-10 archive, the text itself. Compressed wrappers differ byte for byte between mirrors
(gzip stores a timestamp), but the content must not, so checking content works for the local
mirror and for every upstream alike.
"""

import hashlib
from dataclasses import dataclass

from tinytorch.datasets.errors import ChecksumError, CorruptFileError


@dataclass(frozen=True)
class Content:
    """The sha256 and size in bytes of one file's content."""

    sha256: str
    size: int


@dataclass(frozen=True)
class DatasetFile:
    """A file as published: the URLs to try, in order, and the content inside it by member name."""

    urls: tuple[str, ...]
    contents: dict[str, Content]


MNIST_URLS = ("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/")
FASHION_MNIST_URLS = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"

# IDX sizes: a 16-byte header and 28 x 28 pixels per image, or an 8-byte header and one byte per label.
IDX_SIZES = {
    "train-images-idx3-ubyte": 16 + 60_000 * 784,
    "train-labels-idx1-ubyte": 8 + 60_000,
    "t10k-images-idx3-ubyte": 16 + 10_000 * 784,
    "t10k-labels-idx1-ubyte": 8 + 10_000,
}
IDX_SHA256 = {
    "mnist": {
        "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
    "fashion-mnist": {
        "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    },
}
CIFAR10_BATCH_SIZE = 10_000 * (1 + 3 * 32 * 32)  # 10,000 records of a label byte and 3,072 pixels
CIFAR10_SHA256 = {
    "data_batch_1.bin": "cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5",
    "data_batch_2.bin": "a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed",
    "data_batch_3.bin": "bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67",
    "data_batch_4.bin": "014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48",
    "data_batch_5.bin": "755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add",
    "test_batch.bin": "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b",
}
# Shipped inside the package (tinytorch/datasets/data/<name>.txt.gz), checked after decompressing:
# the course's edition, the book's body only, without Project Gutenberg's header and licence.
TEXT_CONTENT = {
    "moby_dick":
        Content("fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240", 1_204_997),
    "shakespeare_sonnets":
        Content("cdfad8a241d7890c3e1c5e94d8660b3192973d417d9a8f87881e845a0817f4df", 94_773),
}
# Shipped inside the package (tinytorch/datasets/data/), so this checksum is of the .gz file itself.
DIGITS_FILE = Content("09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22", 57_523)

FILES: dict[str, DatasetFile] = {
    **{
        f"{folder}/{name}.gz": DatasetFile(
            urls=tuple(base + name + ".gz" for base in bases),
            contents={name: Content(sha256, IDX_SIZES[name])},
        )
        for folder, bases in (("mnist", MNIST_URLS), ("fashion-mnist", FASHION_MNIST_URLS))
        for name, sha256 in IDX_SHA256[folder].items()
    },
    "cifar-10/cifar-10-binary.tar.gz": DatasetFile(
        urls=(CIFAR10_URL,),
        contents={f"cifar-10-batches-bin/{name}": Content(sha256, CIFAR10_BATCH_SIZE)
                  for name, sha256 in CIFAR10_SHA256.items()},
    ),
}


def check_content(name: str, data: bytes, expected: Content) -> None:
    """Raise ChecksumError unless `data` has the expected size and sha256.

    The message gives both sizes as well as both hashes: "47,040,016 bytes expected, 1,000
    found" says more about a cut-short file than two unrelated hashes do.
    """
    actual = hashlib.sha256(data).hexdigest()
    if len(data) != expected.size or actual != expected.sha256:
        raise ChecksumError(
            f"{name} is not the published dataset file.\n"
            f"  expected sha256 {expected.sha256} ({expected.size:,} bytes)\n"
            f"  actual   sha256 {actual} ({len(data):,} bytes)\n"
            "A local copy can be deleted so the next load fetches a fresh one; verify=False uses "
            "the file as it is."
        )


def check_members(where: str, members: dict[str, bytes], file: DatasetFile) -> None:
    """Check every member `file` must contain; `where` (a path or URL) goes into the messages."""
    for member, expected in file.contents.items():
        if member not in members:
            raise CorruptFileError(f"{where} has no member {member!r} (it has {sorted(members)})")
        check_content(f"{where} (member {member})", members[member], expected)
