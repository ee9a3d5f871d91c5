#!/usr/bin/env bash
# Compare the reader-page benchmark of two commits, interleaved, on this machine in one run.
#
#   bench/compare_commits.sh BEFORE_REV [AFTER_REV=HEAD] [ROUNDS=3] [SCENARIOS=article]
#
# Each commit is checked out into a temporary worktree and served by this checkout's .venv with
# PYTHONPATH pointing at that worktree, so both sides run the same interpreter and dependencies. Rounds
# alternate before/after so a change in machine load hits both. The figure to compare is the server's CPU
# time per request (printed by bench/pages.py), which varies far less than requests per second when other
# work shares the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: bench/compare_commits.sh BEFORE_REV [AFTER_REV] [ROUNDS] [SCENARIOS]}
after=${2:-HEAD}
rounds=${3:-3}
scenarios=${4:-article}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/before" >/dev/null 2>&1 || true; git worktree remove --force "$work/after" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/before" "$before"
git worktree add -q --detach "$work/after" "$after"
for round in $(seq 1 "$rounds"); do
  for side in before after; do
    echo "=== round $round: $side ($(git -C "$work/$side" rev-parse --short HEAD)), load $(cut -d' ' -f1-3 /proc/loadavg)"
    PYTHONPATH="$work/$side" .venv/bin/python bench/pages.py --duration 10 --scenarios "$scenarios" \
      | grep -E "^(scenario|article|home|channel) "
  done
done
