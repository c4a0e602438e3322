#!/bin/bash
# Guest check: an LVS director forwarding real traffic after `ethkit --apply director`. On the
# rig's one hub (all emulated NICs hear each other, nothing else): the client and two real
# servers each in a network namespace with their own NIC, the director in the initial
# namespace with ip_vs. Booted by test/rig-lvs.test.ts:
#   rig/run --smp 2 --modules crc32c_generic,ip_vs --no-nsim --nics vmxnet3,e1000,e1000e,virtio-net -- bash test/rig/lvs.sh
# Addresses are the documentation ranges (RFC 5737), only on the hub:
#   NAT: VIP 203.0.113.100:80 on the director (client side 203.0.113.0/24), real servers
#        198.51.100.2/.3:8000 whose default route is the director (198.51.100.1)
#   DR:  VIP 192.0.2.100:80 on the director and on the real servers' lo (realserver profile:
#        arp_ignore/arp_announce), real servers 192.0.2.2/.3 on the client's subnet
# Prints: LVS <service> sent=N answered=N rs1=N rs2=N, then LVS-RIG PASS|FAIL.
cd "$(dirname "$0")/../.."
export ETHKIT_STATE_DIR=/tmp/ek-lvs
N=${LVS_REQUESTS:-20}
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ifof() { node -e 'const n = JSON.parse(process.env.RIG_NICS); console.log(Object.keys(n).find(k => n[k] === process.argv[1]) || "")' "$1"; }
DIR=$(ifof vmxnet3) CLI=$(ifof e1000) RS1=$(ifof e1000e) RS2=$(ifof virtio_net)
[ -n "$DIR" ] && [ -n "$CLI" ] && [ -n "$RS1" ] && [ -n "$RS2" ] || { bad "need vmxnet3, e1000, e1000e and virtio_net NICs: $RIG_NICS"; exit 1; }
command -v ipvsadm >/dev/null || { bad "ipvsadm is not installed (scripts/bootstrap installs it)"; exit 1; }
echo "director $DIR (vmxnet3), client $CLI (e1000), rs1 $RS1 (e1000e), rs2 $RS2 (virtio_net)"

# ---- namespaces and addresses --------------------------------------------------------------
for ns in client rs1 rs2; do ip netns add $ns; ip -n $ns link set lo up; done
ip link set "$CLI" netns client; ip link set "$RS1" netns rs1; ip link set "$RS2" netns rs2
ip -n client link set "$CLI" up
ip -n client addr add 203.0.113.10/24 dev "$CLI"
ip -n client addr add 192.0.2.10/24 dev "$CLI"
i=2
for rs in rs1 rs2; do
  dev=$([ $rs = rs1 ] && echo "$RS1" || echo "$RS2")
  ip -n $rs link set "$dev" up
  ip -n $rs addr add 198.51.100.$i/24 dev "$dev"
  ip -n $rs addr add 192.0.2.$i/24 dev "$dev"
  ip -n $rs route add default via 198.51.100.1
  # DR: the VIP on lo, never answered for in ARP (the realserver profile's arp_ignore/arp_announce)
  ip -n $rs addr add 192.0.2.100/32 dev lo
  i=$((i + 1))
done
ip addr add 203.0.113.1/24 dev "$DIR"
ip addr add 203.0.113.100/24 dev "$DIR"
ip addr add 198.51.100.1/24 dev "$DIR"
ip addr add 192.0.2.1/24 dev "$DIR"
ip addr add 192.0.2.100/24 dev "$DIR"

# ---- ethkit: director on the director's NIC, realserver (DR) on each real server's ----------
bin/ethkit --apply director "$DIR" --set mode=nat --yes > /tmp/lvs-apply 2>&1; ac=$?
echo "apply director on $DIR: exit $ac"; tail -1 /tmp/lvs-apply
[ $ac = 0 ] || { bad "director apply exit $ac"; cat /tmp/lvs-apply; }
for rs in rs1 rs2; do
  dev=$([ $rs = rs1 ] && echo "$RS1" || echo "$RS2")
  ip netns exec $rs bin/ethkit --apply realserver "$dev" --set mode=dr --yes --state-dir /tmp/ek-$rs > /tmp/lvs-rs 2>&1; rc=$?
  echo "apply realserver on $rs $dev: exit $rc"; tail -1 /tmp/lvs-rs
  [ $rc = 0 ] || { bad "realserver apply on $rs exit $rc"; cat /tmp/lvs-rs; }
  [ "$(ip netns exec $rs cat /proc/sys/net/ipv4/conf/all/arp_ignore)" = 1 ] || bad "$rs: arp_ignore not 1"
