#!/bin/bash
# Guest check of --top's link events on a real driver: the NIC is taken down and up by hand
# between two samples; the events come from RTNLGRP_LINK with their own times.
#   rig/run --smp 2 --nics vmxnet3 --no-nsim -- bash test/rig/top-link.sh
set -e
dev=$(node -e 'const n=JSON.parse(process.env.RIG_NICS);const d=Object.keys(n).find(k=>n[k]==="vmxnet3"||n[k]==="virtio_net");if(!d)process.exit(1);console.log(d)')
node dist/src/tui/cli-entry.js --count 3 --json --interval 2 "$dev" > /tmp/link.jsonl 2> /tmp/link.err &
pid=$!
while [ ! -s /tmp/link.jsonl ]; do sleep 0.1; done
sleep 0.5
ip link set "$dev" down
sleep 0.2
ip link set "$dev" up
wait $pid
[ -s /tmp/link.err ] && { echo "stderr not empty:"; cat /tmp/link.err; exit 1; }
node -e '
const s = require("fs").readFileSync("/tmp/link.jsonl", "utf8").trim().split("\n").map(JSON.parse);
const ev = s.flatMap(x => x.events).filter(e => e.source === "link");
console.log("events:", JSON.stringify(ev));
const down = ev.findIndex(e => /^link down \(up → down\)$/.test(e.text));
if (down < 0) { console.log("FAIL: no link-down event"); process.exit(1); }
if (!ev.slice(down + 1).some(e => /^link (up|unknown|lowerlayerdown|dormant) /.test(e.text))) { console.log("FAIL: no event after the link came back"); process.exit(1); }
console.log("PASS: " + ev.length + " link events from notifications on " + process.argv[1]);
' "$dev"
