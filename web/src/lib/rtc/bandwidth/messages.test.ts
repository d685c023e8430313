import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type ControlMessage } from './messages';

describe('control messages', () => {
  it('round-trip', () => {
    const all: ControlMessage[] = [
      { t: 'tile', kind: 'camera', width: 320, height: 180 },
      { t: 'tile', kind: 'screen', width: 1280, height: 720 },
      { t: 'video', paused: true, reason: 'loss 14%' },
      { t: 'video', paused: false, reason: null },
    ];
    for (const m of all) expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it('ignores what it does not understand', () => {
    for (const bad of ['', 'nope', 'null', '[]', '{"t":"tile","kind":"camera","width":-1,"height":5}', '{"t":"tile","kind":"mic","width":1,"height":1}', '{"t":"tile","kind":"camera","width":1e9,"height":1}', '{"t":"video","paused":"yes","reason":null}', '{"t":"later"}', 'x'.repeat(2000), 42]) {
      expect(decodeMessage(bad)).toBeNull();
    }
    expect(decodeMessage('{"t":"tile","kind":"camera","width":159.6,"height":90.2,"extra":1}')).toEqual({ t: 'tile', kind: 'camera', width: 160, height: 90 });
  });
});
