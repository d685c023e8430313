import { describe, expect, it } from 'vitest';
import { STORAGE_KEY, deviceConstraint, groupDevices, loadChoice, resolveChoice, saveChoice } from './devices';

const dev = (kind: MediaDeviceKind, deviceId: string, label = '') => ({ kind, deviceId, label });

describe('devices', () => {
  it('groups devices by kind, without duplicates, naming unlabelled ones', () => {
    const lists = groupDevices([
      dev('videoinput', 'cam0', 'fake_device_0'),
      dev('videoinput', 'cam1'),
      dev('audioinput', 'default', 'Default'),
      dev('audioinput', 'mic1', 'Fake Audio Input 1'),
      dev('audiooutput', 'default', 'Default'),
      dev('audiooutput', 'communications', 'Communications'),
      dev('audiooutput', 'default', 'Default'),
      dev('videoinput', ''),
    ]);
    expect(lists.camera).toEqual([
      { id: 'cam0', label: 'fake_device_0' },
      { id: 'cam1', label: 'Camera 2' },
    ]);
    expect(lists.microphone.map((o) => o.id)).toEqual(['default', 'mic1']);
    expect(lists.speaker).toEqual([{ id: 'default', label: 'Default' }]);
  });

  it('keeps a chosen device that is there, falls back to the first when it is gone', () => {
    const options = [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }];
    expect(resolveChoice(options, 'b')).toEqual({ id: 'b', fellBack: false });
    expect(resolveChoice(options, null)).toEqual({ id: 'a', fellBack: false });
    expect(resolveChoice(options, 'gone')).toEqual({ id: 'a', fellBack: true });
    expect(resolveChoice([], 'gone')).toEqual({ id: null, fellBack: false });
  });

  it('remembers the choice, and shrugs off a broken entry', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(loadChoice(storage)).toEqual({ camera: null, microphone: null, speaker: null });
    saveChoice({ camera: 'c', microphone: null, speaker: 's' }, storage);
    expect(loadChoice(storage)).toEqual({ camera: 'c', microphone: null, speaker: 's' });
    store.set(STORAGE_KEY, '{not json');
    expect(loadChoice(storage)).toEqual({ camera: null, microphone: null, speaker: null });
    store.set(STORAGE_KEY, JSON.stringify({ camera: 5, microphone: 'm' }));
    expect(loadChoice(storage)).toEqual({ camera: null, microphone: 'm', speaker: null });
  });

  it('asks for exactly the device when switching, ideally when re-applying', () => {
    expect(deviceConstraint({ width: 320 }, 'x', true)).toEqual({ width: 320, deviceId: { exact: 'x' } });
    expect(deviceConstraint(true, 'x', false)).toEqual({ deviceId: { ideal: 'x' } });
    expect(deviceConstraint(true, null, true)).toBe(true);
  });
});
