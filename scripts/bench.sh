#!/usr/bin/env bash
# Whole-process benchmark: bibconv against the installed peers (bibutils, pandoc, citation-js,
# Python bibtexparser + rispy + nbib) on the same generated corpus, in one run.
#
#   scripts/bench.sh                  100k records (~200 MB of RIS), every installed peer
#   scripts/bench.sh --quick          10k records: a few minutes
#   scripts/bench.sh --records N      corpus size for bibconv (peers too, unless --peer-records)
#   scripts/bench.sh --peer-records N corpus size for bibutils, citation-js and Python
#   scripts/bench.sh --pandoc-records N   pandoc's corpus size (default 10000: pandoc is slow)
#   scripts/bench.sh --bibutils-records N bibutils' corpus size (default: --peer-records)
#   scripts/bench.sh --runs N         runs of bibconv per conversion (median; default 3)
#   scripts/bench.sh --peer-runs N    runs of each peer (default 1)
#   scripts/bench.sh --only LIST      conversions to run, comma-separated, from:
#                                     ris-bib,bib-ris,bib-csl,nbib-bib,csl-bib
#   scripts/bench.sh --no-peers       bibconv and the `cat` floor only
#   scripts/bench.sh --linear         also RIS and MEDLINE -> BibTeX at 10x the records,
#                                     timed in turns with the 1x corpus (growth and
#                                     flat-memory check)
#   scripts/bench.sh --out-dir DIR    where converted files are written (default: a
#                                     directory in /dev/shm when there is one, so that every
#                                     tool is timed converting, not waiting on the disk)
#
# Corpora come from `cargo run --release --example gen_corpus` (fixed seed) and are cached in
# bench-out/. Peers that are not installed are skipped. To install them:
#   apt-get install -y bibutils pandoc time
#   pip install bibtexparser rispy nbib
#   npm install --prefix DIR @citation-js/core @citation-js/plugin-bibtex \
#       @citation-js/plugin-ris @citation-js/plugin-csl     # then CITATION_JS=DIR/node_modules
#   Debian's bibutils lacks nbib2xml: build the bibutils source (./configure && make) and
#   pass NBIB2XML=.../bin/nbib2xml.
#
# Every figure is the median wall time of whole processes (reading, converting, writing a
# file in the output directory). bibconv is timed before and again after the peers of each
# conversion, and its speed-up over a peer is taken from the median of all those runs: this
# host's speed drifts by a quarter from minute to minute, and peers take minutes. Peak RSS
# is GNU time's maximum resident set size; for a pipeline (`ris2xml | xml2bib`) it is that
# of its largest process. MB = 10^6 bytes of input. This is a benchmark, not a test:
# nothing fails on a slow machine.

set -euo pipefail
cd "$(dirname "$0")/.."

records=100000
peer_records=
pandoc_records=10000
bibutils_records=
runs=3
peer_runs=1
only=ris-bib,bib-ris,bib-csl,nbib-bib,csl-bib
peers=1
linear=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) records=10000 ;;
        --records) records=$2; shift ;;
        --peer-records) peer_records=$2; shift ;;
        --pandoc-records) pandoc_records=$2; shift ;;
        --bibutils-records) bibutils_records=$2; shift ;;
        --runs) runs=$2; shift ;;
        --peer-runs) peer_runs=$2; shift ;;
        --only) only=$2; shift ;;
        --no-peers) peers=0 ;;
        --linear) linear=1 ;;
        --out-dir) out_dir=$2; shift ;;
        -h|--help) sed -n '2,38p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
peer_records=${peer_records:-$records}
bibutils_records=${bibutils_records:-$peer_records}
[ "$pandoc_records" -gt "$records" ] && pandoc_records=$records

out=bench-out
# Converted files go to memory when it can: a 250 MB output written to disk makes the kernel
# throttle the writer (dirty-page limits), which times the disk rather than the tool.
if [ -z "${out_dir:-}" ]; then
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then out_dir=/dev/shm/bibconv-bench; else out_dir=$out/tmp; fi
fi
tmp=$out_dir
mkdir -p "$out" "$tmp"
results=$out/results.tsv
: > "$results"

echo "building bibconv and gen_corpus (release)..." >&2
cargo build --release --quiet --bin bibconv --example gen_corpus
bibconv=$PWD/target/release/bibconv
gen=$PWD/target/release/examples/gen_corpus
peers_dir=$PWD/scripts/peers
if [ ! -x /usr/bin/time ]; then
    echo "bench.sh: needs GNU time (apt-get install -y time)" >&2
    exit 2
