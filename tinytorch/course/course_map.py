"""The course map: tiers of modules, the historical milestones, the order a learner takes them
in, and which of them have an app yet.

Why in the package, not in the site builder: the landing page, every app's navigation line
("Next: 05 Autograd") and the command line (`dev.py edit 05`) must all say the same thing, and
the apps run in the browser, where only the tinytorch wheel is installed. One table here is
read by all three; `tests/course/test_course_map.py` fails when an app's title or file
disagrees with it.
"""

from __future__ import annotations

import html
import sys
from dataclasses import dataclass

TIERS = (
    ("Foundation", "Build the engine: tensors, autograd, training.", range(1, 9)),
    ("Architecture", "Build the models: convolutions, tokens, attention, transformers.", range(9, 14)),
    (
        "Optimization",
        "Make it fast and small: profile, quantize, compress, cache, accelerate.",
        range(14, 20),
    ),
    ("Capstone", "Put it together.", range(20, 21)),
)

# number: (title, what it teaches, in a phrase that follows "Next: NN Title,")
MODULES = {
    1: ("Tensor", "the n-dimensional array every model is made of"),
    2: ("Activations", "the nonlinearities that make layers worth stacking"),
    3: ("Layers", "the `Linear` layer these activations sit between"),
    4: ("Losses", "the number that tells a model's parameters which way to move"),
    5: ("Autograd", "gradients of any computation, by the chain rule, automatically"),
    6: ("Optimizers", "which turn gradients into better weights"),
    7: ("Training", "the loop that runs an optimizer over a dataset, epoch after epoch"),
    8: ("DataLoader", "feeding real datasets to the training loop in shuffled batches, fast"),
    9: ("Spatial (convolutions)", "layers that know neighbouring pixels belong together"),
    10: ("Tokenization", "turning text into the integers a model reads"),
    11: ("Embeddings", "learned vectors for tokens and positions"),
    12: ("Attention", "letting every position look at every other"),
    13: ("Transformers", "attention, stacked into the architecture behind today's language models"),
    14: ("Profiling", "measuring where time and memory go"),
    15: ("Quantization", "smaller numbers for smaller, faster models"),
    16: ("Compression", "pruning and distillation"),
    17: ("Memoization (KV cache)", "not recomputing what generation already computed"),
    18: ("Acceleration", "vectorised kernels and their limits"),
    19: ("Benchmarking", "fair, repeatable measurements"),
    20: ("Capstone", "putting the whole framework together"),
}

MILESTONES = {
    1957: ("Perceptron (Rosenblatt)", "the first learning machine, a single line that moves on its mistakes"),
    1969: ("The XOR problem (Minsky and Papert)",
           "how much a single line cannot do, and what one hidden layer changes"),
    1986: ("Backpropagation trains an MLP (Rumelhart, Hinton, Williams)",
           "backpropagation training a hidden layer on real handwritten digits"),
    1998: ("Convolutional networks (LeCun et al.)", "LeNet reading digits with convolutions"),
    2017: ("Attention is all you need (Vaswani et al.)", "a small transformer writing text"),
    2018: ("Benchmarking and optimisation (MLPerf)", "the whole framework, measured and made fast"),
}

# Where each milestone sits in the learning path: after the module (or milestone) named here.
MILESTONE_AFTER = {1957: "module-07", 1969: "milestone-1957", 1986: "module-08", 1998: "module-09",
                   2017: "module-13", 2018: "module-19"}

# The apps that exist (file `apps/<stem>.py`, page folder `<stem>`), by key.
APPS = {
    "module-01": "01_tensor",
    "module-02": "02_activations",
    "module-03": "03_layers",
    "module-04": "04_losses",
    "module-05": "05_autograd",
    "module-06": "06_optimizers",
    "module-07": "07_training",
    "module-08": "08_dataloader",
    "module-09": "09_convolutions",
    "module-10": "10_tokenization",
    "module-11": "11_embeddings",
    "module-12": "12_attention",
    "module-13": "13_transformers",
    "module-14": "14_profiling",
    "module-15": "15_quantization",
    "module-16": "16_compression",
    "module-17": "17_memoization",
    "module-18": "18_acceleration",
    "module-19": "19_benchmarking",
    "module-20": "20_capstone",
    "milestone-1957": "milestone_1957_perceptron",
    "milestone-1969": "milestone_1969_xor",
    "milestone-1986": "milestone_1986_mlp",
    "milestone-1998": "milestone_1998_cnn",
    "milestone-2017": "milestone_2017_transformer",
    "milestone-2018": "milestone_2018_olympics",
}


