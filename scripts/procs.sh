# Process ownership for the scripts (sourced, not run): every process a
# script starts lives in a process group the script knows, and leaves with
# the script, on success, failure, Ctrl+C or SIGTERM (issue 19).
#
#   source scripts/procs.sh
#   procs_trap                       # EXIT/INT/TERM traps: stop every group, then run
#                                    # procs_cleanup_hook if the script defines one
#   procs_run CMD...                 # runs CMD in its own process group and waits for it;
#                                    # what it leaves running is named in PROCS_LEAKED and stopped
#   procs_spawn CMD...               # starts CMD in the background in its own group; sets SPAWNED_PID
#   procs_stop PGID                  # SIGTERM the group, SIGKILL what is left after PROCS_GRACE s
#
# Why own groups: a server, a test runner or a browser can spawn children of
# its own (chromedriver, chromium, nginx workers, rustc). Killing the group
# reaches them all. Why procs_run and not a plain foreground command: bash
# runs a trap only after the foreground command ends, so a SIGTERM to the
# script would otherwise wait for a whole cargo or node run.
#
# `setsid CMD &` does not fork again (the background child of a
# non-interactive shell is no group leader), so $! is the new group's id.

PROCS_GROUPS=()
PROCS_LEAKED=()
declare -A PROCS_START=()
PROCS_GRACE=${PROCS_GRACE:-10}

procs_spawn() {
  setsid "$@" &
  SPAWNED_PID=$!
  procs_own "$SPAWNED_PID"
}

# Start time (clock ticks since boot) of process $1, empty when it is gone.
procs_starttime() {
  local stat rest
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 0
  rest=${stat##*) }
  # shellcheck disable=SC2086
  set -- $rest
  echo "${20}"
}

# Records group $1 (its leader's pid) as ours.
procs_own() {
  PROCS_GROUPS+=("$1")
  PROCS_START[$1]=$(procs_starttime "$1")
}

procs_run() {
  local pid rc
  setsid "$@" &
  pid=$!
  procs_own "$pid"
  wait "$pid" && rc=0 || rc=$?
  # The leader ended; its group may not have: a child left behind is a
  # defect of that step (recorded in PROCS_LEAKED), and is stopped here.
  if procs_alive "$pid"; then
    local left
    left=$(PGID_WANTED=$pid procs_members | head -20) || true
    if [ -n "$left" ]; then
      echo "[procs] '$*' left processes running:" >&2
      printf '%s\n' "$left" | sed 's/^/[procs]   /' >&2
      PROCS_LEAKED+=("$*: $(printf '%s' "$left" | tr '\n' ';')")
    fi
    procs_stop "$pid"
  fi
  procs_forget "$pid"
  return "$rc"
}

procs_forget() {
  local keep=() g
  for g in "${PROCS_GROUPS[@]}"; do [ "$g" = "$1" ] || keep+=("$g"); done
  PROCS_GROUPS=("${keep[@]}")
  return 0
}

# Prints the pid and command line of every live (not zombie) process of
# group $1. Zombies are skipped: PID 1 may reap orphans late.
procs_members() {
  local f stat rest pid
  for f in /proc/[0-9]*/stat; do
    read -r stat 2>/dev/null <"$f" || continue
    rest=${stat##*) }
    # shellcheck disable=SC2086
    set -- $rest
    [ "$3" = "$PGID_WANTED" ] && [ "$1" != Z ] || continue
    pid=${f#/proc/}; pid=${pid%/stat}
    printf '%s %s\n' "$pid" "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | cut -c1-200)"
  done
}

# True while a live process of our group $1 exists. Once all of a group's
# processes are gone the kernel may give its number to a new process, which
# may lead a group of its own: when a process with the leader's pid exists
# but started at another time, the group is not ours and counts as gone.
procs_alive() {
  local now
  now=$(procs_starttime "$1")
  if [ -n "$now" ] && [ -n "${PROCS_START[$1]:-}" ] && [ "$now" != "${PROCS_START[$1]}" ]; then
    return 1
  fi
  kill -0 -- "-$1" 2>/dev/null || return 1
  [ -n "$(PGID_WANTED=$1 procs_members)" ]
}

procs_stop() {
  local pgid=$1 i
  procs_alive "$pgid" || return 0
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for ((i = 0; i < PROCS_GRACE * 10; i++)); do
    procs_alive "$pgid" || return 0
    sleep 0.1
  done
  echo "[procs] group $pgid ignored SIGTERM for ${PROCS_GRACE} s: SIGKILL" >&2
  kill -KILL -- "-$pgid" 2>/dev/null || true
  return 0
}

# Stops every group still known, newest first.
procs_stop_all() {
  local i
  for ((i = ${#PROCS_GROUPS[@]} - 1; i >= 0; i--)); do procs_stop "${PROCS_GROUPS[$i]}"; done
  PROCS_GROUPS=()
  return 0
}

procs_on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  procs_stop_all
  if declare -F procs_cleanup_hook >/dev/null; then procs_cleanup_hook; fi
  exit "$rc"
}

procs_trap() {
  trap procs_on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
