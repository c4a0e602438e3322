#!/bin/bash
# Guest check of the transactional --apply on a real driver, netdevsim, with faults injected
# through its debugfs get_err/set_err (in Linux 6.1 they fail only the FEC get/set ops, with the
# errno written there). The profile (test/fixtures/profiles/faults.yaml) sets ring, coalesce,
# pause and then FEC, so a refused FEC set must undo the three before it. Run as:
#   rig/run --nics e1000 --no-link-wait -- bash test/rig/profile-faults.sh
# (any rig run with netdevsim: it uses $RIG_IF_netdevsim only). Prints one line per check,
#   FAULT <check> <details> ok|FAIL
# then PROFILE-FAULTS PASS|FAIL, and exits non-zero when a check failed. Self-contained: its state
# directory is under /tmp, and get_err/set_err are set back to 0 when it exits.
cd "$(dirname "$0")/../.." || exit 1
I=${RIG_IF_netdevsim:-}
D=/sys/kernel/debug/netdevsim/netdevsim1/ports/0/ethtool
PROF=test/fixtures/profiles/faults.yaml
T=$(mktemp -d /tmp/ek-profile-faults.XXXXXX)
export ETHKIT_STATE_DIR=$T/state
fail=0
ORIG=
# get_err/set_err back to 0, and ring, coalesce and pause as found (FEC stays as set: None, which
# netdevsim starts with, cannot be set)
cleanup() {
  [ -w "$D/get_err" ] && echo 0 > "$D/get_err"; [ -w "$D/set_err" ] && echo 0 > "$D/set_err"
  if [ -n "$ORIG" ]; then set -- $ORIG; ethtool -G "$I" rx "$1" tx "$2"; ethtool -C "$I" rx-usecs "$3" tx-usecs "$4"; ethtool -A "$I" rx "$5" tx "$6"; fi >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
ethkit() { bin/ethkit "$@"; }
# result <check> <0: passed> <details...>
result() { local name=$1 rc=$2; shift 2; if [ "$rc" = 0 ]; then echo "FAULT $name $* ok"; else echo "FAULT $name $* FAIL"; fail=1; fi; }
finish() { [ $fail = 0 ] && echo "PROFILE-FAULTS PASS" || echo "PROFILE-FAULTS FAIL"; exit $fail; }
# everything the profile touches (and the offloads), as ethtool reads it
snap() { for o in -g -c -a -l -k --show-fec; do echo "== ethtool $o"; ethtool $o "$I" 2>&1; done; }
# the same without FEC (while its get is made to fail)
snap_nofec() { for o in -g -c -a -l -k; do echo "== ethtool $o"; ethtool $o "$I" 2>&1; done; }
# the snapshot entries left in the state directory
entries() { find "$ETHKIT_STATE_DIR" -name '*.json' 2>/dev/null | wc -l; }
# js <file> <expression of j>: a value from a JSON output
js() { node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const r = (s) => (j.rows || []).find(x => x.setting === s) || {}; console.log(eval(process.argv[2]))' "$1" "$2" 2>/dev/null || echo nojson; }
# current values: ring rx tx, coalesce rx-usecs tx-usecs, pause rx tx
values() {
  echo "$(ethtool -g "$I" | awk '/^Current/{c=1} c && /^(RX|TX):/{printf "%s ", $2}')$(ethtool -c "$I" | awk '/^(rx|tx)-usecs:/{printf "%s ", $2}')$(ethtool -a "$I" | awk '/^(RX|TX):/{printf "%s ", $2}')" | sed 's/ $//'
}
configured() { ethtool --show-fec "$I" 2>&1 | sed -n 's/^Supported\/Configured FEC encodings: *//p'; }
active() { ethtool --show-fec "$I" 2>&1 | sed -n 's/^Active FEC encoding: *//p'; }

# ---- 0. the device and its fault knobs --------------------------------------------------------
ok=0
{ [ -n "$I" ] && [ -e "/sys/class/net/$I" ] && [ -w "$D/set_err" ] && [ -w "$D/get_err" ]; } || ok=1
result setup $ok "if=${I:-none} driver=$(basename "$(readlink "/sys/class/net/$I/device/driver" 2>/dev/null)" 2>/dev/null) knobs=$D"
[ $ok = 0 ] || finish
echo 0 > "$D/get_err"; echo 0 > "$D/set_err"

# ---- 1. FEC reported as None (netdevsim's own start) cannot be set back: skipped --------------
cur=$(configured)
if [ "$cur" = None ]; then
  ethkit --plan "$PROF" "$I" --json > $T/none.json 2>$T/none.err; pc=$?
  act=$(js $T/none.json 'r("fec encoding").action'); why=$(js $T/none.json 'r("fec encoding").reason')
  [ "$pc" = 0 ] && [ "$act" = skip ] && [[ "$why" == *"reports no FEC configuration (none)"* ]]
  result none-skipped $? "plan=$pc fec=$act reason=\"$why\""
else
  echo "FAULT none-skipped n/a (FEC configured here is \"$cur\", not None)"
fi
# The state the checks below start from, whatever ran before: every setting of the profile
# different from its target, and a FEC configuration a rollback can set back.
ORIG=$(values)
ethtool -G "$I" rx 256 tx 256 2>/dev/null; ethtool -C "$I" rx-usecs 0 tx-usecs 0 2>/dev/null; ethtool -A "$I" rx off tx off 2>/dev/null
ethtool --set-fec "$I" encoding off
base=$(values)
[ "$base" = "256 256 0 0 off off" ] && [ "$(configured)/$(active)" = Off/Off ]
result baseline $? "found=[$ORIG] now=[$base] fec=$(configured)/$(active)"
snap > $T/before
snap_nofec > $T/before-nofec

# ---- 2. set_err=EIO: the FEC set is refused; ring, coalesce and pause are undone --------------
echo 5 > "$D/set_err"
ethkit --apply "$PROF" "$I" --yes > $T/apply1.out 2>&1; ac=$?
line=$(grep '^failed: ' $T/apply1.out)
n=$(grep -c '^failed: ' $T/apply1.out)
snap > $T/after1
same=same; diff -q $T/before $T/after1 >/dev/null || same=DIFFERENT
left=$(entries)
[ "$ac" = 4 ] && [ "$n" = 1 ] && [[ "$line" == *"set FEC settings"*"(EIO)"* ]] && [ $same = same ] && [ "$left" = 0 ]
result set-err-apply $? "apply=$ac error=\"$line\" state=$same snapshots=$left"
[ $same = same ] || diff $T/before $T/after1 | head -20
[ "$ac" = 4 ] || cat $T/apply1.out
ethkit --apply "$PROF" "$I" --yes --json > $T/apply2.json 2>$T/apply2.err; ac2=$?
steps=$(js $T/apply2.json '(j.steps || []).map(s => s.kind + ":" + s.status).join(",")')
snap > $T/after2
same2=same; diff -q $T/before $T/after2 >/dev/null || same2=DIFFERENT
[ "$ac2" = 4 ] && [ "$steps" = "ring:undone,coalesce:undone,pause:undone,fec:failed" ] && [ $same2 = same ] && [ "$(entries)" = 0 ]
result set-err-steps $? "apply=$ac2 steps=$steps state=$same2"
ethkit --rollback "$I" --yes > $T/rb0.out 2>&1; rc0=$?
[ "$rc0" = 1 ] && grep -q 'no snapshot to roll back to' $T/rb0.out
result set-err-no-record $? "rollback=$rc0 ($(head -1 $T/rb0.out))"
echo 0 > "$D/set_err"

# ---- 3. get_err=EIO: FEC cannot be read; skipped by the plan, or the plan fails when required --
echo 5 > "$D/get_err"
ethkit --plan "$PROF" "$I" --json > $T/plan.json 2>$T/plan.err; pc=$?
act=$(js $T/plan.json 'r("fec encoding").action'); why=$(js $T/plan.json 'r("fec encoding").reason')
ring=$(js $T/plan.json 'r("ring rx").action')
[ "$pc" = 0 ] && [ "$act" = skip ] && [[ "$why" == *"get FEC settings"*"(EIO)"* ]] && [ "$ring" = set ]
result get-err-plan $? "plan=$pc fec=$act reason=\"$why\" ring_rx=$ring"
sed 's/^  encoding: \$fec .*/  encoding: {value: $fec, required: true}   # the rig'"'"'s required variant/' $PROF > $T/required.yaml
ethkit --plan $T/required.yaml "$I" > $T/req-plan.out 2>&1; rp=$?
ethkit --apply $T/required.yaml "$I" --yes > $T/req-apply.out 2>&1; ra=$?
snap_nofec > $T/after3
same3=same; diff -q $T/before-nofec $T/after3 >/dev/null || same3=DIFFERENT
msg=$(cat $T/req-apply.out)
[ "$rp" = 1 ] && [ "$ra" = 1 ] && [ "$(wc -l < $T/req-apply.out)" = 1 ] && [[ "$msg" == *"fec.encoding: required, but $I cannot have it: fec encoding: "*"(EIO)" ]] && [ $same3 = same ] && [ "$(entries)" = 0 ]
result get-err-required $? "plan=$rp apply=$ra error=\"$msg\" state=$same3"
echo 0 > "$D/get_err"
snap > $T/after3b
same3b=same; diff -q $T/before $T/after3b >/dev/null || same3b=DIFFERENT
[ $same3b = same ]
result get-err-unchanged $? "state=$same3b"

# ---- 4. no fault: apply, verify, FEC read back as set, rollback to the state before ------------
ethkit --apply "$PROF" "$I" --yes --json > $T/apply.json 2>$T/apply.err; ac=$?
lr=$(js $T/apply.json 'j.link_resets')
ethkit --verify "$PROF" "$I" > $T/verify.out 2>&1; vc=$?
fec=$(configured)/$(active)
rx=$(ethtool -g "$I" | awk '/^Current/{c=1} c && /^RX:/{print $2; exit}')
usecs=$(ethtool -c "$I" | awk '/^rx-usecs:/{print $2}')
pause=$(ethtool -a "$I" | awk '/^RX:/{print $2}')
[ "$ac" = 0 ] && [ "$vc" = 0 ] && [ "$fec" = RS/RS ] && [ "$rx" = 512 ] && [ "$usecs" = 50 ] && [ "$pause" = on ] && [ "$lr" = 3 ]
result apply $? "apply=$ac verify=$vc link_resets=$lr fec=$fec ring_rx=$rx rx_usecs=$usecs pause_rx=$pause"
[ "$ac" = 0 ] || cat $T/apply.err
ethtool --set-fec "$I" encoding baser
ethkit --verify "$PROF" "$I" --json > $T/drift.json 2>&1; dc=$?
drift=$(js $T/drift.json '(j.drift || []).map(d => d.setting.replace(/ /g, "_") + "=" + d.current).join(",")')
ethtool --set-fec "$I" encoding rs
[ "$dc" = 3 ] && [ "$drift" = fec_encoding=baser ]
result verify-drift $? "verify=$dc drift=[$drift]"
ethkit --rollback "$I" --yes > $T/rb.out 2>&1; rc=$?
snap > $T/after4
same4=same; diff -q $T/before $T/after4 >/dev/null || same4=DIFFERENT
[ "$rc" = 0 ] && [ $same4 = same ] && [ "$(entries)" = 0 ] && [ "$(configured)" = Off ]
result rollback $? "rollback=$rc fec=$(configured)/$(active) state=$same4 snapshots=$(entries)"
[ $same4 = same ] || diff $T/before $T/after4 | head -20

finish
