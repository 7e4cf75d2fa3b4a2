"""``scorer train [CORPUS...] --out MODEL``: train the reliability model."""

from __future__ import annotations

import click


@click.command("train")
@click.argument("corpora", nargs=-1, type=click.Path(path_type=str))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="model file to write (its exported parameters, NAME.linear.json, and a .sha256 "
                   "checksum file of both are written beside it)")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="also write the training manifest (corpus, id, label; no text) as CSV")
@click.option("--jobs", "-j", default=2, show_default=True, help="processes for the analysis")
def command(corpora: tuple[str, ...], out: str, manifest: str | None, jobs: int) -> None:
    """Train the model on labelled CORPORA and write it to --out.

    \b
    CORPORA are corpus folders or their articles.jsonl files in the shared
    layout (default: misinfotext-sfu, fakenewsnet-v1 and fakehealth from
    ../shared/data/corpora). Labels are mapped by labels/label_mapping.csv,
    duplicates across corpora are removed, and every (corpus, class) is
    weighted equally. Seeds are fixed, so the same data and code give the
    same file byte for byte.

    \b
    Reproduce the shipped model:
      scorer train --out scorer/models/default.skops --manifest labels/training_manifest.csv
    """
    from scorer.linear import params_path
    from scorer.model import DEFAULT_C, train, training_metadata
    from scorer.model_file import save
    from scorer.report import atomic_write_text
    from scorer.training_data import load_pool

    pool = load_pool(list(corpora) or None)
    click.echo(f"training on {len(pool)} articles ({int(pool.y.sum())} reliable) from {len(set(pool.groups))} outlet groups",
               err=True)
    pipe = train(pool, n_jobs=jobs)
    path = save(pipe, out, training_metadata(pool, DEFAULT_C))
    exported = params_path(path)
    also = f", {exported.name}" if exported.is_file() else ""
    click.echo(f"wrote {path}{also} and {path.name}.sha256", err=True)
    if manifest:
        atomic_write_text(manifest, pool.manifest().to_csv(index=False))
        click.echo(f"wrote {manifest}", err=True)
