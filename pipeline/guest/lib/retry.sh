# SPDX-License-Identifier: GPL-2.0-only
# The retry policy of a case against the testbed's defect (README,
# testbed notes).
# Sourced by dom0.sh; defines functions and constants only.

# once_more NAME FUNC: FUNC NAME, run again (up to 3 tries in all) only
# while it fails together with evidence of a testbed defect.  FUNC sets CASE_T0, CASE_WHY (empty
# if it passed), CASE_DETAIL (what a pass showed) and FLAKE (the evidence).
once_more() {
	local name=$1 fn=$2 hist="" n=1
	"$fn" "$name"
	while [ -n "$CASE_WHY" ] && [ -n "$FLAKE" ] && [ $n -lt 3 ]; do
		hist="${hist:-retried: }try $n failed (${CASE_WHY# }) with $FLAKE; "
		mv "$OUT/guests/guest-$name.log" "$OUT/guests/guest-$name.log.try$n"
		say "case $name: retrying ($FLAKE)"
		# A clean slate: what a crashed xl left behind goes first.
		destroy_guests
		sleep 5
		n=$((n + 1))
		echo "$name try$n" > "$CURRENT"
		"$fn" "$name"
	done
	if [ -z "$CASE_WHY" ]; then
		result "$name" PASS "$CASE_T0" "guests/guest-$name.log" "$hist$CASE_DETAIL"
	else
		result "$name" FAIL "$CASE_T0" "guests/guest-$name.log" "$hist$CASE_WHY"
	fi
}
