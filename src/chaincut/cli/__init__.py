"""The ``chaincut`` command line: a face over the same documents as every other face."""
