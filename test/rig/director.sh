#!/bin/bash
# Guest check of the director profile on real drivers, with ip_vs loaded, then against Debian's
# real irqbalance (started here with a 1 s interval). Booted by test/rig-director.test.ts:
#   rig/run --smp 2 --modules crc32c_generic,ip_vs --nics vmxnet3,virtio-net,e1000e -- bash test/rig/director.sh
# Prints one line per result:
#   PROFILE <if> <driver> plan=.. apply=.. verify=.. rollback=.. link_resets=N carrier_changes=N state=same|DIFFERENT vs=ok|...
#   IRQB <if> <driver> <mode> irqs=<n> held=<k>/<n> moved=<list>   (mode: ban, stop, control)
#   IRQB-ROLLBACK <if> <mode> ...
# and exits non-zero when a check fails (the host test reads the lines as well).
cd "$(dirname "$0")/../.."
export ETHKIT_STATE_DIR=/tmp/ek-director
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ethkit() { bin/ethkit "$@"; }

snap() {
  local i=$1
  for o in -g -l -c -a -k; do echo "== ethtool $o"; ethtool $o "$i" 2>&1; done
  for f in /sys/class/net/$i/queues/*/rps_cpus /sys/class/net/$i/queues/*/xps_cpus; do [ -e "$f" ] && echo "$f $(cat "$f" 2>&1)"; done
  for q in $(irqs_of "$i"); do echo "irq $q $(cat /proc/irq/$q/smp_affinity_list)"; done
  sysctl -a 2>/dev/null | grep -E "^net\.(ipv4\.(conf\.(all|$i)\.|ip_forward|vs\.)|core\.(netdev_max_backlog|flow_limit_cpu_bitmap))"
}
# the queue IRQs ethkit tunes (from its plan), one per line
irqs_of() {
  ethkit --plan director "$1" --json 2>/dev/null | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of j.rows || []) { const m = /^file:\/proc\/irq\/(\d+)\//.exec(r.id); if (m) console.log(m[1]); }'
}
sysv() { cat "/proc/sys/${1//.//}" 2>/dev/null | tr -s ' \t' ' '; }

[ -d /proc/sys/net/ipv4/vs ] || bad "ip_vs is not loaded (/proc/sys/net/ipv4/vs missing): run with --modules crc32c_generic,ip_vs"
echo "NICS $RIG_NICS"
echo "KERNEL $(uname -r) CPUS $(cat /sys/devices/system/cpu/online)"

