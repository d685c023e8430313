// Call-setup trace, injected into every page before its own scripts (Playwright
// addInitScript) by benches/call-trace.ts: the same instrumentation for Parley's room page
// and the minimal page. It wraps getUserMedia, WebSocket and RTCPeerConnection and records
// [absolute ms, event] into window.__trace; nothing in the pages knows about it.
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
    mark('getUserMedia called', false);
    const s = await gum(c);
    mark('media ready', false);
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
  window.RTCPeerConnection = class extends PC {
    constructor(...args) {
      super(...args);
      mark('RTCPeerConnection created', false);
      this.addEventListener('icecandidate', (e) => e.candidate && mark(`first candidate (${e.candidate.type})`));
      this.addEventListener('icegatheringstatechange', () => this.iceGatheringState === 'complete' && mark('ICE gathering complete'));
      this.addEventListener('iceconnectionstatechange', () => {
        if (['connected', 'completed'].includes(this.iceConnectionState)) mark('ICE connected', false);
      });
      this.addEventListener('track', () => mark('track', true));
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
