import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, wherever the tool is started from. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BOARDS_DIR = resolve(REPO, "boards");
