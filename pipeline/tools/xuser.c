// SPDX-License-Identifier: GPL-2.0-only
/*
 * xuser: user space that breaks the rules at the kernel's entry and exit,
 * which a PV kernel handles through Xen (arch/x86/xen: the failsafe
 * callback, the syscall entry, the debug registers).  Each test must end
 * in the signal or the error the native kernel gives, never in a crash.
 *
 *   xuser sigreturn  a signal handler returns to a context whose CS, or
 *                    SS (UC_STRICT_RESTORE_SS), is a selector the CPU
 *                    refuses: a null one, one past the GDT, one of an LDT
 *                    that does not exist, and (CS only) the kernel's data
 *                    segment.
 *                    The return fails in the kernel (under Xen, in the
 *                    iret hypercall, which goes to the failsafe
 *                    callback): each must deliver SIGSEGV.
 *   xuser flags      system calls entered with NT, AC, both, and TF set
 *                    in EFLAGS: each returns the right value, with the
 *                    flags still set, and TF's single steps are
 *                    delivered as SIGTRAP.
 *   xuser debugreg   ptrace(2) of the debug registers: a write
 *                    watchpoint on a child's variable stops it with
 *                    SIGTRAP and DR6 says which; DR0 pointing into the
 *                    kernel is refused.
 *
 * Prints "XUSER <test> ok|FAIL <detail>" and exits 0 if ok, 1 if not,
 * 2 on a usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define BIT(n)		(1UL << (n))
#define EFL_TF		BIT(8)
#define EFL_NT		BIT(14)
#define EFL_AC		BIT(18)

/* uc_flags of asm/ucontext.h, which glibc's headers do not give. */
#define XU_UC_SIGCONTEXT_SS	0x2
#define XU_UC_STRICT_RESTORE_SS	0x4

/* ---- sigreturn to a bad selector ------------------------------------- */

/*
 * Shared with the signal handlers, so read and written with atomics:
 * the SIGSEGVs seen, and the selector and register (0: CS, 1: SS) the
 * next return gets.
 */
#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

static sigjmp_buf xu_jb;
static int xu_segvs;
static unsigned short xu_sel;
static int xu_which;

static void xu_on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	(void)ctx;
	STORE(xu_segvs, LOAD(xu_segvs) + 1);
	siglongjmp(xu_jb, 1);
}

/* REG_CSGSFS: CS in bits 0-15, GS 16-31, FS 32-47, SS 48-63. */
static void xu_on_usr1(int sig, siginfo_t *si, void *vctx)
{
	ucontext_t *uc = vctx;
	greg_t v = uc->uc_mcontext.gregs[REG_CSGSFS];
	int which = LOAD(xu_which);
	int shift = which ? 48 : 0;

	(void)sig;
	(void)si;
	v &= ~((greg_t)0xffff << shift);
	v |= (greg_t)LOAD(xu_sel) << shift;
	uc->uc_mcontext.gregs[REG_CSGSFS] = v;
	if (which)
		uc->uc_flags |= XU_UC_SIGCONTEXT_SS | XU_UC_STRICT_RESTORE_SS;
}

/* One return to @sel in CS (@which 0) or SS (1): the SIGSEGVs it gave. */
static int xu_bad_return(unsigned short sel, int which)
{
	int before = LOAD(xu_segvs);

	STORE(xu_sel, sel);
	STORE(xu_which, which);
	if (!sigsetjmp(xu_jb, 1))
		raise(SIGUSR1);
	return LOAD(xu_segvs) - before;
}

static int test_sigreturn(void)
{
	/*
	 * The kernel's data segment is no stack segment for user space
	 * natively (DPL 0), but under Xen PV it is: Xen runs a 64-bit PV
	 * kernel in ring 3, with its data segment's DPL 3.  So it is tried
	 * as CS only, where no data segment will do.
	 */
	static const struct {
		unsigned short sel;
		int cs_only;
		const char *what;
	} bad[] = {
		{ 0x0003, 0, "null" },
		{ 0xfff3, 0, "past the GDT" },
		{ 0x0007, 0, "in an LDT that does not exist" },
		{ 0x001b, 1, "the kernel's data segment" },
	};
	struct sigaction sa;
	char why[256] = "";
	unsigned int i, tried = 0;
	int which;

	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = xu_on_segv;
	if (sigaction(SIGSEGV, &sa, NULL))
		return 2;
	sa.sa_sigaction = xu_on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL))
		return 2;
	for (which = 0; which < 2; which++) {
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			int n;

			if (which && bad[i].cs_only)
				continue;
			n = xu_bad_return(bad[i].sel, which);

			tried++;
			if (n != 1 && !why[0])
				snprintf(why, sizeof(why), "%s %#x (%s): %d SIGSEGV",
					 which ? "SS" : "CS", bad[i].sel,
					 bad[i].what, n);
		}
	}
	signal(SIGSEGV, SIG_DFL);
	if (why[0]) {
		printf("XUSER sigreturn FAIL %s\n", why);
		return 1;
	}
	printf("XUSER sigreturn ok %u returns to a bad CS or SS, a SIGSEGV each\n", tried);
	return 0;
}

/* ---- flags at system call entry ------------------------------------- */

static unsigned long xu_traps;

