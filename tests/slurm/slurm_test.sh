#!/bin/bash
# The ensemble on a real single-node Slurm cluster, started here and stopped at the end:
# munged and slurmctld/slurmd from Debian's munge and slurm-wlm packages, run from a private
# directory with their own ports and socket (no system configuration is read or changed).
# scripts/slurm/submit-ensemble.sh submits K shards as an array job and a summary after
# them; the summary must hold exactly the plans of one local run of N.
#
#   slurm_test.sh AMSIM SOURCE_DIR SCENARIO
set -euo pipefail
amsim=$(realpath "$1") src=$(realpath "$2") scenario=$(realpath "$3")
for tool in munged slurmctld slurmd sbatch scontrol sinfo; do
    if ! command -v "$tool" > /dev/null; then
        echo "FAIL: $tool not found: install munge, slurmctld, slurmd and slurm-client (scripts/setup.sh does)" >&2
        exit 1
    fi
done
# A short path: the munge socket's must fit in 108 bytes.
dir=$(mktemp -d /tmp/amsim-slurm.XXXXXX)
chmod 755 "$dir"
cleanup() {
    for pid in "$dir"/run/slurmd.pid "$dir"/run/slurmctld.pid; do
        [ -f "$pid" ] && kill "$(cat "$pid")" 2> /dev/null || true
    done
    munged --socket="$dir/run/munge.socket" --stop > /dev/null 2>&1 || true
    sleep 1
    rm -rf "$dir"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    for log in "$dir"/slurmctld.log "$dir"/slurmd.log "$dir"/out/logs/*.log; do
        [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
    done
    exit 1
}
mkdir -p "$dir/run" "$dir/state" "$dir/spool"
chmod 755 "$dir/run"
head -c 1024 /dev/urandom > "$dir/munge.key"
chmod 400 "$dir/munge.key"
munged --force --socket="$dir/run/munge.socket" --key-file="$dir/munge.key" \
    --log-file="$dir/munged.log" --pid-file="$dir/run/munged.pid" --seed-file="$dir/munged.seed" ||
    fail "munged did not start"
host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
user=$(id -un)
cat > "$dir/slurm.conf" << CONF
ClusterName=amsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/run/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
PlugStackConfig=/dev/null
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$(($(free -m | awk '/^Mem:/ {print $2}') / 2)) State=UNKNOWN
PartitionName=amsim Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -c -i || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"
for _ in $(seq 60); do
    sinfo -h -o %T 2> /dev/null | grep -q idle && break
    sleep 1
done
sinfo -h -o %T | grep -q idle || fail "the node did not come up"

# K = 4 shards of N = 40 plans, submitted as a planner would.
options=(--plans-per-chain 5 --burn-in 5 --thin 1 --seed 3)
# A task per core, as a user's SBATCH_OPTIONS override the script's #SBATCH lines.
export AMSIM=$amsim AMSIM_RUNS_DB=$dir/runs.sqlite SBATCH_OPTIONS="--cpus-per-task=1 --mem=1G"
submitted=$("$src/scripts/slurm/submit-ensemble.sh" "$scenario" "$dir/out" 40 4 "${options[@]}")
echo "$submitted"
summary=$(echo "$submitted" | sed -n 's/.*summary job \([0-9]*\).*/\1/p')
[ -n "$summary" ] || fail "no summary job id in: $submitted"
state=
for _ in $(seq 240); do
    state=$(scontrol show job "$summary" -o 2> /dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
    case "$state" in
    COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;;
    esac
    sleep 1
done
[ "$state" = COMPLETED ] || fail "summary job $summary ended $state"
for k in 1 2 3 4; do
    [ -f "$dir/out/plans-000$k-of-0004.sqlite" ] || fail "shard $k's file missing"
done
grep -q "40 plans" "$dir/out/logs/summary.log" || fail "the summary does not say 40 plans"

# The same plans as one run of 40 on this machine: every plan's metrics and checksum.
"$amsim" --quiet ensemble "$scenario" -o "$dir/local" --plans 40 "${options[@]}" > /dev/null
"$amsim" ensemble summarise "$dir/local" > /dev/null
cmp "$dir/local/ensemble-plans.csv" "$dir/out/ensemble-plans.csv" ||
    fail "the cluster's plans differ from one local run's"
cmp "$dir/local/ensemble-summary.csv" "$dir/out/ensemble-summary.csv" ||
    fail "the cluster's summary differs from one local run's"
echo "PASS: 4 shards on Slurm = one run of 40 plans (state $state)"
