"""cfn-lint answers kept between runs: the same text gives the same matches, from the cache the second time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import lint_cache

BROKEN = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"NoSuchProperty": 1}}}}
CLEAN = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EMR_TEST_CACHE", str(tmp_path))
    return tmp_path


def test_errors_are_found_and_then_read_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    first = lint_cache.lint_template(BROKEN)
    where = ("Resources", "Bucket", "Properties", "NoSuchProperty")
    assert [(m.rule, m.path) for m in first if m.is_error] == [("E3002", where)]
    [stored] = list(lint_cache.cache_dir().glob("us-east-1/*.json"))
    assert json.loads(stored.read_text())[0]["rule"] == "E3002"

    def no_second_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("linted again")

    monkeypatch.setattr(lint_cache, "lint", no_second_run)
    assert lint_cache.lint_template(BROKEN) == first
    with pytest.raises(AssertionError, match="linted again"):  # another region is another entry
        lint_cache.lint_template(BROKEN, "eu-west-1")


def test_files_lint_only_what_the_cache_lacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken, clean = tmp_path / "broken.json", tmp_path / "clean.json"
    broken.write_text(json.dumps(BROKEN))
    clean.write_text(json.dumps(CLEAN))
    lint_cache.lint_text(clean.read_text(), "us-east-1")
    linted: list[list[str]] = []
    real = lint_cache.lint_by_config

    def recording(config: object) -> object:
        linted.append(list(config["templates"]))  # type: ignore[index]
        return real(config)

    monkeypatch.setattr(lint_cache, "lint_by_config", recording)
    found = lint_cache.lint_files([broken, clean], "us-east-1")
    assert linted == [[str(broken.resolve())]]
    assert found[clean.resolve()] == [] and [m.rule for m in found[broken.resolve()] if m.is_error] == ["E3002"]
