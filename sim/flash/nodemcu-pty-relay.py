# A pseudo-terminal for a virtual board's UART (sim/flash/nodemcu-pty.ts starts it): the bytes a
# program writes to the slave come out on stdout, and what the host writes to stdin goes to that
# program. Like a USB serial port, it passes the board's output on only while someone has the port
# open: what the board sends meanwhile is lost, as a UART's bytes are with no one listening, and
# whoever opens the port reads nothing stale. The master reports a hang-up (POLLHUP) while no one
# holds the slave, and reading it then fails (EIO), so the relay then only checks every 20 ms
# whether someone has opened it. The port may be opened and closed any number of times. stderr's
# first line is the slave's path. Ends at stdin's end.
import errno
import fcntl
import os
import pty
import select
import sys
import tty

link = sys.argv[1] if len(sys.argv) > 1 else ""
master, slave = pty.openpty()
# A UART has no line discipline: every byte 0-255 passes both ways, nothing is echoed. The
# settings stay with the pty when its slave is closed.
tty.setraw(slave)
name = os.ttyname(slave)
os.close(slave)
fcntl.fcntl(master, fcntl.F_SETFL, fcntl.fcntl(master, fcntl.F_GETFL) | os.O_NONBLOCK)
if link:
    try:
        os.unlink(link)
    except FileNotFoundError:
        pass
    os.symlink(name, link)
sys.stderr.write(name + "\n")
sys.stderr.flush()


def listened():
    probe = select.poll()
    probe.register(master, select.POLLIN)
    return not any(ev & select.POLLHUP for _, ev in probe.poll(0))


def write_all(fd, data):
    while data:
        n = os.write(fd, data)
        data = data[n:]


try:
    while True:
        open_now = listened()
        ready, _, _ = select.select([0, master] if open_now else [0], [], [], None if open_now else 0.02)
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EIO):
                    raise
                data = b""
            if data:
                write_all(1, data)
        if 0 in ready:
            data = os.read(0, 65536)
            if not data:
                break
            if not open_now:
                continue
            try:
                write_all(master, data)
            except OSError as e:
                # A full buffer (nobody reading) or a slave closed just now: the bytes are lost.
                if e.errno not in (errno.EAGAIN, errno.EIO):
                    raise
finally:
    if link:
        try:
            os.unlink(link)
        except FileNotFoundError:
            pass
