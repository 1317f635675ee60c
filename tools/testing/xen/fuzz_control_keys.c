// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control key parsers against any value a writer of control/ or cpu/
 * can put there.
 *
 * Input: one byte choosing the parser, then the value (a NUL ends it, as
 * xenstore values read by the kernel are NUL-terminated).  Each result
 * must agree with a model of the rules written differently, and a parser
 * must never write its output on a refusal.
 */
#include <errno.h>
#include <stdint.h>
#include <linux/limits.h>
#include "drivers/xen/control/control_parse.h"
#include "fuzz.h"

static const char *const shutdown_names[] = {
	"poweroff", "halt", "reboot", "suspend",
};

static void check_shutdown(const char *v, bool can_suspend)
{
	enum xen_ctl_request r = xen_ctl_parse_shutdown(v, can_suspend);
	size_t i;

	if (!*v) {
		FZ_ASSERT(r == XEN_CTL_NONE);
		return;
	}
	for (i = 0; i < 4; i++)
		if (!strcmp(v, shutdown_names[i]))
			break;
	if (i == 4 || (i == 3 && !can_suspend)) {
		FZ_ASSERT(r == XEN_CTL_UNKNOWN);
		return;
	}
	FZ_ASSERT(r == XEN_CTL_POWEROFF + i);
	FZ_ASSERT(!strcmp(xen_ctl_request_name(r), v));
}

static void check_sysrq(const char *v)
{
	char key = 0x55;
	int r = xen_ctl_parse_sysrq(v, &key);
	size_t n = strlen(v);

	FZ_ASSERT(r == (n == 0 ? 0 : n == 1 ? 1 : -EINVAL));
	FZ_ASSERT(r == 1 ? key == v[0] : key == 0x55);
}

static void check_cpu_path(const char *v)
{
	unsigned int cpu = 0xdeadbeef;
	int r = xen_ctl_parse_cpu_path(v, &cpu);
	unsigned long long n = 0;
	size_t i, digits = 0;
	bool bad = false;

	if (strncmp(v, "cpu/", 4) || v[4] == '/' || !v[4]) {
		FZ_ASSERT(r == -ENOENT && cpu == 0xdeadbeef);
		return;
	}
	for (i = 4; v[i] && v[i] != '/'; i++) {
		if (v[i] < '0' || v[i] > '9')
			bad = true;
		else if (n <= UINT32_MAX)
			n = n * 10 + (v[i] - '0');
		digits++;
	}
	if (digits > XEN_CTL_CPU_DIGITS)
		FZ_ASSERT(r == -ERANGE);
	else if (bad)
		FZ_ASSERT(r == -EINVAL);
	else if (n > UINT32_MAX)
		FZ_ASSERT(r == -ERANGE);
	else
		FZ_ASSERT(r == 0 && cpu == n);
	if (r)
		FZ_ASSERT(cpu == 0xdeadbeef);
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	char v[256];
	size_t n;
	int a;

	if (!size)
		return 0;
	n = size - 1 < sizeof(v) - 1 ? size - 1 : sizeof(v) - 1;
	memcpy(v, data + 1, n);
	v[n] = '\0';
	switch (data[0] & 3) {
	case 0:
		check_shutdown(v, data[0] & 4);
		break;
	case 1:
		check_sysrq(v);
		break;
	case 2:
		a = xen_ctl_parse_availability(v);
		FZ_ASSERT(a == (!strcmp(v, "online") ? 1 :
				 !strcmp(v, "offline") ? 0 : -EINVAL));
		break;
	default:
		check_cpu_path(v);
		break;
	}
	return 0;
}
