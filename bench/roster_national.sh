#!/usr/bin/env bash
# amsim staff --roster on a synthetic national roster, timed: one row a cadre or civil servant
# of every new commune as the estimate staffs it (about 386,000 people; not committed, made
# here from the estimate), each in one of the old units merged into it, one in ten leaving
# (half early retirement, half resignation) with coefficients, years of insurance and months
# to retirement drawn with a fixed seed; placed, counted against the norms and priced.
#   bash bench/roster_national.sh        (builds release; prepares scenarios/vn-2025 if needed)
# Prints people, leavers, refusals, the payout total, wall time and peak memory.
source "$(dirname "$0")/release_and_plan.sh"

$amsim -q staff scenarios/vn-2025 -o "$work/estimate.csv" --overwrite > /dev/null
# The official codes of each new commune's old units, from "Name (code); ..." in old_codes.
awk -v FPAT='([^,]*)|("[^"]*")' -v OFS=, 'BEGIN {
        srand(1); print "id,old_code,category,salary_coefficient,si_years,months_to_retirement,leave"
    }
    NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
    {
        n = split($col["old_codes"], parts, /; /); k = 0
        for (i = 1; i <= n; ++i) if (match(parts[i], /\(([0-9]+)\)/)) codes[k++] = substr(parts[i], RSTART + 1, RLENGTH - 2)
        if (k == 0) next
        staff = int($col["staffed"] + 0.5)
        for (p = 0; p < staff; ++p) {
            r = rand(); leave = ""; months = ""; si = int(5 + 25 * rand())
            if (r < 0.05) { leave = "early_retirement"; months = 24 + int(36 * rand()); si = 20 + int(10 * rand()) }
            else if (r < 0.10) { leave = "resignation"; months = 36 + int(200 * rand()) }
            printf "p%d,%s,%s,%.2f,%d,%s,%s\n", ++id, codes[p % k], (p % 5 < 2 ? "cadre" : "civil_servant"), 2.34 + 2.64 * rand(), si, months, leave
        }
    }' "$work/estimate.csv" > "$work/roster.csv"

/usr/bin/time -f "%e %M" -o "$work/time.txt" \
    $amsim -q --json staff scenarios/vn-2025 --roster "$work/roster.csv" \
    -o "$work/staff-roster.csv" --overwrite > "$work/roster.json"
read -r t m < <(tail -1 "$work/time.txt")
python3 - "$work/roster.json" "$t" "$m" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["roster"]
print(f"roster: {r['people']:,} people in {r['new_units']:,} new units; {r['leavers']:,} leavers, "
      f"{r['refused']:,} refused, payouts {r['payout_vnd'] / 1e9:,.1f} bn VND; "
      f"{sys.argv[2]} s, peak {int(sys.argv[3]) // 1024} MB (the whole staff command)")
PY
