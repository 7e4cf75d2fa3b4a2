"""Untrusted files: hostile model files, ids that try to escape, pages that carry scripts.

* A model file is code-free data: a pickle that would run code when loaded, a
  skops file naming a foreign class, a tampered or truncated file are all
  refused with one clear error, and the marker their code would create never
  appears.
* Corpus ids such as ``../../evil`` or ``/etc/passwd`` never become paths
  outside the output directory.
* HTML reports (``batch --out x.html``, ``provenance --html``, the notebook
  views) escape every piece of article text and metadata; the reports are also
  opened in headless Chromium (when installed) to check that nothing runs.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from _robust import assert_one_line_error, needs_command, run_scorer

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

# ---------------------------------------------------------------- model files


def _model_module():
    import scorer.model_file

    return scorer.model_file


def _with_checksum(path: Path) -> Path:
    """Write the ``.sha256`` file an attacker would ship beside a model file."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return path


class _OpensFile:
    """Pickles to a call of ``open(marker, "w")``: unpickling it creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _pickle_bomb(path: Path, marker: Path) -> Path:
    path.write_bytes(pickle.dumps({"format": "scorer-model/1", "pipeline": _OpensFile(marker)}))
    return _with_checksum(path)


def _foreign_skops(tmp_path: Path, marker: Path) -> Path:
    """A real skops archive whose object is an instance of a module that writes ``marker`` when imported.

    The module is harmless while the file is made, then replaced by one with the
    side effect, so the marker appears only if loading imports a foreign module.
    """
    sio = pytest.importorskip("skops.io")
    model = _model_module()
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    mod_name = f"evil_{uuid.uuid4().hex[:8]}"
    source = pkg / f"{mod_name}.py"
    source.write_text("class Payload:\n    def __init__(self):\n        self.x = 1\n", encoding="utf-8")
    sys.path.insert(0, str(pkg))
    try:
        mod = __import__(mod_name)
        data = sio.dumps({"format": model.FORMAT, "pipeline": mod.Payload(), "metadata": {}})
    finally:
        sys.path.remove(str(pkg))
        sys.modules.pop(mod_name, None)
    source.write_text(f"open({str(marker)!r}, 'w').close()\n"
                      "class Payload:\n    def __setstate__(self, state):\n"
                      f"        open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    shutil.rmtree(pkg / "__pycache__", ignore_errors=True)
    path = tmp_path / "foreign.skops"
    path.write_bytes(data)
    return _with_checksum(path), pkg


def _control_unsafe_load_runs_the_payload(path: Path, marker: Path) -> None:
    """Control: loading the foreign file while trusting everything in it does run its code."""
    import skops.io as sio

    sio.load(path, trusted=sio.get_untrusted_types(file=path))
    assert marker.exists(), "control failed: the foreign file should run code when fully trusted"
    marker.unlink()
    for name in [m for m in sys.modules if m.startswith("evil_")]:
        del sys.modules[name]


def _tampered_copy(tmp_path: Path) -> Path:
    """The shipped model with one coefficient byte changed, beside the original checksum."""
    model = _model_module()
    if not model.DEFAULT_MODEL.is_file():
        pytest.skip("no shipped model")
    path = tmp_path / "tampered.skops"
    data = bytearray(model.DEFAULT_MODEL.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    shutil.copy(model.checksum_path(model.DEFAULT_MODEL), model.checksum_path(path))
    return path


@pytest.mark.parametrize("name", ["model.skops", "model.pkl", "model.joblib"])
def test_pickle_that_runs_code_is_refused_and_never_run(tmp_path: Path, name: str) -> None:
    model = _model_module()
    marker = tmp_path / "PWNED"
    path = _pickle_bomb(tmp_path / name, marker)
    assert pickle.loads(path.read_bytes()) and marker.exists(), "control: the bomb really runs when unpickled"
    marker.unlink()
    with pytest.raises(model.InputError) as info:
        model.load(path)
    assert str(info.value).startswith(str(path))
    assert not marker.exists(), "loading the model file ran code from it"


def test_skops_file_with_a_foreign_class_is_refused_without_importing_it(tmp_path: Path) -> None:
    model = _model_module()
    marker = tmp_path / "PWNED"
    path, pkg = _foreign_skops(tmp_path, marker)
    sys.path.insert(0, str(pkg))  # the attacker's module is importable: only the loader's checks stop it
    try:
        _control_unsafe_load_runs_the_payload(path, marker)
        with pytest.raises(model.InputError, match="untrusted types|not a scorer model") as info:
            model.load(path)
    finally:
        sys.path.remove(str(pkg))
    assert str(info.value).startswith(str(path))
    assert not marker.exists(), "loading the model file imported or instantiated a foreign class"


def test_tampered_model_is_refused(tmp_path: Path) -> None:
    model = _model_module()
    path = _tampered_copy(tmp_path)
    with pytest.raises(model.InputError, match="modified|refusing"):
        model.load(path)


@pytest.mark.parametrize("content", [b"", b"not a model at all\n", b"PK\x03\x04" + bytes(100), None])
def test_garbage_model_files_are_clear_errors(tmp_path: Path, content: bytes | None) -> None:
    model = _model_module()
    path = tmp_path / "m.skops"
    if content is None:  # a valid zip that is not a skops archive
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("schema.json", "[[[[")
        content = buf.getvalue()
    path.write_bytes(content)
    _with_checksum(path)
    with pytest.raises(model.InputError) as info:
        model.load(path)
    assert str(info.value).startswith(str(path))
    # without its checksum file it is refused too
    model.checksum_path(path).unlink()
    with pytest.raises(model.InputError, match="checksum"):
        model.load(path)


def _invoke(args: list) -> "object":
    """``scorer ARGS`` in-process (fast), as the CLI tests do."""
    from _robust import invoke

    return invoke(args)


def test_model_zip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    _model_module()
    path = tmp_path / "bomb.skops"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("schema.json", b" " * 50_000_000)
    assert path.stat().st_size < 100_000
    _with_checksum(path)
    # in a fresh process, after loading the shipped model, allow only 40 MB more address space:
    # a loader that inflates the 50 MB member runs out of memory instead of refusing the file
    probe = (
        "import resource, sys\n"
        "from scorer import model_file as model\n"
        "model.load()\n"
        "vsz = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()\n"
        "resource.setrlimit(resource.RLIMIT_AS, (vsz + 40_000_000, resource.RLIM_INFINITY))\n"
        "try:\n    model.load(sys.argv[1]); print('loaded')\n"
        "except model.InputError as err:\n    print('out-of-memory' if 'MemoryError' in str(err) else 'refused')\n"
        "except MemoryError:\n    print('out-of-memory')\n"
    )
    if not Path("/proc/self/statm").exists():
        pytest.skip("needs /proc")
    proc = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "refused", (proc.stdout + proc.stderr)[-2000:]


@needs_command("score")
def test_cli_refuses_hostile_model_files_in_one_line(tmp_path: Path, seeds: list[Path]) -> None:
    marker = tmp_path / "PWNED"
    bomb = _pickle_bomb(tmp_path / "bomb.pkl", marker)
    tampered = _tampered_copy(tmp_path)
    assert_one_line_error(run_scorer(["score", seeds[0], "--model", bomb]), bomb)  # the real program
    assert_one_line_error(_invoke(["score", seeds[0], "--model", tampered]), tampered)
    assert_one_line_error(_invoke(["inspect", bomb]), bomb)  # a pickle is no article either
    assert not marker.exists()


@needs_command("batch")
def test_batch_refuses_a_hostile_model_before_scoring(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    bomb = _pickle_bomb(tmp_path / "bomb.skops", marker)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "Officials said the plan would go ahead on Monday."}) + "\n")
    out = tmp_path / "out.jsonl"
    assert_one_line_error(_invoke(["batch", corpus, "--model", bomb, "--out", out, "--no-progress"]), bomb)
    assert not marker.exists()
    assert not out.exists() or out.read_text() == "", "rows were written with a refused model"


# ---------------------------------------------------------------- hostile corpora

MARK = "document.documentElement.setAttribute('data-xss','ran');document.title='XSS-RAN'"
PAYLOADS = {
    "script": f"<script>{MARK}</script>",
    "img": f'<img src=x onerror="{MARK}">',
    "svg": f"<svg onload=\"{MARK}\"></svg>",
    "attr_break": f"\" autofocus onfocus=\"{MARK}\" x=\"",
    "single_break": f"' onmouseover='{MARK}' x='",
    "tag_break": f"</title></style></textarea></script><script>{MARK}</script>",
    "js_url": f"javascript:{MARK}",
    "iframe": f"<iframe srcdoc=\"<script>parent.{MARK}</script>\"></iframe>",
}
#: Fragments whose unescaped presence in a report would mean a live element or handler.
DANGEROUS = ["<script>document", "<img src=x", "<svg onload", "<iframe", " onerror=\"document",
             "onfocus=\"document", "onmouseover='document", 'href="javascript:', "href='javascript:"]


def _hostile_records(reuse: bool = False) -> list[dict]:
    """Records whose every field carries a payload; with ``reuse`` pairs share their text."""
    base = ('Officials said on Tuesday that the bridge would reopen. "{p}," said Maria Lopez, a spokeswoman '
            'for {p}. A senior official, who spoke on condition of anonymity, said {p} the costs may rise. '
            'According to the agency, the repairs reportedly cost millions. Mr. Lopez told reporters: "{p}".')
    records = []
    for i, (name, p) in enumerate(PAYLOADS.items()):
        text = "\n\n".join(base.format(p=p) for _ in range(3)) + f"\n\nStory {i} {name}."
        records.append({"id": f"{p}-{i}", "title": p, "text": text, "domain": p, "url": PAYLOADS["js_url"],
                        "source_name": p, "authors": [p], "label": "reliable" if i % 2 else "unreliable",
                        "date": p})
        if reuse:
            records.append({"id": f"copy{i}-{p}", "title": p, "text": text + " " + p, "domain": p,
                            "url": PAYLOADS["js_url"], "label": "reliable"})
    records.append({"id": PAYLOADS["script"] + "-notext", "text": None})  # an error row carrying the id
    return records


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def assert_escaped(page: str) -> None:
    """No payload appears as live markup in ``page``."""
    low = page.lower()
    for frag in DANGEROUS:
        assert frag.lower() not in low, f"unescaped payload in the report: {frag!r}"
    assert "&lt;script&gt;" in page or "&lt;img" in page, "the payload text should be shown, escaped"


def chromium_dom(page: Path, tmp_path: Path) -> str:
    """The DOM of ``page`` after headless Chromium loaded it (scripts included)."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    profile = tmp_path / f"chromium-profile-{uuid.uuid4().hex[:6]}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
           f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", page.as_uri()]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("chromium did not finish in 60 s")
    if proc.returncode != 0 or "<html" not in proc.stdout.lower():
        pytest.skip(f"chromium could not render here: {proc.stderr[-500:]}")
    return proc.stdout


