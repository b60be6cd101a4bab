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
python3 - "$work/estimate.csv" "$work/roster.csv" <<'PY'
import csv, random, re, sys
random.seed(1)
with open(sys.argv[1], newline="", encoding="utf-8") as f, \
        open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    w = csv.writer(out)
    w.writerow(["id", "old_code", "category", "salary_coefficient", "si_years",
                "months_to_retirement", "leave"])
    n = 0
    for row in csv.DictReader(f):
        codes = re.findall(r"\((\d+)\)", row["old_codes"])
        if not codes:
            continue
        for p in range(int(float(row["staffed"]) + 0.5)):
            r, leave, months, si = random.random(), "", "", random.randint(5, 29)
            if r < 0.05:
                leave, months, si = "early_retirement", random.randint(24, 59), random.randint(20, 29)
            elif r < 0.10:
                leave, months = "resignation", random.randint(36, 235)
            n += 1
            w.writerow([f"p{n}", codes[p % len(codes)], "cadre" if p % 5 < 2 else "civil_servant",
                        f"{random.uniform(2.34, 4.98):.2f}", si, months, leave])
PY

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
