"""scorer train: trains from corpora in the shared layout and reproduces its file exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorer.cli import main
from scorer.linear import DEFAULT_MODEL
from scorer.model_file import load

GOOD = ("The health minister said on Tuesday that the trial, published in The Lancet, involved {n} patients. "
        "\"The results are clear,\" said Dr Ana Ruiz, who led the study at Oxford University, in a statement. ")
BAD = "You won't believe this miracle cure {n}! Some say it may reverse ageing, allegedly. Insiders claim it works. "


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "fakehealth"
    folder.mkdir()
    import random

    rng = random.Random(0)
    words = [f"w{k}" for k in range(400)]
    recs = []
    for i in range(40):
        good = i % 2 == 0
        filler = " ".join(rng.choice(words) for _ in range(120))  # distinct texts: no duplicate clusters
        recs.append({"id": f"s{i}", "corpus": "fakehealth", "subset": "HealthStory",
                     "text": (GOOD if good else BAD).format(n=i) + filler + ". " + (GOOD if good else BAD).format(n=i), "label": "reliable" if good else "unreliable",
                     "domain": f"outlet{i % 8}.com", "url": f"https://outlet{i % 8}.com/{i}"})
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    return folder


def test_train_writes_a_loadable_reproducible_model(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    a, b = tmp_path / "a.skops", tmp_path / "b.skops"
    manifest = tmp_path / "manifest.csv"
    r1 = CliRunner().invoke(main, ["train", str(corpus), "--out", str(a), "--manifest", str(manifest), "--jobs", "1"])
    assert r1.exit_code == 0, r1.output
    r2 = CliRunner().invoke(main, ["train", str(corpus / "articles.jsonl"), "--out", str(b), "--jobs", "1"])
    assert r2.exit_code == 0, r2.output
    assert a.read_bytes() == b.read_bytes()
    # the exported parameters are written with every model, reproducibly, and vouched for by the checksum file
    from scorer import linear

    assert (tmp_path / "a.linear.json").read_bytes() == (tmp_path / "b.linear.json").read_bytes()
    assert [name for _, name in linear.read_checksums(linear.checksum_path(a))] == ["a.skops", "a.linear.json"]
    assert linear.load(a) is not None
    pipe, meta = load(a)
    assert meta["n_articles"] == 40
    head = manifest.read_text().splitlines()
    assert head[0] == "corpus,subset,id,label,group" and len(head) == 41
    assert "miracle" not in manifest.read_text()  # ids and labels only, never text


def test_train_without_labels_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"id": "x", "text": "hello " * 80}) + "\n")
    res = CliRunner().invoke(main, ["train", str(p), "--out", str(tmp_path / "m.skops")])
    assert res.exit_code == 2
    assert "no article with a usable" in res.stderr


@pytest.mark.shared
def test_shipped_model_matches_the_manifest(shared) -> None:
    _, meta = load(DEFAULT_MODEL)
    manifest = (Path(__file__).resolve().parents[2] / "labels" / "training_manifest.csv").read_text().splitlines()
    assert meta["n_articles"] == len(manifest) - 1
