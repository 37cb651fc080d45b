#!/bin/sh
# /init of the hibernate-cycle initramfs (busybox).
# First boot: swap on, keep a marker in RAM, hibernate (the kernel reboots
# after writing the image; QEMU exits because of -no-reboot).
# Second boot (resume=/dev/vda): the kernel restores the image and this
# script continues after the "echo disk" line, in the same process, so the
# marker in RAM and in the shell variable must both still be there.
#
# With amdgpu_kunit.sim_vf=1 (mainline), the kernel has two simulated VFs
# (tests/amdgpu_sim_vf.c in the series) that the restore moves to other
# VFs: amdgpu-sim-vf.0 from node 1 to node 3 of its hive, which the stack
# adopts, amdgpu-sim-vf.1 to a VF with 1 GiB more VRAM, which it refuses.
# After the restore this script checks, from userspace, the wedged uevent,
# the devices' state in debugfs and the kernel's log lines, with values
# worked out by hand from the register images (see sim_vf_expect below).
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

if [ -e /tmp/marker ]; then
	echo "HIBERNATE: FAIL: /init started twice in one boot"
	reboot -f
fi
MARKER="m$(cat /proc/sys/kernel/random/uuid)"
echo "$MARKER" >/tmp/marker
echo "HIBERNATE: marker $MARKER"

SIM=/sys/kernel/debug/amdgpu_sim_vf
UEVENTS=/tmp/uevents
# wait_for TRIES CMD...: run CMD once a second until it succeeds
wait_for() {
	n=$1
	shift
	until "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 1
	done
}
if [ -d "$SIM" ]; then
	# Log every uevent; a synthetic one on the first card shows the
	# listener is up before the system hibernates. A kernel without
	# netlink (CONFIG_NET) sends none to userspace.
	UEVENT_OK=0
	if [ -e /proc/net/netlink ]; then
		# shellcheck disable=SC2016 # expanded by the sh that uevent starts
		uevent sh -c 'echo "$ACTION $DEVPATH WEDGED=$WEDGED" >>/tmp/uevents' &
		for card in /sys/devices/platform/amdgpu-sim-vf.0/drm/card*; do break; done
		if wait_for 30 sh -c "echo change >$card/uevent; grep -q '^change ' $UEVENTS"; then
			UEVENT_OK=1
		else
			echo "HIBERNATE: FAIL: sim-vf: no uevent listener"
		fi
	else
		echo "HIBERNATE: sim-vf: no netlink in this kernel: uevents not checked"
	fi
	for f in "$SIM"/*; do
		sed "s|^|HIBERNATE: sim-vf: before: ${f##*/} |" "$f"
	done
fi

if ! mkswap /dev/vda >/dev/null 2>&1 || ! swapon /dev/vda; then
	echo "HIBERNATE: FAIL: no swap on /dev/vda"
	reboot -f
fi
echo reboot >/sys/power/disk
echo "HIBERNATE: writing image"
if ! echo disk >/sys/power/state; then
	echo "HIBERNATE: FAIL: echo disk > /sys/power/state refused"
	reboot -f
fi

# Only a restored image gets here.
if [ "$(cat /tmp/marker)" = "$MARKER" ]; then
	echo "HIBERNATE: resumed, marker $MARKER intact"
else
	echo "HIBERNATE: FAIL: marker lost ($(cat /tmp/marker) != $MARKER)"
fi

