"""Drives a program in a pseudo-terminal, as a person at a keyboard would.

Usage: pty-drive.py STEPS_JSON PROGRAM [ARG...]
STEPS_JSON is a list of [kind, argument]:
  ["expect", TEXT]  wait (up to 15 s) until TEXT appears on the screen after the previous expectation
  ["send", LINE]    type LINE and press Enter
  ["keys", HEX]     press raw keys, e.g. "1b5b41" for the Up arrow
  ["run", COMMAND]  run a shell command (another client acting meanwhile)
Writes everything the program printed (escape sequences included) to standard output; exits 1 if an
expectation timed out (naming it on standard error), else with the program's exit status.
"""
import json, os, pty, re, select, subprocess, sys, time

steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

screen = b""
seen = 0  # expectations match only text after the previous match


def plain():
    return re.sub(rb"\x1b\[[0-9;]*[A-Za-z]", b"", screen).replace(b"\r", b"").decode("utf-8", "replace")


def pump(seconds):
    global screen
    ready, _, _ = select.select([fd], [], [], seconds)
    if ready:
        try:
            screen += os.read(fd, 65536)
        except OSError:
            return False
    return True


failed = None
for kind, argument in steps:
    if kind == "expect":
        deadline = time.time() + 15
        while True:
            index = plain().find(argument, seen)
            if index >= 0:
                seen = index + len(argument)
                break
            if time.time() > deadline or not pump(0.05):
                failed = argument
                break
        if failed is not None:
            break
    elif kind == "send":
        os.write(fd, argument.encode() + b"\r")
    elif kind == "keys":
        os.write(fd, bytes.fromhex(argument))
    elif kind == "run":
        subprocess.run(argument, shell=True, stdout=subprocess.DEVNULL)

deadline = time.time() + 10
while time.time() < deadline:
    finished, status = os.waitpid(pid, os.WNOHANG)
    if finished:
        break
    pump(0.05)
else:
    os.kill(pid, 9)
    status = 9 << 8
while pump(0.01) and select.select([fd], [], [], 0)[0]:
    pass
sys.stdout.buffer.write(screen)
if failed is not None:
    sys.stderr.write("timed out waiting for %r; the screen ends with:\n%s\n" % (failed, plain()[-1500:]))
    sys.exit(1)
sys.exit(os.waitstatus_to_exitcode(status))
