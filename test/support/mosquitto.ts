/*
 * A real mosquitto (Debian's) for a test: started on a free loopback port with a config written
 * to a temporary folder, stopped by the test. kill() and start() again keep the port, so a test
 * can cut the broker under a live client and bring it back.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface MosquittoOptions {
  /** Extra lines for mosquitto.conf (password_file, acl_file, ...); anonymous clients are allowed unless this says otherwise. */
  config?: string[];
  /** Files written beside the config before start, by name (passwords, ACLs). */
  files?: Record<string, string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function accepting(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, "127.0.0.1");
      c.once("connect", () => (c.destroy(), resolve(true)));
      c.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`mosquitto did not accept connections on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export class Mosquitto {
  readonly dir = mkdtempSync(join(tmpdir(), "aisle-mosquitto-"));
  port = 0;
  private child: ChildProcess | undefined;
  log = "";

  constructor(private readonly opts: MosquittoOptions = {}) {
    // Started as root, mosquitto drops to its own user, which must still read the config's files.
    chmodSync(this.dir, 0o755);
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Starts the broker (on the same port as before, after a kill). */
  async start(): Promise<this> {
    if (this.port === 0) this.port = await freePort();
    for (const [name, text] of Object.entries(this.opts.files ?? {})) writeFileSync(join(this.dir, name), text);
    const custom = this.opts.config ?? [];
    const conf = [
      `listener ${this.port} 127.0.0.1`,
      ...(custom.some((l) => l.startsWith("allow_anonymous")) ? [] : ["allow_anonymous true"]),
      "persistence false",
      ...custom.map((l) => l.replaceAll("$DIR", this.dir)),
    ].join("\n") + "\n";
    const confPath = join(this.dir, "mosquitto.conf");
    writeFileSync(confPath, conf);
    const child = spawn("mosquitto", ["-c", confPath], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (this.log += d));
    child.stderr!.on("data", (d) => (this.log += d));
    const failed = new Promise<never>((_, reject) => {
      child.once("error", (e: NodeJS.ErrnoException) => reject(e.code === "ENOENT" ? new Error("mosquitto is not installed (apt-get install mosquitto)") : e));
      child.once("exit", (code) => reject(new Error(`mosquitto exited with ${code}:\n${this.log}`)));
    });
    failed.catch(() => {});
    this.child = child;
    await Promise.race([accepting(this.port, 5000), failed]);
    return this;
  }

  /** Kills the broker at once (SIGKILL): no goodbyes to its clients. */
  async kill(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await gone;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
