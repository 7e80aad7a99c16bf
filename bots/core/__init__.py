"""What every part of the registry shares: entry kinds and ids, reading files, the schemas and
what they declare, findings, errors, atomic writes, score identity, inert Markdown."""
