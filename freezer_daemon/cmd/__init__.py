"""Console scripts of the Freezer API (see ``[options.entry_points]``).

Importing this package imports ``freezer_daemon`` first, which selects the
oslo.service threading backend before anything else can.
"""
