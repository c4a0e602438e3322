#!/bin/bash
# Inside the rig guest: `-m` on every interface, ethkit against ethtool byte for byte on both
# paths (plain, hex on, page 1). Prints one line per check and a summary; exit 1 on a mismatch.
#   rig/run --nics all -- test/rig/module-eeprom.sh
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
ok=0 bad=0
for dev in $(ls /sys/class/net | grep -v '^lo$'); do
  drv=$(basename "$(readlink /sys/class/net/$dev/device/driver 2>/dev/null)" 2>/dev/null)
  for path in netlink ioctl; do
    pre=""; [ $path = ioctl ] && pre="LD_PRELOAD=$PWD/native/build/nonetlink.so"
    for args in "" "hex on" "page 1"; do
      env $pre ethtool -m $dev $args >$tmp/a.out 2>$tmp/a.err; ea=$?
      env $pre bin/ethkit -m $dev $args >$tmp/b.out 2>$tmp/b.err; eb=$?
      if [ $ea = $eb ] && cmp -s $tmp/a.out $tmp/b.out && cmp -s $tmp/a.err $tmp/b.err; then
        ok=$((ok + 1)); r=same
      else
        bad=$((bad + 1)); r=DIFF
      fi
      echo "$r $dev ${drv:-?} $path -m $args: exit $ea/$eb $(head -1 $tmp/a.err)"
    done
  done
done
rm -rf "$tmp"
echo "module-eeprom: $ok same, $bad different"
[ $bad = 0 ]
