"""Small models.dev snapshots shaped on the real one (../shared/models-dev): TOML files as
upstream writes them, a link written by git as a file, a base_model with base_model_omit and
context tiers, and two states ("before", "after") for refreshes. The registry side
(`seed_registry`) adds what the offerings map onto."""

from __future__ import annotations

from pathlib import Path

REVISION_BEFORE = "1111111111111111111111111111111111111111"
REVISION_AFTER = "2222222222222222222222222222222222222222"

GPT_4O_LAB = """name = "GPT-4o"
family = "gpt"
release_date = "2024-05-13"
last_updated = "2024-08-06"
attachment = true
reasoning = false
temperature = true
tool_call = true
structured_output = true
knowledge = "2023-09"
open_weights = false

[limit]
context = 128_000
output = 16_384

[modalities]
input = ["text", "image", "pdf"]
output = ["text"]

[[links]]
type = "announcement"
url = "https://openai.com/index/hello-gpt-4o/"

[[benchmarks]]
name = "Aider Polyglot"
score = 23.1
metric = "percent correct"
"""

GPT_4O_OPENAI = """name = "GPT-4o"
family = "gpt"
release_date = "2024-05-13"
last_updated = "2024-08-06"
attachment = true
reasoning = false
temperature = true
knowledge = "2023-09"
tool_call = true
structured_output = true
open_weights = false

[cost]
input = {input}
output = 10.00
cache_read = 1.25

[limit]
context = {context}
output = 16_384

[modalities]
input = ["text", "image", "pdf"]
output = ["text"]
"""

SNAPSHOT_2024_05_13 = """name = "GPT-4o (2024-05-13)"
release_date = "2024-05-13"
last_updated = "2024-05-13"
attachment = true
reasoning = false
temperature = true
tool_call = true
open_weights = false

[cost]
input = 5.00
output = 15.00

[limit]
context = 128_000
output = 4_096

[modalities]
input = ["text", "image"]
output = ["text"]
"""

BASE_CHAT_LAB = """name = "Acme Base Chat"
release_date = "2025-03-01"
last_updated = "2025-03-01"
attachment = false
reasoning = false
tool_call = true
open_weights = true
license = "Apache-2.0"

[limit]
context = 32_768
output = 8_192

[modalities]
input = ["text"]
output = ["text"]

[[weights]]
label = "Hugging Face"
url = "https://huggingface.co/acme/base"
"""

BASE_CHAT_LATEST_LAB = BASE_CHAT_LAB.replace('"Acme Base Chat"', '"Acme Base Chat (latest)"')

MISTERY_LAB = """name = "Mistery M-1"
release_date = "2025-09-10"
last_updated = "2025-09-10"
attachment = false
reasoning = true
tool_call = true
open_weights = true
license = "MIT"

[limit]
context = 65_536
output = 8_192

[modalities]
input = ["text", "audio"]
output = ["text"]

[[weights]]
url = "https://huggingface.co/mistery-ai/M-1"
"""

MISTERY_PRO_LAB = """name = "Mistery M-1 Pro"
release_date = "2025-10-01"
last_updated = "2025-10-01"
open_weights = false

[modalities]
input = ["text"]
output = ["text"]
"""

ZETA_LAB = """name = "Zeta One"
release_date = "2025-01-01"
last_updated = "2025-01-01"
open_weights = false

[modalities]
input = ["text"]
output = ["text"]
"""

BEDROCK_BASE_CHAT = """base_model = "acme/base-chat"
base_model_omit = ["limit.output"]
name = "Acme Base Chat (Bedrock)"
status = "beta"

[cost]
input = 0.40
output = 1.60

[[cost.tiers]]
input = 0.80
output = 3.20
tier = { type = "context", size = 16_000 }
"""


def relay_model(name: str, input_price: float, output_price: float) -> str:
    return f"""name = "{name}"
release_date = "2024-06-01"
last_updated = "2024-06-01"
attachment = false
reasoning = false
tool_call = true
open_weights = false

[cost]
input = {input_price}
output = {output_price}

[limit]
context = 128_000
output = 4_096

[modalities]
input = ["text"]
output = ["text"]
"""


