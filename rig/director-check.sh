#!/bin/bash
# plan/apply/verify/rollback of each shipped profile on each rig NIC; state before/after compared.
cd "$(dirname "$0")/.."
SD=/tmp/ek-state
snap() {
  local i=$1
  for o in -g -l -c -a -k; do echo "== ethtool $o"; ethtool $o $i 2>&1; done
  for f in /sys/class/net/$i/queues/*/rps_cpus /sys/class/net/$i/queues/*/xps_cpus; do [ -e $f ] && echo "$f $(cat $f 2>&1)"; done
  for q in $(grep -E " $i(-|$)" /proc/interrupts | awk -F: '{print $1}'); do echo "irq $q $(cat /proc/irq/$q/smp_affinity_list)"; done
  sysctl -a 2>/dev/null | grep -E "^net\.(ipv4\.(conf\.(all|$i)\.|ip_forward|vs\.)|core\.netdev_max_backlog)"
}
echo "NICS $RIG_NICS"
for i in $(ls /sys/class/net | grep -v lo); do
  drv=$(basename $(readlink /sys/class/net/$i/device/driver 2>/dev/null) 2>/dev/null)
  for p in director realserver latency; do
    snap $i > /tmp/before
    c0=$(cat /sys/class/net/$i/carrier_changes)
    bin/ethkit --plan $p $i --state-dir $SD > /tmp/plan 2>&1; pc=$?
    bin/ethkit --apply $p $i --yes --json --state-dir $SD > /tmp/apply.json 2>&1; ac=$?
    sleep 3
    c1=$(cat /sys/class/net/$i/carrier_changes)
    bin/ethkit --verify $p $i --state-dir $SD > /tmp/verify 2>&1; vc=$?
    bin/ethkit --rollback $i --yes --state-dir $SD > /tmp/rb 2>&1; rc=$?
    sleep 3
    snap $i > /tmp/after
    if diff -q /tmp/before /tmp/after >/dev/null; then same=same; else same=DIFFERENT; fi
    lr=$(node -e 'try{const j=JSON.parse(require("fs").readFileSync("/tmp/apply.json","utf8"));console.log(j.link_resets, j.result, JSON.stringify((j.steps||[]).filter(s=>s.refused||s.status!="done").map(s=>[s.step,s.status,s.refused,s.error])))}catch(e){console.log("nojson")}')
    echo "RESULT $i $drv $p plan=$pc apply=$ac verify=$vc rollback=$rc carrier_changes=$((c1-c0)) planned=[$lr] state=$same"
    grep -E "to set|skipped" /tmp/plan | tail -1
    grep -E "skip" /tmp/plan | grep -i coalesce
    [ $vc != 0 ] && head -5 /tmp/verify
    [ $same != same ] && diff /tmp/before /tmp/after | head -10
    [ $rc != 0 ] && head -3 /tmp/rb
  done
done
