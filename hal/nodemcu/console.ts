import type { Link } from "../link";
import type { Log } from "../log";

/*
 * Same framing as the Espruino console: "@TOPIC PAYLOAD" for events, "I "/"E " for log lines.
 * Plain objects rather than classes, here and in the port's other stateless parts: on NodeMCU a
 * class costs Lua heap for its class table and prototype besides the object (docs/lua-heap.md).
 */
export function consoleLink(): Link {
  return {
    publish(topic: string, payload: string): void {
      print("@" + topic + " " + payload);
    },
  };
}

export function consoleLog(): Log {
  return {
    info(message: string): void {
      print("I " + message);
    },
    error(message: string): void {
      print("E " + message);
    },
  };
}
