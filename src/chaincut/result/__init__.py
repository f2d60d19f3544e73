"""The result document: what every face (CLI, API, web, exporters, eval) renders."""
