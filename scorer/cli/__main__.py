"""``python -m scorer.cli``: the same as the ``scorer`` console script."""

from scorer.cli import main

if __name__ == "__main__":
    main(prog_name="scorer")
