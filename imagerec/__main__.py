"""Command line: train one of the book's networks and print its test accuracy.

Usage::

    python -m imagerec train D --epochs 50
    python -m imagerec train A --epochs 1 --train-size 500 --test-size 200

Results go to the same cache as the book's (:mod:`imagerec.book.experiments`), so a
second identical command loads instead of training.
"""

from __future__ import annotations

import argparse
import sys

from imagerec import _checks, registry
from imagerec.book.settings import Settings, use_onednn  # no TensorFlow: --help answers at once


def _integer_argument(check, what: str):
    """An argparse type: the text as an int that passes ``check``, one of imagerec._checks."""

    def parse(text: str) -> int:
        try:
            return check(int(text), "value")
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None

    return parse


_positive = _integer_argument(_checks.positive_int, "a positive integer")
_non_negative = _integer_argument(_checks.non_negative_int, "a non-negative integer")


def parser() -> argparse.ArgumentParser:
    """The command-line parser (``python -m imagerec --help``).

    Examples
    --------
    >>> args = parser().parse_args(["train", "D", "--epochs", "2"])
    >>> args.name, args.epochs, args.train_size
    ('D', 2, None)
    """
    main_parser = argparse.ArgumentParser(prog="python -m imagerec", description=__doc__.splitlines()[0])
    commands = main_parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train a network on MNIST and print its test accuracy")
    train.add_argument("name", choices=registry.names(), help="the network")
    train.add_argument("--epochs", type=_positive, default=50, help="passes over the data (default 50)")
    train.add_argument("--train-size", type=_positive, default=None,
                       help="use only the first N training images (default: all)")
    train.add_argument("--test-size", type=_positive, default=None,
                       help="use only the first N test images (default: all)")
    train.add_argument("--seed", type=_non_negative, default=0, help="random seed (default 0)")
    train.add_argument("--quiet", action="store_true", help="no progress lines")
    return main_parser


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    use_onednn(args.name)  # before TensorFlow is imported
    from imagerec.book import experiments  # imports TensorFlow: only once the arguments are fine

    config = Settings(quick=False, train_size=args.train_size, test_size=args.test_size, epochs=args.epochs,
                      seed=args.seed)
    result = experiments.run(args.name, config, progress=not args.quiet)
    how = "loaded from the cache; trained" if result.from_cache else "trained"
    print(f"{args.name}: test accuracy {result.test['accuracy']:.4f}, loss {result.test['loss']:.4f} "
          f"({how} in {result.seconds:.1f} s on {result.device})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
