#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Report on the results of ipcchan-bench: reads DIR/results.csv and
# DIR/open.csv (as tests/qemu/run-bench.sh writes them) and
#   - prints the table of each mode;
#   - checks the targets of the icount run and writes them, with their
#     ratios, to DIR/targets.txt (and prints them);
#   - draws DIR/latency-vs-size.png, DIR/throughput-vs-size.png and
#     DIR/throughput-vs-batch.png with gnuplot (icount figures), when
#     gnuplot is installed (make bench-deps).
#
# Usage: tools/bench/report.sh [DIR]   (default: ./bench-results)
# Exit status: 0, or 1 if a file is missing or gnuplot failed. A missed
# target is reported, not an error: the benchmark measures, it does not
# judge.

set -euo pipefail

DIR=${1:-bench-results}
CSV=$DIR/results.csv
OPEN=$DIR/open.csv
HEADLINE=${HEADLINE_MODE:-icount}

[[ -s $CSV ]] || { echo "${0##*/}: no $CSV" >&2; exit 1; }

table() {
	local mode=$1

	printf '\n## %s\n\n' "$mode"
	awk -F, -v mode="$mode" 'NR == 1 || $1 == mode' "$CSV" |
		cut -d, -f2- | column -t -s, -o '  '
	if [[ -s $OPEN ]] && awk -F, -v mode="$mode" '$1 == mode { f = 1 } END { exit !f }' "$OPEN"; then
		echo
		awk -F, -v mode="$mode" 'NR == 1 || $1 == mode' "$OPEN" |
			cut -d, -f2- | column -t -s, -o '  '
	fi
}

# The targets, as ratios within the headline run.
targets() {
	awk -F, -v mode="$HEADLINE" -v open="$OPEN" '
	function get(mech, size, batch, col) {
		k = mech SUBSEP size SUBSEP batch
		return (k, col) in v ? v[k, col] : ""
	}
	function verdict(ok) { return ok ? "met" : "MISSED" }
	FNR == 1 { next }
	FILENAME != open && $1 == mode {
		for (i = 5; i <= NF; i++)
			v[$2, $3, $4, i] = $i
	}
	FILENAME == open && $1 == mode { o[$2, $3, "open"] = $4; o[$2, $3, "lookup"] = $5 }
	END {
		P50 = 5; MSGS = 8; MB = 9
		printf "Targets (%s run):\n", mode
		best = ""
		split("pipe unix-seqpacket posix-mq", base, " ")
		for (i = 1; i <= 3; i++) {
			x = get(base[i], 64, 1, P50)
			if (x != "" && (best == "" || x + 0 < best + 0)) { best = x; bname = base[i] }
		}
		c = get("ipcchan", 64, 1, P50)
		if (c != "" && best != "") {
			r = c / best
			printf "  64 B ping-pong p50: ipcchan %d ns / best of pipe, unix-seqpacket, posix-mq (%s %d ns) = %.3f (target <= 0.9): %s\n", c, bname, best, r, verdict(r <= 0.9)
		} else
			print "  64 B ping-pong p50: not measured"
		c = get("ipcchan-pair", 64, 1, P50)
		if (c != "" && best != "") {
			r = c / best
			printf "  64 B ping-pong p50: ipcchan-pair %d ns / best of pipe, unix-seqpacket, posix-mq (%s %d ns) = %.3f (target <= 1.0): %s\n", c, bname, best, r, verdict(r <= 1.0)
		} else
			print "  64 B ping-pong p50, ipcchan-pair: not measured"
		b = get("ipcchan-batch", 64, 32, MSGS); q = get("posix-mq", 64, 1, MSGS)
		if (b != "" && q != "") {
			r = b / q
			printf "  64 B streaming: ipcchan-batch batch 32 %d msgs/s / posix-mq %d msgs/s = %.2f (target >= 4): %s\n", b, q, r, verdict(r >= 4)
		} else
			print "  64 B streaming batch 32: not measured"
		b = get("ipcchan-packed", 64, 32, MSGS)
		if (b != "" && q != "") {
			r = b / q
			printf "  64 B streaming: ipcchan-packed batch 32 %d msgs/s / posix-mq %d msgs/s = %.2f (target >= 4): %s\n", b, q, r, verdict(r >= 4)
		} else
			print "  64 B streaming packed batch 32: not measured"
		g = get("ipcchan-ring", 65536, 1, MB); p = get("pipe", 65536, 1, MB)
		if (g != "" && p != "") {
			r = g / p
			printf "  64 KiB streaming: ipcchan-ring %.1f MB/s / pipe %.1f MB/s = %.2f (target >= 2): %s\n", g, p, r, verdict(r >= 2)
		} else
			print "  64 KiB ring vs pipe: not measured"
		split("channel region", kinds, " ")
		for (i = 1; i <= 2; i++) {
			for (what = 1; what <= 2; what++) {
				w = what == 1 ? "open" : "lookup"
				a = o[kinds[i], 10, w]; z = o[kinds[i], 10000, w]
				if (a == "" || z == "")
					continue
				r = z / a
				printf "  %s %s: %d ns with 10,000 objects / %d ns with 10 = %.3f (target <= 1.2): %s\n", kinds[i], w, z, a, r, verdict(r <= 1.2)
			}
		}
	}' "$CSV" "$OPEN"
}

