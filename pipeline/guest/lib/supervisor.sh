# SPDX-License-Identifier: GPL-2.0-only
# The supervisor (PID 1) and the watchdog: they run the case runner,
# replace it when it dies, and stop a case that overran or hung.  Also
# the selection of cases (selected).
# Sourced by dom0.sh; defines functions and constants only.

# The supervisor and the watchdog below start no program in their loops:
# on this testbed a forked child now and then never runs on (README: a
# bash child of `$(...)` waiting forever in futex_wait), and one such
# hang in the supervisor's own `$(...)` once left a stuck case running
# until the host stopped the whole run.  What they need of /proc and of
# files they read with bash's builtins, and the time is $EPOCHSECONDS.

# proc_status PID: sets P_STATE and P_PPID from /proc/PID/status (both
# empty when the process is gone).
proc_status() {
	local k v rest
	P_STATE="" P_PPID=""
	while read -r k v rest; do
		case $k in
		State:) P_STATE=$v ;;
		PPid:) P_PPID=$v; return 0 ;;
		esac
	done 2>/dev/null < "/proc/$1/status"
}

# first_line FILE: sets REPLY to FILE's first line ("" if it has none).
first_line() {
	REPLY=""
	read -r REPLY 2>/dev/null < "$1"
	return 0
}

# bounded SECS FILE COMMAND...: COMMAND (a function too) run in the
# background with its output in FILE, waited for at most SECS seconds by
# bash's own sleep, then stopped with its children.  A forked bash of
# this testbed can wait in a futex for ever (README), and the supervisor
# must not wait with it in a $(...).  Returns COMMAND's status, or 124
# (as timeout(1) does) if it had to be stopped.
bounded() {
	local secs=$1 file=$2 pid end
	shift 2
	"$@" > "$file" 2>/dev/null &
	pid=$!
	end=$((EPOCHSECONDS + secs))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$EPOCHSECONDS" -ge "$end" ]; then
			kill_tree "$pid"
			wait "$pid" 2>/dev/null
			return 124
		fi
		sleep 0.2
	done
	wait "$pid"
}

# bounded_value COMMAND...: sets REPLY to the first line COMMAND printed
# within BOUNDED_SECS (20) seconds (bounded), whatever its status (grep -c
# fails when it counts 0), or to "?" if it printed nothing or had to be
# stopped.
bounded_value() {
	local rc
	bounded "${BOUNDED_SECS:-20}" /run/xci-bounded "$@"
	rc=$?
	first_line /run/xci-bounded
	[ $rc != 124 ] && [ -n "$REPLY" ] || REPLY="?"
	return 0
}

# oom_reports: how many times dom0's kernel has reported running out of
# memory.
oom_reports() {
	dmesg | grep -c -i 'out of memory'
}

# list_procs: dom0's user processes on the console: pid, parent, state,
# name and where in the kernel each waits.  Not their command lines:
# reading one takes the process's mmap lock and blocks while it is held.
# One that runs (R) or waits uninterruptibly (D), not this shell, gets a
# second line: its user and system time in ticks and its kernel stack, so
# that a process spinning in user space (the testbed's defect) tells
# itself from one held in the kernel: dom0's `ip link del` of a veth once
# ran, in state R, for 10 minutes.
list_procs() {
	local p comm line stack
	local -a st
	for p in /proc/[0-9]*; do
		[ -e "$p/exe" ] || continue	# a kernel thread
		proc_status "${p#/proc/}"
		first_line "$p/comm"
		comm=$REPLY
		first_line "$p/wchan"
		say "  ${p#/proc/} state,ppid $P_STATE $P_PPID $comm $REPLY"
		case $P_STATE in R|D) ;; *) continue ;; esac
		[ "${p#/proc/}" = "$BASHPID" ] && continue
		first_line "$p/stat"
		# The fields after the name, which may hold spaces.
		read -r -a st <<< "${REPLY##*) }"
		stack=""
		while read -r line; do
			line=${line#*] }
			stack="$stack ${line%%+*}"
		done 2>/dev/null < "$p/stack"
		say "  ${p#/proc/} utime,stime ${st[11]:-?} ${st[12]:-?} stack${stack:- ?}"
	done
}

# children PID: sets KIDS to the pids of PID's child processes.
children() {
	local p
	KIDS=""
	for p in /proc/[0-9]*; do
		proc_status "${p#/proc/}"
		[ "$P_PPID" = "$1" ] && KIDS="$KIDS ${p#/proc/}"
	done
}

