import { describe, expect, it } from 'vitest';
import { gridLayout, selfPlacement } from './layout';

describe('gridLayout', () => {
  it('one tile fills the stage as far as its aspect allows', () => {
    expect(gridLayout({ count: 1, width: 1280, height: 640, gap: 0 })).toEqual({ columns: 1, rows: 1, tileWidth: 1137, tileHeight: 640 });
  });

  it('a wide stage puts two side by side, a tall phone stacks them', () => {
    expect(gridLayout({ count: 2, width: 1280, height: 640 })).toMatchObject({ columns: 2, rows: 1 });
    expect(gridLayout({ count: 2, width: 390, height: 700 })).toMatchObject({ columns: 1, rows: 2 });
  });

  it('three and four on a desktop make 2x2; on a phone one column or two', () => {
    expect(gridLayout({ count: 3, width: 1240, height: 660 })).toMatchObject({ columns: 2, rows: 2 });
    expect(gridLayout({ count: 4, width: 1240, height: 660 })).toMatchObject({ columns: 2, rows: 2 });
    expect(gridLayout({ count: 3, width: 374, height: 700 })).toMatchObject({ columns: 1, rows: 3 });
    expect(gridLayout({ count: 8, width: 374, height: 700 })).toMatchObject({ columns: 2, rows: 4 });
  });

  it('every tile fits inside the stage for 1 to 8 tiles at desktop and phone sizes, both ways round', () => {
    for (const [width, height] of [[1240, 660], [374, 700], [700, 374], [800, 1200]] as const) {
      for (let count = 1; count <= 8; count++) {
        const g = gridLayout({ count, width, height, gap: 8 });
        expect(g.columns * g.rows).toBeGreaterThanOrEqual(count);
        expect(g.columns * g.tileWidth + (g.columns - 1) * 8).toBeLessThanOrEqual(width);
        expect(g.rows * g.tileHeight + (g.rows - 1) * 8).toBeLessThanOrEqual(height);
        expect(g.tileWidth / g.tileHeight).toBeCloseTo(16 / 9, 1);
        // No wholly empty row.
        expect((g.rows - 1) * g.columns).toBeLessThan(count);
      }
    }
  });

  it('a stage with no size yet gives empty tiles, not NaN', () => {
    expect(gridLayout({ count: 3, width: 0, height: 0 })).toEqual({ columns: 1, rows: 3, tileWidth: 0, tileHeight: 0 });
  });

  it('our own tile goes to the corner once someone else is there', () => {
    expect(selfPlacement(0)).toBe('grid');
    expect(selfPlacement(3)).toBe('pip');
  });
});
