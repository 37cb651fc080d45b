#!/bin/sh
# /init of the hibernate-cycle initramfs (busybox).
# First boot: swap on, keep a marker in RAM, hibernate (the kernel reboots
# after writing the image; QEMU exits because of -no-reboot).
# Second boot (resume=/dev/vda): the kernel restores the image and this
# script continues after the "echo disk" line, in the same process, so the
# marker in RAM and in the shell variable must both still be there.
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
if [ -d /sys/kernel/debug/dri ]; then
	for f in /sys/kernel/debug/dri/*/amdgpu_vf_migration; do
		[ -e "$f" ] && cat "$f"
	done
fi
echo "HIBERNATE: done"
sync
reboot -f
