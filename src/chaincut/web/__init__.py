"""The web face of chaincut (``chaincut serve``): the public check, the analyst console
and the REST API, on the same frozen result documents, store and chains as the CLI.

Nothing here judges an artifact or links chains: views render :class:`ScanResult`,
:class:`Chain` and store records that detection, linking and the store produced.
"""
