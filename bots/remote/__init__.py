"""The only code that touches the network or runs git: GitHub, the Hugging Face Hub, git, and
their one retry policy."""
