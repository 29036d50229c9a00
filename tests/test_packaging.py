"""An installed wheel carries rules/ and models/ inside the package (extractor/_rules, extractor/_models): the
pyproject mapping covers every shipped file, and a package laid out as the wheel lays it out, away from the
checkout, reads and extracts a report with them."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_wheel_mapping_ships_every_rules_and_model_file():
    cfg = _config()
    for package, folder in (("extractor._rules", "rules"), ("extractor._models", "models")):
        assert package in cfg["packages"] and cfg["package-dir"][package] == folder
        globs = cfg["package-data"][package]
        shipped = [p.relative_to(ROOT / folder).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file()]
        missing = [f for f in shipped if "__pycache__" not in f and not any(fnmatch.fnmatch(f, g) for g in globs)]
        assert shipped and missing == [], f"{folder}/ files the wheel would leave out: {missing}"
    # package data: the audit pack, and the warm-up reports the fork server reads (extractor/run/worker.py SAMPLES)
    data = [p.relative_to(ROOT / "extractor").as_posix() for p in (ROOT / "extractor" / "data").iterdir()]
    assert {"data/warmup.docx", "data/warmup.pdf"} <= set(data)
    assert [f for f in data if not any(fnmatch.fnmatch(f, g) for g in cfg["package-data"]["extractor"])] == []
    inits = (ROOT / "extractor").rglob("__init__.py")
    packages = {p.parent.relative_to(ROOT).as_posix().replace("/", ".") for p in inits}
    assert packages <= set(cfg["packages"]), "a subpackage of extractor/ is missing from pyproject's packages"


def test_a_wheel_layout_reads_its_own_rules_and_models(tmp_path, own_corpus):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "extractor", site / "extractor", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "rules", site / "extractor" / "_rules")
    shutil.copytree(ROOT / "models", site / "extractor" / "_models", ignore=shutil.ignore_patterns("__pycache__"))
    report = own_corpus / "reports" / "huyen-thach-lam-quy-1-2024.docx"
    code = (
        "import extractor, extractor.resources as r, extractor.annotate as nlp\n"
        "print(extractor.__file__); print(r.rules_dir()); print(r.models_dir())\n"
        f"found = extractor.extract(extractor.read({str(report)!r}))\n"
        "print(len(found.citations)); nlp.load_pipeline()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCMINE_")}
    env["PYTHONPATH"] = str(site)
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    package, rules, models, citations = out.stdout.split()[:4]
    assert Path(package).is_relative_to(site)
    assert Path(rules) == site / "extractor" / "_rules" and Path(models) == site / "extractor" / "_models"
    assert int(citations) > 0