def assert_nothing_ran(dom: str) -> None:
    assert 'data-xss="ran"' not in dom, "a payload script ran in the report"
    assert "<title>XSS-RAN</title>" not in dom, "a payload script ran in the report"


def test_chromium_check_detects_a_live_payload(tmp_path: Path) -> None:
    """Control: the same payloads, left unescaped in a page, are seen to run."""
    page = tmp_path / "control.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>t</title></head><body>{PAYLOADS['script']}"
                    f"{PAYLOADS['img']}</body></html>", encoding="utf-8")
    dom = chromium_dom(page, tmp_path)
    assert 'data-xss="ran"' in dom


@needs_command("batch")
def test_batch_html_report_escapes_everything_and_ids_stay_inside(tmp_path: Path) -> None:
    """One hostile corpus: payloads in every field, and ids that would escape if used as paths."""
    ids, escapes = _escape_ids(tmp_path)
    text = 'Officials said on Tuesday that the plan would go ahead. "We are ready," said Maria Lopez.'
    records = _hostile_records() + [{"id": i, "text": f"{text} ({n})"} for n, i in enumerate(ids)]
    corpus = _write_jsonl(tmp_path / "hostile.jsonl", records)
    out_dir = tmp_path / "out"
    out = out_dir / "report.html"  # also writes report.html.rows.jsonl and report.html.metrics.json
    before = _tree(tmp_path)
    result = run_scorer(["batch", corpus, "--out", out, "--no-progress"], timeout=120)
    assert result.returncode == 3, str(result)  # finished; the record without text is a failed row
    created = _tree(tmp_path) - before
    assert all(out_dir in p.parents or p == out_dir for p in created), sorted(map(str, created))
    assert not any(p.exists() for p in escapes)
    journal = out.with_name(out.name + ".rows.jsonl")
    rows = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    safe = lambda i: i.replace("\x00", "\ufffd")  # noqa: E731 - control characters are replaced on reading
    assert {r["id"] for r in rows} >= {safe(i) for i in ids if i.strip()}
    assert {r["id"] for r in rows} >= {safe(r["id"]) for r in records if r.get("text") and r["id"].strip()}
    page = out.read_text(encoding="utf-8")
    assert_escaped(page)
    assert_nothing_ran(chromium_dom(out, tmp_path))


