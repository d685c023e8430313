// Call-setup trace, injected into every page before its own scripts (Playwright
// addInitScript) by benches/call-trace.ts: the same instrumentation for Parley's room page
// and the minimal page. It wraps getUserMedia, WebSocket and RTCPeerConnection and records
// [absolute ms, event] into window.__trace; nothing in the pages knows about it. Besides
// the signalling steps: DTLS connected (connectionState), the first RTP of remote video
// (the remote track's unmute), what the video sender had captured/encoded/sent half a
// second after DTLS connected, setParameters/replaceTrack calls, the first getStats,
// the remote <video>'s play() and events, and main-thread long tasks over 100 ms; and what
// touches the camera (getUserMedia, track stop/clone/applyConstraints, enumerateDevices,
// devicechange, gaps in the camera's own frame count), when each video sender's source
// and encoder got their first frame, and a <video> taken out of the page still holding
// its stream.
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

  // The camera's own frame counter (MediaStreamTrack.stats): a gap of 300 ms or more in
  // what the capturer delivers, with its start and length.
  const watchFrames = (track) => {
    if (!('stats' in track)) return;
    let last = -1;
    let since = now();
    const id = setInterval(() => {
      if (track.readyState !== 'live') return clearInterval(id);
      const total = track.stats.totalFrames;
      const t = now();
      if (total !== last) {
        if (last >= 0 && t - since >= 300) trace.push([since, `camera delivered no frame for ${Math.round(t - since)} ms (${track.label})`]);
        last = total;
        since = t;
      }
    }, 20);
  };
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    mark(`getUserMedia called ${JSON.stringify(c)}`, false);
    const s = await gum(c);
    mark('media ready', false);
    for (const t of s.getVideoTracks()) {
      watchFrames(t);
      t.addEventListener('mute', () => mark('camera track muted (no frames)', false));
      t.addEventListener('unmute', () => mark('camera track unmuted', false));
      t.addEventListener('ended', () => mark('camera track ended', false));
    }
    return s;
  };

  // Whatever re-opens, re-configures or releases a capture device: with the fake camera
  // every context of one browser shares one capturer.
  const stop = MediaStreamTrack.prototype.stop;
  MediaStreamTrack.prototype.stop = function () {
    if (this.readyState === 'live') mark(`${this.kind} track stop() (${this.label})`, false);
    return stop.call(this);
  };
  const applyConstraints = MediaStreamTrack.prototype.applyConstraints;
  MediaStreamTrack.prototype.applyConstraints = function (c) {
    mark(`${this.kind} applyConstraints(${JSON.stringify(c)})`, false);
    return applyConstraints.call(this, c);
  };
  const clone = MediaStreamTrack.prototype.clone;
  MediaStreamTrack.prototype.clone = function () {
    mark(`${this.kind} track clone()`, false);
    return clone.call(this);
  };
  const enumerate = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
  navigator.mediaDevices.enumerateDevices = () => {
    mark('enumerateDevices', false);
    return enumerate();
  };
  navigator.mediaDevices.addEventListener('devicechange', () => mark('devicechange', false));

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
      // When the video sender's source got its first frame, and its encoder its first.
      const firsts = new Set();
      const poll = setInterval(async () => {
        if (this.connectionState === 'closed') return clearInterval(poll);
        (await getStats.call(this)).forEach((r) => {
          if (r.type === 'media-source' && r.kind === 'video' && r.frames > 0 && !firsts.has('source')) {
            firsts.add('source');
            trace.push([now(), `sender source first frames (${r.frames})`]);
          }
          if (r.type === 'outbound-rtp' && r.kind === 'video' && r.framesEncoded > 0 && !firsts.has('enc')) {
            firsts.add('enc');
            trace.push([now(), `sender first encoded (${r.framesEncoded}, ${r.encoderImplementation})`]);
          }
        });
        if (firsts.size === 2) clearInterval(poll);
      }, 50);
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

  // A <video> taken out of the page still holding a stream: its player stays attached to
  // the camera until garbage collection (what starved the senders: docs/call-setup.md).
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.removedNodes) {
        if (!(n instanceof Element)) continue;
        for (const v of [n, ...n.querySelectorAll('video')]) {
          if (!(v instanceof HTMLVideoElement) || v.isConnected) continue;
          const which = v.hasAttribute('data-local') ? 'local' : 'remote';
          queueMicrotask(() => v.srcObject && mark(`${which} <video> removed still holding its stream`, false));
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });

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
