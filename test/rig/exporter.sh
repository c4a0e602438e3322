#!/bin/bash
# Guest check of ethkit --exporter on real drivers: vmxnet3's per-queue blocks fold into one
# metric per counter with a queue label for each of its queues (node_exporter keeps one series per
# repeated name, the last queue's); every series Debian's node_exporter --collector.ethtool serves, ethkit
# --no-fold-queues serves too; no source fails; after `--apply latency` the device is in sync
# (drift 0) and a queue IRQ moved by hand is drift.
#   rig/run --smp 2 --nics vmxnet3,e1000e --no-nsim -- bash test/rig/exporter.sh
set -e
nic() { node -e 'const n=JSON.parse(process.env.RIG_NICS);console.log(Object.keys(n).find(k=>n[k]==="'$1'"))'; }
vmx=$(nic vmxnet3); e1k=$(nic e1000e)
export ETHKIT_STATE_DIR=/tmp/ekstate
scrape() { node dist/src/app/main.js --exporter --textfile - "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

queues=$(ethtool -l "$vmx" | awk '/^Combined:/ {n=$2} END {print n}')
[ "$queues" -ge 2 ] || fail "vmxnet3 has $queues queues (run with --smp 2)"
scrape "$vmx" "$e1k" > /tmp/ek.prom
n=$(grep -c "^ethkit_queue_transmitted_tso_pkts{device=\"$vmx\"" /tmp/ek.prom || true)
[ "$n" = "$queues" ] || fail "ethkit_queue_transmitted_tso_pkts: $n series for $queues queues"
grep -q "^ethkit_scrape_error{.*} 1" /tmp/ek.prom && fail "a source failed: $(grep '^ethkit_scrape_error{.*} 1' /tmp/ek.prom)"
grep -q "^node_ethtool_received_packets_total{device=\"$e1k\"}" /tmp/ek.prom || fail "e1000e rx_packets"
echo "vmxnet3: $(grep -c "^ethkit_queue_.*device=\"$vmx\"" /tmp/ek.prom) per-queue series over $queues queues; e1000e: $(grep -c "^node_ethtool_.*device=\"$e1k\"" /tmp/ek.prom) node_ethtool series"

prometheus-node-exporter --collector.disable-defaults --collector.ethtool --web.listen-address=127.0.0.1:9100 >/tmp/ne.log 2>&1 &
ne=$!
trap 'kill $ne 2>/dev/null || true' EXIT
for i in $(seq 100); do node -e 'fetch("http://127.0.0.1:9100/metrics").then(r=>r.text()).then(t=>{require("fs").writeFileSync("/tmp/ne.prom",t)},()=>process.exit(1))' && break; sleep 0.1; done
scrape --no-fold-queues --no-profile-drift "$vmx" "$e1k" > /tmp/flat.prom
node -e '
const fs = require("fs");
const rows = f => fs.readFileSync(f, "utf8").split("\n").filter(l => /^node_(ethtool|network)_/.test(l))
  .map(l => l.replace(/ \S+$/, "")).map(k => k.replace(/\{(.*)\}/, (_, b) => "{" + b.split(/,(?=[a-z_]+=)/).sort().join(",") + "}"));
const devs = process.argv.slice(1);
const ne = rows("/tmp/ne.prom").filter(k => devs.some(d => k.includes(`device="${d}"`)));
const ek = new Set(rows("/tmp/flat.prom"));
const missing = ne.filter(k => !ek.has(k));
console.log(`node_exporter: ${ne.length} series for ${devs.join(" ")}; missing from ethkit: ${missing.length}`);
if (ne.length < 20 || missing.length) { console.log(missing.slice(0, 20).join("\n")); process.exit(1); }
' "$vmx" "$e1k"

bin/ethkit --apply latency "$vmx" --yes > /tmp/apply.txt 2>&1 || { cat /tmp/apply.txt; exit 1; }
d0=$(scrape "$vmx" | awk -v d="$vmx" '$1 ~ "^ethkit_profile_drift\\{device=\""d"\"" {print $2}')
[ "$d0" = 0 ] || fail "drift right after --apply: '$d0'"
irq=$(grep -E "$vmx-(rxtx|tx|rx)-0|$vmx-rxtx-0" /proc/interrupts | awk -F: '{print $1+0; exit}')
[ -n "$irq" ] || irq=$(grep "$vmx" /proc/interrupts | awk -F: '{print $1+0; exit}')
cur=$(cat /proc/irq/$irq/smp_affinity_list)
other=$([ "$cur" = 0 ] && echo 1 || echo 0)
echo "$other" > /proc/irq/$irq/smp_affinity_list
d1=$(scrape "$vmx" | awk -v d="$vmx" '$1 ~ "^ethkit_profile_drift\\{device=\""d"\"" {print $2}')
[ "${d1:-0}" -ge 1 ] || fail "drift after moving IRQ $irq from CPU $cur to $other: '$d1'"
echo "drift: $d0 after --apply latency, $d1 after moving IRQ $irq to CPU $other"
echo "PASS: exporter on vmxnet3 and e1000e"
