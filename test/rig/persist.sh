#!/bin/bash
# Guest check of ethkit --persist: the real udevd of the host's root runs the installed rules;
# test/rig/udev-wants.js starts the units their SYSTEMD_WANTS name (the guest has no systemd).
#   rig/run --nics e1000,virtio-net -- bash test/rig/persist.sh [CYCLES]
# Persists test/fixtures/profiles/persist-check.yaml on netdevsim (bus match), e1000 (permanent
# address) and virtio_net (--match bus), then per driver CYCLES times: the device goes away and
# comes back (netdevsim del_device/new_device, e1000 PCI unbind/bind, virtio_net virtio
# unbind/bind), and its rings and GRO read back with ethtool must equal those after the first
# apply, under whatever name udev gives it. Then the coldplug (boot) path, --persist-status,
# --unpersist --all, and a last cycle that must not re-apply. Lines "CYCLE ..." and one
# "PERSIST-RESULT {json}" at the end for test/rig-persist.test.ts.
set -u
CYCLES=${1:-3}
export SYSTEMD_IGNORE_CHROOT=1   # udevadm refuses monitor/control/trigger in a chroot otherwise
fail=0
declare -A pass_n fail_n
say() { echo "[${SECONDS}s] $*"; }
bad() { say "FAIL: $*"; fail=1; }

# /etc of the host root is read-only here: a writable copy over it, so ethkit installs into
# the real /etc/udev/rules.d, /etc/systemd/system and /etc/ethkit.
cp -a /etc /run/etc && mount --bind /run/etc /etc || { say "FAIL: cannot make /etc writable"; exit 1; }
[ ! -e /etc/ethkit ] || { say "FAIL: /etc/ethkit exists before the test"; exit 1; }
find /etc -xdev | sort >/tmp/etc-before.txt

NSIM=${RIG_IF_netdevsim:-}; E1000=${RIG_IF_e1000:-}; VIRTIO=${RIG_IF_virtio_net:-}
for v in NSIM E1000 VIRTIO; do [ -n "${!v}" ] || { say "FAIL: no $v interface in $RIG_NICS"; exit 1; }; done
E1000_PCI=$(basename "$(readlink /sys/class/net/$E1000/device)")
VIRTIO_DEV=$(basename "$(readlink /sys/class/net/$VIRTIO/device)")
say "devices: netdevsim=$NSIM e1000=$E1000 ($E1000_PCI) virtio_net=$VIRTIO ($VIRTIO_DEV)"

PROFILE=test/fixtures/profiles/persist-check.yaml
STATE=/run/ekstate
ek() { bin/ethkit "$@"; }
# What ethtool reads of the settings the profile makes: ring current values and GRO.
reads() { { ethtool -g "$1" | sed -n '/^Current/,$p'; ethtool -k "$1" | grep '^generic-receive-offload'; } 2>&1; }