@needs_command("provenance")
def test_provenance_html_report_escapes_everything(tmp_path: Path) -> None:
    corpus = _write_jsonl(tmp_path / "hostile.jsonl", _hostile_records(reuse=True))
    out, html = tmp_path / "pairs.jsonl", tmp_path / "prov.html"
    result = run_scorer(["provenance", corpus, "--out", out, "--html", html, "--quiet"], timeout=120)
    assert result.returncode == 0, str(result)
    assert out.read_text(encoding="utf-8").count("\n") >= len(PAYLOADS), "the planted copies should be found"
    page = html.read_text(encoding="utf-8")
    assert_escaped(page)
    assert_nothing_ran(chromium_dom(html, tmp_path))


def test_notebook_views_escape_article_text(tmp_path: Path) -> None:
    """The HTML a notebook renders for a hostile article shows the payload as text."""
    scoring = pytest.importorskip("scorer.scoring", reason="scorer.scoring does not exist yet")
    from scorer.article import article_from_record

    rec = _hostile_records()[1]
    rec["authors"] = [PAYLOADS["img"]]
    art = article_from_record(rec, "hostile")
    result = scoring.score(art)
    pages = [result._repr_html_()]
    try:
        from scorer import notebook
    except ImportError:
        notebook = None
    if notebook is not None:
        pages += [notebook.show(result)._repr_html_(), notebook.highlight(result)._repr_html_(),
                  notebook.compare([result, result])._repr_html_()]
    for page in pages:
        assert_escaped(page)
    doc = tmp_path / "views.html"  # as a notebook shows them: inline, with no CSP to help
    doc.write_text("<!DOCTYPE html><html><head><title>t</title></head><body>" + "<hr>".join(pages)
                   + "</body></html>", encoding="utf-8")
    if CHROMIUM:
        assert_nothing_ran(chromium_dom(doc, tmp_path))


