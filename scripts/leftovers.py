#!/usr/bin/python3
"""Lists (or stops) processes left running by a run of this checkout's scripts (issue 19).

    leftovers.py ROOT [--since-pid PID] [--run-id ID] [--grace S] [--kill]

A process belongs to the checkout when its working directory is ROOT or
below, when an argument of its command line names a path under ROOT, or when
its environment carries RBS_RUN_ID=ID (set by scripts/test.sh and
scripts/run.sh, inherited by everything they start, even a browser that
changed its directory). This process and its ancestors (the shell that asks,
make, the terminal) are never counted, nor are zombies.

--since-pid PID: only processes started at or after PID started count (the
run's own); older ones under ROOT (an editor, another terminal) are named in
a note but do not fail. Without it, every match counts.

Exit status 0 when none is left (after waiting up to --grace seconds, default
3, for processes already stopping), 1 otherwise, with one line per process.
--kill sends SIGTERM, then SIGKILL after --grace, to what is found (only
processes that carry --run-id, so nothing of another run is touched).
"""
import os
import re
import signal
import sys
import time


def read(path, mode="r"):
    try:
        with open(path, mode) as f:
            return f.read()
    except OSError:
        return None


def stat(pid):
    """(state, ppid, starttime) from /proc/PID/stat, or None."""
    s = read(f"/proc/{pid}/stat")
    if not s:
        return None
    rest = s[s.rfind(")") + 2:].split()
    return rest[0], int(rest[1]), int(rest[19])


def ancestors(pid):
    out = set()
    while pid > 1 and pid not in out:
        out.add(pid)
        st = stat(pid)
        if not st:
            break
        pid = st[1]
    return out


def scan(root, since, run_id):
    root_re = re.compile(re.escape(root) + r"(?:/|$)")
    marker = f"RBS_RUN_ID={run_id}".encode() if run_id else None
    mine = ancestors(os.getpid())
    counted, older = [], []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid = int(name)
        if pid in mine:
            continue
        st = stat(pid)
        if not st or st[0] in ("Z", "X"):
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            cwd = ""
        raw = read(f"/proc/{pid}/cmdline", "rb") or b""
        argv = [a.decode(errors="replace") for a in raw.split(b"\0") if a]
        env = read(f"/proc/{pid}/environ", "rb") or b""
        tagged = bool(marker) and marker in env.split(b"\0")
        under = root_re.match(cwd) is not None or any(root_re.search(a) for a in argv)
        if not (tagged or under):
            continue
        line = f"{pid:>7} cwd={cwd or '?'} {' '.join(argv)[:300] or '[' + (read(f'/proc/{pid}/comm') or '?').strip() + ']'}"
        if since is not None and st[2] < since and not tagged:
            older.append(line)
        else:
            counted.append((pid, tagged, line))
    return counted, older


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.realpath(args.pop(0))
    since_pid = run_id = None
    grace, kill = 3.0, False
    while args:
        a = args.pop(0)
        if a == "--since-pid":
            since_pid = int(args.pop(0))
        elif a == "--run-id":
            run_id = args.pop(0)
        elif a == "--grace":
            grace = float(args.pop(0))
        elif a == "--kill":
            kill = True
        else:
            print(f"unknown argument {a}", file=sys.stderr)
            return 2
    since = None
    if since_pid is not None:
        st = stat(since_pid)
        if not st:
            print(f"no process {since_pid}", file=sys.stderr)
            return 2
        since = st[2]

    if kill:
        if not run_id:
            print("--kill needs --run-id", file=sys.stderr)
            return 2
        found = [p for p in scan(root, since, run_id)[0] if p[1]]
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid, _, line in found:
                try:
                    os.kill(pid, sig)
                    print(f"[leftovers] {sig.name} {line}", file=sys.stderr)
                except OSError:
                    pass
            end = time.time() + grace
            while time.time() < end:
                found = [p for p in scan(root, since, run_id)[0] if p[1]]
                if not found:
                    return 0
                time.sleep(0.1)
        return 1 if found else 0

    end = time.time() + grace
    while True:
        counted, older = scan(root, since, run_id)
        if not counted or time.time() >= end:
            break
        time.sleep(0.2)
    if older:
        print(f"note: {len(older)} older process(es) under {root}, not started by this run (not counted):")
        for line in older:
            print("  " + line)
    if counted:
        print(f"{len(counted)} process(es) started from {root} are still running:")
        for _, _, line in counted:
            print("  " + line)
        return 1
    print(f"no process started from {root} is left running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
