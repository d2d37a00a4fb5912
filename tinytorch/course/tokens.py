"""How module 10's app shows tokens: each token's text with its whitespace made visible, and a
sentence as a row of coloured chips, one per token (what a tokenizer does, at a glance)."""

from __future__ import annotations

import html

from tinytorch.core.tokenization import Tokenizer

_VISIBLE = {" ": "·", "\n": "↵", "\t": "→"}
_CHIP_COLOURS = ("#dbeafe", "#fde68a", "#bbf7d0", "#fbcfe8", "#ddd6fe", "#fed7aa")


def token_text(tokenizer: Tokenizer, token_id: int) -> str:
    """A token's text with spaces as ·, newlines as ↵ and tabs as →. A token that is only part
    of a character's UTF-8 bytes shows as its bytes, e.g. <0xc3>."""
    raw = tokenizer.id_bytes[token_id]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(f"<0x{b:02x}>" for b in raw)
    return "".join(_VISIBLE.get(c, c) for c in text)


def chips_html(tokenizer: Tokenizer, text: str, limit: int = 400) -> str:
    """`text` encoded, each token a coloured chip with its id on hover; at most `limit` chips."""
    ids = tokenizer.encode(text)
    chips = [f"<span title='id {i}' style='background:{_CHIP_COLOURS[k % len(_CHIP_COLOURS)]};"
             "border-radius:3px;padding:1px 2px;margin:1px;font-family:monospace;white-space:pre'>"
             f"{html.escape(token_text(tokenizer, i))}</span>" for k, i in enumerate(ids[:limit])]
    more = f" <em>… {len(ids) - limit:,} more</em>" if len(ids) > limit else ""
    return f"<div style='line-height:1.9'>{''.join(chips)}{more}</div>"


__all__ = ["chips_html", "token_text"]
