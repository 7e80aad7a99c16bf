"""One module per `registry` verb: `add_arguments(parser)` and `run(args) -> exit code`."""
