#!/bin/bash
# Guest check: the queue IRQs a profile places hold against Debian's real irqbalance, with the
# profile's `irqbalance: ban` and `stop`; without either (the control) irqbalance moves them.
# Booted by test/rig-irqbalance.test.ts:
#   rig/run --smp 2 --no-nsim --nics vmxnet3,virtio-net -- bash test/rig/irqbalance.sh
#
# Why the control is deterministic: irqbalance runs with IRQBALANCE_BANNED_CPULIST=0, so every
# IRQ it places lands on CPU 1, and the profile puts the queue IRQs on CPU 0. irqbalance places
# every IRQ it manages when it starts and at every rescan (SIGHUP forces one: it rebuilds its tree
# and places all IRQs again, writing each whose mask differs). So:
#   - before the apply, irqbalance has put every queue IRQ on CPU 1 (it manages them: checked);
#   - control (irqbalance: ignore): after a rescan every queue IRQ is back on CPU 1 (0 held);
#   - ban / stop: after several rescans with traffic, every queue IRQ is still on CPU 0;
#   - after the rollback irqbalance runs (stop: started again with the same environment, so it
#     keeps off CPU 0), the ban is lifted, and a rescan brings every queue IRQ back to CPU 1.
# The director (irqbalance: ban by default) is run the same way on virtio_net.
# Prints one line per check and exits non-zero when one fails:
#   IRQB <if> <driver> <mode> irqs=<n> managed=<k>/<n> held=<k>/<n> moved=<list> ...
#   IRQB-ROLLBACK <if> <driver> <mode> rollback=<rc> irqbalance=running|stopped managed=<k>/<n> banned=[...]
cd "$(dirname "$0")/../.."
export ETHKIT_STATE_DIR=/tmp/ek-irqb
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ethkit() { bin/ethkit "$@"; }
command -v irqbalance >/dev/null || { echo "FAIL: irqbalance is not installed (scripts/bootstrap installs it)"; echo "IRQBALANCE-RIG FAIL"; exit 1; }
echo "NICS $RIG_NICS"
echo "KERNEL $(uname -r) CPUS $(cat /sys/devices/system/cpu/online) IRQBALANCE $(dpkg-query -W -f '${Version}' irqbalance 2>/dev/null)"
[ "$(cat /sys/devices/system/cpu/online)" = 0-1 ] || bad "needs 2 vCPUs (rig/run --smp 2)"
mkdir -p /run/irqbalance

irqb_pid() { pgrep -x irqbalance | head -1; }
start_irqb() {
  IRQBALANCE_BANNED_CPULIST=0 irqbalance --foreground --interval 1 > /tmp/irqbalance.log 2>&1 &
  local pid=$! _
  for _ in $(seq 50); do [ -S /run/irqbalance/irqbalance$pid.sock ] && return 0; sleep 0.2; done
  bad "irqbalance did not come up: $(tail -3 /tmp/irqbalance.log)"
}
stop_irqb() { pkill -x irqbalance; for _ in $(seq 50); do pgrep -x irqbalance >/dev/null || return 0; sleep 0.1; done; pkill -9 -x irqbalance; }
# irqbalance's answer to `setup` (it lists the banned IRQs), or "-" when it does not run
setup_of() {
  local p; p=$(irqb_pid); [ -n "$p" ] || { echo -; return; }
  node -e '
    const s = require("net").connect(process.argv[1]); let o = "";
    s.on("connect", () => s.write("setup")); s.on("data", d => o += d); s.on("close", () => console.log(o.trim()));
    s.on("error", e => console.log("no socket: " + e.code));' "/run/irqbalance/irqbalance$p.sock"
}
# the IRQs banned in a setup answer ("... IRQ 30 LOAD 0 DIFF 0 CLASS 5 ..." lists them), 30,31
banned_in() { echo "$1" | grep -oE 'IRQ [0-9]+' | awk '{print $2}' | sort -n | paste -sd, -; }
# the queue IRQs the profile tunes on <if> (from its plan), one per line
irqs_of() {
  ethkit --plan /tmp/irqhold.yaml "$1" --json 2>/dev/null | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of j.rows || []) { const m = /^file:\/proc\/irq\/(\d+)\//.exec(r.id); if (m) console.log(m[1]); }'
}
# on <cpulist>: "K/N moved=q:cpus,..." over $IRQS
count_on() {
  local k=0 n=0 moved= q a
  for q in $IRQS; do n=$((n + 1)); a=$(cat /proc/irq/$q/smp_affinity_list); [ "$a" = "$1" ] && k=$((k + 1)) || moved="$moved$q:$a,"; done
  echo "$k/$n ${moved:-none}"
}
all_on() { local c; c=$(count_on "$1"); c=${c%% *}; [ "${c%/*}" = "${c#*/}" ]; }
# wait up to <s> seconds for every IRQ of $IRQS on <cpulist>; with "hup", a SIGHUP (a rescan)
# each 2 s (never before an apply: a rescan still pending would race it)
wait_all_on() {
  local cpu=$1 s=$2 hup=$3 t
  for t in $(seq $((s * 2))); do all_on "$cpu" && return 0; [ "$hup" = hup ] && [ $((t % 4)) = 0 ] && pkill -HUP -x irqbalance; sleep 0.5; done
  all_on "$cpu"
}
# <n> rescans with traffic on <if>, 2 s apart (irqbalance --interval 1: a rescan plus cycles each)
rescans() {
  local i=$1 n=$2 k
  ip addr add 192.0.2.1/24 dev "$i" 2>/dev/null
  (ping -b -f -c 4000 -s 1000 -I "$i" 192.0.2.255 >/dev/null 2>&1 &)
  for k in $(seq "$n"); do pkill -HUP -x irqbalance; sleep 2; done
  ip addr del 192.0.2.1/24 dev "$i" 2>/dev/null
}

