"""`python -m imr_rules.cli`: the same as the `imr-rules` command."""

from .group import main

main()
