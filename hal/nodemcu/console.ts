import type { Link } from "../link";
import type { Log } from "../log";

/* Same framing as the Espruino console: "@TOPIC PAYLOAD" for events, "I "/"E " for log lines. */
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