fi

# corpus FORMAT N: the path of the cached corpus, generated on first use.
corpus() {
    local format=$1 n=$2 ext
    case "$format" in ris) ext=ris ;; nbib) ext=nbib ;; bibtex) ext=bib ;; csl-json) ext=json ;; esac
    local file=$out/corpus-$n.$ext
    if [ ! -s "$file" ]; then
        echo "generating $file..." >&2
        "$gen" --records "$n" --format "$format" --out "$file.part" && mv "$file.part" "$file"
    fi
    echo "$file"
}

have() { command -v "$1" >/dev/null 2>&1; }
cjs_modules=${CITATION_JS:-}
if [ -z "$cjs_modules" ]; then
    for d in node_modules /tmp/perfpeers/cjs/node_modules; do
        [ -d "$d/@citation-js/plugin-bibtex" ] && cjs_modules=$(cd "$d" && pwd) && break
    done
fi
have_cjs() { have node && [ -n "$cjs_modules" ]; }
have_py() { python3 -c 'import bibtexparser, rispy' 2>/dev/null; }
have_py_nbib() { python3 -c 'import bibtexparser, nbib' 2>/dev/null; }
nbib2xml=${NBIB2XML:-$(command -v nbib2xml || true)}

# run_once COMMAND: runs COMMAND (a shell string) once; sets `t` (wall seconds), `m` (peak
# RSS, KB) and `ok`.
run_once() {
    local start end
    ok=1
    start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$tmp/time.txt" bash -c "$1" >/dev/null 2>"$tmp/stderr.txt" || ok=0
    end=$EPOCHREALTIME
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')
    m=$(tail -n 1 "$tmp/time.txt")
}

# row CONVERSION TOOL RECORDS INPUT STATUS PEAK_RSS COMMAND TIMES...: records the median of
# TIMES (all of them kept, for the table's medians over several rows) and prints the line.
row() {
    local conv=$1 tool=$2 n=$3 input=$4 status=$5 rss=$6 cmd=$7 bytes median
    shift 7
    bytes=$(stat -L -c %s "$input")
    median=$(printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$conv" "$tool" "$n" "$bytes" "$median" "$rss" \
        "$status" "$cmd" "$(IFS=,; echo "$*")" >> "$results"
    awk -v c="$conv" -v tool="$tool" -v n="$n" -v b="$bytes" -v t="$median" -v r="$rss" -v s="$status" 'BEGIN {
        printf "  %-9s %-26s %8d rec %8.1f MB %8.3f s %9.1f MB/s %10.0f rec/s %8.1f MB RSS %s\n",
            c, tool, n, b / 1e6, t, b / 1e6 / t, n / t, r / 1024, (s == "ok" ? "" : "FAILED") }' >&2
}

# measure CONVERSION TOOL RECORDS INPUT RUNS COMMAND: runs COMMAND RUNS times and records the
# median wall time and the peak RSS.
measure() {
    local conv=$1 tool=$2 n=$3 input=$4 nruns=$5 cmd=$6
    local times=() rss=0 status=ok i
    for ((i = 0; i < nruns; i++)); do
        run_once "$cmd"
        [ "$ok" = 1 ] || status=failed
        times+=("$t")
        [ "$m" -gt "$rss" ] && rss=$m
    done
    row "$conv" "$tool" "$n" "$input" "$status" "$rss" "$cmd" "${times[@]}"
}

# interleaved CONV_A TOOL_A N_A INPUT_A CMD_A CONV_B TOOL_B N_B INPUT_B CMD_B RUNS: times A
# and B in turns, so that both see the same minutes of a host whose speed drifts.
interleaved() {
    local ta=() tb=() ra=0 rb=0 sa=ok sb=ok i
    for ((i = 0; i < ${11}; i++)); do
        run_once "$5"; [ "$ok" = 1 ] || sa=failed; ta+=("$t"); [ "$m" -gt "$ra" ] && ra=$m
        run_once "${10}"; [ "$ok" = 1 ] || sb=failed; tb+=("$t"); [ "$m" -gt "$rb" ] && rb=$m
    done
    row "$1" "$2" "$3" "$4" "$sa" "$ra" "$5" "${ta[@]}"
    row "$6" "$7" "$8" "$9" "$sb" "$rb" "${10}" "${tb[@]}"
}

# again CONVERSION INPUT COMMAND: bibconv timed once more after the peers (when they ran).
again() {
    [ "$peers" = 1 ] || return 0
    measure "$1" "bibconv, after the peers" "$records" "$2" "$runs" "$3"
}

