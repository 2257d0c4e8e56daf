import type { Store } from "../store";

/** dev-esp32's file module has no open or getcontents: file contents go through Lua's io. */
export class Esp32IoStore implements Store {
  read(name: string): string | undefined {
    const f = io.open(name, "r");
    if (f === undefined) {
      return undefined;
    }
    const data = f.read("a");
    f.close();
    return data;
  }

  write(name: string, data: string): boolean {
    const f = io.open(name, "w");
    if (f === undefined) {
      return false;
    }
    const written = f.write(data) !== undefined;
    // SPIFFS may only find out it is full when the close flushes; a failed close returns nil.
    const closed = f.close();
    return written && closed === true;
  }

  erase(name: string): void {
    file.remove(name);
  }
}