@dataclass(frozen=True)
class Entry:
    key: str  # "module-04", "milestone-1986": also the learner's progress key on the site
    kind: str  # "module" | "milestone"
    number: int  # module number or milestone year
    title: str
    blurb: str

    @property
    def label(self) -> str:
        """How the course names it everywhere: "04 Losses", "Milestone 1986"."""
        return f"{self.number:02d} {self.title}" if self.kind == "module" else f"Milestone {self.number}"

    @property
    def app(self) -> str | None:
        """The app's file stem (and page folder), or None while it is still coming."""
        return APPS.get(self.key)


def module(number: int) -> Entry:
    title, blurb = MODULES[number]
    return Entry(f"module-{number:02d}", "module", number, title, blurb)


def milestone(year: int) -> Entry:
    title, blurb = MILESTONES[year]
    return Entry(f"milestone-{year}", "milestone", year, title, blurb)


def path() -> list[Entry]:
    """Every module and milestone in the order a learner takes them."""
    order = [module(n) for n in MODULES]
    for year in MILESTONES:  # years ascend, so a milestone after another is already placed
        after = next(i for i, e in enumerate(order) if e.key == MILESTONE_AFTER[year])
        order.insert(after + 1, milestone(year))
    return order


def entry(key: str) -> Entry:
    """The entry for "module-04" / "milestone-1986"; also accepts "04", "4", "1986" and an app
    stem ("04_losses"), as typed on the command line."""
    for e in path():
        if key in (e.key, e.app, str(e.number), f"{e.number:02d}"):
            return e
    known = ", ".join(f"{e.number:02d}" if e.kind == "module" else str(e.number)
                      for e in path() if e.app)
    raise KeyError(f"no course module or milestone {key!r}; the apps are {known}")


def neighbours(key: str) -> tuple[Entry | None, Entry | None]:
    """The nearest entries before and after `key` in the path that have an app."""
    order = path()
    i = next(i for i, e in enumerate(order) if e.key == key)
    before = next((e for e in reversed(order[:i]) if e.app), None)
    after = next((e for e in order[i + 1:] if e.app), None)
    return before, after


def next_entry(key: str) -> Entry | None:
    """What comes straight after `key` in the path, app or not (what the recap names)."""
    order = path()
    i = next(i for i, e in enumerate(order) if e.key == key)
    return order[i + 1] if i + 1 < len(order) else None


def nav_html(key: str, in_browser: bool | None = None) -> str:
    """`nav_lines` as HTML paragraphs."""
    return "".join(f"<p>{line}</p>" for line in nav_lines(key, in_browser))


def nav_lines(key: str, in_browser: bool | None = None) -> list[str]:
    """The lines that end every app: what comes next, and links to the previous and next apps
    and the course map. Links only to apps that exist, and only in the browser, where the
    pages sit side by side (`<site>/<view>/<stem>/`); under `marimo edit` the names are plain."""
    in_browser = sys.platform == "emscripten" if in_browser is None else in_browser
    before, after = neighbours(key)
    upcoming = next_entry(key)

    def link(e: Entry, text: str) -> str:
        text = html.escape(text)
        return f'<a href="../{e.app}/">{text}</a>' if in_browser and e.app else text

    parts = []
    if upcoming is not None:
        name = f"<b>Next: {html.escape(upcoming.label)}</b>"
        if upcoming.app and in_browser:
            name = f'<a href="../{upcoming.app}/">{name}</a>'
        coming = "" if upcoming.app else " (coming soon)"
        parts.append(f"{name}{coming}, {_inline_code(upcoming.blurb)}.")
    nav = []
    if before is not None:
        nav.append("&larr; " + link(before, before.label))
    nav.append('<a href="../../" target="_top">Course map</a>' if in_browser
               else "Course map: <code>python3 dev.py course</code>")
    if after is not None:
        nav.append(link(after, after.label) + " &rarr;")
    parts.append(" &middot; ".join(nav))
    return parts


def _inline_code(text: str) -> str:
    """Backticks in a blurb as <code>, the rest escaped."""
    pieces = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(pieces))


def nav(key: str):
    """`nav_html` as a marimo output, for an app's last cell (as markdown, so that its links
    look like the notebook's other links)."""
    import marimo as mo

    return mo.md("\n\n".join(nav_lines(key)))


def main(argv: list[str] | None = None) -> int:
    """`python -m tinytorch.course.course_map` lists the course in order;
    `... app 04` prints the app file stem of module 04 (what `dev.py edit 04` opens)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["app"] and len(args) == 2:
        try:
            found = entry(args[1])
        except KeyError as error:
            print(error.args[0], file=sys.stderr)
            return 2
        if found.app is None:
            print(f"{found.label} has no app yet", file=sys.stderr)
            return 2
        print(found.app)
        return 0
    if args:
        print("usage: python -m tinytorch.course.course_map [app NUMBER]", file=sys.stderr)
        return 2
    for e in path():
        number = f"{e.number:02d}" if e.kind == "module" else str(e.number)
        print(f"{number:>5}  {e.title:<60} {e.app or '(coming)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
