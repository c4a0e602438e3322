#!/bin/bash
# Guest check of the --top CPU panel on a multi-queue driver with 2 vCPUs:
#   rig/run --smp 2 --nics vmxnet3 --no-nsim -- bash test/rig/top-cpus.sh
# Broadcast pings make the queue IRQs fire; three JSON samples must list 2 CPUs and the
# device's queue IRQs, each with the CPU that served it; the text output is printed too.
set -e
dev=$(node -e 'const n=JSON.parse(process.env.RIG_NICS);const d=Object.keys(n).find(k=>n[k]==="vmxnet3"||n[k]==="virtio_net");if(!d)process.exit(1);console.log(d)')
echo "dev=$dev driver=$(basename "$(readlink /sys/class/net/$dev/device/driver)") cpus=$(nproc)"
grep -E "CPU|$dev|virtio" /proc/interrupts
ip addr replace 192.0.2.1/24 dev "$dev"
(ping -b -f -c 4000 -s 1000 192.0.2.255 >/dev/null 2>&1 &)
node dist/src/tui/cli-entry.js --count 3 --json --interval 1 "$dev" > /tmp/top.jsonl 2> /tmp/top.err
[ -s /tmp/top.err ] && { echo "stderr not empty:"; cat /tmp/top.err; exit 1; }
node -e '
const lines = require("fs").readFileSync("/tmp/top.jsonl", "utf8").trim().split("\n").map(JSON.parse);
const last = lines[lines.length - 1];
const d = last.devices[0];
console.log("cpus:", JSON.stringify(last.cpus));
console.log("irqs:", JSON.stringify(d.irqs));
if (last.cpus.length !== 2) { console.log("FAIL: expected 2 CPUs"); process.exit(1); }
if (d.irqs.length < 2) { console.log("FAIL: expected at least 2 queue IRQs"); process.exit(1); }
if (!d.irqs.every(q => q.cpu === 0 || q.cpu === 1)) { console.log("FAIL: a queue IRQ without its CPU"); process.exit(1); }
if (!lines.some(l => l.devices[0].irqs.some(q => q.rate > 0))) { console.log("FAIL: no queue IRQ rate moved"); process.exit(1); }
if (!lines.some(l => l.cpus.some(c => c.net_rx_ps > 0 || c.net_tx_ps > 0))) { console.log("FAIL: no softirq rate moved"); process.exit(1); }
console.log("PASS: 2 CPUs, " + d.irqs.length + " queue IRQs on CPUs " + d.irqs.map(q => q.irq + "->" + q.cpu).join(" "));
'
node dist/src/tui/cli-entry.js --count 1 --interval 1 "$dev"
