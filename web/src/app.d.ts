// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  /** True only in a test build (PARLEY_TEST_BUILD=1, see vite.config.ts): window.__parley for the browser tests. */
  const __PARLEY_TEST_HOOK__: boolean;
  namespace App {
    interface Error {
      message: string;
      /** The GraphQL error code when a load failed on the API. */
      code?: string;
    }
  }
}

export {};
