"""The chapters' notebooks: made from the executed chapters, and they run where readers run them.

The first tests check the parts of ``_ext/notebooks.py`` and ``_ext/wheel.py`` on small
inputs. The last ones read the notebooks of the session's quick build, and run each of them
top to bottom, as a reader who downloaded it would: in a fresh kernel of a new environment
where ``sphinx`` and ``myst_nb`` cannot be imported and ``imagerec`` is not installed, so
that the notebook's own first cell installs the wheel the build published beside it.
Everything else (TensorFlow, NumPy...) comes from the project's environment, so nothing is
downloaded. This run is also the test that a student who copies a chapter's code, in order,
can run it: the notebooks hold the chapters' visible cells and the cells checking claims.
"""

import base64
import concurrent.futures
import hashlib
import json
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat
import pytest

import notebooks  # the book's local Sphinx extensions (_ext/)
import plain_markdown
import wheel

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ("inspect", "lesson1", "lesson2")  # the chapters offered as notebooks (conf.py)
MYST = re.compile(r"\{glue|\{term\}|\{package-code\}|```\{|^:::|\{cite|\{ref\}|\{doc\}", re.M)


def _code(source, tags=()):
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})


def test_the_lessons_are_chapters_and_the_other_pages_are_not():
    assert all(notebooks.is_chapter(ROOT / "book" / f"{stem}.md") for stem in CHAPTERS)
    assert not notebooks.is_chapter(ROOT / "book" / "glossary.md")
    assert not notebooks.is_chapter(ROOT / "index.md")


def test_claim_cells_stay_with_what_they_need_and_glue_only_cells_go():
    cells = [
        _code("import numpy as np\nx = np.arange(3)"),
        _code("from imagerec.book.notebook import glue\nglue('n', 3)", ["remove-cell"]),
        _code("from imagerec.book.claims import claim\nlimit = 2", ["remove-cell"]),
        _code("glue('s', claim('x is long', len(x) > limit))", ["remove-cell"]),
        _code("print(x)"),
    ]
    keep, problems = notebooks.select_cells(cells)
    assert keep == [0, 1, 2, 3, 4]  # cell 1 defines glue, which the claim cell calls
    cells[3] = _code("claim('x is long', len(x) > limit)", ["remove-cell"])
    keep, problems = notebooks.select_cells(cells)
    assert keep == [0, 2, 3, 4] and problems == []


def test_a_shown_cell_reading_a_hidden_name_is_reported():
    cells = [_code("secret = 4", ["remove-cell"]), _code("print(secret)"), _code("y = 1", ["remove-input"])]
    keep, problems = notebooks.select_cells(cells)
    assert keep == [0, 1, 2]
    assert len(problems) == 1 and "'secret'" in problems[0]


