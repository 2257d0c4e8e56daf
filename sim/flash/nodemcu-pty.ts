/*
 * A pseudo-terminal whose slave is a virtual board's serial port. Node cannot make one without a
 * native module (grantpt, unlockpt and ptsname are ioctls Node does not expose), so python3's pty
 * module makes it (nodemcu-pty-relay.py) and relays the master over pipes. python3 rather than
 * socat: socat's PTY address ends when its slave is closed (its master reads EIO), and the port's
 * path with it, where a USB serial port may be opened and closed any number of times; the relay
 * outlives its slave's closes, and passes the board's output on only while the port is open, as a
 * USB serial adapter does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const RELAY = join(dirname(fileURLToPath(import.meta.url)), "nodemcu-pty-relay.py");

export class NodemcuPty {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    /** The slave's own path (/dev/pts/N). */
    readonly slavePath: string,
    /** What a flasher opens: the link when one was asked for, else the slave's path. */
    readonly path: string,
    readonly exited: Promise<number | null>,
  ) {}

  /** Opens a pty; onData gets the bytes a program writes to the port. link: a symlink to make to the slave (e.g. /tmp/x/ttyV0). */
  static async open(onData: (bytes: Buffer) => void, link?: string): Promise<NodemcuPty> {
    const child = spawn("python3", [RELAY, ...(link ? [link] : [])], { stdio: ["pipe", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    let stderr = "";
    const slave = await new Promise<string>((resolve, reject) => {
      child.once("error", (e: NodeJS.ErrnoException) =>
        reject(e.code === "ENOENT" ? new Error("python3 is not installed (apt-get install python3): it makes the virtual board's pty") : e));
      child.stderr.setEncoding("utf8").on("data", (d: string) => {
        stderr += d;
        const nl = stderr.indexOf("\n");
        if (nl >= 0) resolve(stderr.slice(0, nl));
      });
      void exited.then((code) => reject(new Error(`the pty relay exited with ${code}: ${stderr.trim()}`)));
    });
    child.stdout.on("data", (d: Buffer) => onData(d));
    child.stdin.on("error", () => {});
    return new NodemcuPty(child, slave, link ?? slave, exited);
  }

  /** Sends bytes to whoever has the port open (lost when nobody reads, as a UART's are). */
  write(bytes: Buffer): void {
    if (!this.child.stdin.destroyed) this.child.stdin.write(bytes);
  }

  /** Closes the pty (the link goes with it). */
  async close(): Promise<void> {
    this.child.stdin.end();
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
    await this.exited;
    clearTimeout(killer);
  }
}
