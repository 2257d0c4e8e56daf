# A pseudo-terminal for a virtual board's UART (sim/flash/nodemcu-pty.ts starts it): the bytes a
# program writes to the slave come out on stdout, and what the host writes to stdin goes to that
# program. The relay keeps the slave open itself, so the port stays usable however often a flasher
# opens and closes it, as a USB serial adapter's does (a pty whose slave was closed by everyone
# gives its master EIO). Output nobody reads is dropped once the pty's buffer is full, as a UART's
# bytes are lost with no one listening. stderr's first line is the slave's path. Ends at stdin's end.
import errno
import fcntl
import os
import pty
import select
import sys
import tty

link = sys.argv[1] if len(sys.argv) > 1 else ""
master, slave = pty.openpty()
# A UART has no line discipline: every byte 0-255 passes both ways, nothing is echoed.
tty.setraw(slave)
fcntl.fcntl(master, fcntl.F_SETFL, fcntl.fcntl(master, fcntl.F_GETFL) | os.O_NONBLOCK)
name = os.ttyname(slave)
if link:
    try:
        os.unlink(link)
    except FileNotFoundError:
        pass
    os.symlink(name, link)
sys.stderr.write(name + "\n")
sys.stderr.flush()


def write_all(fd, data):
    while data:
        n = os.write(fd, data)
        data = data[n:]


try:
    while True:
        ready, _, _ = select.select([master, 0], [], [])
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
            try:
                write_all(master, data)
            except OSError as e:
                if e.errno != errno.EAGAIN:
                    raise
finally:
    if link:
        try:
            os.unlink(link)
        except FileNotFoundError:
            pass