# ---------------------------------------------------------------- ids used as paths


def _escape_ids(tmp_path: Path) -> tuple[list[str], list[Path]]:
    """Ids that would land outside the output directory if used as file names, and where."""
    tag = uuid.uuid4().hex[:8]
    absolute = tmp_path / f"abs-evil-{tag}"
    ids = [f"../../evil-{tag}", f"../evil-{tag}", str(absolute), "/etc/passwd", f"..\\..\\evil-{tag}",
           f"a/../../evil-{tag}", f"~/evil-{tag}", "", ".", "..", "con", "nul\x00byte"]
    out_dir = tmp_path / "out"
    escapes = [absolute, (out_dir / f"../../evil-{tag}"), (out_dir / f"../evil-{tag}"),
               Path.home() / f"evil-{tag}", Path("/etc/passwd.html"), Path("/etc/passwd.json")]
    return ids, escapes


def _tree(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@needs_command("provenance")
def test_provenance_ids_cannot_escape_the_output_directory(tmp_path: Path) -> None:
    ids, escapes = _escape_ids(tmp_path)
    text = "\n\n".join(["Officials said on Tuesday that the bridge across the river would reopen next week "
                        "after repairs that cost the city more than four million dollars."] * 3)
    corpus = _write_jsonl(tmp_path / "c.jsonl", [{"id": i, "text": text} for i in ids])
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = _tree(tmp_path)
    result = run_scorer(["provenance", corpus, "--out", out_dir / "pairs.jsonl", "--html", out_dir / "r.html",
                         "--quiet"], timeout=120)
    assert result.returncode == 0, str(result)
    created = _tree(tmp_path) - before
    assert all(out_dir in p.parents for p in created), sorted(map(str, created))
    assert not any(p.exists() for p in escapes)


def test_no_module_builds_output_paths_from_ids() -> None:
    """Guard for later code: any path built from an article id must go through a safe-name helper.

    Scans the package for f-strings or joins that put ``.id``/``article_id`` into
    a path; today no output file is named after an article.
    """
    import re

    from scorer.paths import REPO

    suspicious = re.compile(r"(Path\(|joinpath\(|with_name\(|with_stem\(|os\.path\.join\(|/\s*f[\"'])"
                            r"[^#\n]{0,60}\{[^}]*\b(\w+\.id|article_id|art_id|rid)\b")
    hits = []
    for f in (REPO / "scorer").rglob("*.py"):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if suspicious.search(line) and "read_text" not in line and "gold" not in line and "split" not in line:
                hits.append(f"{f.relative_to(REPO)}:{n}: {line.strip()}")
    assert not hits, "paths built from article ids (check they cannot escape the output directory):\n" + "\n".join(hits)
