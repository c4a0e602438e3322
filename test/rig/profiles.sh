#!/bin/bash
# Guest check: every shipped profile (profiles/*.yaml, read now) on every interface of the rig VM:
# --plan, --apply --yes --json, --verify --json, --rollback, and the state read back with ethtool
# and procfs/sysfs identical to before. Booted by test/rig-profiles.test.ts, e.g.
#   rig/run --smp 2 --modules crc32c_generic,ip_vs --nics e1000e,vmxnet3 -- bash test/rig/profiles.sh
# Environment (all optional):
#   PROFILES       profile names to run (default: every profiles/*.yaml)
#   PROFILE_EXTRA  extra runs, space-separated NAME:K=V[,K=V]@DRIVER[,DRIVER], e.g. director:mode=nat@vmxnet3;
#                  these run each command as a process of its own (bin/ethkit), the others through
#                  one `ethkit --json --batch -` (node starts once: ~10 s per command under TCG)
#   PROFILE_IFS    interfaces to run on (default: every interface but lo)
# An interface with an RSS indirection table over 2 or more rings (virtio_net under --virtio-rss)
# first gets a table on queue 0 only (ethtool -X weight 1 0 ...) and rx-flow-hash udp4 sd, so that
# the director's rss section has work to do and the rollback has that exact table to bring back.
#
# Per run, the state is read (ethtool with the resolved MDI-X masked, ethtool -a/-c/-g/-k/-l/-x, --show-fec, -n rx-flow-hash
# of tcp4/udp4/tcp6/udp6, rps/xps/flow-count files of every queue, the affinities of the device's
# IRQs, and every file the plan names: its sysctls, IRQ and queue files), then plan, apply, wait
# for carrier (bounded poll), verify, rollback, wait for carrier, read the state again. Prints
# `RUN <if> <driver> <profile> secs=N` as each run ends; at the end test/rig/profile-result.ts
# judges every run and prints one line each,
#   PROFILE <if> <driver> <profile> plan=N apply=N verify=N rollback=N link_resets=<planned>
#     carrier_changes=<seen during the apply> carrier_downs=<link drops during the apply>
#     cycle_downs=<link drops from the apply to the end of the rollback> state=same|DIFFERENT
#     drift=[..] apply_resets=N rollback_resets=N set=N skipped=N refused=[..]
#     [rss=equal/N:.. flow_udp4=ACTION:BEFORE->AFTER rss_back=yes|NO] via=batch|process secs=N
#     result=ok|ok-quirk|FAIL
# with detail lines (two spaces: FAIL reasons, skips and their reasons, refusals, what differed),
# then PROFILES PASS|FAIL; with netdevsim present and test/rig/profile-faults.sh in the checkout,
# that script runs last (it prints PROFILE-FAULTS PASS|FAIL). Exits non-zero when a check failed.
cd "$(dirname "$0")/../.." || exit 1
export ETHKIT_STATE_DIR=/tmp/ek-profiles
T=/tmp/ek-profiles-run
rm -rf "$T"; mkdir -p "$T"
fail=0
drv_of() { basename "$(readlink "/sys/class/net/$1/device/driver" 2>/dev/null)" 2>/dev/null; }
# value <file>: its first line, without a process (TCG makes every fork cost)
value() { local v=; IFS= read -r v < "$1" 2>/dev/null; echo "$v"; }
# pv <file>: "<file> <first line>", no process either
pv() { local v=; if [ -e "$1" ]; then IFS= read -r v 2>&1 < "$1"; echo "$1 $v"; else echo "$1 (absent)"; fi; }
# meta <dir> <key> <file>: key=<first line of file> into the run's meta
meta() { local v=; IFS= read -r v < "$3" 2>/dev/null; echo "$2=$v" >> "$1/meta"; }

# carrier back (bounded: e1000/e1000e report it ~2 s after a reset, their watchdog period)
wait_carrier() {
  local n v
  for n in $(seq 150); do IFS= read -r v < "/sys/class/net/$1/carrier" 2>/dev/null && [ "$v" = 1 ] && return 0; sleep 0.1; done
  return 1
}

# the device's IRQs: MSI vectors of its PCI function (virtio: of the parent) or its legacy IRQ
irqs_of() {
  local d x
  d=$(readlink -f "/sys/class/net/$1/device" 2>/dev/null) || return
  for x in "$d" "$d/.."; do
    if [ -d "$x/msi_irqs" ]; then ls "$x/msi_irqs" | sort -n; return; fi
  done
  for x in "$d" "$d/.."; do
    if [ -r "$x/irq" ] && [ "$(value "$x/irq")" != 0 ]; then value "$x/irq"; return; fi
  done
}

