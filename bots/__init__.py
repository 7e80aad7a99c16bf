"""model-registry: the core library and the `registry` command line."""

__version__ = "0.1.0"
