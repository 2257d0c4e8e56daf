/*
 * The embedded MQTT broker (aedes), for users who have none: `aisle broker`, and what `aisle sim`
 * starts when no --broker is given. Tests use a real mosquitto instead (test/support/).
 */
import { createServer, type Server } from "node:net";
import { Aedes } from "aedes";

export interface EmbeddedBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0: any free one). */
export async function startEmbeddedBroker(port: number, host = "127.0.0.1"): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" ? new Error(`port ${port} on ${host} is taken: is a broker already running? (--port picks another)`) : e));
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  return {
    url: `mqtt://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => aedes.close(() => resolve()));
        // Clients of a closing broker are dropped rather than waited for.
        for (const c of Object.values((aedes as unknown as { clients: Record<string, { close(): void }> }).clients)) c.close();
      }),
  };
}
