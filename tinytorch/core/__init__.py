"""The course modules, one file each: tensor (01), activations (02), layers (03), losses (04),
autograd (05), optimizers (06), training (07), and the ops they are built from."""