static void xu_on_trap(int sig, siginfo_t *si, void *vctx)
{
	ucontext_t *uc = vctx;

	(void)sig;
	(void)si;
	/* A step that never ends would hang the test: stop after 10^4. */
	if (__atomic_add_fetch(&xu_traps, 1, __ATOMIC_SEQ_CST) > 10000)
		uc->uc_mcontext.gregs[REG_EFL] &= ~EFL_TF;
}

/*
 * getpid through the syscall instruction with @set also set in EFLAGS;
 * *@after gets EFLAGS as the instruction after it found them, before
 * they are put back.  Only the asm runs with the flags set (AC would make
 * an unaligned access of the C code fault).
 */
static long xu_syscall_flags(unsigned long set, unsigned long *after)
{
	unsigned long flags;
	long ret;

	asm volatile("pushfq\n\t"
		     "pushfq\n\t"
		     "orq %[set], (%%rsp)\n\t"
		     "popfq\n\t"
		     "syscall\n\t"
		     "pushfq\n\t"
		     "popq %[flags]\n\t"
		     "popfq"
		     : "=a" (ret), [flags] "=&r" (flags)
		     : "0" ((long)SYS_getpid), [set] "r" (set)
		     : "rcx", "r11", "memory", "cc");
	*after = flags;
	return ret;
}

static int test_flags(void)
{
	static const struct {
		unsigned long set;
		const char *what;
	} cases[] = {
		{ EFL_NT, "NT" },
		{ EFL_AC, "AC" },
		{ EFL_NT | EFL_AC, "NT and AC" },
		{ EFL_TF, "TF" },
	};
	struct sigaction sa;
	unsigned long after;
	long pid = getpid(), got;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = xu_on_trap;
	if (sigaction(SIGTRAP, &sa, NULL))
		return 2;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		STORE(xu_traps, 0);
		got = xu_syscall_flags(cases[i].set, &after);
		if (got != pid) {
			printf("XUSER flags FAIL getpid with %s set returned %ld, not %ld\n",
			       cases[i].what, got, pid);
			return 1;
		}
		if ((after & cases[i].set) != cases[i].set) {
			printf("XUSER flags FAIL %s cleared by the system call (EFLAGS %#lx)\n",
			       cases[i].what, after);
			return 1;
		}
		if (cases[i].set & EFL_TF && !LOAD(xu_traps)) {
			printf("XUSER flags FAIL TF set, but no SIGTRAP\n");
			return 1;
		}
	}
	signal(SIGTRAP, SIG_DFL);
	printf("XUSER flags ok getpid with NT, AC, both or TF set: %s\n",
	       "right value, flags kept, single steps trapped");
	return 0;
}

/* ---- ptrace of the debug registers ------------------------------------ */

/* The child's variable the watchpoint watches. */
static int xu_watched;

#define DR_OFF(n)	offsetof(struct user, u_debugreg[n])

static int xu_dr_fail(pid_t child, const char *why, long v)
{
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("XUSER debugreg FAIL %s (%#lx)\n", why, (unsigned long)v);
	return 1;
}

static int test_debugreg(void)
{
	/* L0, write-only, 4 bytes. */
	unsigned long dr7 = 1UL | (1UL << 16) | (3UL << 18);
	int status;
	long dr6;
	pid_t child;

	child = fork();
	if (child < 0)
		return 2;
	if (!child) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(2);
		raise(SIGSTOP);
		STORE(xu_watched, 1);
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status))
		return xu_dr_fail(child, "child did not stop", status);
	/* Into the kernel: refused, by the kernel or by Xen. */
	errno = 0;
	if (!ptrace(PTRACE_POKEUSER, child, (void *)DR_OFF(0),
		    (void *)0xffffffff81000000UL))
		return xu_dr_fail(child, "DR0 into the kernel accepted", 0xffffffff81000000UL);
	if (ptrace(PTRACE_POKEUSER, child, (void *)DR_OFF(0), (void *)&xu_watched))
		return xu_dr_fail(child, "DR0 refused", errno);
	if (ptrace(PTRACE_POKEUSER, child, (void *)DR_OFF(7), (void *)dr7))
		return xu_dr_fail(child, "DR7 refused", errno);
	if (ptrace(PTRACE_CONT, child, NULL, NULL))
		return xu_dr_fail(child, "PTRACE_CONT failed", errno);
	if (waitpid(child, &status, 0) != child)
		return xu_dr_fail(child, "waitpid failed", errno);
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP)
		return xu_dr_fail(child, "the watched write did not stop the child with SIGTRAP",
				  status);
	errno = 0;
	dr6 = ptrace(PTRACE_PEEKUSER, child, (void *)DR_OFF(6), NULL);
	if (errno || !(dr6 & 1))
		return xu_dr_fail(child, "DR6 does not name breakpoint 0", dr6);
	ptrace(PTRACE_POKEUSER, child, (void *)DR_OFF(7), (void *)0);
	ptrace(PTRACE_CONT, child, NULL, NULL);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status))
		return xu_dr_fail(child, "the child did not exit 0 after the watchpoint", status);
	printf("XUSER debugreg ok a write watchpoint stopped the child (DR6 %#lx); %s\n",
	       (unsigned long)dr6, "DR0 into the kernel refused");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "sigreturn"))
		return test_sigreturn();
	if (argc == 2 && !strcmp(argv[1], "flags"))
		return test_flags();
	if (argc == 2 && !strcmp(argv[1], "debugreg"))
		return test_debugreg();
	fprintf(stderr, "usage: xuser sigreturn|flags|debugreg\n");
	return 2;
}