# kill_tree PID: SIGKILL PID and everything it started.
kill_tree() {
	local c kids
	children "$1"
	kids=$KIDS
	for c in $kids; do
		kill_tree "$c"
	done
	kill -KILL "$1" 2>/dev/null
}

# has_result NAME: the results file has NAME's line.
has_result() {
	local c n rest
	while read -r c n rest; do
		[ "$c $n" = "CASE $1" ] && return 0
	done 2>/dev/null < "$OUT/results"
	return 1
}

# in_tree PID ROOT: PID is ROOT or one of its descendants.
in_tree() {
	local p=$1 n=0
	while [ -n "$p" ] && [ "$p" != 0 ] && [ $n -lt 64 ]; do
		[ "$p" = "$2" ] && return 0
		proc_status "$p"
		p=$P_PPID n=$((n + 1))
	done
	return 1
}

# futex_bash ROOT: sets FUTEX to the pids of processes under ROOT that the
# testbed's defect in a forked child (README) has stuck for good, if seen
# twice: a bash waiting in a futex (it has one thread, so no one will ever
# wake it), or one of the one-threaded small tools the runner uses on
# small inputs (timeout, grep, dmesg, tail, awk, sed, ip) waiting in a
# futex or running; seen spinning in dmesg | grep, a timeout of xs_write,
# and an `ip link del` of a veth that ran for 10 minutes.
futex_bash() {
	local p comm
	FUTEX=""
	for p in /proc/[0-9]*; do
		first_line "$p/comm"
		comm=$REPLY
		case $comm in bash|timeout|grep|dmesg|tail|awk|sed|ip) ;; *) continue ;; esac
		first_line "$p/wchan"
		case $comm,$REPLY in *,futex*) ;; bash,*) continue ;; *,0) ;; *) continue ;; esac
		in_tree "${p#/proc/}" "$1" && FUTEX="$FUTEX ${p#/proc/}"
	done
}

# case_overran: sets OVER to why the running case has run too long, if it
# has (else to "").  A case of the ours and stock plans ends within a few
# minutes; one that runs past XCI_CASE_LIMIT (700 s) hangs, most likely on
# a process the testbed defect corrupted into spinning or stopped in a
# futex, and is stopped so that the host can boot again for it instead of
# the whole run timing out.  The benchmark plans are not limited.  A case
# with a bash stuck in a futex (see futex_bash) is stopped too.  The
# supervisor calls it every few seconds and keeps in CASE_SEEN, CASE_T and
# RESULT_T the case it last saw running, since when, and since when that
# case has had its result; in FUTEX and FUTEX_T, what the last futex look
# found and when it was.
case_overran() {
	OVER=""
	case $PLAN in ours|stock) ;; *) return 0 ;; esac
	first_line "$CURRENT"
	if [ "$REPLY" != "$CASE_SEEN" ]; then
		CASE_SEEN=$REPLY CASE_T=$EPOCHSECONDS RESULT_T=""
	fi
	[ -n "$CASE_SEEN" ] || return 0
	[ $((EPOCHSECONDS - CASE_T)) -gt "$CASE_LIMIT" ] && OVER="ran over $CASE_LIMIT s"
	# A bash of the case found waiting in a futex twice, 30 s apart, is
	# stuck for good, and so is the case.
	if [ $((EPOCHSECONDS - FUTEX_T)) -ge 30 ]; then
		local prev=$FUTEX p
		FUTEX_T=$EPOCHSECONDS
		futex_bash "$RUNNER"
		for p in $FUTEX; do
			case " $prev " in *" $p "*)
				OVER="had $p stuck in a futex wait, or a small tool spinning, for 30 s (the testbed's fork defect)" ;;
			esac
		done
	fi
	# A runner that stays in a case whose result is written has hung
	# between cases (twice, after the last case, in a futex of bash:
	# the testbed's defect, README): the next runner skips that case.
	if [ -z "$RESULT_T" ]; then
		has_result "${CASE_SEEN%% *}" && RESULT_T=$EPOCHSECONDS
	elif [ $((EPOCHSECONDS - RESULT_T)) -gt 90 ]; then
		OVER="stayed 90 s in case ${CASE_SEEN%% *} after its result"
	fi
	return 0
}

