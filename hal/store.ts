/** Small named records that survive a reboot (Espruino Storage, NodeMCU SPIFFS/LFS files). */
export interface Store {
  read(name: string): string | undefined;
  /** Returns false when the platform refused the write (full, bad name). */
  write(name: string, data: string): boolean;
  erase(name: string): void;
}