floor() {
    local conv=$1 file=$2 n=$3
    measure "$conv" "cat (floor)" "$n" "$file" "$runs" "cat '$file' > /dev/null"
}

bib() { echo "'$bibconv' -q"; }
cjs() { echo "NODE_PATH='$cjs_modules' node '$peers_dir/cjs_convert.js' $1 $2"; }
py() { echo "python3 '$peers_dir/py_convert.py' $1 $2"; }

wants() { [[ ",$only," == *",$1,"* ]]; }

echo "outputs written to $tmp" >&2
echo "machine: $(nproc) cores, $(uname -sr); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "bibconv: $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $records records; peers: $peer_records (bibutils $bibutils_records, pandoc $pandoc_records)" >&2

if wants ris-bib; then
    f=$(corpus ris "$records"); p=$(corpus ris "$peer_records")
    floor ris-bib "$f" "$records"
    measure ris-bib bibconv "$records" "$f" "$runs" "$(bib) '$f' --to bibtex -o $tmp/out.bib"
    if [ "$peers" = 1 ]; then
        b=$(corpus ris "$bibutils_records")
        have ris2xml && measure ris-bib "bibutils ris2xml|xml2bib" "$bibutils_records" "$b" "$peer_runs" \
            "ris2xml '$b' | xml2bib > $tmp/bibutils.bib"
        have_cjs && measure ris-bib citation-js "$peer_records" "$p" "$peer_runs" "$(cjs ris bibtex) '$p' $tmp/cjs.bib"
        have_py && measure ris-bib "python rispy+bibtexparser" "$peer_records" "$p" "$peer_runs" \
            "$(py ris bibtex) '$p' $tmp/py.bib"
    fi
    # bibconv again after the peers: the ratios use the runs before and after them.
    again ris-bib "$f" "$(bib) '$f' --to bibtex -o $tmp/out.bib"
fi

if wants bib-ris; then
    f=$(corpus bibtex "$records"); p=$(corpus bibtex "$peer_records")
    floor bib-ris "$f" "$records"
    measure bib-ris bibconv "$records" "$f" "$runs" "$(bib) '$f' --to ris -o $tmp/out.ris"
    if [ "$peers" = 1 ]; then
        b=$(corpus bibtex "$bibutils_records")
        have bib2xml && measure bib-ris "bibutils bib2xml|xml2ris" "$bibutils_records" "$b" "$peer_runs" \
            "bib2xml '$b' | xml2ris > $tmp/bibutils.ris"
        have_cjs && measure bib-ris citation-js "$peer_records" "$p" "$peer_runs" "$(cjs bibtex ris) '$p' $tmp/cjs.ris"
        have_py && measure bib-ris "python bibtexparser+rispy" "$peer_records" "$p" "$peer_runs" \
            "$(py bibtex ris) '$p' $tmp/py.ris"
    fi
    # bibconv again after the peers: the ratios use the runs before and after them.
    again bib-ris "$f" "$(bib) '$f' --to ris -o $tmp/out.ris"
fi

if wants bib-csl; then
    f=$(corpus bibtex "$records"); p=$(corpus bibtex "$peer_records"); q=$(corpus bibtex "$pandoc_records")
    floor bib-csl "$f" "$records"
    measure bib-csl bibconv "$records" "$f" "$runs" "$(bib) '$f' --to csl-json -o $tmp/out.json"
    if [ "$peers" = 1 ]; then
        have_cjs && measure bib-csl citation-js "$peer_records" "$p" "$peer_runs" \
            "$(cjs bibtex csl-json) '$p' $tmp/cjs.json"
        have pandoc && measure bib-csl "pandoc $(pandoc --version | head -n 1 | cut -d' ' -f2)" \
            "$pandoc_records" "$q" "$peer_runs" "pandoc -f bibtex -t csljson '$q' -o $tmp/pandoc.json"
    fi
    # bibconv again after the peers: the ratios use the runs before and after them.
    again bib-csl "$f" "$(bib) '$f' --to csl-json -o $tmp/out.json"
fi

if wants nbib-bib; then
    f=$(corpus nbib "$records"); p=$(corpus nbib "$peer_records")
    floor nbib-bib "$f" "$records"
    measure nbib-bib bibconv "$records" "$f" "$runs" "$(bib) '$f' --to bibtex -o $tmp/out.bib"
    if [ "$peers" = 1 ]; then
        b=$(corpus nbib "$bibutils_records")
        [ -n "$nbib2xml" ] && measure nbib-bib "bibutils nbib2xml|xml2bib" "$bibutils_records" "$b" \
            "$peer_runs" "'$nbib2xml' '$b' | xml2bib > $tmp/bibutils.bib"
        have_py_nbib && measure nbib-bib "python nbib+bibtexparser" "$peer_records" "$p" "$peer_runs" \
            "$(py nbib bibtex) '$p' $tmp/py.bib"
    fi
    # bibconv again after the peers: the ratios use the runs before and after them.
    again nbib-bib "$f" "$(bib) '$f' --to bibtex -o $tmp/out.bib"
