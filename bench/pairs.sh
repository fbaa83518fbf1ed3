#!/usr/bin/env bash
# Same-run before/after: run bench/run.py from two checkouts alternately against one database.
#   bench/pairs.sh BEFORE_DIR AFTER_DIR [N=2] [DB=opstap_city] [ONLY]   (env REPEAT=15, SCALE=city)
# Each checkout needs its own .venv (a link to one is enough). Prints where the results are;
# every run's header gives its bare signed-in request, and each run line the load average.
set -euo pipefail
BEFORE=$1 AFTER=$2 N=${3:-2} DB=${4:-opstap_city} ONLY=${5:-}
OUT=$(mktemp -d /tmp/pairs.XXXX)
for i in $(seq 1 "$N"); do
  for side in before after; do
    dir=$BEFORE; [ "$side" = after ] && dir=$AFTER
    echo "== $side run $i, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/all.txt"
    (cd "$dir" && OPSTAP_DEMO=true DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" \
      .venv/bin/python bench/run.py --scale "${SCALE:-city}" --repeat "${REPEAT:-15}" \
      ${ONLY:+--only "$ONLY"} 2>&1 | tee "$OUT/$side$i.txt" >> "$OUT/all.txt")
  done
done
echo "results in $OUT"
