/**
 * Splits one delimited line into cells; double quotes may wrap a cell, and "" inside one is a
 * quote. `spacedQuotes` lets spaces stand before a cell's opening quote (as some exports write
 * them), which the trace format itself does not allow. An unclosed quote gives undefined.
 */
export function splitDelimited(line: string, delimiter: string, spacedQuotes = false): string[] | undefined {
  if (!line.includes('"')) return line.split(delimiter);
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"' && (spacedQuotes ? cell.trim() === "" : cell === "")) {
      quoted = true;
      cell = "";
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else {
      cell += ch;
    }
  }
  if (quoted) return undefined;
  cells.push(cell);
  return cells;
}

/** A trace's CSV line (trace-format.md): comma-separated, quotes only at a cell's start. */
export function splitCsvLine(line: string): string[] | undefined {
  return splitDelimited(line, ",");
}