# ---- 1. plan/apply/verify/rollback per driver, IPVS sysctls applied for real -----------------
# PARTS: which parts run (default both; "irqbalance" alone when trying that part)
PARTS=${PARTS:-profiles irqbalance}
for i in $(case " $PARTS " in *" profiles "*) ls /sys/class/net | grep -v '^lo$';; esac); do
  drv=$(basename "$(readlink /sys/class/net/$i/device/driver 2>/dev/null)" 2>/dev/null)
  snap "$i" > /tmp/before
  c0=$(cat /sys/class/net/$i/carrier_changes)
  ethkit --plan director "$i" --set mode=nat > /tmp/plan 2>&1; pc=$?
  ethkit --apply director "$i" --set mode=nat --yes --json > /tmp/apply.json 2>/tmp/apply.err; ac=$?
  sleep 3
  c1=$(cat /sys/class/net/$i/carrier_changes)
  # the IPVS and forwarding keys, as the kernel holds them now
  want="net.ipv4.vs.conntrack=0 net.ipv4.vs.expire_nodest_conn=1 net.ipv4.vs.expire_quiescent_template=1 net.ipv4.vs.snat_reroute=0 net.ipv4.vs.backup_only=0 net.ipv4.vs.amemthresh=1024 net.ipv4.vs.drop_entry=1 net.ipv4.vs.secure_tcp=1 net.core.netdev_max_backlog=32768 net.ipv4.ip_forward=1"
  vs=ok
  for kv in $want; do k=${kv%%=*}; v=${kv#*=}; got=$(sysv "$k"); [ "$got" = "$v" ] || vs="$vs $k=$got(want $v)"; done
  fl=$(sysv net.core.flow_limit_cpu_bitmap); [ "$((16#${fl:-0}))" = 3 ] || vs="$vs flow_limit_cpu_bitmap=$fl(want 3)"
  est=$(grep -c est_cpulist /tmp/plan)
  ethkit --verify director "$i" --set mode=nat --json > /tmp/verify 2>&1; vc=$?
  drift=$(node -e 'try { const j = JSON.parse(require("fs").readFileSync("/tmp/verify", "utf8")); console.log((j.drift || []).map(d => d.setting.replace(/ /g, "_")).join(",")) } catch { console.log("nojson") }')
  ethkit --rollback "$i" --yes > /tmp/rb 2>&1; rc=$?
  sleep 3
  snap "$i" > /tmp/after
  if diff -q /tmp/before /tmp/after >/dev/null; then same=same; else same=DIFFERENT; fi
  lr=$(node -e 'try { const j = JSON.parse(require("fs").readFileSync("/tmp/apply.json", "utf8")); console.log(j.link_resets) } catch { console.log("nojson") }')
  echo "PROFILE $i $drv plan=$pc apply=$ac verify=$vc rollback=$rc link_resets=$lr carrier_changes=$((c1 - c0)) state=$same vs=${vs// /,} est_cpulist_rows=$est drift=[$drift]"
  grep -E "to set|skipped" /tmp/plan | tail -1
  grep -E "est_cpulist|flow_limit|irqbalance" /tmp/plan
  # e1000e under qemu takes pause rx off, then turns it on again when the link comes back up
  # (flow control negotiated by the PHY): a drift --verify reports, known and allowed here only.
  [ "$vc" = 3 ] && [ "$drv" = e1000e ] && [ "$drift" = pause_rx ] && vc_ok=1 || vc_ok=0
  [ "$pc" = 0 ] && [ "$ac" = 0 ] && { [ "$vc" = 0 ] || [ $vc_ok = 1 ]; } && [ "$rc" = 0 ] && [ "$same" = same ] && [ "$vs" = ok ] || {
    bad "$i ($drv): director plan/apply/verify/rollback"
    cat /tmp/apply.err; head -20 /tmp/verify; head -5 /tmp/rb; diff /tmp/before /tmp/after | head -20
  }
done

# ---- 2. irqbalance: the placement holds over its cycles with ban and stop; without, it moves --
case " $PARTS " in *" irqbalance "*) ;; *) [ $fail = 0 ] && echo "DIRECTOR-RIG PASS" || echo "DIRECTOR-RIG FAIL"; exit $fail;; esac
command -v irqbalance >/dev/null || { bad "irqbalance is not installed (scripts/bootstrap installs it)"; exit 1; }
mkdir -p /run/irqbalance
IRQB_PID=
start_irqb() {
  irqbalance --foreground --interval 1 > /tmp/irqbalance.log 2>&1 &
  IRQB_PID=$!
  for _ in $(seq 50); do [ -S /run/irqbalance/irqbalance$IRQB_PID.sock ] && break; sleep 0.2; done
  [ -S /run/irqbalance/irqbalance$IRQB_PID.sock ] || bad "irqbalance did not come up: $(tail -3 /tmp/irqbalance.log)"
  sleep 3   # its first placement
}
stop_irqb() { pkill -x irqbalance; for _ in $(seq 50); do pgrep -x irqbalance >/dev/null || break; sleep 0.1; done; }
# cycles of irqbalance with load and rescans (SIGHUP: irqbalance re-reads the IRQs and places
# every one again), then which of the tuned IRQs are not where ethkit put them
# exercise <iface> <cpu> <until-moved>: up to 8 rescans 1.5 s apart; the control stops at the
# first IRQ irqbalance moved (how soon it does varies), ban and stop get all 8
moved_any() { for q in $IRQS; do [ "$(cat /proc/irq/$q/smp_affinity_list)" = "$1" ] || return 0; done; return 1; }
exercise() {
  local i=$1 n
  ip addr add 192.0.2.1/24 dev "$i" 2>/dev/null
  (ping -b -f -c 6000 -s 1000 -I "$i" 192.0.2.255 >/dev/null 2>&1 &)
  for n in 1 2 3 4 5 6 7 8; do sleep 1.5; pkill -HUP -x irqbalance; [ "$3" = 1 ] && moved_any "$2" && break; done
  sleep 3
  ip addr del 192.0.2.1/24 dev "$i" 2>/dev/null
}
held() {   # held <iface> <want-cpulist>: prints "held=K/N moved=..."
  local k=0 n=0 moved=
  for q in $IRQS; do n=$((n + 1)); a=$(cat /proc/irq/$q/smp_affinity_list); [ "$a" = "$2" ] && k=$((k + 1)) || moved="$moved$q:$a,"; done
  echo "held=$k/$n moved=${moved:-none}"
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
  # two multi-vector drivers are enough to show it (each mode boots irqbalance anew: ~1 min per driver)
  case $drv in vmxnet3|virtio_net) ;; *) continue ;; esac
  [ -n "$(irqs_of "$i")" ] || { echo "IRQB $i $drv none irqs=0 (no queue IRQs: skipped)"; continue; }
  # every tuned IRQ on CPU 1 (cpus=1): irqbalance, left alone, spreads them over both CPUs
  for mode in control ban stop; do
    start_irqb
    pre=$(for q in $(irqs_of "$i"); do echo -n "$q:$(cat /proc/irq/$q/smp_affinity_list) "; done)
    # the CPU irqbalance did not choose for the first IRQ: ethkit's placement differs from its own
    first=$(cat /proc/irq/$(irqs_of "$i" | head -1)/smp_affinity_list)
    if [ "$first" = 0 ]; then cpu=1; else cpu=0; fi
    if [ $mode = control ]; then setm=ignore; else setm=$mode; fi
    ethkit --apply /tmp/irqhold.yaml "$i" --set cpus=$cpu --set irqbalance=$setm --yes > /tmp/irqb-apply 2>&1; ac=$?
    # the control may find irqbalance has just put them there itself (2: nothing to change)
    [ $ac = 0 ] || { [ $mode = control ] && [ $ac = 2 ]; } || { bad "$i $mode: apply exit $ac"; cat /tmp/irqb-apply; }
    # the queue IRQs after the apply (a channel change may have made new ones)
    IRQS=$(irqs_of "$i" | tr '\n' ' ')
    set -- $IRQS; nirq=$#
    grep irqbalance /tmp/irqb-apply
    banned=$(node -e '
      const net = require("net"); const s = net.connect("/run/irqbalance/irqbalance'$IRQB_PID'.sock");
      let o = ""; s.on("connect", () => s.write("setup")); s.on("data", d => o += d); s.on("close", () => console.log(o)); s.on("error", e => console.log("no socket: " + e.code));')
    exercise "$i" $cpu $([ $mode = control ] && echo 1 || echo 0)
    h=$(held "$i" $cpu)
    echo "IRQB $i $drv $mode irqs=$nirq before_apply=[${pre% }] placed_on=$cpu $h irqbalance_running=$(pgrep -x irqbalance >/dev/null && echo yes || echo no) setup=[$banned]"
    ethkit --rollback "$i" --yes > /tmp/irqb-rb 2>&1; rc=$?
    after=$(pgrep -x irqbalance >/dev/null && echo running || echo stopped)
    bans=$(node -e '
      const net = require("net"); const p = require("child_process").execSync("pgrep -x irqbalance || true").toString().trim();
      if (!p) { console.log("-"); process.exit(0); }
      const s = net.connect("/run/irqbalance/irqbalance" + p + ".sock");
      let o = ""; s.on("connect", () => s.write("setup")); s.on("data", d => o += d); s.on("close", () => console.log(o)); s.on("error", e => console.log("no socket: " + e.code));')
    echo "IRQB-ROLLBACK $i $mode rollback=$rc irqbalance=$after setup=[$bans]"
    grep irqbalance /tmp/irqb-rb
    # the control: irqbalance may have put the IRQs back where they were, leaving nothing to
    # restore (2), or the apply had nothing to do and left no snapshot (1)
    [ $rc = 0 ] || [ $mode = control ] || { bad "$i $mode: rollback exit $rc"; cat /tmp/irqb-rb; }
    [ $after = running ] || bad "$i $mode: irqbalance not running after the rollback"
    stop_irqb
  done
done
[ $fail = 0 ] && echo "DIRECTOR-RIG PASS" || echo "DIRECTOR-RIG FAIL"
exit $fail