declare -A ID REF DEFAULT
persist() { # KEY DEV [--match bus]
  local key=$1 dev=$2; shift 2
  DEFAULT[$key]=$(reads "$dev")
  ls /etc/ethkit/persist/*.json >/tmp/specs-before 2>/dev/null
  echo "# ethkit --persist $PROFILE $dev --state-dir $STATE --now $*"
  ek --persist "$PROFILE" "$dev" --state-dir "$STATE" --now "$@"
  local rc=$?
  [ $rc = 0 ] || bad "$key: --persist --now exit $rc"
  ls /etc/ethkit/persist/*.json >/tmp/specs-after 2>/dev/null   # (no /dev/fd here for <(...))
  ID[$key]=$(comm -13 /tmp/specs-before /tmp/specs-after | head -1 | xargs -r basename -s .json)
  [ -n "${ID[$key]}" ] || bad "$key: no spec written"
  REF[$key]=$(reads "$dev")
  [ "${REF[$key]}" != "${DEFAULT[$key]}" ] || bad "$key: the profile changed nothing on $dev (a cycle would prove nothing)"
  say "persisted $key: $dev -> ${ID[$key]}"
}
persist netdevsim "$NSIM"
persist e1000 "$E1000"
persist virtio_net "$VIRTIO" --match bus
# Persisting again changes nothing (exit 2).
ek --persist "$PROFILE" "$E1000" --state-dir "$STATE" >/dev/null; rc=$?
[ $rc = 2 ] || bad "second --persist of $E1000: exit $rc, expected 2"

# The rules as udev reads them: each device gets its own unit, lo none.
for key in netdevsim e1000 virtio_net; do
  dev=$NSIM; [ $key = e1000 ] && dev=$E1000; [ $key = virtio_net ] && dev=$VIRTIO
  udevadm test --action=add "/sys/class/net/$dev" >/tmp/udevtest.txt 2>&1
  w=$(grep '^SYSTEMD_WANTS=' /tmp/udevtest.txt)
  # udev parsed the rule file without a complaint (it logs "Invalid ...", "ignoring" for bad keys).
  grep -q "Reading rules file: /etc/udev/rules.d/90-ethkit-${ID[$key]}.rules" /tmp/udevtest.txt || bad "udevadm test $dev: did not read the rule of ${ID[$key]}"
  ! grep "90-ethkit" /tmp/udevtest.txt | grep -qiE 'invalid|ignor|error|unknown' || bad "udevadm test $dev: $(grep 90-ethkit /tmp/udevtest.txt | grep -iE 'invalid|ignor|error|unknown' | head -2)"
  [ "$w" = "SYSTEMD_WANTS=ethkit-apply@${ID[$key]}.service" ] || bad "udevadm test $dev: '$w', expected ethkit-apply@${ID[$key]}.service"
done
# The same check sees a broken rule file.
echo 'ACTION=="add", SUBSYSTEM=="net", FROBNICATE=="x", TAG+="systemd"' >/etc/udev/rules.d/89-ethkit-broken.rules
udevadm test --action=add /sys/class/net/lo 2>&1 | grep '89-ethkit-broken' | grep -qiE 'invalid|ignor|error|unknown' || bad "udevadm test does not report a broken rule file"
rm /etc/udev/rules.d/89-ethkit-broken.rules
w=$(udevadm test --action=add /sys/class/net/lo 2>&1 | grep -c 'ethkit-apply')
[ "$w" = 0 ] || bad "udevadm test lo names ethkit-apply"
say "udevadm test: rules match their devices and only those"

/lib/systemd/systemd-udevd --daemon --resolve-names=never >/tmp/udevd.log 2>&1 || { say "FAIL: systemd-udevd does not start"; cat /tmp/udevd.log; exit 1; }
LOG=/tmp/wants.log; : >$LOG
node dist/test/rig/udev-wants.js $LOG /tmp/wants.ready &
for i in $(seq 100); do [ -e /tmp/wants.ready ] && break; sleep 0.1; done
[ -e /tmp/wants.ready ] || { say "FAIL: udevadm monitor does not start"; exit 1; }

starts() { grep "ethkit-apply@$1.service" $LOG | grep -c -E '"result":"(success|failed)"'; }
wait_start() { # ID COUNT: wait until the unit has been started COUNT times and finished
  for i in $(seq 900); do [ "$(starts "$1")" -ge "$2" ] && return 0; sleep 0.1; done; return 1
}
name_of() { # KEY: the interface's name now
  case $1 in
    netdevsim) ls /sys/bus/netdevsim/devices/netdevsim1/net/ 2>/dev/null | head -1 ;;
    e1000) ls "/sys/bus/pci/devices/$E1000_PCI/net/" 2>/dev/null | head -1 ;;
    virtio_net) ls "/sys/bus/virtio/devices/$VIRTIO_DEV/net/" 2>/dev/null | head -1 ;;
  esac
}
away_and_back() {
  case $1 in
    netdevsim) echo 1 >/sys/bus/netdevsim/del_device && echo "1 1 4" >/sys/bus/netdevsim/new_device ;;
    e1000) echo "$E1000_PCI" >/sys/bus/pci/drivers/e1000/unbind && echo "$E1000_PCI" >/sys/bus/pci/drivers/e1000/bind ;;
    virtio_net) echo "$VIRTIO_DEV" >/sys/bus/virtio/drivers/virtio_net/unbind && echo "$VIRTIO_DEV" >/sys/bus/virtio/drivers/virtio_net/bind ;;
  esac
}
check() { # KEY N WHAT: the settings read back after the unit ran
  local key=$1 n=$2 what=$3 id=${ID[$1]} dev res
  dev=$(name_of "$key")
  # The unit's record: "result": "applied", "device": "ens5" (one key a line).
  local rec=/run/ethkit/persist/$id.json
  res=$(sed -n 's/^  "result": "\(.*\)",$/\1/p' "$rec" 2>/dev/null)/$(sed -n 's/^  "device": "\(.*\)",$/\1/p' "$rec" 2>/dev/null)
  local now; now=$(reads "$dev")
  # The re-apply replaced the record of the instance that went away: one entry on the stack,
  # whose rollback gives the driver's defaults of this instance.
  local depth; depth=$(find "$STATE"/snapshots/*/"$dev" -type f 2>/dev/null | wc -l)
  if [ -n "$dev" ] && [ "$now" = "${REF[$key]}" ] && [ "${res%%/*}" = applied ] && [ "$depth" = 1 ]; then
    pass_n[$key]=$(( ${pass_n[$key]:-0} + 1 )); say "CYCLE driver=$key n=$n how=$what name=$dev run=$res depth=$depth PASS"
  else
    fail_n[$key]=$(( ${fail_n[$key]:-0} + 1 )); bad "CYCLE driver=$key n=$n how=$what name=$dev run=$res depth=$depth (snapshots on its stack, want 1): read back