# queues only (no channel change, which vmxnet3 refuses): every queue IRQ on the CPUs named
cat > /tmp/irqhold.yaml <<'EOF'
name: irqhold
description: queue IRQs on the CPUs named, kept there against irqbalance
params:
  cpus: {type: string, default: local}
  irqbalance: {type: enum, values: [ban, stop, ignore], default: ban}
queues:
  cpus: $cpus   # the CPUs that serve the queues
  irq-affinity: spread   # queue n on CPU n of the set
  irqbalance: $irqbalance   # what to do about irqbalance
EOF

for i in $(ls /sys/class/net | grep -v '^lo$'); do
  drv=$(basename "$(readlink /sys/class/net/$i/device/driver 2>/dev/null)" 2>/dev/null)
  case $drv in vmxnet3|virtio_net) ;; *) continue ;; esac
  IRQS=$(irqs_of "$i" | tr '\n' ' ')
  [ -n "$IRQS" ] || { bad "$i ($drv): the profile tunes no queue IRQ"; continue; }
  # and the director itself (its default irqbalance: ban) on virtio_net, whose channel count it
  # changes to the one CPU named (vmxnet3 refuses a channel change)
  modes="control ban stop"; [ "$drv" = virtio_net ] && modes="$modes director"
  for mode in $modes; do
    # every queue IRQ on both CPUs, then irqbalance: its first placement (which takes a cycle
    # after its socket is up) puts each on CPU 1 (its only CPU), so it is seen to be done, and
    # that this irqbalance manages these IRQs
    for q in $IRQS; do echo 0-1 > /proc/irq/$q/smp_affinity_list; done
    start_irqb
    wait_all_on 1 15; m=$(count_on 1)
    sleep 1.5   # irqbalance's cycle that placed them is over
    [ "${m%% *}" = "$(echo $IRQS | wc -w)/$(echo $IRQS | wc -w)" ] || bad "$i $mode: irqbalance did not place the queue IRQs on CPU 1 before the apply: ${m#* } ($(tail -2 /tmp/irqbalance.log))"
    case $mode in
      control) ethkit --apply /tmp/irqhold.yaml "$i" --set cpus=0 --set irqbalance=ignore --yes ;;
      director) ethkit --apply director "$i" --set cpus=0 --yes ;;
      *) ethkit --apply /tmp/irqhold.yaml "$i" --set cpus=0 --set irqbalance=$mode --yes ;;
    esac > /tmp/irqb-apply 2>&1; ac=$?
    [ $ac = 0 ] || { bad "$i $mode: apply exit $ac"; cat /tmp/irqb-apply; }
    grep -i irqbalance /tmp/irqb-apply
    on0=$(count_on 0)
    setup=$(setup_of); banned=$(banned_in "$setup")
    if [ $mode = control ]; then
      wait_all_on 1 20 hup   # the first rescan writes them back
    else
      rescans "$i" 5
    fi
    h=$(count_on 0)
    echo "IRQB $i $drv $mode irqs=$(echo $IRQS | wc -w) managed=${m%% *} after_apply_on0=${on0%% *} held=${h%% *} moved=${h#* } irqbalance_running=$(pgrep -x irqbalance >/dev/null && echo yes || echo no) banned=[$banned]"
    n=$(echo $IRQS | wc -w)
    case $mode in
      control) [ "${h%% *}" = "0/$n" ] || bad "$i control: irqbalance left ${h%% *} IRQs on CPU 0 after rescans" ;;
      ban|director) [ "${h%% *}" = "$n/$n" ] || bad "$i ban: the placement did not hold: ${h#* }"
           [ "$banned" = "$(echo $IRQS | tr ' ' '\n' | sort -n | paste -sd, -)" ] || bad "$i ban: irqbalance bans [$banned], not the queue IRQs [$IRQS]" ;;
      stop) [ "${h%% *}" = "$n/$n" ] || bad "$i stop: the placement did not hold: ${h#* }"
            pgrep -x irqbalance >/dev/null && bad "$i stop: irqbalance still runs" ;;
    esac
    ethkit --rollback "$i" --yes > /tmp/irqb-rb 2>&1; rc=$?
    grep -i irqbalance /tmp/irqb-rb
    run=$(pgrep -x irqbalance >/dev/null && echo running || echo stopped)
    setup=$(setup_of); banned=$(banned_in "$setup")
    # irqbalance again in charge: a rescan puts them all back on CPU 1 (stop: proves it was
    # started with its environment again, IRQBALANCE_BANNED_CPULIST=0)
    wait_all_on 1 20 hup; m=$(count_on 1)
    echo "IRQB-ROLLBACK $i $drv $mode rollback=$rc irqbalance=$run managed=${m%% *} banned=[$banned]"
    # the control's apply is undone as well (irqbalance had already put them back: nothing to do, 2)
    [ $rc = 0 ] || { [ $mode = control ] && [ $rc = 2 ]; } || { bad "$i $mode: rollback exit $rc"; cat /tmp/irqb-rb; }
    [ $run = running ] || bad "$i $mode: irqbalance not running after the rollback"
    [ -z "$banned" ] || bad "$i $mode: IRQs still banned after the rollback: [$banned]"
    [ "${m%% *}" = "$n/$n" ] || bad "$i $mode: after the rollback irqbalance did not take the IRQs back: ${m#* }"
    stop_irqb
  done
done
[ $fail = 0 ] && echo "IRQBALANCE-RIG PASS" || echo "IRQBALANCE-RIG FAIL"
exit $fail
