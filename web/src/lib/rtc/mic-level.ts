/**
 * Our microphone's level for the pre-join meter: an AnalyserNode on the mic track, read
 * about 12 times a second as an RMS level 0..1. Returns the stop function. Used by the
 * preview's MicMeter component.
 */
export function watchMicLevel(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return () => {};
  const ctx = new Ctx();
  const source = ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const data = new Float32Array(analyser.fftSize);
  // An AudioContext made without a click starts suspended in some browsers.
  void ctx.resume().catch(() => undefined);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const v of data) sum += v * v;
    onLevel(Math.min(1, Math.sqrt(sum / data.length) * 3));
  }, 80);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void ctx.close().catch(() => undefined);
  };
}