$now
expected
${REF[$key]}
unit log: $(grep "$id" $LOG | tail -1)"
  fi
}

for n in $(seq "$CYCLES"); do
  for key in netdevsim e1000 virtio_net; do
    before=$(starts "${ID[$key]}")
    away_and_back $key || { bad "$key: cannot remove and re-add the device"; continue; }
    wait_start "${ID[$key]}" $((before + 1)) || bad "$key: the unit did not run within 90 s"
    check $key "$n" hotplug
  done
done

# Boot: the coldplug replays "add" for every device (systemd-udev-trigger). A drifted setting
# (GRO back on by hand) is made right again; the others are unchanged.
dev=$(name_of e1000)
ethtool -K "$dev" gro on
declare -A b
for key in netdevsim e1000 virtio_net; do b[$key]=$(starts "${ID[$key]}"); done
udevadm trigger --action=add --subsystem-match=net
coldplug=0
for key in netdevsim e1000 virtio_net; do
  if wait_start "${ID[$key]}" $((b[$key] + 1)); then coldplug=$((coldplug + 1)); else bad "coldplug: $key's unit did not run"; fi
done
[ "$(reads "$dev")" = "${REF[e1000]}" ] || bad "coldplug: e1000 GRO not restored"
say "coldplug: $coldplug of 3 units ran; e1000 restored"

ek --persist-status; st=$?
[ $st = 0 ] || bad "--persist-status exit $st, expected 0"
ek --persist-status --json >/tmp/status.json
verified=$(node -e 'const s=JSON.parse(require("fs").readFileSync("/tmp/status.json","utf8"));console.log(s.specs.filter(x=>x.verify&&x.verify.result==="ok").length)')
[ "$verified" = 3 ] || bad "--persist-status: $verified of 3 verified"
# Drift shows: exit 3.
ethtool -K "$dev" gro on
ek --persist-status >/dev/null; st=$?
[ $st = 3 ] || bad "--persist-status after a drift: exit $st, expected 3"

# Removal restores /etc exactly, and the next appearance re-applies nothing.
ek --unpersist --all >/dev/null; rc=$?
[ $rc = 0 ] || bad "--unpersist --all exit $rc"
find /etc -xdev | sort >/tmp/etc-after.txt
diff /tmp/etc-before.txt /tmp/etc-after.txt >/tmp/etc.diff || bad "/etc after --unpersist differs: $(head -5 /tmp/etc.diff)"
total=$(wc -l <$LOG)
away_and_back netdevsim
udevadm settle -t 30
sleep 2
[ "$(wc -l <$LOG)" = "$total" ] || bad "a unit ran after --unpersist: $(tail -1 $LOG)"
after=$(reads "$(name_of netdevsim)")
[ "$after" = "${DEFAULT[netdevsim]}" ] || bad "netdevsim after --unpersist: not the driver default"
say "unpersisted: /etc as before, no unit started on the next appearance"

failed_units=$(grep -c '"result":"failed"' $LOG)
cp $LOG "${RIG_OUT:-/tmp}/persist-units.jsonl" 2>/dev/null
node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").map(JSON.parse).filter(x=>x.unit);console.log("unit starts: "+l.length+", ms each: "+l.map(x=>x.ms).join(" "))' $LOG
node -e '
const [p, f, cyc, coldplug, failed] = process.argv.slice(1);
console.log("PERSIST-RESULT " + JSON.stringify({ cycles: Number(cyc), pass: JSON.parse(p), fail: JSON.parse(f), coldplug: Number(coldplug), failed_units: Number(failed), ok: '"$([ $fail = 0 ] && echo true || echo false)"' }));
' "{\"netdevsim\":${pass_n[netdevsim]:-0},\"e1000\":${pass_n[e1000]:-0},\"virtio_net\":${pass_n[virtio_net]:-0}}" \
  "{\"netdevsim\":${fail_n[netdevsim]:-0},\"e1000\":${fail_n[e1000]:-0},\"virtio_net\":${fail_n[virtio_net]:-0}}" "$CYCLES" "$coldplug" "$failed_units"
[ $fail = 0 ] && say "PASS: persistence" || say "FAIL: persistence"
exit $fail
