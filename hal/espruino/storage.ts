import type { Store } from "../store";

export class EspruinoStore implements Store {
  private readonly storage = require("Storage");

  read(name: string): string | undefined {
    return this.storage.read(name);
  }

  write(name: string, data: string): boolean {
    return this.storage.write(name, data);
  }

  erase(name: string): void {
    this.storage.erase(name);
  }
}
