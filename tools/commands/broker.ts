import { startEmbeddedBroker } from "../../sim/broker/embedded-broker.ts";
import { UsageError } from "../usage-error.ts";

/** aisle broker: the embedded broker until Ctrl-C. */
export async function brokerCommand(opts: { port: string; host: string }): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${opts.port}: a port is a whole number from 0 to 65535`);
  const broker = await startEmbeddedBroker(port, opts.host);
  process.stdout.write(`aisle broker: listening on ${broker.url} (Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await broker.close();
  return 0;
}
