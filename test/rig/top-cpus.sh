set -x
dev=$(node -e 'const n=JSON.parse(process.env.RIG_NICS);console.log(Object.keys(n).find(k=>n[k]==="vmxnet3"))')
echo "dev=$dev nproc=$(nproc)"
grep -E "CPU|$dev" /proc/interrupts
ethtool -l $dev
ip addr add 192.0.2.1/24 dev $dev
(ping -b -f -c 3000 -s 1000 192.0.2.255 >/dev/null 2>&1 &)
node dist/src/tui/cli-entry.js --count 3 --json --interval 1 $dev > /tmp/top.jsonl 2>/tmp/top.err; echo "rc=$?"
cat /tmp/top.jsonl; echo "stderr:"; cat /tmp/top.err
node dist/src/tui/cli-entry.js --count 1 --interval 1 $dev
