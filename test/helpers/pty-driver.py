#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and answers its prompts, like expect(1).

Reads one JSON object on stdin: {argv, env, cwd, cols, rows, timeout, steps: [{expect, send, fromFile?}]}.
Each step waits until the output since the previous step matches the regex `expect`, then types
`send`, after the last match of `fromFile.pattern`'s first group in the file `fromFile.path` when
given (what only exists by then: a code another process mailed). After the last step the command runs to its end. Prints one JSON object:
{output, exitCode, timedOut, stuckAt} (stuckAt: the index of a step whose text never came).
Used by the end-to-end tests of interactive use (test/e2e/terminal.test.ts); Python's pty module
ships with every python3, so the tests need no native Node addon.
"""
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time

spec = json.load(sys.stdin)
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], spec["env"])

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", spec.get("rows", 24), spec.get("cols", 80), 0, 0))
deadline = time.time() + spec.get("timeout", 30)
out = b""
mark = 0
stuck = None
timed_out = False


def read_some(wait):
    global out
    r, _, _ = select.select([fd], [], [], wait)
    if not r:
        return True
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        return False
    if not chunk:
        return False
    out += chunk
    return True


alive = True
for i, step in enumerate(spec.get("steps", [])):
    pattern = re.compile(step["expect"])
    while alive and not pattern.search(out[mark:].decode("utf-8", "replace")):
        if time.time() > deadline:
            stuck = i
            break
        alive = read_some(0.05)
    if stuck is not None or not alive:
        if stuck is None and not pattern.search(out[mark:].decode("utf-8", "replace")):
            stuck = i
        break
    mark = len(out)
    time.sleep(0.05)  # let the prompt finish drawing before typing, as a person would
    send = step["send"]
    if "fromFile" in step:
        with open(step["fromFile"]["path"], encoding="utf-8") as f:
            found = re.findall(step["fromFile"]["pattern"], f.read())
        send = (found[-1] if found else "") + send
    os.write(fd, send.encode("utf-8"))

while alive and time.time() < deadline:
    alive = read_some(0.1)
if alive:
    timed_out = True
    os.kill(pid, signal.SIGKILL)
_, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
json.dump({"output": out.decode("utf-8", "replace"), "exitCode": code, "timedOut": timed_out, "stuckAt": stuck}, sys.stdout)