fi

if wants csl-bib; then
    f=$(corpus csl-json "$records"); p=$(corpus csl-json "$peer_records"); q=$(corpus csl-json "$pandoc_records")
    floor csl-bib "$f" "$records"
    measure csl-bib bibconv "$records" "$f" "$runs" "$(bib) '$f' --to bibtex -o $tmp/out.bib"
    if [ "$peers" = 1 ]; then
        have_cjs && measure csl-bib citation-js "$peer_records" "$p" "$peer_runs" "$(cjs csl-json bibtex) '$p' $tmp/cjs.bib"
        have pandoc && measure csl-bib "pandoc $(pandoc --version | head -n 1 | cut -d' ' -f2)" \
            "$pandoc_records" "$q" "$peer_runs" "pandoc -f csljson -t bibtex '$q' -o $tmp/pandoc.bib"
    fi
    # bibconv again after the peers: the ratios use the runs before and after them.
    again csl-bib "$f" "$(bib) '$f' --to bibtex -o $tmp/out.bib"
fi

if [ "$linear" = 1 ]; then
    # 10x the records, timed in turns with the 100k corpus (a drifting host would otherwise
    # make the growth figure a comparison of two different minutes).
    big=$((records * 10))
    for format in ris nbib; do
        f=$(corpus "$format" "$big"); s=$(corpus "$format" "$records")
        floor "$format-bib-10x" "$f" "$big"
        interleaved "$format-bib-1x" bibconv "$records" "$s" "$(bib) '$s' --to bibtex -o $tmp/out.bib" \
            "$format-bib-10x" bibconv "$big" "$f" "$(bib) '$f' --to bibtex -o $tmp/out.bib" "$runs"
    done
    rm -f "$tmp/out.bib"
fi

# The table: every tool's throughput, and how many times faster bibconv is.
echo >&2
awk -F'\t' '
    { conv[NR] = $1; tool[NR] = $2; n[NR] = $3; bytes[NR] = $4; t[NR] = $5; rss[NR] = $6; st[NR] = $7
      mbps[NR] = $4 / 1e6 / $5; times[NR] = $9
      # bibconv: every run of every bibconv row of the conversion (before and after the peers).
      if ($2 ~ /^bibconv/) { size[$1] = $4; all[$1] = all[$1] (all[$1] == "" ? "" : ",") $9 } }
    function median(list,    v, k, i, j, x) {
        k = split(list, v, ",")
        for (i = 2; i <= k; i++) { x = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
        return v[int((k + 1) / 2)]
    }
    END {
        for (c in all) { ours[c] = size[c] / 1e6 / median(all[c]); runs[c] = split(all[c], tmp, ",") }
        print "| conversion | tool | records | MB/s | records/s | peak RSS | bibconv speed-up |"
        print "|---|---|---:|---:|---:|---:|---:|"
        for (i = 1; i <= NR; i++) {
            ratio = (tool[i] ~ /^bibconv/ || !(conv[i] in ours)) ? "" : sprintf("%.1fx", ours[conv[i]] / mbps[i])
            if (tool[i] == "bibconv" && runs[conv[i]] > 0 && all[conv[i]] != times[i])
                ratio = sprintf("(%.1f MB/s over all %d runs)", ours[conv[i]], runs[conv[i]])
            if (tool[i] ~ /^cat/) ratio = sprintf("(%.2fx of floor)", ours[conv[i]] / mbps[i])
            name = tool[i]; gsub(/\|/, "\\|", name)
            printf "| %s | %s%s | %d | %.1f | %.0f | %.1f MB | %s |\n", conv[i], name,
                (st[i] == "ok" ? "" : " (FAILED)"), n[i], mbps[i], n[i] / t[i], rss[i] / 1024, ratio
        }
        for (c in all) if (c ~ /-10x$/) {
            one = c; sub(/-10x$/, "-1x", one)
            if (one in all)
                printf "\n%s: 10x the records took %.2fx the time (medians of runs in turns)\n", c,
                    median(all[c]) / median(all[one])
        }
    }' "$results" | tee "$out/results.md"
