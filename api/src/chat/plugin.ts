/**
 * The chat capability's background part: the retention job over the database, started
 * with the app and stopped on close. `app.chatRetention.run()` runs it at once (tests).
 */
import fp from 'fastify-plugin';
import { ChatRepository } from './chat-repository.js';
import { startRetention, type RetentionJob } from './retention.js';

declare module 'fastify' {
  interface FastifyInstance {
    chatRetention: RetentionJob;
  }
}

export default fp(
  async (app) => {
    const job = startRetention(new ChatRepository(app.orm), app.log);
    app.decorate('chatRetention', job);
    app.addHook('onClose', async () => job.stop());
  },
  { name: 'parley-chat', dependencies: ['parley-db'] },
);
