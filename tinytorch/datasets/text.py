"""Two public-domain books as plain text, for the character- and word-level language models.

    text = load_text("moby_dick")            # 1,190,317 characters, from "CHAPTER 1. Loomings."
    text = load_text("shakespeare_sonnets")  # the 154 sonnets

Both ship inside tinytorch, gzipped (0.5 MB), like the UCI digits: the course's edition holds
the book only (no Project Gutenberg header or licence text), so a model learns Melville, not
boilerplate, and every machine and browser reads the same text. Project Gutenberg publishes no
checksums and revises its files, so a download from it could never be checked against the
figures the course records. The decompressed text is checked against `catalog` on every load.
Licence note: data/texts-LICENSE.txt.
"""

import functools
from importlib.resources import files

from tinytorch.datasets.archives import gunzip
from tinytorch.datasets.catalog import TEXT_CONTENT, check_content
from tinytorch.datasets.errors import CorruptFileError, check_choice

TEXTS = tuple(TEXT_CONTENT)
DATA = files("tinytorch.datasets") / "data"


def load_text(name: str) -> str:
    """The whole text of book `name` (one of `TEXTS`) as one string, with `\\n` line ends."""
    check_choice("name", name, TEXTS)
    return load_shipped_text(name)


@functools.cache
def load_shipped_text(name: str) -> str:
    path, expected = DATA / f"{name}.txt.gz", TEXT_CONTENT[name]
    content = gunzip(path.read_bytes(), str(path), expected.size, limit=expected.size)
    check_content(str(path), content, expected)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CorruptFileError(f"{path} is not UTF-8 text ({error})") from None
