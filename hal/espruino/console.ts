import type { Link } from "../link";
import type { Log } from "../log";

/*
 * The serial console, as a Link and a Log. A published line is "@TOPIC PAYLOAD", so a host on
 * the other end of the cable (or the simulator) can tell events from log lines.
 */
export class ConsoleLink implements Link {
  publish(topic: string, payload: string): void {
    print("@" + topic + " " + payload);
  }
}

export class ConsoleLog implements Log {
  info(message: string): void {
    print("I " + message);
  }

  error(message: string): void {
    print("E " + message);
  }
}
