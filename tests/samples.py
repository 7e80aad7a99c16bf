"""Sample entries, edits and Hub records for the fixture registry (tests/fixtures/registry),
shared by the test modules that need the same ones."""

from __future__ import annotations

from pathlib import Path

from tests.hub_standin import model_json

BASE_MODEL = "entries/models/acme/base.yaml"

NEW_MODEL = """\
id: acme/small
name: Acme Small
organization: acme
task_category: generative
modalities:
  input: [text]
  output: [text]
access: open_weights
license: apache-2.0
parameters:
  total: 1034512384
sources:
  - url: https://acme.example.org/small
    fields: [parameters]
"""

# acme/base as the Hub stand-in serves it
SHA = "a" * 40
LLAMA_CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "hidden_size": 4096,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "intermediate_size": 14336,
    "max_position_embeddings": 8192,
    "vocab_size": 128256,
    "tie_word_embeddings": False,
    "hidden_act": "silu",
}


def edit(root: Path, relpath: str, old: str, new: str) -> None:
    path = root / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relpath}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def base_model(**kwargs: object) -> dict[str, object]:
    card = {
        "license": "apache-2.0",
        "language": ["en"],
        "datasets": ["acme/corpus"],
    }
    options: dict[str, object] = {
        "safetensors": {"BF16": 6_800_000_000},
        "card": card,
        "config": {"architectures": ["LlamaForCausalLM"], "model_type": "llama"},
    }
    options.update(kwargs)
    return model_json("acme/base", str(options.pop("sha", SHA)), **options)  # type: ignore[arg-type]


def on_hub(root: Path) -> None:
    """Link acme/base to its Hub page, so autofill knows it is on the Hub."""
    edit(
        root,
        BASE_MODEL,
        "organization: acme\n",
        "organization: acme\nurl: https://huggingface.co/acme/base\n",
    )


# A minimal valid model of the fixture registry's organization; `extra` goes before `sources`.
MODEL = """id: acme/{name}
name: {name}
organization: acme
task_category: generative
modalities:
  input: [text]
  output: [text]
access: open_weights
{extra}sources:
  - url: https://acme.example.org/{name}
"""


def model(name: str, extra: str = "") -> str:
    return MODEL.format(name=name, extra=extra)
