// The API process serves this app; every load talks to /graphql from the browser.
export const ssr = false;
