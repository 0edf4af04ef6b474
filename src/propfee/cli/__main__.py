"""``python -m propfee.cli``: the same as the ``propfee`` command."""

from propfee.cli import main

main()
