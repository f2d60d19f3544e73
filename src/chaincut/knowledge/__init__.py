"""The knowledge base: data files (builders, packers, SDKs, brands, common infrastructure).

Knowledge is data: anything an analyst may add is a YAML file with a schema, loaded and
validated here, never a code change.
"""