done

# ---- the services ---------------------------------------------------------------------------
ipvsadm -C
ipvsadm -A -t 203.0.113.100:80 -s rr
ipvsadm -a -t 203.0.113.100:80 -r 198.51.100.2:8000 -m
ipvsadm -a -t 203.0.113.100:80 -r 198.51.100.3:8000 -m
ipvsadm -A -t 192.0.2.100:80 -s rr
ipvsadm -a -t 192.0.2.100:80 -r 192.0.2.2:80 -g
ipvsadm -a -t 192.0.2.100:80 -r 192.0.2.3:80 -g
ipvsadm -L -n

# ---- real servers: each answers its name, on :8000 (NAT) and :80 (DR) ------------------------
for rs in rs1 rs2; do
  ip netns exec $rs node -e '
    const http = require("http");
    for (const port of [80, 8000]) http.createServer((q, s) => s.end(process.argv[1])).listen(port, "0.0.0.0");' $rs > /tmp/lvs-$rs.log 2>&1 &
done
for rs in rs1 rs2; do
  for _ in $(seq 100); do ip netns exec $rs ss -ltn | grep -q ':8000 ' && break; sleep 0.2; done
done

# ---- the client: N requests per service, a new connection each, counted per real server ------
ip netns exec client node -e '
  const http = require("http");
  const n = Number(process.argv[1]);
  const get = (host) => new Promise(res => {
    const q = http.get({ host, port: 80, path: "/", agent: false, timeout: 5000 }, r => { let b = ""; r.on("data", d => b += d); r.on("end", () => res(b)); });
    q.on("timeout", () => { q.destroy(); res(null); });
    q.on("error", () => res(null));
  });
  (async () => {
    for (const [name, vip] of [["nat", "203.0.113.100"], ["dr", "192.0.2.100"]]) {
      const c = { rs1: 0, rs2: 0, other: 0 }; let answered = 0;
      for (let i = 0; i < n; i++) { const b = await get(vip); if (b === null) continue; answered++; if (b in c) c[b]++; else c.other++; }
      console.log(`LVS ${name} sent=${n} answered=${answered} rs1=${c.rs1} rs2=${c.rs2} other=${c.other}`);
    }
  })();' "$N" | tee /tmp/lvs-client
ipvsadm -L -n --stats | tee /tmp/lvs-stats
# DR replies go from the real servers straight to the client: the director sees none of them
# (OutPkts 0); NAT replies all come back through it
dro=$(awk '$1 == "TCP" && $2 == "192.0.2.100:80" { print $5 }' /tmp/lvs-stats)
nato=$(awk '$1 == "TCP" && $2 == "203.0.113.100:80" { print $5 }' /tmp/lvs-stats)
echo "LVS-PATH dr_outpkts=$dro nat_outpkts=$nato"
[ "$dro" = 0 ] && [ "${nato:-0}" -gt 0 ] || bad "reply paths: DR OutPkts $dro (want 0), NAT OutPkts $nato (want > 0)"
for svc in nat dr; do
  l=$(grep "^LVS $svc " /tmp/lvs-client)
  [ -n "$l" ] || { bad "$svc: no result"; continue; }
  eval "$(echo "$l" | cut -d' ' -f3- | tr ' ' '\n' | sed 's/^/v_/')"
  [ "$v_answered" = "$N" ] && [ "$v_rs1" -ge 1 ] && [ "$v_rs2" -ge 1 ] || bad "$svc: $l"
done

# ---- rollback -------------------------------------------------------------------------------
ipvsadm -C
bin/ethkit --rollback "$DIR" --yes > /tmp/lvs-rb 2>&1 || { bad "director rollback"; cat /tmp/lvs-rb; }
for rs in rs1 rs2; do
  dev=$([ $rs = rs1 ] && echo "$RS1" || echo "$RS2")
  ip netns exec $rs bin/ethkit --rollback "$dev" --yes --state-dir /tmp/ek-$rs > /tmp/lvs-rs 2>&1 || { bad "$rs rollback"; cat /tmp/lvs-rs; }
done
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ] || bad "ip_forward not back to 0 after the rollback"
[ $fail = 0 ] && echo "LVS-RIG PASS" || echo "LVS-RIG FAIL"
exit $fail
