"""Every CLI command has --help and is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from extractor.cli import app
from extractor.store.schema import TABLES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)


def test_every_command_has_help_and_is_in_the_readme():
    runner = CliRunner()
    assert {"ingest", "serve"} <= set(COMMANDS)
    for name in COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage" in result.output
        assert f"docmine {name}" in README, f"README does not document 'docmine {name}'"


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "docmine ingest corpus/reports --db docmine.db" in first_block
    assert "bash .ci/run" in first_block


def test_readme_documents_every_table_and_column():
    for table, (_, cols) in TABLES.items():
        section = re.search(rf"### {table}\b(.*?)(?=\n### |\n## |\Z)", README, re.S)
        assert section, f"README has no section for {table}"
        for col in cols:
            assert re.search(rf"\b{col}\b", section.group(1)), f"README does not document {table}.{col}"


def test_ingest_missing_path_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "No such file or folder" in result.output