# series MODE MECH BATCH XCOL YCOL: "x y" lines of one curve, by x.
series() {
	awk -F, -v mode="$1" -v mech="$2" -v batch="$3" -v x="$4" -v y="$5" \
		'$1 == mode && $2 == mech && (batch == "" || $4 == batch) && $y != "" { print $x, $y }' "$CSV" |
		sort -n -k1,1
}

plots() {
	local tmp mech plot sep
	local mechs="ipcchan ipcchan-pair ipcchan-ring pipe unix-seqpacket posix-mq eventfd-shm shm-spin"

	command -v gnuplot >/dev/null || {
		echo "# no gnuplot: no plots (make bench-deps installs gnuplot-nox)"
		return 0
	}
	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" RETURN
	for mech in $mechs; do
		series "$HEADLINE" "$mech" 1 3 5 >"$tmp/lat-$mech"
		series "$HEADLINE" "$mech" 1 3 9 >"$tmp/tput-$mech"
	done
	series "$HEADLINE" ipcchan-batch 32 3 9 >"$tmp/tput-ipcchan-batch"
	series "$HEADLINE" ipcchan-packed 32 3 9 >"$tmp/tput-ipcchan-packed"
	awk -F, -v mode="$HEADLINE" '$1 == mode && $2 == "ipcchan-batch" && $3 == 64 { print $4, $8 }' "$CSV" >"$tmp/batch-64"
	awk -F, -v mode="$HEADLINE" '$1 == mode && $2 == "ipcchan-batch" && $3 == 4096 { print $4, $8 }' "$CSV" >"$tmp/batch-4096"
	awk -F, -v mode="$HEADLINE" '$1 == mode && $2 == "ipcchan-packed" && $3 == 64 { print $4, $8 }' "$CSV" >"$tmp/packed-64"
	awk -F, -v mode="$HEADLINE" '$1 == mode && $2 == "ipcchan-packed" && $3 == 4096 { print $4, $8 }' "$CSV" >"$tmp/packed-4096"
	awk -F, -v mode="$HEADLINE" '$1 == mode && $2 == "posix-mq" && $3 == 64 { print 1, $8; print 64, $8 }' "$CSV" >"$tmp/batch-mq"
	awk -F, -v mode="$HEADLINE" '$1 == mode && $2 == "pipe" && $3 == 64 { print 1, $8; print 64, $8 }' "$CSV" >"$tmp/batch-pipe"

	{
		echo "set terminal pngcairo size 900,600 noenhanced font ',10'"
		echo "set logscale x 2; set grid; set key top left"
		echo "set xtics ('8 B' 8, '64 B' 64, '512 B' 512, '4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576)"
		echo "set output '$DIR/latency-vs-size.png'"
		echo "set title 'Ping-pong round trip, p50 ($HEADLINE run)'"
		echo "set xlabel 'message size'; set ylabel 'round trip (ns)'; set logscale y"
		plot="plot"; sep=""
		for mech in $mechs; do
			[[ -s $tmp/lat-$mech ]] || continue
			plot+="$sep '$tmp/lat-$mech' using 1:2 with linespoints title '$mech'"
			sep=","
		done
		[[ $plot != plot ]] && echo "$plot"
		echo "set output '$DIR/throughput-vs-size.png'"
		echo "set title 'One-way streaming throughput ($HEADLINE run)'"
		echo "set ylabel 'MB/s (10^6 bytes)'"
		plot="plot"; sep=""
		for mech in $mechs ipcchan-batch ipcchan-packed; do
			[[ -s $tmp/tput-$mech ]] || continue
			local t=$mech
			[[ $mech == ipcchan-batch || $mech == ipcchan-packed ]] && t="$mech (32)"
			plot+="$sep '$tmp/tput-$mech' using 1:2 with linespoints title '$t'"
			sep=","
		done
		[[ $plot != plot ]] && echo "$plot"
		echo "set output '$DIR/throughput-vs-batch.png'"
		echo "set title 'ipcchan-batch and -packed streaming throughput against batch size ($HEADLINE run)'"
		echo "set xtics autofreq; set format x '%g'; set xlabel 'messages per call'; set ylabel 'messages/s'"
		[[ -s $tmp/batch-64 ]] && echo "plot '$tmp/batch-64' using 1:2 with linespoints title 'ipcchan-batch 64 B'," \
			"'$tmp/batch-4096' using 1:2 with linespoints title 'ipcchan-batch 4 KiB'," \
			"'$tmp/packed-64' using 1:2 with linespoints title 'ipcchan-packed 64 B'," \
			"'$tmp/packed-4096' using 1:2 with linespoints title 'ipcchan-packed 4 KiB'," \
			"'$tmp/batch-mq' using 1:2 with lines dashtype 2 title 'posix-mq 64 B'," \
			"'$tmp/batch-pipe' using 1:2 with lines dashtype 3 title 'pipe 64 B'"
	} >"$tmp/plots.gp"
	gnuplot "$tmp/plots.gp"
	echo "# plots: $DIR/latency-vs-size.png $DIR/throughput-vs-size.png $DIR/throughput-vs-batch.png"
}

while IFS= read -r mode; do
	table "$mode"
done < <(awk -F, 'NR > 1 && !seen[$1]++ { print $1 }' "$CSV")
echo
targets | tee "$DIR/targets.txt"
plots
