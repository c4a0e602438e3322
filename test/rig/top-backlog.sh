#!/bin/bash
# Guest check of the CPU panel's backlog drops: with net.core.netdev_max_backlog=2 (a guest-only
# global setting) a UDP flood from CPU 0 over a veth pair whose receiving end steers to CPU 1
# (RPS: veth hands packets to the backlog of the CPU RPS picks) makes CPU 1's softnet_stat
# dropped column move; --top's CPU rows must show it.
#   rig/run --smp 2 --nics vmxnet3 --no-nsim --modules veth -- bash test/rig/top-backlog.sh
set -e
modprobe veth 2>/dev/null || true
ip netns add bl1; ip netns add bl2
trap 'ip netns del bl1; ip netns del bl2; sysctl -qw net.core.netdev_max_backlog=$old' EXIT
old=$(sysctl -n net.core.netdev_max_backlog)
ip link add blA netns bl1 type veth peer name blB netns bl2
ip -n bl1 addr add 10.77.0.1/24 dev blA; ip -n bl2 addr add 10.77.0.2/24 dev blB
ip -n bl1 link set blA up; ip -n bl2 link set blB up
sysctl -qw net.core.netdev_max_backlog=2
ip netns exec bl2 sh -c 'echo 2 > /sys/class/net/blB/queues/rx-0/rps_cpus'
ip netns exec bl1 taskset -c 0 node -e '
const s = require("dgram").createSocket("udp4"); const b = Buffer.alloc(64);
(function burst() { for (let i = 0; i < 400; i++) s.send(b, 9, "10.77.0.2"); setImmediate(burst); })();
setTimeout(() => process.exit(0), 6000);' &
ip netns exec bl2 taskset -c 1 node dist/src/tui/cli-entry.js --count 3 --json --interval 1 blB > /tmp/bl.jsonl 2> /tmp/bl.err
wait
[ -s /tmp/bl.err ] && { echo "stderr not empty:"; cat /tmp/bl.err; exit 1; }
grep . /proc/net/softnet_stat
node -e '
const s = require("fs").readFileSync("/tmp/bl.jsonl", "utf8").trim().split("\n").map(JSON.parse);
const drops = s.flatMap(x => x.cpus.map(c => c.dropped_ps));
console.log("dropped/s per CPU per sample:", JSON.stringify(s.map(x => x.cpus.map(c => c.dropped_ps))));
if (!drops.some(d => d > 0)) { console.log("FAIL: no backlog drops shown"); process.exit(1); }
console.log("PASS: backlog drops shown, max " + Math.max(...drops) + "/s");
'
