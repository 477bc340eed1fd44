#!/usr/bin/python3
"""Writes the scenario and reproduction notebooks of notebooks/ (issue 8) from the cells below.

Each notebook runs `tokensim` itself (on a shortened horizon where the full run takes long), reads
the metrics database with sqlite3 + pandas, plots the model's key results and asserts facts a reader
can check against the spec, so a broken model fails the notebook when CI executes it
(tests/unit/study/run_notebooks.sh). The notebooks are written with no outputs and
execution_count null; run `/usr/bin/python3 notebooks/make_notebooks.py` after editing a cell here
and commit both. The two study notebooks (repro_whitepaper_collusion, repro_consensus_retention)
are edited by hand and not generated.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# The first code cell of every generated notebook: where the binary, the sources and the output
# go, and small readers of the long-format series table.
SETUP = r'''import os
import sqlite3
import subprocess
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

pd.set_option("display.width", 200)
pd.set_option("display.max_columns", 40)
# The repository root (the notebook runs from notebooks/), the binary and where databases go.
SRC = os.path.abspath(os.environ.get("TOKENSIM_SOURCE_DIR", ".."))
TOKENSIM = os.environ.get("TOKENSIM_BIN") or os.path.join(
    os.environ.get("TOKENSIM_BINARY_DIR", os.path.join(SRC, "build")), "sim", "cli", "tokensim")
OUT = os.environ.get("TOKENSIM_NB_OUT") or tempfile.mkdtemp(prefix="tokensim-nb-")
os.makedirs(OUT, exist_ok=True)
UNIT = 10**9  # base units per token


def tokensim_run(scenario, name, sets=()):
    """Runs scenarios/SCENARIO with --set overrides into OUT/NAME.db; returns a read-only connection."""
    db = os.path.join(OUT, name + ".db")
    cmd = [TOKENSIM, "run", os.path.join(SRC, "scenarios", scenario), "--out", db, "--force",
           "--no-plots", "--quiet"]
    for s in sets:
        cmd += ["--set", s]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.strip()}")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    run = pd.read_sql_query("SELECT run_id, scenario_name, seed, status, digest FROM runs", con)
    assert list(run.status) == ["done"], run
    print(name, "->", db, "digest", run.digest[0][:16])
    return con


def series(con, metrics, entity=0):
    """Wide table, one row per sampled block, one column per metric, of one entity's series."""
    if isinstance(metrics, str):
        metrics = [metrics]
    q = ("SELECT block, metric, value FROM series WHERE entity_id = ? AND metric IN (%s)"
         % ",".join("?" * len(metrics)))
    df = pd.read_sql_query(q, con, params=[entity] + list(metrics))
    return df.pivot_table(index="block", columns="metric", values="value", aggfunc="last")


def ledger(con):
    return pd.read_sql_query("SELECT seq, t, kind, src, dst, amount, reason FROM ledger ORDER BY seq", con)


def savefig(fig, name):
    fig.tight_layout()
    fig.savefig(os.path.join(OUT, name + ".png"))
'''


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n")}


def code(text):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": text.strip("\n")}


def notebook(cells):
    return {"cells": cells,
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"},
                         "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def split_lines(nb):
    """Stores sources as lists of lines, as Jupyter itself does, so diffs stay line by line."""
    for i, c in enumerate(nb["cells"]):
        c["id"] = "c%02d" % i
        c["source"] = c["source"].splitlines(keepends=True)
    return nb


def load_cells():
    """Every notebook: name -> cells. The cell texts live in notebook_cells.py next to this file."""
    sys.path.insert(0, HERE)
    import notebook_cells  # noqa: E402  (kept apart: long cell texts, no logic)
    return notebook_cells.NOTEBOOKS(md, code, SETUP)


def main():
    # With a directory argument the notebooks go there (run_notebooks.sh compares them with the
    # committed ones, so a cell edited here but not regenerated fails the test).
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    for name, cells in load_cells().items():
        path = os.path.join(out, name + ".ipynb")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(split_lines(notebook(cells)), f, indent=1, ensure_ascii=False)
            f.write("\n")
        print("wrote", path)


if __name__ == "__main__":
    main()
