"""The UCI 8x8 handwritten digits: 1,797 tiny images that ship inside tinytorch.

    images, labels = load_digits()  # uint8 (1797, 8, 8) with values 0..16, int64 (1797,)

Small enough (57 kB) to include in the package, so the course's first models train with no
download, no data folder and no network, in the browser as on a laptop. Each pixel counts the
"on" pixels in a 4x4 block of the original 32x32 bitmap, hence 0..16, not 0..255.
Licence CC BY 4.0, E. Alpaydin and C. Kaynak, UCI ML Repository: see data/digits-LICENSE.txt.
"""

import functools
import io
from importlib.resources import files

import numpy as np

from tinytorch.datasets.archives import gunzip
from tinytorch.datasets.catalog import DIGITS_FILE, check_content

DIGITS_PATH = files("tinytorch.datasets") / "data" / "digits.csv.gz"


@functools.cache
def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """`(images uint8 (1797, 8, 8) values 0..16, labels int64 (1797,))`, read-only arrays.

    The file is a gzipped CSV, one image per row: 64 pixel values, row by row, then the label.
    """
    raw = DIGITS_PATH.read_bytes()
    check_content(str(DIGITS_PATH), raw, DIGITS_FILE)
    table = np.loadtxt(io.BytesIO(gunzip(raw, str(DIGITS_PATH))), delimiter=",", dtype=np.uint8)
    images, labels = table[:, :64].reshape(-1, 8, 8), table[:, 64].astype(np.int64)
    images.flags.writeable = labels.flags.writeable = False
    return images, labels
