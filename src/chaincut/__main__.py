"""``python -m chaincut`` runs the command line."""

from chaincut.cli.app import main

main()
