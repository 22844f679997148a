#!/bin/sh
# Optional (as root on Debian 12): install what bench/peer-compare.sh needs
# beyond tools/setup.sh — ns-3 (libns3-dev) and a C++ compiler for the peer
# program, and GNU time for peak RSS.  CI never runs this: ns-3 is only for
# the side-by-side benchmark (bench/README.md).  Packages already installed
# are left as they are (--no-upgrade).
set -eu
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade \
	libns3-dev g++ pkg-config time >/dev/null
echo "setup-peers: libns3-dev g++ pkg-config time installed"