# watchdog: every 60 s, name the tasks that have been in D state since the
# previous look, with their kernel stacks, so that a hang in dom0 says where.
watchdog() {
	local prev="" now p case="" since=0 tick=0 stack trace
	while sleep 60; do
		[ -f /run/xci-frozen ] && continue
		# A heartbeat every 2 minutes: the host stops a run whose
		# console stays silent for XCI_HANG (360 s) as frozen.
		tick=$((tick + 1))
		[ $((tick % 2)) = 0 ] && say "watchdog: alive${case:+, case $case for $since min}"
		# A case still running after 5 minutes: list dom0's user
		# processes, every 5 minutes, so that a hang says where.
		first_line "$CURRENT"
		if [ "$REPLY" != "$case" ]; then
			case=$REPLY
			since=0
		fi
		since=$((since + 1))
		if [ $since -ge 5 ] && [ $((since % 5)) = 0 ]; then
			say "watchdog: case $case running for $since min; processes:"
			list_procs
		fi
		now=""
		for p in /proc/[0-9]*; do
			proc_status "${p#/proc/}"
			[ "$P_STATE" = D ] || continue
			now="$now ${p#/proc/}"
			case " $prev " in *" ${p#/proc/} "*)
				first_line "$p/comm"
				stack=()
				mapfile -t stack 2>/dev/null < "$p/stack"
				trace="${stack[*]}"
				say "watchdog: $REPLY (pid ${p#/proc/}) blocked: ${trace:0:700}" ;;
			esac
		done
		prev=$now
	done
}

# CASES (dom0.sh, from xcases=a+b on the command line: XCI_CASES on the
# host): only those run.
# A case that already has a result line was run by an earlier runner (see
# supervise) and is not run again.  Otherwise the case is recorded as the
# one running, for the supervisor.
selected() {
	if [ -n "$CASES" ]; then
		case "+$CASES+" in *"+$1+"*) ;; *) return 1 ;; esac
	fi
	has_result "$1" && return 1
	echo "$1" > "$CURRENT"
	# The host prints this as the case's start (boot.sh).
	say "case $1: start"
	# xdie=NAME[+NAME] (XCI_RUNNER_DIE, comma-separated there): the
	# runner kills itself on entering each case named, to exercise the
	# supervisor's recovery and the host's retry; two names: dom0 ends
	# the boot at the second.
	case "+$(arg xdie)+" in *"+$1+"*) kill -9 $$ ;; esac
	# xfreeze=NAME (XCI_FREEZE): dom0 goes silent in NAME, to check the
	# host's hang detection and retry; the line below stands in for the
	# evidence a real freeze of this testbed leaves (Segmentation fault).
	# xkillxs=NAME (XCI_KILL_XS): xenstored dies on entering NAME, to
	# check that dom0 ends the boot and the host boots again; the line
	# stands in for the evidence, as above.
	if [ "$(arg xkillxs)" = "$1" ]; then
		say "case $1: injected death of xenstored (XCI_KILL_XS); evidence stand-in: Segmentation fault"
		first_line /run/xenstored.pid
		kill -KILL "$REPLY"
		sleep 100000
	fi
	if [ "$(arg xfreeze)" = "$1" ]; then
		say "case $1: injected freeze (XCI_FREEZE); evidence stand-in: Segmentation fault"
		touch /run/xci-frozen	# the watchdog falls silent too
		sleep 100000
	fi
	return 0
}