# sim_vf_expect FILE LINE: FILE has LINE, whole
sim_vf_expect() {
	if grep -qxF -- "$2" "$1"; then
		SIM_OK=$((SIM_OK + 1))
	else
		echo "HIBERNATE: FAIL: sim-vf: no line '$2' in $1"
		SIM_FAILED=$((SIM_FAILED + 1))
	fi
}
# sim_vf_logged TEXT: a kernel log line of a simulated VF contains TEXT
sim_vf_logged() {
	if dmesg | grep -F "amdgpu-sim-vf" | grep -qF -- "$1"; then
		SIM_OK=$((SIM_OK + 1))
	else
		echo "HIBERNATE: FAIL: sim-vf: no kernel log line with '$1'"
		SIM_FAILED=$((SIM_FAILED + 1))
	fi
}
if [ -d "$SIM" ]; then
	SIM_OK=0
	SIM_FAILED=0
	v0="$SIM/amdgpu-sim-vf.0"
	v1="$SIM/amdgpu-sim-vf.1"
	# The recovery worker runs once system resume completes: wait until
	# it read the topology of VF 0 again, and for the uevent of VF 1.
	wait_for 30 grep -qx 'topology 0x13' "$v0"
	[ "$UEVENT_OK" = 0 ] || wait_for 30 grep -q 'WEDGED=rebind' "$UEVENTS"
	for f in "$SIM"/*; do
		sed "s|^|HIBERNATE: sim-vf: after: ${f##*/} |" "$f"
	done
	[ "$UEVENT_OK" = 0 ] || sed 's|^|HIBERNATE: sim-vf: uevent: |' "$UEVENTS"

	# VF A (node 1) to VF B (node 3) of a hive of four 6 GiB nodes at
	# 512 GiB: VRAM base 512 + 3 * 6 GiB; hive and node ids, without PSP,
	# 16 and 16 + node; VRAM counted lost once; full access asked for
	# and given back once; the worker lists the nodes that still run.
	sim_vf_expect "$v0" 'vf VF B'
	sim_vf_expect "$v0" 'node 3'
	sim_vf_expect "$v0" 'node_id 0x13'
	sim_vf_expect "$v0" 'vram_base_offset 0x8480000000'
	sim_vf_expect "$v0" 'vram_lost 1'
	sim_vf_expect "$v0" 'wedged 0'
	sim_vf_expect "$v0" 'full_gpu 1 1'
	sim_vf_expect "$v0" 'topology 0x13'
	sim_vf_logged 'xgmi node, old id 1, new id 3'
	sim_vf_logged 'VRAM base moved from 0x8180000000 to 0x8480000000: VRAM is lost'
	sim_vf_logged 'XGMI node id 0x13, was 0x11'
	sim_vf_logged 'XGMI topology read again on node 3'
	# VF C (node 2, 6 GiB) to VF D (node 2, 7 GiB): refused, nothing
	# adopted, VRAM lost by the wedge, access given back, and a wedged
	# uevent asking for a rebind.
	sim_vf_expect "$v1" 'vf VF D'
	sim_vf_expect "$v1" 'node 2'
	sim_vf_expect "$v1" 'node_id 0x12'
	sim_vf_expect "$v1" 'vram_base_offset 0x8300000000'
	sim_vf_expect "$v1" 'vram_lost 1'
	sim_vf_expect "$v1" 'wedged 1'
	sim_vf_expect "$v1" 'full_gpu 1 1'
	sim_vf_expect "$v1" 'topology 0x11 0x12'
	sim_vf_logged 'resumed on an incompatible VF: VRAM size 0x1c0000000, probed with 0x180000000'
	sim_vf_logged 'device stopped: rebind the driver to probe this VF'
	if [ "$UEVENT_OK" = 1 ]; then
		if grep -q '^change /devices/platform/amdgpu-sim-vf.1/drm/card[0-9]* WEDGED=rebind$' "$UEVENTS"; then
			SIM_OK=$((SIM_OK + 1))
		else
			echo "HIBERNATE: FAIL: sim-vf: no wedged uevent of amdgpu-sim-vf.1"
			SIM_FAILED=$((SIM_FAILED + 1))
		fi
		if grep -qE 'amdgpu-sim-vf\.0/.* WEDGED=.+' "$UEVENTS"; then
			echo "HIBERNATE: FAIL: sim-vf: amdgpu-sim-vf.0 was wedged"
			SIM_FAILED=$((SIM_FAILED + 1))
		else
			SIM_OK=$((SIM_OK + 1))
		fi
	fi
	echo "HIBERNATE: sim-vf: $SIM_OK checks passed, $SIM_FAILED failed"
fi
echo "HIBERNATE: done"
sync
reboot -f
