"""Reading and writing the fitted weights files under qa/data (JSON written by a `train` command).

Light on purpose: the title model reads its file while documents are cleaned, so this module
imports nothing of the answering side.
"""

from __future__ import annotations

import json
from pathlib import Path

from qa.errors import QAError


class ModelFileError(QAError):
    """A weights file is missing, unreadable or does not match the features."""


def read_weights_file(path: Path, what: str, error_class: type[ModelFileError] = ModelFileError) -> dict:
    """The JSON of a weights file; `error_class` naming `what` when it cannot be read."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise error_class(f"cannot read the {what} {path}: {error}") from None


def write_weights_file(path: Path, data: dict) -> None:
    """Write a weights file whole or not at all (a temporary file renamed over it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
