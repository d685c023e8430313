import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { PeerBandwidth } from '$lib/rtc/bandwidth/controller';
import LinkDetails from './LinkDetails.svelte';

const bandwidth: PeerBandwidth = {
  id: 'p',
  quality: 'good',
  reason: null,
  camera: { active: true, maxBitrate: 900_000, maxFramerate: 30, scaleResolutionDownBy: 1 },
  remotePaused: false,
  remoteReason: null,
  tile: null,
  stats: null,
};

function toggle(popover: HTMLElement, newState: 'open' | 'closed'): void {
  popover.dispatchEvent(Object.assign(new Event('toggle'), { newState, oldState: newState === 'open' ? 'closed' : 'open' }));
}

describe('LinkDetails', () => {
  it('draws the figures only while the popover is open (they change every second)', async () => {
    render(LinkDetails, { bandwidth, name: 'Ada' });
    const popover = screen.getByRole('dialog', { hidden: true });
    expect(popover.querySelector('dl')).toBeNull();
    expect(screen.getByRole('button').getAttribute('title')).toBe('Good');

    toggle(popover, 'open');
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(popover.querySelector('dt')?.textContent).toBe('Your video to them');

    toggle(popover, 'closed');
    await new Promise((r) => setTimeout(r, 0));
    expect(popover.querySelector('dl')).toBeNull();
  });
});
