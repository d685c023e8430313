// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** The GraphQL error code when a load failed on the API. */
      code?: string;
    }
  }
}

export {};
