#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for mlp sweep's slurm launcher and its tests:
# this host as controller and only node, its own state in DIR, ports of its own. Needs Debian's
# slurm-wlm and munge, and root (slurmd runs jobs as their users).
#
#   tools/slurm-local.sh start DIR    # prints: export SLURM_CONF=DIR/slurm.conf
#   tools/slurm-local.sh stop DIR
set -euo pipefail
cmd="${1:?usage: slurm-local.sh start|stop DIR}"
dir="$(mkdir -p "${2:?usage: slurm-local.sh start|stop DIR}" && cd "$2" && pwd)"
conf="$dir/slurm.conf"
case "$cmd" in
stop)
  for d in slurmd slurmctld; do
    if [ -s "$dir/run/$d.pid" ]; then kill "$(cat "$dir/run/$d.pid")" 2>/dev/null || true; fi
  done
  for _ in $(seq 50); do
    [ -s "$dir/run/slurmctld.pid" ] && kill -0 "$(cat "$dir/run/slurmctld.pid")" 2>/dev/null || break
    sleep 0.1
  done
  exit 0
  ;;
start) ;;
*) echo "slurm-local: unknown command $cmd (start or stop)" >&2; exit 2 ;;
esac
for tool in slurmctld slurmd sbatch munged; do
  command -v "$tool" >/dev/null || { echo "slurm-local: $tool not found: apt-get install slurm-wlm munge" >&2; exit 2; }
done
# munge: one daemon for the machine; started here if none answers
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -s /etc/munge/munge.key ] || { mkdir -p /etc/munge; dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; }
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
  if id munge >/dev/null 2>&1; then
    su -s /bin/sh munge -c "munged --force" || munged --force
  else
    munged --force
  fi
  for _ in $(seq 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi
# two free ports of our own, so a system Slurm or another test's cluster is left alone
port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "slurm-local: no free port" >&2
  exit 1
}
host="$(hostname -s)"
cpus="$(nproc)"
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
cat >"$conf" <<CONF
ClusterName=mlp
SlurmctldHost=$host
SlurmctldPort=$(port)
SlurmdPort=$(port)
AuthType=auth/munge
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmdSpoolDir=$dir/spool
StateSaveLocation=$dir/state
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=mlp Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$conf" -i
slurmd -f "$conf"
export SLURM_CONF="$conf"
for _ in $(seq 100); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && { echo "export SLURM_CONF=$conf"; exit 0; }
  sleep 0.2
done
echo "slurm-local: the cluster did not come up; see $dir/log" >&2
exit 1
