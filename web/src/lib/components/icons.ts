/** Stroke icons (24x24, drawn with `currentColor`) for the call's buttons; Icon.svelte draws them. */
export const ICONS = {
  mic: 'M12 2a3 3 0 0 0-3 3v7a3 3 0 0 0 6 0V5a3 3 0 0 0-3-3zM19 10v2a7 7 0 0 1-14 0v-2M12 19v3',
  micOff: 'M12 3a3 3 0 0 0-3 3v5a3 3 0 0 0 4.6 2.5M15 10V6a3 3 0 0 0-5.2-2M5 11a7 7 0 0 0 11.2 5.6M19 11a7 7 0 0 1-.6 2.8M12 18v3M4 4l16 16',
  video: 'M16 10l5-3v10l-5-3zM4 6h10a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z',
  videoOff: 'M16 10l5-3v10l-5-3M9 6h5a2 2 0 0 1 2 2v5M16 16a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2M2 2l20 20',
  settings: 'M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1M15 4v4M9 10v4M17 16v4',
  people: 'M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM22 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8',
  leave: 'M3 14.5c4.8-4.7 13.2-4.7 18 0l-2.4 2.6-3.5-1.6v-2.6a11 11 0 0 0-6.2 0v2.6l-3.5 1.6z',
  grid: 'M3 3h8v8H3zM13 3h8v8h-8zM3 13h8v8H3zM13 13h8v8h-8z',
  speaker: 'M3 3h18v13H3zM5 19h4M10 19h4M15 19h4',
  screen: 'M3 4h18v12H3zM8 20h8M12 16v4M12 13V7M9 10l3-3 3 3',
  chat: 'M21 12a8 8 0 0 1-11.6 7.1L3 21l1.9-6.4A8 8 0 1 1 21 12z',
} as const;

export type IconName = keyof typeof ICONS;
