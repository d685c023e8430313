// Call-setup trace, injected into every page before its own scripts (Playwright
// addInitScript) by benches/call-trace.ts: the same instrumentation for Parley's room page
// and the minimal page. It wraps getUserMedia, WebSocket and RTCPeerConnection and records
// [absolute ms, event] into window.__trace; nothing in the pages knows about it. Besides
// the signalling steps: DTLS connected (connectionState), the first RTP of remote video
// (the remote track's unmute), what the video sender had captured/encoded/sent half a
// second after DTLS connected, setParameters/replaceTrack calls, the first getStats,
// the remote <video>'s play() and events, and main-thread long tasks over 100 ms.
(() => {
  const trace = [];
  window.__trace = trace;
  const now = () => performance.timeOrigin + performance.now();
  const seen = new Set();
  const mark = (event, once = true) => {
    if (once && seen.has(event)) return;
    seen.add(event);
    trace.push([now(), event]);
  };
  window.__traceMark = mark;
  const kindOf = (text) => /"kind"\s*:\s*"(OFFER|ANSWER|ICE_CANDIDATE)"|\\"kind\\":\\"(OFFER|ANSWER|ICE_CANDIDATE)\\"/.exec(text);

  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    mark(`getUserMedia called ${JSON.stringify(c)}`, false);
    const s = await gum(c);
    mark('media ready', false);
    for (const t of s.getVideoTracks()) {
      t.addEventListener('mute', () => mark('camera track muted (no frames)', false));
      t.addEventListener('unmute', () => mark('camera track unmuted', false));
      t.addEventListener('ended', () => mark('camera track ended', false));
    }
    return s;
  };

  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...args) {
      super(...args);
      mark('socket created', false);
      this.addEventListener('open', () => mark('socket open', false));
      this.addEventListener('message', (e) => {
        const text = String(e.data);
        if (/Welcome|"hello"/.test(text)) mark('Welcome received');
        const k = kindOf(text);
        if (k) mark(`${k[1] ?? k[2]} received`, k[1] !== 'ICE_CANDIDATE' && k[2] !== 'ICE_CANDIDATE' ? false : true);
      });
    }
    send(data) {
      const text = String(data);
      if (/joinRoom/.test(text)) mark('join sent');
      const k = kindOf(text);
      if (k) mark(`${k[1] ?? k[2]} sent`, (k[1] ?? k[2]) === 'ICE_CANDIDATE');
      return super.send(data);
    }
  };

  const PC = window.RTCPeerConnection;
  const getStats = PC.prototype.getStats;
  window.RTCPeerConnection = class extends PC {
    constructor(...args) {
      super(...args);
      mark('RTCPeerConnection created', false);
      this.addEventListener('icecandidate', (e) => e.candidate && mark(`first candidate (${e.candidate.type})`));
      this.addEventListener('icegatheringstatechange', () => this.iceGatheringState === 'complete' && mark('ICE gathering complete'));
      this.addEventListener('iceconnectionstatechange', () => {
        if (['connected', 'completed'].includes(this.iceConnectionState)) mark('ICE connected', false);
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState !== 'connected') return;
        mark('DTLS connected', false);
        // What the video senders and receivers had done half a second later.
        setTimeout(async () => {
          const parts = [];
          (await getStats.call(this)).forEach((r) => {
            if (r.kind !== 'video' && r.type !== 'media-source') return;
            if (r.type === 'outbound-rtp') parts.push(`out: ${r.framesEncoded ?? '-'} encoded, ${r.packetsSent} pkts, ${r.qualityLimitationReason}, ${r.encoderImplementation ?? ''}`);
            else if (r.type === 'inbound-rtp') parts.push(`in: ${r.packetsReceived} pkts, ${r.framesDecoded} decoded`);
            else if (r.type === 'media-source' && r.kind === 'video') parts.push(`source: ${r.frames ?? '-'} frames`);
          });
          trace.push([now(), `+500 ms: ${parts.join('; ')}`]);
        }, 500);
      });
      this.addEventListener('track', (e) => {
        mark('track', true);
        if (e.track.kind === 'video') e.track.addEventListener('unmute', () => mark('remote video unmuted (RTP in)', false), { once: true });
      });
    }
    async setLocalDescription(...args) {
      await super.setLocalDescription(...args);
      mark(`setLocalDescription(${this.localDescription?.type}) done`, false);
    }
    async setRemoteDescription(...args) {
      mark(`setRemoteDescription(${args[0]?.type}) called`, false);
      return super.setRemoteDescription(...args);
    }
  };

  // What touches the encoders and the players on the way to the first frame.
  const setParameters = RTCRtpSender.prototype.setParameters;
  RTCRtpSender.prototype.setParameters = async function (params, ...rest) {
    const e = params?.encodings?.[0] ?? {};
    mark(`${this.track?.kind ?? 'no-track'} setParameters(active ${e.active}, ${e.maxBitrate ?? '-'} bps, /${e.scaleResolutionDownBy ?? '-'}, ${e.maxFramerate ?? '-'} fps)`, false);
    return setParameters.call(this, params, ...rest);
  };
  const replaceTrack = RTCRtpSender.prototype.replaceTrack;
  RTCRtpSender.prototype.replaceTrack = function (track) {
    mark(`replaceTrack(${track?.kind ?? 'null'})`, false);
    return replaceTrack.call(this, track);
  };
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    const remote = this.dataset?.participantId !== undefined;
    const p = play.call(this);
    if (remote) p.then(() => mark('remote play() resolved'), (err) => mark(`remote play() rejected (${err?.name})`));
    return p;
  };
  for (const type of ['loadedmetadata', 'playing']) {
    document.addEventListener(type, (e) => e.target?.dataset?.participantId !== undefined && mark(`remote <video> ${type}`), true);
  }
  let statsCalls = 0;
  RTCPeerConnection.prototype.getStats = function (...args) {
    if (++statsCalls === 1) mark('first getStats');
    return getStats.apply(this, args);
  };

  // The page's main thread blocked (long tasks over 100 ms), start and length.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration >= 100) trace.push([performance.timeOrigin + e.startTime, `long task ${Math.round(e.duration)} ms`]);
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {}

  // First decoded frame in each remote <video>: polled like the benchmark does.
  const framed = new WeakSet();
  const poll = () => {
    for (const v of document.querySelectorAll('video[data-participant-id]')) {
      if (!framed.has(v) && v.videoWidth > 0) {
        framed.add(v);
        mark('first remote frame', false);
      }
    }
    requestAnimationFrame(poll);
  };
  setInterval(poll, 2);
})();
