import type { Store } from "../store";

export class NodeMcuFileStore implements Store {
  read(name: string): string | undefined {
    return file.getcontents(name);
  }

  write(name: string, data: string): boolean {
    return file.putcontents(name, data) === true;
  }

  erase(name: string): void {
    file.remove(name);
  }
}
