#!/bin/sh
# /init of the smoke-boot initramfs (busybox). Prints markers the host checks.
/bin/busybox mkdir -p /proc /sys /dev /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo "SMOKE: userspace reached, kernel $(uname -r)"
if [ -d /sys/bus/pci/drivers/amdgpu ]; then
	echo "SMOKE: amdgpu driver registered"
fi
echo "SMOKE: done"
sync
reboot -f