# destroy_guests: remove every domU and loop device a dead runner left.
destroy_guests() {
	destroy_domus
	losetup -D 2>/dev/null
	rm -rf /var/lib/xci/*
}

# supervise: PID 1.  Sets up the toolstack, then runs the cases in a
# child bash (the runner) with a raised OOM score, so that the OOM killer
# can take it instead of finding nothing killable.  (A data size limit
# on the runner was tried: xl, date and xenstore-read then failed in
# ways that looked like the defect itself.)
# dom0's user processes are hit now and then by a memory corruption of
# this testbed (README: xl dies of malloc corruption; once PID 1 itself
# ran away and grew to 1.4 GB until dom0 panicked out of memory).  A
# runner that dies is replaced, and the case it was in fails with that
# evidence (the host boots again for it); a second death ends the boot.
# The supervisor runs no case itself.
supervise() {
	local rc cur oops0 hangs0 deaths=0 RUNNER died=""
	local CASE_SEEN CASE_T RESULT_T OVER CASE_LIMIT FUTEX FUTEX_T XS_PID kf kh
	CASE_LIMIT=$(arg xcaselimit)
	CASE_LIMIT=${CASE_LIMIT:-700}
	say "dom0 up: plan=$PLAN kernel=$(uname -r)"
	watchdog &
	if ! setup_toolstack; then
		echo "CASE toolstack FAIL 0 - toolstack-setup-failed" >> "$OUT/results"
		finish
	fi
	first_line /run/xenstored.pid
	XS_PID=$REPLY
	while :; do
		: > "$CURRENT"
		CASE_SEEN=""
		bounded_value kernel_faults
		oops0=$REPLY
		bounded_value kernel_hangs
		hangs0=$REPLY
		(
			echo 500 > /proc/self/oom_score_adj
			XCI_RUNNER=1 exec /bin/bash /xci/dom0.sh
		) &
		RUNNER=$!
		OVER="" FUTEX="" FUTEX_T=$EPOCHSECONDS
		while kill -0 $RUNNER 2>/dev/null; do
			sleep 5
			# xenstored cannot be started again with its state: a
			# boot that lost it (the testbed's defect killed it once)
			# ends, and the host boots again for the cases left.
			if [ -n "$XS_PID" ] && ! kill -0 "$XS_PID" 2>/dev/null; then
				first_line "$CURRENT"
				say "toolstack lost: xenstored (pid $XS_PID) is gone in case ${REPLY:-none}; ending this boot (README)"
				list_procs
				kill_tree $RUNNER
				finish
			fi
			case_overran
			[ -z "$OVER" ] && continue
			say "dom0 case runner: case $CASE_SEEN $OVER; stopping it"
			list_procs
			kill_tree $RUNNER
			break
		done
		wait $RUNNER
		rc=$?
		[ $rc = 0 ] && break
		first_line "$CURRENT"
		cur=${REPLY%% *}
		deaths=$((deaths + 1))
		# Every program started from here on is bounded: a death of
		# the runner is the testbed's defect at work, and the next
		# fork may hang in it (once the supervisor sat for 15 minutes
		# in the $(...) of this very line).
		bounded_value oom_reports
		say "dom0 case runner died (exit $rc${OVER:+, $OVER}) in case ${cur:-none}; oom: $REPLY"
		[ -n "$cur" ] && [ $deaths -le 4 ] || break
		bounded 180 /dev/null destroy_guests
		[ $? = 124 ] && say "destroying the guests took over 180 s; going on"
		# A kernel oops or hang is never the testbed's defect: no
		# retry then.  (A count that did not answer, "?", says
		# nothing either way; the host reads the console too.)
		bounded_value kernel_faults
		kf=$REPLY
		bounded_value kernel_hangs
		kh=$REPLY
		# Before any line of the supervisor's about the case: an
		# EVIDENCE line the runner wrote just before it died is not
		# the case's (pipeline/retry.py).
		echo "RUNNER-DIED $cur $rc" >> "$OUT/results"
		if has_result "$cur"; then
			# After the case's result (case_overran): it stands.
			died=${died:-"$cur (exit $rc${OVER:+, $OVER}, after its result)"}
		elif [ "$kf" != "?" ] && [ "$oops0" != "?" ] && [ "$kf" != "$oops0" ]; then
			echo "CASE $cur FAIL 0 - dom0's case runner died (exit $rc) after a dom0 kernel oops or warning (console.log)" >> "$OUT/results"
			say "case $cur: FAIL dom0's case runner died after a dom0 kernel oops or warning"
		elif [ "$kh" != "?" ] && [ "$hangs0" != "?" ] && [ "$kh" != "$hangs0" ]; then
			echo "CASE $cur FAIL 0 - dom0's case runner died (exit $rc${OVER:+, $OVER}) after dom0's kernel reported a hang (console.log)" >> "$OUT/results"
			say "case $cur: FAIL dom0's case runner died after dom0's kernel reported a hang"
		elif [ -n "$died" ]; then
			# Twice in one boot: the damage may sit in a page of a
			# shared library in dom0's page cache (README), which
			# every case left would map again.  End the boot; the
			# host boots again for the cases without a result
			# (pipeline/retry.py).
			say "dom0 userland lost: the case runner died twice (in case $died, then in case $cur: exit $rc${OVER:+, $OVER}); ending this boot (README)"
			list_procs
			finish
		else
			# The case fails, with the defect's evidence (a case
			# stopped for a stuck fork or its time limit was retried
			# before this policy moved to the host, and still is):
			# the host boots again for it.  The next runner goes on
			# with the cases left.
			if [ -n "$OVER" ]; then
				echo "EVIDENCE $cur dom0-case-runner-stopped" >> "$OUT/results"
			else
				echo "EVIDENCE $cur dom0-case-runner-died" >> "$OUT/results"
			fi
			echo "CASE $cur FAIL 0 - dom0's case runner died (exit $rc${OVER:+, $OVER}; dom0 userland defect of this testbed, see README)" >> "$OUT/results"
			say "case $cur: FAIL dom0's case runner died (exit $rc${OVER:+, $OVER}); the host may boot again for it"
			died="$cur (exit $rc${OVER:+, $OVER})"
		fi
	done
	finish
}
