"""Two public-domain books as plain text, for the character- and word-level language models.

    text = load_text("moby_dick")            # 1,190,317 characters, from "CHAPTER 1. Loomings."
    text = load_text("shakespeare_sonnets")  # the 154 sonnets

The course's copies hold the book only (no Project Gutenberg header or licence text), so a
model learns Melville, not boilerplate. They are found like every other dataset file (see
`sources`). Project Gutenberg, the fallback download, publishes no checksums and revises its
texts; if its current edition differs from the course's, loading says so (ChecksumError), and
`verify=False` accepts it, stripped of Gutenberg's header and licence, without caching it.
"""

from tinytorch.datasets.errors import CorruptFileError, check_choice
from tinytorch.datasets.sources import fetch, remember

TEXTS = ("moby_dick", "shakespeare_sonnets")


def load_text(name: str, *, verify: bool = True) -> str:
    """The whole text of book `name` (one of `TEXTS`) as one string, with `\\n` line ends."""
    check_choice("name", name, TEXTS)
    return load_text_file(f"text/{name}.txt", verify)


@remember
def load_text_file(path: str, verify: bool) -> str:
    (content,) = fetch(path, verify).values()
    try:
        return bytes(content).decode("utf-8")
    except UnicodeDecodeError as error:
        raise CorruptFileError(f"{path} is not UTF-8 text ({error})") from None
