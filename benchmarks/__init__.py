"""The timing scripts (``python benchmarks/bench_*.py``; see README.md).

A package, so that the speed appendix (``book/speed.md``) imports them from the checkout
as ``benchmarks.bench_convolution`` and ``benchmarks.bench_training``.
"""
