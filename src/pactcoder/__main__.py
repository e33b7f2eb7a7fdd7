"""``python -m pactcoder``: the same as the ``pactcoder`` command."""

from pactcoder.cli import main

main()
