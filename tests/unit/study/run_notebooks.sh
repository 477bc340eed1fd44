#!/bin/sh
# Executes every notebook of notebooks/ headlessly (issue 8; ctest notebooks_study, label e2e):
# the two study reproductions on freshly produced databases, and the generated scenario and
# reproduction notebooks, which run tokensim themselves ($TOKENSIM_BIN) on short horizons and
# assert facts from the spec. Fails when a notebook raises, when a committed notebook carries
# outputs or an execution count, or when a generated notebook differs from what
# notebooks/make_notebooks.py writes. Notebooks run two at a time (the machine has 2 cores).
# A missing jupyter-nbconvert or Python stack is a failure, not a skip: `./setup.sh test`
# installs them, and a test that silently skips hides exactly what it should catch.
set -eu
TS="$TOKENSIM_BINARY_DIR/sim/cli/tokensim"
SRC="$TOKENSIM_SOURCE_DIR"
NBC=/usr/bin/jupyter-nbconvert
PY=/usr/bin/python3
if [ ! -x "$NBC" ] || ! $PY -c 'import pandas, matplotlib, numpy, ipykernel, nbformat' 2>/dev/null; then
    echo "jupyter-nbconvert, python3-pandas, python3-matplotlib, python3-ipykernel or python3-nbformat" \
        "missing (./setup.sh test installs them)" >&2
    exit 1
fi
T=$(mktemp -d /tmp/tokensim-nb-XXXXXX)
trap 'rm -rf "$T"' EXIT

# 1. Committed notebooks have no outputs and no execution counts (strip them before committing).
$PY - "$SRC"/notebooks/*.ipynb <<'PYEOF'
import json, sys
bad = []
for path in sys.argv[1:]:
    for i, c in enumerate(json.load(open(path))["cells"]):
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None):
            bad.append(f"{path}: code cell {i} has outputs or an execution count")
if bad:
    print("\n".join(bad) + "\nstrip them: jupyter-nbconvert --clear-output --inplace FILE", file=sys.stderr)
    sys.exit(1)
print(len(sys.argv) - 1, "notebooks, no outputs committed")
PYEOF

# 2. The generated notebooks are what make_notebooks.py writes.
mkdir "$T/gen"
$PY "$SRC/notebooks/make_notebooks.py" "$T/gen" > /dev/null
for f in "$T"/gen/*.ipynb; do
    cmp -s "$f" "$SRC/notebooks/$(basename "$f")" || {
        echo "notebooks/$(basename "$f") differs from notebooks/make_notebooks.py's output:" \
            "run /usr/bin/python3 notebooks/make_notebooks.py" >&2; exit 1; }
done

# 3. Databases of the two study notebooks: the collusion example in full, the retention study on a
# reduced grid (40 neurons, a few settings).
"$TS" run "$SRC/scenarios/repro-whitepaper-collusion.cfg" --out "$T/collusion.db" --no-plots > "$T/collusion.txt"
"$TS" run "$SRC/scenarios/repro-consensus-retention.cfg" --out "$T/retention.db" --no-plots \
    --set retention.neurons=40 --set retention.validators=8 --set retention.steps=10 \
    --set retention.stake_shares=0.55,0.7,0.85 --set retention.kappa=0.4,0.5 \
    --set retention.bonds_penalty=1 --set retention.xi=0.5 --set retention.weight_sigma=0 > "$T/retention.txt"

# 4. Execute every notebook, two at a time, each with its own output directory for databases and
# figures. Every failure is reported, not only the first. Kernels talk over Unix sockets under an
# absolute per-notebook prefix, not TCP: jupyter_client picks free TCP ports by binding and
# closing them before the kernel binds them, so any other process of the test run can take one in
# between, and the kernel then dies before replying (seen once in CI). The prefix must be
# absolute: the kernel runs in notebooks/, its client here. A failed notebook shows the head of
# its log (the kernel's own stderr comes first) and the tail (nbconvert's error).
export TOKENSIM_BIN="$TS" TOKENSIM_COLLUSION_DB="$T/collusion.db" TOKENSIM_RETENTION_DB="$T/retention.db"
export PYDEVD_DISABLE_FILE_VALIDATION=1
mkdir "$T/out"
status=0
ls "$SRC"/notebooks/*.ipynb | xargs -P 2 -n 1 sh -c '
    n=$(basename "$3" .ipynb); mkdir -p "$1/nb-$n" "$1/ipc-$n"
    if TOKENSIM_NB_OUT="$1/nb-$n" "$2" --to notebook --execute --ExecutePreprocessor.timeout=600 \
            --KernelManager.transport=ipc --KernelManager.ip="$1/ipc-$n/kernel" \
            --output-dir "$1/out" "$3" > "$1/nb-$n.log" 2>&1; then
        echo "ok     $n"
    else
        echo "FAILED $n"; head -n 30 "$1/nb-$n.log"; echo "    [...]"; tail -n 30 "$1/nb-$n.log"
        exit 1
    fi' sh "$T" "$NBC" || status=1
[ "$status" = 0 ] || { echo "some notebooks failed" >&2; exit 1; }

# 5. Every notebook drew its figures; the study notebooks printed what the binary computed.
for f in "$SRC"/notebooks/*.ipynb; do
    n=$(basename "$f" .ipynb)
    case "$n" in repro_whitepaper_collusion|repro_consensus_retention) continue ;; esac
    ls "$T/nb-$n"/*.png > /dev/null 2>&1 || { echo "$n drew no figure"; exit 1; }
    for p in "$T/nb-$n"/*.png; do
        [ "$(stat -c %s "$p")" -gt 5000 ] || { echo "$n: $p is too small to be a plot"; exit 1; }
    done
done
final=$(grep '^100 ' "$T/collusion.txt" | cut -d' ' -f2)
grep -q "final cabal share $final" "$T/out/repro_whitepaper_collusion.ipynb" || {
    echo "the collusion notebook does not print the final share $final"; exit 1; }
grep -q "2 settings, 66 rows" "$T/out/repro_consensus_retention.ipynb" || {
    echo "the retention notebook does not report 2 settings of 3 x 11 rows"; exit 1; }
test -s "$T/collusion-notebook.png" && test -s "$T/retention-notebook.png"
echo "notebooks ok"
