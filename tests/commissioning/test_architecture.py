"""Arrows point one way: models know nothing of rendering or background tasks.

Rendering and workflow actions (commissioning/papers/) call models; a model importing them would
make a circle (models -> papers -> models) and pull WeasyPrint into anything that reads a row.
"""

import ast
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MODEL_PACKAGES = ["commissioning/models", "contracts/models.py", "consultations/models.py"]
FORBIDDEN = ("commissioning.papers", "weasyprint", "django.tasks", "django_tasks")


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_model_module_imports_rendering_or_tasks():
    root = Path(settings.BASE_DIR)
    found = []
    for entry in MODEL_PACKAGES:
        path = root / entry
        for module in [path] if path.is_file() else sorted(path.glob("*.py")):
            found += [
                f"{module.relative_to(root)}: {n}" for n in imported_names(module) if n.startswith(FORBIDDEN)
            ]
    assert found == []


def test_loading_the_models_does_not_load_weasyprint():
    code = (
        "import os, sys, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'commissioning.settings'; "
        "os.environ.setdefault('DEBUG', 'true'); django.setup(); "
        "import commissioning.models, contracts.models, consultations.models; "
        "print(sorted(m for m in sys.modules if m.startswith(('weasyprint', 'commissioning.papers'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
