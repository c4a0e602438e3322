#!/bin/bash
# Guest check: after `ethkit --apply latency DEV` (irq-affinity: spread), the --top queue IRQs
# carry the profile's CPU lists and match; after moving one IRQ by hand, that one does not.
#   rig/run --smp 2 --nics vmxnet3 --no-nsim -- bash test/rig/top-profile.sh
set -e
dev=$(node -e 'const n=JSON.parse(process.env.RIG_NICS);console.log(Object.keys(n).find(k=>n[k]==="vmxnet3"))')
export ETHKIT_STATE_DIR=/tmp/ekstate
bin/ethkit --apply latency "$dev" --yes > /tmp/apply.txt 2>&1 || { cat /tmp/apply.txt; exit 1; }
grep -i irq /tmp/apply.txt || true
ip addr replace 192.0.2.1/24 dev "$dev"
(ping -b -f -c 4000 -s 1000 192.0.2.255 >/dev/null 2>&1 &)
node dist/src/tui/cli-entry.js --count 2 --json --interval 1 "$dev" | tail -1 > /tmp/a.json
node -e 'const d=JSON.parse(require("fs").readFileSync("/tmp/a.json","utf8")).devices[0]; console.log("after apply:", JSON.stringify(d.irqs)); if (d.irqs.length < 2 || !d.irqs.every(q => q.profile_cpus !== null && q.matches_profile === true)) { console.log("FAIL: every queue IRQ matches the applied profile"); process.exit(1); }'
irq=$(node -e 'const d=JSON.parse(require("fs").readFileSync("/tmp/a.json","utf8")).devices[0]; console.log(d.irqs[0].irq)')
cur=$(cat /proc/irq/$irq/smp_affinity_list)
other=$([ "$cur" = 0 ] && echo 1 || echo 0)
echo "$other" > /proc/irq/$irq/smp_affinity_list
node dist/src/tui/cli-entry.js --count 6 --json --interval 1 "$dev" | tail -1 > /tmp/b.json
node -e 'const d=JSON.parse(require("fs").readFileSync("/tmp/b.json","utf8")).devices[0]; console.log("after moving IRQ '$irq' to CPU '$other':", JSON.stringify(d.irqs)); const q=d.irqs.find(x => x.irq === '$irq'); if (!q || q.matches_profile !== false || q.cpu !== '$other') { console.log("FAIL: the moved IRQ must not match"); process.exit(1); } console.log("PASS: profile match and mismatch");'