def _executed():
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    shown = _code("print(2)")
    shown.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n"),
                     nbformat.v4.new_output("stream", name="stderr", text="noise\n")]
    shown.metadata["tags"] = ["remove-stderr"]
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\n```{exercise}\n:label: e1\n\nAdd.\n```"),
        shown,
        nbformat.v4.new_markdown_cell(
            "```{solution-start} e1\n:class: dropdown\n```\n\nIt is 4.\n"),
        _code("print(2 + 2)"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```\n\nAfter the solution."),
    ]
    return notebook


def _plain_converter(student=False):
    context = plain_markdown.Context(
        glue=None, title=None, equation=None, cite=None, code=None)
    return plain_markdown.Converter(context, student=student)


def test_teacher_notebook_keeps_the_solution_and_the_page_outputs():
    head = [nbformat.v4.new_markdown_cell("Head.")]
    executed = _executed()
    keep, _ = notebooks.select_cells(executed.cells)
    notebook = notebooks.make_notebook(executed, keep, _plain_converter(), head)
    sources = [cell.source for cell in notebook.cells]
    assert sources == ["Head.", "# Title\n\n### Exercise 1\n\nAdd.", "print(2)",
                       "#### Solution to Exercise 1", "It is 4.", "print(2 + 2)",
                       "After the solution."]
    assert [o.name for o in notebook.cells[2].outputs] == ["stdout"]  # remove-stderr
    assert "tags" not in notebook.cells[2].metadata


def test_student_notebook_leaves_every_solution_cell_out():
    executed = _executed()
    keep, _ = notebooks.select_cells(executed.cells)
    notebook = notebooks.make_notebook(executed, keep, _plain_converter(student=True), [])
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "It is 4" not in text and "2 + 2" not in text
    assert "teacher's edition" in text and "After the solution." in text


def test_wheel_names_the_commit_and_records_every_file(tmp_path):
    version = wheel.version(ROOT)
    built = wheel.build(ROOT, tmp_path, version)
    commit = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.strip()
    assert version.startswith("0.") and f"+g{commit}" in version
    assert built.name == wheel.filename(version) and not list(tmp_path.glob("*.partial"))
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        info = f"imagerec-{version}.dist-info"
        assert "imagerec/models.py" in names and f"{info}/METADATA" in names
        metadata = archive.read(f"{info}/METADATA").decode()
        assert f"Version: {version}" in metadata
        assert re.search(r"Requires-Dist: tensorflow-cpu>=[\d.]+; .*extra == \"cpu\"", metadata)
        for line in archive.read(f"{info}/RECORD").decode().splitlines():
            name, digest, size = line.split(",")
            if name.endswith("RECORD"):
                continue
            data = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == "sha256=" + expected.decode() and int(size) == len(data)
    assert wheel.build(ROOT, tmp_path / "again", version).read_bytes() == built.read_bytes()


# --- the quick build's notebooks ---------------------------------------------------------------
def _notebook(quick_book, stem):
    return nbformat.read(quick_book / "_notebooks" / f"{stem}.ipynb", as_version=4)


def test_the_build_offers_the_chapters_notebooks_and_no_other(quick_book):
    offered = sorted(p.stem for p in (quick_book / "_notebooks").glob("*.ipynb"))
    assert offered == list(CHAPTERS)  # not the speed appendix (conf.py, notebooks_exclude)


@pytest.mark.parametrize("stem", CHAPTERS)
def test_notebook_is_plain_with_outputs_and_starts_with_the_install_cell(quick_book, stem):
    notebook = _notebook(quick_book, stem)
    nbformat.validate(notebook)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert not MYST.findall(markdown), MYST.findall(markdown)[:5]
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code[0].metadata["tags"] == ["imagerec-setup"]
    assert code[1].metadata["tags"] == ["imagerec-settings"]
    assert 'os.environ["IMAGEREC_QUICK"] = "1"' in code[1].source
    assert sum(len(c.outputs) for c in code) >= len(code) // 3
    wheels = list((quick_book / "_notebooks").glob("imagerec-*.whl"))
    assert len(wheels) == 1 and repr(wheels[0].name) in code[0].source
    assert not any("from myst_nb" in c.source or "import sphinx" in c.source for c in code)


def _environment(tmp_path):
    """A new environment whose interpreter sees the project's packages, except imagerec,
    sphinx and myst_nb; return its Python."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True).stdout.strip())
    shared = tmp_path / "shared"
    shared.mkdir()
    for entry in Path(sysconfig.get_path("purelib")).iterdir():
        if not re.match(r"(__editable__[._])?imagerec", entry.name):
            (shared / entry.name).symlink_to(entry)
    (purelib / "000-block.pth").write_text(
        "import sys; sys.modules.update(dict.fromkeys(['sphinx', 'myst_nb']))\n")
    (purelib / "shared.pth").write_text(f"{shared}\n")
    return python


def test_each_notebook_runs_from_its_own_first_cell(quick_book, quick_book_cache, data_dir,
                                                      tmp_path, monkeypatch):
    from nbclient import NotebookClient

    python = _environment(tmp_path)
    kernels = tmp_path / "jupyter" / "kernels" / "fresh"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fresh", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(data_dir))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.delenv("IMAGEREC_CLAIMS_DIR", raising=False)
    if quick_book_cache:
        monkeypatch.setenv("IMAGEREC_CACHE_DIR", quick_book_cache)
    folder = tmp_path / "downloads"
    shutil.copytree(quick_book / "_notebooks", folder)

    def run(stem):
        notebook = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
        NotebookClient(
            notebook, kernel_name="fresh", timeout=900, allow_errors=False,
            resources={"metadata": {"path": str(folder)}},
        ).execute()

    # The first notebook installs the wheel; the others then run side by side, each in its
    # own kernel (a core the rest of the suite leaves idle is used).
    run(CHAPTERS[0])
    with concurrent.futures.ThreadPoolExecutor(len(CHAPTERS) - 1) as pool:
        for done in [pool.submit(run, stem) for stem in CHAPTERS[1:]]:
            done.result()
    where = subprocess.run([str(python), "-c", "import imagerec; print(imagerec.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert str(tmp_path / "venv") in where  # the wheel, installed by the first notebook
