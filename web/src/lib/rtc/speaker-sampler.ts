/**
 * Who is speaking, measured: every ~200 ms reads each link's audio receiver stats
 * (inbound-rtp totalAudioEnergy / audioLevel) into a SpeakingDetector (./speaking.ts) and
 * reports the speaking set and the active speaker when they change. Participants who
 * announced a mute are never speaking (their silence is certain; no hold).
 */
import { SpeakingDetector, type AudioReading } from './speaking';

export const SPEAKER_INTERVAL_MS = 200;

export interface SpeakerUpdate {
  speaking: ReadonlySet<string>;
  active: string | null;
}

export class SpeakerSampler {
  readonly #detector = new SpeakingDetector();
  #timer: ReturnType<typeof setInterval> | null = null;
  #busy = false;
  #lastKey = '';

  constructor(
    private readonly links: () => Iterable<[string, RTCPeerConnection]>,
    private readonly muted: (id: string) => boolean,
    private readonly onChange: (update: SpeakerUpdate) => void,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.#tick(), SPEAKER_INTERVAL_MS);
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const now = performance.now();
      const links = [...this.links()];
      await Promise.all(
        links.map(async ([id, pc]) => {
          if (this.muted(id)) return this.#detector.forget(id);
          const receiver = pc.getReceivers().find((r) => r.track?.kind === 'audio');
          if (!receiver || pc.connectionState !== 'connected') return; // no sound comes otherwise
          const reading: AudioReading = {};
          (await receiver.getStats()).forEach((s: Record<string, unknown>) => {
            if (s.type !== 'inbound-rtp') return;
            for (const key of ['audioLevel', 'totalAudioEnergy', 'totalSamplesDuration'] as const) {
              if (typeof s[key] === 'number') reading[key] = s[key] as number;
            }
          });
          this.#detector.sample(id, reading, now);
        }),
      );
      const live = new Set(links.map(([id]) => id));
      const speaking = new Set([...this.#detector.speaking(now)].filter((id) => live.has(id) && !this.muted(id)));
      const active = this.#detector.active(now);
      const key = `${[...speaking].sort().join(',')}|${active}`;
      if (key !== this.#lastKey) {
        this.#lastKey = key;
        this.onChange({ speaking, active: active && live.has(active) ? active : null });
      }
    } catch {
      // A link closed mid-read; the next tick goes on.
    } finally {
      this.#busy = false;
    }
  }
}