def snapshot_files(state: str = "before") -> dict[str, str]:
    """The snapshot's files, relpath → text; "after" moves a price and a limit, withdraws an
    offering and adds one; bedrock is the same in both."""
    after = state == "after"
    files = {
        "models/openai/gpt-4o.toml": GPT_4O_LAB,
        "models/openai/gpt-4o-2024-05-13.toml": SNAPSHOT_2024_05_13,
        "models/acme/base-chat.toml": BASE_CHAT_LAB,
        "models/acme/base-chat-latest.toml": BASE_CHAT_LATEST_LAB,
        "models/mistery/m-1.toml": MISTERY_LAB,
        "models/mistery/m-1-pro.toml": MISTERY_PRO_LAB,
        "models/zeta/zeta-1.toml": ZETA_LAB,
        "providers/openai/provider.toml": (
            'name = "OpenAI"\nenv = ["OPENAI_API_KEY"]\nnpm = "@ai-sdk/openai"\n'
            'doc = "https://platform.openai.com/docs/models"\n'
        ),
        "providers/openai/models/gpt-4o.toml": GPT_4O_OPENAI.replace(
            "{input}", "2.00" if after else "2.50"
        ).replace("{context}", "256_000" if after else "128_000"),
        "providers/openai/models/gpt-4o-2024-05-13.toml": SNAPSHOT_2024_05_13,
        "providers/relay/provider.toml": (
            'name = "Relay"\nenv = ["RELAY_API_KEY"]\nnpm = "@ai-sdk/openai-compatible"\n'
            'api = "https://relay.example.com/v1"\ndoc = "https://relay.example.com/models"\n'
        ),
        "providers/relay/models/Base-Chat.toml": relay_model("Base Chat", 0.3, 1.2),
        "providers/relay/models/acme/Base.toml": relay_model("Acme Base", 0.2, 0.8),
        "providers/relay/models/unknown-thing.toml": relay_model("Unknown", 1, 2),
        # git writes a symbolic link as a file holding its target where links are off
        "providers/relay/models/gpt-4o-2024-05-13.toml": (
            "../../openai/models/gpt-4o-2024-05-13.toml"
        ),
        "providers/relay/models/broken.toml": 'name = "Broken\n',
        "providers/bedrock/provider.toml": (
            'name = "Bedrock"\nenv = ["AWS_ACCESS_KEY_ID"]\nnpm = "@ai-sdk/amazon-bedrock"\n'
            'doc = "https://bedrock.example.com/models"\n'
        ),
        "providers/bedrock/models/acme.base-chat-v1:0.toml": BEDROCK_BASE_CHAT,
        "providers/mistery/provider.toml": (
            'name = "Mistery Cloud"\nenv = ["MISTERY_KEY"]\nnpm = "@ai-sdk/mistery"\n'
            'doc = "https://mistery.example.com/docs"\n'
        ),
        "providers/mistery/models/m-1.toml": relay_model("M-1", 0.1, 0.4),
    }
    if not after:
        files["providers/relay/models/openai/gpt-4o.toml"] = GPT_4O_OPENAI.replace(
            "{input}", "3.00"
        ).replace("{context}", "128_000")
    else:
        files["providers/relay/models/acme/base-chat-latest.toml"] = relay_model(
            "Base Chat Latest", 0.25, 1.0
        )
    return files


def write_snapshot(folder: Path, state: str = "before") -> Path:
    for relpath, text in snapshot_files(state).items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


OPENAI_ORG = """id: openai
name: OpenAI
type: company
url: https://openai.com/
"""

GPT_4O_ENTRY = """id: openai/gpt-4o
name: GPT-4o
aliases: [gpt-4o-2024-05-13]
organization: openai
release_date: 2024-05-13
task_category: multimodal
modalities:
  input: [text, audio, image]
  output: [text, audio]
access: api_only
output_quality:
  context_length: 128000
sources:
  - url: https://openai.com/index/hello-gpt-4o/
    fields: [release_date, modalities, output_quality]
"""


def seed_registry(root: Path) -> None:
    """Add to a copy of tests/fixtures/registry (organization acme, model acme/base) the
    hand-written OpenAI entries the offerings map onto."""
    for relpath, text in {
        "entries/organizations/openai.yaml": OPENAI_ORG,
        "entries/models/openai/gpt-4o.yaml": GPT_4O_ENTRY,
    }.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
