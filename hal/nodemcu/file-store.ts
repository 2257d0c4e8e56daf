import type { Store } from "../store";

export function nodemcuFileStore(): Store {
  return {
    read(name: string): string | undefined {
      return file.getcontents(name);
    },
    write(name: string, data: string): boolean {
      return file.putcontents(name, data) === true;
    },
    erase(name: string): void {
      file.remove(name);
    },
  };
}
