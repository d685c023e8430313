/**
 * Grid layout maths for the call stage, pure: given how many tiles there are and the
 * stage's size, the columns x rows that make each tile as large as possible while it
 * keeps its aspect ratio (after livekit's useGridLayout, computed rather than picked from
 * presets). The stage component reads the result into CSS variables.
 */

export interface GridLayout {
  columns: number;
  rows: number;
  /** One tile's size in CSS pixels (the gap already taken off). */
  tileWidth: number;
  tileHeight: number;
}

export interface GridInput {
  count: number;
  width: number;
  height: number;
  /** Between tiles, in pixels. */
  gap?: number;
  /** Width over height of one tile (cameras: 4/3 or 16/9). */
  aspect?: number;
}

/** The arrangement that gives every tile the largest area; ties go to fewer empty cells. */
export function gridLayout({ count, width, height, gap = 8, aspect = 16 / 9 }: GridInput): GridLayout {
  const n = Math.max(1, Math.floor(count));
  let best: GridLayout & { area: number; empty: number } = { columns: 1, rows: 1, tileWidth: 0, tileHeight: 0, area: -1, empty: 0 };
  if (width <= 0 || height <= 0) return { columns: 1, rows: n, tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    // Skip shapes that leave a whole row or column empty: a smaller grid does better.
    if ((rows - 1) * columns >= n) continue;
    const cellW = (width - gap * (columns - 1)) / columns;
    const cellH = (height - gap * (rows - 1)) / rows;
    if (cellW <= 0 || cellH <= 0) continue;
    const tileWidth = Math.min(cellW, cellH * aspect);
    const tileHeight = tileWidth / aspect;
    const area = tileWidth * tileHeight;
    const empty = rows * columns - n;
    if (area > best.area + 0.5 || (Math.abs(area - best.area) <= 0.5 && empty < best.empty)) {
      best = { columns, rows, tileWidth, tileHeight, area, empty };
    }
  }
  const { columns, rows, tileWidth, tileHeight } = best;
  return { columns, rows, tileWidth: Math.floor(tileWidth), tileHeight: Math.floor(tileHeight) };
}

/** Where our own tile goes: a picture-in-picture corner once anyone else is there. */
export function selfPlacement(remoteCount: number): 'pip' | 'grid' {
  return remoteCount >= 1 ? 'pip' : 'grid';
}
