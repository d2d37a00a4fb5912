"""Generation baseline: a character-level GPT of Moby Dick (2 layers, 4 heads, 64 wide, context
256, 127,104 parameters) as tinytorch Modules, generating greedily without a cache.

Without a cache every new character runs the whole text so far through every layer again, so
the 200th character costs as much as a forward pass over 200 characters. The number the
optimized reference has to beat, with the same weights."""

from tinytorch.core.transformer import GPT

TEAM = "baseline"
ARCHITECTURE = {"vocab_size": 83, "context_length": 256, "embed_dim": 64, "num_heads": 4, "num_layers": 2}


def build_model(weights):
    model = GPT(**ARCHITECTURE)
    model.load_state_dict(weights)
    return model
