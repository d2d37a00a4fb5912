"""The optimization tier (modules 14-18): measure first, then make it faster, smaller, cheaper.

    tinytorch.perf.profiling      14  where time, FLOPs and bytes go; the roofline
    tinytorch.perf.quantization   15  INT8 weights that really are one byte each
    tinytorch.perf.compression    16  pruning and distillation
    tinytorch.perf.memoization    17  KV-caching
    tinytorch.perf.acceleration   18  the same maths, measured faster
    tinytorch.bench               19  benchmarking with confidence intervals

Each module is imported on its own (`from tinytorch.perf.profiling import profile`); nothing
is imported here, so importing one never pays for the others.
"""
