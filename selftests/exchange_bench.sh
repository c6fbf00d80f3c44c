#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# "make bench": the exchange guard's throughput as a ratio to a plain cp of the same data in
# the same boot - one 256 MiB file, then 1,000 small files - the guard in its domain under
# enforce, taking, checking (type by content and a deny pattern) and delivering.
set -e
BIG_MB=256
SMALL=1000
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { echo "$2 $1" | awk '{ printf "%.2f", $1 - $2 }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }

bulkhead mode off > /dev/null
mkdir -p /sys/fs/cgroup/bl /sys/fs/cgroup/bh /sys/fs/cgroup/bg /srv/bl/out /srv/bl/src \
	/srv/bh/in /srv/bh/copy /srv/bg/state
cat > /tmp/bench-exchange.bh <<EOF
domain bl { cgroup /bl path /srv/bl }
domain bh { cgroup /bh path /srv/bh }
domain bg { cgroup /bg path /srv/bg }
flow host -> bl { file exec }
flow host -> bh { file exec }
flow host -> bg { file exec }
exchange bench from bl to bh via bg {
	outbox /srv/bl/out
	inbox /srv/bh/in
	type text/			# libmagic calls some lines text/csv
	deny-pattern "NEVER-SEEN-IN-THE-DATA"
}
EOF
bulkhead policy apply /tmp/bench-exchange.bh > /dev/null
# Text, so that the type check passes; each MiB the same line repeated.
yes "bulkhead exchange benchmark line of text, sixty-four bytes long." | head -c $((BIG_MB << 20)) \
	> /srv/bl/src/big.txt
i=0
while [ $i -lt $SMALL ]; do
	echo "small file $i" > /srv/bl/src/s$i.txt
	i=$((i + 1))
done
guard() {
	bulkhead guard run --exchange bench --state-dir /srv/bg/state --once > /dev/null
}

# cp of the same data, host to host, then the same file through the guard.
t0=$(now); cp /srv/bl/src/big.txt /srv/bh/copy/; sync; t1=$(now)
rm -f /srv/bh/copy/big.txt
cp_big=$(elapsed "$t0" "$t1")
bulkhead mode enforce > /dev/null
bulkhead exec bl -- bulkhead send /srv/bl/out /srv/bl/src/big.txt > /dev/null
t0=$(now); guard; t1=$(now)
guard_big=$(elapsed "$t0" "$t1")
bulkhead mode off > /dev/null
[ -s /srv/bh/in/big.txt ]
# For reference: one SHA-256 pass over the same file, a pass the guard cannot skip - the
# record holds the content's hash - by busybox and by OpenSSL (Python's hashlib, the code the
# guard uses).
t0=$(now); sha256sum /srv/bl/src/big.txt > /dev/null; t1=$(now)
sha_big=$(elapsed "$t0" "$t1")
t0=$(now)
python3 -c 'import hashlib, sys
h = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)' /srv/bl/src/big.txt
t1=$(now)
openssl_big=$(elapsed "$t0" "$t1")
rm -f /srv/bh/in/big.txt /srv/bl/src/big.txt

t0=$(now); cp /srv/bl/src/s*.txt /srv/bh/copy/; sync; t1=$(now)
cp_small=$(elapsed "$t0" "$t1")
bulkhead mode enforce > /dev/null
bulkhead exec bl -- sh -c 'bulkhead -q send /srv/bl/out /srv/bl/src/s*.txt'
t0=$(now); guard; t1=$(now)
guard_small=$(elapsed "$t0" "$t1")
bulkhead mode off > /dev/null
[ "$(ls /srv/bh/in | wc -l)" = $SMALL ]

echo "exchange guard throughput, as a ratio to cp of the same data (1.00 = as fast as cp):"
echo "  one ${BIG_MB} MiB file:  cp ${cp_big} s, guard ${guard_big} s: $(ratio "$cp_big" "$guard_big")"
echo "  ${SMALL} small files:   cp ${cp_small} s, guard ${guard_small} s: $(ratio "$cp_small" "$guard_small")"
echo "  for reference, SHA-256 of the ${BIG_MB} MiB file: busybox ${sha_big} s, OpenSSL ${openssl_big} s"
rm -rf /srv/bl /srv/bh /srv/bg
