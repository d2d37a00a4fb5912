"""The optimization tier: profiling, quantization, compression, memoization, acceleration."""
