"""What a button-gated cell shows before its button is pressed.

The live-training display is in `tinytorch.course.live`.
"""

from __future__ import annotations

WAITING_CLASS = "tt-waiting"


def waiting(action: str):
    """The placeholder a button-gated cell shows until its button is pressed:
    `mo.stop(not button.value, waiting("measure"))`. Tests look for its class to prove that
    every gated cell really ran once its button was pressed."""
    import marimo as mo

    return mo.Html(f"<p class='{WAITING_CLASS}'><em>Press the button to {action}.</em></p>")