# snap <if> <files>: ethtool's reads, queue files, IRQ affinities and the files the plan names
snap() {
  local i=$1 o f q
  # ethtool DEV: the MDI-X state the PHY resolved under "auto" is negotiated at each link-up, not
  # set by anyone (e1000 reports off before its first reset, on after): masked; the control is kept
  echo "== ethtool"; ethtool "$i" 2>&1 | sed -E 's/^(\s*MDI-X: )(on|off|Unknown)( \(auto\))$/\1(resolved)\3/'; echo "exit ${PIPESTATUS[0]}"
  for o in -g -l -c -a -k -x --show-fec; do echo "== ethtool $o"; ethtool $o "$i" 2>&1; echo "exit $?"; done
  for f in tcp4 udp4 tcp6 udp6; do echo "== ethtool -n rx-flow-hash $f"; ethtool -n "$i" rx-flow-hash $f 2>&1; echo "exit $?"; done
  for f in /sys/class/net/$i/queues/*/rps_cpus /sys/class/net/$i/queues/*/rps_flow_cnt /sys/class/net/$i/queues/*/xps_cpus; do
    [ -e "$f" ] && pv "$f"
  done
  for q in $IRQS; do pv /proc/irq/$q/smp_affinity_list; done
  while read -r f; do [ -n "$f" ] && pv "$f"; done < "$2"
}

has_table() { ethtool -x "$1" 2>/dev/null | grep -q 'indirection table'; }

# One ethkit for the whole check: profile commands in a batch answer as bin/ethkit does
# (docs/batch.md), without node's start-up each time.
coproc EK { exec bin/ethkit --json --batch - --force 2> "$T/batch.err"; }
EK_IN=${EK[1]} EK_OUT=${EK[0]}
# ek <record file> WORDS...: one command line through the batch, its JSON record into the file
ek() {
  local out=$1 rec; shift
  echo "$*" >&"$EK_IN" || { echo '{"exit":null,"error":"the batch is gone"}' > "$out"; return; }
  if IFS= read -r -t 600 rec <&"$EK_OUT"; then echo "$rec" > "$out"; else echo '{"exit":null,"error":"no answer from the batch"}' > "$out"; fi
}
# ekp <name> <dir> WORDS...: the same as a process of its own; exit code into meta
ekp() {
  local name=$1 d=$2; shift 2
  bin/ethkit "$@" > "$d/$name.json" 2> "$d/$name.err"
  echo "${name}_exit=$?" >> "$d/meta"
}

RUNS=()
# run_one <if> <driver> <label> <via> <profile> [--set K=V]...
run_one() {
  local i=$1 drv=$2 label=$3 via=$4 p=$5; shift 5
  local d=$T/$(printf %03d ${#RUNS[@]})-$i-${label//[^A-Za-z0-9=_-]/_} t0=$SECONDS carrier=
  mkdir -p "$d"; RUNS+=("$d")
  { echo "iface=$i"; echo "driver=$drv"; echo "label=$label"; echo "via=$via"; echo "ipvs=$([ -d /proc/sys/net/ipv4/vs ] && echo loaded || echo missing)"; } > "$d/meta"
  if [ "$via" = batch ]; then ek "$d/plan.rec" --plan "$p" "$i" "$@" --json; else ekp plan "$d" --plan "$p" "$i" "$@" --json; fi
  grep -o '"id": *"file:[^"]*"' "$d"/plan.* | sed 's/^.*"file://; s/"$//' | sort -u > "$d/files"
  snap "$i" "$d/files" > "$d/before"
  ethtool -n "$i" rx-flow-hash udp4 > "$d/fh-before" 2>&1
  if has_table "$i"; then sed -n '/^== ethtool -x$/,/^exit/p' "$d/before" > "$d/x-before"; fi
  meta "$d" changes0 /sys/class/net/$i/carrier_changes; meta "$d" downs0 /sys/class/net/$i/carrier_down_count
  if [ "$via" = batch ]; then ek "$d/apply.rec" --apply "$p" "$i" "$@" --yes --json; else ekp apply "$d" --apply "$p" "$i" "$@" --yes --json; fi
  wait_carrier "$i" || carrier=lost-after-apply,
  meta "$d" changes1 /sys/class/net/$i/carrier_changes; meta "$d" downs1 /sys/class/net/$i/carrier_down_count
  ethtool -n "$i" rx-flow-hash udp4 > "$d/fh-after" 2>&1
  # the sysctls the plan names, as the kernel holds them after the apply
  while IFS= read -r f; do case $f in /proc/sys/*) pv "$f" ;; esac; done < "$d/files" > "$d/sysctl-applied"
  [ -e "$d/x-before" ] && { ethtool -x "$i" > "$d/x-after" 2>&1; ethtool -l "$i" > "$d/l-after" 2>&1; }
  if [ "$via" = batch ]; then
    ek "$d/verify.rec" --verify "$p" "$i" "$@" --json
    ek "$d/rollback.rec" --rollback "$i" --yes --json
  else
    ekp verify "$d" --verify "$p" "$i" "$@" --json
    ekp rollback "$d" --rollback "$i" --yes --json
  fi
  wait_carrier "$i" || carrier=${carrier}lost-after-rollback,
  meta "$d" downs2 /sys/class/net/$i/carrier_down_count
  snap "$i" "$d/files" > "$d/after"
  local same=same
  diff "$d/before" "$d/after" > "$d/state.diff" || same=DIFFERENT
  { echo "state=$same"; carrier=${carrier%,}; echo "carrier=${carrier:-ok}"; } >> "$d/meta"
  if [ -e "$d/x-before" ]; then
    sed -n '/^== ethtool -x$/,/^exit/p' "$d/after" | cmp -s - "$d/x-before" && echo "rss_back=yes" >> "$d/meta" || echo "rss_back=NO" >> "$d/meta"
  fi
  echo "secs=$((SECONDS - t0))" >> "$d/meta"
  echo "RUN $i $drv $label via=$via state=$same secs=$((SECONDS - t0))"
}

echo "NICS $RIG_NICS"
echo "KERNEL $(uname -r) CPUS $(value /sys/devices/system/cpu/online) IPVS $([ -d /proc/sys/net/ipv4/vs ] && echo loaded || echo missing)"
[ -d /proc/sys/net/ipv4/vs ] || { echo "FAIL: ip_vs is not loaded (/proc/sys/net/ipv4/vs missing): run with --modules crc32c_generic,ip_vs"; fail=1; }
PROFILES=${PROFILES:-$(ls profiles/*.yaml | sed 's#.*/##; s#\.yaml$##')}
echo "PROFILE-SET $(echo $PROFILES)"
IFS_LIST=${PROFILE_IFS:-$(ls /sys/class/net | grep -v '^lo$')}
for i in $IFS_LIST; do
  drv=$(drv_of "$i")
  IRQS=$(irqs_of "$i" | tr '\n' ' ')
  # a table on queue 0 only, and udp4 on addresses only: the director must spread and widen them
  if has_table "$i"; then
    n=$(ethtool -x "$i" | sed -n 's/.* with \([0-9]*\) RX ring(s):/\1/p')
    if [ "${n:-0}" -ge 2 ]; then
      w="1"; for _ in $(seq 2 "$n"); do w="$w 0"; done
      ethtool -X "$i" weight $w; x=$?
      ethtool -N "$i" rx-flow-hash udp4 sd; u=$?
      echo "PRESET $i $drv weight=${w// /,} (exit $x) rx-flow-hash-udp4=sd (exit $u) table=$(ethtool -x "$i" | grep -E '^ *[0-9]+: ' | sed 's/^ *[0-9]*: //' | tr -s ' ' '\n' | grep . | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')"
      [ $x = 0 ] && [ $u = 0 ] || { echo "FAIL: $i: the RSS preset was refused"; fail=1; }
    fi
  fi
  for p in $PROFILES; do run_one "$i" "$drv" "$p" batch "$p"; done
  for spec in $PROFILE_EXTRA; do
    name=${spec%%@*}; drivers=${spec#*@}; p=${name%%:*}; sets=${name#*:}
    case ",$drivers," in *",$drv,"*) ;; *) continue ;; esac
    args=(); IFS=, read -ra kv <<< "$sets"; for x in "${kv[@]}"; do args+=(--set "$x"); done
    run_one "$i" "$drv" "$name" process "$p" "${args[@]}"
  done
done
eval "exec $EK_IN>&-"
wait "$EK_PID" 2>/dev/null
[ -s "$T/batch.err" ] && sed 's/^/BATCH-STDERR /' "$T/batch.err" | head -20
node dist/test/rig/profile-result.js "${RUNS[@]}" || fail=1

if [ -n "${RIG_IF_netdevsim:-}" ] && [ -f test/rig/profile-faults.sh ]; then
  echo "FAULTS running test/rig/profile-faults.sh on $RIG_IF_netdevsim"
  bash test/rig/profile-faults.sh || fail=1
fi
exit $fail
